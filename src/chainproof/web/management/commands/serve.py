from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from chainproof.common.commands import fail


class Command(BaseCommand):
    help = "Serve the web app and API with a production WSGI server (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--threads", type=int, default=8, help="Worker threads.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker beside the server (run `chainproof "
            "worker` yourself, e.g. on other hosts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            options["host"],
            options["port"],
            options["threads"],
            self.stdout.write,
            worker=not options["no_worker"],
        )


def proxy_options() -> dict[str, Any]:
    """Waitress settings for a reverse proxy: its forwarded scheme and client address are
    believed only when the connection comes from the configured proxy address."""
    if not settings.TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        "clear_untrusted_proxy_headers": True,
    }


class WorkerProcess(threading.Thread):
    """`chainproof worker` as a child of the server: jobs (imports, scoring, screening,
    email) run in their own process under the worker's memory limit, so a runaway job
    ends that process, never the web server. Restarted if it stops; stopped with the
    server (SIGTERM lets a running job finish)."""

    def __init__(self, say: Any) -> None:
        super().__init__(name="chainproof-worker-supervisor", daemon=True)
        self.say = say
        self.stopping = threading.Event()
        self.process: subprocess.Popen[bytes] | None = None

    def _start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chainproof", "worker"], env=os.environ.copy()
        )

    def run(self) -> None:
        self._start()
        while not self.stopping.wait(2.0):
            if self.process is not None and self.process.poll() is not None:
                self.say(
                    f"The background worker stopped (exit status {self.process.returncode}); "
                    "starting it again."
                )
                self.stopping.wait(3.0)
                if not self.stopping.is_set():
                    self._start()

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def serve(host: str, port: int, threads: int, say: Any, *, worker: bool = True) -> None:
    """Serve the app with waitress; by default also run `chainproof worker` as a child
    process."""
    from waitress import serve as waitress_serve

    from chainproof.wsgi import application

    if not 1 <= port <= 65535:
        fail(f"--port: expected 1 to 65535, found {port}")
    if not os.environ.get("CHAINPROOF_PUBLIC_URL"):
        # Links in emails point at this server unless an address is configured; the
        # worker (a child process) sends them, so it learns the address too.
        everywhere = ("0.0.0.0", "::", "")  # noqa: S104  (a listening address, not a bind)
        shown = "127.0.0.1" if host in everywhere else host
        address = f"http://{shown}:{port}"
        os.environ["CHAINPROOF_PUBLIC_URL"] = address
        settings.PUBLIC_BASE_URL = address
    background = WorkerProcess(say) if worker else None

    def stop_on_sigterm(signum: int, frame: Any) -> None:
        raise SystemExit(0)  # runs the clean-up below: the worker stops with the server

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    if background is not None:
        background.start()
        say(
            "Background jobs run in a worker process beside the server (memory limit "
            f"{settings.WORKER_MEMORY_MB} MB: CHAINPROOF_WORKER_MEMORY_MB)."
        )
    say(f"chainproof is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="chainproof",
            **proxy_options(),
        )
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    finally:
        if background is not None:
            background.stop()
