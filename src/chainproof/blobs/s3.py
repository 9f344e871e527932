"""Blobs in an S3-compatible object store: the key ``<prefix><sha[:2]>/<sha>`` in one bucket.

django-storages' S3Storage is configured from the CHAINPROOF_S3_* settings and supplies the
boto3 session and client; the store talks to that client directly, because it needs what a
Django Storage hides: a HEAD to learn whether a hash is stored, a multipart upload streamed
from the spooled file, and a download read piece by piece (S3Storage.open would first copy
the whole object into memory). An S3 PUT is atomic (nobody sees half an object), and an
upload is skipped when the key exists, so stored content is never replaced; two uploads of
the same file at the same moment can only write the same bytes.

Anything that stops the store from working at all (an endpoint that cannot be reached, a
bucket that does not exist, refused credentials) is a BlobStoreUnavailable naming the
endpoint and the bucket, never a botocore traceback.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    HTTPClientError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as EndpointUnreachable
from storages.backends.s3 import S3Storage

from chainproof.blobs.base import CHUNK, BlobStatus, checked_sha256, stream_chunks, stream_status
from chainproof.blobs.errors import BlobAltered, BlobStoreUnavailable
from chainproof.blobs.spool import Spooled

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_REFUSED = {
    "403",
    "AccessDenied",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
}
_KEY = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{64})$")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code") or "")


class S3BlobStore:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        endpoint_url: str = "",
        region: str = "",
        access_key: str = "",
        secret_key: str = "",
        prefix: str = "",
    ) -> None:
        if not bucket:
            raise BlobStoreUnavailable(
                "no S3 bucket is configured: set CHAINPROOF_S3_BUCKET (CHAINPROOF_STORAGE=s3)"
            )
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint = endpoint_url or f"the AWS S3 endpoint of {region or 'the default region'}"
        self.description = f"S3 bucket {bucket} at {endpoint_url or 'AWS'}"
        options: dict[str, Any] = {
            "connect_timeout": 10,
            "read_timeout": 60,
            "retries": {"mode": "standard", "max_attempts": 3},
        }
        if endpoint_url:
            # S3-compatible stores (MinIO, Ceph, a test server) name buckets in the path.
            options["s3"] = {"addressing_style": "path"}
        self.storage = S3Storage(
            bucket_name=bucket,
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            access_key=access_key or None,  # None: boto3's own chain (environment, role)
            secret_key=secret_key or None,
            location=self.prefix,
            default_acl=None,
            file_overwrite=False,
            querystring_auth=False,
            client_config=Config(**options),
        )
        self.transfer = TransferConfig(max_concurrency=4)
        self._bucket_seen = threading.Event()

    # -- talking to the endpoint ------------------------------------------------------

    @property
    def client(self) -> Any:
        return self.storage.connection.meta.client

    def key(self, sha256: str) -> str:
        checked_sha256(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def unavailable(self, exc: BaseException) -> BlobStoreUnavailable:
        """The error a person can act on, for a failure of the store as a whole."""
        where = f"the S3 bucket {self.bucket} at {self.endpoint}"
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            text = (
                f"no credentials for {where}: set CHAINPROOF_S3_ACCESS_KEY_ID and "
                "CHAINPROOF_S3_SECRET_ACCESS_KEY (or give the host an AWS role)"
            )
        elif isinstance(exc, EndpointUnreachable | HTTPClientError):
            if isinstance(exc, ConnectTimeoutError):
                reason = "the connection timed out"
            elif isinstance(exc, ReadTimeoutError):
                reason = "it stopped answering"
            elif isinstance(exc, EndpointUnreachable):
                reason = "nothing answers there"
            else:
                reason = str(exc)
            text = (
                f"the S3 endpoint {self.endpoint} cannot be reached ({reason}; "
                f"bucket {self.bucket})"
            )
        elif isinstance(exc, ClientError):
            code = _code(exc)
            if code == "NoSuchBucket":
                text = f"the S3 bucket {self.bucket} does not exist at {self.endpoint}"
            elif code in _REFUSED:
                text = (
                    f"{where} refused access ({code}): check CHAINPROOF_S3_ACCESS_KEY_ID, "
                    "CHAINPROOF_S3_SECRET_ACCESS_KEY and the bucket's policy"
                )
            else:
                message = exc.response.get("Error", {}).get("Message") or ""
                text = f"{where} answered {code or 'an error'}: {message}".rstrip(": ")
        else:
            text = f"{where} cannot be used: {exc}"
        return BlobStoreUnavailable(text)

    def call(self, operation: str, **params: Any) -> Any:
        """One client call on the bucket: FileNotFoundError when the key is not there,
        BlobStoreUnavailable when the store itself fails."""
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                missing = f"{params.get('Key', '')} is not in {self.description}"
                raise FileNotFoundError(missing) from None
            raise self.unavailable(exc) from None
        except BotoCoreError as exc:
            raise self.unavailable(exc) from None

    def _head(self, sha256: str) -> dict[str, Any] | None:
        try:
            head = self.call("head_object", Key=self.key(sha256))
        except FileNotFoundError:
            # A HEAD answers 404 alike for a missing key and a missing bucket: make sure
            # the bucket is there before saying "not stored" (once per store is enough).
            self._confirm_bucket()
            return None
        self._bucket_seen.set()
        return cast(dict[str, Any], head)

    def _confirm_bucket(self) -> None:
        if self._bucket_seen.is_set():
            return
        try:
            self.call("head_bucket")
        except FileNotFoundError:
            raise BlobStoreUnavailable(
                f"the S3 bucket {self.bucket} does not exist at {self.endpoint}"
            ) from None
        self._bucket_seen.set()

    # -- the store --------------------------------------------------------------------

    def put(self, spooled: Spooled) -> bool:
        if self._head(spooled.sha256) is not None:
            return False
        try:
            self.client.upload_file(
                str(spooled.path),
                self.bucket,
                self.key(spooled.sha256),
                ExtraArgs={
                    "ContentType": "application/octet-stream",
                    "Metadata": {"sha256": spooled.sha256},
                },
                Config=self.transfer,
            )
        except S3UploadFailedError as exc:
            raise BlobStoreUnavailable(
                f"uploading to the S3 bucket {self.bucket} at {self.endpoint} failed: {exc}"
            ) from None
        except (ClientError, BotoCoreError) as exc:
            raise self.unavailable(exc) from None
        return True

    def exists(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def open(self, sha256: str) -> BinaryIO:
        key = self.key(sha256)
        answer = self.call("get_object", Key=key)
        raw = _ObjectReader(self, sha256, key, answer)
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=CHUNK))

    def chunks(self, sha256: str, size: int = CHUNK) -> Iterator[bytes]:
        return stream_chunks(self.open(sha256), size)

    def size(self, sha256: str) -> int | None:
        head = self._head(sha256)
        return None if head is None else int(head["ContentLength"])

    def verify(self, sha256: str) -> BlobStatus:
        try:
            stream = self.open(sha256)
        except FileNotFoundError:
            return BlobStatus.MISSING
        return stream_status(sha256, stream)

    def delete(self, sha256: str) -> None:
        self.call("delete_object", Key=self.key(sha256))

    def iter_hashes(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", ()):
                    found = _KEY.match(item["Key"][len(self.prefix) :])
                    if found and found.group(2)[:2] == found.group(1):
                        yield found.group(2)
        except (ClientError, BotoCoreError) as exc:
            raise self.unavailable(exc) from None


class _ObjectReader(io.RawIOBase):
    """An object's body read piece by piece. Seeking is allowed (Django's FileResponse seeks
    to the end to learn the length): reading from elsewhere than where the body stands asks
    for that range, of the same version of the object (an object replaced meanwhile is
    BlobAltered, never a mix of two contents)."""

    def __init__(self, store: S3BlobStore, sha256: str, key: str, answer: dict[str, Any]):
        super().__init__()
        self._store, self._sha256, self._key = store, sha256, key
        self._etag = answer.get("ETag")
        self._length = int(answer["ContentLength"])
        self._body: Any = answer["Body"]
        self._body_at = 0
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._length}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: Any) -> int:
        if self._position >= self._length:
            return 0
        if self._body is None or self._body_at != self._position:
            self._reopen()
        try:
            data = self._body.read(len(buffer))
        except (ClientError, BotoCoreError) as exc:
            raise self._store.unavailable(exc) from None
        count = len(data)
        buffer[:count] = data
        self._position += count
        self._body_at += count
        return count

    def _reopen(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
        params: dict[str, Any] = {"Key": self._key, "Range": f"bytes={self._position}-"}
        if self._etag:
            params["IfMatch"] = self._etag
        try:
            answer = self._store.call("get_object", **params)
        except BlobStoreUnavailable:
            if self._etag and self._changed():
                raise BlobAltered(self._sha256) from None
            raise
        self._body = answer["Body"]
        self._body_at = self._position

    def _changed(self) -> bool:
        try:
            head = self._store.call("head_object", Key=self._key)
        except FileNotFoundError:
            return True
        return bool(head.get("ETag") != self._etag)

    def close(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
        super().close()
