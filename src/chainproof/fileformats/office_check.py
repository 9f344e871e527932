"""Word, Excel and PowerPoint files (zip packages) checked from an open file: which of
the three the package really is, and the hostile-package checks (zip bombs, encryption,
macros, ActiveX, embedded programs' objects, templates fetched from outside, DTDs).

The zip's central directory is read by ``zipfile`` into memory, so its size and entry
count are checked from the file's last bytes first: a directory claiming millions of
entries is refused before it is read. Parts are then streamed one at a time.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from chainproof.fileformats.sniffing import zip_end
from chainproof.fileformats.xlsx import (
    MAX_PARTS,
    XlsxArchive,
    XlsxRejected,
    _xml_stream,
    check_inflated_size,
)

MAX_UNCOMPRESSED = 128 * 1024 * 1024
MAX_DIRECTORY_BYTES = 8 * 1024 * 1024  # 2,000 entries with long names fit in far less
MAX_FORMULAS_NAMED = 5

MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": ".pptx",
}
_REMOTE_RELATIONS = ("attachedtemplate", "oleobject", "frame", "subdocument", "package")


class PackageRejected(Exception):
    """The package is refused; ``reason`` says why, for a person."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@contextmanager
def open_package(handle: BinaryIO, size: int) -> Iterator[zipfile.ZipFile]:
    """The zip archive in ``handle``, its directory bounded before ``zipfile`` reads it."""
    end = zip_end(handle, size)
    if end is None:
        raise PackageRejected("a damaged zip file")
    if end.entries > MAX_PARTS:
        raise PackageRejected(f"more than {MAX_PARTS:,} parts ({end.entries:,})")
    if end.directory_size > MAX_DIRECTORY_BYTES:
        raise PackageRejected(
            f"a zip directory of {end.directory_size:,} bytes (at most "
            f"{MAX_DIRECTORY_BYTES:,}; a damaged or hostile file?)"
        )
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise PackageRejected("a damaged zip file") from None
    with archive:
        yield archive


def declared_types(archive: zipfile.ZipFile, source: str) -> list[tuple[str, str]]:
    """(part or extension, content type) as ``[Content_Types].xml`` declares them, the
    content types lowercased."""
    if "[Content_Types].xml" not in archive.namelist():
        raise PackageRejected("a zip archive that is not a Word, Excel or PowerPoint file")
    declared: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag in ("Default", "Override"):
            where = attrs.get("PartName") or attrs.get("Extension", "")
            declared.append((where, attrs.get("ContentType", "").lower()))

    try:
        _xml_stream(archive, "[Content_Types].xml", source, start, lambda _: None)
    except XlsxRejected as exc:
        raise PackageRejected(exc.reason) from None
    return declared


def package_kind(handle: BinaryIO, size: int, source: str) -> str:
    """ ".docx", ".xlsx" or ".pptx", from the main part the package declares (never from
    its name); a macro-enabled package is refused here, whatever it is."""
    with open_package(handle, size) as archive:
        declared = declared_types(archive, source)
    if any("macroenabled" in kind or "vbaproject" in kind for _, kind in declared):
        raise PackageRejected("a macro-enabled file; save it without macros")
    kinds = {MAIN_PARTS[kind] for _, kind in declared if kind in MAIN_PARTS}
    if len(kinds) != 1:
        raise PackageRejected("a zip archive that is not a Word, Excel or PowerPoint file")
    return kinds.pop()


def check_workbook(handle: BinaryIO, source: str) -> None:
    """Every check of ``XlsxArchive``, and no formula in any cell."""
    try:
        with XlsxArchive(handle, source, max_uncompressed=MAX_UNCOMPRESSED) as archive:
            formulas = archive.formula_cells(MAX_FORMULAS_NAMED)
    except XlsxRejected as exc:
        raise PackageRejected(exc.reason) from None
    if formulas:
        raise PackageRejected(
            "formulas (they would run when the workbook is opened) in "
            + ", ".join(formulas)
            + "; copy the values in, or send a PDF"
        )


def check_package(handle: BinaryIO, size: int, source: str) -> None:
    """Word and PowerPoint: the package checks of a workbook, without the sheets."""
    with open_package(handle, size) as archive:
        members = archive.infolist()
        try:
            check_inflated_size(members, source, MAX_UNCOMPRESSED)
        except XlsxRejected as exc:
            raise PackageRejected(exc.reason) from None
        if any(m.flag_bits & 0x1 for m in members):
            raise PackageRejected("an encrypted zip archive")
        lowered = [m.filename.lower() for m in members]
        declared = [kind for _, kind in declared_types(archive, source)]
        if any(n.endswith("vbaproject.bin") for n in lowered) or any(
            "vbaproject" in k or "macro" in k for k in declared
        ):
            raise PackageRejected("a macro-enabled file; save it without macros")
        if any("/activex/" in n for n in lowered) or any("activex" in k for k in declared):
            raise PackageRejected("ActiveX controls")
        if any("/embeddings/" in n and n.endswith(".bin") for n in lowered) or any(
            "oleobject" in k for k in declared
        ):
            raise PackageRejected(
                "embedded objects (other programs' files); remove them or send a PDF"
            )
        for member in members:
            if member.filename.endswith((".rels", ".xml")):
                _check_part(archive, member.filename, source)


def _check_part(archive: zipfile.ZipFile, part: str, source: str) -> None:
    """No DTD in any XML part; no relationship that fetches a template or object from
    outside (hyperlinks to web pages are fine)."""

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and attrs.get("TargetMode") == "External":
            kind = attrs.get("Type", "").rpartition("/")[2].lower()
            if kind in _REMOTE_RELATIONS:
                raise PackageRejected(
                    f"a link that loads content from outside the file ({kind}, in {part})"
                )

    try:
        _xml_stream(archive, part, source, start, lambda _: None)
    except XlsxRejected as exc:
        raise PackageRejected(exc.reason) from None
