"""Receiving a file into the locker, before any record is written.

A file is streamed into a private temporary file while its SHA-256 is computed (never held
whole in memory), checked by its content (what it really is, hostile content), and stored
once under its hash in the configured store. All of this happens *outside* the database
transaction: a slow upload to an object store never holds the database's write lock. The
records that name the stored content are written afterwards, in the caller's transaction,
by ``documents.document_create`` or ``documents.document_version_add``.

A refused file leaves nothing behind: not in the store (it is refused before it is
published), not in the database, not in the temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from chainproof.blobs import BlobEmpty, BlobTooLarge, blob_store, spool
from chainproof.fileformats.documents import DocumentRejected, check_document_file


@dataclass(frozen=True)
class Received:
    """A file that is stored and may now be named by a document version."""

    sha256: str
    size: int
    original_name: str
    extension: str  # what the content is (".pdf"), sniffed, never taken from the name
    content_type: str
    warnings: tuple[str, ...]  # active content found in a PDF: stored inert, flagged
    backend: str
    newly_stored: bool


def clean_file_name(file_name: str) -> str:
    """The last part of a path a browser or a script sent, without control characters."""
    name = str(file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "unnamed"


def file_receive(source: Any, file_name: str, *, max_bytes: int | None = None) -> Received:
    """Spool, check and store one file; ValidationError (on the field ``file``) naming the
    file and what is wrong when it is refused."""
    name = clean_file_name(file_name)
    limit = max_bytes or settings.EVIDENCE_MAX_BYTES
    try:
        with spool(source, max_bytes=limit) as spooled:
            try:
                checked = check_document_file(spooled.path, name)
            except DocumentRejected as exc:
                raise ValidationError({"file": f"{exc.source} is refused: {exc.reason}."}) from None
            store = blob_store()
            newly = store.put(spooled)
            return Received(
                sha256=spooled.sha256,
                size=spooled.size,
                original_name=name,
                extension=checked.extension,
                content_type=checked.content_type,
                warnings=tuple(checked.warnings),
                backend=store.name,
                newly_stored=newly,
            )
    except BlobEmpty:
        raise ValidationError({"file": f"{name} is refused: it is empty (0 bytes)."}) from None
    except BlobTooLarge:
        raise ValidationError(
            {"file": f"{name} is refused: it is larger than the limit of {limit:,} bytes."}
        ) from None


def checked_file_keep(
    data: bytes, file_name: str, *, content_type: str, extension: str, max_bytes: int
) -> Received:
    """Store a file that a stricter reader of its own kind has already checked, for the
    locker: a returned questionnaire workbook, read cell by cell with its formulas refused
    where answers are and never evaluated (chainproof's own checker sheet carries formulas,
    which the general document check refuses)."""
    name = clean_file_name(file_name)
    try:
        with spool([data], max_bytes=max_bytes) as spooled:
            store = blob_store()
            newly = store.put(spooled)
            return Received(
                sha256=spooled.sha256,
                size=spooled.size,
                original_name=name,
                extension=extension,
                content_type=content_type,
                warnings=(),
                backend=store.name,
                newly_stored=newly,
            )
    except BlobEmpty:
        raise ValidationError({"file": f"{name} is refused: it is empty (0 bytes)."}) from None
    except BlobTooLarge:
        raise ValidationError(
            {"file": f"{name} is refused: it is larger than the limit of {max_bytes:,} bytes."}
        ) from None
