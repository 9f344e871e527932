"""Typed keys for the nodes of the supply-chain graph.

A node is a supplier, a facility (worksite), a product, a material, the importer itself,
or an unknown origin. Code passes :class:`NodeKey` values around; the text form
(``"f:12"``, ``"importer"``) exists only where a key crosses into JSON (job parameters,
API payloads, stored explanations) and is read back with :meth:`NodeKey.parse`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple


class NodeKind(StrEnum):
    SUPPLIER = "s"
    FACILITY = "f"
    PRODUCT = "p"
    MATERIAL = "m"
    IMPORTER = "importer"
    UNKNOWN = "?"
    GAP = "gap"  # a drawn placeholder for an input of unknown origin

    @property
    def type_name(self) -> str:
        """The word stored in ``node_type`` columns and shown in URLs ("facility")."""
        return _TYPE_NAMES[self]

    @classmethod
    def from_type_name(cls, name: str) -> NodeKind:
        try:
            return _KINDS_BY_TYPE_NAME[name]
        except KeyError:
            raise ValueError(f"not a node type: {name!r}") from None


_TYPE_NAMES = {
    NodeKind.SUPPLIER: "supplier",
    NodeKind.FACILITY: "facility",
    NodeKind.PRODUCT: "product",
    NodeKind.MATERIAL: "material",
    NodeKind.IMPORTER: "importer",
    NodeKind.UNKNOWN: "unknown",
    NodeKind.GAP: "gap",
}
_KINDS_BY_TYPE_NAME = {name: kind for kind, name in _TYPE_NAMES.items()}
# Model class names (``Supplier``) that map to a node kind, for NodeKey.of.
_KINDS_BY_MODEL = {
    "supplier": NodeKind.SUPPLIER,
    "facility": NodeKind.FACILITY,
    "product": NodeKind.PRODUCT,
    "material": NodeKind.MATERIAL,
}


class NodeKey(NamedTuple):
    kind: NodeKind
    id: int

    def __str__(self) -> str:
        if self.kind is NodeKind.IMPORTER:
            return NodeKind.IMPORTER.value
        return f"{self.kind.value}:{self.id}"

    def __repr__(self) -> str:
        return f"NodeKey({self})"

    @property
    def type_name(self) -> str:
        return self.kind.type_name

    @classmethod
    def parse(cls, text: str) -> NodeKey:
        """Read the text form back; a malformed key is a ValueError naming it."""
        if text == NodeKind.IMPORTER.value:
            return IMPORTER
        prefix, sep, number = text.partition(":")
        try:
            kind = NodeKind(prefix)
            if not sep or kind is NodeKind.IMPORTER:
                raise ValueError
            return cls(kind, int(number))
        except ValueError:
            raise ValueError(f"not a node key: {text!r}") from None

    @classmethod
    def of(cls, obj: object) -> NodeKey:
        """The key of a stored supplier, facility, product or material."""
        kind = _KINDS_BY_MODEL.get(type(obj).__name__.lower())
        pk = getattr(obj, "pk", None)
        if kind is None or not isinstance(pk, int):
            raise ValueError(f"{type(obj).__name__} is not a stored graph node")
        return cls(kind, pk)

    @classmethod
    def of_type(cls, type_name: str, pk: int) -> NodeKey:
        """From a ``node_type`` column value ("supplier") and an id."""
        return cls(NodeKind.from_type_name(type_name), pk)

    @classmethod
    def supplier(cls, pk: int) -> NodeKey:
        return cls(NodeKind.SUPPLIER, pk)

    @classmethod
    def facility(cls, pk: int) -> NodeKey:
        return cls(NodeKind.FACILITY, pk)

    @classmethod
    def product(cls, pk: int) -> NodeKey:
        return cls(NodeKind.PRODUCT, pk)

    @classmethod
    def material(cls, pk: int) -> NodeKey:
        return cls(NodeKind.MATERIAL, pk)

    @classmethod
    def unknown(cls, pk: int) -> NodeKey:
        return cls(NodeKind.UNKNOWN, pk)


IMPORTER = NodeKey(NodeKind.IMPORTER, 0)


def ids_of(nodes: Iterable[NodeKey], kind: NodeKind) -> list[int]:
    """The ids of the nodes of one kind, in order."""
    return [node.id for node in nodes if node.kind is kind]


def parse_all(texts: Iterable[str]) -> set[NodeKey]:
    return {NodeKey.parse(text) for text in texts}


def format_all(nodes: Iterable[NodeKey]) -> list[str]:
    """Sorted text forms, for JSON."""
    return [str(node) for node in sorted(set(nodes))]
