"""Background scoring: a full run, or a fast re-score of what one change affects."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chainproof.domain.nodes import parse_all
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler
from chainproof.risk.services import risk_rescore, risk_score_all


@handler(JobKind.RISK_SCORE_ALL)
def score_all_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    return risk_score_all(organization_id=job.organization_id, progress=progress)


@handler(JobKind.RISK_RESCORE)
def rescore_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    result = risk_rescore(
        organization_id=job.organization_id,
        changed=parse_all(job.params.get("nodes", [])),
        progress=progress,
    )
    if "affected" in result:
        # Scores are up to date now; presumption checks need each product's whole
        # upstream, so a full run (merged with any already waiting) follows.
        with transaction.atomic():
            recompute.scores_stale(job.organization_id)
    return result
