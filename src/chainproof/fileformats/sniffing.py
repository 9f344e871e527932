"""What a file is, from its bytes: the magic numbers of the formats chainproof accepts,
of programs it never accepts whatever the file is called, and the end of a zip archive.

A file name is a claim made by whoever sent the file; its first bytes are what a program
opening it will believe. These helpers look at the bytes only and decide nothing: the
document checks (``documents``) turn what they find into a refusal or an acceptance.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 64 * 1024  # read once at the start of every check
PDF_HEADER_WINDOW = 1024  # PDF readers look for "%PDF-" anywhere in the first kilobyte

_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
    (b"II+\x00", ".tif"),  # BigTIFF, which large scans use
    (b"MM\x00+", ".tif"),
)
IMAGE_KINDS = frozenset({".png", ".jpg", ".gif", ".tif", ".webp"})

_MACH_O = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")

_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_DIRECTORY_ENTRY = b"PK\x01\x02"
_END_SIZE = 22
_MAX_COMMENT = 65_535


def program(head: bytes) -> str | None:
    """What kind of program the bytes are, as a person would say it, or None.

    A Windows program starts with "MZ" followed by a binary header; a text file that
    happens to start with the letters MZ (a company called "MZ Trading") has no NUL byte
    there and is not one."""
    if head.startswith(b"MZ") and (b"\x00" in head[:64] or _pe_signature(head)):
        return "a Windows program"
    if head.startswith(b"\x7fELF"):
        return "a Linux or Unix program"
    if head.startswith(_MACH_O):
        return "a macOS program"
    if head.startswith(b"\xca\xfe\xba\xbe"):
        return "a macOS or Java program"
    if head.startswith(b"#!"):
        return "a script that runs as a program (it starts with #!)"
    return None


def _pe_signature(head: bytes) -> bool:
    if len(head) < 64:
        return False
    (offset,) = struct.unpack_from("<I", head, 0x3C)
    return head[offset : offset + 4] == b"PE\x00\x00"


def image_kind(head: bytes) -> str | None:
    """The image format the bytes start with (".png", ".jpg", ".gif", ".tif", ".webp")."""
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


def text_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark declares: "utf-8-sig", "utf-16", or None."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not head.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    return None


@dataclass(frozen=True)
class ZipEnd:
    """The end of a zip archive, as the last bytes of a file declare it."""

    entries: int
    directory_size: int
    directory_start: int  # where the central directory really is in the file


def zip_end(handle: BinaryIO, size: int) -> ZipEnd | None:
    """The zip archive whose end-of-directory record closes the file, if there is one.

    Zip readers look for that record in the last 64 KiB of a file, whatever comes before
    it: this is what lets a file be a PDF or a picture at its start and a zip archive at
    its end. A record counts only when the directory it points to is really there (its
    first entry has the directory entry's signature), so a stray "PK" in a compressed
    image is not mistaken for one."""
    tail_size = min(size, _END_SIZE + _MAX_COMMENT)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_OF_DIRECTORY)
    while at >= 0:
        found = _directory_at(handle, tail, at, size - tail_size + at)
        if found is not None:
            return found
        at = tail.rfind(_END_OF_DIRECTORY, 0, at)
    return None


def _directory_at(handle: BinaryIO, tail: bytes, at: int, position: int) -> ZipEnd | None:
    record = tail[at : at + _END_SIZE]
    if len(record) < _END_SIZE:
        return None
    _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4s4H2LH", record)
    end = position
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        zip64 = _zip64(handle, position)
        if zip64 is None:
            return None
        entries, directory_size, end = zip64
    start = end - directory_size
    if entries < 1 or start < 0:
        return None
    handle.seek(start)
    if handle.read(4) != _DIRECTORY_ENTRY:
        return None
    return ZipEnd(entries, directory_size, start)


def _zip64(handle: BinaryIO, position: int) -> tuple[int, int, int] | None:
    """(entries, directory size, where the directory ends) from a zip64 end record, which
    sits just before its locator, which sits just before the ordinary end record."""
    locator_at = position - 20
    record_at = locator_at - 56
    if record_at < 0:
        return None
    handle.seek(record_at)
    data = handle.read(76)
    if data[:4] != _ZIP64_END or data[56:60] != _ZIP64_LOCATOR:
        return None
    entries, directory_size = struct.unpack_from("<QQ", data, 32)
    return entries, directory_size, record_at


_IMAGE_WORDS = {
    ".png": "a PNG image",
    ".jpg": "a JPEG image",
    ".gif": "a GIF image",
    ".tif": "a TIFF image",
    ".webp": "a WebP image",
}
_OTHER_FORMATS = (
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\x00\x00\x01\x00", "an icon (.ico)"),
    (b"OggS", "an Ogg audio or video file"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def not_text_table(head: bytes) -> str | None:
    """What the bytes are, in words, when they are a known format that is neither a
    spreadsheet nor text ("a PDF document", "a PNG image", "a Windows program"), else None.
    Zip and OLE files (workbooks, or documents of another kind) are told apart by the
    readers that open them."""
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "a PDF document"
    kind = image_kind(head)
    if kind is not None:
        return _IMAGE_WORDS[kind]
    found = program(head)
    if found is not None and not head.startswith(b"#!"):
        return found
    for magic, words in _OTHER_FORMATS:
        if head.startswith(magic):
            return words
    if head[4:8] == b"ftyp":
        return "a video or HEIC picture"
    return None
