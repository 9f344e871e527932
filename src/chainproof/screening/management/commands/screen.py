from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import progress_bar
from chainproof.screening.services import screen


class Command(OrganizationCommand):
    help = "Screen every supplier and facility name against the entity lists and watchlist."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--all",
            action="store_true",
            help="Screen every record (the default; kept for clarity).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = self.organization(options)
        with progress_bar(self, "screening") as progress:
            result = screen(organization_id=org.pk, progress=progress)
        self.stdout.write(
            f"{org.slug}: {result['records']} records screened with {result['algorithm']} in "
            f"{result['seconds']} s: {result['new_hits']} new hit(s), {result['reopened']} "
            "reopened."
        )
