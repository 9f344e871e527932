"""Claiming, running and failing jobs in one process: what each statement does."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    handler,
    job_claim,
    job_enqueue,
    job_run,
    run_pending,
    worker_name,
)

pytestmark = pytest.mark.django_db

OK, BOOM, PROGRESS = "tests.claims.ok", "tests.claims.boom", "tests.claims.progress"


@handler(OK)
def _ok(job, progress):
    return {"echo": job.params.get("n")}


@handler(BOOM)
def _boom(job, progress):
    raise ValueError("sheet Suppliers, row 3: expected a country code, found 'Narnia'")


@handler(PROGRESS)
def _progress(job, progress):
    progress(2, 5, "two of five")
    row = Job.objects.get(pk=job.pk)
    return {"progress": row.progress, "beat": row.heartbeat_at.isoformat()}


def _enqueue(kind=OK, **params):
    with transaction.atomic():
        return job_enqueue(kind=kind, params=params)


def _events(action, job):
    return list(AuditEvent.objects.filter(action=action, object_id=str(job.pk)))


def test_the_claiming_update_counts_the_attempt_itself():
    job = _enqueue()
    Job.objects.filter(pk=job.pk).update(attempts=1)  # as if claimed before, then re-queued
    with CaptureQueriesContext(connection) as queries:
        claimed = job_claim("host-a:1:1")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1, updates
    assert '"attempts" = ("jobs_job"."attempts" + 1)' in updates[0]
    assert "\"status\" = 'queued'" in updates[0].split("WHERE")[1]
    assert claimed is not None
    assert claimed.pk == job.pk
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.attempts, row.claimed_by) == (Job.Status.RUNNING, 2, "host-a:1:1")
    assert (claimed.attempts, claimed.claimed_by) == (2, "host-a:1:1")
    assert row.heartbeat_at == row.started_at == claimed.started_at
    if connection.vendor == "postgresql":
        selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert selects
        assert all(s.endswith("FOR UPDATE SKIP LOCKED") for s in selects), selects


def test_claims_take_the_oldest_job_first_then_none():
    first, second = _enqueue(n=1), _enqueue(n=2)
    Job.objects.filter(pk=second.pk).update(created_at=first.created_at - timedelta(seconds=1))
    assert [job_claim("w").pk, job_claim("w").pk] == [second.pk, first.pk]
    assert job_claim("w") is None


def test_worker_name_is_host_pid_thread():
    host, pid, thread = worker_name().rsplit(":", 2)
    assert host
    assert int(pid) > 0
    assert int(thread) > 0
    names = []
    other = threading.Thread(target=lambda: names.append(worker_name()))
    other.start()
    other.join()
    assert len(names) == 1
    assert names[0] != worker_name()
    assert names[0].rsplit(":", 1)[0] == f"{host}:{pid}"


def test_a_job_that_succeeds_records_its_result_and_audit_event(alice):
    with transaction.atomic():
        job = job_enqueue(
            kind=OK, organization=alice.organization, actor=alice.user, params={"n": 7}
        )
    assert run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.result, job.message, job.attempts) == (
        "succeeded",
        {"echo": 7},
        "done",
        1,
    )
    assert job.finished_at is not None
    assert job.error == ""
    [event] = _events("job.succeeded", job)
    assert (event.after, event.actor, event.organization_id) == (
        {"result": {"echo": 7}},
        alice.user,
        alice.organization.pk,
    )


def test_a_job_that_raises_fails_with_the_handlers_message():
    job = _enqueue(BOOM)
    done = job_run(job_claim("w"))
    assert done.status == Job.Status.FAILED
    assert done.error == "sheet Suppliers, row 3: expected a country code, found 'Narnia'"
    [event] = _events("job.failed", job)
    assert event.after == {"error": done.error}
    assert job_claim("w") is None  # a failure is not retried


def test_progress_is_stored_and_refreshes_the_heartbeat():
    job = _enqueue(PROGRESS)
    claimed = job_claim("w")
    long_ago = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    claimed.heartbeat_at = long_ago
    done = job_run(claimed)
    assert done.result["progress"] == 2
    assert done.result["beat"] > long_ago.isoformat()
    assert (done.total, done.status) == (5, Job.Status.SUCCEEDED)


def _running(job, *, worker="dead-host:4242:1", attempts=1, silent_for=STALE_AFTER * 2):
    then = timezone.now() - silent_for
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        claimed_by=worker,
        attempts=attempts,
        started_at=then,
        heartbeat_at=then,
    )


def test_a_job_whose_worker_stopped_is_reclaimed_once_per_staleness_period():
    job = _enqueue()
    _running(job)
    queued = _enqueue()
    reclaimed = job_claim("rescuer:1:1")
    assert reclaimed.pk == job.pk  # the abandoned job before the queue
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.attempts, row.claimed_by) == ("running", 2, "rescuer:1:1")
    assert row.message == "restarted: the worker running it (dead-host:4242:1) stopped"
    assert job_claim("another:2:2").pk == queued.pk  # not reclaimed a second time
    assert job_claim("another:2:2") is None
    [event] = _events("job.reclaimed", job)
    assert (event.before, event.after) == (
        {"claimed_by": "dead-host:4242:1", "attempts": 1},
        {"claimed_by": "rescuer:1:1", "attempts": 2},
    )
    assert job_run(reclaimed).status == Job.Status.SUCCEEDED


def test_a_running_job_with_a_recent_heartbeat_is_left_alone():
    job = _enqueue()
    _running(job)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALE_AFTER / 2)
    assert job_claim("w") is None
    assert Job.objects.get(pk=job.pk).claimed_by == "dead-host:4242:1"


def test_a_job_that_stopped_its_worker_max_attempts_times_is_given_up():
    doomed = _enqueue()
    _running(doomed, attempts=MAX_ATTEMPTS)
    waiting = _enqueue()
    assert job_claim("w").pk == waiting.pk
    doomed.refresh_from_db()
    assert doomed.status == Job.Status.FAILED
    assert doomed.error.startswith(
        f"Gave up: the worker running it stopped {MAX_ATTEMPTS} times (last dead-host:4242:1"
    )
    assert doomed.finished_at is not None
    assert doomed.attempts == MAX_ATTEMPTS
    [event] = _events("job.failed", doomed)
    assert event.after == {"error": doomed.error, "attempts": MAX_ATTEMPTS}
    assert job_claim("w") is None


def test_a_worker_that_lost_its_claim_does_not_record_an_outcome():
    job = _enqueue()
    claimed = job_claim("slow:1:1")
    Job.objects.filter(pk=job.pk).update(claimed_by="rescuer:2:2", attempts=2)
    job_run(claimed)
    row = Job.objects.get(pk=job.pk)
    assert (row.status, row.claimed_by, row.result) == (Job.Status.RUNNING, "rescuer:2:2", None)
    assert _events("job.succeeded", job) == []


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite locks the database")
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_not_waited_for():
    first, second = _enqueue(n=1), _enqueue(n=2)
    locked, release = threading.Event(), threading.Event()

    def hold_the_first_row():
        with transaction.atomic():
            Job.objects.select_for_update().get(pk=first.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_first_row)
    holder.start()
    try:
        assert locked.wait(10)
        assert job_claim("w").pk == second.pk
    finally:
        release.set()
        holder.join()
    assert job_claim("w").pk == first.pk


@pytest.mark.parametrize(
    ("option", "error"),
    [
        (["--concurrency", "0"], "--concurrency: expected 1 to 64, found 0"),
        (["--interval", "0"], "--interval: expected a number of seconds above 0, found 0.0"),
    ],
)
def test_worker_options_are_checked(option, error):
    with pytest.raises(CommandError, match=error):
        call_command("worker", "--once", *option)


@pytest.mark.skipif(
    "connection.vendor == 'sqlite'",
    reason="SQLite's in-memory test database locks whole tables between threads; worker "
    "threads on a SQLite file are covered by test_jobs_workers.py",
)
@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_what_is_queued_in_its_threads(capsys):
    _enqueue(n=1)
    _enqueue(n=2)
    call_command("worker", "--once", "--concurrency", "2")
    assert capsys.readouterr().out.startswith("Ran ")
    assert not Job.objects.filter(kind=OK).exclude(status=Job.Status.SUCCEEDED).exists()
