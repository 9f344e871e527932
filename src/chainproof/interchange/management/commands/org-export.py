from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import add_organization_argument, organization_from
from chainproof.common.commands import fail, progress_bar
from chainproof.interchange.move.exporting import ExportRefused, organization_export


class Command(BaseCommand):
    help = (
        "Write a whole organization (every record, its people, document hashes, the audit "
        "trail) to one file, to move it to another chainproof with `org-import`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_organization_argument(parser)
        parser.add_argument("file", type=Path, metavar="FILE", help="The file to write (.zip).")
        parser.add_argument(
            "--with-files",
            action="store_true",
            help="Also copy the content of every stored file (documents, packages); each is "
            "checked against its SHA-256 on import.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_from(options["organization"])
        path: Path = options["file"]
        if path.exists():
            fail(f"{path} exists already; name a new file")
        if not path.parent.is_dir():
            fail(f"{path.parent} is not a folder")
        try:
            with progress_bar(self, "Exporting") as progress:
                result = organization_export(
                    organization=organization,
                    path=path,
                    with_files=options["with_files"],
                    progress=progress,
                )
        except ExportRefused as exc:
            fail(str(exc))
        self.stdout.write(
            f"Exported {organization.slug}: {result.records} records, {result.audit_events} "
            f"audit events, {result.counts.get('users', 0)} people"
            + (f", {result.files} stored files" if options["with_files"] else "")
            + f", to {path}."
        )
        if result.files_missing:
            self.stdout.write(
                f"{len(result.files_missing)} stored file(s) were missing from the store and "
                "are not in the file (see `chainproof evidence verify`)."
            )
        self.stdout.write(
            f"SHA-256 of the file: {result.sha256}\n"
            "Keep this figure: `org-import` prints the SHA-256 of the file it reads, and the "
            "two must be equal."
        )
