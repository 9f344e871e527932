"""The blob store, on local disk and on a real S3 server (moto_server over HTTP): files kept
once per SHA-256, spooled and read back in chunks, re-hashed on demand, and the errors a
person can act on when a file is refused or the store cannot be reached."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chainproof.blobs import (
    BlobAltered,
    BlobEmpty,
    BlobStatus,
    BlobStore,
    BlobStoreUnavailable,
    BlobTooLarge,
    blob_store,
    checked_chunks,
    spool,
    spool_dir,
)
from tests.s3_server import free_port

MiB = 1 << 20


@dataclass
class Backend:
    name: str
    media_root: Path
    tamper: Callable[[str, bytes], None]  # replace a stored blob's bytes behind the store's back
    plant: Callable[[str, bytes], None]  # put something that is not a blob beside the blobs

    @property
    def store(self) -> BlobStore:
        return blob_store()


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path) -> Backend:
    settings.MEDIA_ROOT = tmp_path / "files"
    if request.param == "local":
        settings.STORAGE_BACKEND = "local"

        def tamper(sha256: str, data: bytes) -> None:
            (settings.MEDIA_ROOT / sha256[:2] / sha256).write_bytes(data)

        def plant(name: str, data: bytes) -> None:
            target = settings.MEDIA_ROOT / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

        return Backend("local", settings.MEDIA_ROOT, tamper, plant)

    s3 = request.getfixturevalue("s3_settings")

    def tamper_object(sha256: str, data: bytes) -> None:
        key = f"{s3.prefix}{sha256[:2]}/{sha256}"
        s3.client.put_object(Bucket=s3.bucket, Key=key, Body=data)

    def plant_object(name: str, data: bytes) -> None:
        s3.client.put_object(Bucket=s3.bucket, Key=name, Body=data)

    return Backend("s3", settings.MEDIA_ROOT, tamper_object, plant_object)


def _stored(store: BlobStore, data: bytes) -> str:
    with spool(io.BytesIO(data), max_bytes=len(data) + 1) as spooled:
        assert store.put(spooled) is True
    return spooled.sha256


def _leftovers() -> list[str]:
    return sorted(p.name for p in spool_dir().iterdir())


def test_a_file_is_stored_under_its_hash_and_read_back(backend):
    data = os.urandom(3 * MiB + 17)
    store = backend.store
    assert store.name == backend.name
    with spool(io.BytesIO(data), max_bytes=10 * MiB) as spooled:
        assert spooled.sha256 == hashlib.sha256(data).hexdigest()
        assert spooled.size == len(data)
        assert spooled.path.read_bytes() == data  # the caller may look at the content first
        assert not store.exists(spooled.sha256)
        assert store.put(spooled) is True
    assert not spooled.path.exists()
    assert _leftovers() == []
    sha = spooled.sha256
    assert store.exists(sha)
    assert store.size(sha) == len(data)
    with store.open(sha) as stream:
        assert stream.read(1000) == data[:1000]
        assert stream.read() == data[1000:]
    pieces = list(store.chunks(sha))
    assert [len(p) for p in pieces] == [MiB, MiB, MiB, 17]
    assert b"".join(pieces) == data
    assert b"".join(store.chunks(sha, size=4096)) == data
    assert store.verify(sha) is BlobStatus.OK
    assert list(store.iter_hashes()) == [sha]


def test_the_same_bytes_are_kept_once(backend):
    data = b"certificate of origin, lot 42\n" * 1000
    store = backend.store
    with spool(io.BytesIO(data), max_bytes=MiB) as first:
        assert store.put(first) is True
    pieces = [data[i : i + 777] for i in range(0, len(data), 777)]
    with spool(pieces, max_bytes=MiB) as second:
        assert second.sha256 == first.sha256
        assert store.put(second) is False
    assert list(store.iter_hashes()) == [first.sha256]
    assert store.verify(first.sha256) is BlobStatus.OK


def test_stored_content_is_never_overwritten(backend):
    """A put of a hash already stored does not touch what is there, even when what is there
    was altered: the verification must find the alteration, not have it papered over."""
    data = b"audit report 2025"
    store = backend.store
    sha = _stored(store, data)
    backend.tamper(sha, b"audit report 2026")
    with spool([data], max_bytes=100) as again:
        assert store.put(again) is False
    assert store.verify(sha) is BlobStatus.ALTERED


@pytest.mark.parametrize("source", [[], [b"", b""], io.BytesIO(b"")], ids=["none", "empty", "file"])
def test_an_empty_file_is_refused(backend, source):
    with pytest.raises(BlobEmpty, match=r"^an empty file$"):
        spool(source, max_bytes=100)
    assert _leftovers() == []


def test_a_file_one_byte_over_the_limit_is_refused_as_soon_as_it_is(backend):
    limit = 2 * MiB

    def arriving() -> Iterator[bytes]:
        yield b"x" * limit
        yield b"x"  # one byte too many
        raise AssertionError("read on past the limit")

    with pytest.raises(BlobTooLarge, match=r"^larger than 2,097,152 bytes$") as refused:
        spool(arriving(), max_bytes=limit)
    assert refused.value.max_bytes == limit
    assert _leftovers() == []
    assert str(BlobTooLarge(200_000_000)) == "larger than 200,000,000 bytes"
    with spool([b"x" * limit], max_bytes=limit) as exactly:  # the limit itself is allowed
        assert exactly.size == limit
        assert backend.store.put(exactly) is True
    assert _leftovers() == []


def test_an_upload_is_spooled_from_its_beginning(backend):
    """A Django upload a form has already read from is spooled whole."""
    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.7 policy text")
    upload.read(5)
    with spool(upload, max_bytes=1000) as spooled:
        assert spooled.size == len(b"%PDF-1.7 policy text")
        assert backend.store.put(spooled)
    assert b"".join(backend.store.chunks(spooled.sha256)) == b"%PDF-1.7 policy text"


def test_verification_finds_altered_and_missing_content(backend):
    store = backend.store
    sha = _stored(store, b"wage records, March" * 100)
    assert store.verify(sha) is BlobStatus.OK
    backend.tamper(sha, b"wage records, April" * 100)  # same length, other bytes
    assert store.verify(sha) is BlobStatus.ALTERED
    store.delete(sha)
    assert store.verify(sha) is BlobStatus.MISSING
    assert not store.exists(sha)
    assert store.size(sha) is None
    with pytest.raises(FileNotFoundError):
        store.open(sha)
    with pytest.raises(FileNotFoundError):
        store.chunks(sha)
    store.delete(sha)  # again: nothing to do
    assert list(store.iter_hashes()) == []


def test_checked_reading_never_delivers_altered_content_whole(backend):
    store = backend.store
    data = os.urandom(2 * MiB + 5)
    sha = _stored(store, data)
    assert b"".join(checked_chunks(store, sha)) == data
    altered = bytearray(data)
    altered[-1] ^= 0xFF
    backend.tamper(sha, bytes(altered))
    delivered = []
    with pytest.raises(BlobAltered, match="no longer matches its SHA-256"):
        delivered.extend(checked_chunks(store, sha))
    assert 0 < len(b"".join(delivered)) < len(data)
    store.delete(sha)
    with pytest.raises(FileNotFoundError):
        checked_chunks(store, sha)  # missing: refused before anything is sent


def test_the_list_of_stored_hashes_is_what_was_stored(backend):
    store = backend.store
    stored = {_stored(store, f"document {n}".encode()) for n in range(5)}
    # Not blobs: a job's upload, a name that is not a hash, a hash in the wrong folder.
    other = hashlib.sha256(b"elsewhere").hexdigest()
    backend.plant("imports/0123.csv", b"a,b")
    backend.plant(f"ab/{other}", b"x")
    backend.plant("ab/notes.txt", b"x")
    assert len(stored) == 5
    assert sorted(store.iter_hashes()) == sorted(stored)


def test_a_name_that_is_not_a_hash_is_refused(backend):
    for name in ("../../etc/passwd", "A" * 64, "ab", "0" * 63 + "g"):
        with pytest.raises(ValueError, match="not a SHA-256"):
            backend.store.exists(name)


def test_the_store_follows_the_settings(settings, tmp_path):
    settings.STORAGE_BACKEND = "local"
    settings.MEDIA_ROOT = tmp_path / "one"
    first = blob_store()
    assert blob_store() is first
    settings.MEDIA_ROOT = tmp_path / "two"
    assert blob_store() is not first
    assert str(tmp_path / "two") in blob_store().description


def test_an_unreachable_endpoint_names_the_endpoint(settings, tmp_path):
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "s3"
    settings.S3_BUCKET = "evidence"
    settings.S3_ENDPOINT_URL = endpoint
    settings.S3_ACCESS_KEY_ID = "testing"
    settings.S3_SECRET_ACCESS_KEY = "testing"
    store = blob_store()
    assert store.name == "s3"
    assert "evidence" in store.description
    sha = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(BlobStoreUnavailable, match="cannot be reached") as refused:
        store.exists(sha)
    assert endpoint in str(refused.value)
    assert "Traceback" not in str(refused.value)
    with spool([b"x"], max_bytes=10) as spooled, pytest.raises(BlobStoreUnavailable) as put:
        store.put(spooled)
    assert endpoint in str(put.value)
    with pytest.raises(BlobStoreUnavailable, match=re.escape(endpoint)):
        store.open(sha)
    with pytest.raises(BlobStoreUnavailable, match=re.escape(endpoint)):
        list(store.iter_hashes())


def test_a_missing_bucket_names_the_bucket(s3_settings, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.S3_BUCKET = s3_settings.bucket + "-missing"
    store = blob_store()
    sha = hashlib.sha256(b"x").hexdigest()
    expected = f"the S3 bucket {settings.S3_BUCKET} does not exist at {s3_settings.endpoint}"
    for attempt in (
        lambda: store.exists(sha),
        lambda: store.open(sha),
        lambda: store.verify(sha),
        lambda: store.delete(sha),
    ):
        with pytest.raises(BlobStoreUnavailable) as refused:
            attempt()
        assert str(refused.value) == expected
    with spool([b"x"], max_bytes=10) as spooled, pytest.raises(BlobStoreUnavailable) as put:
        store.put(spooled)
    assert str(put.value) == expected


def test_an_s3_download_is_read_in_pieces_and_knows_its_length(s3_settings, settings, tmp_path):
    """A download streams the object (never copied whole into memory first) and can seek,
    so Django's FileResponse sends its length."""
    from django.http import FileResponse

    settings.MEDIA_ROOT = tmp_path / "files"
    store = blob_store()
    data = os.urandom(MiB + 300)
    sha = _stored(store, data)
    with store.open(sha) as stream:
        assert stream.read(10) == data[:10]
        stream.seek(MiB)
        assert stream.read(100) == data[MiB : MiB + 100]
        stream.seek(0)
        assert stream.read() == data
    stream = store.open(sha)
    response = FileResponse(stream, as_attachment=True, filename="a.bin")
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data
    stream.close()  # (response.close() would also end a request, which needs a database)


