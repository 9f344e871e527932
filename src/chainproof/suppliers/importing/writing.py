"""The two halves every import shares: sort the rows into a report, then write the
ready ones (one transaction, audited, tiers and risk recomputed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from chainproof.audit.services import audit_record
from chainproof.bulk import deferred_checks_now
from chainproof.domain.import_mapping import MappedRecord
from chainproof.domain.tabular import RowError
from chainproof.jobs import recompute
from chainproof.suppliers.batch import RecordChange, StaleRecords, show
from chainproof.suppliers.graph import tiers_recompute
from chainproof.suppliers.importing.base import ImportFailed, ImportReport, Planner, Progress
from chainproof.suppliers.importing.kinds import PLANNERS
from chainproof.suppliers.importing.review import Evaluation, evaluate


def evaluate_into(
    org_id: int,
    entity: str,
    records: list[MappedRecord],
    sheet: str,
    report: ImportReport,
    import_valid: bool,
    progress: Progress,
    decisions: dict[int, str] | None = None,
    date_order: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Evaluation:
    """Sort the rows and fill the report; refuse the file (ImportFailed) when a row
    needs a person and ``import_valid`` is off. ``headers`` (field -> the file's column)
    names the file's own columns in the problems reported."""
    progress(0, len(records), "checking rows and matching them with existing records")
    evaluation = evaluate(
        organization_id=org_id,
        entity=entity,
        records=records,
        planner_class=PLANNERS[entity],
        sheet=sheet,
        decisions=decisions,
        date_order=date_order,
    )
    if evaluation.pending and not import_valid:
        errors = in_file_columns(evaluation.errors, headers)
        failed = ImportFailed(report.file_name, errors, len(errors))
        failed.rows_pending = bool(evaluation.ready or evaluation.merged)
        raise failed
    changed = evaluation.changes
    report.created = sum(1 for c in changed if c.created)
    report.updated = len(changed) - report.created
    report.unchanged = evaluation.unchanged
    report.changes = [describe(c) for c in changed[:50]]
    report.describe_rows(evaluation)
    if headers:
        report.problems = [e.as_dict() for e in in_file_columns(evaluation.errors, headers)][
            : len(report.problems)
        ]
    return evaluation


def in_file_columns(errors: list[RowError], headers: Mapping[str, str] | None) -> list[RowError]:
    """The problems with each field named by the file's own column ("Name 1", not
    "legal_name")."""
    if not headers:
        return errors
    return [replace(e, column=headers[e.column]) if e.column in headers else e for e in errors]


def write_evaluation(
    *,
    organization_id: int,
    actor: Any,
    evaluation: Evaluation,
    report: ImportReport,
    progress: Progress,
    keep_pending: Callable[[], int | None] | None = None,
) -> int | None:
    """Write the ready rows (the caller's transaction); keep the pending ones through
    ``keep_pending`` (returns the batch id); audit; recompute. Returns the batch id."""
    planner = evaluation.planner
    if planner is None:
        raise ValueError("an evaluation without its plan")
    entity = evaluation.entity
    progress(0, len(evaluation.outcomes), "writing")
    try:
        written = planner.save(evaluation.changes, actor)
    except StaleRecords as exc:
        raise ImportFailed(report.file_name, stale_errors(planner, exc)) from None
    batch_id = keep_pending() if evaluation.pending and keep_pending is not None else None
    report.batch_id = batch_id
    audit_record(
        action=f"import.{entity}",
        actor=actor,
        organization=organization_id,
        object_type="import",
        object_repr=report.file_name[:300],
        after={k: v for k, v in report.as_dict().items() if k not in ("changes", "problems")},
    )
    if written and entity in ("suppliers", "facilities", "links"):
        progress(len(evaluation.outcomes), len(evaluation.outcomes), "computing tiers")
        # The references of a million rows (checked by PostgreSQL at commit otherwise) are
        # checked while Python computes the tiers: the two take the two cores.
        report.tiers = tiers_recompute(
            organization_id=organization_id, meanwhile=deferred_checks_now
        )
    if written:
        recompute.supply_replaced(
            organization_id,
            actor=actor,
            names_changed=entity in ("suppliers", "facilities"),
            links_changed=False,  # tiers were recomputed above, in this transaction
        )
    return batch_id


def describe(change: RecordChange) -> dict[str, Any]:
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


def stale_errors(planner: Planner, exc: StaleRecords) -> list[RowError]:
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
