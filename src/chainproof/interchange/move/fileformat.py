"""The organization file: a ZIP of JSON Lines parts and a manifest (docs/organization-export.md).

Each part is written and read as a stream, one record per line, so an organization of any
size never sits in memory; its SHA-256 is taken while it is written and checked before
anything is read from it on import.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import models
from django.utils.duration import duration_iso_string

from chainproof.domain.hashing import canonical_json, signature, signature_matches

FORMAT_NAME = "chainproof-organization"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20
MANIFEST_LIMIT = 64 << 20  # a manifest lists parts: even millions of stored files fit


class MoveFileError(ValueError):
    """A file that cannot be imported: what is wrong and where, for a person to act on."""


def encode(value: Any) -> Any:
    """A stored value as JSON (exact: full microseconds, decimals as text)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write a {type(value).__name__} to the organization file")


def dumps(value: Any) -> bytes:
    return json.dumps(value, default=encode, ensure_ascii=False, separators=(",", ":")).encode()


def decode(field: models.Field[Any, Any], value: Any) -> Any:
    """A value read from the file, as the field stores it."""
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


class _HashingWriter:
    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.lines = 0
        self.size = 0

    def line(self, value: Any) -> None:
        data = dumps(value) + b"\n"
        self.digest.update(data)
        self.size += len(data)
        self.lines += 1
        self.target.write(data)


class MoveWriter:
    """Writes parts into the ZIP and remembers each one's SHA-256, size and line count."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.parts: dict[str, dict[str, Any]] = {}

    def jsonl(self, name: str, rows: Iterator[Any]) -> int:
        with self.zip.open(name, "w", force_zip64=True) as target:
            writer = _HashingWriter(target)
            for row in rows:
                writer.line(row)
        self.parts[name] = {
            "sha256": writer.digest.hexdigest(),
            "bytes": writer.size,
            "lines": writer.lines,
        }
        return writer.lines

    def file(self, name: str, chunks: Iterator[bytes]) -> str:
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(name, "w", force_zip64=True) as target:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.parts[name] = {"sha256": digest.hexdigest(), "bytes": size}
        return digest.hexdigest()

    def finish(self, manifest: dict[str, Any], key: bytes) -> None:
        body = {**manifest, "parts": self.parts}
        body["signature"] = signature(key, body)
        self.zip.writestr(MANIFEST, json.dumps(body, indent=1, ensure_ascii=False) + "\n")
        self.zip.close()

    def abort(self) -> None:
        self.zip.close()


class MoveReader:
    """An organization file opened for import: the manifest read and every part checked
    against it (present, nothing unlisted, SHA-256 equal) before any part is used."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise MoveFileError(f"{path}: not a chainproof organization file ({exc})") from None
        self.path = path
        names = set(self.zip.namelist())
        if MANIFEST not in names:
            raise MoveFileError(f"{path}: no {MANIFEST} in the file; it is not an export")
        if self.zip.getinfo(MANIFEST).file_size > MANIFEST_LIMIT:
            raise MoveFileError(f"{path}: {MANIFEST} is larger than any export writes")
        try:
            self.manifest = json.loads(self.zip.read(MANIFEST))
        except ValueError as exc:
            raise MoveFileError(f"{path}: {MANIFEST} is not JSON ({exc})") from None
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT_NAME:
            raise MoveFileError(f"{path}: the manifest does not name the format {FORMAT_NAME}")
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise MoveFileError(
                f"{path}: format version {self.manifest.get('format_version')!r}; this "
                f"chainproof reads version {FORMAT_VERSION}"
            )
        self.parts: dict[str, dict[str, Any]] = self.manifest.get("parts") or {}
        missing = sorted(set(self.parts) - names)
        if missing:
            raise MoveFileError(
                f"{path}: the manifest lists part {missing[0]}, which is not in the file"
                + (f" ({len(missing)} parts missing)" if len(missing) > 1 else "")
            )
        extra = sorted(names - set(self.parts) - {MANIFEST})
        if extra:
            raise MoveFileError(f"{path}: part {extra[0]} is in the file but not in the manifest")

    def signed_by(self, key: bytes) -> bool:
        body = {k: v for k, v in self.manifest.items() if k != "signature"}
        return signature_matches(key, body, str(self.manifest.get("signature", "")))

    def check_parts(self) -> None:
        """Re-hash every part; the first that differs from the manifest is refused."""
        for name, facts in sorted(self.parts.items()):
            digest, size = hashlib.sha256(), 0
            with self.zip.open(name) as source:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > int(facts.get("bytes") or 0):
                        break  # longer than written: no need to read the rest
            if digest.hexdigest() != facts.get("sha256") or size != facts.get("bytes"):
                raise MoveFileError(
                    f"{self.path}: part {name} does not have the SHA-256 and size the manifest "
                    "gives "
                    "(it was changed after the export, or damaged)"
                )

    def has(self, name: str) -> bool:
        return name in self.parts

    def lines(self, name: str) -> Iterator[Any]:
        if name not in self.parts:
            return
        with self.zip.open(name) as source:
            for number, raw in enumerate(source, start=1):
                try:
                    yield json.loads(raw)
                except ValueError:
                    raise MoveFileError(f"{name}, line {number}: not JSON") from None

    def open(self, name: str) -> IO[bytes]:
        return self.zip.open(name)

    def close(self) -> None:
        self.zip.close()


def manifest_digest(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(manifest)).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
