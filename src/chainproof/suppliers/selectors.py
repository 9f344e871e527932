"""Reads of the supply chain: filtered lists, a supplier's links, a product's map."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from chainproof.common.paging import search_narrowed
from chainproof.domain.graph import ChainEdge, ChainMap, upstream_map
from chainproof.domain.map_layout import NODE_H, NODE_W, layered
from chainproof.domain.names import normalize_name
from chainproof.domain.nodes import IMPORTER, NodeKey, NodeKind, ids_of
from chainproof.suppliers.graph import active_links
from chainproof.suppliers.lookups import ids_at_risk_level, risk_scores
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)

SORT_LABELS = {  # what the sort list says
    "name": "name, A to Z",
    "-name": "name, Z to A",
    "country": "country, A to Z",
    "-country": "country, Z to A",
    "tier": "tier, nearest first",
    "-tier": "tier, farthest first",
    "updated": "changed, oldest first",
    "-updated": "changed, newest first",
}
SUPPLIER_SORTS = {
    "name": ("legal_name", "pk"),
    "-name": ("-legal_name", "-pk"),
    "country": ("country", "legal_name", "pk"),
    "-country": ("-country", "-legal_name", "-pk"),
    "tier": ("tier", "legal_name", "pk"),
    "-tier": ("-tier", "-legal_name", "-pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


def supplier_list(
    organization_id: int,
    *,
    q: str = "",
    country: str = "",
    tier: str = "",
    status: str = "",
    risk: str = "",
    sort: str = "name",
) -> QuerySet[Supplier]:
    qs = Supplier.objects.filter(organization_id=organization_id)
    if risk:
        qs = qs.filter(pk__in=ids_at_risk_level(organization_id, "supplier", risk))
    if q:
        qs = qs.filter(supplier_search(organization_id, q))
    if country:
        qs = qs.filter(country=country.upper())
    if tier == "none":
        qs = qs.filter(tier__isnull=True)
    elif tier.isdigit():
        qs = qs.filter(tier=int(tier)) if int(tier) < 4 else qs.filter(tier__gte=4)
    if status:
        qs = qs.filter(status=status)
    qs = qs.order_by(*SUPPLIER_SORTS.get(sort, SUPPLIER_SORTS["name"]))
    return search_narrowed(qs) if q else qs


def supplier_search(organization_id: int, q: str) -> Q:
    """A code (ref, DUNS, LEI...) matches exactly; otherwise words match the normalised
    name, one word the start of a reference, and text in another script the native-script
    name. On PostgreSQL every part is served by the trigram index supplier_search_trgm."""
    compact = q.replace(" ", "").replace("-", "").upper()
    by_code = (
        list(
            Supplier.objects.filter(
                organization_id=organization_id, ref__in={q.strip(), q.strip().upper()}
            )
            .exclude(ref="")  # lets SQLite use the partial unique index on ref
            .order_by()
            .values_list("pk", flat=True)[:50]
        )
        + list(
            SupplierIdentifier.objects.filter(
                organization_id=organization_id,
                scheme__in=SupplierIdentifier.Scheme.values,
                value__in={compact, q.strip()},
            )
            .order_by()
            .values_list("supplier_id", flat=True)[:50]
        )
    )
    if by_code:
        return Q(pk__in=by_code)
    condition = Q(normalized_name__contains=normalize_name(q)) if normalize_name(q) else Q()
    if " " not in q.strip():  # the start of a reference ("S-CN" finds S-CN-0001, S-CN-0002)
        condition |= Q(ref__istartswith=q.strip())
    if not q.isascii():
        condition |= Q(native_name__icontains=q.strip())
    return condition


def facility_list(
    organization_id: int,
    *,
    q: str = "",
    country: str = "",
    tier: str = "",
    xinjiang: str = "",
    dprk: str = "",
) -> QuerySet[Facility]:
    qs = Facility.objects.filter(organization_id=organization_id).select_related("supplier")
    if q:
        qs = qs.filter(facility_search(q))
    if country:
        qs = qs.filter(country=country.upper())
    if tier == "none":
        qs = qs.filter(tier__isnull=True)
    elif tier.isdigit():
        qs = qs.filter(tier=int(tier)) if int(tier) < 4 else qs.filter(tier__gte=4)
    if xinjiang == "yes":
        qs = qs.filter(in_xinjiang=True)
    if dprk in ("present", "unknown", "none"):
        qs = qs.filter(dprk_workers=dprk)
    qs = qs.order_by("name", "pk")
    return search_narrowed(qs) if q else qs


def facility_search(q: str) -> Q:
    """Words of the name (normalised) or of the city, text in another script, or the start
    of a reference. On PostgreSQL every part is served by the trigram index
    facility_search_trgm."""
    return (
        Q(normalized_name__contains=normalize_name(q))
        | Q(native_name__icontains=q)
        | Q(ref__istartswith=q.strip())
        | Q(city__icontains=q)
    )


def countries_in_use(model: type[Supplier] | type[Facility], organization_id: int) -> list[str]:
    """The countries of the organization's suppliers or worksites, in code order, for a
    list's filter. Read as a skip through the index on (organization, country): each step
    finds the next country after the last one, so a million worksites in 60 countries cost
    60 index lookups, not a read of the million (a plain DISTINCT, on PostgreSQL)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    sql = f"""
        WITH RECURSIVE found(country) AS (
            SELECT (SELECT country FROM {table} WHERE organization_id = %s
                    ORDER BY country LIMIT 1)
            UNION ALL
            SELECT (SELECT country FROM {table} WHERE organization_id = %s
                    AND country > found.country ORDER BY country LIMIT 1)
            FROM found WHERE found.country IS NOT NULL
        )
        SELECT country FROM found WHERE country IS NOT NULL
    """  # noqa: S608 (the table name is the model's own, quoted)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization_id, organization_id])
        return [row[0] for row in cursor.fetchall()]


