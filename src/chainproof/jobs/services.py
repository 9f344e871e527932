"""Enqueueing, claiming and finishing jobs. A handler must be safe to run twice."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.jobs.heartbeat import heartbeat
from chainproof.jobs.models import Job, internal_error_message, looks_internal
from chainproof.jobs.tasks import dispatch

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None, str], None]
Handler = Callable[[Job, Progress], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}
# How the results of a split job's parts make the job's result (see job_split): kind of
# the split job -> function(job, results of its parts in order).
Combiner = Callable[[Job, list[dict[str, Any]]], dict[str, Any]]
COMBINERS: dict[str, Combiner] = {}
# What a handler returns once it has split its job into parts (job_split): the job waits.
SPLIT = "split_into_parts"
# Work that recurs (reminders): kind -> seconds between runs. The worker loops enqueue
# each kind when its interval has passed since the last one was queued.
PERIODIC: dict[str, int] = {}
# The PostgreSQL advisory lock under which workers decide to queue periodic jobs.
PERIODIC_LOCK = 0x6A6F_6273_7065_7269  # "jobsperi"
# A running job whose worker gave no sign of life for STALE_AFTER is taken over by another
# worker; after MAX_ATTEMPTS claims it is given up. Workers beat every HEARTBEAT_EVERY.
STALE_AFTER = timedelta(minutes=30)
HEARTBEAT_EVERY = timedelta(minutes=5)
MAX_ATTEMPTS = 3


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def parts_combiner(kind: str) -> Callable[[Combiner], Combiner]:
    """Register how a job of ``kind`` split into parts makes its result from theirs."""

    def register(function: Combiner) -> Combiner:
        COMBINERS[kind] = function
        return function

    return register


def periodic(kind: str, every_seconds: int) -> None:
    """Run the handler of ``kind`` (organization-wide, no parameters) every so often."""
    PERIODIC[kind] = every_seconds


def enqueue_due_periodic(now: Any = None) -> int:
    """Queue each periodic job whose interval has passed; returns how many were queued.

    Every worker calls this; the decision is re-taken under a lock (PostgreSQL: an advisory
    lock for the transaction; SQLite: the IMMEDIATE transaction's write lock), so workers
    on several hosts queue one job per interval between them.
    """
    queued = 0
    for kind, seconds in PERIODIC.items():
        if not _periodic_due(kind, seconds, now):
            continue
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PERIODIC_LOCK])
            if _periodic_due(kind, seconds, now):
                job_enqueue(kind=kind, coalesce=True)
                queued += 1
    return queued


def _periodic_due(kind: str, seconds: int, now: Any) -> bool:
    last = Job.objects.filter(kind=kind, organization__isnull=True).order_by("-created_at")
    latest = last.values_list("created_at", flat=True).first()
    return latest is None or (now or timezone.now()) - latest >= timedelta(seconds=seconds)


def job_enqueue(
    *,
    kind: str,
    organization: Any = None,
    actor: Any = None,
    params: dict[str, Any] | None = None,
    coalesce: bool = False,
    parent: Job | None = None,
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
        dispatched_at=timezone.now(),
        parent=parent,
    )
    audit_record(
        action="job.enqueued",
        actor=actor,
        organization=organization,
        obj=job,
        after={"kind": kind, "params": job.params},
    )
    dispatch(job)
    return job


def job_split(
    job: Job,
    *,
    kind: str,
    parts: list[tuple[dict[str, Any], int, str]],
    done: int,
    total: int,
    plan: dict[str, Any],
) -> dict[str, Any]:
    """Split the running ``job`` into parts that any worker may claim: one job of ``kind``
    per (params, number of records, what the part holds in words). Returns what the
    handler returns: ``job`` then waits, still running, and finishes when its last part
    ends (``_part_ended``): its progress counts the records of the parts that ended
    (from ``done`` of ``total``), its result comes from theirs (COMBINERS) and ``plan``,
    and a part that failed fails it, saying which part.

    The parts are queued through ``job_enqueue`` like any job, in one transaction with
    the plan written on ``job``, so none can end before the job knows its plan.
    """
    if job.kind not in COMBINERS:
        raise ValueError(f"no way to combine the parts of {job.kind!r}")
    count = len(parts)
    with transaction.atomic():
        waiting = _mine(job).update(
            result=plan,
            progress=done,
            total=total,
            message=f"split into {count} parts",
            heartbeat_at=timezone.now(),
        )
        if not waiting:
            _log_lost(job)
            return {SPLIT: 0}
        for number, (params, size, words) in enumerate(parts, start=1):
            job_enqueue(
                kind=kind,
                organization=job.organization_id,
                actor=job.created_by,
                params={**params, "part": number, "parts": count, "size": size, "words": words},
                parent=job,
            )
        audit_record(
            action="job.split",
            actor=job.created_by,
            organization=job.organization_id,
            obj=job,
            after={"parts": count, "kind": kind, "records": total - done},
        )
    return {SPLIT: count}


def _part_ended(part: Job) -> None:
    """A part's outcome was just recorded (in this transaction): bring its parent's
    progress up to date, and finish the parent when this was its last part to end."""
    if part.parent_id is None:
        return
    # Parts ending together take turns on the parent's row.
    parent = (
        Job.objects.select_for_update().filter(pk=part.parent_id, status=Job.Status.RUNNING).first()
    )
    if parent is None:
        return
    parts = list(Job.objects.filter(parent_id=parent.pk).order_by("pk"))
    ended = [p for p in parts if p.is_done]
    before = parent.total or 0
    before -= sum(int(p.params.get("size", 0)) for p in parts)
    # The records of the parts that succeeded count as done (a failed part's do not).
    progress = before + sum(
        int(p.params.get("size", 0)) for p in ended if p.status == Job.Status.SUCCEEDED
    )
    now = timezone.now()
    if len(ended) < len(parts):
        Job.objects.filter(pk=parent.pk).update(
            progress=progress,
            message=f"{len(ended)} of {len(parts)} parts done",
            heartbeat_at=now,
        )
        return
    failed = [p for p in parts if p.status == Job.Status.FAILED]
    outcome: dict[str, Any]
    if failed:
        first = failed[0]
        others = len(failed) - 1
        error = (
            f"Part {first.params.get('part')} of {len(parts)} ({first.params.get('words')}) "
            f"failed: {first.public_error}"
            + (f" {others} other part{'s' if others != 1 else ''} failed too." if others else "")
            + " The parts that succeeded kept their results; run the job again for the rest."
        )
        Job.objects.filter(pk=parent.pk).update(
            status=Job.Status.FAILED,
            result=None,  # the plan the parts were to carry out
            error=error,
            finished_at=now,
            progress=progress,
            message="failed",
        )
        action, outcome = "job.failed", {"error": error[:500]}
    else:
        result = COMBINERS[parent.kind](parent, [p.result or {} for p in parts])
        result = {**result, "parts": len(parts)}
        Job.objects.filter(pk=parent.pk).update(
            status=Job.Status.SUCCEEDED,
            result=result,
            finished_at=now,
            progress=parent.total or progress,
            message="done",
        )
        action, outcome = "job.succeeded", {"result": result}
    audit_record(
        action=action,
        actor=parent.created_by,
        organization=parent.organization_id,
        obj=parent,
        after=outcome,
    )


def worker_name() -> str:
    """host:pid:thread: tells apart every worker thread of every host sharing the database."""
    return f"{socket.gethostname()[:70]}:{os.getpid()}:{threading.get_native_id()}"


def job_claim(worker: str | None = None) -> Job | None:
    """Take the job that has waited longest for this worker, or None when there is none.

    A running job whose worker stopped (no heartbeat for STALE_AFTER) comes first: it is
    reclaimed, or given up once it has stopped MAX_ATTEMPTS workers. Then the oldest queued
    job. Each claim is one short transaction: on PostgreSQL the candidate row is locked with
    FOR UPDATE SKIP LOCKED, so workers never wait for each other's rows; SQLite's IMMEDIATE
    transactions hold the write lock from BEGIN. Either way the UPDATE that claims repeats
    the condition it was chosen on and counts the attempt itself (attempts = attempts + 1).
    """
    worker = worker or worker_name()
    lost_races = 0
    while lost_races < 10:
        with transaction.atomic():
            now = timezone.now()
            stale = _stale(now).select_for_update(skip_locked=True).first()
            if stale is not None and stale.attempts >= MAX_ATTEMPTS:
                if not _give_up(stale, now):
                    lost_races += 1
                continue
            if stale is not None:
                previous = stale.claimed_by
                message = f"restarted: the worker running it ({previous}) stopped"
                if _claim(stale, worker, now, message):
                    _audit_reclaim(stale, previous)
                    return stale
            else:
                queued = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "pk")
                job = queued.select_for_update(skip_locked=True).first()
                if job is None:
                    return None
                if _claim(job, worker, now, ""):
                    return job
        lost_races += 1  # the row changed between SELECT and UPDATE (no lock held): look again
    return None


def _stale(now: Any) -> QuerySet[Job]:
    """Running jobs whose worker has given no sign of life for STALE_AFTER."""
    cutoff = now - STALE_AFTER
    return (
        Job.objects.filter(_silent(cutoff), status=Job.Status.RUNNING)
        .exclude(_waiting_for_parts())
        .order_by("started_at", "pk")
    )


def _waiting_for_parts() -> Exists:
    """A job split into parts, some of which have not ended: it is silent, but alive."""
    return Exists(
        Job.objects.filter(parent=OuterRef("pk")).exclude(
            status__in=(Job.Status.SUCCEEDED, Job.Status.FAILED)
        )
    )


def _silent(cutoff: Any) -> Q:
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)


# How many jobs each thread ran through job_deliver (thread ident -> count): what
# `chainproof worker --once` reports.
DELIVERED: Counter[int] = Counter()
_delivered_lock = threading.Lock()


def job_deliver(job_id: int, worker: str | None = None) -> Job | None:
    """Run the job ``job_id`` on delivery of its task, if it is still for this worker to
    run: waiting in the queue, or running under a worker that stopped (reclaimed, or given
    up after MAX_ATTEMPTS). Returns the finished job, or None when there was nothing to do
    (another delivery of the same task, or another worker, has it; it finished; it is gone).

    The claim is the one ``job_claim`` makes: the row locked FOR UPDATE SKIP LOCKED on
    PostgreSQL, and an UPDATE that repeats the condition it was read on everywhere.
    """
    worker = worker or worker_name()
    with transaction.atomic():
        now = timezone.now()
        job = Job.objects.filter(pk=job_id).select_for_update(skip_locked=True).first()
        if job is None:
            return None
        if job.status == Job.Status.QUEUED:
            if not _claim(job, worker, now, ""):
                return None
        elif _stale(now).filter(pk=job.pk).exists():
            if job.attempts >= MAX_ATTEMPTS:
                _give_up(job, now)
                return None
            previous = job.claimed_by
            message = f"restarted: the worker running it ({previous}) stopped"
            if not _claim(job, worker, now, message):
                return None
            _audit_reclaim(job, previous)
        else:
            return None
    with _delivered_lock:
        DELIVERED[threading.get_ident()] += 1
    return job_run(job)


def job_sweep(now: Any = None, *, limit: int = 1000) -> int:
    """Hand again to the task backend the jobs whose task may be lost: queued but not
    dispatched for STALE_AFTER (a backend that lost its queue, a process that stopped
    between commit and dispatch, a job queued before tasks were used), and running jobs
    whose worker stopped (their task re-delivered reclaims them). Returns how many.

    Each is re-dispatched under a conditional UPDATE of ``dispatched_at``, so workers
    sweeping together dispatch it once; a second delivery would run it once anyway.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    undelivered = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff)
    lost = Q(status=Job.Status.QUEUED) | Q(_silent(cutoff), status=Job.Status.RUNNING)
    candidates = list(
        Job.objects.filter(undelivered, lost)
        .exclude(_waiting_for_parts())
        .order_by("pk")
        .values_list("pk", "dispatched_at")[:limit]
    )
    dispatched = 0
    for pk, dispatched_at in candidates:
        with transaction.atomic():
            if Job.objects.filter(pk=pk, dispatched_at=dispatched_at).update(dispatched_at=now):
                dispatch(Job(pk=pk))
                dispatched += 1
    return dispatched


