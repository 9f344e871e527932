from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chainproof.domain.nodes import format_all, parse_all
from chainproof.domain.screening.matcher import ALGORITHM, VERSION
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, job_split, parts_combiner
from chainproof.jobs.uploads import read_upload
from chainproof.screening.services import record_keys, screen
from chainproof.screening.watchlists import WatchlistImportFailed, watchlist_import


@handler(JobKind.SCREENING_SCREEN)
def screen_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a screening job needs an organization")
    nodes = job.params.get("nodes")
    if not nodes and settings.SPLIT_AT_RECORDS:
        keys = record_keys(job.organization_id)
        size = settings.SPLIT_PART_RECORDS
        if len(keys) >= settings.SPLIT_AT_RECORDS and len(keys) > size:
            # Each name is screened on its own: batches of names give the same hits.
            batches = [keys[start : start + size] for start in range(0, len(keys), size)]
            return job_split(
                job,
                kind=JobKind.SCREENING_SCREEN_PART,
                parts=[
                    (
                        {"members": format_all(batch)},
                        len(batch),
                        f"names {start + 1:,} to {start + len(batch):,} of {len(keys):,}",
                    )
                    for start, batch in zip(range(0, len(keys), size), batches, strict=True)
                ],
                done=0,
                total=len(keys),
                plan={"records": len(keys)},
            )
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


@handler(JobKind.SCREENING_SCREEN_PART)
def screen_part_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a screening job needs an organization")
    return screen(
        organization_id=job.organization_id,
        nodes=parse_all(job.params["members"]),
        actor=job.created_by,
        progress=progress,
    )


@parts_combiner(JobKind.SCREENING_SCREEN)
def screen_parts(job: Job, results: list[dict[str, Any]]) -> dict[str, Any]:
    """A split screening run's result, as one run would have said it."""
    lists: list[str] = []
    for part in results:
        lists += [name for name in part.get("lists") or () if name not in lists]
    result: dict[str, Any] = {
        key: sum(int(part.get(key) or 0) for part in results)
        for key in ("records", "new_hits", "reopened", "updated")
    }
    elapsed = timezone.now() - job.started_at if job.started_at else timedelta()
    result |= {
        "algorithm": next(
            (part["algorithm"] for part in results if part.get("algorithm")),
            f"{ALGORITHM} v{VERSION}",
        ),
        "lists": lists,
        "seconds": round(elapsed.total_seconds(), 2),
    }
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
