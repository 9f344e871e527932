"""An XLSX file of one sheet, written as it is sent: the rows are read once, each piece of
the file goes out as soon as it is compressed, and nothing but the piece waiting is held.

A spreadsheet file is a ZIP archive. Written to a stream that cannot go back, each member
is followed by its sizes and checksum (a data descriptor, as ``zipfile`` writes to any
such stream), so the first bytes leave before the last row is read. Excel, LibreOffice,
openpyxl and calamine read such archives. The sheet holds its text inline (no shared
strings table to build first), the cell rule of ``cells`` (text is a string cell, never a
formula), identifier columns formatted as Text, dates and times as Excel serial numbers
formatted as openpyxl formats them.

A sheet whose XML passes 2 GiB before compression needs ZIP64 sizes, declared before the
sheet is written: a sheet of more than ZIP64_FROM_COLUMNS columns gets them (a cell takes
about 60 bytes, so a million rows of 30 columns stay under 2 GiB).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from chainproof.fileformats.cells import plain

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_ROWS = 1_048_576  # a sheet's rows in Excel
ZIP64_FROM_COLUMNS = 31
PIECE = 256 * 1024  # bytes sent at a time
EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap year folded in)

# Cell styles (their order in styles.xml): 0 plain, 1 date, 2 date and time, 3 text.
DATE, DATE_TIME, TEXT = 1, 2, 3

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Outbox:
    """What the archive has written and not yet sent: a stream that cannot seek."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes, /) -> int:
        if data:
            self.parts.append(bytes(data))
            self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(title: str) -> str:
    """A sheet's name as Excel allows it: no []:*?/\\, at most 31 characters, not empty."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip("' ")
    return (cleaned or "Sheet1")[:31]


def _serial(value: dt.date) -> float:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        delta = value - EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400
    return float((value - EPOCH.date()).days)


def _cell(ref: str, value: Any, text: bool) -> str:
    value = plain(value)
    if isinstance(value, str):
        if value == "":
            return ""
        style = f' s="{TEXT}"' if text else ""
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'

    if text:  # an identifier column: the number as typed, kept as text
        return _cell(ref, str(value), True)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{DATE_TIME}"><v>{_serial(value)!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{int(_serial(value))}</v></c>'
    return _cell(ref, str(value), False)  # anything else (an infinity, a time) as its text


def xlsx_pieces(
    title: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    text_columns: Iterable[int] = (),
    *,
    compresslevel: int = 1,
) -> Iterator[bytes]:
    """The workbook in pieces of about PIECE bytes: a sheet named ``title`` with
    ``headers`` on its first row, then ``rows``; the ``text_columns`` (0-based) formatted
    as Text, their values written as text. Rows past Excel's last row raise ValueError
    (the file would not open), before anything past it is sent."""
    text = set(text_columns)
    outbox = _Outbox()
    archive = zipfile.ZipFile(
        outbox, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    )
    archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    archive.writestr("_rels/.rels", ROOT_RELS)
    archive.writestr(
        "xl/workbook.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        f'<sheet name="{escape(sheet_name(title), {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
    )
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
    archive.writestr("xl/styles.xml", STYLES)
    letters: list[str] = []
    zip64 = len(headers) >= ZIP64_FROM_COLUMNS
    with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as sheet:
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="16" style="{TEXT}" customWidth="1"/>'
            for i in sorted(text)
        )
        sheet.write(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
            ).encode("utf-8")
        )
        lines: list[str] = []
        for number, row in enumerate(_with_headers(headers, rows), start=1):
            if number > MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS:,} rows: an XLSX sheet holds no more")
            while len(letters) < len(row):
                letters.append(column_letters(len(letters)))
            cells = "".join(
                _cell(f"{letters[i]}{number}", value, number > 1 and i in text)
                for i, value in enumerate(row)
            )
            lines.append(f'<row r="{number}">{cells}</row>')
            if len(lines) >= 200:
                sheet.write("".join(lines).encode("utf-8"))
                lines = []
                if outbox.size >= PIECE:
                    yield outbox.take()
        sheet.write(("".join(lines) + "</sheetData></worksheet>").encode("utf-8"))
    archive.close()
    yield outbox.take()


def _with_headers(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield headers
    yield from rows
