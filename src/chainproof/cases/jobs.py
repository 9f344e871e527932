"""Daily: reminders of case deadlines at the configured offsets, through the outbox."""

from __future__ import annotations

from typing import Any

from chainproof.cases.reminders import deadline_reminders_send
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic


@handler(JobKind.CASES_REMIND)
def remind(job: Job, progress: Progress) -> dict[str, Any]:
    return {"reminders_queued": deadline_reminders_send()}


periodic(JobKind.CASES_REMIND, every_seconds=6 * 3600)
