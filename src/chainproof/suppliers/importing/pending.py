"""Lists under review: the rows of an upload kept until each is imported, merged or
discarded, so that nothing a person sent is lost and nothing half-applies.

A batch is opened from an upload (``batch_open``: every row kept as read, a mapping
proposed), its mapping confirmed (``batch_map``), checked (``batch_check``: every row
sorted into ready, merged or pending, as an import would), and imported
(``batch_import``: the ready rows in one transaction; the rest stay pending). Pending
rows are fixed cell by cell (``row_edit``; every problem of a row is found at once, so a
person fixes them together), their duplicates decided (``row_decide``), their dates read
in the order said once for the whole batch (``batch_date_order``), or discarded
(``row_discard``), then imported again. A real import with ``--import-valid`` keeps its
pending rows in a batch too (``batch_of_pending``), checked again against what it stored,
so that its rows have the same actions as an uploaded list's. Each batch's summary is
counted from its rows as they are (``_summarise``): what was imported, what is ready,
what needs a person and why.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.blobs.base import checked_chunks
from chainproof.blobs.configured import blob_store
from chainproof.blobs.errors import BlobError
from chainproof.blobs.spool import spool
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.import_mapping import (
    ATTRIBUTE,
    DATE_ORDERS,
    IGNORE,
    ColumnMapping,
    MappedRecord,
    MappingError,
    entity_fields,
    mapped_records,
    mapping_problems,
    propose,
)
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import TableFileError
from chainproof.domain.values import DATE_ORDER_UNKNOWN, DATE_ORDER_WORDS
from chainproof.suppliers.importing.base import ImportFailed, ImportReport, Progress, kept_words
from chainproof.suppliers.importing.mappings import mapping_for, mapping_save
from chainproof.suppliers.importing.reading import ListFile, read_list
from chainproof.suppliers.importing.review import Evaluation, RowOutcome
from chainproof.suppliers.importing.writing import evaluate_into, write_evaluation
from chainproof.suppliers.models import ImportBatch, ImportRow

_OPEN = (ImportRow.State.PENDING,)


def _noop(done: int, total: int | None, message: str = "") -> None:
    return None


def _rows(listing: ListFile, lines: set[int] | None = None) -> list[ImportRow]:
    numeric: dict[int, list[int]] = {}
    for row, column in listing.numeric:
        numeric.setdefault(row, []).append(column)
    formulas: dict[int, dict[str, str]] = {}
    for (row, column), formula in listing.formulas.items():
        formulas.setdefault(row, {})[str(column)] = formula
    return [
        ImportRow(
            line=line,
            cells=cells,
            numeric=sorted(numeric.get(line, [])),
            formulas=formulas.get(line, {}),
        )
        for line, cells in listing.rows
        if any(str(c).strip() for c in cells) and (lines is None or line in lines)
    ]


def batch_of_pending(
    *,
    organization_id: int,
    actor: Any,
    entity: str,
    file_name: str,
    sha256: str,
    listing: ListFile,
    mapping: ColumnMapping,
    evaluation: Evaluation,
    report: ImportReport,
    origin: str = ImportBatch.Origin.COMMAND,
) -> ImportBatch:
    """Keep the rows an import left pending (the caller's transaction, after the ready
    rows were written), checked again against what is now stored: a likely duplicate of
    a row just imported is then a likely duplicate of its record, to merge or keep apart
    on the review page as in any batch. What the run imported is kept in the summary."""
    pending = {o.line for o in evaluation.pending}
    batch = ImportBatch.objects.create(
        organization_id=organization_id,
        entity=entity,
        file_name=file_name[:300],
        sha256=sha256,
        status=ImportBatch.Status.REVIEW,
        sheet=listing.sheet[:200],
        header=listing.header,
        header_row=listing.header_row,
        mapping=dict(mapping.columns),
        date_order=mapping.date_order or "",
        notes=listing.notes,
        origin=origin,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        summary={
            "run": {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "merged": report.merged,
            }
        },
    )
    rows = _rows(listing, pending)
    for row in rows:
        row.batch = batch
    ImportRow.objects.bulk_create(rows, batch_size=1000)
    audit_record(
        action="import.rows_kept",
        actor=actor,
        organization=organization_id,
        obj=batch,
        after={
            "file": file_name[:300],
            "entity": entity,
            "pending": len(rows),
            "origin": origin,
            "imported": batch.summary["run"],
        },
    )
    batch_check(batch)
    return batch


def batch_open(
    *,
    organization_id: int,
    actor: Any,
    entity: str,
    data: bytes,
    file_name: str,
    mapping: str | None = None,
    sheet: str | None = None,
) -> ImportBatch:
    """Read an upload and keep every row, with a proposed (or the named) mapping.
    ``sheet``: the workbook's sheet a person chose (else as ``read_list`` chooses).
    Raises ImportFailed (nothing kept) when the file cannot be read."""
    if entity not in COLUMN_SETS:
        raise ValueError(f"unknown kind of list {entity!r}")
    try:
        listing = read_list(data, file_name, entity, sheet=sheet or None)
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    chosen: ColumnMapping | None
    notes = list(listing.notes)
    try:
        chosen = mapping_for(organization_id, entity, listing, mapping, file_name)
    except ImportFailed as exc:  # the person confirms the columns on the next page
        chosen = None
        if mapping and mapping.strip() != "auto":
            first = exc.errors[0]
            notes.append(
                f"the mapping {mapping.strip()!r} does not fit this file (expected "
                f"{first.expected}, found {first.found!r}): the columns below are proposed "
                "instead"
            )
    if listing.other_sheets:
        _keep_upload(data)  # another sheet can then be read without the file sent again
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            organization_id=organization_id,
            entity=entity,
            file_name=file_name[:300],
            sha256=sha256_bytes(data),
            sheet=listing.sheet[:200],
            other_sheets=[list(item) for item in listing.other_sheets],
            header=listing.header,
            header_row=listing.header_row,
            mapping=dict(chosen.columns) if chosen else _proposed(listing, entity),
            date_order=(chosen.date_order if chosen else "") or "",
            notes=notes,
            origin=ImportBatch.Origin.WEB,
            created_by=actor,
        )
        rows = _rows(listing)
        for row in rows:
            row.batch = batch
        ImportRow.objects.bulk_create(rows, batch_size=1000)
        audit_record(
            action="import.file_received",
            actor=actor,
            organization=organization_id,
            obj=batch,
            after={"file": file_name[:300], "entity": entity, "rows": len(rows)},
        )
    return batch


def _keep_upload(data: bytes) -> None:
    """Keep a workbook's bytes in the blob store under their SHA-256 (which the batch
    records), before the batch's transaction as every stored file is: a workbook with
    several sheets, so that another of them can be read (``batch_sheet``)."""
    with spool([data], max_bytes=max(len(data), 1)) as spooled:
        blob_store().put(spooled)


def batch_upload_kept(batch: ImportBatch) -> bool:
    """Whether the batch's file is kept, so that another sheet can be read from it."""
    try:
        return blob_store().exists(batch.sha256)
    except BlobError:
        return False


