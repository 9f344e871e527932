from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import fail, progress_bar
from chainproof.suppliers.importing import ENTITIES, ImportFailed, run_import


class Command(OrganizationCommand):
    help = (
        "Import suppliers, facilities, materials, products or links from a CSV or XLSX file "
        "(all or nothing; --dry-run shows what would change)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("entity", choices=ENTITIES, help="What the file holds.")
        parser.add_argument("file", help="CSV (UTF-8) or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self.organization(options)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        with progress_bar(self, "importing") as progress:
            try:
                report = run_import(
                    organization=organization,
                    actor=None,
                    entity=options["entity"],
                    data=data,
                    file_name=path.name,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
            except ImportFailed as exc:
                lines = [f"{exc.source}: nothing was imported ({exc.total} problem(s))."]
                lines += [f"  {error}" for error in exc.errors]
                if exc.total > len(exc.errors):
                    lines.append(f"  ... {exc.total - len(exc.errors)} more")
                fail("\n".join(lines))
        verb = "Would import" if report.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} into {organization.slug}: {report.rows} rows, "
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
        for change in report.changes[:20]:
            fields = ", ".join(change["fields"])
            self.stdout.write(
                f"  row {change['row']}: {change['action']} {change['record']}"
                + (f" ({fields})" if change["action"] == "update" else "")
            )
        if report.tiers and report.tiers["cycle_count"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.tiers['cycle_count']} cycle(s) in the links, e.g. "
                    + " -> ".join(report.tiers["cycles"][0])
                )
            )
