"""Choosing one supplier, worksite, product or material in a form, at any size.

An organization with a few hundred records of a kind gets them all in the form's menu, as
before. Beyond that a menu of every record is unusable and slow to draw (half a million
suppliers took 23 s), so the menu holds the chosen record and the first ones in the menu's
order, and the page's script (``web/static/chainproof/picker.js``) turns it into a search
box that asks ``suppliers:lookup`` for the records whose name, reference or code holds
what the person types, through the same searches as the lists (trigram indexes on
PostgreSQL). Without the script the menu still works, over the records it holds.

One renderer draws every such menu: form widgets (``RecordSelect``) and the pages written
as plain templates (the ``record_picker`` tag) both call ``picker_html``. A menu of
worksites can be kept to one supplier's (``supplier``: an audit's finding names a worksite
of the supplier audited), the same way at any size: listed, searched and checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from chainproof.domain.names import normalize_name
from chainproof.suppliers.models import Facility, Material, Product, Supplier
from chainproof.suppliers.selectors import facility_list, supplier_list

# An organization with no more records of a kind than this gets all of them in the menu.
LIST_ALL_UP_TO = 300
# Beyond it, the menu holds the chosen record and this many in the menu's order.
FIRST_LISTED = 50
# A search answers with at most this many records (per group for a link's end).
FOUND_LISTED = 20


class PickKind(StrEnum):
    """What a menu chooses; the value is the lookup's URL segment."""

    SUPPLIER = "supplier"
    SUPPLIER_TO_ASK = "supplier-to-ask"  # a supplier, said when it has no contact email
    FACILITY = "facility"
    PRODUCT = "product"
    MATERIAL = "material"
    SOURCE = "source"  # a link's origin: a worksite, or a supplier whose worksite is unknown
    TARGET = "target"  # a link's destination: a worksite or a supplier

    @property
    def noun(self) -> str:
        return _NOUNS[self]


