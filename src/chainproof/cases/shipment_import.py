"""Importing shipments from CSV or XLSX, the way the supply chain is imported: every cell
checked first, then every reference resolved, then everything written in one
transaction; a problem anywhere is reported by file, sheet, row and column and nothing
is stored. A shipment whose reference exists already is updated and its lines replaced.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.cases.models import Shipment
from chainproof.cases.shipments import (
    CleanLine,
    Resolver,
    shipment_values_check,
    shipment_write,
)
from chainproof.domain.cases.shipment_columns import SHIPMENT_FIELDS, SHIPMENT_LINES
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.records import ref_key
from chainproof.domain.tabular import RowError, TableFileError, validate_sheet
from chainproof.fileformats.tables import read_table
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers.importing.base import ImportFailed, ImportReport

SHEET = "shipments"


def _show(value: Any) -> str:
    return "" if value is None else str(value)


def shipments_import(
    *, organization: Any, actor: Any, data: bytes, file_name: str, dry_run: bool = False
) -> ImportReport:
    org = int(getattr(organization, "pk", organization))
    report = ImportReport("shipments", file_name, sha256_bytes(data), dry_run)
    try:
        sheet = read_table(data, file_name, sheet=SHEET)
        rows = validate_sheet(
            SHIPMENT_LINES,
            sheet,
            source=file_name,
            known_countries=known_country_codes(org) or None,
            allow_missing_optional=True,
        )
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    report.rows = len(rows)
    errors: list[RowError] = []

    def error(row: int, column: str, expected: str, found: str) -> None:
        errors.append(RowError(row, column, expected, found, sheet.name))

    groups: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for line_no, row in rows:
        groups[ref_key(row["reference"])].append((line_no, row))
    resolver = Resolver(org)
    plan: list[tuple[str, dict[str, Any], list[CleanLine]]] = []
    for group in groups.values():
        first_line, first = group[0]
        values = {name: first.get(name) for name in SHIPMENT_FIELDS}
        values["notes"] = first.get("notes")
        for line_no, row in group[1:]:
            for name in SHIPMENT_FIELDS:
                if row.get(name) is not None and row.get(name) != values[name]:
                    error(
                        line_no,
                        name,
                        f"the same {name} on every line of shipment {first['reference']} "
                        f"({_show(values[name]) or 'empty'} on row {first_line})",
                        _show(row.get(name)),
                    )
        for name, expected, found in shipment_values_check(values):
            error(first_line, name, expected, found)
        lines = []
        for line_no, row in group:
            line, problems = resolver.line(row["line"], dict(row))
            for p in problems:
                error(line_no, p.field, p.expected, p.found)
            lines.append(line)
        plan.append((first["reference"], values, lines))
    entries: dict[str, int] = {}
    for group, (_reference, values, _lines) in zip(groups.values(), plan, strict=True):
        number = values.get("entry_number")
        if number and number in entries:
            error(group[0][0], "entry_number", "each entry number on one shipment", number)
        elif number:
            entries[number] = group[0][0]
    if errors:
        raise ImportFailed(file_name, errors)
    existing = {ref_key(s.reference): s for s in Shipment.objects.filter(organization_id=org)}
    report.created = sum(1 for reference, _, _ in plan if ref_key(reference) not in existing)
    report.updated = len(plan) - report.created
    report.changes = [
        {
            "row": groups[ref_key(reference)][0][0],
            "action": "update" if ref_key(reference) in existing else "create",
            "record": f"Shipment {reference}",
            "fields": {"lines": [None, len(lines)]},
        }
        for reference, _, lines in plan[:50]
    ]
    if dry_run:
        return report
    with transaction.atomic():
        for reference, values, lines in plan:
            try:
                shipment_write(
                    organization=org,
                    actor=actor,
                    reference=reference,
                    values=values,
                    lines=lines,
                    shipment=existing.get(ref_key(reference)),
                )
            except ValidationError as exc:
                first_row = groups[ref_key(reference)][0][0]
                field = (
                    next(iter(exc.message_dict), "reference")
                    if hasattr(exc, "error_dict")
                    else "reference"
                )
                raise ImportFailed(
                    file_name,
                    [
                        RowError(
                            first_row,
                            field,
                            "a shipment that can be saved",
                            "; ".join(exc.messages),
                            sheet.name,
                        )
                    ],
                ) from None
        audit_record(
            action="import.shipments",
            actor=actor,
            organization=org,
            object_type="import",
            object_repr=file_name[:300],
            after={k: v for k, v in report.as_dict().items() if k != "changes"},
        )
    return report
