"""Blobs on local disk: MEDIA_ROOT/<first two hex digits>/<sha256>.

The layout is the one the stored files have always had, so files kept before this package
existed are found where they are. A blob is published by a hard link from the spooled
temporary file (same filesystem): the name appears only once the content is complete and
flushed to disk, and a link never replaces an existing file, so stored content is never
overwritten, not even by two uploads of the same file at the same moment.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from chainproof.blobs.base import CHUNK, BlobStatus, checked_sha256, is_sha256, stream_chunks
from chainproof.blobs.base import stream_status as _stream_status
from chainproof.blobs.spool import Spooled

# Within `durable_together`, the stored files waiting for the one sync at its end.
_pending: ContextVar[list[Path] | None] = ContextVar("chainproof_blobs_pending", default=None)


@contextlib.contextmanager
def durable_together() -> Iterator[None]:
    """Files stored on local disk inside the block are made durable together when it ends
    (one sync of their filesystem) instead of one by one (two syncs each). For bulk loads
    that record their files only after the block: nothing is recorded before its bytes are
    safe, and a file stored but never recorded is harmless. Other stores ignore it."""
    pending: list[Path] = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        if pending:
            _sync_together(pending)


def _sync_together(paths: list[Path]) -> None:
    """One syncfs(2) of the filesystem holding the files, where the platform has it;
    otherwise each file and each folder is synced."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        syncfs = None
    if syncfs is not None:
        fd = os.open(paths[0].parent, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for folder in {path.parent for path in paths}:
        for path in paths:
            if path.parent == folder:
                with contextlib.suppress(OSError), path.open("rb") as handle:
                    os.fsync(handle.fileno())
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make a new name in the folder survive a power cut (where the platform allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class LocalBlobStore:
    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.description = f"local disk {self.root}"

    def path(self, sha256: str) -> Path:
        checked_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def put(self, spooled: Spooled) -> bool:
        target = self.path(spooled.sha256)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        pending = _pending.get()
        if pending is None:
            with spooled.path.open("rb") as source:
                os.fsync(source.fileno())
        try:
            os.link(spooled.path, target)
        except FileExistsError:
            return False  # stored meanwhile by another upload of the same content
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                raise
            return self._put_by_copy(spooled, target)
        if pending is None:
            _fsync_dir(target.parent)
        else:
            pending.append(target)
        return True

    def _put_by_copy(self, spooled: Spooled, target: Path) -> bool:
        """Where hard links are not possible: a complete copy beside the target, renamed."""
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as out, spooled.path.open("rb") as source:
                shutil.copyfileobj(source, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            if target.exists():
                return False
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        _fsync_dir(target.parent)
        return True

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        return stream_chunks(self.open(sha256), size)

    def size(self, sha256: str) -> int | None:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def verify(self, sha256: str) -> BlobStatus:
        try:
            stream = self.open(sha256)
        except FileNotFoundError:
            return BlobStatus.MISSING
        return _stream_status(sha256, stream)

    def delete(self, sha256: str) -> None:
        target = self.path(sha256)
        target.unlink(missing_ok=True)
        _fsync_dir(target.parent)

    def iter_hashes(self) -> Iterator[str]:
        """Every stored blob, in hash order; the spool folder, job uploads and anything else
        under MEDIA_ROOT that is not named by a hash are not blobs."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for entry in sorted(folder.iterdir()):
                if is_sha256(entry.name) and entry.name[:2] == folder.name and entry.is_file():
                    yield entry.name
