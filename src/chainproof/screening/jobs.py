from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from chainproof.domain.nodes import parse_all
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler
from chainproof.jobs.uploads import read_upload
from chainproof.screening.services import screen
from chainproof.screening.watchlists import WatchlistImportFailed, watchlist_import


@handler(JobKind.SCREENING_SCREEN)
def screen_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a screening job needs an organization")
    nodes = job.params.get("nodes")
    result = screen(
        organization_id=job.organization_id,
        nodes=parse_all(nodes) if nodes else None,
        actor=job.created_by,
        progress=progress,
    )
    return {
        **result,
        "summary": run_summary(result),
        "link": reverse("screening:queue"),
        "link_text": "Review the hits",
    }


def run_summary(result: dict[str, Any]) -> str:
    """A screening run in a sentence: what was screened against which lists, what it found."""
    lists = [str(name) for name in result.get("lists") or ()]
    against = (
        ", ".join(lists[:-1]) + " and " + lists[-1] if len(lists) > 1 else "".join(lists)
    ) or "no list (none is loaded)"
    records = int(result.get("records") or 0)
    new, reopened = int(result.get("new_hits") or 0), int(result.get("reopened") or 0)
    found = f"{new} new hit{'s' if new != 1 else ''}" + (
        f", {reopened} decided hit{'s' if reopened != 1 else ''} reopened" if reopened else ""
    )
    return f"Screened {records} record{'s' if records != 1 else ''} against {against}: {found}."


@handler(JobKind.SCREENING_WATCHLIST_IMPORT)
def watchlist_import_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a watchlist import needs an organization")
    file_name = job.params["file_name"]
    progress(0, None, "reading the file")
    data = read_upload(job)
    try:
        with transaction.atomic():
            added = watchlist_import(
                organization_id=job.organization_id,
                actor=job.created_by,
                data=data,
                file_name=file_name,
            )
    except WatchlistImportFailed as exc:
        return {
            "ok": False,
            "message": f"{file_name}: the file was not imported; nothing was added.",
            "errors": [e.as_dict() for e in exc.errors],
            "total_errors": exc.total,
        }
    return {
        "ok": True,
        "file_name": file_name,
        "added": added,
        "summary": f"Added {added} watchlist entries from {file_name}; screening runs again.",
        "link": reverse("screening:watchlist"),
        "link_text": "Back to the watchlist",
    }
