"""A real Redis for tests: the Debian ``redis-server``, run as a subprocess on a free port
of 127.0.0.1, keeping nothing on disk (``--save '' --appendonly no``) in a directory of its
own, stopped afterwards.

Without ``redis-server`` the tests that need it are skipped, unless
CHAINPROOF_REQUIRE_REDIS=1 (as .ci/run sets): then they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest

from tests.s3_server import free_port

STARTUP_SECONDS = 30


def require_redis_server() -> str:
    """The path of redis-server, or a skip (a failure under CHAINPROOF_REQUIRE_REDIS=1)."""
    executable = shutil.which("redis-server")
    if executable:
        return executable
    reason = "redis-server is not installed (Debian package redis-server)"
    if os.environ.get("CHAINPROOF_REQUIRE_REDIS") == "1":
        pytest.fail(f"{reason}, and CHAINPROOF_REQUIRE_REDIS=1 says it must be.")
    pytest.skip(reason)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Start redis-server, wait until it answers PING, yield its URL (database 0)."""
    executable = require_redis_server()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chainproof-redis-") as directory:
        log = os.path.join(directory, "redis.log")
        process = subprocess.Popen(
            [
                executable,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory,
                "--logfile",
                log,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    with open(log, errors="replace") as output:
                        raise RuntimeError(f"redis-server did not start: {output.read()[-2000:]}")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
