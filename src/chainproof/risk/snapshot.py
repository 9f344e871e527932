"""Building the engine's input from the database: the graph, the facts, the editions."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from chainproof.bulk import raw_rows
from chainproof.domain.editions import Placement, combine_placements, latest_placements
from chainproof.domain.nodes import NodeKey, NodeKind, ids_of
from chainproof.domain.refdata import trust_words
from chainproof.domain.risk.facts import (
    Edge,
    NodeFacts,
    ReferenceFacts,
    UnknownInput,
    classify_wro,
)
from chainproof.reference.models import DprkLaborStatement, GoodEntry, TipPlacement, WroFinding
from chainproof.reference.selectors import current_dataset
from chainproof.risk.providers import entity_hits, reported_signals
from chainproof.suppliers.graph import active_links, links_touching
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
)

ACTIVE_ORDERS = ("Active", "Partially Modified")


def reference_facts(organization_id: int, on: date) -> ReferenceFacts:
    """The reference data in force on ``on``, reduced to what scoring needs."""
    editions: dict[str, str] = {}

    def dataset(kind: str) -> Any:
        found = current_dataset(kind, organization_id, on=on)
        if found is not None:
            editions[kind] = f"{found.edition} (as of {found.as_of})"
        return found

    # The main TIP table, completed by the additional edition: a (year, country) cell of
    # the main table wins; the additions fill the cells it lacks (domain.editions).
    def placements(kind: str) -> list[Placement]:
        found = dataset(kind)
        if found is None:
            return []
        added = kind != "tip_tiers"
        return [
            Placement(iso2, year, code, trust_words(note) if added else "", added)
            for iso2, year, code, note in TipPlacement.objects.filter(
                dataset=found, report_year__lte=on.year
            ).values_list("iso2", "report_year", "tier_code", "note")
        ]

    latest = latest_placements(
        combine_placements(placements("tip_tiers"), placements("tip_tiers_additions")),
        up_to_year=on.year,
    )
    tip = {iso2: (p.year, p.tier_code) for iso2, p in latest.items()}
    tip_trust = {
        iso2: p.trust or "additional edition" for iso2, p in latest.items() if p.from_additions
    }
    goods: dict[tuple[str, str], tuple[str, ...]] = {}
    goods_ds = dataset("dol_goods")
    if goods_ds is not None:
        for entry in GoodEntry.objects.filter(dataset=goods_ds):
            kinds = tuple(
                k
                for k, flag in (
                    ("forced_labor", entry.forced_labor),
                    ("forced_child_labor", entry.forced_child_labor),
                    ("child_labor", entry.child_labor),
                )
                if flag
            )
            if kinds:
                goods[(entry.good.casefold(), entry.iso2)] = kinds
    wros = []
    wro_ds = dataset("cbp_wro_findings")
    if wro_ds is not None:
        for order in WroFinding.objects.filter(
            dataset=wro_ds, status__in=ACTIVE_ORDERS, effective_date__lte=on
        ).order_by("pk"):
            wros.append(
                classify_wro(
                    iso2=order.iso2,
                    entity=order.entity,
                    aliases=tuple(order.aliases),
                    merchandise=order.merchandise,
                    order_type=order.order_type,
                    effective=order.effective_date.isoformat(),
                )
            )
    # Host countries: the main list's statements first, then the additional edition's for
    # countries the main list does not name.
    hosts: dict[str, str] = {}
    hosts_added: set[str] = set()
    for kind in ("dprk_overseas_labor", "dprk_overseas_labor_additions"):
        dprk_ds = dataset(kind)
        if dprk_ds is None:
            continue
        for statement in DprkLaborStatement.objects.filter(dataset=dprk_ds).exclude(iso2=""):
            if statement.iso2 not in hosts:
                hosts[statement.iso2] = statement.excerpt
                if kind != "dprk_overseas_labor":
                    hosts_added.add(statement.iso2)
    dataset("uflpa_entity_list")
    return ReferenceFacts(
        tip=tip,
        goods=goods,
        wros=tuple(wros),
        dprk_hosts=hosts,
        editions=editions,
        tip_trust=tip_trust,
        dprk_hosts_added=frozenset(hosts_added),
    )


@dataclass
class Snapshot:
    nodes: dict[NodeKey, NodeFacts] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    products: list[NodeKey] = field(default_factory=list)


@dataclass
class _Items:
    names: dict[NodeKey, str]
    dol: dict[NodeKey, tuple[str, ...]]
    sectors: dict[NodeKey, str]

    def name(self, item: NodeKey) -> str:
        found = self.names.get(item)
        return str(item) if found is None else found

    def goods(self, item: NodeKey) -> tuple[str, ...]:
        return (self.name(item), *self.dol.get(item, ()))

    def high_risk(self, item: NodeKey) -> bool:
        return bool(self.dol.get(item) or self.sectors.get(item))


def _items(organization_id: int) -> _Items:
    names, dol, sectors = {}, {}, {}
    for pk, name, dol_goods, sector in Material.objects.filter(
        organization_id=organization_id
    ).values_list("pk", "name", "dol_goods", "high_scrutiny_sector"):
        names[NodeKey.material(pk)] = name
        dol[NodeKey.material(pk)] = tuple(dol_goods)
        if sector:
            sectors[NodeKey.material(pk)] = sector
    for pk, name in Product.objects.filter(organization_id=organization_id).values_list(
        "pk", "name"
    ):
        names[NodeKey.product(pk)] = name
    # A site that makes a product handles its materials: it inherits their goods.
    for product_id, material_id in ProductInput.objects.filter(
        product__organization_id=organization_id, material__isnull=False
    ).values_list("product_id", "material_id"):
        key, material = NodeKey.product(product_id), NodeKey.material(material_id)
        dol[key] = tuple(dict.fromkeys((*dol.get(key, ()), *dol.get(material, ()))))
        if material in sectors:
            sectors.setdefault(key, sectors[material])
    return _Items(names, dol, sectors)


def build_snapshot(
    organization_id: int,
    on: date,
    *,
    only: set[NodeKey] | None = None,
) -> Snapshot:
    """Nodes, edges and facts of an organization's graph on a date.

    With ``only``, facts are built for those nodes alone (an incremental re-score); the
    edges returned are those that arrive at them.
    """
    items = _items(organization_id)
    columns = (
        "source_facility_id",
        "source_supplier_id",
        "target_facility_id",
        "target_supplier_id",
        "target_importer",
        "product_id",
        "material_id",
    )
    rows: Iterable[tuple[Any, ...]]
    if only is None:
        rows = raw_rows(active_links(organization_id, on).values_list(*columns))
    else:
        facility_ids = ids_of(only, NodeKind.FACILITY)
        supplier_ids = ids_of(only, NodeKind.SUPPLIER)
        product_ids = ids_of(only, NodeKind.PRODUCT)
        # One indexed query per column: an OR across columns makes SQLite scan the table.
        found: dict[tuple[Any, ...], None] = {}
        for lookup, ids in (
            ("target_facility_id__in", facility_ids),
            ("target_supplier_id__in", supplier_ids),
            ("source_facility_id__in", facility_ids),
            ("source_supplier_id__in", supplier_ids),
            ("product_id__in", product_ids),
        ):
            for link_row in links_touching(organization_id, on, lookup, ids, "pk", *columns):
                if lookup != "product_id__in" or link_row[5]:  # products: importer links only
                    found[link_row] = None
        rows = [link_row[1:] for link_row in found]

    shipped: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    arriving: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    unknown: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    supplier_without_site: set[NodeKey] = set()
    tier1: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    snap = Snapshot()
    # One key object per node, however many links name it (time and memory); by kind,
    # so finding one builds no tuple.
    keys: dict[NodeKind, dict[int, NodeKey]] = {kind: {} for kind in NodeKind}

    def key(kind: NodeKind, pk: int) -> NodeKey:
        of_kind = keys[kind]
        found = of_kind.get(pk)
        if found is None:
            found = of_kind[pk] = NodeKey(kind, pk)
        return found

    # Millions of links: the keys met before are looked up in place (a key is never empty).
    site_keys, company_keys = keys[NodeKind.FACILITY], keys[NodeKind.SUPPLIER]
    material_keys, product_keys = keys[NodeKind.MATERIAL], keys[NodeKind.PRODUCT]
    item_names: dict[NodeKey, str] = {}
    add_edge = snap.edges.append
    for src_f, src_s, tgt_f, tgt_s, to_importer, product_id, material_id in rows:
        item = (
            material_keys.get(material_id) or key(NodeKind.MATERIAL, material_id)
            if material_id
            else product_keys.get(product_id) or key(NodeKind.PRODUCT, product_id)
        )
        if src_f:
            source = site_keys.get(src_f) or key(NodeKind.FACILITY, src_f)
        elif src_s:
            source = company_keys.get(src_s) or key(NodeKind.SUPPLIER, src_s)
            supplier_without_site.add(source)
        else:
            source = None
        if to_importer:
            target = product_keys.get(product_id) or key(NodeKind.PRODUCT, product_id)
        elif tgt_f:
            target = site_keys.get(tgt_f) or key(NodeKind.FACILITY, tgt_f)
        else:
            target = company_keys.get(tgt_s) or key(NodeKind.SUPPLIER, tgt_s)
        if source is None:
            unknown[target].add(item)
            continue
        shipped[source].add(item)
        if to_importer:
            tier1[target].add(source)
        else:
            arriving[target].add(item)
        name = item_names.get(item)
        if name is None:
            name = item_names[item] = items.name(item)
        add_edge(Edge(source, target, name))

    facilities = Facility.objects.filter(organization_id=organization_id)
    suppliers = Supplier.objects.filter(organization_id=organization_id)
    products = Product.objects.filter(organization_id=organization_id)
    if only is not None:
        facilities = facilities.filter(pk__in=facility_ids)
        suppliers = suppliers.filter(pk__in=supplier_ids)
        products = products.filter(pk__in=product_ids)
    hits = entity_hits(organization_id)
    signals = reported_signals(organization_id)

    def extras(node: NodeKey, operator: NodeKey | None = None) -> dict[str, Any]:
        # A company's list matches are its sites' too: the site is the listed entity's.
        inherited = hits.get(operator, []) if operator else []
        return {
            "entity_hits": tuple(hits.get(node, ())) + tuple(inherited),
            "signals": tuple(signals.get(node, ())),
            "unknown_inputs": tuple(
                UnknownInput(items.name(i), items.high_risk(i))
                for i in sorted(unknown.get(node, ()))
            ),
        }

    # Plain rows, the JSON lists decoded here (the ORM's converters per value were a fifth
    # of the reading).
    for (
        pk,
        name,
        country,
        xinjiang_reason,
        activities,
        dprk_workers,
        dprk_worker_count,
        total_workers,
        migrant_workers,
        supplier_id,
    ) in raw_rows(
        facilities.values_list(
            "pk",
            "name",
            "country",
            "xinjiang_reason",
            "activities",
            "dprk_workers",
            "dprk_worker_count",
            "total_workers",
            "migrant_workers",
            "supplier_id",
        )
    ):
        node = key(NodeKind.FACILITY, pk)
        made = sorted(shipped.get(node, ()))
        snap.nodes[node] = NodeFacts(
            node=node,
            kind="facility",
            name=name,
            country=country,
            xinjiang_reason=xinjiang_reason,
            goods=tuple(g for item in made for g in items.goods(item)),
            sectors=tuple(sorted({items.sectors[i] for i in made if i in items.sectors})),
            activities=_json_list(activities),
            dprk_workers=dprk_workers,
            dprk_worker_count=dprk_worker_count,
            total_workers=total_workers,
            migrant_workers=migrant_workers,
            **extras(node, key(NodeKind.SUPPLIER, supplier_id) if supplier_id else None),
        )
        if supplier_id:
            snap.edges.append(Edge(node, key(NodeKind.SUPPLIER, supplier_id), operates=True))
    for pk, legal_name, country, aliases in raw_rows(
        suppliers.values_list("pk", "legal_name", "country", "aliases")
    ):
        node = key(NodeKind.SUPPLIER, pk)
        made = sorted(shipped.get(node, ())) if node in supplier_without_site else []
        snap.nodes[node] = NodeFacts(
            node=node,
            kind="supplier",
            name=legal_name,
            country=country,
            aliases=_json_list(aliases),
            site_unknown=node in supplier_without_site,
            goods=tuple(g for item in made for g in items.goods(item)),
            **extras(node),
        )
    bom: dict[int, set[NodeKey]] = defaultdict(set)
    for product_id, material_id, component_id in ProductInput.objects.filter(
        product__organization_id=organization_id
    ).values_list("product_id", "material_id", "component_id"):
        bom[product_id].add(
            NodeKey.material(material_id) if material_id else NodeKey.product(component_id)
        )
    if only is not None:
        tier1, arriving = _tier_one(organization_id, on, product_ids)
    for pk, name in products.values_list("pk", "name"):
        node = key(NodeKind.PRODUCT, pk)
        inputs = bom.get(pk, set())
        reaching = set().union(*(arriving.get(s, set()) for s in tier1.get(node, ())))
        missing = sorted(inputs - reaching) if tier1.get(node) else []
        snap.nodes[node] = NodeFacts(
            node=node,
            kind="product",
            name=name,
            sectors=tuple(sorted({items.sectors[i] for i in inputs if i in items.sectors})),
            entity_hits=(),
            signals=(),
            unknown_inputs=tuple(UnknownInput(items.name(i), items.high_risk(i)) for i in missing)
            + tuple(
                UnknownInput(items.name(i), items.high_risk(i))
                for i in sorted(unknown.get(node, ()))
            ),
        )
        snap.products.append(node)
    return snap


def _json_list(value: Any) -> tuple[Any, ...]:
    """A JSON list column read without the ORM: its text (or, from a driver that decodes
    JSON itself, the list), as a tuple."""
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            value = json.loads(value)  # what orjson refuses (integers beyond 64 bits)
    return tuple(value or ())


def _tier_one(
    organization_id: int, on: date, product_ids: list[int]
) -> tuple[dict[NodeKey, set[NodeKey]], dict[NodeKey, set[NodeKey]]]:
    """For some products: their tier-1 sites, and the items arriving at those sites."""
    tier1: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    for src_f, src_s, product_id, to_importer in links_touching(
        organization_id,
        on,
        "product_id__in",
        product_ids,
        "source_facility_id",
        "source_supplier_id",
        "product_id",
        "target_importer",
    ):
        if to_importer and (src_f or src_s):
            tier1[NodeKey.product(product_id)].add(
                NodeKey.facility(src_f) if src_f else NodeKey.supplier(src_s)
            )
    sources = set().union(*tier1.values()) if tier1 else set()
    arriving: dict[NodeKey, set[NodeKey]] = defaultdict(set)
    facility_ids = ids_of(sources, NodeKind.FACILITY)
    supplier_ids = ids_of(sources, NodeKind.SUPPLIER)
    for lookup, ids in (
        ("target_facility_id__in", facility_ids),
        ("target_supplier_id__in", supplier_ids),
    ):
        for tgt_f, tgt_s, product_id, material_id in links_touching(
            organization_id,
            on,
            lookup,
            ids,
            "target_facility_id",
            "target_supplier_id",
            "product_id",
            "material_id",
        ):
            target = NodeKey.facility(tgt_f) if tgt_f else NodeKey.supplier(tgt_s)
            arriving[target].add(
                NodeKey.material(material_id) if material_id else NodeKey.product(product_id)
            )
    return tier1, arriving
