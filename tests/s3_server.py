"""A real S3 endpoint for tests: moto's standalone server, run as a subprocess.

The blob store is tested against an S3 server over HTTP, as it runs in production, not
against patched boto3 calls: moto_server answers the S3 API on a local port. moto is a
test dependency, so a server that does not start is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

STARTUP_SECONDS = 60


def free_port() -> int:
    """A port nothing listens on (right now): the kernel's pick, released at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a local http URL)
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """Start moto_server (the executable beside this Python) on a free local port, wait
    until it answers HTTP, yield its endpoint URL, and stop it afterwards."""
    executable = Path(sys.executable).parent / "moto_server"
    if not executable.exists():
        raise RuntimeError(f"{executable} is missing: install the test extras (moto[server])")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [str(executable), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while not _answers(endpoint + "/moto-api/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    log = output.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"moto_server did not start on {endpoint}:\n{log}")
                time.sleep(0.2)
            yield endpoint
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
