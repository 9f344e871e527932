"""Worker processes for tests: ``chainproof worker`` (through ``jobs_probe``) against the
test database.

On PostgreSQL the workers use the test database itself. SQLite's test database lives in
this process's memory, so ``WorkerDatabase`` copies it to a file the workers open, and
copies the file back afterwards to check what they did.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from chainproof.jobs.models import Job
from chainproof.jobs.services import PERIODIC

ROOT = Path(__file__).resolve().parents[2]


class WorkerDatabase:
    """The database worker processes open, as environment variables for them."""

    def __init__(self, directory: Path, backend_env: dict[str, str] | None = None) -> None:
        directory.mkdir()
        self.env = {**os.environ, "CHAINPROOF_DATA_DIR": str(directory), **(backend_env or {})}
        self.file = directory / "chainproof.sqlite3"
        if connection.vendor == "sqlite":
            self.env.pop("DATABASE_URL", None)
        else:
            db = connection.settings_dict
            user = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
            self.env["DATABASE_URL"] = (
                f"postgresql://{user}@{db['HOST']}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
            )

    def publish(self) -> None:
        """Let the workers see what this test wrote."""
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
                # As in production, where `chainproof init` made the file a WAL database
                # long before any worker starts: workers that start together must not race
                # to switch the journal mode (that needs the file to themselves).
                target.execute("PRAGMA journal_mode=WAL")

    def collect(self) -> None:
        """Let this test see what the workers wrote."""
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.file) as source:
                source.backup(connection.connection)

    def start_worker(self, *args: str, **env: str) -> subprocess.Popen[str]:
        # --skip-checks: Django's system checks load the URLconf, that is the whole web
        # stack (PDF, FtM, S3 libraries: 3 s of CPU a process); what they check is the
        # same for every process and no part of these tests (`chainproof check` runs them).
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.jobs_probe",
                "worker",
                "--skip-checks",
                *args,
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def workers_db_for(tmp_path: Path, backend_env: dict[str, str] | None = None) -> WorkerDatabase:
    # The periodic jobs (reminders) ran a moment ago: the workers run only the test's jobs.
    Job.objects.bulk_create(Job(kind=kind, status=Job.Status.SUCCEEDED) for kind in PERIODIC)
    return WorkerDatabase(tmp_path / "data", backend_env)


def finish(worker: subprocess.Popen[str]) -> str:
    """What a worker printed, once it exited (successfully: the test fails otherwise)."""
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    return out
