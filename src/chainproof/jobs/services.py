"""Enqueueing, claiming and finishing jobs. A handler must be safe to run twice."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import close_old_connections, transaction
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.jobs.models import Job

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None, str], None]
Handler = Callable[[Job, Progress], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}
# Work that recurs (reminders): kind -> seconds between runs. The worker loops enqueue
# each kind when its interval has passed since the last one was queued.
PERIODIC: dict[str, int] = {}
STALE_AFTER = timedelta(minutes=30)
MAX_ATTEMPTS = 3


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def periodic(kind: str, every_seconds: int) -> None:
    """Run the handler of ``kind`` (organization-wide, no parameters) every so often."""
    PERIODIC[kind] = every_seconds


def enqueue_due_periodic(now: Any = None) -> int:
    """Queue each periodic job whose interval has passed; returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for kind, seconds in PERIODIC.items():
        last = Job.objects.filter(kind=kind, organization__isnull=True).order_by("-created_at")
        latest = last.values_list("created_at", flat=True).first()
        if latest is None or now - latest >= timedelta(seconds=seconds):
            with transaction.atomic():
                job_enqueue(kind=kind, coalesce=True)
            queued += 1
    return queued


def job_enqueue(
    *,
    kind: str,
    organization: Any = None,
    actor: Any = None,
    params: dict[str, Any] | None = None,
    coalesce: bool = False,
) -> Job:
    """Queue a job (call inside the transaction that decides to run it).

    ``coalesce`` returns an identical job still waiting in the queue instead of adding
    another (a full recomputation queued twice need only run once).
    """
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    organization_id = getattr(organization, "pk", organization)
    if coalesce:
        waiting = next(
            (
                job
                for job in Job.objects.filter(
                    kind=kind, organization_id=organization_id, status=Job.Status.QUEUED
                )
                if job.params == (params or {})
            ),
            None,
        )
        if waiting is not None:
            return waiting
    job = Job.objects.create(
        kind=kind,
        organization_id=organization_id,
        params=params or {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="job.enqueued",
        actor=actor,
        organization=organization,
        obj=job,
        after={"kind": kind, "params": job.params},
    )
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def job_claim(worker: str | None = None) -> Job | None:
    """Take the oldest queued job (or one whose worker vanished) for this worker."""
    worker = worker or worker_name()
    now = timezone.now()
    candidates = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "pk")
    stale = Job.objects.filter(
        status=Job.Status.RUNNING, started_at__lt=now - STALE_AFTER, attempts__lt=MAX_ATTEMPTS
    ).order_by("started_at")
    for queryset, expected in ((candidates, Job.Status.QUEUED), (stale, Job.Status.RUNNING)):
        for pk in queryset.values_list("pk", flat=True)[:5]:
            claimed = Job.objects.filter(pk=pk, status=expected).update(
                status=Job.Status.RUNNING,
                claimed_by=worker,
                started_at=now,
                progress=0,
            )
            if claimed == 1:
                job = Job.objects.get(pk=pk)
                Job.objects.filter(pk=pk).update(attempts=job.attempts + 1)
                job.attempts += 1
                return job
    return None


def _progress_reporter(job: Job) -> Progress:
    def report(done: int, total: int | None, message: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(progress=done, total=total, message=message[:300])

    return report


def job_run(job: Job) -> Job:
    """Run a claimed job to the end, recording success or failure."""
    function = HANDLERS.get(job.kind)
    try:
        if function is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = function(job, _progress_reporter(job))
    except Exception as exc:
        log.exception("job %s failed", job.pk)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=_describe(exc),
                finished_at=timezone.now(),
            )
            audit_record(
                action="job.failed",
                actor=job.created_by,
                organization=job.organization_id,
                obj=job,
                after={"error": _describe(exc)[:500]},
            )
    else:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.SUCCEEDED,
                result=result,
                finished_at=timezone.now(),
                message="done",
            )
            audit_record(
                action="job.succeeded",
                actor=job.created_by,
                organization=job.organization_id,
                obj=job,
                after={"result": result},
            )
    job.refresh_from_db()
    return job


def _describe(exc: Exception) -> str:
    message = str(exc) or type(exc).__name__
    if isinstance(exc, (ValueError, LookupError, PermissionError)):
        return message
    return f"{message}\n\n{traceback.format_exc(limit=5)}"


def run_pending(*, limit: int | None = None, worker: str | None = None) -> int:
    """Run queued jobs until none is left (or ``limit`` ran). Returns how many ran."""
    count = 0
    while limit is None or count < limit:
        job = job_claim(worker)
        if job is None:
            break
        job_run(job)
        count += 1
    return count


class BackgroundWorker(threading.Thread):
    """An in-process worker for `chainproof serve`, so one command runs everything."""

    def __init__(self, interval: float = 1.0) -> None:
        super().__init__(name="chainproof-worker", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                enqueue_due_periodic()
                ran = run_pending(limit=10)
            except Exception:
                log.exception("background worker loop failed")
                ran = 0
            finally:
                close_old_connections()
            if not ran:
                self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
