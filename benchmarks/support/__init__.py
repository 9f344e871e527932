"""What several benchmarks share (a folder, so benchmarks/smoke.py does not run it)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def setup_django(data_dir: str | None, prefix: str = "chainproof-bench-") -> None:
    """Django set up on DATABASE_URL if given, else on SQLite in ``data_dir`` (or
    CHAINPROOF_BENCH_DIR, or a temporary folder removed at exit)."""
    if "DATABASE_URL" not in os.environ:
        data_dir = data_dir or os.environ.get("CHAINPROOF_BENCH_DIR")
        if data_dir is None:
            data_dir = tempfile.mkdtemp(prefix=prefix)
            atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        os.makedirs(data_dir, exist_ok=True)  # a folder named to keep the database in
        use_data_dir(data_dir)
        os.environ["CHAINPROOF_BENCH_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    os.environ.setdefault("CHAINPROOF_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


# A data folder whose SQLite database is migrated and holds the bundled reference data
# (benchmarks/smoke.py makes one for all the benchmarks it runs): a benchmark starting on
# an empty folder copies it there first, so its own migrate and reference load find
# nothing left to do instead of each paying the same 15 s of migrations.
TEMPLATE_ENV = "CHAINPROOF_BENCH_TEMPLATE"


def use_data_dir(data_dir: str | os.PathLike[str]) -> None:
    """Run on the SQLite database in ``data_dir`` (CHAINPROOF_DATA_DIR); when the folder
    holds no database yet and CHAINPROOF_BENCH_TEMPLATE names a prepared folder, its
    files (database, keys) are copied in first. Call before django.setup()."""
    os.environ["CHAINPROOF_DATA_DIR"] = str(data_dir)
    template = os.environ.get(TEMPLATE_ENV)
    if not template or os.path.exists(os.path.join(data_dir, "chainproof.sqlite3")):
        return
    for name in os.listdir(template):
        source = os.path.join(template, name)
        if os.path.isfile(source):
            shutil.copy2(source, os.path.join(data_dir, name))


def peak_mib() -> float:
    """This process's peak resident memory in MiB. On Linux the kernel's high-water mark
    of the process's own memory (VmHWM): ``ru_maxrss`` also counts the parent's memory at
    the fork, so a child started by a benchmark that has just imported a network reported
    the importer's peak, not its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quiet_queued_jobs() -> int:
    """Mark the jobs waiting in the queue (what an import queued: tiers, screening, a first
    scoring) as done, so worker processes a benchmark starts run only the job it measures.
    Returns how many there were."""
    from django.utils import timezone

    from chainproof.jobs.models import Job
    from chainproof.jobs.services import PERIODIC

    now = timezone.now()
    waiting = Job.objects.filter(status=Job.Status.QUEUED).update(
        status=Job.Status.SUCCEEDED, finished_at=now, message="left out by the benchmark"
    )
    # The periodic jobs ran a moment ago, as far as the workers know.
    Job.objects.bulk_create(
        Job(kind=kind, status=Job.Status.SUCCEEDED, finished_at=now) for kind in PERIODIC
    )
    return waiting


def run_split(
    kind: str, org_id: int, workers: int, part_records: int, timeout: float = 3600
) -> dict[str, object]:
    """Queue one job of ``kind`` for the organization with ``workers`` `chainproof worker`
    processes running (each one job at a time), the job split into parts of at most
    ``part_records`` records that the workers claim; wait for its end and stop them.
    Returns the wall time from queuing to the end, the parts, their work time, how many
    workers ran them, the job's result and the workers' CPU time, start to stop."""
    import resource
    import signal
    import subprocess
    import sys
    import time

    from django.db import connection, transaction

    from chainproof.jobs.models import Job
    from chainproof.jobs.services import job_enqueue

    quiet_queued_jobs()
    connection.close()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {
        **os.environ,
        "PYTHONPATH": os.path.join(here, "..", "src"),
        "CHAINPROOF_SPLIT_AT_RECORDS": "1",
        "CHAINPROOF_SPLIT_PART_RECORDS": str(max(1, part_records)),
    }
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "chainproof", "worker", "--concurrency", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        time.sleep(3 + workers)  # every worker up and waiting
        with transaction.atomic():
            job = job_enqueue(kind=kind, organization=org_id)
        deadline = time.monotonic() + timeout
        while True:
            job.refresh_from_db()
            if job.is_done or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if job.status != Job.Status.SUCCEEDED:
            raise SystemExit(f"{kind} did not succeed: {job.status} {job.error}")
        parts = list(job.parts.order_by("pk"))
        figures: dict[str, object] = {
            "wall": (job.finished_at - job.created_at).total_seconds(),
            "parts": len(parts),
            "busy": sum((p.finished_at - p.started_at).total_seconds() for p in parts),
            "by": len({p.claimed_by for p in parts}),
            "result": job.result,
        }
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["cpu"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return figures
