from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from chainproof.suppliers.importing import ENTITIES, ImportFailed, run_import
from chainproof.suppliers.management.commands._org import organization_from
from chainproof.web.management.commands._errors import fail


class Command(BaseCommand):
    help = (
        "Import suppliers, facilities, materials, products or links from a CSV or XLSX file "
        "(all or nothing; --dry-run shows what would change)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("entity", choices=ENTITIES, help="What the file holds.")
        parser.add_argument("file", help="CSV (UTF-8) or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")
        parser.add_argument("--organization", metavar="SLUG", help="Target organization.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_from(options["organization"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            transient=True,
            disable=not self.stdout.isatty(),
        ) as bar:
            task = bar.add_task("reading", total=None)

            def progress(done: int, total: int | None, message: str = "") -> None:
                bar.update(task, completed=done, total=total, description=message or "importing")

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
