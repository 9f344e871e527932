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