def batch_sheet(batch: ImportBatch, *, actor: Any, sheet: str) -> ImportBatch:
    """Read another sheet of the batch's workbook from the kept upload: a new batch of
    that sheet's rows (the caller's transaction), as an upload choosing it would have
    given; this batch stays in the list of uploads as it is. Raises MappingError (nothing
    kept) when the sheet is not one of the others the workbook has with rows or the file
    is not kept; ImportFailed when the sheet cannot be read."""
    others = [str(name) for name, _ in batch.other_sheets]
    if sheet not in others:
        raise MappingError(f"one of the other sheets with rows ({', '.join(others)})", sheet)
    try:
        data = b"".join(checked_chunks(blob_store(), batch.sha256))
    except (FileNotFoundError, BlobError):
        raise MappingError(
            "the file kept with this upload (it is not kept: upload it again and choose the sheet)",
            batch.file_name,
        ) from None
    chosen = batch_open(
        organization_id=batch.organization_id,
        actor=actor,
        entity=batch.entity,
        data=data,
        file_name=batch.file_name,
        sheet=sheet,
    )
    audit_record(
        action="import.sheet_chosen",
        actor=actor,
        organization=batch.organization_id,
        obj=chosen,
        before={"upload": batch.pk, "sheet": batch.sheet},
        after={"upload": chosen.pk, "sheet": chosen.sheet, "rows": chosen.rows.count()},
    )
    return chosen