def _generated(total: int, piece: int = MiB) -> Iterator[bytes]:
    for n in range(total // piece):
        yield n.to_bytes(4, "big") * (piece // 4)


def test_spooling_a_large_stream_keeps_memory_small(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    spool_dir()
    tracemalloc.start()
    try:
        with spool(_generated(64 * MiB), max_bytes=100 * MiB) as spooled:
            _, peak = tracemalloc.get_traced_memory()
            assert spooled.size == 64 * MiB
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB, f"peak {peak:,} bytes"
    expected = hashlib.sha256()
    for piece in _generated(64 * MiB):
        expected.update(piece)
    assert spooled.sha256 == expected.hexdigest()


def test_storing_and_reading_a_large_file_keeps_memory_small(backend):
    """Publishing, verifying and reading 64 MiB streams too (S3 multipart upload aside,
    which s3transfer buffers in its own bounded parts)."""
    store = backend.store
    with spool(_generated(64 * MiB), max_bytes=100 * MiB) as spooled:
        if backend.name == "local":
            tracemalloc.start()
            store.put(spooled)
            _, put_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert put_peak < 8 * MiB
        else:
            store.put(spooled)
    tracemalloc.start()
    try:
        assert store.verify(spooled.sha256) is BlobStatus.OK
        digest = hashlib.sha256()
        for piece in checked_chunks(store, spooled.sha256):
            digest.update(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == spooled.sha256
    assert peak < 8 * MiB, f"peak {peak:,} bytes"
