"""Importing suppliers, facilities, materials, products and links from lists as people
have them (CSV in any common encoding and delimiter, XLSX, ODS, XLS).

Four stages, and a refused file changes nothing: read the file and find its header row
(``reading.py``), map its columns to fields (``mappings.py``, ``domain.import_mapping``),
sort the rows (``review.py``: every cell typed through the record specifications, likely
duplicates found, references resolved and existing records matched by one planner per
record kind; each row ready, merged into a sure duplicate, or pending), then write the
ready rows through the bulk functions of ``chainproof.suppliers.batch`` with one audit
event per record (``writing.py``).

Without ``import_valid`` one pending row refuses the whole file; with it the ready rows
are imported and the pending ones kept in a batch for review (``pending.py``). A real run
sorts and writes in one transaction, and the writes refuse any record that changed after
it was planned, so a concurrent edit is never overwritten and every audit "before" is what
was stored. A dry run sorts exactly as the real run does, without writing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Model

from chainproof.audit.models import AuditEvent
from chainproof.bulk_statistics import statistics_refresh_after
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import RowError, TableFileError
from chainproof.suppliers.importing.base import ImportFailed, ImportReport, Progress
from chainproof.suppliers.importing.mappings import mapping_for, records_of
from chainproof.suppliers.importing.pending import batch_of_pending
from chainproof.suppliers.importing.reading import read_list
from chainproof.suppliers.importing.review import Evaluation
from chainproof.suppliers.importing.writing import evaluate_into, write_evaluation
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)

__all__ = ["ENTITIES", "ImportFailed", "ImportReport", "Progress", "run_import"]

ENTITIES = tuple(COLUMN_SETS)


def _noop(done: int, total: int | None, message: str = "") -> None:
    return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a list is imported. An import builds hundreds of
    thousands of small objects that all live to its end; the collector would walk them
    again and again (a third of the import's time at 300,000 rows) and free nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    date_order: str | None = None,
    sheet: str | None = None,
    origin: str = "command",
) -> ImportReport:
    """Import a list. ``mapping``: None or "auto" (the proposed mapping), the name of a
    saved or shipped mapping, or "Header=field;..." text. ``sheet``: the workbook's sheet
    a person chose (else ``read_list`` chooses). Without ``import_valid`` one problem
    refuses the whole file; with it the ready rows are imported and the rest kept as a
    pending batch for review (``origin``: who ran it, "command" or "job", for the list of
    uploads). A dry run evaluates exactly as the real run does."""
    with _collector_paused():
        return _run_import(
            organization=organization,
            actor=actor,
            entity=entity,
            data=data,
            file_name=file_name,
            dry_run=dry_run,
            progress=progress,
            mapping=mapping,
            import_valid=import_valid,
            date_order=date_order,
            sheet=sheet,
            origin=origin,
        )


def _run_import(
    *,
    organization: Any,
    actor: Any,
    entity: str,
    data: bytes,
    file_name: str,
    dry_run: bool,
    progress: Progress,
    mapping: str | None,
    import_valid: bool,
    date_order: str | None,
    sheet: str | None,
    origin: str,
) -> ImportReport:
    if entity not in COLUMN_SETS:
        raise ValueError(f"unknown import kind {entity!r}; expected one of {', '.join(ENTITIES)}")
    org_id = getattr(organization, "pk", organization)
    report = ImportReport(entity, file_name, sha256_bytes(data), dry_run)
    progress(0, None, "reading the file")
    try:
        listing = read_list(data, file_name, entity, sheet=sheet)
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    chosen = mapping_for(org_id, entity, listing, mapping, file_name, date_order=date_order)
    records = records_of(listing, chosen)
    report.rows = len(records)
    report.describe_reading(listing, chosen)
    if not records:
        raise ImportFailed(
            file_name,
            [RowError(listing.header_row + 1, "", "at least one data row", "none", listing.sheet)],
        )

    def sort_rows() -> Evaluation:  # the same for the dry run and the real one
        return evaluate_into(
            org_id,
            entity,
            records,
            listing.sheet,
            report,
            import_valid,
            progress,
            date_order=chosen.date_order,
            headers=chosen.headers(),
        )

    if dry_run:
        sort_rows()
        return report
    with transaction.atomic():
        evaluation = sort_rows()
        records.clear()  # what the rows became is in the evaluation: free them before writing
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
                    report=report,
                    origin=origin,
                ).pk
            ),
        )
        statistics_refresh_after(report.created + report.updated, *_TABLES[entity], AuditEvent)
    return report


# The tables an import of each kind writes to (with the audit trail's), whose statistics
# are read again after a large import.
_TABLES: dict[str, tuple[type[Model], ...]] = {
    "suppliers": (Supplier, SupplierIdentifier),
    "facilities": (Facility,),
    "materials": (Material,),
    "products": (Product,),
    "links": (SupplyLink,),
}
