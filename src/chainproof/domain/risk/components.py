"""Splitting a scoring run by weakly connected component of the supply graph.

Every step of the engine follows edges only between the nodes it is given: own points
read one node's facts, propagation and the presumption checks walk edges whose two ends
are both scored, and the explanations follow those same edges back. So nodes that no edge
joins, directly or through others, never influence one another, and scoring each
component alone gives the same scores, levels, reasons and presumption checks as scoring
the whole graph at once (``tests/unit/test_risk_components.py`` checks it on generated
graphs). A run can then hold one batch of components at a time, and can skip a component
whose inputs and stored results are both as they were.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from hashlib import sha256
from operator import attrgetter
from typing import Any

from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.domain.risk.facts import Edge, NodeFacts


def components(nodes: Iterable[NodeKey], edges: Iterable[Edge]) -> list[list[NodeKey]]:
    """The weakly connected components: each sorted, in the order of their first node.

    Edges with an end outside ``nodes`` join nothing (the engine ignores them too).
    """
    parent: dict[NodeKey, NodeKey] = {node: node for node in nodes}

    def root(node: NodeKey) -> NodeKey:
        top = node
        while parent[top] != top:
            top = parent[top]
        while parent[node] != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    for edge in edges:
        if edge.source in parent and edge.target in parent:
            a, b = root(edge.source), root(edge.target)
            if a != b:
                if b < a:
                    a, b = b, a
                parent[b] = a
    grouped: dict[NodeKey, list[NodeKey]] = {}
    for node in sorted(parent):
        grouped.setdefault(root(node), []).append(node)
    return sorted(grouped.values(), key=lambda members: members[0])


def edges_by_component(
    found: Sequence[Sequence[NodeKey]], edges: Iterable[Edge]
) -> list[list[Edge]]:
    """The edges inside each component (those with an end outside every one are dropped)."""
    where = {node: index for index, members in enumerate(found) for node in members}
    grouped: list[list[Edge]] = [[] for _ in found]
    for edge in edges:
        index = where.get(edge.source)
        if index is not None and edge.target in where:
            grouped[index].append(edge)
    return grouped


def batches(sizes: Sequence[tuple[int, int]], limit: int) -> list[list[int]]:
    """Group (component index, node count) into batches of at most ``limit`` nodes, in
    order; a component larger than the limit is a batch of its own."""
    grouped: list[list[int]] = []
    current: list[int] = []
    count = 0
    for index, size in sizes:
        if current and count + size > limit:
            grouped.append(current)
            current, count = [], 0
        current.append(index)
        count += size
    if current:
        grouped.append(current)
    return grouped


def inputs_digest(
    context: str,
    members: Sequence[NodeKey],
    facts: Mapping[NodeKey, NodeFacts],
    edges: Iterable[Edge],
) -> str:
    """What scoring a component reads, hashed: the run's context (methodology, reference
    data, engine), each node's facts and the edges between them."""
    digest = sha256(context.encode("utf-8"))
    for start in range(0, len(members), 2000):
        digest.update(_encoded([_plain(facts[node]) for node in members[start : start + 2000]]))
    flat = sorted(
        (_CODES[e.source.kind], e.source.id, _CODES[e.target.kind], e.target.id, e.item, e.operates)
        for e in edges
    )
    for start in range(0, len(flat), 5000):
        digest.update(_encoded(flat[start : start + 5000]))
    return digest.hexdigest()


def _encoded(values: list[tuple[Any, ...]]) -> bytes:
    """Plain values as bytes that are the same in every process: marshal's format 2
    (values and their exact types only; from format 3 on, whether an object is shared or
    interned shows too), several times faster than ``repr``; ``repr`` for what marshal
    does not take (a subclass of a plain type), marked apart."""
    try:
        return b"m" + marshal.dumps(values, 2)
    except ValueError:
        return b"r" + repr(values).encode("utf-8")


_CODES = {kind: index for index, kind in enumerate(NodeKind)}
_FACT_FIELDS = tuple(f.name for f in fields(NodeFacts) if f.name != "node")
_FACT_VALUES = attrgetter(*_FACT_FIELDS)  # one call for every field, in that order
# Fields holding records of their own (list matches, signals, inputs of unknown origin),
# by their place in a plain row (after the node's kind and id)
_NESTED = tuple(2 + _FACT_FIELDS.index(n) for n in ("entity_hits", "signals", "unknown_inputs"))


def _plain(facts: NodeFacts) -> tuple[Any, ...]:
    """A node's facts as plain values (records as tuples of their fields, in order)."""
    node = facts.node
    row = (_CODES[node.kind], node.id, *_FACT_VALUES(facts))
    if any(row[at] for at in _NESTED):
        return tuple(
            tuple(_fields_of(record) for record in value) if at in _NESTED else value
            for at, value in enumerate(row)
        )
    return row


def _fields_of(record: Any) -> tuple[Any, ...]:
    return (type(record).__name__, *(getattr(record, f.name) for f in fields(record)))


def state_digest(inputs: str, members: Sequence[NodeKey], stored: Mapping[NodeKey, str]) -> str:
    """A component's inputs together with the fingerprints stored for its nodes: equal
    digests mean the same inputs and the same stored results (any other write to an
    assessment, an incremental re-score for one, changes it)."""
    digest = sha256(inputs.encode("ascii"))
    get = stored.get
    for start in range(0, len(members), 10_000):  # the same bytes, joined a block at a time
        block = members[start : start + 10_000]
        digest.update("".join([get(node, "-") for node in block]).encode("ascii"))
    return digest.hexdigest()


def canonical(value: Any) -> str:
    """A text for ``value`` that is the same in every process: sets and dicts sorted
    (a set's ``repr`` follows string hashing, which differs from one process to the next),
    dataclasses by their fields."""
    return repr(_canonical(value))


def _canonical(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, _canonical(getattr(value, f.name))) for f in fields(value)),
        )
    if isinstance(value, dict):
        return (
            "dict",
            tuple(sorted((repr(_canonical(k)), _canonical(v)) for k, v in value.items())),
        )
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(_canonical(item)) for item in value)))
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return tuple(_canonical(item) for item in value)
    return value