def links_of_supplier(supplier: Supplier) -> tuple[QuerySet[SupplyLink], QuerySet[SupplyLink]]:
    """(links it receives: its suppliers upstream, links it sends: its customers downstream)."""
    facility_ids = list(supplier.facilities.values_list("pk", flat=True))
    related = (
        "source_facility",
        "source_supplier",
        "target_facility",
        "target_supplier",
        "product",
        "material",
    )
    base = SupplyLink.objects.filter(organization_id=supplier.organization_id).select_related(
        *related
    )
    upstream = base.filter(Q(target_supplier=supplier) | Q(target_facility__in=facility_ids))
    downstream = base.filter(Q(source_supplier=supplier) | Q(source_facility__in=facility_ids))
    return upstream, downstream


def links_of_facility(facility: Facility) -> tuple[QuerySet[SupplyLink], QuerySet[SupplyLink]]:
    related = (
        "source_facility",
        "source_supplier",
        "target_facility",
        "target_supplier",
        "product",
        "material",
    )
    base = SupplyLink.objects.filter(organization_id=facility.organization_id).select_related(
        *related
    )
    return base.filter(target_facility=facility), base.filter(source_facility=facility)


def product_input_keys(product: Product, depth: int = 0) -> set[NodeKey]:
    """Everything in a product's bill of materials, components expanded: materials and
    component products."""
    keys: set[NodeKey] = set()
    if depth > 10:
        return keys
    for line in product.inputs.select_related("component"):
        if line.material_id:
            keys.add(NodeKey.material(line.material_id))
        elif line.component is not None:
            keys.add(NodeKey.product(line.component.pk))
            keys |= product_input_keys(line.component, depth + 1)
    return keys


def _item(link_material: int | None, link_product: int | None) -> NodeKey:
    if link_material:
        return NodeKey.material(link_material)
    return NodeKey.product(link_product or 0)


@dataclass
class MapNode:
    node: NodeKey
    label: str
    sublabel: str
    country: str
    url: str
    flags: list[str]
    x: int = 0
    y: int = 0
    kind: str = "node"
    # filled by ``chain_map.risk_overlay``: the node's risk in words, the keys of the path
    # that sets its score, and whether it is on the highlighted path (its source: the end)
    risk: str = ""
    path: list[NodeKey] = field(default_factory=list)
    on_path: bool = False
    path_source: bool = False

    @property
    def short_label(self) -> str:
        return _clip(self.label, 30)

    @property
    def short_sublabel(self) -> str:
        return _clip(f"{self.country} · {self.sublabel}" if self.country else self.sublabel, 34)

    @property
    def short_flags(self) -> str:
        return _clip(", ".join(self.flags), 34)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class ProductMap:
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    width: int = 0
    height: int = 0
    gaps: list[str] = field(default_factory=list)
    truncated: bool = False
    node_count: int = 0  # the records in the product's chain
    drawn_count: int = 0  # of them, the records drawn


