"""Uploaded files that wait for a background job: kept under the data directory, named in
the job's ``params["path"]``, read back only from there, and deleted
``UPLOAD_RETENTION_DAYS`` after their job finished (the job and its audit events stay).

These are working copies, not evidence: what a person must be able to prove later
(questionnaire workbooks, documents) is kept by SHA-256 in ``chainproof.blobs``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic

UPLOAD_DIR = "imports"


def store_upload(upload: Any, *, folder: str = UPLOAD_DIR) -> str:
    """Keep an uploaded file under the data directory; return its path relative to it.
    The name is random: the file's own name is never used on disk."""
    suffix = ".xlsx" if str(upload.name).lower().endswith(".xlsx") else ".csv"
    relative = Path(folder) / f"{uuid.uuid4().hex}{suffix}"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(relative)


def _resolved(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise PermissionError("the uploaded file is outside the data directory")
    return path


def read_upload(job: Job) -> bytes:
    """The file a job was queued with."""
    if job.params.get("upload_deleted"):
        raise LookupError(
            f"the uploaded file was deleted on {job.params['upload_deleted']} "
            f"(files are kept {settings.UPLOAD_RETENTION_DAYS} days); upload it again"
        )
    try:
        return _resolved(job.params["path"]).read_bytes()
    except FileNotFoundError:
        raise LookupError("the uploaded file is no longer stored; upload it again") from None


def uploads_expire(*, now: Any = None) -> dict[str, Any]:
    """Delete the stored uploads of jobs finished more than UPLOAD_RETENTION_DAYS ago;
    one audit event per organization sums up what went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = Job.objects.filter(
        status__in=(Job.Status.SUCCEEDED, Job.Status.FAILED),
        finished_at__lt=cutoff,
        params__has_key="path",
    ).exclude(params__has_key="upload_deleted")
    summary: dict[Any, dict[str, Any]] = defaultdict(lambda: {"files": 0, "bytes": 0, "jobs": []})
    for job in expired.order_by("pk").only("pk", "organization_id", "params"):
        with transaction.atomic():
            locked = Job.objects.select_for_update().filter(pk=job.pk).first()
            if locked is None or "upload_deleted" in locked.params:
                continue
            try:
                path = _resolved(locked.params["path"])
            except PermissionError:
                path = None
            size = 0
            if path is not None and path.is_file():
                size = path.stat().st_size
                path.unlink()
            locked.params = {**locked.params, "upload_deleted": now.date().isoformat()}
            locked.save(update_fields=["params"])
        entry = summary[locked.organization_id]
        entry["files"] += 1 if size else 0
        entry["bytes"] += size
        entry["jobs"].append(locked.pk)
    if summary:
        with transaction.atomic():
            for organization_id, entry in summary.items():
                audit_record(
                    action="jobs.uploads_expired",
                    organization=organization_id,
                    object_type="jobs.upload",
                    object_repr=f"{entry['files']} uploaded file(s), {entry['bytes']:,} bytes",
                    after={
                        "files": entry["files"],
                        "bytes": entry["bytes"],
                        "jobs": entry["jobs"][:1000],
                        "retention_days": settings.UPLOAD_RETENTION_DAYS,
                    },
                )
    return {
        "files": sum(e["files"] for e in summary.values()),
        "bytes": sum(e["bytes"] for e in summary.values()),
        "jobs": sum(len(e["jobs"]) for e in summary.values()),
    }


@handler(JobKind.UPLOADS_EXPIRE)
def uploads_expire_job(job: Job, progress: Progress) -> dict[str, Any]:
    progress(0, None, "deleting expired uploads")
    return uploads_expire()


periodic(JobKind.UPLOADS_EXPIRE, every_seconds=6 * 3600)
