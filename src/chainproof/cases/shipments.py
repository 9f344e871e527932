"""Writing shipments and their lines: one path for the form, the API and the import.

A shipment's fields are checked by the same column parsers as the shipments file
(``domain/cases/shipment_columns.py``), its lines' products, worksites and supply links
are looked up in the organization, and every write is audited in the caller's
transaction. Saving a shipment with lines replaces its lines (a line that a detention case
names is kept and updated, never deleted under the case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.cases.models import Shipment, ShipmentLine
from chainproof.domain.cases.shipment_columns import SHIPMENT_FIELDS, SHIPMENT_LINES
from chainproof.domain.records import ref_key
from chainproof.domain.tabular import FieldError, clip
from chainproof.domain.text import visible_text
from chainproof.suppliers.models import Facility, Product, SupplyLink

COLUMNS = {c.name: c for c in SHIPMENT_LINES.columns}
LINE_FIELDS = (
    "line",
    "product_sku",
    "description",
    "hts_code",
    "quantity",
    "unit",
    "value_usd",
    "origin_country",
    "facility_ref",
    "links",
)


@dataclass
class Problem:
    """One thing wrong: which line (0 for the shipment itself), which field, what was
    expected and what was found."""

    line: int
    field: str
    expected: str
    found: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: expected {self.expected}, found {self.found or 'nothing'}"


@dataclass
class CleanLine:
    number: int
    values: dict[str, Any]
    product: Product | None = None
    facility: Facility | None = None
    link_ids: list[int] = field(default_factory=list)


def parse_fields(
    raw: Mapping[str, Any], names: Iterable[str]
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Typed values of the named fields from what a form or the API sent (text, or values
    already typed); the problems as (field, expected, found)."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str, str]] = []
    for name in names:
        column = COLUMNS[name]
        value = raw.get(name)
        if isinstance(value, list | tuple) and column.is_list:
            value = " | ".join(str(v) for v in value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.required:
                problems.append((name, "a value", ""))
            values[name] = [] if column.is_list else None
            continue
        if not isinstance(value, str):
            value = str(value)
        try:
            values[name] = column.parse(value.strip())
        except FieldError as exc:
            problems.append((name, exc.expected, clip(value)))
    return values, problems


def shipment_values_check(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Whole-shipment checks of typed values; fills in the kind when none was given."""
    if not values.get("kind"):
        values["kind"] = "entry" if values.get("entry_number") else "planned"
    problems = []
    for check in SHIPMENT_LINES.checks:
        problems += check(values)
    return problems


class Resolver:
    """Finds the products, worksites and supply links that lines name, in one organization,
    with a few queries for a whole file."""

    def __init__(self, organization_id: int) -> None:
        self.org = organization_id
        self.products = {
            ref_key(p.sku): p for p in Product.objects.filter(organization_id=organization_id)
        }
        self.facilities = {
            ref_key(f.ref): f
            for f in Facility.objects.filter(organization_id=organization_id).exclude(ref="")
        }
        self._links: dict[int, SupplyLink] | None = None

    def links(self) -> dict[int, SupplyLink]:
        if self._links is None:
            self._links = SupplyLink.objects.filter(organization_id=self.org).in_bulk()
        return self._links

    def line(self, number: int, values: dict[str, Any]) -> tuple[CleanLine, list[Problem]]:
        problems: list[Problem] = []
        line = CleanLine(number, values)
        sku = values.get("product_sku")
        if sku:
            line.product = self.products.get(ref_key(sku))
            if line.product is None:
                problems.append(
                    Problem(number, "product_sku", "the SKU of one of your products", sku)
                )
        site = values.get("facility_ref")
        if site:
            line.facility = self.facilities.get(ref_key(site))
            if line.facility is None:
                problems.append(
                    Problem(number, "facility_ref", "the ref of one of your worksites", site)
                )
        if not (sku or values.get("description")):
            problems.append(Problem(number, "description", "a product SKU or a description", ""))
        given = values.get("links") or []
        links = self.links()
        for pk in given:
            if pk not in links:
                problems.append(Problem(number, "links", "numbers of your supply links", f"#{pk}"))
        line.link_ids = list(dict.fromkeys(given))
        if not given and line.product is not None and line.facility is not None:
            line.link_ids = [
                link.pk
                for link in links.values()
                if link.product_id == line.product.pk
                and link.source_facility_id == line.facility.pk
                and link.target_importer
            ]
        if line.product is not None and not values.get("hts_code") and line.product.hts_code:
            values["hts_code"] = line.product.hts_code
        return line, problems


def _line_fields(line: CleanLine) -> dict[str, Any]:
    v = line.values
    return {
        "product": line.product,
        "description": v.get("description") or (line.product.name if line.product else ""),
        "hts_code": v.get("hts_code") or "",
        "quantity": v.get("quantity"),
        "unit": v.get("unit") or "",
        "value_usd": v.get("value_usd"),
        "origin_country": v.get("origin_country") or "",
        "facility": line.facility,
    }


def _shipment_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {name: values.get(name) for name in SHIPMENT_FIELDS}
    for name in SHIPMENT_FIELDS:
        if out[name] is None and name not in ("arrival_date", "importation_date"):
            out[name] = ""
    out["notes"] = values.get("notes") or ""
    return out


