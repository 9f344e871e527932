from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.suppliers.management.commands._org import organization_from
from chainproof.suppliers.services import tiers_recompute


class Command(BaseCommand):
    help = "Recompute every supplier's and facility's tier from the links; report cycles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_from(options["organization"])
        started = time.perf_counter()
        result = tiers_recompute(organization_id=org.pk)
        self.stdout.write(
            f"{org.slug}: {result['nodes_with_tier']} records reach the importer; "
            f"{result['changed']} tier(s) changed in {time.perf_counter() - started:.1f} s."
        )
        for cycle in result["cycles"]:
            self.stdout.write(self.style.WARNING("cycle: " + " -> ".join(cycle)))
