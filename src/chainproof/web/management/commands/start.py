from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from chainproof.web.management.commands.serve import serve


class Command(BaseCommand):
    help = (
        "Install-and-run in one step: `init` (migrate, reference data, demo organization), "
        "then serve on 127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--no-demo", action="store_true", help="Do not create the demo organization."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("init", no_demo=options["no_demo"], stdout=self.stdout)
        if not options["no_serve"]:
            serve(options["host"], options["port"], 8, self.stdout.write)
