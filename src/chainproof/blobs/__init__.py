"""Content-addressed storage of file contents (blobs), on local disk or an S3-compatible
object store: bytes kept once per SHA-256, hashed while streaming, never overwritten.

The one place file contents are kept (questionnaire attachments, the evidence locker).
An incoming file is first spooled (``spool``: written to a private temporary file while it
is hashed, refused when empty or too large), may be checked by the caller, and is then
published under its hash (``blob_store().put``). Reading is streamed; ``verify`` re-hashes.

    with spool(upload, max_bytes=limit) as spooled:
        check(spooled.path)
        blob_store().put(spooled)
"""

from chainproof.blobs.base import BlobStatus, BlobStore, checked_chunks
from chainproof.blobs.configured import blob_store
from chainproof.blobs.errors import (
    BlobAltered,
    BlobEmpty,
    BlobError,
    BlobStoreUnavailable,
    BlobTooLarge,
)
from chainproof.blobs.spool import Spooled, spool, spool_dir

__all__ = [
    "BlobAltered",
    "BlobEmpty",
    "BlobError",
    "BlobStatus",
    "BlobStore",
    "BlobStoreUnavailable",
    "BlobTooLarge",
    "Spooled",
    "blob_store",
    "checked_chunks",
    "spool",
    "spool_dir",
]
