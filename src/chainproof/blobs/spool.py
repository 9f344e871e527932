"""Receiving a file: written to a private temporary file while it is hashed.

An upload can be hundreds of megabytes, so it is never held whole in memory: it is read
1 MiB at a time, each piece hashed and written to disk. The temporary file lives in the
spool folder inside the local store's root (MEDIA_ROOT/.spool), on the same filesystem,
so the local store publishes it with a hard link instead of a second copy. The caller may
read the temporary file (to check what the content really is) before it is stored, and
whatever happens the temporary file is removed: on a refusal at once, otherwise when the
caller discards it (``with spool(...) as spooled:`` does so on leaving the block).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings

from chainproof.blobs.errors import BlobEmpty, BlobTooLarge

CHUNK = 1 << 20
SPOOL_FOLDER = ".spool"


def spool_dir() -> Path:
    """The folder of temporary files, created (private to this user) on first use."""
    folder = Path(settings.MEDIA_ROOT) / SPOOL_FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@dataclass(frozen=True)
class Spooled:
    """An incoming file, complete on local disk, with its SHA-256 and size."""

    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        """Remove the temporary file (again is harmless)."""
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Spooled:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()


def _pieces(source: Any) -> Iterator[bytes]:
    """The bytes of a file-like object (read in chunks) or of an iterable of chunks."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
        return
    if callable(getattr(source, "chunks", None)):
        # A Django File or UploadedFile: chunks() starts from the beginning even when a
        # form has already read part of it.
        yield from source.chunks(CHUNK)
        return
    if callable(getattr(source, "read", None)):
        while piece := source.read(CHUNK):
            yield piece
        return
    if isinstance(source, Iterable) and not isinstance(source, str):
        yield from source
        return
    raise TypeError(
        f"cannot spool a {type(source).__name__}: expected a binary file or chunks of bytes"
    )


def spool(source: Any, *, max_bytes: int) -> Spooled:
    """Write the source to a temporary file while hashing it. BlobEmpty for 0 bytes,
    BlobTooLarge as soon as more than ``max_bytes`` have arrived; either way (and on any
    other failure) the temporary file is gone when the exception leaves."""
    if max_bytes < 1:
        raise ValueError("max_bytes must be at least 1")
    handle, name = tempfile.mkstemp(dir=spool_dir(), prefix="spool-")
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for piece in _pieces(source):
                if isinstance(piece, str):
                    raise TypeError("cannot spool text: expected bytes")
                size += len(piece)
                if size > max_bytes:
                    raise BlobTooLarge(max_bytes)
                digest.update(piece)
                out.write(piece)
        if size == 0:
            raise BlobEmpty()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path=path, sha256=digest.hexdigest(), size=size)
