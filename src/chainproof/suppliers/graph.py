"""The supply-chain graph as stored: which node a link leaves and reaches, the links in
force on a date, and tiers computed from them (derived data, written without audit: the
links it derives from are audited)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from operator import itemgetter
from typing import Any

from django.db import models
from django.utils import timezone

from chainproof.bulk import raw_rows, update_values
from chainproof.bulk_statistics import statistics_refresh_after
from chainproof.domain.graph import TierResult, compute_tiers
from chainproof.domain.nodes import IMPORTER, NodeKey
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
    tiers, cycles = _coded_tiers(organization_id, on)
    return TierResult(
        tiers={_node_of(code): tier for code, tier in tiers.items()},
        cycles=sorted(sorted(map(_node_of, cycle)) for cycle in cycles),
    )


# The graph is walked with each node as a number (hashing a NodeKey costs a Python call
# per dict lookup): a facility's id times two, a supplier's times two plus one, the
# importer -1. The tiers and cycles found are the same as over NodeKeys.
_IMPORTER_CODE = -1


def _node_of(code: int) -> NodeKey:
    if code == _IMPORTER_CODE:
        return IMPORTER
    return NodeKey.supplier(code >> 1) if code & 1 else NodeKey.facility(code >> 1)


def _coded_tiers(
    organization_id: int, on: date | None = None, meanwhile: Callable[[], None] | None = None
) -> tuple[dict[int, int], Any]:
    """The tiers and cycles of the links in force, as coded nodes. ``meanwhile``: work for
    the database, run while the tiers are computed in Python (in a thread: the query waits
    for the server with the interpreter free)."""
    edges, operators = _coded_graph(organization_id, on)
    if meanwhile is None:
        result = _compute_coded(edges, operators)
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiers") as pool:
            computed = pool.submit(_compute_coded, edges, operators)
            meanwhile()
            result = computed.result()
    return result.tiers, result.cycles  # type: ignore[return-value]


def _compute_coded(edges: list[tuple[int, int]], operators: dict[int, int]) -> TierResult:
    return compute_tiers(edges, operators=operators, root=_IMPORTER_CODE)  # type: ignore[arg-type]


def _coded_graph(
    organization_id: int, on: date | None
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """The links in force as (source, target) pairs of coded nodes, and each operated
    facility's operator."""
    rows = active_links(organization_id, on).values_list(
        "source_facility_id",
        "source_supplier_id",
        "target_importer",
        "target_facility_id",
        "target_supplier_id",
    )
    edges = []
    for src_f, src_s, to_importer, tgt_f, tgt_s in raw_rows(rows):
        if src_f is None and src_s is None:
            continue  # "unknown upstream" markers have no node
        source = src_f * 2 if src_f is not None else src_s * 2 + 1
        if to_importer:
            target = _IMPORTER_CODE
        elif tgt_f is not None:
            target = tgt_f * 2
        else:
            target = (tgt_s or 0) * 2 + 1  # as node_of_target: a link always has a target
        edges.append((source, target))
    operators = {
        fid * 2: sid * 2 + 1
        for fid, sid in raw_rows(
            Facility.objects.filter(
                organization_id=organization_id, supplier__isnull=False
            ).values_list("pk", "supplier_id")
        )
    }
    return edges, operators


def tiers_recompute(
    *, organization_id: int, meanwhile: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Recompute and store every supplier's and facility's tier. Derived data: not audited
    (the links it derives from are). ``meanwhile``: work for the database in the same
    transaction, run while the tiers are computed (an import checks its rows' references)."""
    coded, coded_cycles = _coded_tiers(organization_id, meanwhile=meanwhile)
    cycles = sorted(sorted(map(_node_of, cycle)) for cycle in coded_cycles)
    changed = 0
    for model, odd in ((Supplier, 1), (Facility, 0)):
        current = dict(
            model.objects.filter(organization_id=organization_id).values_list("pk", "tier")
        )
        updates: list[tuple[int | None, int]] = []
        for pk, tier in current.items():
            new = coded.get(pk * 2 + odd)
            if new is not None:
                new = min(new, 32767)
            if new != tier:
                updates.append((new, pk))
        # One pass over the table in the order of its keys, whatever the tiers (an import
        # of links changes every record's tier: a million rows at scale 10).
        updates.sort(key=itemgetter(1))
        changed += update_values(model, ["tier"], updates)
    statistics_refresh_after(changed, Supplier, Facility)
    return {
        "nodes_with_tier": len(coded),
        "changed": changed,
        "cycles": [[str(node) for node in cycle[:20]] for cycle in cycles[:50]],
        "cycle_count": len(cycles),
    }
