"""Background work: reminders on each campaign's schedule (run hourly by the worker)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic
from chainproof.questionnaires.campaigns import reminders_send

REMIND = JobKind.QUESTIONNAIRES_REMIND


@handler(REMIND)
def remind(job: Job, progress: Progress) -> dict[str, Any]:
    return {"reminded": reminders_send(base_url=settings.PUBLIC_BASE_URL)}


periodic(REMIND, every_seconds=3600)
