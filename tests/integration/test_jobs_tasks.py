"""Jobs delivered by each task backend (the database; RQ on a real redis-server): a queued
job reaches a worker process and its outcome (result or failure) is recorded on the job; a
task delivered twice runs its job once; a coalesced job makes one task; a job whose task
was lost is handed again.
Real worker processes (``chainproof worker --once`` through ``jobs_probe``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import STALE_AFTER, job_enqueue, job_sweep
from chainproof.jobs.tasks import run_job
from tests.integration.job_workers import finish, workers_db_for
from tests.integration.jobs_probe import PROBE, read_runs, register

register()
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers_db(tmp_path, tasks_backend):
    return workers_db_for(tmp_path, tasks_backend.env)


def waiting_tasks(backend: str) -> int:
    """Tasks the backend holds that no worker has taken yet."""
    if backend == "rq":
        import django_rq
        from django.conf import settings

        return int(django_rq.get_queue(settings.TASKS_QUEUE).count)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


def _events(job: Job) -> list[str]:
    events = AuditEvent.objects.filter(object_type="jobs.job", object_id=str(job.pk))
    return list(events.order_by("pk").values_list("action", flat=True))


def test_one_worker_run_records_results_and_failures_runs_a_twice_delivered_task_once(
    tmp_path, workers_db, tasks_backend
):
    # One worker process for all four cases: starting one costs seconds.
    log = str(tmp_path / "runs.log")
    with transaction.atomic():
        done = job_enqueue(kind=PROBE, params={"log": log})
        failed = job_enqueue(kind=PROBE, params={"log": log, "fail": "the file has no rows"})
        twice = job_enqueue(kind=PROBE, params={"log": log, "sleep": 0.3})
        transaction.on_commit(lambda: run_job.enqueue(twice.pk))  # its task once more
    with transaction.atomic():
        coalesced = job_enqueue(kind=PROBE, params={"log": log, "n": 1}, coalesce=True)
    with transaction.atomic():
        assert job_enqueue(kind=PROBE, params={"log": log, "n": 1}, coalesce=True) == coalesced
    assert waiting_tasks(tasks_backend.name) == 5  # one per job, and twice's second
    workers_db.publish()

    out = finish(workers_db.start_worker("--once", "--concurrency", "2"))
    workers_db.collect()

    assert out == "Ran 4 job(s).\n"
    runs = {run.job_id: run for run in read_runs(tmp_path / "runs.log")}
    assert sorted(run.job_id for run in read_runs(tmp_path / "runs.log")) == sorted(runs)
    assert set(runs) == {done.pk, failed.pk, twice.pk, coalesced.pk}
    assert Job.objects.filter(kind=PROBE).count() == 4

    for job in (done, failed, twice, coalesced):
        job.refresh_from_db()
        assert (job.attempts, job.claimed_by) == (1, runs[job.pk].worker)
    assert (done.status, done.result) == (Job.Status.SUCCEEDED, {"pid": runs[done.pk].pid})
    assert _events(done) == ["job.enqueued", "job.succeeded"]
    assert (failed.status, failed.public_error) == (Job.Status.FAILED, "The file has no rows.")
    assert _events(failed) == ["job.enqueued", "job.failed"]
    assert _events(twice) == ["job.enqueued", "job.succeeded"]
    assert _events(coalesced) == ["job.enqueued", "job.succeeded"]
    assert waiting_tasks(tasks_backend.name) == 0


def test_a_job_whose_task_was_lost_is_handed_again_once(tmp_path, workers_db, tasks_backend):
    log = tmp_path / "runs.log"
    with transaction.atomic():
        job = job_enqueue(kind=PROBE, params={"log": str(log)})
    _lose_the_tasks(tasks_backend.name)
    assert job_sweep() == 0  # dispatched a moment ago: not presumed lost yet
    long_ago = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(dispatched_at=long_ago)
    workers_db.publish()

    # Each worker sweeps on start: one of the two hands the job again.
    (tmp_path / "barrier").mkdir()
    barrier = {"CHAINPROOF_PROBE_BARRIER": f"{tmp_path / 'barrier'}:2"}
    workers = [workers_db.start_worker("--once", **barrier) for _ in range(2)]
    outputs = sorted(finish(worker) for worker in workers)
    workers_db.collect()

    assert outputs == ["Ran 0 job(s).\n", "Ran 1 job(s).\n"]
    assert len(read_runs(log)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.dispatched_at > long_ago


def _lose_the_tasks(backend: str) -> None:
    if backend == "rq":
        import django_rq
        from django.conf import settings

        django_rq.get_queue(settings.TASKS_QUEUE).empty()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    assert waiting_tasks(backend) == 0


def test_finished_tasks_are_pruned_after_a_day_from_the_database_backend(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from chainproof.jobs.tasks import prune_finished_tasks

    with transaction.atomic():
        old = job_enqueue(kind=PROBE, params={"log": str(tmp_path / "runs.log")})
        job_enqueue(kind=PROBE, params={"log": str(tmp_path / "runs.log"), "n": 2})
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert tasks.count() == 2
    first = tasks.first()
    assert first.args_kwargs == {"args": [old.pk], "kwargs": {}}
    first.claim("test")
    first.set_successful("succeeded")
    now = timezone.now()
    assert prune_finished_tasks(now) == 0  # finished a moment ago
    assert prune_finished_tasks(now + timedelta(days=1, minutes=1)) == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
