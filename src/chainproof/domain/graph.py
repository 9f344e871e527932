"""The supply-chain graph: tiers computed from links, cycles, and a product's upstream map.

Nodes are :class:`~chainproof.domain.nodes.NodeKey` values (facility, supplier, product,
material, ``IMPORTER``). A link is
an edge from the node that ships to the node that receives. Tier 1 is whoever ships
to the importer; tier n+1 ships to tier n. A supplier is at least as close as the
closest facility it operates. Nodes nobody reaches from the importer have no tier.
Cycles (A ships to B, B ships to A) are reported, never followed forever.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chainproof.domain.nodes import IMPORTER, NodeKey

__all__ = ["IMPORTER", "ChainEdge", "ChainMap", "TierResult", "compute_tiers", "upstream_map"]


@dataclass(frozen=True)
class TierResult:
    tiers: dict[NodeKey, int]
    cycles: list[list[NodeKey]]

    def tier_of(self, node: NodeKey) -> int | None:
        return self.tiers.get(node)


def compute_tiers(
    edges: Iterable[tuple[NodeKey, NodeKey]],
    *,
    operators: Mapping[NodeKey, NodeKey] | None = None,
    root: NodeKey = IMPORTER,
) -> TierResult:
    """Shortest tier of every node reachable upstream from ``root``.

    ``operators`` maps a facility node to the supplier node that operates it; the
    supplier is then at most as far as its facility (an edge of length 0).
    """
    upstream: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    edge_list = list(edges)
    for source, target in edge_list:
        upstream[target].append(source)
    zero: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for facility, supplier in (operators or {}).items():
        zero[facility].append(supplier)

    tiers: dict[NodeKey, int] = {root: 0}
    queue: deque[NodeKey] = deque([root])
    while queue:
        node = queue.popleft()
        tier = tiers[node]
        for other in zero.get(node, ()):
            if tiers.get(other, tier + 1) > tier:
                tiers[other] = tier
                queue.appendleft(other)
        for source in upstream.get(node, ()):
            if source not in tiers or tiers[source] > tier + 1:
                tiers[source] = tier + 1
                queue.append(source)
    del tiers[root]
    return TierResult(tiers=tiers, cycles=find_cycles(edge_list))


def find_cycles(edges: Iterable[tuple[NodeKey, NodeKey]]) -> list[list[NodeKey]]:
    """Strongly connected components with more than one node, or a node linked to itself.

    Iterative Tarjan, so a long chain cannot exhaust the recursion limit.
    """
    graph: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    self_loops: set[NodeKey] = set()
    for source, target in edges:
        graph[source].append(target)
        if source == target:
            self_loops.add(source)
    index: dict[NodeKey, int] = {}
    low: dict[NodeKey, int] = {}
    on_stack: set[NodeKey] = set()
    stack: list[NodeKey] = []
    components: list[list[NodeKey]] = []
    counter = 0
    for start in list(graph):
        if start in index:
            continue
        work: list[tuple[NodeKey, int]] = [(start, 0)]
        while work:
            node, child_index = work.pop()
            if child_index == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph.get(node, [])
            if child_index < len(children):
                work.append((node, child_index + 1))
                child = children[child_index]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in self_loops:
                    components.append(sorted(component))
    return sorted(components)


@dataclass(frozen=True)
class ChainEdge:
    source: NodeKey
    target: NodeKey
    item: NodeKey
    ref: int = 0


@dataclass
class ChainMap:
    """A product's upstream: each node's depth (1 = ships to the importer), the edges,
    and the gaps where an input's origin is not known."""

    depth: dict[NodeKey, int] = field(default_factory=dict)
    edges: list[ChainEdge] = field(default_factory=list)
    gaps: list[tuple[NodeKey | None, NodeKey]] = field(default_factory=list)  # None: nowhere
    truncated: bool = False


def upstream_map(
    first: Iterable[ChainEdge],
    into: Mapping[NodeKey, list[ChainEdge]],
    *,
    inputs: set[NodeKey] | None = None,
    unknown_sources: Iterable[tuple[NodeKey, NodeKey]] = (),
    max_depth: int = 12,
) -> ChainMap:
    """Walk upstream from the edges that deliver a product to the importer.

    ``into`` gives, for a node, the edges that arrive at it. With ``inputs`` (the
    product's bill of materials, flattened), only edges carrying one of those items are
    followed into the tier-1 sites; further upstream every edge is followed.
    ``unknown_sources`` are explicit "origin unknown" markers (node, item). An input of the
    bill that arrives nowhere in the map is a gap too.
    """
    chain = ChainMap()
    queue: deque[NodeKey] = deque()
    for edge in first:
        chain.edges.append(edge)
        if edge.source not in chain.depth:
            chain.depth[edge.source] = 1
            queue.append(edge.source)
    seen_edges = {(e.source, e.target, e.item) for e in chain.edges}
    items_arriving: set[NodeKey] = set()
    while queue:
        node = queue.popleft()
        depth = chain.depth[node]
        for edge in into.get(node, ()):
            if depth == 1:
                # The bill of materials says what goes into the product at the tier-1
                # site; deeper sites' inputs are followed whatever they carry.
                if inputs is not None and edge.item not in inputs:
                    continue
                items_arriving.add(edge.item)
            key = (edge.source, edge.target, edge.item)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            chain.edges.append(edge)
            if edge.source in chain.depth:
                continue  # already placed: a shorter path, or a cycle
            if depth >= max_depth:
                chain.truncated = True
                continue
            chain.depth[edge.source] = depth + 1
            queue.append(edge.source)
    for node, item in unknown_sources:
        if node in chain.depth and (node, item) not in chain.gaps:
            chain.gaps.append((node, item))
    if inputs and chain.depth:
        for item in sorted(inputs - items_arriving):
            if not any(gap_item == item for _, gap_item in chain.gaps):
                chain.gaps.append((None, item))
    return chain
