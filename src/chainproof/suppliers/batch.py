"""Writing many supply-chain records at once (imports): the bulk form of the services.

A caller (the importer) plans :class:`RecordChange` objects from validated values; the
``*_save_many`` functions check them against the record specifications again, refuse
records that changed since they were planned, write with ``chainproof.bulk`` (an
internal detail: executemany instead of one ORM save per row) and write one audit event
per record. Call inside the transaction that planned the changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from chainproof.audit.services import audit_record_many
from chainproof.bulk import insert, new_instance, update
from chainproof.domain.records import (
    FACILITY,
    LINK,
    MATERIAL,
    PRODUCT,
    SUPPLIER,
    RecordSpec,
    SpecError,
    normalise_identifier,
)
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)

Identifier = tuple[str, str, str]  # scheme, value, label
BomLine = tuple[int | None, str | None, Decimal | None]  # material id, component SKU, share


@dataclass
class RecordChange:
    """What writing one row does to one record, each part an attribute of its own."""

    row: int
    obj: Any  # the stored record, or a new unsaved instance
    created: bool
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # attname: (before, after)
    label: str = ""
    identifiers: list[Identifier] | None = None  # replace the identifiers with these
    identifiers_before: list[Identifier] = field(default_factory=list)
    parent: Any = None  # the supplier to become the parent (stored or planned in this file)
    inputs: list[BomLine] | None = None  # replace the bill of materials with this
    inputs_before: list[BomLine] = field(default_factory=list)
    planned_updated_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.created and self.planned_updated_at is None:
            self.planned_updated_at = self.obj.updated_at

    @property
    def changed(self) -> bool:
        return (
            self.created
            or bool(self.fields)
            or self.identifiers is not None
            or self.parent is not None
            or self.inputs is not None
        )

    def __str__(self) -> str:
        return self.label or str(self.obj)


class StaleRecords(Exception):
    """Records changed after the changes to them were planned; nothing was written."""

    def __init__(self, changes: list[RecordChange]) -> None:
        self.changes = changes
        super().__init__(f"{len(changes)} records changed since they were planned")


_PLAIN = frozenset({str, int, bool, type(None)})


def show(value: Any) -> Any:
    """A value as plain JSON, for reports and audit rows."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _identifier_texts(items: Iterable[Identifier]) -> list[str]:
    return sorted(f"{scheme}:{value}" for scheme, value, _ in items)


def _bom_texts(lines: Iterable[BomLine], names: dict[int, str]) -> list[str]:
    return [
        f"{'sku:' + c if c else names.get(m or 0, str(m))}={'' if s is None else show(s)}"
        for m, c, s in lines
    ]


# --- the common part ---------------------------------------------------------------------


def _check(spec: RecordSpec, changes: list[RecordChange]) -> None:
    """The same checks as the one-record services, on what will be stored."""
    checked = [name for name in spec.fields if name in spec.normalisers or name in spec.choices]
    for change in changes:
        values = {n: change.fields[n][1] for n in checked if n in change.fields}
        try:
            spec.normalise(values)
        except SpecError as exc:
            raise ValidationError({exc.field: f"row {change.row}: {exc}"}) from None
        for scheme, value, _ in change.identifiers or []:
            try:
                normalise_identifier(scheme, value)
            except SpecError as exc:
                raise ValidationError({exc.field: f"row {change.row}: {exc}"}) from None


def _refuse_stale(model: type[models.Model], changes: list[RecordChange]) -> None:
    """Lock the records about to be updated and refuse any changed since planning."""
    planned = {c.obj.pk: c for c in changes if not c.created}
    pks = list(planned)
    stale = []
    for start in range(0, len(pks), 900):
        for pk, updated_at in (
            model._default_manager.select_for_update()
            .filter(pk__in=pks[start : start + 900])
            .values_list("pk", "updated_at")
        ):
            if updated_at != planned[pk].planned_updated_at:
                stale.append(planned[pk])
    if stale:
        raise StaleRecords(sorted(stale, key=lambda c: c.row))


def _write(model: type[models.Model], changes: list[RecordChange], now: datetime) -> None:
    new = [c.obj for c in changes if c.created]
    for obj in new:
        obj.created_at = obj.updated_at = now
    insert(new)
    by_columns: dict[tuple[str, ...], list[Any]] = defaultdict(list)
    for change in changes:
        if change.created:
            continue
        for name, (_, value) in change.fields.items():
            change.obj.__dict__[name] = value
        change.obj.updated_at = now
        by_columns[(*sorted(change.fields), "updated_at")].append(change.obj)
    for columns, objects in by_columns.items():
        update(objects, columns)  # only the columns that changed: nothing else is rewritten


