"""Delivering a stored version: streamed from the store and re-hashed on the way, so an
altered file is never delivered whole (the download breaks off before its end); a missing,
purged or unreachable file is a plain reason, for the page or the API to show."""

from __future__ import annotations

import logging

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from chainproof.blobs import BlobStoreUnavailable, blob_store, checked_chunks
from chainproof.evidence.models import DocumentVersion

log = logging.getLogger(__name__)

# What the browser may show inline, and what it may then do: nothing (no script, no
# network, a sandbox), except for PDFs, whose built-in viewer does not run in a sandbox.
PREVIEWABLE = {".pdf", ".png", ".jpg", ".gif", ".webp"}
PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
PDF_PREVIEW_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


class FileUnavailable(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def can_preview(version: DocumentVersion) -> bool:
    return version.extension in PREVIEWABLE and not version.warnings


def version_response(version: DocumentVersion, *, inline: bool = False) -> StreamingHttpResponse:
    """The stored file as a response (inline only when it may be previewed), or
    FileUnavailable."""
    if version.purged_at is not None:
        raise FileUnavailable(410, "Purged", "This file was purged after its retention period.")
    try:
        content = checked_chunks(blob_store(), version.blob.sha256)
    except FileNotFoundError:
        raise FileUnavailable(
            404, "Missing", "The stored file is missing: an administrator should verify the store."
        ) from None
    except BlobStoreUnavailable as exc:
        log.error("document version %s: %s", version.pk, exc)
        raise FileUnavailable(503, "Unavailable", "The file store cannot be reached.") from None
    inline = inline and can_preview(version)
    response = StreamingHttpResponse(
        content, content_type=version.content_type if inline else "application/octet-stream"
    )
    response["Content-Disposition"] = (
        content_disposition_header(not inline, version.original_name) or "attachment"
    )
    response["Content-Length"] = str(version.size)
    response["X-Content-Type-Options"] = "nosniff"
    pdf = inline and version.extension == ".pdf"
    response["Content-Security-Policy"] = PDF_PREVIEW_POLICY if pdf else PREVIEW_POLICY
    return response
