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

from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import RowError, TableFileError
from chainproof.suppliers.importing.base import ImportFailed, ImportReport, Progress
from chainproof.suppliers.importing.mappings import mapping_for, records_of
from chainproof.suppliers.importing.pending import batch_of_pending
from chainproof.suppliers.importing.reading import read_list
from chainproof.suppliers.importing.writing import evaluate_into, write_evaluation

__all__ = ["ENTITIES", "ImportFailed", "ImportReport", "Progress", "run_import"]

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
    mapping: str | None = None,
    import_valid: bool = False,
) -> ImportReport:
    """Import a list. ``mapping``: None or "auto" (the proposed mapping), the name of a
    saved or shipped mapping, or "Header=field;..." text. Without ``import_valid`` one
    problem refuses the whole file; with it the ready rows are imported and the rest kept
    as a pending batch for review. A dry run evaluates exactly as the real run does."""
    if entity not in COLUMN_SETS:
        raise ValueError(f"unknown import kind {entity!r}; expected one of {', '.join(ENTITIES)}")
    org_id = getattr(organization, "pk", organization)
    report = ImportReport(entity, file_name, sha256_bytes(data), dry_run)
    progress(0, None, "reading the file")
    try:
        listing = read_list(data, file_name, entity)
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    chosen = mapping_for(org_id, entity, listing, mapping, file_name)
    records = records_of(listing, chosen)
    report.rows = len(records)
    report.describe_reading(listing, chosen)
    if not records:
        raise ImportFailed(
            file_name,
            [RowError(listing.header_row + 1, "", "at least one data row", "none", listing.sheet)],
        )
    if dry_run:
        evaluate_into(
            org_id,
            entity,
            records,
            listing.sheet,
            report,
            import_valid,
            progress,
            date_order=chosen.date_order,
        )
        return report
    with transaction.atomic():
        evaluation = evaluate_into(
            org_id,
            entity,
            records,
            listing.sheet,
            report,
            import_valid,
            progress,
            date_order=chosen.date_order,
        )
        write_evaluation(
            organization_id=org_id,
            actor=actor,
            evaluation=evaluation,
            report=report,
            progress=progress,
            keep_pending=lambda: (
                batch_of_pending(
                    organization_id=org_id,
                    actor=actor,
                    entity=entity,
                    file_name=file_name,
                    sha256=report.sha256,
                    listing=listing,
                    mapping=chosen,
                    evaluation=evaluation,
                ).pk
            ),
        )
    return report
