"""The evidence package filed with US Customs (CBP) when goods are detained: a ZIP archive
holding the signed PDF, the exhibit files and a manifest, written and checked here.

Layout of the archive (entries stored uncompressed, so each file's bytes are in the
archive as they are on disk)::

    package.pdf                    the signed submission (its name is the caller's choice)
    exhibits/003-invoice.pdf       the exhibits, under the paths the caller gives
    ...
    manifest.json                  always last

``manifest.json`` is a JSON object::

    {
      "format": "chainproof-package/1",
      "metadata": {...},            what the caller gives: case reference, importer, entry...
      "files": [                    every other entry of the archive, in archive order
        {"path": "exhibits/003-invoice.pdf", "exhibit": "3", "size": 18231,
         "sha256": "3fa1..."},
        ...
      ],
      "package_sha256": "..."
    }

``exhibit`` is the exhibit number ("3", or "3A" for the translation of exhibit 3), empty
for a file that is not an exhibit (the PDF itself). ``size`` is in bytes and ``sha256`` is
the lowercase hex SHA-256 of the file's bytes.

``package_sha256`` is the SHA-256 (lowercase hex) of the canonical JSON encoding of the
``files`` list exactly as it stands in the manifest: the list in the same order, each
entry an object with the four keys above, serialised with keys sorted, no whitespace
(separators "," and ":"), non-ASCII characters written as themselves (not \\u escapes),
encoded as UTF-8. In Python::

    hashlib.sha256(json.dumps(manifest["files"], sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")).hexdigest()

The signed PDF carries an attachment named ``exhibit-index.json`` (written by the caller
before signing, with ``exhibit_index_json``): the list of exhibit entries of the
manifest, ``{"exhibit", "path", "sha256", "size"}`` each. Since it is inside the signed
bytes, the signature vouches for every exhibit's hash; ``package_verify`` checks that
the index, the manifest and the files agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, BinaryIO

from chainproof.domain.hashing import canonical_json
from chainproof.fileformats.html_pdf import pdf_attachment_read
from chainproof.fileformats.pdf_signing import SignatureCheck, pdf_signature_check

FORMAT = "chainproof-package/1"
MANIFEST_NAME = "manifest.json"
EXHIBIT_INDEX_NAME = "exhibit-index.json"
DEFAULT_MAX_TOTAL_SIZE = 20 * 1024**3  # 20 GB of declared content, all entries together
DEFAULT_MAX_RATIO = 100  # a compressed entry may expand at most this much
_MAX_MANIFEST_SIZE = 64 * 1024**2
_CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageError(ValueError):
    """A package that cannot be written as asked: a bad path, a file that changed."""


@dataclass(frozen=True)
class PackageFile:
    """One file to put in the package, with the size and hash it must have."""

    path: str  # inside the ZIP, e.g. "exhibits/003-invoice.pdf"
    size: int
    sha256: str
    open: Callable[[], BinaryIO]  # opens the file's bytes from the start; closed after use
    exhibit: str = ""  # "3", "3A" (translation of exhibit 3); empty for the PDF itself

    def entry(self) -> dict[str, Any]:
        """The file's entry in the manifest and in the exhibit index."""
        return {
            "path": self.path,
            "exhibit": self.exhibit,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass
class PackageReport:
    """What ``package_verify`` found; ``problems`` name the file and what differs."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    signature: SignatureCheck | None = None
    files_checked: int = 0


def package_path_problem(path: str) -> str:
    """Why ``path`` cannot name an entry of the package, or "" when it can: a relative
    path with forward slashes, no "." or ".." segment, no empty segment, no control
    character, not the manifest's name."""
    if not path:
        return "the path is empty"
    if "\\" in path:
        return f"{path!r}: backslashes are not allowed (use / between folders)"
    if path.startswith("/") or _WINDOWS_DRIVE.match(path):
        return f"{path!r}: the path must be relative, not absolute"
    if any(ord(character) < 32 or ord(character) == 127 for character in path):
        return f"{path!r}: the path contains a control character"
    segments = path.split("/")
    if ".." in segments:
        return f"{path!r}: '..' is not allowed in a path"
    if any(segment in {"", "."} for segment in segments):
        return f"{path!r}: the path has an empty or '.' folder"
    if path == MANIFEST_NAME:
        return f"{path!r}: this name is reserved for the package's manifest"
    return ""


def _files_sha256(files: list[dict[str, Any]]) -> str:
    return hashlib.sha256(canonical_json(files)).hexdigest()


def exhibit_index_json(files: Iterable[PackageFile]) -> bytes:
    """The ``exhibit-index.json`` attachment the signed PDF carries: the exhibit entries
    (files with an exhibit number) in the order given, as UTF-8 JSON."""
    entries = [entry.entry() for entry in files if entry.exhibit]
    return json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def package_write(
    out: BinaryIO, *, files: Iterable[PackageFile], metadata: Mapping[str, Any]
) -> dict[str, Any]:
    """Write the package to ``out`` and return its manifest.

    Each file is copied in chunks and hashed while copied; a file whose bytes do not have
    the ``size`` and ``sha256`` it was given raises ``PackageError`` naming it (the file
    changed since it was recorded), and so does a path that is not safe in an archive or
    appears twice. After an error ``out`` holds a partial archive the caller discards."""
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    now = datetime.now(UTC)
    written_at = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for item in files:
            problem = package_path_problem(item.path)
            if problem:
                raise PackageError(problem)
            if item.path in seen:
                raise PackageError(f"{item.path}: the path appears twice in the package")
            if item.size < 0 or not _SHA256.fullmatch(item.sha256):
                raise PackageError(
                    f"{item.path}: the size must be a number of bytes and the SHA-256 64 "
                    f"lowercase hex characters (found {item.size!r}, {item.sha256!r})"
                )
            seen.add(item.path)
            _copy(zf, item, written_at)
            entries.append(item.entry())
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "metadata": dict(metadata),
            "files": entries,
            "package_sha256": _files_sha256(entries),
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        info = zipfile.ZipInfo(MANIFEST_NAME, date_time=written_at)
        zf.writestr(info, body + b"\n", compress_type=zipfile.ZIP_STORED)
    return manifest


def _copy(
    zf: zipfile.ZipFile, item: PackageFile, written_at: tuple[int, int, int, int, int, int]
) -> None:
    info = zipfile.ZipInfo(item.path, date_time=written_at)
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = item.size  # lets zipfile choose ZIP64 headers before writing
    digest = hashlib.sha256()
    copied = 0
    with item.open() as source, zf.open(info, mode="w", force_zip64=item.size > 2**31) as target:
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
            copied += len(chunk)
            target.write(chunk)
    if copied != item.size:
        raise PackageError(
            f"{item.path}: the file has {copied} bytes, {item.size} were recorded "
            "(it changed since it was stored)"
        )
    found = digest.hexdigest()
    if found != item.sha256:
        raise PackageError(
            f"{item.path}: SHA-256 differs from the one recorded (expected "
            f"{item.sha256[:8]}…, found {found[:8]}…): the file changed since it was stored"
        )


def package_verify(
    path_or_file: str | os.PathLike[str] | IO[bytes],
    *,
    pdf_path: str = "package.pdf",
    expected_fingerprint: str | None = None,
    max_total_size: int = DEFAULT_MAX_TOTAL_SIZE,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> PackageReport:
    """Check a package as its recipient would, and say everything that does not hold.

    The archive must open and stay within ``max_total_size`` declared bytes with no
    compressed entry expanding more than ``max_ratio`` times (otherwise nothing inside is
    read); ``manifest.json`` must be well-formed; every file it lists must be in the
    archive with the listed size and SHA-256 and nothing else may be; ``package_sha256``
    must recompute; ``pdf_path`` must carry an intact signature covering the whole file
    (by the certificate ``expected_fingerprint`` when given) and an ``exhibit-index.json``
    equal to the manifest's exhibit entries. Hashes are computed while streaming."""
    report = PackageReport(ok=False)
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        report.problems.append(f"the package is not a readable ZIP archive ({error})")
        return report
    with archive:
        infos = archive.infolist()
        report.problems.extend(_bomb_problems(infos, max_total_size, max_ratio))
        if report.problems:
            return report
        names = [info.filename for info in infos]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        for name in duplicated:
            report.problems.append(f"{name}: the archive holds this name more than once")
        manifest = _manifest(archive, names, report.problems)
        report.manifest = manifest
        if manifest is not None:
            _check_files(archive, manifest, report)
        pdf = _pdf(archive, pdf_path, report.problems)
    if pdf is not None:
        report.signature = pdf_signature_check(pdf, expected_fingerprint=expected_fingerprint)
        if report.signature.problem:
            report.problems.append(f"{pdf_path}: {report.signature.problem}")
        if manifest is not None:
            report.problems.extend(_index_problems(pdf, pdf_path, manifest["files"]))
    report.ok = not report.problems
    return report


def _bomb_problems(
    infos: list[zipfile.ZipInfo], max_total_size: int, max_ratio: float
) -> list[str]:
    problems = []
    total = sum(info.file_size for info in infos)
    if total > max_total_size:
        problems.append(
            f"the archive declares {total:,} bytes of content, more than the limit of "
            f"{max_total_size:,}: it was not opened"
        )
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED:
            continue
        if info.file_size > max_ratio * max(info.compress_size, 1):
            problems.append(
                f"{info.filename}: compressed {info.compress_size:,} bytes expand to "
                f"{info.file_size:,}, more than {max_ratio:g} times (a zip bomb?): "
                "it was not opened"
            )
    return problems


def _manifest(
    archive: zipfile.ZipFile, names: list[str], problems: list[str]
) -> dict[str, Any] | None:
    if MANIFEST_NAME not in names:
        problems.append(f"{MANIFEST_NAME} is missing from the package")
        return None
    info = archive.getinfo(MANIFEST_NAME)
    if info.file_size > _MAX_MANIFEST_SIZE:
        problems.append(f"{MANIFEST_NAME}: {info.file_size:,} bytes, too large to be a manifest")
        return None
    try:
        manifest = json.loads(archive.read(MANIFEST_NAME).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as error:
        problems.append(f"{MANIFEST_NAME} is not readable JSON ({error})")
        return None
    shape = _manifest_shape_problem(manifest)
    if shape:
        problems.append(f"{MANIFEST_NAME}: {shape}")
        return None
    checked: dict[str, Any] = manifest
    return checked


def _manifest_shape_problem(manifest: Any) -> str:
    if not isinstance(manifest, dict):
        return "expected a JSON object"
    if manifest.get("format") != FORMAT:
        return f"format is {manifest.get('format')!r}, expected {FORMAT!r}"
    files = manifest.get("files")
    if not isinstance(files, list):
        return "'files' is not a list"
    for position, entry in enumerate(files, start=1):
        if not isinstance(entry, dict) or set(entry) != {"path", "exhibit", "size", "sha256"}:
            return f"file {position} is not an object with path, exhibit, size and sha256"
        if not isinstance(entry["path"], str) or not isinstance(entry["exhibit"], str):
            return f"file {position}: path and exhibit must be text"
        if type(entry["size"]) is not int or entry["size"] < 0:
            return f"{entry['path']}: size is {entry['size']!r}, not a number of bytes"
        if not isinstance(entry["sha256"], str) or not _SHA256.fullmatch(entry["sha256"]):
            return f"{entry['path']}: sha256 {entry['sha256']!r} is not 64 lowercase hex digits"
    if not isinstance(manifest.get("package_sha256"), str):
        return "'package_sha256' is missing"
    return ""


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], report: PackageReport) -> None:
    files: list[dict[str, Any]] = manifest["files"]
    listed = {entry["path"] for entry in files}
    present = set(archive.namelist())
    for entry in files:
        path = entry["path"]
        unsafe = package_path_problem(path)
        if unsafe:
            report.problems.append(f"{MANIFEST_NAME} lists an unsafe path: {unsafe}")
            continue
        if path not in present:
            report.problems.append(f"{path}: listed in the manifest but missing from the package")
            continue
        report.problems.extend(_file_problems(archive, archive.getinfo(path), entry))
        report.files_checked += 1
    for name in sorted(present - listed - {MANIFEST_NAME}):
        report.problems.append(f"{name}: in the package but not listed in the manifest")
    recomputed = _files_sha256(files)
    if recomputed != manifest["package_sha256"]:
        report.problems.append(
            f"{MANIFEST_NAME}: package_sha256 does not match its files list (expected "
            f"{str(manifest['package_sha256'])[:8]}…, recomputed {recomputed[:8]}…)"
        )


def _file_problems(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: dict[str, Any]
) -> list[str]:
    path = entry["path"]
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(info) as source:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        return [f"{path}: the archive entry cannot be read ({error})"]
    problems = []
    if size != entry["size"]:
        problems.append(
            f"{path}: size differs from the manifest (expected {entry['size']:,} bytes, "
            f"found {size:,})"
        )
    found = digest.hexdigest()
    if found != entry["sha256"]:
        problems.append(
            f"{path}: SHA-256 differs from the manifest (expected {entry['sha256'][:8]}…, "
            f"found {found[:8]}…)"
        )
    return problems


def _pdf(archive: zipfile.ZipFile, pdf_path: str, problems: list[str]) -> bytes | None:
    try:
        info = archive.getinfo(pdf_path)
    except KeyError:
        problems.append(f"{pdf_path}: the signed PDF is missing from the package")
        return None
    try:
        with archive.open(info) as source:
            return source.read()  # pyHanko reads a PDF from memory
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        problems.append(f"{pdf_path}: the archive entry cannot be read ({error})")
        return None


def _index_problems(pdf: bytes, pdf_path: str, files: list[dict[str, Any]]) -> list[str]:
    raw = pdf_attachment_read(pdf, EXHIBIT_INDEX_NAME)
    where = f"{pdf_path}: {EXHIBIT_INDEX_NAME}"
    if raw is None:
        return [f"{where} is not attached to the PDF"]
    try:
        index = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"{where} is not readable JSON ({error})"]
    if not isinstance(index, list) or not all(isinstance(item, dict) for item in index):
        return [f"{where} is not a list of exhibits"]
    in_pdf = {str(item.get("path")): item for item in index}
    in_manifest = {entry["path"]: entry for entry in files if entry["exhibit"]}
    problems = []
    for path, entry in in_manifest.items():
        signed = in_pdf.get(path)
        if signed is None:
            problems.append(
                f"{path}: exhibit {entry['exhibit']} is in the manifest but not in the "
                f"signed PDF's {EXHIBIT_INDEX_NAME}"
            )
            continue
        for key in ("exhibit", "size", "sha256"):
            if signed.get(key) != entry[key]:
                problems.append(
                    f"{path}: {key} in the signed PDF's {EXHIBIT_INDEX_NAME} is "
                    f"{_short(signed.get(key))}, the manifest says {_short(entry[key])}"
                )
    for path in sorted(set(in_pdf) - set(in_manifest)):
        problems.append(
            f"{path}: listed in the signed PDF's {EXHIBIT_INDEX_NAME} but not as an exhibit "
            "in the manifest"
        )
    return problems


def _short(value: Any) -> str:
    if isinstance(value, str) and _SHA256.fullmatch(value):
        return value[:8] + "…"
    return repr(value)
