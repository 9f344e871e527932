from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.models import Organization
from chainproof.audit.selectors import all_chains, verify_audit_chain
from chainproof.audit.services import chain_for
from chainproof.web.management.commands._errors import fail


class Command(BaseCommand):
    help = "Check the audit trail: `audit verify` recomputes every hash chain link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        verify = sub.add_parser(
            "verify",
            help="Recompute each chain and report the first broken link.",
            description="Exits 0 when every chain holds, 1 at the first broken link.",
        )
        verify.add_argument(
            "--organization", metavar="SLUG", help="Only this organization's chain."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["organization"]:
            org = Organization.objects.filter(slug=options["organization"]).first()
            if org is None:
                fail(f"--organization: no organization with slug {options['organization']!r}")
            chains = [chain_for(org.pk)]
        else:
            chains = all_chains()
        broken = []
        for chain in chains:
            result = verify_audit_chain(chain)
            if result.ok:
                self.stdout.write(f"{chain}: {result.checked} events, chain intact")
            else:
                self.stdout.write(f"{chain}: BROKEN at {result.first_break}")
                broken.append(result)
        if not chains:
            self.stdout.write("No audit events yet.")
        if broken:
            fail(
                f"{len(broken)} audit chain(s) broken; first: {broken[0].chain}: "
                f"{broken[0].first_break}"
            )
