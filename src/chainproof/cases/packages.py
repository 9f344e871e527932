"""Building a case's evidence package: the PDF (executive summary, supply-chain tracing,
due diligence, coverage statement, exhibit index) rendered from HTML, signed with the
organization's certificate (PAdES), then written with every exhibit and ``manifest.json``
into a ZIP that is stored under its SHA-256 and never changed. Each build is a new
version on the case; what was filed is re-downloadable byte for byte.

The exhibits are streamed from the blob store into the ZIP and re-hashed on the way, so a
stored file that changed since it was uploaded stops the build instead of being filed.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.blobs.configured import blob_store
from chainproof.blobs.spool import Spooled, spool_dir
from chainproof.cases.models import DetentionCase, EvidencePackage
from chainproof.cases.package_content import PackageContent, package_content
from chainproof.cases.signing import signing_material
from chainproof.evidence.models import Blob
from chainproof.fileformats.html_pdf import PdfAttachment, pdf_from_html, pdf_page_count
from chainproof.fileformats.package_zip import (
    PackageError,
    PackageFile,
    exhibit_index_json,
    package_write,
)
from chainproof.fileformats.pdf_signing import SigningError
from chainproof.fileformats.pdf_worker import SignedPdfOrder, pdf_draw_and_sign

PDF_NAME = "package.pdf"
CHUNK = 1024 * 1024


def _exhibit_files(content: PackageContent) -> list[PackageFile]:
    store = blob_store()
    files = []
    for entry in content.exhibits:
        if entry.version is None:
            raise ValidationError(
                f"Exhibit {entry.number} ({entry.document.title}) has no stored file (it was "
                "purged); exclude it or upload the document again."
            )
        sha256 = entry.version.blob.sha256
        files.append(
            PackageFile(
                path=entry.path,
                size=entry.version.size,
                sha256=sha256,
                open=functools.partial(store.open, sha256),
                exhibit=entry.number,
            )
        )
    return files


def package_html(content: PackageContent, index: list[PackageFile]) -> str:
    by_path = {f.path: f for f in index}
    return render_to_string(
        "cases/print/package.html",
        {
            "c": content,
            "case": content.case,
            "shipment": content.case.shipment,
            "rows": [(e, by_path.get(e.path)) for e in content.exhibits],
        },
    )


def _pdf_attachments(files: list[PackageFile]) -> list[PdfAttachment]:
    return [
        PdfAttachment(
            "exhibit-index.json",
            exhibit_index_json(files),
            "Every exhibit's number, file name, size and SHA-256 (signed with this PDF)",
        )
    ]


def package_pdf(case: DetentionCase, content: PackageContent, files: list[PackageFile]) -> bytes:
    """The package's PDF, unsigned (for a preview or a benchmark)."""
    return pdf_from_html(
        package_html(content, files),
        attachments=_pdf_attachments(files),
        title=f"Evidence package, {case}, {case.shipment}",
        author=case.organization.name,
    )


class _HashingWriter(io.RawIOBase):
    """A write-only, non-seekable view of a file that hashes what passes through it, so the
    finished ZIP's SHA-256 is known without reading it again (zipfile then writes a data
    descriptor after each entry instead of seeking back)."""

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.target.write(view)
        self.digest.update(view)
        self.size += view.nbytes
        return view.nbytes

    def tell(self) -> int:
        return self.size

    def seek(self, *args: Any) -> int:
        raise io.UnsupportedOperation("the package is written in one pass")

    def flush(self) -> None:
        self.target.flush()


