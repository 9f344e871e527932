"""What every blob store offers, and the checks shared by the backends.

A blob is named only by the SHA-256 of its content; the name is checked before it is
used to build a path or an object key, so a caller can never reach outside the store."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import BinaryIO, Protocol

from chainproof.blobs.errors import BlobAltered
from chainproof.blobs.spool import Spooled

CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
log = logging.getLogger("chainproof.blobs")


class BlobStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    ALTERED = "altered"


def checked_sha256(sha256: str) -> str:
    """The hash itself, or ValueError: a blob's name is never anything but 64 hex digits."""
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {str(sha256)[:80]!r}")
    return sha256


def is_sha256(name: str) -> bool:
    return bool(_SHA256.match(name))


class BlobStore(Protocol):
    name: str  # "local" or "s3": short, recorded with verification runs
    description: str  # for people: "local disk /srv/files", "S3 bucket x at https://..."

    def put(self, spooled: Spooled) -> bool: ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]: ...

    def size(self, sha256: str) -> int | None: ...

    def verify(self, sha256: str) -> BlobStatus: ...

    def delete(self, sha256: str) -> None: ...

    def iter_hashes(self) -> Iterator[str]: ...


def stream_chunks(stream: BinaryIO, size: int) -> Iterator[bytes]:
    """Read an opened blob to its end, closing it even when the reader stops early."""
    with stream:
        while chunk := stream.read(size):
            yield chunk


def stream_status(sha256: str, stream: BinaryIO) -> BlobStatus:
    """Re-hash an opened blob: OK when its content still has the hash it is stored under."""
    digest = hashlib.sha256()
    for chunk in stream_chunks(stream, CHUNK):
        digest.update(chunk)
    return BlobStatus.OK if digest.hexdigest() == sha256 else BlobStatus.ALTERED


def checked_chunks(store: BlobStore, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
    """The content in chunks, re-hashed on the way: the last chunk is held back until the
    whole content is known to match its hash, so an altered file is never delivered whole
    (the reader gets BlobAltered instead of the end). Missing content is a FileNotFoundError
    at once, before anything is sent."""
    stream = store.open(sha256)

    def generate() -> Iterator[bytes]:
        digest = hashlib.sha256()
        held: bytes | None = None
        for chunk in stream_chunks(stream, size):
            digest.update(chunk)
            if held is not None:
                yield held
            held = chunk
        if digest.hexdigest() != sha256:
            log.error("stored file %s does not match its SHA-256 (%s)", sha256, store.description)
            raise BlobAltered(sha256)
        if held is not None:
            yield held

    return generate()
