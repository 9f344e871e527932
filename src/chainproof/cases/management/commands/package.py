"""``chainproof package build`` and ``chainproof package verify``: a case's evidence package
built and written to a file, and any package checked as its recipient would check it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from chainproof.accounts.commands import add_organization_argument, organization_from
from chainproof.blobs.configured import blob_store
from chainproof.blobs.errors import BlobError
from chainproof.cases.models import DetentionCase, EvidencePackage
from chainproof.cases.packages import package_build
from chainproof.cases.templatetags.cases import common_name
from chainproof.common.commands import fail
from chainproof.fileformats.package_zip import PackageReport, package_verify

CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Evidence packages: `package build CASE --out FILE.zip` builds, signs and stores a new "
        "version of a case's package and writes it to FILE.zip; `package verify FILE.zip` "
        "checks a package (manifest, every file's size and SHA-256, the PDF's signature and "
        "its exhibit index) and exits 1 when anything does not hold."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{build,verify}")
        build = sub.add_parser(
            "build",
            help="Build a new version of a case's package and write the ZIP to a file.",
            description="Each build is a new version, stored under its SHA-256 and kept; "
            "the file written is a copy of the stored ZIP, byte for byte.",
        )
        add_organization_argument(build)
        build.add_argument("case", type=int, metavar="CASE_NUMBER", help="The case's number.")
        build.add_argument(
            "--out", type=Path, required=True, metavar="PACKAGE.zip", help="Where to write it."
        )
        verify = sub.add_parser(
            "verify",
            help="Check a package file; exit 1 and name every problem when one is found.",
            description="Needs no database: the package carries its manifest and signature.",
        )
        verify.add_argument(
            "file", type=Path, metavar="PACKAGE.zip", help="The package ZIP to check."
        )
        verify.add_argument(
            "--fingerprint",
            metavar="SHA256",
            help="Also require the PDF to be signed by the certificate of this SHA-256.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options["file"], options.get("fingerprint"))
        else:
            self._build(options)

    def _build(self, options: dict[str, Any]) -> None:
        organization = organization_from(options.get("organization"))
        case = (
            DetentionCase.objects.filter(organization=organization, number=options["case"])
            .select_related("shipment", "organization")
            .first()
        )
        if case is None:
            fail(f"no case {options['case']} in {organization.name} (see `chainproof cases list`)")
        out: Path = options["out"]
        if not out.parent.is_dir():
            fail(f"--out: the folder {out.parent} does not exist")
        try:
            package = package_build(case=case, actor=None)
        except ValidationError as exc:
            fail(f"case {case.number}: " + "; ".join(exc.messages))
        try:
            _copy_stored(package, out)
        except (BlobError, OSError) as exc:
            fail(
                f"package version {package.version} was built and stored, but it could not "
                f"be written to {out}: {exc}"
            )
        self.stdout.write(
            f"Case {case.number}: package version {package.version} built "
            f"({_count(package.exhibit_count, 'exhibit')}, "
            f"{_count(package.pdf_pages, 'page')}, signed by {common_name(package.signer)})."
        )
        self.stdout.write(
            f"Wrote {out} ({package.zip_size:,} bytes, SHA-256 {package.zip_sha256})."
        )

    def _verify(self, path: Path, fingerprint: str | None) -> None:
        if not path.is_file():
            fail(f"{path}: no such file")
        try:
            report = package_verify(path, expected_fingerprint=fingerprint)
        except OSError as exc:
            fail(f"{path}: cannot read it ({exc.strerror or exc})")
        for line in _checks(report):
            self.stdout.write(line)
        if report.ok:
            self.stdout.write(f"{path}: the package verifies.")
            if fingerprint is None:
                self.stdout.write(
                    "Note: the signature proves that nothing changed after signing; to prove "
                    "who signed, compare the certificate's SHA-256 above with the one the "
                    "importer gives you, or pass it with --fingerprint."
                )
            return
        for problem in report.problems:
            self.stdout.write(f"  problem: {problem}")
        fail(f"{path}: the package does not verify ({len(report.problems)} problem(s))")


def _copy_stored(package: EvidencePackage, out: Path) -> None:
    """Copy the stored ZIP to ``out`` (through a temporary file beside it), checking that
    the bytes copied are the ones recorded."""
    digest = hashlib.sha256()
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as target, blob_store().open(package.zip_sha256) as source:
            while piece := source.read(CHUNK):
                digest.update(piece)
                target.write(piece)
        if digest.hexdigest() != package.zip_sha256:
            raise OSError(
                f"the stored ZIP has SHA-256 {digest.hexdigest()[:8]}…, not the recorded "
                f"{package.zip_sha256[:8]}… (run `chainproof evidence verify`)"
            )
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def _checks(report: PackageReport) -> list[str]:
    """One line per check that was made, whether it held or not."""
    lines = []
    if report.manifest is None:
        lines.append("manifest.json: not read")
    else:
        listed = report.manifest.get("files", [])
        exhibits = sum(1 for entry in listed if entry.get("exhibit"))
        lines.append(f"manifest.json: {len(listed)} file(s) listed, {exhibits} of them exhibit(s)")
        lines.append(f"files: {report.files_checked} checked for size and SHA-256")
    signature = report.signature
    if signature is None:
        lines.append("signature: not checked")
    elif signature.ok:
        when = f" at {signature.signed_at:%Y-%m-%d %H:%M %Z}" if signature.signed_at else ""
        lines.append(
            f"signature: intact, covers the whole PDF, signed by {signature.signer}{when} "
            f"(certificate SHA-256 {signature.fingerprint_sha256})"
        )
    else:
        lines.append(f"signature: {signature.problem}")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
