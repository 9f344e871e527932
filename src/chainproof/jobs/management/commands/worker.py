from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from chainproof.jobs.services import enqueue_due_periodic, run_pending


class Command(BaseCommand):
    help = "Run background jobs (imports, recomputations) queued by the web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run what is queued now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            enqueue_due_periodic()
            ran = run_pending()
            self.stdout.write(f"Ran {ran} job(s).")
            return
        self.stdout.write("Waiting for jobs (Ctrl-C stops).")
        while True:
            close_old_connections()
            enqueue_due_periodic()
            if not run_pending(limit=10):
                time.sleep(options["interval"])