# A link's columns a product's chain reads (plain values: thousands of links at size).
_LINK_ENDS = (
    "pk",
    "source_facility_id",
    "source_supplier_id",
    "target_facility_id",
    "target_supplier_id",
    "target_importer",
    "material_id",
    "product_id",
)


def _source_of(facility_id: int | None, supplier_id: int | None) -> NodeKey | None:
    if facility_id:
        return NodeKey.facility(facility_id)
    if supplier_id:
        return NodeKey.supplier(supplier_id)
    return None


def _target_of(facility_id: int | None, supplier_id: int | None, importer: bool) -> NodeKey:
    if importer:
        return IMPORTER
    if facility_id:
        return NodeKey.facility(facility_id)
    return NodeKey.supplier(supplier_id or 0)


def product_chain(product: Product, *, max_depth: int = 8) -> ChainMap:
    org_id = product.organization_id
    links = active_links(org_id).order_by()
    first = [
        ChainEdge(
            _source_of(facility_id, supplier_id) or NodeKey.unknown(pk),
            IMPORTER,
            NodeKey.product(product.pk),
            pk,
        )
        for pk, facility_id, supplier_id in links.filter(
            target_importer=True, product=product
        ).values_list("pk", "source_facility_id", "source_supplier_id")
    ]
    inputs = product_input_keys(product) or None
    into: dict[NodeKey, list[ChainEdge]] = defaultdict(list)
    unknown: list[tuple[int, NodeKey, NodeKey]] = []  # (link, node, item), in links' order
    frontier = {e.source for e in first if e.source.kind is not NodeKind.UNKNOWN}
    done: set[NodeKey] = set()
    for round_ in range(max_depth):
        # Into the first tier, only what the bill of materials says goes into the product
        # is followed (upstream_map): the rest is not walked further either.
        only = inputs if round_ == 0 else None
        wanted = frontier - done
        if not wanted:
            break
        done |= wanted
        facility_ids = ids_of(wanted, NodeKind.FACILITY)
        supplier_ids = ids_of(wanted, NodeKind.SUPPLIER)
        arriving = links.filter(
            Q(target_facility__in=facility_ids) | Q(target_supplier__in=supplier_ids)
        ).values_list(*_LINK_ENDS)
        frontier = set()
        for (
            pk,
            s_facility,
            s_supplier,
            t_facility,
            t_supplier,
            importer,
            material,
            made,
        ) in arriving:
            target = _target_of(t_facility, t_supplier, importer)
            item = _item(material, made)
            source = _source_of(s_facility, s_supplier)
            if source is None:
                unknown.append((pk, target, item))
                continue
            if only is not None and item not in only:
                continue
            into[target].append(ChainEdge(source, target, item, pk))
            frontier.add(source)
    gaps = [(target, item) for _, target, item in sorted(unknown)]
    return upstream_map(first, into, inputs=inputs, unknown_sources=gaps, max_depth=max_depth)


# A map draws at most this many records of a product's chain (a thousand boxes help no
# one and took a second to draw); beyond, the riskiest reachable ones (``_drawn``).
MAP_DRAWN_UP_TO = 250


def _drawn(chain: ChainMap, organization_id: int) -> set[NodeKey]:
    """The records of ``chain`` to draw: all of them up to MAP_DRAWN_UP_TO; beyond, from
    the importer upstream, always the riskiest record that supplies one already drawn
    (by current score, then nearest tier), so that every drawn record has its path to
    the product drawn and the riskiest branches come first."""
    if len(chain.depth) <= MAP_DRAWN_UP_TO:
        return set(chain.depth)
    scores = risk_scores(organization_id, chain.depth)
    sources: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for edge in chain.edges:
        if edge.source in chain.depth:
            sources[edge.target].append(edge.source)
    waiting: list[tuple[float, int, int, NodeKey]] = []
    order = 0

    def offer(target: NodeKey) -> None:
        nonlocal order
        for source in sources.get(target, ()):
            risk = scores.get(source)
            order += 1
            heapq.heappush(
                waiting, (-(risk.score if risk else 0.0), chain.depth[source], order, source)
            )

    drawn: set[NodeKey] = set()
    offer(IMPORTER)
    while waiting and len(drawn) < MAP_DRAWN_UP_TO:
        node = heapq.heappop(waiting)[3]
        if node not in drawn:
            drawn.add(node)
            offer(node)
    return drawn


