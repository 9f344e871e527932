"""A finished job's result told in words: what an import did (past tense), or would do (a
dry run), or why it imported nothing.

The result dictionaries come from the handlers (``suppliers/jobs.py``, ``screening/jobs.py``);
keys a handler does not send are simply left out of the wording, so an older or a newer
result (``pending``, ``batch_id``, ``duplicates``) renders either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

# An import's planned action (as the importer names it) in the past tense.
_PAST = {
    "create": "created",
    "update": "updated",
    "merge": "merged",
    "keep": "kept",
    "skip": "skipped",
    "delete": "deleted",
}

# A batch id that may go into a link: a number or a UUID, nothing else.
_BATCH_ID = re.compile(r"[0-9]{1,18}")


def count(value: Any) -> int:
    """How many: a number as given, or the length of a list or mapping; 0 otherwise."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, list | tuple | dict):
        return len(value)
    return 0


def action_words(action: str, *, dry_run: bool) -> str:
    """ "would create" in a dry run, "created" in a real one."""
    if dry_run:
        return f"would {action}"
    return _PAST.get(action, action)


@dataclass
class ImportSummary:
    """What an import did, in sentences for the job page."""

    heading: str
    counts: str
    dry_run: bool
    pending: int = 0
    pending_text: str = ""
    pending_link: str = ""
    duplicates: int = 0
    duplicates_text: str = ""
    changes: list[dict[str, Any]] = field(default_factory=list)


def _rows(n: int) -> str:
    return f"{n:,} row{'' if n == 1 else 's'}"


def import_summary(result: dict[str, Any]) -> ImportSummary:
    """The wording of a successful (or dry-run) import's result."""
    dry_run = bool(result.get("dry_run"))
    created, updated = count(result.get("created")), count(result.get("updated"))
    unchanged = count(result.get("unchanged"))
    name = result.get("file_name") or "the file"
    rows = f" ({_rows(count(result.get('rows')))})" if "rows" in result else ""
    if dry_run:
        heading = f"Dry run of {name}{rows}: nothing was changed."
        counts = (
            f"The import would create {created:,}, would update {updated:,} and would leave "
            f"{unchanged:,} unchanged."
        )
    else:
        heading = f"Imported {name}{rows}."
        counts = f"Created {created:,}, updated {updated:,}, unchanged {unchanged:,}."
    summary = ImportSummary(heading=heading, counts=counts, dry_run=dry_run)
    summary.pending = count(result.get("pending"))
    if summary.pending:
        kept = "would be kept" if dry_run else "kept"
        summary.pending_text = f"{_rows(summary.pending)} {kept} for review (not imported)."
        batch_id = result.get("batch_id")
        if batch_id is not None and _BATCH_ID.fullmatch(str(batch_id)):
            summary.pending_link = reverse("suppliers:import_batch", args=[int(batch_id)])
    summary.duplicates = count(result.get("duplicates"))
    if summary.duplicates:
        n = summary.duplicates
        summary.duplicates_text = (
            f"{n:,} likely duplicate{'' if n == 1 else 's'} found"
            f"{' (to review)' if summary.pending else ''}."
        )
    for change in result.get("changes") or []:
        if isinstance(change, dict):
            action = str(change.get("action", ""))
            given = change.get("fields")
            fields: dict[str, Any] = given if isinstance(given, dict) else {}
            summary.changes.append(
                {
                    **change,
                    "action_text": action_words(action, dry_run=dry_run),
                    # "legal_name" -> "legal name": the fields in words, not as keys.
                    "field_words": ", ".join(str(k).replace("_", " ") for k in fields),
                }
            )
    return summary


def rejected_heading(result: dict[str, Any], file_name: str = "") -> str:
    """ "Nothing was imported from s.csv: 3 problems." for a file the job refused."""
    total = count(result.get("total_errors")) or count(result.get("errors"))
    source = f" from {file_name}" if file_name else ""
    if not total:
        return f"Nothing was imported{source}."
    return f"Nothing was imported{source}: {total:,} problem{'' if total == 1 else 's'}."


# What each figure of a finished job's result means, in words. A key not listed here reads
# from its own name ("requests_reminded" -> "Requests reminded"), so a new handler's result
# never shows as a Python dictionary.
RESULT_LABELS = {
    "nodes": "Records scored",
    "changed": "Scores changed",
    "unchanged": "Scores unchanged",
    "methodology": "Methodology",
    "as_of": "Scored as of",
    "seconds": "Time taken (seconds)",
    "records": "Records screened",
    "new_hits": "New possible matches",
    "reopened": "Matches reopened",
    "updated": "Matches updated",
    "algorithm": "Matching method",
    "editions": "List editions used",
    "read": "Documents read",
    "no_text": "Documents without text",
    "failed": "Failed",
    "checkpoints": "Checkpoints signed",
    "chains": "Audit chains",
    "files": "Files deleted",
    "bytes": "Bytes freed",
    "jobs": "Jobs whose uploads were deleted",
    "checked": "Documents checked",
    "missing": "Documents missing",
    "altered": "Documents altered",
    "expired": "Documents expired",
    "announced": "Expiries announced",
    "newly_overdue": "Corrective actions newly overdue",
    "requests_reminded": "Evidence requests reminded",
    "reminders_queued": "Deadline reminders queued",
    "reminded": "Questionnaire reminders sent",
    "sent": "Emails sent",
    "left": "Emails still waiting",
    "added": "Entries added",
    "file_name": "File",
    "chain": "Audit chain",
    "holds": "The audit trail holds",
    "events_checked": "Events recomputed",
    "first_break": "First broken link",
    "unkeyed_events": "Events from before the audit key",
    "checkpoints_matched": "Signed checkpoints matched",
    "checkpoint_problem": "Checkpoint problem",
}
# Keys that steer the page rather than report a figure.
_NOT_FIGURES = frozenset({"ok", "summary", "link", "link_text", "errors", "message"})


def _value_words(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "none"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_value_words(v)}" for k, v in value.items())
    return str(value)


def _label(key: str) -> str:
    words = RESULT_LABELS.get(key) or key.replace("_", " ")
    return words[:1].upper() + words[1:]


def result_facts(result: Any) -> list[tuple[str, str]]:
    """A finished job's result as labelled figures for a definition list:
    ``{"nodes": 84, "changed": 3}`` -> ``[("Records scored", "84"), ("Scores changed", "3")]``."""
    if not isinstance(result, dict):
        return [] if result in (None, "") else [("Result", _value_words(result))]
    return [(_label(str(k)), _value_words(v)) for k, v in result.items() if k not in _NOT_FIGURES]
