"""A signed checkpoint of every audit chain's head, written hourly outside the database; a
verification of one organization's whole chain, asked for by an administrator."""

from __future__ import annotations

from typing import Any

from chainproof.audit.checkpoints import checkpoint_write
from chainproof.audit.selectors import verify_organization_chain
from chainproof.auditlog.verification import verification_result
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic


@handler(JobKind.AUDIT_CHECKPOINT)
def checkpoint_job(job: Job, progress: Progress) -> dict[str, Any]:
    written = checkpoint_write()
    return {"checkpoints": len(written), "chains": sorted(c.chain for c in written)}


periodic(JobKind.AUDIT_CHECKPOINT, every_seconds=3600)


@handler(JobKind.AUDIT_VERIFY)
def verify_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a verification of the audit trail needs its organization")
    return verification_result(verify_organization_chain(job.organization_id, progress))
