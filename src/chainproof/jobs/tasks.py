"""Jobs delivered through Django's tasks interface (``django-tasks`` on Django 5.2).

The job record (``Job``) stays what people see and what decides: a task carries only a job's
number. The worker that receives it claims the record with the same conditional statement
as ever (``job_deliver``), so a task delivered twice, or a job that another worker took
first, runs once. Which backend delivers the tasks is one setting (``TASKS`` in settings:
the database by default, RQ with Redis for workers on several hosts).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from chainproof.jobs.models import Job


@task(queue_name=settings.TASKS_QUEUE)
def run_job(job_id: int) -> str:
    """Run the job ``job_id`` if it is still waiting (or its worker stopped); returns its
    status afterwards, or "skipped" when another delivery or worker had it."""
    from chainproof.jobs.services import job_deliver

    job = job_deliver(job_id)
    return "skipped" if job is None else str(job.status)


def _delivers_in_the_database() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[run_job.backend], DatabaseBackend)


def dispatch(job: Job) -> None:
    """Hand ``job`` to the task backend. Call it in the transaction that queued the job:
    the database backend writes its task in that same transaction (both or neither are
    kept); a backend outside the database (RQ) is told once the transaction commits, so a
    worker never receives a job it cannot read yet."""
    if _delivers_in_the_database():
        run_job.enqueue(job.pk)
    else:
        transaction.on_commit(partial(run_job.enqueue, job.pk))


# Finished tasks kept in the database backend's table this long (the job records keep what
# people read: the tasks only carried their numbers).
KEEP_FINISHED_TASKS = timedelta(days=1)


def prune_finished_tasks(now: Any = None) -> int:
    """Delete the database backend's finished tasks older than KEEP_FINISHED_TASKS (RQ
    expires its own); returns how many."""
    if not _delivers_in_the_database():
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - KEEP_FINISHED_TASKS
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