_NOUNS = {
    PickKind.SUPPLIER: "suppliers",
    PickKind.SUPPLIER_TO_ASK: "suppliers",
    PickKind.FACILITY: "worksites",
    PickKind.PRODUCT: "products",
    PickKind.MATERIAL: "materials",
    PickKind.SOURCE: "worksites and suppliers",
    PickKind.TARGET: "worksites and suppliers",
}
# A link's end names its record with a prefix: f:12 a worksite, s:3 a supplier.
END_PREFIX = {"f": Facility, "s": Supplier}
_END_GROUPS = {
    PickKind.SOURCE: ("Worksites", "Suppliers (worksite unknown)"),
    PickKind.TARGET: ("Worksites", "Suppliers"),
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    group: str = ""
    fixed: bool = False  # always offered, whatever is searched ("Origin unknown")


def _supplier_label(s: Supplier, *, to_ask: bool = False) -> str:
    label = f"{s.legal_name} ({s.country})"
    if to_ask and not (s.contact_email or "").strip():
        label += " — no contact email"
    return label


def _facility_label(f: Facility) -> str:
    operator = f", {f.supplier.legal_name}" if f.supplier_id and f.supplier else ""
    return f"{f.name} ({f.country}{operator})"


def _suppliers(organization_id: int, q: str) -> QuerySet[Supplier]:
    return supplier_list(organization_id, q=q).only("pk", "legal_name", "country", "contact_email")


def _facilities(organization_id: int, q: str, supplier: int | None = None) -> QuerySet[Facility]:
    rows = facility_list(organization_id, q=q)
    if supplier is not None:
        rows = rows.filter(supplier_id=supplier)
    return rows.only("pk", "name", "country", "supplier_id", "supplier__legal_name")


def _products(organization_id: int, q: str) -> QuerySet[Product]:
    qs = Product.objects.filter(organization_id=organization_id)
    if q.strip():
        qs = qs.filter(Q(sku__istartswith=q.strip()) | Q(name__icontains=q.strip()))
    return qs.only("pk", "sku", "name").order_by("sku", "pk")


def _materials(organization_id: int, q: str) -> QuerySet[Material]:
    qs = Material.objects.filter(organization_id=organization_id)
    if normalize_name(q):
        qs = qs.filter(normalized_name__contains=normalize_name(q))
    return qs.only("pk", "name").order_by("normalized_name", "pk")


def _ids_first(rows: QuerySet[Supplier], limit: int) -> list[Supplier]:
    """The first ``limit`` of ``rows``: their ids read first, in order, then the rows. A
    search walks the suppliers' name index testing each name; with the ids alone it reads
    the index only ("harbour", 30,000 found among 500,000 suppliers, the first after
    156,000 names: 361 ms reading each row walked, 77 ms from the index)."""
    ids = list(rows.values_list("pk", flat=True)[:limit])
    found = rows.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _listing(
    kind: PickKind, organization_id: int, q: str, limit: int, supplier: int | None = None
) -> list[Choice]:
    """The records of one kind whose text holds ``q`` (all with an empty one), in the
    menu's order, at most ``limit``; worksites only ``supplier``'s when given."""
    if kind in (PickKind.SUPPLIER, PickKind.SUPPLIER_TO_ASK):
        to_ask = kind is PickKind.SUPPLIER_TO_ASK
        return [
            Choice(str(s.pk), _supplier_label(s, to_ask=to_ask))
            for s in _ids_first(_suppliers(organization_id, q), limit)
        ]
    if kind is PickKind.FACILITY:
        return [
            Choice(str(f.pk), _facility_label(f))
            for f in _facilities(organization_id, q, supplier)[:limit]
        ]
    if kind is PickKind.PRODUCT:
        return [
            Choice(str(p.pk), f"{p.sku} {p.name}") for p in _products(organization_id, q)[:limit]
        ]
    if kind is PickKind.MATERIAL:
        return [Choice(str(m.pk), m.name) for m in _materials(organization_id, q)[:limit]]
    worksites, suppliers = _END_GROUPS[kind]
    return [
        Choice(f"f:{f.pk}", _facility_label(f), worksites)
        for f in _facilities(organization_id, q)[:limit]
    ] + [
        Choice(f"s:{s.pk}", _supplier_label(s), suppliers)
        for s in _ids_first(_suppliers(organization_id, q), limit)
    ]


def _models(kind: PickKind) -> tuple[type[Model], ...]:
    return {
        PickKind.SUPPLIER: (Supplier,),
        PickKind.SUPPLIER_TO_ASK: (Supplier,),
        PickKind.FACILITY: (Facility,),
        PickKind.PRODUCT: (Product,),
        PickKind.MATERIAL: (Material,),
    }.get(kind, (Facility, Supplier))


def is_long(organization_id: int, kind: PickKind, supplier: int | None = None) -> bool:
    """Whether the organization (or ``supplier``, for worksites) has more records of the
    kind than a menu lists: read as far as one past the limit through an index, never
    counted."""
    seen = 0
    for model in _models(kind):
        rows = model._default_manager.filter(organization_id=organization_id).order_by()
        if supplier is not None and model is Facility:
            rows = rows.filter(supplier_id=supplier)
        seen += len(rows.values_list("pk", flat=True)[: LIST_ALL_UP_TO + 1 - seen])
        if seen > LIST_ALL_UP_TO:
            return True
    return False


def found(
    organization_id: int, kind: PickKind, q: str, supplier: int | None = None
) -> tuple[list[Choice], bool]:
    """The records a search finds, for the lookup, and whether there are more than
    those listed (the person then types more)."""
    choices = _listing(kind, organization_id, q, FOUND_LISTED + 1, supplier)
    groups: dict[str, list[Choice]] = {}
    for choice in choices:
        groups.setdefault(choice.group, []).append(choice)
    more = any(len(group) > FOUND_LISTED for group in groups.values())
    return [c for group in groups.values() for c in group[:FOUND_LISTED]], more


def chosen(
    organization_id: int, kind: PickKind, values: Iterable[Any], supplier: int | None = None
) -> list[Choice]:
    """The choices for the given values that name the organization's records (a value
    of another organization, of a worksite not ``supplier``'s when given, or none at all,
    is left out)."""
    wanted: dict[type[Model], set[int]] = {}
    for raw in values:
        text = str(raw or "")
        model: type[Model] = _models(kind)[0]
        if kind in (PickKind.SOURCE, PickKind.TARGET):
            prefix, _, text = text.partition(":")
            if prefix not in END_PREFIX:
                continue
            model = END_PREFIX[prefix]
        if text.isdigit():
            wanted.setdefault(model, set()).add(int(text))
    out: list[Choice] = []
    worksites, suppliers = _END_GROUPS.get(kind, ("", ""))
    end = kind in (PickKind.SOURCE, PickKind.TARGET)
    for model, pks in wanted.items():
        rows = model._default_manager.filter(organization_id=organization_id, pk__in=pks)
        if model is Facility:
            rows = rows.select_related("supplier")
            if supplier is not None:
                rows = rows.filter(supplier_id=supplier)
        for row in rows:
            if isinstance(row, Facility):
                value = f"f:{row.pk}" if end else str(row.pk)
                out.append(Choice(value, _facility_label(row), worksites))
            elif isinstance(row, Supplier):
                value = f"s:{row.pk}" if end else str(row.pk)
                label = _supplier_label(row, to_ask=kind is PickKind.SUPPLIER_TO_ASK)
                out.append(Choice(value, label, suppliers))
            elif isinstance(row, Product):
                out.append(Choice(str(row.pk), f"{row.sku} {row.name}"))
            elif isinstance(row, Material):
                out.append(Choice(str(row.pk), row.name))
    return out


@dataclass
class Picker:
    """One menu as drawn: its choices, and, for a long list, where it searches."""

    name: str
    id: str
    kind: PickKind
    choices: list[Choice]
    selected: set[str]
    long: bool
    required: bool = False
    empty_label: str | None = None
    extra: Sequence[tuple[str, Sequence[tuple[str, str]]]] = ()  # fixed groups (Other...)
    attrs: dict[str, Any] = field(default_factory=dict)
    supplier: int | None = None  # worksites of this supplier only

    @property
    def groups(self) -> list[tuple[str, list[Choice]]]:
        out: dict[str, list[Choice]] = {}
        for choice in self.choices:
            out.setdefault(choice.group, []).append(choice)
        for group, pairs in self.extra:
            out.setdefault(group, []).extend(
                Choice(v, label, group, fixed=True) for v, label in pairs
            )
        return list(out.items())

    @property
    def lookup_url(self) -> str:
        if not self.long:
            return ""
        url = reverse("suppliers:lookup", args=[self.kind.value])
        return url if self.supplier is None else f"{url}?{urlencode({'supplier': self.supplier})}"


def picker(
    organization_id: int,
    kind: PickKind,
    *,
    name: str,
    id: str,
    selected: Iterable[Any] = (),
    required: bool = False,
    empty_label: str | None = None,
    extra: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
    attrs: dict[str, Any] | None = None,
    supplier: int | None = None,
) -> Picker:
    """The menu for ``kind`` in the organization, with ``selected`` chosen; a menu of
    worksites holds only ``supplier``'s when given."""
    if supplier is not None and kind is not PickKind.FACILITY:
        raise ValueError("only a menu of worksites is kept to one supplier's")
    long = is_long(organization_id, kind, supplier)
    if long and empty_label is None:
        empty_label = "choose"  # nothing chosen until the person picks from a search
    selected_values = {str(v) for v in selected if v not in (None, "")}
    listed = _listing(kind, organization_id, "", FIRST_LISTED if long else LIST_ALL_UP_TO, supplier)
    have = {c.value for c in listed}
    extra_values = {v for _, pairs in extra for v, _ in pairs}
    missing = [v for v in selected_values if v not in have and v not in extra_values]
    choices = chosen(organization_id, kind, missing, supplier) + listed if missing else listed
    return Picker(
        name=name,
        id=id,
        kind=kind,
        choices=choices,
        selected=selected_values,
        long=long,
        required=required,
        empty_label=empty_label,
        extra=extra,
        attrs=dict(attrs or {}),
        supplier=supplier,
    )


def picker_html(menu: Picker) -> SafeString:
    context = {"picker": menu, "first_listed": FIRST_LISTED, "list_all_up_to": LIST_ALL_UP_TO}
    return SafeString(render_to_string("suppliers/_record_picker.html", context))