def _audit(
    spec: RecordSpec,
    model: type[models.Model],
    organization_id: int,
    actor: Any,
    changes: list[RecordChange],
    more: Any = None,
) -> None:
    object_type = model._meta.label_lower
    created_action, updated_action = f"{spec.kind}.created", f"{spec.kind}.updated"

    def entries() -> Iterator[dict[str, Any]]:  # read as they are written: memory stays flat
        plain = _PLAIN
        for change in changes:
            fields = change.fields
            # show() of each value, called only for what is not plain JSON already
            before = (
                None
                if change.created
                else {k: a if type(a) in plain else show(a) for k, (a, _) in fields.items()}
            )
            after = {k: b if type(b) in plain else show(b) for k, (_, b) in fields.items()}
            if more is not None:
                extra_before, extra_after = more(change)
                if before is not None:
                    before |= extra_before
                after |= extra_after
            yield {
                "action": created_action if change.created else updated_action,
                "object_type": object_type,
                "object_id": change.obj.pk,
                "object_repr": str(change),
                "before": before,
                "after": after,
            }

    audit_record_many(organization=organization_id, actor=actor, entries=entries(), plain_json=True)


def _save_many(
    spec: RecordSpec,
    model: type[models.Model],
    organization_id: int,
    actor: Any,
    changes: list[RecordChange],
    normalised: bool = False,
) -> list[RecordChange]:
    """Write the changes; ``normalised`` promises every value was read through the
    record's specification already (an import's planner does), which skips reading them
    again."""
    changes = [c for c in changes if c.changed]
    if not normalised:
        _check(spec, changes)
    _refuse_stale(model, changes)
    _write(model, changes, timezone.now())
    return changes


# --- per kind ----------------------------------------------------------------------------


def supplier_save_many(
    *, organization_id: int, actor: Any, changes: list[RecordChange], normalised: bool = False
) -> int:
    """Create and update suppliers, their identifiers and parents."""
    changes = _save_many(SUPPLIER, Supplier, organization_id, actor, changes, normalised)
    parents_before = {c.obj.pk: c.obj.parent_id for c in changes if c.parent is not None}
    with_parent = [c for c in changes if c.parent is not None]
    for change in with_parent:
        change.obj.parent_id = change.parent.pk
    update([c.obj for c in with_parent], ["parent_id"])
    with_ids = [c for c in changes if c.identifiers is not None]
    SupplierIdentifier.objects.filter(
        supplier_id__in=[c.obj.pk for c in with_ids if not c.created]
    ).delete()
    insert(
        [
            new_instance(
                SupplierIdentifier,
                {
                    "organization_id": organization_id,
                    "supplier_id": c.obj.pk,
                    "scheme": scheme,
                    "value": value,
                    "label": label,
                },
            )
            for c in with_ids
            for scheme, value, label in c.identifiers or []
        ]
    )

    def more(change: RecordChange) -> tuple[dict[str, Any], dict[str, Any]]:
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if change.identifiers is not None:
            before["identifiers"] = _identifier_texts(change.identifiers_before)
            after["identifiers"] = _identifier_texts(change.identifiers)
        if change.parent is not None:
            before["parent_id"] = parents_before[change.obj.pk]
            after["parent_id"] = change.parent.pk
        return before, after

    _audit(SUPPLIER, Supplier, organization_id, actor, changes, more)
    return len(changes)


def facility_save_many(
    *, organization_id: int, actor: Any, changes: list[RecordChange], normalised: bool = False
) -> int:
    changes = _save_many(FACILITY, Facility, organization_id, actor, changes, normalised)
    _audit(FACILITY, Facility, organization_id, actor, changes)
    return len(changes)


def material_save_many(
    *, organization_id: int, actor: Any, changes: list[RecordChange], normalised: bool = False
) -> int:
    changes = _save_many(MATERIAL, Material, organization_id, actor, changes, normalised)
    _audit(MATERIAL, Material, organization_id, actor, changes)
    return len(changes)


def product_save_many(
    *, organization_id: int, actor: Any, changes: list[RecordChange], normalised: bool = False
) -> int:
    """Create and update products and replace the bills of materials given."""
    changes = _save_many(PRODUCT, Product, organization_id, actor, changes, normalised)
    with_bom = [c for c in changes if c.inputs is not None]
    names: dict[int, str] = {}
    if with_bom:
        skus = {
            sku.casefold(): pk
            for pk, sku in Product.objects.filter(organization_id=organization_id).values_list(
                "pk", "sku"
            )
        }
        names = dict(
            Material.objects.filter(organization_id=organization_id).values_list("pk", "name")
        )
        ProductInput.objects.filter(product_id__in=[c.obj.pk for c in with_bom]).delete()
        ProductInput.objects.bulk_create(
            [
                ProductInput(
                    product_id=c.obj.pk,
                    material_id=material,
                    component_id=skus[component] if component else None,
                    share=share,
                )
                for c in with_bom
                for material, component, share in c.inputs or []
            ]
        )

    def more(change: RecordChange) -> tuple[dict[str, Any], dict[str, Any]]:
        if change.inputs is None:
            return {}, {}
        return (
            {"inputs": _bom_texts(change.inputs_before, names)},
            {"inputs": _bom_texts(change.inputs, names)},
        )

    _audit(PRODUCT, Product, organization_id, actor, changes, more)
    return len(changes)


def link_save_many(
    *, organization_id: int, actor: Any, changes: list[RecordChange], normalised: bool = False
) -> int:
    changes = _save_many(LINK, SupplyLink, organization_id, actor, changes, normalised)
    _audit(LINK, SupplyLink, organization_id, actor, changes)
    return len(changes)