def package_build(*, case: DetentionCase, actor: Any) -> EvidencePackage:
    """Build, sign and store a new version of the case's package; audited.

    The PDF is drawn and signed in a worker process (``fileformats/pdf_worker.py``) while
    the exhibits are copied into the ZIP, and goes in after them, before the manifest."""
    content = package_content(case)
    if not content.exhibits:
        raise ValidationError("Include at least one exhibit before building a package.")
    files = _exhibit_files(content)
    html = package_html(content, files)
    with transaction.atomic():
        certificate, bundle, password = signing_material(case.organization_id, actor)
    title = f"Evidence package, {case}, {case.shipment}"
    author = case.organization.name
    reason = f"Evidence package for {case} ({case.shipment}) filed with U.S. CBP"
    location = content.port.name if content.port else ""

    order = SignedPdfOrder(
        html=html,
        attachments=_pdf_attachments(files),
        title=title,
        author=author,
        p12=bundle,
        password=password,
        reason=reason,
        location=location,
        signer_name=certificate.subject,
    )

    metadata = {
        "organization": case.organization.name,
        "case": case.number,
        "entry_number": case.shipment.entry_number,
        "shipment": case.shipment.reference,
        "legal_basis": case.get_basis_display(),
        "cbp_reference": case.cbp_reference,
        "built_at": timezone.now().isoformat(timespec="seconds"),
        "signer": certificate.subject,
        "signer_fingerprint_sha256": certificate.fingerprint,
        "pdf": PDF_NAME,
        "documents": [entry.document.pk for entry in content.exhibits],
    }
    signed = b""
    handle, name = tempfile.mkstemp(dir=spool_dir(), prefix="package-", suffix=".zip")
    path = Path(name)
    try:
        drawing = pdf_draw_and_sign(order)  # in a worker process, beside the copying
        with os.fdopen(handle, "wb") as out:

            def in_order() -> Iterator[PackageFile]:
                nonlocal signed
                yield from files
                signed = drawing.result()
                yield PackageFile(
                    path=PDF_NAME,
                    size=len(signed),
                    sha256=hashlib.sha256(signed).hexdigest(),
                    open=functools.partial(io.BytesIO, signed),
                )

            writer = _HashingWriter(out)
            try:
                manifest = package_write(
                    cast(BinaryIO, writer), files=in_order(), metadata=metadata
                )
            except PackageError as exc:
                drawing.cancel()
                raise ValidationError(
                    f"The package was not built: {exc}. Run the evidence verification to see "
                    "which stored files changed."
                ) from None
            except SigningError as exc:
                raise ValidationError(f"The package could not be signed: {exc}.") from None
            out.flush()
            os.fsync(out.fileno())
        size, sha256 = writer.size, writer.digest.hexdigest()
        store = blob_store()
        store.put(Spooled(path=path, sha256=sha256, size=size))
    finally:
        path.unlink(missing_ok=True)
    with transaction.atomic():
        Blob.objects.get_or_create(
            sha256=sha256,
            defaults={"size": size, "content_type": "application/zip", "backend": store.name},
        )
        # One version number at a time per case (two builds at once).
        DetentionCase.objects.select_for_update().filter(pk=case.pk).first()
        version = (case.packages.aggregate(n=Max("version"))["n"] or 0) + 1
        package = EvidencePackage.objects.create(
            organization_id=case.organization_id,
            case=case,
            version=version,
            zip_sha256=sha256,
            zip_size=size,
            pdf_sha256=hashlib.sha256(signed).hexdigest(),
            package_sha256=manifest["package_sha256"],
            pdf_pages=pdf_page_count(signed),
            exhibit_count=len(files),
            signer=certificate.subject,
            signer_fingerprint=certificate.fingerprint,
            manifest=manifest,
            built_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            action="cases.package_built",
            actor=actor,
            organization=case.organization_id,
            obj=package,
            after={
                "case": case.number,
                "version": version,
                "zip_sha256": sha256,
                "package_sha256": package.package_sha256,
                "exhibits": len(files),
                "pages": package.pdf_pages,
            },
        )
    return package


def package_mark_filed(*, package: EvidencePackage, actor: Any) -> EvidencePackage:
    """Record that this version is the one filed with CBP."""
    if package.filed_at is not None:
        raise ValidationError(f"{package} was already marked as filed.")
    package.filed_at = timezone.now()
    package.filed_by = actor if getattr(actor, "is_authenticated", False) else None
    package.save(update_fields=["filed_at", "filed_by"])
    audit_record(
        action="cases.package_filed",
        actor=actor,
        organization=package.organization_id,
        obj=package,
        after={"version": package.version, "zip_sha256": package.zip_sha256},
    )
    return package


def package_pdf_bytes(package: EvidencePackage) -> bytes:
    """The signed PDF as filed, read from the stored ZIP (only that entry is read)."""
    with blob_store().open(package.zip_sha256) as stream:
        if stream.seekable():
            with zipfile.ZipFile(stream) as archive:
                return archive.read(PDF_NAME)
        with tempfile.TemporaryFile(dir=spool_dir()) as copy:
            while piece := stream.read(CHUNK):
                copy.write(piece)
            copy.seek(0)
            with zipfile.ZipFile(copy) as archive:
                return archive.read(PDF_NAME)
