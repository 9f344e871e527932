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
    return screen(
        organization_id=job.organization_id,
        nodes=parse_all(nodes) if nodes else None,
        actor=job.created_by,
        progress=progress,
    )


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
