from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from chainproof.accounts.commands import OrganizationCommand
from chainproof.common.commands import fail
from chainproof.interchange.ftm_import import ftm_import
from chainproof.interchange.ftm_reading import FtmImportFailed


class Command(OrganizationCommand):
    help = (
        "Import FollowTheMoney entities (one JSON object a line) into the supply chain: "
        "companies become suppliers and worksites, supply links become links. All or "
        "nothing: any problem refuses the whole file, naming its line and entity."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("file", help="A .ftm.json / .json / .jsonl file, one entity a line.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self.organization(options)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
        try:
            report = ftm_import(
                organization=organization, actor=None, data=data, file_name=path.name
            )
        except FtmImportFailed as exc:
            lines = [f"{exc.file_name}: nothing was imported ({exc.total} problem(s))."]
            lines += [f"  {problem}" for problem in exc.problems]
            if exc.total > len(exc.problems):
                lines.append(f"  ... {exc.total - len(exc.problems)} more")
            fail("\n".join(lines))
        self.stdout.write(f"{path.name}: {report.entities} entities read.")
        for kind, count in sorted(report.created.items()):
            self.stdout.write(f"  {kind}: {count} added")
        for kind, count in sorted(report.updated.items()):
            self.stdout.write(f"  {kind}: {count} found and updated")
        for kind, count in sorted(report.unchanged.items()):
            self.stdout.write(f"  {kind}: {count} found, already as in the file")
        for schema, count in sorted(report.skipped.items()):
            self.stdout.write(f"  {schema}: {count} left out")
