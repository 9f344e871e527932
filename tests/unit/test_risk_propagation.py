"""Propagation's queue keeps its order in one integer per entry; the flow is the one a
queue of (score, node) pairs gives: riskiest first, ties in node order."""

import heapq
import random
from collections import defaultdict

import pytest

from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.domain.risk.facts import Edge
from chainproof.domain.risk.propagation import Flow, propagate
from tests.unit.test_risk_engine import M


def _by_pairs(nodes, edges, own, m) -> Flow:
    """The same search with (negated score, node) pairs in the queue."""
    downstream = defaultdict(list)
    for edge in edges:
        if edge.source in nodes and edge.target in nodes:
            downstream[edge.source].append(edge)
    for out in downstream.values():
        out.sort(key=lambda e: (e.target, e.item))
    flow = Flow(best={node: own[node][0] for node in own}, depth=dict.fromkeys(own, 0))
    heap = [(-score, node) for node, score in flow.best.items() if score > 0]
    heapq.heapify(heap)
    while heap:
        negative, node = heapq.heappop(heap)
        if -negative < flow.best[node]:
            continue
        for edge in downstream[node]:
            step = 0 if edge.operates else 1
            if flow.depth[node] + step > m.max_depth:
                continue
            carried = round(-negative * (1.0 if edge.operates else m.decay_per_tier), 2)
            if carried > flow.carried_in.get(edge.target, 0.0):
                flow.carried_in[edge.target] = carried
                flow.via[edge.target] = edge
            if carried > flow.best[edge.target]:
                flow.best[edge.target] = carried
                flow.depth[edge.target] = flow.depth[node] + step
                heapq.heappush(heap, (-carried, edge.target))
    return flow


@pytest.mark.parametrize("seed", range(12))
def test_the_flow_is_the_one_a_queue_of_pairs_gives(seed):
    rng = random.Random(seed)
    kinds = [NodeKind.FACILITY, NodeKind.SUPPLIER, NodeKind.PRODUCT]
    keys = [NodeKey(rng.choice(kinds), i) for i in range(600)]
    rng.shuffle(keys)  # own built in no particular order
    nodes = dict.fromkeys(keys)
    # Many equal scores: the order among them decides which input explains a node.
    points = [0.0, 0.0, 0.0, 10.0, 35.0, 35.0, 20.0, 12.5, 64.0, 100.0]
    own = {key: (rng.choice(points), ()) for key in keys}
    outside = NodeKey.facility(10_000)  # an edge from outside the nodes is left out
    edges = [
        Edge(rng.choice(keys), rng.choice(keys), rng.choice(["cotton", "yarn", ""]))
        for _ in range(2_400)
    ]
    edges += [Edge(rng.choice(keys), rng.choice(keys), operates=True) for _ in range(200)]
    edges.append(Edge(outside, keys[0], "cotton"))
    found, expected = propagate(nodes, edges, own, M), _by_pairs(nodes, edges, own, M)
    assert found.best == expected.best
    assert found.via == expected.via
    assert found.carried_in == expected.carried_in
    assert found.depth == expected.depth
    assert any(found.best[k] > own[k][0] for k in keys)  # risk did travel
    assert any(found.depth[k] > 1 for k in keys)
