from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from chainproof.screening.services import screen
from chainproof.suppliers.management.commands._org import organization_from


class Command(BaseCommand):
    help = "Screen every supplier and facility name against the entity lists and watchlist."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Screen every record (the default; kept for clarity).",
        )
        parser.add_argument("--organization", metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_from(options["organization"])
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            transient=True,
            disable=not self.stdout.isatty(),
        ) as bar:
            task = bar.add_task("screening", total=None)

            def progress(done: int, total: int | None, message: str = "") -> None:
                bar.update(task, completed=done, total=total, description=message or "screening")

            result = screen(organization_id=org.pk, progress=progress)
        self.stdout.write(
            f"{org.slug}: {result['records']} records screened with {result['algorithm']} in "
            f"{result['seconds']} s: {result['new_hits']} new hit(s), {result['reopened']} "
            "reopened."
        )
