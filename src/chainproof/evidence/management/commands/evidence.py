from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db import transaction

from chainproof.accounts.commands import OrganizationCommand, add_organization_argument
from chainproof.blobs.local import durable_together
from chainproof.common.commands import fail, iso_date, progress_bar
from chainproof.domain.evidence.categories import CATEGORY_BY_CODE, RECORD_TYPE_LABELS
from chainproof.evidence.bulk_load import documents_create_many
from chainproof.evidence.receiving import file_receive
from chainproof.evidence.targets import BY_REFERENCE, KINDS, target_parse
from chainproof.evidence.verification import blobs_verify, problems_for

BATCH = 200  # files recorded per transaction


class Command(OrganizationCommand):
    help = (
        "The evidence locker: `evidence add FILE ...` stores documents (checked by content, "
        "kept once per SHA-256); `evidence verify` re-hashes every stored file and names "
        "the missing or altered ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,verify}")
        add = sub.add_parser(
            "add",
            help="Store files as evidence documents, one document per file.",
            description="Each file is checked by its content (type, hostile content) and "
            "stored once per SHA-256; a refused file stores nothing. Exit 1 if any file "
            "was refused.",
        )
        add_organization_argument(add)
        add.add_argument(
            "files",
            nargs="+",
            type=Path,
            metavar="FILE",
            help="The files to store, one document each.",
        )
        add.add_argument(
            "--category",
            action="append",
            default=None,
            metavar="CODE",
            help="What the files are evidence of (repeat for several): "
            + ", ".join(CATEGORY_BY_CODE),
        )
        add.add_argument(
            "--type",
            dest="record_type",
            default="other",
            choices=sorted(RECORD_TYPE_LABELS),
            metavar="TYPE",
            help="What the files are: " + ", ".join(RECORD_TYPE_LABELS),
        )
        add.add_argument("--title", help="Title (default: from each file's name).")
        add.add_argument(
            "--issuer", default="", help="Who issued the documents (an auditor, a ministry)."
        )
        add.add_argument(
            "--valid-until",
            type=iso_date,
            metavar="YYYY-MM-DD",
            help="The last day the documents are valid (an expiry notice goes out before it).",
        )
        for option in KINDS:
            add.add_argument(
                f"--{option}",
                action="append",
                default=[],
                metavar="ID" if option not in BY_REFERENCE else "ID|REF",
                help=f"Link the files to this {option}"
                + (f" (its number or {BY_REFERENCE[option][2]})" if option in BY_REFERENCE else "")
                + " (repeatable).",
            )
        verify = sub.add_parser(
            "verify",
            help="Re-hash every stored file; exit 1 when one is missing or altered.",
        )
        add_organization_argument(verify)
        verify.add_argument(
            "--all",
            action="store_true",
            help="Every stored file of every organization (default: one organization's).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options)
        else:
            self._add(options)

    def _add(self, options: dict[str, Any]) -> None:
        organization = self.organization(options)
        try:
            links = [
                target_parse(organization.pk, option, given)
                for option in KINDS
                for given in options[option]
            ]
        except ValidationError as exc:
            fail("; ".join(exc.messages))
        metadata = {"record_type": options["record_type"], "issuer": options["issuer"]}
        if options["title"]:
            metadata["title"] = options["title"]
        if options["valid_until"]:
            metadata["valid_until"] = options["valid_until"]
        refused = 0
        files: list[Path] = options["files"]
        for start in range(0, len(files), BATCH):
            received = []
            # The batch's files are made durable together before their records are written.
            with durable_together():
                for path in files[start : start + BATCH]:
                    try:
                        with path.open("rb") as source:
                            received.append((path, file_receive(source, path.name)))
                    except OSError as exc:
                        refused += 1
                        self.stderr.write(f"{path}: cannot read it ({exc.strerror})")
                    except ValidationError as exc:
                        refused += 1
                        self.stderr.write(f"{path}: " + "; ".join(exc.messages))
            # The files of a batch are recorded together: one transaction, one statement
            # per table, one append to the audit chain, one text-extraction job.
            if not received:
                continue
            try:
                with transaction.atomic():
                    documents = documents_create_many(
                        organization=organization,
                        actor=None,
                        received=[one for _, one in received],
                        metadata=metadata,
                        categories=options["category"],
                        links=links,
                    )
            except ValidationError as exc:
                fail("; ".join(exc.messages) + " Nothing was recorded for these files.")
            for (path, one), document in zip(received, documents, strict=True):
                same = "" if one.newly_stored else " (same bytes as a stored file)"
                self.stdout.write(
                    f"{path.name}: document {document.pk} '{document.title}', "
                    f"SHA-256 {one.sha256}{same}"
                )
        if refused:
            fail(f"{refused} of {len(options['files'])} file(s) refused; nothing stored for them.")

    def _verify(self, options: dict[str, Any]) -> None:
        organization = None if options["all"] else self.organization(options)
        with progress_bar(self, "verifying") as progress:
            run = blobs_verify(organization=organization, progress=progress)
        self.stdout.write(
            f"Verified {run.checked:,} stored file(s) on {run.backend}: {run.intact:,} intact, "
            f"{run.missing:,} missing, {run.altered:,} altered."
        )
        if run.missing or run.altered:
            for problem in run.problems:
                self.stdout.write(f"  {problem['status']}: {problem['sha256']}")
            if organization is not None:
                for version in problems_for(run, organization.pk):
                    self.stdout.write(
                        f"  {version.blob.status}: document {version.document_id} "
                        f"'{version.document.title}' version {version.number} "
                        f"({version.original_name})"
                    )
            fail("verification found missing or altered files")
