"""Content-addressed file storage in the data directory: bytes are kept once per SHA-256,
never overwritten, and read back only by their hash."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

from chainproof.domain.hashing import sha256_bytes

_SHA = re.compile(r"^[0-9a-f]{64}$")


def _path(sha256: str) -> Path:
    if not _SHA.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(settings.MEDIA_ROOT) / sha256[:2] / sha256


def store_bytes(data: bytes) -> str:
    """Keep the bytes (once) and return their SHA-256."""
    digest = sha256_bytes(data)
    target = _path(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def read_bytes(sha256: str) -> bytes:
    """The stored bytes; refuses a file whose content no longer matches its hash."""
    data = _path(sha256).read_bytes()
    if sha256_bytes(data) != sha256:
        raise OSError(f"stored file {sha256[:12]}... does not match its SHA-256")
    return data
