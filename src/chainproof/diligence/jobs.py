"""Daily: corrective actions that passed their due date raise their records' risk."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chainproof.diligence.requests import evidence_requests_remind
from chainproof.diligence.services import overdue_actions_flag
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic


@handler(JobKind.DILIGENCE_OVERDUE)
def overdue(job: Job, progress: Progress) -> dict[str, Any]:
    with transaction.atomic():
        flagged = overdue_actions_flag()
    return {"newly_overdue": flagged, "requests_reminded": evidence_requests_remind()}


periodic(JobKind.DILIGENCE_OVERDUE, every_seconds=6 * 3600)
