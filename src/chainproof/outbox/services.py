"""Writes for outbound email.

``email_queue`` records a message in the caller's transaction and asks for the send job
once that transaction commits: a rollback leaves neither the message nor the job, and
nothing is sent before the change it announces is stored. The worker sends due
messages one at a time (``email_send_due``), each attempt outside any transaction,
and records each outcome with its audit event; a failed message is retried with
exponential backoff until ``settings.EMAIL_MAX_ATTEMPTS`` attempts were made.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.services import Progress, job_enqueue
from chainproof.outbox.models import OutboundEmail

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(hours=6)
# How long a claimed message is left to its worker before another may try it (a worker
# that died mid-send): at least once, never twice at the same time.
SEND_LEASE = timedelta(minutes=10)
BATCH = 200


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, 8... minutes, at most 6 h."""
    wait: timedelta = RETRY_FIRST * (2 ** max(0, attempts - 1))
    return min(wait, RETRY_LONGEST)


def _queue_send_job() -> None:
    with transaction.atomic():
        job_enqueue(kind=JobKind.OUTBOX_SEND, coalesce=True)


def email_queue(
    *,
    organization: Any,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    purpose: str = "",
    related: models.Model | None = None,
    actor: Any = None,
) -> OutboundEmail:
    """Record one message to send after the caller's transaction commits."""
    to = to.strip()
    if not to or "@" not in to:
        raise ValidationError({"to": f"Expected an email address, found {to!r}."})
    subject = " ".join(subject.split())  # a header never carries a line break
    message = OutboundEmail.objects.create(
        organization_id=getattr(organization, "pk", organization),
        purpose=purpose[:60],
        to=to[:254],
        subject=subject[:300],
        body=body,
        html=html,
        next_attempt_at=timezone.now(),
        related_type=related._meta.label_lower if related is not None else "",
        related_id=str(related.pk) if related is not None else "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="email.queued",
        actor=actor,
        organization=message.organization_id,
        obj=message,
        after={"to": message.to, "subject": message.subject, "purpose": message.purpose},
    )
    transaction.on_commit(_queue_send_job)
    return message


def email_retry(*, message: OutboundEmail, actor: Any) -> OutboundEmail:
    """Send a failed message again at the next run of the worker (queued after commit)."""
    if message.status != OutboundEmail.Status.FAILED:
        raise ValidationError("Only a failed message can be retried.")
    before = {"status": message.status, "next_attempt_at": message.next_attempt_at}
    message.status = OutboundEmail.Status.QUEUED
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "next_attempt_at"])
    audit_record(
        action="email.retry_requested",
        actor=actor,
        organization=message.organization_id,
        obj=message,
        before=before,
        after={"status": message.status, "attempts": message.attempts},
    )
    transaction.on_commit(_queue_send_job)
    return message


def _due(now: datetime) -> models.QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(
        status__in=(OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED),
        next_attempt_at__lte=now,
    )


def _claim(pk: int, now: datetime) -> OutboundEmail | None:
    """Take one due message for this worker (a conditional UPDATE, as jobs are claimed)."""
    claimed = (
        _due(now).filter(pk=pk).update(next_attempt_at=now + SEND_LEASE, attempts=F("attempts") + 1)
    )
    return OutboundEmail.objects.get(pk=pk) if claimed == 1 else None


def _deliver(message: OutboundEmail) -> str:
    """Hand one message to Django's mail backend; the error, or "" when it was sent."""
    email = EmailMultiAlternatives(
        message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # any failure of the backend leaves the message to retry
        log.warning("email %s to %s failed: %s", message.pk, message.to, exc)
        return f"{type(exc).__name__}: {exc}"[:2000]
    return ""


def _record(message: OutboundEmail, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        if not error:
            message.status = OutboundEmail.Status.SENT
            message.sent_at = now
            message.next_attempt_at = None
            message.last_error = ""
            after: dict[str, Any] = {"status": message.status, "attempts": message.attempts}
        else:
            message.status = OutboundEmail.Status.FAILED
            message.last_error = error
            message.next_attempt_at = (
                now + retry_delay(message.attempts)
                if message.attempts < settings.EMAIL_MAX_ATTEMPTS
                else None
            )
            after = {
                "status": message.status,
                "attempts": message.attempts,
                "error": error[:500],
                "next_attempt_at": message.next_attempt_at,
            }
        message.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        audit_record(
            action=f"email.{message.status}",
            organization=message.organization_id,
            obj=message,
            after=after,
        )


def email_send_due(
    *, now: datetime | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Send every message due now, one message per attempt; returns what happened."""
    now = now or timezone.now()
    pks = list(_due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])
    sent = failed = 0
    for done, pk in enumerate(pks):
        message = _claim(pk, now)
        if message is None:
            continue  # another worker took it
        error = _deliver(message)
        _record(message, error)
        if error:
            failed += 1
        else:
            sent += 1
        if progress is not None:
            progress(done + 1, len(pks), f"{sent} sent, {failed} failed")
    return {"sent": sent, "failed": failed, "left": max(0, _due(now).count())}
