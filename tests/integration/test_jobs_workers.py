"""Worker processes against one database: each job runs once, none is lost, a dead worker's
job is taken over once. Real processes (``chainproof worker`` through ``jobs_probe``),
really concurrent (they start together and their runs overlap in time).

Each test runs on both task backends (``tasks_backend``: the database, and RQ on a real
redis-server). The workers open the test database through ``WorkerDatabase``.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import STALE_AFTER, job_enqueue
from tests.integration.job_workers import finish, workers_db_for
from tests.integration.jobs_probe import PROBE, read_runs, register

JOBS = 1000

register()
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers_db(tmp_path, tasks_backend):
    return workers_db_for(tmp_path, tasks_backend.env)


def _wait_for_a_run(log: Path, worker: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not read_runs(log):
        assert time.monotonic() < deadline
        assert worker.poll() is None, worker.stderr.read()
        time.sleep(0.05)


def test_two_worker_processes_of_two_threads_drain_a_thousand_jobs_each_run_once(
    tmp_path, workers_db, record_property
):
    log = tmp_path / "runs.log"
    with transaction.atomic():
        ids = [job_enqueue(kind=PROBE, params={"log": str(log), "n": n}).pk for n in range(JOBS)]
    workers_db.publish()

    started = time.perf_counter()
    barrier = {"CHAINPROOF_PROBE_BARRIER": f"{tmp_path / 'barrier'}:2"}
    (tmp_path / "barrier").mkdir()
    workers = [workers_db.start_worker("--once", "--concurrency", "2", **barrier) for _ in range(2)]
    outputs = [finish(worker) for worker in workers]
    wall = time.perf_counter() - started
    workers_db.collect()

    runs = read_runs(log)
    assert Counter(run.job_id for run in runs) == Counter(ids)  # each job once, none lost
    by_pid = Counter(run.pid for run in runs)
    assert set(by_pid) == {worker.pid for worker in workers}
    assert min(by_pid.values()) >= JOBS // 50, by_pid  # both really took a share
    spans = [
        (min(r.at for r in runs if r.pid == pid), max(r.at for r in runs if r.pid == pid))
        for pid in by_pid
    ]
    assert max(start for start, _ in spans) < min(end for _, end in spans)  # they overlapped
    assert sorted(outputs) == sorted(f"Ran {by_pid[w.pid]} job(s).\n" for w in workers)

    jobs = {job.pk: job for job in Job.objects.filter(pk__in=ids)}
    assert len(jobs) == JOBS
    assert {job.status for job in jobs.values()} == {Job.Status.SUCCEEDED}
    assert {job.attempts for job in jobs.values()} == {1}
    assert all(jobs[r.job_id].claimed_by == r.worker for r in runs)
    assert (
        len({run.worker for run in runs}) >= 2
    )  # host:pid:thread (four exist; a busy machine may starve one)
    assert all(jobs[r.job_id].result == {"pid": r.pid} for r in runs)
    succeeded = AuditEvent.objects.filter(action="job.succeeded", object_type="jobs.job")
    assert sorted(int(i) for i in succeeded.values_list("object_id", flat=True)) == sorted(ids)

    drain = max(r.at for r in runs) - min(r.at for r in runs)
    record_property("drain_seconds", round(drain, 2))
    print(  # noqa: T201  (the figure quoted in notes; shown with -s)
        f"\n{connection.vendor}: 2 worker processes of 2 threads drained {JOBS} jobs in "
        f"{drain:.2f} s ({JOBS / drain:.0f} jobs/s; {wall:.2f} s with process start-up); "
        f"jobs per process {sorted(by_pid.values())}"
    )


def test_the_job_of_a_worker_that_died_is_taken_over_once(tmp_path, workers_db):
    log = tmp_path / "runs.log"
    with transaction.atomic():
        job = job_enqueue(kind=PROBE, params={"log": str(log), "hang_on_attempt": 1})
    workers_db.publish()

    doomed = workers_db.start_worker("--once", CHAINPROOF_PROBE_HEARTBEAT="0.1")
    _wait_for_a_run(log, doomed)
    time.sleep(0.5)  # a few heartbeats while it hangs in the handler
    doomed.kill()
    doomed.wait(timeout=30)
    workers_db.collect()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert job.attempts == 1
    assert job.claimed_by.split(":")[1] == str(doomed.pid)
    assert job.heartbeat_at > job.started_at  # it beat while its worker lived
    # Time passes: the dead worker's job has been silent for longer than STALE_AFTER (and
    # was handed to a worker as long ago: a sweep hands it again, to be taken over).
    long_ago = timezone.now() - STALE_AFTER - STALE_AFTER
    Job.objects.filter(pk=job.pk).update(
        started_at=long_ago, heartbeat_at=long_ago, dispatched_at=long_ago
    )
    workers_db.publish()

    (tmp_path / "barrier").mkdir()
    barrier = {"CHAINPROOF_PROBE_BARRIER": f"{tmp_path / 'barrier'}:2"}
    rescuers = [workers_db.start_worker("--once", **barrier) for _ in range(2)]
    outputs = [finish(worker) for worker in rescuers]
    workers_db.collect()

    assert sorted(outputs) == ["Ran 0 job(s).\n", "Ran 1 job(s).\n"]
    runs = read_runs(log)
    assert [(run.pid, run.attempt) for run in runs[:1]] == [(doomed.pid, 1)]
    assert len(runs) == 2
    assert runs[1].attempt == 2
    assert runs[1].pid in {worker.pid for worker in rescuers}
    job.refresh_from_db()
    assert (job.status, job.attempts, job.claimed_by) == (Job.Status.SUCCEEDED, 2, runs[1].worker)
    reclaimed = AuditEvent.objects.filter(action="job.reclaimed", object_id=str(job.pk))
    assert [(e.before["claimed_by"], e.after["claimed_by"]) for e in reclaimed] == [
        (runs[0].worker, runs[1].worker)
    ]


def test_sigterm_lets_the_running_job_finish_then_stops_the_worker(tmp_path, workers_db):
    log = tmp_path / "runs.log"
    with transaction.atomic():
        job = job_enqueue(kind=PROBE, params={"log": str(log), "sleep": 1.5})
    workers_db.publish()

    worker = workers_db.start_worker("--interval", "0.2")
    _wait_for_a_run(log, worker)
    worker.send_signal(signal.SIGTERM)
    out = finish(worker)
    workers_db.collect()

    assert f":{worker.pid} waiting for jobs with 1 thread(s)" in out
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == (Job.Status.SUCCEEDED, 1, {"pid": worker.pid})
    assert len(read_runs(log)) == 1