def _proposed(listing: ListFile, entity: str) -> dict[str, str]:
    return dict(propose(listing.header, entity).columns)


def batch_mapping(batch: ImportBatch) -> ColumnMapping:
    return ColumnMapping(batch.mapping, date_order=batch.date_order or None)


def batch_map(
    batch: ImportBatch,
    *,
    actor: Any,
    columns: dict[str, str],
    date_order: str = "",
    keep_attributes: bool = True,
    save_as: str = "",
) -> list[str]:
    """Confirm the mapping (and save it by name when asked); the problems that stop it,
    in words (empty when it was confirmed)."""
    fields = set(entity_fields(batch.entity))
    header = {h for h in batch.header if h}
    cleaned = {}
    for column, target in columns.items():
        if column not in header:
            return [f"the file has no column {column!r}"]
        if target not in fields | {ATTRIBUTE, IGNORE}:
            return [f"column {column!r}: {target!r} is not a field of {batch.entity}"]
        cleaned[column] = target
    if date_order and date_order not in DATE_ORDERS:
        return [f"date order {date_order!r} is not one of DMY, MDY, YMD"]
    mapping = ColumnMapping(cleaned, date_order=date_order or None)
    problems = mapping_problems(mapping, batch.entity)
    if problems:
        return problems
    with transaction.atomic():
        before = {"mapping": batch.mapping, "date_order": batch.date_order}
        batch.mapping = cleaned
        batch.date_order = date_order or ""
        batch.keep_attributes = keep_attributes
        batch.status = ImportBatch.Status.REVIEW
        batch.save(update_fields=["mapping", "date_order", "keep_attributes", "status"])
        audit_record(
            action="import.mapping_confirmed",
            actor=actor,
            organization=batch.organization_id,
            obj=batch,
            before=before,
            after={"mapping": cleaned, "date_order": batch.date_order},
        )
        if save_as.strip():
            try:
                mapping_save(
                    organization_id=batch.organization_id,
                    actor=actor,
                    name=save_as,
                    entity=batch.entity,
                    columns=cleaned,
                    date_order=batch.date_order,
                )
            except MappingError as exc:
                transaction.set_rollback(True)
                return [str(exc)]
    return []


def batch_records(batch: ImportBatch, rows: list[ImportRow]) -> list[MappedRecord]:
    """The open rows as records: cells through the mapping, then the edits made."""
    mapping = batch_mapping(batch)
    numeric = {(r.line, c) for r in rows for c in r.numeric}
    formulas = {(r.line, int(c)): f for r in rows for c, f in (r.formulas or {}).items()}
    records = list(
        mapped_records(
            batch.header,
            [(r.line, r.cells) for r in rows],
            mapping,
            numeric=numeric,
            keep_attributes=batch.keep_attributes,
            formulas=formulas,
        )
    )
    edits = {r.line: r.edits for r in rows if r.edits}
    for record in records:
        for name, text in edits.get(record.line, {}).items():
            if str(text).strip():
                record.values[name] = str(text).strip()
            else:
                record.values.pop(name, None)
            record.numeric = record.numeric - {name}
            record.formulas.pop(name, None)  # the value typed in replaces the formula
    return records


def _open_rows(batch: ImportBatch) -> list[ImportRow]:
    return list(batch.rows.filter(state__in=_OPEN))


def batch_check(batch: ImportBatch, *, progress: Progress = _noop) -> ImportReport:
    """Sort the open rows as an import would (nothing is imported); store each row's
    problems and what it would do."""
    rows = _open_rows(batch)
    report = ImportReport(batch.entity, batch.file_name, batch.sha256, True)
    with transaction.atomic():
        evaluation = _evaluate(batch, rows, report, progress)
        _store_outcomes(rows, evaluation, imported=False)
        _summarise(batch)
    return report


