from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import fail
from chainproof.interchange.ftm_export import ftm_lines


class Command(OrganizationCommand):
    help = (
        "Export the supply chain as FollowTheMoney entities, one JSON object a line "
        "(.ftm.json), for OpenSanctions tools (nomenklatura, yente) and Aleph."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self.organization(options)
        count = 0
        try:
            if options["output"]:
                with open(options["output"], "wb") as out:
                    for line in ftm_lines(organization):
                        out.write(line)
                        count += 1
            else:
                for line in ftm_lines(organization):
                    self.stdout.write(line.decode("utf-8"), ending="")
                    count += 1
        except OSError as exc:
            fail(f"cannot write {options['output']}: {exc.strerror}")
        if options["output"]:
            self.stderr.write(f"Wrote {count} entities to {options['output']}.")
