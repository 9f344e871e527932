from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from chainproof.outbox.services import email_send_due
from chainproof.questionnaires.campaigns import reminders_send
from chainproof.questionnaires.versions import versions_sync


class Command(BaseCommand):
    help = "Questionnaires: list the versions, or send the reminders that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("versions", help="Questionnaire versions available (bundled ones loaded).")
        remind = sub.add_parser(
            "remind", help="Email reminders due now (the worker also does this hourly)."
        )
        remind.add_argument(
            "--base-url",
            default=None,
            help="Address suppliers reach this instance at (default CHAINPROOF_PUBLIC_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "versions":
            for version in versions_sync():
                self.stdout.write(f"{version.key}\t{version.title}\tsha256 {version.sha256[:12]}")
            return
        queued = reminders_send(base_url=options["base_url"] or settings.PUBLIC_BASE_URL)
        outcome = email_send_due()  # the outbox: what is due now, reminders among them
        self.stdout.write(
            f"Queued {queued} reminder(s); sent {outcome['sent']} message(s), "
            f"{outcome['failed']} failed (retried later by the worker)."
        )