def _duplicate_entry(org: int, values: Mapping[str, Any], shipment: Shipment | None) -> bool:
    number = values.get("entry_number")
    if not number:
        return False
    others = Shipment.objects.filter(organization_id=org, entry_number=number)
    if shipment is not None:
        others = others.exclude(pk=shipment.pk)
    return others.exists()


def _state(shipment: Shipment) -> dict[str, Any]:
    return {
        **snapshot(shipment),
        "lines": [
            {
                **snapshot(line),
                "links": sorted(line.links.values_list("pk", flat=True)),
            }
            for line in shipment.lines.order_by("number")
        ],
    }


def shipment_write(
    *,
    organization: Any,
    actor: Any,
    reference: str,
    values: Mapping[str, Any],
    lines: list[CleanLine] | None,
    shipment: Shipment | None = None,
) -> Shipment:
    """Store checked values (and, when given, the complete list of lines); audited."""
    org = int(getattr(organization, "pk", organization))
    reference = visible_text(reference)  # as it is stored: "A\u200bB" is the shipment AB
    if _duplicate_entry(org, values, shipment):
        number = values["entry_number"]
        raise ValidationError(
            {"entry_number": f"Entry {number} is already another shipment of yours."}
        )
    fields = _shipment_fields(values)
    before = _state(shipment) if shipment is not None else None
    namesakes = Shipment.objects.filter(organization_id=org, reference__iexact=reference)
    if shipment is not None:
        namesakes = namesakes.exclude(pk=shipment.pk)
    if namesakes.exists():
        raise ValidationError({"reference": f"A shipment {reference} exists already."})
    try:
        # A savepoint: the check above compares case-insensitively, the database's unique
        # constraint exactly, and text the two read differently must still be refused in
        # words, never as a server error.
        with transaction.atomic():
            if shipment is None:
                shipment = Shipment.objects.create(
                    organization_id=org,
                    reference=reference,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **fields,
                )
            else:
                for name, value in fields.items():
                    setattr(shipment, name, value)
                shipment.reference = reference
                shipment.updated_at = timezone.now()
                shipment.save()
    except IntegrityError:
        raise ValidationError(
            {"reference": f"A shipment {reference} (or its entry number) exists already."}
        ) from None
    if lines is not None:
        _lines_replace(shipment, lines)
    audit_record(
        action="cases.shipment_saved" if before else "cases.shipment_created",
        actor=actor,
        organization=org,
        obj=shipment,
        before=before,
        after=_state(shipment),
    )
    return shipment


def _lines_replace(shipment: Shipment, lines: list[CleanLine]) -> None:
    existing = {line.number: line for line in shipment.lines.all()}
    wanted = {line.number for line in lines}
    held = [n for n, line in existing.items() if n not in wanted and line.cases.exists()]
    if held:
        raise ValidationError(
            {"lines": f"Line {held[0]} is part of a detention case and cannot be removed."}
        )
    shipment.lines.exclude(number__in=wanted).delete()
    for clean in lines:
        obj = existing.get(clean.number) or ShipmentLine(
            organization_id=shipment.organization_id, shipment=shipment, number=clean.number
        )
        for name, value in _line_fields(clean).items():
            setattr(obj, name, value)
        obj.save()
        obj.links.set(clean.link_ids)


def shipment_save(
    *,
    organization: Any,
    actor: Any,
    data: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]] | None = None,
    shipment: Shipment | None = None,
) -> Shipment:
    """Create or change a shipment from what a form or the API sent (text or typed values);
    ValidationError naming each field (``lines[2].hts_code``) when something is wrong."""
    org = int(getattr(organization, "pk", organization))
    values, problems = parse_fields(data, ("reference", *SHIPMENT_FIELDS, "notes"))
    errors: dict[str, list[str]] = {}
    for name, expected, found in problems + ([] if problems else shipment_values_check(values)):
        errors.setdefault(name, []).append(f"Expected {expected}, found {found or 'nothing'}.")
    clean_lines: list[CleanLine] | None = None
    if lines is not None:
        resolver = Resolver(org)
        clean_lines = []
        seen: set[int] = set()
        for index, raw in enumerate(lines, start=1):
            raw = {**raw}
            raw.setdefault("line", index)
            line_values, line_problems = parse_fields(raw, LINE_FIELDS)
            for name, expected, found in line_problems:
                errors.setdefault(f"lines[{index}].{name}", []).append(
                    f"Expected {expected}, found {found or 'nothing'}."
                )
            if line_problems:
                continue
            number = line_values["line"]
            if number in seen:
                errors.setdefault(f"lines[{index}].line", []).append(
                    f"Expected each line number once, found {number} twice."
                )
            seen.add(number)
            line, resolve_problems = resolver.line(number, line_values)
            for p in resolve_problems:
                errors.setdefault(f"lines[{index}].{p.field}", []).append(
                    f"Expected {p.expected}, found {p.found or 'nothing'}."
                )
            clean_lines.append(line)
    if errors:
        raise ValidationError(errors)
    return shipment_write(
        organization=org,
        actor=actor,
        reference=values["reference"],
        values=values,
        lines=clean_lines,
        shipment=shipment,
    )


def shipment_delete(*, shipment: Shipment, actor: Any) -> None:
    if shipment.cases.exists():
        raise ValidationError("A shipment with a detention case cannot be deleted.")
    before = _state(shipment)
    audit_record(
        action="cases.shipment_deleted",
        actor=actor,
        organization=shipment.organization_id,
        obj=shipment,
        before=before,
    )
    shipment.delete()