def product_map(product: Product) -> ProductMap:
    """The product's chain placed for drawing: nodes with labels, edges, unknown gaps."""
    from django.urls import reverse

    chain = product_chain(product)
    drawn = _drawn(chain, product.organization_id)
    facility_ids = ids_of(drawn, NodeKind.FACILITY)
    supplier_ids = ids_of(drawn, NodeKind.SUPPLIER)
    facilities = Facility.objects.filter(pk__in=facility_ids).select_related("supplier").in_bulk()
    suppliers = Supplier.objects.filter(pk__in=supplier_ids).in_bulk()
    material_names = dict(
        Material.objects.filter(organization_id=product.organization_id).values_list("pk", "name")
    )
    product_names = dict(
        Product.objects.filter(organization_id=product.organization_id).values_list("pk", "name")
    )

    def item_label(item: NodeKey) -> str:
        names = material_names if item.kind is NodeKind.MATERIAL else product_names
        return names.get(item.id, str(item))

    depth = {IMPORTER: 0, **chain.depth}
    nodes: dict[NodeKey, MapNode] = {
        IMPORTER: MapNode(IMPORTER, "Importer", product.name, "US", "", [], kind="importer"),
    }
    for node in chain.depth:
        if node not in drawn:
            continue
        if node.kind is NodeKind.FACILITY and node.id in facilities:
            f = facilities[node.id]
            flags = []
            if f.in_xinjiang:
                flags.append("Xinjiang")
            if f.dprk_workers == "present":
                flags.append("North Korean workers")
            elif f.dprk_workers == "unknown":
                flags.append("North Korean workers not ruled out")
            nodes[node] = MapNode(
                node,
                f.name[:34],
                (f.supplier.legal_name[:34] if f.supplier else f.get_kind_display()),
                f.country,
                reverse("suppliers:facility", args=[f.pk]),
                flags,
            )
        elif node.kind is NodeKind.SUPPLIER and node.id in suppliers:
            s = suppliers[node.id]
            nodes[node] = MapNode(
                node,
                s.legal_name[:34],
                "site not known",
                s.country,
                reverse("suppliers:supplier", args=[s.pk]),
                ["site unknown"],
            )
    edges = [(e.source, e.target) for e in chain.edges if e.source in nodes and e.target in nodes]
    gap_labels = []
    for index, (into, item) in enumerate(chain.gaps):
        if into is not None and into in depth and into not in nodes:
            label = f"Unknown origin: {item_label(item)}"
            gap_labels.append(f"{label} (into a record not drawn)")
            continue  # listed below the map, not drawn
        gap = NodeKey(NodeKind.GAP, index)
        feeds = into if into is not None and into in depth else IMPORTER
        depth[gap] = depth[feeds] + 1
        label = f"Unknown origin: {item_label(item)}"
        nodes[gap] = MapNode(
            gap, label[:34], "upstream not mapped", "", "", ["unknown"], kind="gap"
        )
        edges.append((gap, feeds))
        gap_labels.append(label + (f" (into {nodes[feeds].label})" if feeds != IMPORTER else ""))
    placed = layered({n: depth[n] for n in nodes}, edges)
    result = ProductMap(
        width=placed.width,
        height=placed.height,
        gaps=gap_labels,
        truncated=chain.truncated,
        node_count=len(chain.depth),
        drawn_count=len(nodes) - 1 - sum(1 for n in nodes if n.kind is NodeKind.GAP),
    )
    for map_node in nodes.values():
        position = placed.nodes[map_node.node]
        map_node.x, map_node.y = position.x, position.y
        result.nodes.append(map_node)
    for source, target in edges:
        a, b = placed.nodes[source], placed.nodes[target]
        x1, y1 = a.x + NODE_W, a.y + NODE_H // 2
        x2, y2 = b.x, b.y + NODE_H // 2
        mid = (x1 + x2) // 2
        result.edges.append(
            {
                "path": f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}",
                "gap": source.kind is NodeKind.GAP,
                "source": source,
                "target": target,
                "on_path": False,
            }
        )
    return result
