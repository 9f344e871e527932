"""Column mappings: proposed, written by hand, saved by name, or shipped with chainproof
(``suppliers/mappings/*.yaml``: an Open Supply Hub list, an ERP vendor-master export)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.domain.import_mapping import (
    ATTRIBUTE,
    DATE_ORDERS,
    IGNORE,
    ColumnMapping,
    MappedRecord,
    MappingError,
    entity_fields,
    mapped_records,
    mapping_from_columns,
    mapping_issues,
    parse_mapping,
    propose,
)
from chainproof.domain.tabular import RowError
from chainproof.suppliers.importing.base import ImportFailed
from chainproof.suppliers.models import ImportMapping

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "mappings"


@cache
def shipped_mappings() -> dict[str, dict[str, Any]]:
    """The mappings shipped with chainproof, by their file name without .yaml."""
    found = {}
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[path.stem.replace("_", "-")] = data
    return found


def mapping_choices(organization_id: int, entity: str) -> list[tuple[str, str]]:
    """(name, label) of the saved and shipped mappings for a kind of list."""
    saved = [
        (m.name, m.name)
        for m in ImportMapping.objects.filter(organization_id=organization_id, entity=entity)
    ]
    shipped = [
        (key, f"{data['name']} (shipped)")
        for key, data in shipped_mappings().items()
        if data.get("entity") == entity
    ]
    return saved + shipped


def named_mapping(organization_id: int, entity: str, name: str) -> dict[str, Any] | None:
    """A saved mapping by its name (the organization's first), else a shipped one."""
    saved = ImportMapping.objects.filter(organization_id=organization_id, name=name).first()
    if saved is not None:
        return {
            "entity": saved.entity,
            "columns": saved.columns,
            "date_order": saved.date_order,
            "name": saved.name,
        }
    shipped = shipped_mappings().get(name.strip().lower().replace("_", "-"))
    if shipped is not None:
        return {**shipped, "name": name}
    return None


def mapping_for(
    organization_id: int,
    entity: str,
    listing: Any,
    spec: str | None,
    source: str,
    *,
    date_order: str | None = None,
) -> ColumnMapping:
    """The mapping a spec names for this file's header, checked; ImportFailed if unusable.
    ``date_order`` (DMY, MDY, YMD) overrides the mapping's."""
    header = listing.header
    spec = (spec or "auto").strip()
    where = RowError(listing.header_row, "", "", "", listing.sheet)
    try:
        if spec == "auto":
            chosen = propose(header, entity)
        elif "=" in spec:
            chosen = parse_mapping(spec, header, entity)
        else:
            stored = named_mapping(organization_id, entity, spec)
            if stored is None:
                names = [n for n, _ in mapping_choices(organization_id, entity)]
                raise MappingError(
                    "'auto', 'Header=field;...' or the name of a saved mapping"
                    + (f" ({', '.join(names)})" if names else ""),
                    spec,
                )
            if stored.get("entity") not in (None, entity):
                raise MappingError(
                    f"a mapping for {entity}", f"{spec} (a mapping for {stored['entity']})"
                )
            chosen = mapping_from_columns(
                stored.get("columns") or {},
                header,
                entity,
                date_order=stored.get("date_order") or None,
                name=stored.get("name", spec),
            )
    except MappingError as exc:  # one sentence: expected this, found that
        raise ImportFailed(
            source, [RowError(where.row, "", exc.expected, exc.found or "", where.sheet)]
        ) from None
    if date_order:
        chosen = ColumnMapping(chosen.columns, date_order=date_order, name=chosen.name)
    problems = mapping_issues(chosen, entity)
    if problems:
        raise ImportFailed(
            source,
            [RowError(where.row, "", p.expected, p.found or "", where.sheet) for p in problems],
        )
    return chosen


def records_of(listing: Any, mapping: ColumnMapping) -> list[MappedRecord]:
    return list(
        mapped_records(
            listing.header,
            listing.rows,
            mapping,
            numeric=listing.numeric,
            formulas=listing.formulas,
        )
    )


def mapping_save(
    *,
    organization_id: int,
    actor: Any,
    name: str,
    entity: str,
    columns: dict[str, str],
    date_order: str = "",
) -> ImportMapping:
    """Save (or replace) a mapping by name, for the next file of the same layout."""
    name = name.strip()[:100]
    if not name:
        raise MappingError("a name for the mapping")
    fields = set(entity_fields(entity))
    for column, target in columns.items():
        if target not in fields | {ATTRIBUTE, IGNORE}:
            raise MappingError(f"a field of {entity} for column {column!r}", target)
    if date_order and date_order not in DATE_ORDERS:
        raise MappingError("a date order (DMY, MDY or YMD)", date_order)
    with transaction.atomic():
        existing = ImportMapping.objects.filter(organization_id=organization_id, name=name).first()
        before = None
        if existing is None:
            saved = ImportMapping(organization_id=organization_id, name=name, created_by=actor)
        else:
            saved = existing
            before = {"entity": existing.entity, "columns": existing.columns}
        saved.entity = entity
        saved.columns = dict(columns)
        saved.date_order = date_order or ""
        saved.save()
        audit_record(
            action="import.mapping_saved",
            actor=actor,
            organization=organization_id,
            obj=saved,
            before=before,
            after={"entity": entity, "columns": saved.columns, "date_order": saved.date_order},
        )
    return saved
