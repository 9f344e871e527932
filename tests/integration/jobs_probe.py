"""A test-only job kind whose handler records each run, and a worker entry that knows it.

The tests register the kind with ``register()``. Worker processes run this module, which
registers it too and then runs the real command through the real CLI::

    python -m tests.integration.jobs_probe worker --once        (from the repository root)

Environment read by the entry (test settings, never used by chainproof itself):
``CHAINPROOF_PROBE_BARRIER=<dir>:<n>`` waits until n workers are up, so they start
claiming together; ``CHAINPROOF_PROBE_HEARTBEAT=<seconds>`` beats that often.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROBE = "tests.probe"


@dataclass(frozen=True)
class Run:
    job_id: int
    pid: int
    attempt: int
    worker: str
    at: float


def register() -> None:
    from chainproof.jobs.services import handler

    handler(PROBE)(_probe)


def _probe(job: Any, progress: Any) -> dict[str, Any]:
    """Append one line per run to the file named by the job (O_APPEND: whole lines)."""
    line = f"{job.pk} {os.getpid()} {job.attempts} {job.claimed_by} {time.time():.6f}\n"
    fd = os.open(job.params["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    if job.params.get("fail"):
        raise ValueError(job.params["fail"])
    if job.params.get("hang_on_attempt") == job.attempts:
        time.sleep(120)  # until the test kills this worker
    time.sleep(job.params.get("sleep", 0))
    return {"pid": os.getpid()}


def read_runs(path: Path) -> list[Run]:
    if not path.exists():
        return []
    runs = []
    for line in path.read_text().splitlines():
        job_id, pid, attempt, worker, at = line.split(" ")
        runs.append(Run(int(job_id), int(pid), int(attempt), worker, float(at)))
    return runs


def _wait_for_the_others(spec: str) -> None:
    directory, count = spec.rsplit(":", 1)
    Path(directory, str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(Path(directory).iterdir())) < int(count):
        if time.monotonic() > deadline:
            raise SystemExit(f"jobs_probe: the other workers did not start ({spec})")
        time.sleep(0.01)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    import django

    django.setup()
    register()
    if os.environ.get("CHAINPROOF_PROBE_HEARTBEAT"):
        from datetime import timedelta

        from chainproof.jobs import services

        services.HEARTBEAT_EVERY = timedelta(
            seconds=float(os.environ["CHAINPROOF_PROBE_HEARTBEAT"])
        )
    if os.environ.get("CHAINPROOF_PROBE_BARRIER"):
        _wait_for_the_others(os.environ["CHAINPROOF_PROBE_BARRIER"])
    from chainproof.cli import main as chainproof

    return chainproof(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
