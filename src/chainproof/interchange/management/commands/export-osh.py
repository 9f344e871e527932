from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import fail
from chainproof.common.exports import export_response, export_text, write_export
from chainproof.interchange.osh_export import OSH_HEADERS, osh_file_name, osh_rows


class Command(OrganizationCommand):
    help = (
        "Export the worksites in Open Supply Hub's list-upload format (CSV or XLSX): name, "
        "address, country and the optional columns OS Hub reads, with the OS ID when known."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--format", choices=["csv", "xlsx"], default="csv", help="File format (default csv)."
        )
        parser.add_argument(
            "--output", "-o", help="File to write (default: standard output for CSV)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self.organization(options)
        fmt = options["format"]
        if fmt == "xlsx" and not options["output"]:
            fail("XLSX needs --output FILE")
        response = export_response(
            fmt, osh_file_name(organization), OSH_HEADERS, osh_rows(organization.pk)
        )
        if options["output"]:
            try:
                write_export(response, options["output"])
            except OSError as exc:
                fail(f"cannot write {options['output']}: {exc.strerror}")
            self.stderr.write(f"Wrote {options['output']}.")
        else:
            for text in export_text(response):
                self.stdout.write(text, ending="")
