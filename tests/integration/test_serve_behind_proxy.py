"""`chainproof serve` behind a TLS-terminating reverse proxy, as the README documents it:
CHAINPROOF_HTTPS=1 and CHAINPROOF_BEHIND_PROXY=1. A real waitress server in a subprocess,
real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHAINPROOF = [sys.executable, "-m", "chainproof"]
# How long a server may take to start: generous, as on a busy machine (tests running in
# parallel) Django's start alone can take ten seconds.
STARTUP_SECONDS = 60

# Every server here runs on an SQLite file of its own (DATABASE_URL=""), whatever the suite
# runs on: the same on every database.
pytestmark = pytest.mark.same_on_every_database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "localhost", **headers})
    return connection.getresponse()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("proxy-data")
    env = {
        **os.environ,
        "CHAINPROOF_DATA_DIR": str(data),
        "DATABASE_URL": "",  # an SQLite file of its own, whatever the suite runs on
        "CHAINPROOF_HTTPS": "1",
        "CHAINPROOF_BEHIND_PROXY": "1",
        "CHAINPROOF_ALLOWED_HOSTS": "localhost",
        "SECRET_KEY": "proxy-test-" + "s" * 60,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([*CHAINPROOF, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    port = _free_port()
    process = subprocess.Popen(
        [*CHAINPROOF, "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_request_forwarded_as_https_is_served(server):
    response = _get(server, "/accounts/login/", {"X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert b"Sign in" in response.read()


def test_a_plain_http_request_is_redirected_to_https_once(server):
    response = _get(server, "/accounts/login/", {})
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/accounts/login/"


def test_forwarded_headers_from_an_untrusted_address_are_ignored():
    from django.test import override_settings

    from chainproof.web.management.commands.serve import proxy_options

    with override_settings(TRUSTED_PROXY=""):
        assert proxy_options() == {}
    with override_settings(TRUSTED_PROXY="10.1.2.3"):
        options = proxy_options()
    assert options["trusted_proxy"] == "10.1.2.3"
    assert "x-forwarded-proto" in options["trusted_proxy_headers"]
    assert options["clear_untrusted_proxy_headers"] is True


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid`` (Linux /proc): pid -> command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                found[int(stat.parent.name)] = cmdline.decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_serve_runs_the_worker_as_a_child_process_and_stops_it(tmp_path):
    env = {
        **os.environ,
        "CHAINPROOF_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "SECRET_KEY": "serve-test-" + "s" * 60,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([*CHAINPROOF, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen(
        [*CHAINPROOF, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: list[int] = []
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            workers = [p for p, c in _children(server.pid).items() if "chainproof worker" in c]
            if workers:
                break
            time.sleep(0.1)
        assert len(workers) == 1, "no worker process beside the server"
    finally:
        server.terminate()  # SIGTERM, as a service manager stops it
        server.wait(timeout=60)
    assert server.returncode == 0
    worker_proc = Path(f"/proc/{workers[0]}")
    for _ in range(50):  # the worker is stopped with the server, not left orphaned
        if not worker_proc.exists() or "Z" in (worker_proc / "stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    assert not worker_proc.exists() or (worker_proc / "stat").read_text().split()[2] == "Z"


def test_links_in_emails_point_at_the_port_served_unless_an_address_is_set(monkeypatch, settings):
    """`chainproof start --port 8799` used to email links to port 8000."""
    import waitress

    from chainproof.web.management.commands import serve as serving

    settings.PUBLIC_BASE_URL = settings.PUBLIC_BASE_URL  # restored after the test
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    monkeypatch.delenv("CHAINPROOF_PUBLIC_URL", raising=False)
    monkeypatch.setattr(serving.signal, "signal", lambda *args: None)
    serving.serve("0.0.0.0", 8799, 1, lambda text: None, worker=False)  # noqa: S104
    assert settings.PUBLIC_BASE_URL == "http://127.0.0.1:8799"
    assert os.environ["CHAINPROOF_PUBLIC_URL"] == "http://127.0.0.1:8799"  # for the worker

    monkeypatch.setenv("CHAINPROOF_PUBLIC_URL", "https://chainproof.example.com")
    settings.PUBLIC_BASE_URL = "https://chainproof.example.com"
    serving.serve("127.0.0.1", 8800, 1, lambda text: None, worker=False)
    assert settings.PUBLIC_BASE_URL == "https://chainproof.example.com"
