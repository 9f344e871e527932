from __future__ import annotations

import time
from typing import Any

from chainproof.accounts.commands import OrganizationCommand
from chainproof.suppliers.graph import tiers_recompute


class Command(OrganizationCommand):
    help = "Recompute every supplier's and facility's tier from the links; report cycles."

    def handle(self, *args: Any, **options: Any) -> None:
        org = self.organization(options)
        started = time.perf_counter()
        result = tiers_recompute(organization_id=org.pk)
        self.stdout.write(
            f"{org.slug}: {result['nodes_with_tier']} records reach the importer; "
            f"{result['changed']} tier(s) changed in {time.perf_counter() - started:.1f} s."
        )
        for cycle in result["cycles"]:
            self.stdout.write(self.style.WARNING("cycle: " + " -> ".join(cycle)))
