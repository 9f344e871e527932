"""Background work of the locker: read new versions' text, verify every stored content
daily, mark expired documents and announce those expiring soon."""

from __future__ import annotations

from typing import Any

from chainproof.evidence.expiry import documents_expire
from chainproof.evidence.reading import versions_read
from chainproof.evidence.verification import blobs_verify
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic

DAY = 24 * 3600


@handler(JobKind.EVIDENCE_EXTRACT)
def read_text(job: Job, progress: Progress) -> dict[str, Any]:
    return versions_read([int(v) for v in job.params.get("versions", [])], progress)


@handler(JobKind.EVIDENCE_VERIFY)
def verify(job: Job, progress: Progress) -> dict[str, Any]:
    run = blobs_verify(
        organization=job.params.get("organization"), actor=job.created_by, progress=progress
    )
    return {"checked": run.checked, "missing": run.missing, "altered": run.altered}


@handler(JobKind.EVIDENCE_EXPIRY)
def expiry(job: Job, progress: Progress) -> dict[str, Any]:
    return documents_expire()


periodic(JobKind.EVIDENCE_VERIFY, every_seconds=DAY)
periodic(JobKind.EVIDENCE_EXPIRY, every_seconds=DAY)
