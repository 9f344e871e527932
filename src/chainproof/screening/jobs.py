from __future__ import annotations

from typing import Any

from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler
from chainproof.screening.services import screen


@handler("screening.screen")
def screen_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a screening job needs an organization")
    nodes = job.params.get("nodes")
    return screen(
        organization_id=job.organization_id,
        nodes=set(nodes) if nodes else None,
        actor=job.created_by,
        progress=progress,
    )