def batch_date_order(batch: ImportBatch, *, actor: Any, date_order: str) -> None:
    """Say once for the whole batch how its dates are written (DMY: 08.11.2024 is 8
    November; MDY: 11/08/2024 is): every date of the batch is read in that order at the
    next check, and none is asked about again."""
    if date_order not in DATE_ORDERS:
        raise MappingError("a date order (day first or month first)", date_order)
    with transaction.atomic():
        before = batch.date_order
        batch.date_order = date_order
        batch.save(update_fields=["date_order"])
        audit_record(
            action="import.date_order_chosen",
            actor=actor,
            organization=batch.organization_id,
            obj=batch,
            before={"date_order": DATE_ORDER_WORDS.get(before or "", before)},
            after={"date_order": DATE_ORDER_WORDS[date_order]},
        )


def _evaluate(
    batch: ImportBatch, rows: list[ImportRow], report: ImportReport, progress: Progress
) -> Evaluation:
    records = batch_records(batch, rows)
    report.rows = len(records)
    report.header_row = batch.header_row
    report.mapping = batch_mapping(batch).as_text()
    decisions = {r.line: r.decision for r in rows if r.decision}
    return evaluate_into(
        batch.organization_id,
        batch.entity,
        records,
        batch.sheet,
        report,
        True,
        progress,
        decisions=decisions,
        date_order=batch.date_order or None,
    )


PAST = {"creates": "created", "updates": "updated", "unchanged": "unchanged"}


def _problems_of(outcome: RowOutcome) -> list[dict[str, Any]]:
    """A row's problems as kept; the first says which row or record it may duplicate (the
    review page offers merge and keep apart with it)."""
    problems = [p.as_dict() for p in outcome.problems]
    if outcome.duplicate_of is not None and problems:
        other = outcome.duplicate_of
        problems[0]["duplicate_of"] = (
            {"row": other} if isinstance(other, int) else {"stored": other[1]}
        )
        problems[0]["duplicate_reason"] = outcome.duplicate_reason
        if outcome.if_merged:
            problems[0]["if_merged"] = kept_words(outcome.if_merged, done=False)
    return problems


def _store_outcomes(rows: list[ImportRow], evaluation: Evaluation, *, imported: bool) -> None:
    records = evaluation.records()
    kept = evaluation.planner.kept if evaluation.planner else {}
    for row in rows:
        outcome = evaluation.outcomes.get(row.line)
        if outcome is None:
            row.problems, row.outcome, row.record_id = [], "an empty row", None
            if imported:
                row.state = ImportRow.State.DISCARDED
            continue
        row.problems = _problems_of(outcome)
        row.outcome = outcome.action[:300]
        row.record_id = records.get(row.line)
        if outcome.state == "ready" and outcome.duplicate_of is not None:
            row.outcome = "merged into a stored record"
            if kept.get(row.line):
                row.outcome = f"{row.outcome}; {kept_words(kept[row.line], done=imported)}"[:300]
            if imported:
                row.state = ImportRow.State.MERGED
        elif imported and outcome.state == "ready":
            row.state = ImportRow.State.IMPORTED
            row.outcome = PAST.get(outcome.action, outcome.action)
        elif imported and outcome.state == "merged":
            row.state = ImportRow.State.MERGED
    ImportRow.objects.bulk_update(
        rows, ["problems", "outcome", "state", "record_id"], batch_size=1000
    )


def _reason(problems: list[dict[str, Any]]) -> str:
    """Why a row needs a person, in one word: a likely duplicate, a date to read in the
    file's order, or a cell to fix."""
    if any(p.get("duplicate_of") for p in problems):
        return "duplicates"
    if problems and all(
        str(p.get("expected", "")).startswith(DATE_ORDER_UNKNOWN) for p in problems
    ):
        return "dates"
    return "cells"


