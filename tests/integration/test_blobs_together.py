"""Files stored on local disk inside `durable_together` are synced together at its end
(one syncfs, or each file and folder where the platform has none) and are all there,
readable under their SHA-256, also when the block fails half way."""

from __future__ import annotations

import hashlib
import io

import pytest

from chainproof.blobs import local
from chainproof.blobs.configured import blob_store
from chainproof.blobs.spool import spool


@pytest.fixture
def store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    return blob_store()


def _put(store, data: bytes) -> str:
    with spool(io.BytesIO(data), max_bytes=10**6) as spooled:
        store.put(spooled)
        return spooled.sha256


@pytest.mark.parametrize("platform_syncfs", [True, False])
def test_files_stored_together_are_synced_once_and_all_there(store, monkeypatch, platform_syncfs):
    synced = []
    if not platform_syncfs:

        def no_libc(*args, **kwargs):
            raise OSError("no libc here")

        monkeypatch.setattr(local.ctypes, "CDLL", no_libc)
    real = local._sync_together
    monkeypatch.setattr(
        local, "_sync_together", lambda paths: synced.append(len(paths)) or real(paths)
    )
    bodies = [f"payroll record {n}\n".encode() for n in range(5)]
    with local.durable_together():
        hashes = [_put(store, body) for body in bodies]
    assert synced == [5]
    for body, sha256 in zip(bodies, hashes, strict=True):
        assert sha256 == hashlib.sha256(body).hexdigest()
        with store.open(sha256) as stream:
            assert stream.read() == body


def test_a_failing_block_still_syncs_what_it_stored(store, monkeypatch):
    synced = []
    monkeypatch.setattr(local, "_sync_together", lambda paths: synced.append(list(paths)))
    stored = []

    def batch() -> None:
        with local.durable_together():
            stored.append(_put(store, b"invoice 17\n"))
            raise RuntimeError("the batch stopped")

    with pytest.raises(RuntimeError):
        batch()
    sha256 = stored[0]
    assert len(synced) == 1
    assert synced[0][0].name == sha256
    assert store.exists(sha256)


def test_outside_the_block_each_file_is_synced_on_its_own(store, monkeypatch):
    together = []
    monkeypatch.setattr(local, "_sync_together", lambda paths: together.append(paths))
    _put(store, b"bill of lading\n")
    assert together == []
