"""The words a document already holds as text, read without recognising any image:
a PDF's text layer (pypdfium2), the runs of Word and PowerPoint files (their XML streamed
part by part), the cells of a workbook (``XlsxArchive``, bounded), text and CSV files
(decoded a chunk at a time).

Each reader stops when the ``TextCollector`` is full, so a 200 MB file costs the time to
read 2 million characters, not the file; a sheet is read no further than its first
``MAX_SHEET_ROWS`` rows. A PDF with (almost) no text on most of its pages is a scan: it
says ``needs_ocr``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pypdfium2 as pdfium

from chainproof.fileformats.extracted import (
    TEXT_LAYER,
    ExtractedText,
    ExtractFailed,
    Full,
    TextCollector,
)
from chainproof.fileformats.office_check import PackageRejected, declared_types, open_package
from chainproof.fileformats.sniffing import text_encoding
from chainproof.fileformats.text_files import NotText, decoded
from chainproof.fileformats.xlsx import XlsxArchive, XlsxRejected, _xml_stream
from chainproof.fileformats.xlsx_sheet import SheetReader

SCANNED_PAGE_CHARS = 20  # a page with fewer letters than this has no real text layer
MAX_PDF_PAGES = 5_000  # pages read for their text layer; the rest is left (truncated)
MAX_PAGE_CHARS = 1_000_000  # one page's text: more is a damaged or hostile file
MAX_XML_BYTES = 256 * 1024 * 1024  # inflated XML streamed from one office file
MAX_SHEET_ROWS = 5_000
MAX_SHEET_COLUMNS = 40

_WORD_PARTS = (
    "wordprocessingml.document.main+xml",
    "wordprocessingml.header+xml",
    "wordprocessingml.footer+xml",
    "wordprocessingml.footnotes+xml",
    "wordprocessingml.endnotes+xml",
)
_SLIDE_PARTS = ("presentationml.slide+xml", "presentationml.notesslide+xml")
_NUMBER = re.compile(r"(\d+)")


def pdf_text(path: Path) -> ExtractedText:
    collector = TextCollector()
    with open_pdf(path) as document:
        pages = len(document)
        empty = read = 0
        try:
            for index in range(min(pages, MAX_PDF_PAGES)):
                text = page_text(document, index)
                read += 1
                if letters(text) < SCANNED_PAGE_CHARS:
                    empty += 1
                collector.add(text)
                collector.paragraph_break()
        except Full:
            pass
    if pages > MAX_PDF_PAGES:
        collector.truncated = True
    needs_ocr = read > 0 and empty * 2 >= read
    return collector.result(TEXT_LAYER, pages, needs_ocr=needs_ocr)


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    """A PDF opened by pdfium, with a plain message when it cannot be."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ExtractFailed(
            f"The PDF could not be opened ({exc}); it may be damaged or password-protected."
        ) from None
    try:
        yield document
    finally:
        document.close()


