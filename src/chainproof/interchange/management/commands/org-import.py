from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chainproof.common.commands import fail, progress_bar
from chainproof.interchange.move.fileformat import MoveFileError
from chainproof.interchange.move.importing import organization_import


class Command(BaseCommand):
    help = (
        "Read an organization written by `org-export` into this chainproof (all or nothing), "
        "re-check its audit trail and chain it here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE", help="The file from org-export.")
        parser.add_argument(
            "--source-audit-key",
            type=Path,
            metavar="KEYFILE",
            help="The audit_key file of the exporting instance's data directory: every carried "
            "audit event, checkpoint and the manifest are then verified under it.",
        )
        parser.add_argument(
            "--slug",
            help="Import under this slug instead of the exported one (the name is kept).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and roll back: nothing is stored.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            fail(f"no file {path}")
        key = None
        if options["source_audit_key"]:
            try:
                key = options["source_audit_key"].read_text(encoding="ascii").strip().encode()
            except (OSError, UnicodeDecodeError) as exc:
                fail(f"--source-audit-key: cannot read {options['source_audit_key']}: {exc}")
        try:
            with progress_bar(self, "Importing") as progress:
                result = organization_import(
                    path=path,
                    slug=options["slug"],
                    source_key=key,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except MoveFileError as exc:
            fail(f"nothing was imported: {exc}")
        org = result.organization
        assert org is not None  # noqa: S101
        source = result.source
        self.stdout.write(f"SHA-256 of the file: {result.file_sha256}")
        verb = "Checked (dry run, nothing stored)" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {org.name} as {org.slug}: {result.records} records, "
            f"{result.audit_events} audit events re-chained, {result.files} stored files."
        )
        if source is not None and source.key_checked:
            self.stdout.write("The carried audit trail verifies under the source audit key.")
        else:
            self.stdout.write(
                "The carried audit trail is linked end to end; it was not recomputed under the "
                "source audit key (give --source-audit-key to prove it was not changed)."
            )
        if result.users_created:
            self.stdout.write(
                "New accounts, whose password nobody knows (each person sets one with 'Forgot "
                "your password?' on the sign-in page; an account without an email needs "
                "`chainproof changepassword NAME`): " + ", ".join(result.users_created)
            )
        if result.users_matched:
            self.stdout.write(
                "Existing accounts with the same email joined: " + ", ".join(result.users_matched)
            )
