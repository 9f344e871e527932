"""``chainproof cases list``: an organization's detention cases with their next deadline."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import add_organization_argument, organization_from
from chainproof.cases.deadlines import next_deadline
from chainproof.cases.models import DetentionCase
from chainproof.cases.selectors import cases_for


class Command(BaseCommand):
    help = (
        "Detention cases: `cases list` shows each case's number, shipment and entry, legal "
        "basis, status and next deadline with the days left."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list}")
        listing = sub.add_parser(
            "list",
            help="List the organization's cases, newest notice first.",
            description="Each case with its shipment, entry number, legal basis, status and "
            "the importer's next deadline that has not passed (with the days left).",
        )
        add_organization_argument(listing)
        listing.add_argument("--open", action="store_true", help="Only the cases not yet closed.")
        listing.add_argument(
            "--format",
            choices=("table", "json"),
            default="table",
            help="A table for people (default) or JSON for scripts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_from(options.get("organization"))
        found = cases_for(organization.pk).prefetch_related("overrides")
        if options["open"]:
            found = found.exclude(status__in=DetentionCase.CLOSED)
        rows = [_row(case) for case in found]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            scope = "open " if options["open"] else ""
            self.stdout.write(f"No {scope}detention cases in {organization.name}.")
            return
        headers = ("Case", "Shipment", "Entry", "Basis", "Status", "Next deadline", "Days left")
        table = [
            (
                str(r["case"]),
                r["shipment"],
                r["entry_number"] or "-",
                r["basis"],
                r["status"],
                f"{r['next_deadline']} ({r['next_deadline_label']})" if r["next_deadline"] else "-",
                "-" if r["days_left"] is None else str(r["days_left"]),
            )
            for r in rows
        ]
        widths = [max(len(line[i]) for line in [headers, *table]) for i in range(len(headers))]
        for line in [headers, *table]:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            )


def _row(case: DetentionCase) -> dict[str, Any]:
    deadline = next_deadline(case)
    return {
        "case": case.number,
        "shipment": case.shipment.reference,
        "entry_number": case.shipment.entry_number,
        "basis": case.get_basis_display(),
        "status": case.get_status_display(),
        "next_deadline": deadline.due.isoformat() if deadline else None,
        "next_deadline_label": deadline.label if deadline else None,
        "days_left": deadline.days_left if deadline else None,
    }
