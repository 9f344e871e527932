from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.web.management.commands._errors import fail


class Command(BaseCommand):
    help = "Serve the web app and API with a production WSGI server (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--threads", type=int, default=8, help="Worker threads.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background jobs in this process (run `chainproof worker`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve(
            options["host"],
            options["port"],
            options["threads"],
            self.stdout.write,
            worker=not options["no_worker"],
        )


def serve(host: str, port: int, threads: int, say: Any, *, worker: bool = True) -> None:
    """Serve the app with waitress; by default also run queued jobs in a thread."""
    from waitress import serve as waitress_serve

    from chainproof.jobs.services import BackgroundWorker
    from chainproof.wsgi import application

    if not 1 <= port <= 65535:
        fail(f"--port: expected 1 to 65535, found {port}")
    background = BackgroundWorker() if worker else None
    if background is not None:
        background.start()
        say("Background jobs run in this process.")
    say(f"chainproof is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="chainproof")
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    finally:
        if background is not None:
            background.stop()
