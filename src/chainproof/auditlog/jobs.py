"""A signed checkpoint of every audit chain's head, written hourly outside the database."""

from __future__ import annotations

from typing import Any

from chainproof.audit.checkpoints import checkpoint_write
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic


@handler(JobKind.AUDIT_CHECKPOINT)
def checkpoint_job(job: Job, progress: Progress) -> dict[str, Any]:
    written = checkpoint_write()
    return {"checkpoints": len(written), "chains": sorted(c.chain for c in written)}


periodic(JobKind.AUDIT_CHECKPOINT, every_seconds=3600)
