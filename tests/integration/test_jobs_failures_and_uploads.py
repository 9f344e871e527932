"""Job failures told without tracebacks, the worker's memory limit, and the retention of
uploaded files."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import HANDLERS, job_claim, job_enqueue, job_run
from chainproof.jobs.uploads import read_upload, uploads_expire

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing():
    def out_of_memory(job, progress):
        _ = bytearray(10)
        raise MemoryError

    def internal(job, progress):
        raise RuntimeError(f"{Path(__file__).parent}/secret.py: broken")

    HANDLERS["test.oom"], HANDLERS["test.internal"] = out_of_memory, internal
    yield
    del HANDLERS["test.oom"], HANDLERS["test.internal"]


@pytest.mark.parametrize(
    ("kind", "told"), [("test.oom", "ran out of memory"), ("test.internal", "internal error")]
)
def test_a_failed_job_tells_a_person_what_happened_without_a_traceback(failing, alice, kind, told):
    with transaction.atomic():
        job_enqueue(kind=kind, organization=alice.organization, actor=alice.user)
    job = job_run(job_claim())
    assert job.status == "failed"
    assert told in job.error
    assert "Traceback" not in job.error
    assert str(Path(__file__).parent) not in job.error
    event = AuditEvent.objects.get(action="job.failed", object_id=str(job.pk))
    assert "Traceback" not in str(event.after)


def test_an_old_traceback_is_never_shown(alice):
    job = Job.objects.create(
        kind="suppliers.import",
        organization=alice.organization,
        status="failed",
        error='boom\n\nTraceback (most recent call last):\n  File "/srv/app/x.py"',
    )
    assert job.public_error == "Boom."


def test_an_old_error_naming_server_files_is_replaced_by_a_sentence(alice):
    job = Job.objects.create(
        kind="suppliers.import",
        organization=alice.organization,
        status="failed",
        error="IntegrityError at /srv/app/chainproof/suppliers/importing/base.py: UNIQUE failed",
    )
    assert job.public_error == (
        f"An internal error stopped the job (logged on the server as job {job.pk}). Nothing "
        "was changed; try again, and tell your administrator if it happens again."
    )


def test_the_worker_memory_limit_turns_a_runaway_allocation_into_a_memory_error():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chainproof.settings');"
        "django.setup();"
        "from chainproof.jobs.management.commands.worker import limit_memory;"
        "cap = limit_memory(64);"
        "ok = bytearray(16 * 2**20);"
        "\ntry:\n    bytearray(512 * 2**20)\nexcept MemoryError:\n    print('MemoryError', cap)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.startswith("MemoryError ")
    assert int(done.stdout.split()[1]) > 64 * 2**20


def _stored(name: str, size: int) -> str:
    relative = f"imports/{name}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    return relative


def test_uploads_of_jobs_finished_past_the_retention_are_deleted_with_one_event(alice):
    now = timezone.now()
    old = now - timedelta(days=settings.UPLOAD_RETENTION_DAYS + 1)
    expired = [
        Job.objects.create(
            kind="suppliers.import",
            organization=alice.organization,
            status=status,
            finished_at=old,
            params={"path": _stored(f"old{i}.csv", 100 + i), "file_name": "f.csv"},
        )
        for i, status in enumerate(["failed", "succeeded", "failed"])
    ]
    recent = Job.objects.create(
        kind="suppliers.import",
        organization=alice.organization,
        status="failed",
        finished_at=now - timedelta(days=1),
        params={"path": _stored("recent.csv", 5), "file_name": "f.csv"},
    )
    waiting = Job.objects.create(
        kind="suppliers.import",
        organization=alice.organization,
        status="queued",
        params={"path": _stored("waiting.csv", 5), "file_name": "f.csv"},
    )
    assert uploads_expire(now=now) == {"files": 3, "bytes": 303, "jobs": 3}
    for job in expired:
        job.refresh_from_db()
        assert not (Path(settings.MEDIA_ROOT) / job.params["path"]).exists()
        with pytest.raises(LookupError, match="deleted on"):
            read_upload(job)
    assert read_upload(recent) == b"x" * 5
    assert read_upload(waiting) == b"x" * 5
    events = AuditEvent.objects.filter(action="jobs.uploads_expired")
    assert events.count() == 1
    assert events.get().after["jobs"] == sorted(j.pk for j in expired)
    assert uploads_expire(now=now) == {"files": 0, "bytes": 0, "jobs": 0}
    assert events.count() == 1


def test_the_retention_job_is_periodic():
    from chainproof.jobs.kinds import JobKind
    from chainproof.jobs.services import PERIODIC

    assert JobKind.UPLOADS_EXPIRE in PERIODIC
    assert JobKind.UPLOADS_EXPIRE in HANDLERS
