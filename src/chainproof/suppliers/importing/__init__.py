"""Importing suppliers, facilities, materials, products and links from CSV or XLSX.

Three stages, so a bad file changes nothing: read and validate every cell (domain
layouts, with the identifier schemes of chainproof.domain.records), then resolve
references and match existing records (a plan of what each row creates or changes:
one planner module per record kind), then write the plan through the service layer's
bulk functions (chainproof.suppliers.batch), with one audit event per record.

A real run plans and writes in one transaction, and the writes refuse any record that
changed after it was planned, so a concurrent edit is never overwritten and every
audit "before" is what was stored. A dry run makes the same plan without writing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import RowError, TableFileError, validate_sheet
from chainproof.fileformats.tables import read_table
from chainproof.jobs import recompute
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers.batch import RecordChange, StaleRecords, show
from chainproof.suppliers.graph import tiers_recompute
from chainproof.suppliers.importing.base import ImportFailed, ImportReport, Planner, Progress
from chainproof.suppliers.importing.facilities import FacilityPlanner
from chainproof.suppliers.importing.links import LinkPlanner
from chainproof.suppliers.importing.materials import MaterialPlanner
from chainproof.suppliers.importing.products import ProductPlanner
from chainproof.suppliers.importing.suppliers import SupplierPlanner

__all__ = ["ENTITIES", "ImportFailed", "ImportReport", "Progress", "run_import"]

PLANNERS: dict[str, type[Planner]] = {
    "suppliers": SupplierPlanner,
    "facilities": FacilityPlanner,
    "materials": MaterialPlanner,
    "products": ProductPlanner,
    "links": LinkPlanner,
}
ENTITIES = tuple(COLUMN_SETS)


def _noop(done: int, total: int | None, message: str = "") -> None:
    return None


def run_import(
    *,
    organization: Any,
    actor: Any,
    entity: str,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Progress = _noop,
) -> ImportReport:
    if entity not in COLUMN_SETS:
        raise ValueError(f"unknown import kind {entity!r}; expected one of {', '.join(ENTITIES)}")
    org_id = getattr(organization, "pk", organization)
    report = ImportReport(entity, file_name, sha256_bytes(data), dry_run)
    progress(0, None, "reading the file")
    try:
        sheet = read_table(data, file_name, sheet=entity)
        rows = validate_sheet(
            COLUMN_SETS[entity],
            sheet,
            source=file_name,
            known_countries=known_country_codes(org_id),
            allow_missing_optional=True,
        )
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    report.rows = len(rows)
    planner = PLANNERS[entity](org_id, sheet.name)
    if dry_run:
        _plan(planner, rows, report, progress)
        return report
    with transaction.atomic():
        changes = _plan(planner, rows, report, progress)
        progress(0, len(rows), "writing")
        try:
            written = planner.save(changes, actor)
        except StaleRecords as exc:
            raise ImportFailed(file_name, _stale_errors(planner, exc)) from None
        audit_record(
            action=f"import.{entity}",
            actor=actor,
            organization=org_id,
            object_type="import",
            object_repr=file_name[:300],
            after={k: v for k, v in report.as_dict().items() if k != "changes"},
        )
        if written and entity in ("suppliers", "facilities", "links"):
            progress(len(rows), len(rows), "computing tiers")
            report.tiers = tiers_recompute(organization_id=org_id)
        if written:
            recompute.supply_replaced(
                org_id,
                actor=actor,
                names_changed=entity in ("suppliers", "facilities"),
                links_changed=False,  # tiers were recomputed above, in this transaction
            )
    return report


def _plan(
    planner: Planner, rows: Any, report: ImportReport, progress: Progress
) -> list[RecordChange]:
    """Match the rows with what is stored; fill the report; the changes to write."""
    progress(0, len(rows), "matching rows with existing records")
    changes = planner.plan(rows)
    if planner.errors:
        raise ImportFailed(report.file_name, planner.errors, len(planner.errors))
    changed = [c for c in changes if c.changed]
    report.created = sum(1 for c in changed if c.created)
    report.updated = len(changed) - report.created
    report.unchanged = len(changes) - len(changed)
    report.changes = [_describe(c) for c in changed[:50]]
    return changed


def _describe(change: RecordChange) -> dict[str, Any]:
    fields = {k: [show(a), show(b)] for k, (a, b) in change.fields.items()}
    if change.identifiers is not None:
        fields["identifiers"] = [
            sorted(f"{s}:{v}" for s, v, _ in change.identifiers_before),
            sorted(f"{s}:{v}" for s, v, _ in change.identifiers),
        ]
    if change.parent is not None:
        fields["parent"] = [change.obj.parent_id, str(change.parent)]
    if change.inputs is not None:
        fields["inputs"] = [len(change.inputs_before), len(change.inputs)]
    return {
        "row": change.row,
        "action": "create" if change.created else "update",
        "record": str(change),
        "fields": fields,
    }


def _stale_errors(planner: Planner, exc: StaleRecords) -> list[RowError]:
    return [
        RowError(
            change.row,
            planner.key_column,
            "a record nobody changed while the file was imported (import it again)",
            f"{change} was changed at {change.obj.updated_at}",
            planner.sheet,
        )
        for change in exc.changes
    ]