def _summarise(batch: ImportBatch) -> None:
    """The batch's counts, from its rows as they are now: what was imported (and what
    the command line's run imported before it kept these rows), what is ready and not
    yet imported, what still needs a person and why."""
    counts = dict.fromkeys(ImportRow.State.values, 0)
    ready = dict.fromkeys(("creates", "updates", "unchanged"), 0)
    done = dict.fromkeys(("created", "updated", "unchanged"), 0)
    reasons = dict.fromkeys(("cells", "duplicates", "dates"), 0)
    to_merge = dated = 0
    for state, problems, outcome in batch.rows.values_list("state", "problems", "outcome"):
        counts[state] += 1
        if state == ImportRow.State.IMPORTED and outcome in done:
            done[outcome] += 1
        if state != ImportRow.State.PENDING:
            continue
        if problems:
            reasons[_reason(problems)] += 1
            dated += any(
                str(p.get("expected", "")).startswith(DATE_ORDER_UNKNOWN) for p in problems
            )
        elif outcome in ready:
            ready[outcome] += 1
        elif outcome.startswith("merged"):
            to_merge += 1
    run = (batch.summary or {}).get("run")
    summary: dict[str, Any] = {
        "rows": counts,
        "ready": sum(ready.values()),
        **ready,
        "merged": to_merge,
        "pending": sum(reasons.values()),
        "reasons": reasons,
        "ambiguous_dates": dated,
        "imported": {**done, "merged": counts[ImportRow.State.MERGED]},
    }
    if run:
        summary["run"] = run
    batch.summary = summary
    if counts[ImportRow.State.PENDING] == 0 and batch.status == ImportBatch.Status.REVIEW:
        batch.status = ImportBatch.Status.DONE
    batch.save(update_fields=["summary", "status"])


def batch_import(batch: ImportBatch, *, actor: Any, progress: Progress = _noop) -> ImportReport:
    """Import the ready rows in one transaction; the others stay pending."""
    report = ImportReport(batch.entity, batch.file_name, batch.sha256, False)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        rows = _open_rows(locked)
        evaluation = _evaluate(locked, rows, report, progress)
        write_evaluation(
            organization_id=locked.organization_id,
            actor=actor,
            evaluation=evaluation,
            report=report,
            progress=progress,
        )
        report.batch_id = locked.pk
        _store_outcomes(rows, evaluation, imported=True)
        _summarise(locked)
        if locked.status != ImportBatch.Status.DONE:
            batch_check(locked)  # what is still open, checked against what is now stored
    batch.status, batch.summary = locked.status, locked.summary
    return report


def row_edit(row: ImportRow, *, actor: Any, field: str, value: str) -> None:
    """Correct one cell of a pending row (by field); the next check uses it."""
    batch = row.batch
    if field not in entity_fields(batch.entity):
        raise MappingError(f"a field of {batch.entity}", field)
    if row.state != ImportRow.State.PENDING:
        raise MappingError("a pending row (this one was already imported, merged or discarded)")
    with transaction.atomic():
        before = dict(row.edits)
        row.edits = {**row.edits, field: value.strip()[:20_000]}
        row.save(update_fields=["edits"])
        audit_record(
            action="import.row_edited",
            actor=actor,
            organization=batch.organization_id,
            obj=batch,
            before={"row": row.line, "edits": before},
            after={"row": row.line, "edits": row.edits},
        )


def row_decide(row: ImportRow, *, actor: Any, decision: str) -> None:
    """Merge a likely duplicate with the other record, or keep it apart."""
    if decision not in ("merge", "keep", ""):
        raise MappingError("merge or keep", decision)
    with transaction.atomic():
        before = row.decision
        row.decision = decision
        row.save(update_fields=["decision"])
        audit_record(
            action="import.row_decided",
            actor=actor,
            organization=row.batch.organization_id,
            obj=row.batch,
            before={"row": row.line, "decision": before},
            after={"row": row.line, "decision": decision},
        )


def row_discard(row: ImportRow, *, actor: Any) -> None:
    """Leave a pending row out of the import for good (it stays on record as discarded)."""
    if row.state != ImportRow.State.PENDING:
        raise MappingError("a pending row")
    with transaction.atomic():
        row.state = ImportRow.State.DISCARDED
        row.save(update_fields=["state"])
        audit_record(
            action="import.row_discarded",
            actor=actor,
            organization=row.batch.organization_id,
            obj=row.batch,
            after={"row": row.line, "cells": row.cells},
        )
        _summarise(row.batch)