def page_text(document: pdfium.PdfDocument, index: int) -> str:
    """One page's text layer (at most ``MAX_PAGE_CHARS`` characters)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            count = textpage.count_chars()
            if count <= 0:
                return ""
            if count > MAX_PAGE_CHARS:
                text = textpage.get_text_range(0, MAX_PAGE_CHARS)
            else:
                text = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    return text or ""


def letters(text: str) -> int:
    """How many characters are not whitespace."""
    return len("".join(text.split()))


def word_text(path: Path) -> ExtractedText:
    """Paragraphs as lines: the main document, then headers, footers and notes."""
    collector = TextCollector()
    with path.open("rb") as handle:
        _office_text(handle, path, _WORD_PARTS, "p", collector)
    return collector.result(TEXT_LAYER, None)


def slides_text(path: Path) -> ExtractedText:
    collector = TextCollector()
    with path.open("rb") as handle:
        slides = _office_text(handle, path, _SLIDE_PARTS[:1], "p", collector)
        if not collector.truncated:
            _office_text(handle, path, _SLIDE_PARTS[1:], "p", collector)
    return collector.result(TEXT_LAYER, slides)


def _office_text(
    handle: BinaryIO,
    path: Path,
    kinds: tuple[str, ...],
    paragraph: str,
    collector: TextCollector,
) -> int:
    """Stream the text runs (``w:t``, ``a:t``) of the parts whose declared content type
    ends with one of ``kinds``, in that order (numbered parts by number); the number of
    parts read."""
    size = handle.seek(0, 2)
    try:
        with open_package(handle, size) as archive:
            declared = declared_types(archive, path.name)
            parts = [
                part.lstrip("/")
                for kind in kinds
                for part, _ in sorted(
                    ((p, t) for p, t in declared if t.endswith(kind) and p.startswith("/")),
                    key=lambda item: _numbered(item[0]),
                )
            ]
            reader = _Runs(collector, paragraph)
            for part in parts:
                if part in archive.NameToInfo:
                    reader.read(archive, part, path.name)
            return len(parts)
    except (PackageRejected, XlsxRejected) as exc:
        reason = getattr(exc, "reason", str(exc))
        raise ExtractFailed(f"The file could not be read ({reason}).") from None
    except Full:
        return len(parts)


def _numbered(part: str) -> tuple[str, int]:
    found = _NUMBER.findall(part)
    return (_NUMBER.sub("", part), int(found[-1]) if found else 0)


class _Runs:
    """Expat handlers collecting text runs; a paragraph's end ends a line. The fallback
    of ``mc:AlternateContent`` repeats its choice (a text box drawn twice) and is skipped,
    and so is deleted text (``w:delText`` is another tag) and field code."""

    def __init__(self, collector: TextCollector, paragraph: str) -> None:
        self.collector = collector
        self.paragraph = paragraph
        self.buffer: list[str] = []
        self.in_text = False
        self.skip = 0
        self.inflated = 0

    def read(self, archive: zipfile.ZipFile, part: str, source: str) -> None:
        self.inflated += archive.getinfo(part).file_size
        if self.inflated > MAX_XML_BYTES:
            self.collector.truncated = True
            raise Full
        _xml_stream(archive, part, source, self.start, self.end, self.text)
        self.flush()
        self.collector.paragraph_break()

    def start(self, tag: str, _: dict[str, str]) -> None:
        if tag == "Fallback":
            self.skip += 1
        elif tag == "t":
            self.in_text = True
        elif tag in ("tab", "br", "cr") and not self.skip:
            self.buffer.append(" " if tag == "tab" else "\n")

    def end(self, tag: str) -> None:
        if tag == "Fallback":
            self.skip -= 1
        elif tag == "t":
            self.in_text = False
        elif tag == self.paragraph and not self.skip:
            self.flush()
        elif tag == "tc" and not self.skip:
            self.buffer.append(" ")

    def text(self, chars: str) -> None:
        if self.in_text and not self.skip:
            self.buffer.append(chars)
            if len(self.buffer) > 4096:  # a paragraph without end: hand it over in pieces
                self.collector.add("".join(self.buffer))
                self.buffer.clear()

    def flush(self) -> None:
        if self.buffer:
            self.collector.add("".join(self.buffer))
            self.buffer.clear()


def workbook_text(path: Path) -> ExtractedText:
    """Sheet by sheet: its name, then its rows, cells separated by a space. Values only
    (a formula's cached result is not used); rows and columns beyond the bounds are left
    out and the text marked truncated."""
    collector = TextCollector()
    left_out = False
    try:
        with path.open("rb") as handle, XlsxArchive(handle, path.name) as archive:
            try:
                for found in archive._sheets:
                    if found.part not in archive._names:
                        raise archive._reject(
                            "an Excel workbook", f"no part for the sheet {found.name}"
                        )
                    sheet = _SheetText(archive, found.name)
                    collector.line(found.name)
                    for line in sheet.lines(found.part):
                        collector.line(line)
                    collector.paragraph_break()
                    left_out = left_out or sheet.skipped > 0
            except Full:
                pass
    except XlsxRejected as exc:
        raise ExtractFailed(f"The workbook could not be read ({exc.reason}).") from None
    # Marked at the end: a full collector stops at the next line it is given.
    collector.truncated = collector.truncated or left_out
    return collector.result(TEXT_LAYER, None)


class _PastTheRows(Exception):
    """A value below the sheet's first ``MAX_SHEET_ROWS`` rows: the rest is not read."""


class _SheetText(SheetReader):
    """The values of a sheet's first ``MAX_SHEET_ROWS`` rows and ``MAX_SHEET_COLUMNS``
    columns, as lines of text. A worksheet stores its rows in order, so reading stops at
    the first value below them: a sheet of a million rows costs the time to read its
    first rows, not the file. (Cells beyond the columns are passed over and counted.)"""

    def __init__(self, archive: XlsxArchive, sheet: str) -> None:
        super().__init__(archive, sheet, MAX_SHEET_ROWS, MAX_SHEET_COLUMNS, "skip")

    def _cell(self) -> None:
        skipped = self.skipped
        super()._cell()
        if self.skipped > skipped and self.row > self.max_rows:
            raise _PastTheRows

    def lines(self, part: str) -> Iterator[str]:
        """One line per row from the first to the last with a value (a row without one is
        an empty line)."""
        with suppress(_PastTheRows):
            _xml_stream(
                self.archive._zip, part, self.archive.source, self.start, self.end, self.text
            )
        self._resolve_shared()
        previous = 0
        for number in sorted(self.cells):
            if number > previous + 1:
                yield ""
            previous = number
            pairs = self.cells.pop(number)
            values = dict(zip(pairs[0::2], pairs[1::2], strict=True))  # a repeated cell: the last
            yield " ".join(_cell_text(values[c]) for c in sorted(values) if values[c] is not None)


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value)


def plain_text(path: Path) -> ExtractedText:
    """UTF-8 (with or without its mark) or UTF-16 with its mark; anything else is read as
    Latin-1, which never fails (an old 8-bit file keeps its letters, mostly)."""
    collector = TextCollector()
    with path.open("rb") as handle:
        head = handle.read(4)
        encoding = text_encoding(head) or "utf-8"
        try:
            _decode_into(handle, encoding, collector)
        except NotText:
            collector = TextCollector()
            _decode_into(handle, "latin-1", collector)
    return collector.result(TEXT_LAYER, None)


def _decode_into(handle: BinaryIO, encoding: str, collector: TextCollector) -> None:
    carry = ""
    try:
        for piece in decoded(handle, encoding):
            data = carry + piece
            cut = max(data.rfind("\n"), data.rfind("\r"))
            if cut < 0 and len(data) < 64 * 1024:
                carry = data
                continue
            complete, carry = (data[: cut + 1], data[cut + 1 :]) if cut >= 0 else (data, "")
            collector.add(complete)
        collector.add(carry)
    except Full:
        pass
