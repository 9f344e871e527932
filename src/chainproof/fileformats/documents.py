"""Supporting documents (portal answers, the evidence locker): what a file is, sniffed
from its content rather than its name, and the hostile-file checks.

``check_document_file(path, file_name)`` checks a file on disk (an upload of up to
200 MB spooled to a temporary file) and never reads it whole: the zip is opened on the
file, a PDF is scanned in overlapping windows, text is decoded a chunk at a time.
``check_document(data, file_name)`` runs the same checks on bytes already in memory (a
portal answer). Both return a ``CheckedDocument`` or raise ``DocumentRejected``, whose
``reason`` completes the sentence "<file> is refused: <reason>.":

- the type comes from the first bytes and, for a zip, from the main part declared in
  ``[Content_Types].xml`` (a Word document named .pdf, or a workbook named .docx, is
  refused); the name's extension must agree with it;
- a program is refused whatever it is called (Windows "MZ", Linux "\\x7fELF", macOS
  Mach-O, a script starting with "#!"), and so is an empty file;
- one file that is two formats at once (a polyglot) is refused: a PDF or a picture that
  ends with a zip archive's directory, a zip with a PDF header in its first kilobyte;
- an Excel workbook gets every check of ``XlsxArchive`` (zip bombs, encryption, macros
  by content type and relationship, ActiveX, external links, DTDs) and is refused when
  any cell holds a formula or a DDE command; Word and PowerPoint files get the same
  package checks (macros, ActiveX, embedded OLE objects, remote templates);
- a picture larger than Pillow's pixel limit is refused (a decompression bomb);
- a text file must be free of NUL bytes (UTF-16 with a byte-order mark is text); a CSV
  must be UTF-8 (or UTF-16 with its mark) and is refused when a cell would run as a
  formula in a spreadsheet (= + - @, tab or carriage return first, except plain numbers
  such as -12.5);
- a PDF that runs JavaScript, launches programs or embeds files is accepted with a
  warning (``warnings``): the caller stores it flagged (inert bytes), or refuses it.

Nothing is evaluated. ``CONTENT_TYPES`` and ``LABELS`` are the one table of the kinds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from chainproof.fileformats.cells import FORMULA_START
from chainproof.fileformats.office_check import (
    MAX_FORMULAS_NAMED,
    PackageRejected,
    check_package,
    check_workbook,
    package_kind,
)
from chainproof.fileformats.pdf_scan import pdf_risks
from chainproof.fileformats.sniffing import (
    HEAD_BYTES,
    IMAGE_KINDS,
    PDF_HEADER_WINDOW,
    image_kind,
    program,
    text_encoding,
    zip_end,
)
from chainproof.fileformats.text_files import (
    CHUNK,
    LineTooLong,
    NotText,
    decoded,
    line_blocks,
    split_lines,
)
from chainproof.fileformats.xlsx import OLE_MAGIC, ZIP_MAGIC

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".tif": "image/tiff",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
LABELS = {
    ".pdf": "a PDF",
    ".png": "a PNG image",
    ".jpg": "a JPEG image",
    ".tif": "a TIFF image",
    ".webp": "a WebP image",
    ".gif": "a GIF image",
    ".xlsx": "an Excel workbook",
    ".docx": "a Word document",
    ".pptx": "a PowerPoint presentation",
    ".csv": "a CSV file",
    ".txt": "a text file",
}
_ALIASES = {".jpeg": ".jpg", ".tiff": ".tif"}
EXTENSIONS = (*CONTENT_TYPES, *_ALIASES)
MAX_CSV_LINE = 1024 * 1024  # characters
# Pillow's own limit (it warns above it, refuses at twice): a 600-dpi A3 colour scan fits.
MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3
_NUMBER = re.compile(r"[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?%?")
# How a cell that starts with = + - @ or a tab (or, quoted, a carriage return) begins:
# after a comma or a line end, quoted or not. Plain substring tests (C speed) decide
# which lines the csv reader's rows need looking at cell by cell.
_CELL_HEADS = (*(q + c for q in ("", '"') for c in "=+-@\t"), '"\r')
_CELL_BEFORE = (",", "\n", "\r")
_PILLOW_FORMATS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".gif": "GIF",
    ".tif": "TIFF",
    ".webp": "WEBP",
}
_ZIP_KINDS = (".xlsx", ".docx", ".pptx")
_TEXT_KINDS = (".csv", ".txt")


class DocumentRejected(Exception):
    """The file is refused; ``reason`` completes "<source> is refused: <reason>."."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


