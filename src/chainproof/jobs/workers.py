"""The threads of `chainproof worker`: each receives tasks from the configured backend (see
``jobs/tasks.py``) and runs the jobs they name; one more queues the periodic jobs and hands
again the jobs whose task was lost.

- database (default): django-tasks-db's worker loop, one per thread. A task row is claimed
  under an exclusive transaction (SQLite) or FOR UPDATE SKIP LOCKED (PostgreSQL).
- rq: an RQ worker per thread that runs the task in the thread itself (no fork), so the
  process's memory cap and the job heartbeat apply to it as to the database backend.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

from chainproof.jobs.services import DELIVERED, enqueue_due_periodic, job_sweep, worker_name
from chainproof.jobs.tasks import prune_finished_tasks

log = logging.getLogger(__name__)

# Seconds between two sweeps for lost tasks (job_sweep) by a running worker.
SWEEP_EVERY = 60.0


class TaskWorker(threading.Thread):
    """One thread receiving tasks. ``once`` stops it when the queue is empty."""

    def __init__(self, interval: float = 1.0, *, once: bool = False, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self.once = once
        self.stopping = threading.Event()

    @property
    def ran(self) -> int:
        """How many jobs this thread ran (deliveries that found nothing to do not counted)."""
        return DELIVERED[self.ident] if self.ident is not None else 0

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                self.receive()
                if self.once:
                    break
            except Exception:
                log.exception("background worker loop failed")
                self.stopping.wait(self.interval)
        connections.close_all()  # this thread's own connection

    def receive(self) -> None:
        """Receive and run tasks until stopped (or, with ``once``, the queue is empty)."""
        raise NotImplementedError

    def stop(self) -> None:
        self.stopping.set()


class DatabaseTaskWorker(TaskWorker):
    def receive(self) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=[settings.TASKS_QUEUE],
            interval=self.interval,
            batch=self.once,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_name()[:64],
            excluded_queue_names=[],
        )
        self._worker = worker
        if self.stopping.is_set():
            return
        worker.run()

    def stop(self) -> None:
        super().stop()
        worker = getattr(self, "_worker", None)
        if worker is not None:
            worker.running = False  # ends its loop once the running task is done


class RQTaskWorker(TaskWorker):
    def receive(self) -> None:
        import django_rq
        from django_tasks_rq.backend import Job as TaskJob
        from rq.exceptions import StopRequested
        from rq.timeouts import TimerDeathPenalty
        from rq.worker import SimpleWorker, WorkerStatus

        stopping, poll = self.stopping, max(1, math.ceil(self.interval))

        class ThreadWorker(SimpleWorker):
            """Runs in a thread: no signal handlers (the command's main thread has them),
            blocks at most ``poll`` seconds on an empty queue, stops between two jobs.
            RQ's time limits are off (DEFAULT_TIMEOUT -1, settings); its callbacks' limits
            use a timer thread rather than SIGALRM, which only the main thread may set."""

            death_penalty_class = TimerDeathPenalty

            @property
            def dequeue_timeout(self) -> int:
                return poll

            def _install_signal_handlers(self) -> None:
                pass

            # RQ's remote commands (a thread listening on Redis pub/sub, which takes up to a
            # minute to stop) are not used: SIGTERM to the process stops its workers.
            def subscribe(self) -> None:
                pass

            def unsubscribe(self) -> None:
                pass

            def heartbeat(self, *args: Any, **kwargs: Any) -> None:
                if stopping.is_set() and self.get_state() == WorkerStatus.IDLE:
                    raise StopRequested()
                super().heartbeat(*args, **kwargs)

        _quiet_rq_logging()
        queue = django_rq.get_queue(settings.TASKS_QUEUE, job_class=TaskJob)
        worker = ThreadWorker([queue], connection=queue.connection, job_class=TaskJob)
        worker.work(burst=self.once, logging_level="WARNING")


def _quiet_rq_logging() -> None:
    """RQ's own log (on stdout unless a handler exists) goes to stderr, warnings and up."""
    for name in ("rq.worker", "rq.job"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setLevel(logging.WARNING)
            logger.addHandler(handler)
            logger.propagate = False


def task_worker_class() -> type[TaskWorker]:
    return RQTaskWorker if settings.TASKS_BACKEND == "rq" else DatabaseTaskWorker


class Scheduler(threading.Thread):
    """Queues the periodic jobs that are due (every ``interval``); every SWEEP_EVERY hands
    again the jobs whose task was lost and deletes old finished tasks."""

    def __init__(self, interval: float = 1.0) -> None:
        super().__init__(name="chainproof-scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        sweeps = 0.0
        while not self.stopping.is_set():
            try:
                close_old_connections()
                enqueue_due_periodic()
                sweeps -= self.interval
                if sweeps <= 0:
                    job_sweep()
                    prune_finished_tasks()
                    sweeps = SWEEP_EVERY
            except Exception:
                log.exception("background scheduler failed")
            self.stopping.wait(self.interval)
        connections.close_all()

    def stop(self) -> None:
        self.stopping.set()
