"""What can go wrong with a stored file, in words a person can act on.

Each exception's text is meant to be shown as it is ("an empty file", "larger than
200,000,000 bytes", "the S3 endpoint http://... cannot be reached"), so callers can put it
in a form error or a command's output without translating a library's traceback."""

from __future__ import annotations


class BlobError(Exception):
    """Anything the blob store refuses or cannot do."""


class BlobEmpty(BlobError):
    """A file of 0 bytes: there is nothing to keep, and an empty file is never evidence."""

    def __init__(self) -> None:
        super().__init__("an empty file")


class BlobTooLarge(BlobError):
    """More bytes arrived than the caller accepts; refused before the rest is read."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__(f"larger than {max_bytes:,} bytes")


class BlobAltered(BlobError):
    """The stored content no longer matches the SHA-256 it is stored under."""

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        super().__init__(
            f"the stored file {sha256[:12]}... no longer matches its SHA-256; "
            "an administrator should verify the store"
        )


class BlobStoreUnavailable(BlobError):
    """The store cannot be used at all (an unreachable endpoint, a missing bucket, refused
    credentials): a configuration or infrastructure problem, not a problem of one file."""
