"""Background work: send queued email (after each commit that queues some, and every
few minutes for the retries that fell due)."""

from __future__ import annotations

from typing import Any

from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, periodic
from chainproof.outbox.services import email_send_due

RETRY_EVERY_SECONDS = 300


@handler(JobKind.OUTBOX_SEND)
def send(job: Job, progress: Progress) -> dict[str, Any]:
    return email_send_due(progress=progress)


periodic(JobKind.OUTBOX_SEND, every_seconds=RETRY_EVERY_SECONDS)
