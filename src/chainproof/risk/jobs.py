"""Background scoring: a full run, or a fast re-score of what one change affects."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, job_enqueue
from chainproof.risk.services import risk_rescore, risk_score_all


@handler("risk.score_all")
def score_all_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    return risk_score_all(organization_id=job.organization_id, progress=progress)


@handler("risk.rescore")
def rescore_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    result = risk_rescore(
        organization_id=job.organization_id,
        changed=set(job.params.get("nodes", [])),
        progress=progress,
    )
    if "affected" in result:
        # Scores are up to date now; presumption checks need each product's whole
        # upstream, so a full run (coalesced with any already waiting) follows.
        with transaction.atomic():
            job_enqueue(kind="risk.score_all", organization=job.organization, coalesce=True)
    return result