@dataclass(frozen=True)
class CheckedDocument:
    extension: str  # what the content is: ".pdf", ".xlsx", ... (".jpeg" is ".jpg")
    content_type: str
    warnings: tuple[str, ...] = ()


def check_document_file(path: Path, file_name: str) -> CheckedDocument:
    """Check the file at ``path``, sent as ``file_name``, reading it a piece at a time."""
    with Path(path).open("rb") as handle:
        return _check(handle, file_name)


def check_document(data: bytes, file_name: str) -> CheckedDocument:
    """Check a file already in memory: the same checks as ``check_document_file``."""
    return _check(io.BytesIO(data), file_name)


def _check(handle: BinaryIO, file_name: str) -> CheckedDocument:
    """The one implementation: the name's extension, then what the first bytes say (a
    program, a kind, a kind the name disagrees with), then two formats at once, then
    the checks of the kind, each reading the file a piece at a time."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    claimed = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if claimed not in EXTENSIONS:
        raise DocumentRejected(
            name,
            f"expected one of {', '.join(sorted(EXTENSIONS))}, found {claimed or 'no extension'}",
        )
    claimed = _ALIASES.get(claimed, claimed)
    size = handle.seek(0, io.SEEK_END)
    if size == 0:
        raise DocumentRejected(name, "it is empty (0 bytes)")
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    found = program(head)
    if found:
        raise DocumentRejected(name, f"it is {found}, not {LABELS[claimed]}")
    kind = _sniff(handle, size, head, name)
    if kind != claimed and not (kind == ".txt" and claimed in _TEXT_KINDS):
        raise DocumentRejected(
            name, f"the name says {LABELS[claimed]}, but the content is {LABELS[kind]}"
        )
    _refuse_polyglot(handle, size, head, kind, name)
    warnings: tuple[str, ...] = ()
    try:
        if kind == ".pdf":
            warnings = pdf_risks(handle, size)
        elif kind == ".xlsx":
            check_workbook(handle, name)
        elif kind in _ZIP_KINDS:
            check_package(handle, size, name)
        elif kind in IMAGE_KINDS:
            _check_image(handle, kind, name)
        elif claimed == ".csv":
            _check_csv(handle, head, name)
            kind = ".csv"
        else:
            _check_text(handle, head, name)
    except PackageRejected as exc:
        raise DocumentRejected(name, exc.reason) from None
    return CheckedDocument(kind, CONTENT_TYPES[kind], warnings)


def _sniff(handle: BinaryIO, size: int, head: bytes, name: str) -> str:
    if head.startswith(b"%PDF-"):
        return ".pdf"
    image = image_kind(head)
    if image:
        return image
    if head.startswith(OLE_MAGIC):
        raise DocumentRejected(
            name,
            "an old binary Office file (.doc, .xls, .ppt) or a password-protected one; save it "
            "as .docx, .xlsx, .pptx or PDF without a password",
        )
    if head.startswith(ZIP_MAGIC):
        try:
            return package_kind(handle, size, name)
        except PackageRejected as exc:
            raise DocumentRejected(name, exc.reason) from None
    if text_encoding(head) != "utf-16" and b"\x00" in head:
        raise DocumentRejected(name, "binary content of a type not accepted")
    return ".txt"


def _refuse_polyglot(handle: BinaryIO, size: int, head: bytes, kind: str, name: str) -> None:
    """One file that is two formats at once opens as whichever the program reading it
    looks for: a PDF that a zip tool opens as an archive, a picture that a PDF reader
    opens as a PDF. Stored as one and opened as the other, it hides what it holds."""
    also = None
    if (kind == ".pdf" or kind in IMAGE_KINDS) and zip_end(handle, size) is not None:
        also = "a zip archive"
    elif kind != ".pdf" and kind not in _TEXT_KINDS and b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        also = "a PDF"
    if also:
        raise DocumentRejected(
            name,
            f"it is two formats at once ({LABELS[kind]} that is also {also}, which can hide "
            "what it holds); open it and save a new copy",
        )


def _check_image(handle: BinaryIO, kind: str, name: str) -> None:
    """The picture's size from its header (nothing is decoded): a small file that
    unpacks to billions of pixels would exhaust the memory of whatever displays it."""
    handle.seek(0)
    try:
        with Image.open(handle, formats=[_PILLOW_FORMATS[kind]]) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentRejected(name, _too_many_pixels("twice as many pixels or more")) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise DocumentRejected(
            name, f"a damaged image ({LABELS[kind]} that does not open)"
        ) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise DocumentRejected(name, _too_many_pixels(f"{width:,} x {height:,} pixels"))


def _too_many_pixels(found: str) -> str:
    return (
        f"an image of {found}, more than the {MAX_IMAGE_PIXELS // 1_000_000} million pixels "
        "accepted (a decompression bomb?); scan it again at 300 dpi"
    )


def _check_text(handle: BinaryIO, head: bytes, name: str) -> None:
    """A text file: no NUL anywhere (a binary file named .txt); one that declares its
    encoding by a byte-order mark must decode in it."""
    encoding = text_encoding(head)
    if encoding:
        for piece in _decoded(handle, encoding, name):
            if "\x00" in piece:
                raise DocumentRejected(name, "binary content of a type not accepted")
        return
    handle.seek(0)
    while chunk := handle.read(CHUNK):
        if b"\x00" in chunk:
            raise DocumentRejected(name, "binary content of a type not accepted")


def _decoded(handle: BinaryIO, encoding: str, name: str) -> Iterator[str]:
    try:
        yield from decoded(handle, encoding)
    except NotText as exc:
        label = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise DocumentRejected(
            name, f"not {label} text (byte 0x{exc.byte:02x} at offset {exc.offset})"
        ) from None


def _check_csv(handle: BinaryIO, head: bytes, name: str) -> None:
    """Read row by row; refuse the first cells that a spreadsheet would run.

    Only the rows whose lines could start a cell with a formula character are looked at
    cell by cell, which keeps a CSV of 200 MB to seconds."""
    found: list[str] = []
    suspect = [False]
    passed = [0]  # rows of the blocks passed over whole (see _marked_lines)
    pieces = _without_nul(_decoded(handle, text_encoding(head) or "utf-8", name), name)
    try:
        rows = csv.reader(_marked_lines(line_blocks(pieces, MAX_CSV_LINE), suspect, passed))
        for number, cells in enumerate(rows, start=1):
            if not suspect[0]:
                continue
            suspect[0] = False
            line = number + passed[0]
            for column, cell in enumerate(cells, start=1):
                if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
                    found.append(f"row {line}, column {column} ({cell[:30]!r})")
                    if len(found) >= MAX_FORMULAS_NAMED:
                        break
            if len(found) >= MAX_FORMULAS_NAMED:
                break
    except csv.Error as exc:
        raise DocumentRejected(name, f"not well-formed CSV ({exc})") from None
    except LineTooLong as exc:
        raise DocumentRejected(name, f"not a CSV table ({exc})") from None
    if found:
        raise DocumentRejected(
            name,
            "formulas (cells starting with = + - @ run when a spreadsheet opens the file) in "
            + "; ".join(found),
        )


def _marked_lines(blocks: Iterator[str], suspect: list[bool], passed: list[int]) -> Iterator[str]:
    """The lines for the csv reader; ``suspect[0]`` is set when a line may start a cell
    with a formula character (at a line's start or after a comma, quoted or not). The
    reader takes exactly the lines of one row before it returns that row, so the flag
    covers the row it returns.

    A block with no quote and no possible formula, met outside a quoted field (an even
    number of quotes so far), holds only whole rows of one line each that cannot be
    refused: it is counted (``passed[0]``, rows) and not given to the reader at all,
    which keeps a large plain CSV at the speed of reading it."""
    quotes = 0
    for block in blocks:
        has_quotes = '"' in block
        if not has_quotes and quotes % 2 == 0 and not _may_start_formula(block):
            passed[0] += _line_count(block)
            continue
        quotes += block.count('"') if has_quotes else 0
        if not _may_start_formula(block):
            yield from split_lines(block)
            continue
        for text in split_lines(block):
            if _may_start_formula(text):
                suspect[0] = True
            yield text


def _line_count(block: str) -> int:
    """The lines of a block that ends at a line end ("\n", "\r\n" or "\r"; the last
    block of a file may end without one)."""
    if "\r" not in block:
        return block.count("\n") + (0 if block.endswith("\n") else 1)
    ends = block.count("\n") + block.count("\r") - block.count("\r\n")
    return ends + (0 if block.endswith(("\n", "\r")) else 1)


def _may_start_formula(text: str) -> bool:
    if text.startswith(_CELL_HEADS):
        return True
    # One scan for a quote and one for a carriage return spare most of the others.
    quoted = '"' in text
    befores = _CELL_BEFORE if "\r" in text else _CELL_BEFORE[:2]
    return any(
        (quoted or head[0] != '"')
        and head in text
        and any(before + head in text for before in befores)
        for head in _CELL_HEADS
    )


def _without_nul(pieces: Iterator[str], name: str) -> Iterator[str]:
    for piece in pieces:
        if "\x00" in piece:
            raise DocumentRejected(name, "binary content of a type not accepted")
        yield piece
