"""The store the settings choose, built once per configuration.

Building an S3 store sets up a boto3 session and client, so the store is kept; it is kept
per *values* of the settings that define it (not once per process), so a test or a command
that changes the settings gets the store those settings describe."""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from chainproof.blobs.base import BlobStore
from chainproof.blobs.local import LocalBlobStore
from chainproof.blobs.s3 import S3BlobStore

_S3_SETTINGS = (
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PREFIX",
)


def blob_store() -> BlobStore:
    """The configured store: STORAGE_BACKEND "local" (MEDIA_ROOT) or "s3" (S3_*)."""
    backend = settings.STORAGE_BACKEND
    if backend == "s3":
        return _built(("s3", *(str(getattr(settings, name, "") or "") for name in _S3_SETTINGS)))
    if backend == "local":
        return _built(("local", str(settings.MEDIA_ROOT)))
    raise ValueError(f"STORAGE_BACKEND: expected local or s3, found {backend!r}")


@functools.lru_cache(maxsize=8)
def _built(key: tuple[str, ...]) -> BlobStore:
    if key[0] == "local":
        return LocalBlobStore(root=Path(key[1]))
    bucket, endpoint_url, region, access_key, secret_key, prefix = key[1:]
    return S3BlobStore(
        bucket=bucket,
        endpoint_url=endpoint_url,
        region=region,
        access_key=access_key,
        secret_key=secret_key,
        prefix=prefix,
    )
