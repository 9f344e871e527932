"""Propagation: upstream risk carried downstream, decayed per tier.

A node's score is the higher of its own and its riskiest input's score times the per-tier
decay (a company is as risky as its riskiest site: an ``operates`` edge does not decay).
The best path is found like a widest-path search, so cycles terminate and adding risk
upstream can never lower a score downstream. Ties are broken by node key, which the
engine only sorts and compares, never reads.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from operator import attrgetter

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import Edge, NodeFacts
from chainproof.domain.risk.methodology import Methodology
from chainproof.domain.risk.results import NodeScore, Reason

# node -> (own score, the reasons for it)
OwnPoints = Mapping[NodeKey, tuple[float, Sequence[Reason]]]


@dataclass
class Flow:
    """Where the risk went: each node's best score, its riskiest input edge and depth."""

    best: dict[NodeKey, float]
    via: dict[NodeKey, Edge] = field(default_factory=dict)  # riskiest input, even if own is higher
    carried_in: dict[NodeKey, float] = field(default_factory=dict)  # what that input carries
    depth: dict[NodeKey, int] = field(default_factory=dict)  # tiers up to the risk that sets it
    # where a risk starts -> its three top reasons, which explanations name
    origins: dict[NodeKey, tuple[Reason, ...]] = field(default_factory=dict)


def propagate(
    nodes: Mapping[NodeKey, NodeFacts],
    edges: Sequence[Edge],
    own: OwnPoints,
    m: Methodology,
) -> Flow:
    """Carry every node's score down the edges between ``nodes``, at most ``max_depth`` tiers.

    The riskiest node is carried first, ties in node order. Scores have two decimals, so
    the order is kept in one integer per entry of the queue (hundredths of the score, then
    the node's place in node order): integers compare several times faster than
    (score, node) pairs, and a large graph pushes millions of entries."""
    downstream: dict[NodeKey, list[Edge]] = defaultdict(list)
    for edge in edges:
        if edge.source in nodes and edge.target in nodes:
            downstream[edge.source].append(edge)
    by_target = attrgetter("target", "item")
    for out in downstream.values():
        if len(out) > 1:
            out.sort(key=by_target)

    flow = Flow(best={node: own[node][0] for node in own}, depth=dict.fromkeys(own, 0))
    best, depth, carried_in, via = flow.best, flow.depth, flow.carried_in, flow.via
    order = sorted(own)  # the order own was built in, usually: then one pass
    count = len(order)
    place = dict(zip(order, range(count), strict=True))
    heap = [
        -_hundredths(best[node]) * count + at for at, node in enumerate(order) if best[node] > 0
    ]
    heapq.heapify(heap)
    max_depth, decay = m.max_depth, m.decay_per_tier
    while heap:
        entry = heapq.heappop(heap)
        node = order[entry % count]
        score = best[node]
        if -(entry // count) < _hundredths(score):
            continue  # a higher score reached this node after this entry was queued
        for edge in downstream.get(node, ()):
            step = 0 if edge.operates else 1
            if depth[node] + step > max_depth:
                continue
            target = edge.target
            carried = round(score * (1.0 if edge.operates else decay), 2)
            if carried > carried_in.get(target, 0.0):
                carried_in[target] = carried
                via[target] = edge
            if carried > best[target]:
                best[target] = carried
                depth[target] = depth[node] + step
                heapq.heappush(heap, -_hundredths(carried) * count + place[target])
    return flow


def _hundredths(score: float) -> int:
    return round(score * 100)


def node_scores(
    nodes: Mapping[NodeKey, NodeFacts],
    own: OwnPoints,
    flow: Flow,
    m: Methodology,
    *,
    skip: Set[NodeKey] = frozenset(),
) -> dict[NodeKey, NodeScore]:
    """Each node's final score and level, its own reasons and, where it matters, the upstream
    one. Nodes in ``skip`` (already scored elsewhere) are left out."""
    return {
        node: node_score(node, nodes, own, flow, m) for node in sorted(nodes) if node not in skip
    }


def node_score(
    node: NodeKey,
    nodes: Mapping[NodeKey, NodeFacts],
    own: OwnPoints,
    flow: Flow,
    m: Methodology,
) -> NodeScore:
    """One node's final score and level, its own reasons and, where it matters, the upstream
    one (a run that writes as it goes asks for each in turn and keeps none)."""
    own_score, reasons = own[node]
    final = flow.best[node]
    came_from = flow.via.get(node)
    all_reasons = list(reasons)
    incoming = flow.carried_in.get(node, 0.0)
    # The riskiest input is explained when it sets the score, and also when the node's
    # own points are higher but the input is still of concern (medium or worse).
    if came_from is not None and (incoming >= own_score or incoming >= m.levels[1][1]):
        all_reasons.append(
            upstream_reason(
                came_from, nodes, own, flow, m, incoming, sets_score=incoming >= own_score
            )
        )
    return NodeScore(
        node,
        final,
        m.level_of(final),
        own_score,
        tuple(all_reasons),
        came_from.source if came_from and final > own_score else None,
        flow.depth[node],
    )


def upstream_reason(
    edge: Edge,
    nodes: Mapping[NodeKey, NodeFacts],
    own: OwnPoints,
    flow: Flow,
    m: Methodology,
    final: float,
    *,
    sets_score: bool = True,
) -> Reason:
    """'Upstream: polysilicon from Tianshan Shihezi Plant (CN), 3 tiers up: Worksite in
    Xinjiang ...' -- following the best path back to where the risk starts."""
    best, via = flow.best, flow.via
    path = [edge]
    seen = {edge.target}
    current = edge.source
    while current in via and current not in seen and best[current] > own[current][0]:
        seen.add(current)
        path.append(via[current])
        current = via[current].source
    origin = nodes[current]
    tiers = sum(0 if e.operates else 1 for e in path)
    ranked = flow.origins.get(current)
    if ranked is None:  # the reasons of the site where the risk starts, ranked once
        ranked = flow.origins[current] = tuple(
            sorted(own[current][1], key=lambda r: (-r.points, r.factor))[:3]
        )
    summary = ": " + "; ".join(r.evidence for r in ranked) if ranked else ""
    source = ranked[0].source if ranked else "supply chain data"
    item = path[-1].item  # what leaves the site where the risk starts
    first = nodes[edge.source]
    how = "operates" if edge.operates else f"supplies {edge.item or 'an input'}"
    arithmetic = (
        f" (score {best[current]:g} x {m.decay_per_tier:g}^{tiers} = {final:g}"
        + ("" if sets_score else "; its own points are higher")
        + ")"
    )
    place = f"{origin.name}{' (' + origin.country + ')' if origin.country else ''}"
    if tiers == 0:  # a company and the worksite it operates
        evidence = f"Its worksite {place}{summary}" + (
            "" if sets_score else " (its own points are higher)"
        )
    else:
        evidence = (
            f"Upstream: {item + ' from ' if item else ''}{place}"
            f", {tiers} tier{'s' if tiers != 1 else ''} up"
            + (f" via {first.name} which {how}" if first.node != origin.node else "")
            + summary
            + arithmetic
        )
    return Reason("upstream", evidence, final, source)
