"""Placing a supply-chain map on a page: one column per tier, raw materials on the left,
the importer on the right, nodes ordered to keep edges from crossing (barycentre)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from chainproof.domain.nodes import NodeKey

NODE_W = 210
NODE_H = 62
GAP_X = 56
GAP_Y = 18
MARGIN = 20


@dataclass(frozen=True)
class Placed:
    node: NodeKey
    column: int
    x: int
    y: int


@dataclass(frozen=True)
class MapLayout:
    """Every node placed, and the size of the drawing."""

    nodes: dict[NodeKey, Placed]
    width: int
    height: int


def layered(depth: Mapping[NodeKey, int], edges: Iterable[tuple[NodeKey, NodeKey]]) -> MapLayout:
    """``depth`` 0 is the importer (rightmost); deeper tiers go left."""
    edge_list = [(s, t) for s, t in edges if s in depth and t in depth]
    max_depth = max(depth.values(), default=0)
    columns: dict[int, list[NodeKey]] = defaultdict(list)
    for node, d in depth.items():
        columns[d].append(node)
    downstream: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for source, target in edge_list:
        downstream[source].append(target)
    order: dict[NodeKey, float] = {}
    for d in range(max_depth + 1):
        nodes = sorted(columns.get(d, []))
        if d > 0:
            nodes.sort(
                key=lambda n: (
                    sum(order.get(t, 0.0) for t in downstream[n]) / max(1, len(downstream[n])),
                    n,
                )
            )
        for index, node in enumerate(nodes):
            order[node] = float(index)
        columns[d] = nodes
    tallest = max((len(v) for v in columns.values()), default=1)
    height = MARGIN * 2 + tallest * (NODE_H + GAP_Y)
    placed = {}
    for d, nodes in columns.items():
        x = MARGIN + (max_depth - d) * (NODE_W + GAP_X)
        offset = (tallest - len(nodes)) * (NODE_H + GAP_Y) // 2
        for index, node in enumerate(nodes):
            y = MARGIN + offset + index * (NODE_H + GAP_Y)
            placed[node] = Placed(node, d, x, y)
    width = MARGIN * 2 + (max_depth + 1) * (NODE_W + GAP_X) - GAP_X
    return MapLayout(placed, width, height)


def risk_path(
    start: NodeKey,
    inputs: Mapping[NodeKey, Iterable[NodeKey]],
    score: Mapping[NodeKey, float],
    own: Mapping[NodeKey, float],
    *,
    always_follow: Iterable[NodeKey] = (),
) -> list[NodeKey]:
    """The chain from ``start`` up to the node that sets its score, ``start`` first.

    The risk engine gives a node the higher of its own points and its riskiest input's
    score (decayed per tier); so while a node's score is above its own points, the score
    came from its riskiest input, and the path goes on there (the higher score wins, ties
    go to the lower node key, as in the engine). It stops at the node whose own points set
    its score, at a node without scored inputs, or where it would come back on itself.
    A node in ``always_follow`` (the importer: its score is the product's) is followed to
    its riskiest input whatever its own points."""
    follow = set(always_follow)
    path = [start]
    seen = {start}
    current = start
    while True:
        here = score.get(current)
        explained_upstream = here is not None and here > own.get(current, 0.0)
        if current not in follow and not explained_upstream:
            break
        candidates = [
            node
            for node in inputs.get(current, ())
            if node not in seen and score.get(node, 0.0) > 0
        ]
        if not candidates:
            break
        current = min(candidates, key=lambda node: (-score[node], node))
        path.append(current)
        seen.add(current)
    return path