def _claim(job: Job, worker: str, now: Any, message: str) -> bool:
    """The claiming statement: an UPDATE conditional on the row as it was read, which also
    counts the attempt. On success ``job`` is updated to match the row."""
    claimed = Job.objects.filter(
        pk=job.pk, status=job.status, claimed_by=job.claimed_by, attempts=job.attempts
    ).update(
        status=Job.Status.RUNNING,
        claimed_by=worker,
        started_at=now,
        heartbeat_at=now,
        progress=0,
        message=message[:300],
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return False
    job.status, job.claimed_by, job.started_at, job.heartbeat_at = (
        Job.Status.RUNNING,
        worker,
        now,
        now,
    )
    job.progress, job.message, job.attempts = 0, message[:300], job.attempts + 1
    return True


def _audit_reclaim(job: Job, previous: str) -> None:
    audit_record(
        action="job.reclaimed",
        actor=job.created_by,
        organization=job.organization_id,
        obj=job,
        before={"claimed_by": previous, "attempts": job.attempts - 1},
        after={"claimed_by": job.claimed_by, "attempts": job.attempts},
    )


def _give_up(stale: Job, now: Any) -> bool:
    """Fail a job that stopped its worker MAX_ATTEMPTS times, rather than crash another."""
    times = "once" if stale.attempts == 1 else f"{stale.attempts} times"
    error = (
        f"Gave up: the worker running it stopped {times} (last {stale.claimed_by}, silent "
        f"since {stale.heartbeat_at or stale.started_at:%Y-%m-%d %H:%M:%S %Z}). A job that "
        "keeps stopping its worker may be exhausting its memory; see that worker's log."
    )
    failed = Job.objects.filter(
        pk=stale.pk, status=Job.Status.RUNNING, claimed_by=stale.claimed_by
    ).update(status=Job.Status.FAILED, error=error, finished_at=now, message="gave up")
    if failed:
        audit_record(
            action="job.failed",
            actor=stale.created_by,
            organization=stale.organization_id,
            obj=stale,
            after={"error": error, "attempts": stale.attempts},
        )
        stale.status, stale.error = Job.Status.FAILED, error
        _part_ended(stale)
    return bool(failed)


def _mine(job: Job) -> QuerySet[Job]:
    """The job's row while this claim on it holds (not reclaimed by another worker)."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, claimed_by=job.claimed_by)


def _progress_reporter(mine: QuerySet[Job]) -> Progress:
    def report(done: int, total: int | None, message: str = "") -> None:
        mine.update(progress=done, total=total, message=message[:300], heartbeat_at=timezone.now())

    return report


def job_run(job: Job) -> Job:
    """Run a claimed job to the end, recording success or failure.

    While the handler runs, a heartbeat keeps the job from looking abandoned. The outcome
    is recorded only if this worker still holds the claim: a worker presumed dead whose
    job was reclaimed leaves the record to the one that took it over.
    """
    function = HANDLERS.get(job.kind)
    mine = _mine(job)
    error: str | None = None
    rejected = False
    result: dict[str, Any] = {}
    try:
        if function is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with heartbeat(mine, every=HEARTBEAT_EVERY):
            result = function(job, _progress_reporter(mine))
    except Exception as exc:
        log.exception("job %s failed", job.pk)
        error = _describe(exc, job)
    if error is None and isinstance(result, dict) and SPLIT in result:
        # Split into parts (job_split): the job waits for them and ends with the last.
        job.refresh_from_db()
        return job
    # Outside the except block: a MemoryError's frames (and what filled the memory) are
    # released before the outcome is written.
    with transaction.atomic():
        if error is not None:
            recorded = mine.update(
                status=Job.Status.FAILED, error=error, finished_at=timezone.now()
            )
            outcome: dict[str, Any] = {"error": error[:500]}
        else:
            rejected = isinstance(result, dict) and result.get("ok") is False
            recorded = mine.update(
                status=Job.Status.SUCCEEDED,
                result=result,
                finished_at=timezone.now(),
                message="rejected" if rejected else "done",
            )
            outcome = {"result": result}
        if recorded:
            if error is not None:
                action = "job.failed"
            else:
                action = "job.rejected" if rejected else "job.succeeded"
            audit_record(
                action=action,
                actor=job.created_by,
                organization=job.organization_id,
                obj=job,
                after=outcome,
            )
            if job.parent_id is not None:
                job.status = Job.Status.FAILED if error is not None else Job.Status.SUCCEEDED
                _part_ended(job)
        else:
            _log_lost(job)
    job.refresh_from_db()
    return job


def _log_lost(job: Job) -> None:
    log.warning(
        "job %s: %s lost its claim while running; outcome not recorded", job.pk, job.claimed_by
    )


def _describe(exc: Exception, job: Job) -> str:
    """What a person is told about a failure: never a traceback or a server path (those
    go to the log, under the job's number). The messages of ValueError, LookupError and
    PermissionError are written for people (a file's problem, an upload that expired),
    unless they give away the inside of the server; a KeyError's message is a bare key."""
    if isinstance(exc, MemoryError):
        from django.conf import settings

        return (
            f"The job ran out of memory (this worker may use {settings.WORKER_MEMORY_MB:,} MB). "
            "A file this large or this complex cannot be read here: split it, or save it as CSV. "
            "Nothing was changed."
        )
    told = isinstance(exc, ValueError | LookupError | PermissionError)
    if told and not isinstance(exc, KeyError | UnicodeError) and str(exc).strip():
        message = str(exc).strip()[:1000]
        if not looks_internal(message):
            return message
    return internal_error_message(job.pk)


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
