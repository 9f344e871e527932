from __future__ import annotations

import resource
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chainproof.jobs.services import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    enqueue_due_periodic,
    job_sweep,
    worker_name,
)
from chainproof.jobs.workers import Scheduler, TaskWorker, task_worker_class


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, recomputations, reminders) queued by the web app.\n\n"
        "Start as many workers as you need, on as many hosts as share the database: each job "
        "is claimed by one worker thread, recorded as host:pid:thread. A job whose worker "
        f"stopped is taken over after {int(STALE_AFTER.total_seconds() // 60)} minutes "
        f"without a heartbeat, and given up once it has stopped {MAX_ATTEMPTS} workers. "
        "SIGTERM or Ctrl-C lets the running jobs finish, then exits. The process may use "
        "CHAINPROOF_WORKER_MEMORY_MB of address space (default 1024; 0: no limit): a job that "
        "needs more fails with a message, and the worker goes on.\n\n"
        "Jobs reach the workers through Django's tasks interface: through the database "
        "(default), or through Redis with CHAINPROOF_TASKS_BACKEND=rq and "
        "CHAINPROOF_REDIS_URL (see README, Running at scale)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run what is queued now, then exit (each thread stops when the queue is empty).",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            metavar="N",
            help="Worker threads in this process, each claiming its own jobs (default 1).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="Seconds between polls of the queue when it is empty (default 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threads, interval, once = options["concurrency"], options["interval"], options["once"]
        if not 1 <= threads <= 64:
            raise CommandError(f"--concurrency: expected 1 to 64, found {threads}")
        if interval <= 0:
            raise CommandError(
                f"--interval: expected a number of seconds above 0, found {interval}"
            )
        limit_memory(settings.WORKER_MEMORY_MB, threads + 1)
        if once:
            enqueue_due_periodic()
            job_sweep()
        worker_class = task_worker_class()
        workers = [
            worker_class(interval, once=once, name=f"chainproof-worker-{i}") for i in range(threads)
        ]
        scheduler = None if once else Scheduler(interval)

        def stop(*_: Any) -> None:
            if scheduler is not None:
                scheduler.stop()
            for worker in workers:
                worker.stop()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, stop)
        if not once:
            host, pid, _ = worker_name().rsplit(":", 2)
            self.stdout.write(
                f"Worker {host}:{pid} waiting for jobs with {threads} thread(s) "
                "(Ctrl-C or SIGTERM stops)."
            )
        if scheduler is not None:
            scheduler.start()
        for worker in workers:
            worker.start()
        try:
            _wait(workers)
        except KeyboardInterrupt:
            self.stdout.write("Stopping: the running jobs finish first.")
            stop()
            _wait(workers)
        if once:
            self.stdout.write(f"Ran {sum(worker.ran for worker in workers)} job(s).")


def _wait(workers: list[TaskWorker]) -> None:
    while any(worker.is_alive() for worker in workers):
        for worker in workers:
            worker.join(timeout=0.5)


# Address space every thread reserves whatever it does (its stack and, in glibc, its own
# malloc arena): added to the limit so that more threads do not leave less for the jobs.
PER_THREAD_MB = 72


def limit_memory(megabytes: int, threads: int = 1) -> int | None:
    """Cap this process's address space (RLIMIT_AS) at ``megabytes`` plus what the
    interpreter and the threads use before any job runs; returns the cap in bytes (None:
    no limit). An allocation beyond it raises MemoryError in the job that made it."""
    if megabytes <= 0:
        return None
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:  # address space in pages, before any job
        baseline = int(statm.read().split()[0]) * resource.getpagesize()
    cap = baseline + (megabytes + PER_THREAD_MB * (threads + 1)) * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap
