"""The supply-chain graph as stored: which node a link leaves and reaches, the links in
force on a date, and tiers computed from them (derived data, written without audit: the
links it derives from are audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from chainproof.domain.graph import TierResult, compute_tiers
from chainproof.domain.nodes import IMPORTER, NodeKey, NodeKind
from chainproof.suppliers.models import Facility, Supplier, SupplyLink


def node_of_source(link: SupplyLink) -> NodeKey | None:
    if link.source_facility_id:
        return NodeKey.facility(link.source_facility_id)
    if link.source_supplier_id:
        return NodeKey.supplier(link.source_supplier_id)
    return None


def node_of_target(link: SupplyLink) -> NodeKey:
    if link.target_importer:
        return IMPORTER
    if link.target_facility_id:
        return NodeKey.facility(link.target_facility_id)
    return NodeKey.supplier(link.target_supplier_id or 0)


def active_links(organization_id: int, on: date | None = None) -> models.QuerySet[SupplyLink]:
    on = on or timezone.localdate()
    return in_force(SupplyLink.objects.filter(organization_id=organization_id), on)


def in_force(links: models.QuerySet[SupplyLink], on: date) -> models.QuerySet[SupplyLink]:
    """Links valid on a date (open-ended dates count as valid)."""
    return links.filter(
        models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
    )


def links_touching(
    organization_id: int, on: date, lookup: str, ids: list[int], *columns: str
) -> list[tuple[Any, ...]]:
    """Values of the links in force whose ``lookup`` column is one of ``ids``.

    Filtered on that column's own index; the organization is checked on each row, because
    with both conditions in SQL, SQLite prefers the organization index and scans the table.
    """
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        queryset = in_force(SupplyLink.objects.filter(**{lookup: ids[start : start + 500]}), on)
        rows += [
            row[1:]
            for row in queryset.values_list("organization_id", *columns)
            if row[0] == organization_id
        ]
    return rows


def graph_tiers(organization_id: int, on: date | None = None) -> TierResult:
    rows = active_links(organization_id, on).values_list(
        "source_facility_id",
        "source_supplier_id",
        "target_importer",
        "target_facility_id",
        "target_supplier_id",
    )
    edges = []
    for src_f, src_s, to_importer, tgt_f, tgt_s in rows.iterator(chunk_size=5000):
        if src_f is None and src_s is None:
            continue  # "unknown upstream" markers have no node
        source = NodeKey.facility(src_f) if src_f is not None else NodeKey.supplier(src_s)
        target = (
            IMPORTER
            if to_importer
            else (NodeKey.facility(tgt_f) if tgt_f is not None else NodeKey.supplier(tgt_s))
        )
        edges.append((source, target))
    operators = {
        NodeKey.facility(fid): NodeKey.supplier(sid)
        for fid, sid in Facility.objects.filter(
            organization_id=organization_id, supplier__isnull=False
        )
        .values_list("pk", "supplier_id")
        .iterator(chunk_size=5000)
    }
    return compute_tiers(edges, operators=operators)


def tiers_recompute(*, organization_id: int) -> dict[str, Any]:
    """Recompute and store every supplier's and facility's tier. Derived data: not audited
    (the links it derives from are)."""
    result = graph_tiers(organization_id)
    changed = 0
    for model, kind in ((Supplier, NodeKind.SUPPLIER), (Facility, NodeKind.FACILITY)):
        current = dict(
            model.objects.filter(organization_id=organization_id).values_list("pk", "tier")
        )
        updates: dict[int | None, list[int]] = {}
        for pk, tier in current.items():
            new = result.tiers.get(NodeKey(kind, pk))
            if new is not None:
                new = min(new, 32767)
            if new != tier:
                updates.setdefault(new, []).append(pk)
        for tier, pks in updates.items():
            for start in range(0, len(pks), 900):
                model.objects.filter(pk__in=pks[start : start + 900]).update(tier=tier)
            changed += len(pks)
    return {
        "nodes_with_tier": len(result.tiers),
        "changed": changed,
        "cycles": [[str(node) for node in cycle[:20]] for cycle in result.cycles[:50]],
        "cycle_count": len(result.cycles),
    }
