"""Background work for the supply chain: file imports and tier recomputation."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler
from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.services import tiers_recompute

UPLOAD_DIR = "imports"


def store_upload(upload: Any) -> str:
    """Keep an uploaded file under the data directory; return its path relative to it."""
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    relative = Path(UPLOAD_DIR) / f"{uuid.uuid4().hex}{suffix}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(relative)


@handler("suppliers.import")
def import_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    path = Path(settings.MEDIA_ROOT) / params["path"]
    if not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise PermissionError("the import file is outside the data directory")
    data = path.read_bytes()
    try:
        report = run_import(
            organization=job.organization_id,
            actor=job.created_by,
            entity=params["entity"],
            data=data,
            file_name=params["file_name"],
            dry_run=params.get("dry_run", False),
            progress=progress,
        )
    except ImportFailed as exc:
        return {
            "ok": False,
            "message": f"{exc.source}: nothing was imported.",
            "errors": [e.as_dict() for e in exc.errors],
            "total_errors": exc.total,
        }
    return {"ok": True, **report.as_dict()}


@handler("suppliers.tiers")
def tiers_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a tier job needs an organization")
    progress(0, None, "computing tiers")
    return tiers_recompute(organization_id=job.organization_id)
