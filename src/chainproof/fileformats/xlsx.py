"""One Excel workbook (.xlsx), opened and checked once, then read as plain values.

An upload is hostile until proven otherwise. ``XlsxArchive(data, source)`` opens the bytes
once and runs every check before anything is parsed:

- not an .xlsx at all (text, an old binary .xls, a password-protected workbook, which
  Excel stores as an OLE file), a damaged or encrypted zip;
- a zip bomb: too many parts, too many bytes once inflated, or a compression ratio no
  spreadsheet has (for the whole archive and for each large part);
- macros (a vbaProject part, a macro-enabled or macro-sheet content type declared in
  ``[Content_Types].xml``, or a relationship to a macro project: a renamed macro part is
  caught by its declared type, not its name), ActiveX controls, links to other workbooks;
- XML with a document type declaration (entity tricks).

Reading then streams a sheet's XML (expat, chunk by chunk) into a bounded grid:

- the caller names the bounds (rows x columns) before reading; the ``<dimension>`` tag is
  never trusted. A value outside the bounds is refused with a message naming the limit
  and the cell (or, for readers that look at a known window, skipped without storing it);
- values only, nothing is evaluated. The one policy for formulas: a formula cell is
  refused. Its cell is reported in ``Grid.formulas`` and its cached value is never used
  as a value (``Grid.cached`` keeps it only to show a person). Every reader turns those
  into errors naming the cell (``FORMULA_REFUSED``): the whole file for a questionnaire
  or a table read with ``read_table``; only the cell's row for a supplier list, whose
  other rows import (``tables.read_raw_table(keep_formulas=True)``);
- a cell over 32,767 characters (Excel's own limit) is refused;
- memory follows what is kept, not the file: the caller may cap the number of values
  (``max_values``); shared strings are kept only for the cells read (a table of millions
  of strings costs nothing unless the cells use them); style tables are capped.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, BinaryIO, Literal
from xml.parsers import expat

MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # a small part may compress very well, harmlessly
MAX_PARTS = 2_000
MAX_CELL_CHARS = 32_767
MAX_GRID_CHARS = 32_000_000  # text kept from one sheet, whatever the bounds
MAX_STYLES = 100_000  # Excel itself allows about 64,000 cell formats
CHUNK = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

FORMULA_REFUSED = "a value typed in (formulas are not accepted and never evaluated)"

_MACRO_TYPES = ("macroenabled", "vbaproject", "macrosheet", "activex")
_MACRO_RELATIONS = ("vbaproject", "macrosheet", "xlmacrosheet", "xlintlmacrosheet")
_BUILTIN_PERCENT_FORMATS = {9, 10}
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)}
_DATE_CODE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


class XlsxRejected(Exception):
    """The file cannot be read as a workbook; nothing from it may be used."""

    def __init__(self, source: str, expected: str, found: str) -> None:
        self.source = source
        self.expected = expected
        self.found = found
        super().__init__(f"{source}: {self.reason}")

    @property
    def reason(self) -> str:
        return f"expected {self.expected}, found {self.found}"


@dataclass(frozen=True)
class Grid:
    """The values of one sheet: ``rows[0]`` is row 1; each row is as long as its last value.

    ``formulas`` maps (row, column), both 1-based, to the formula text of every formula
    cell read; such a cell's value is None (refused, never evaluated). ``cached`` holds the
    result the program that saved the file last computed for a formula cell, where it
    stored one: never a value to use, only something to show a person beside the formula."""

    sheet: str
    rows: list[list[Any]]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    skipped: int = 0  # values passed over beyond the bounds (``beyond="skip"``)
    cached: dict[tuple[int, int], Any] = field(default_factory=dict)

    def value(self, row: int, column: int) -> Any:
        if row < 1 or row > len(self.rows):
            return None
        line = self.rows[row - 1]
        return line[column - 1] if 0 < column <= len(line) else None


@dataclass(frozen=True)
class _SheetPart:
    name: str
    part: str


def _xml_stream(
    archive: zipfile.ZipFile,
    part: str,
    source: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None] | None = None,
) -> None:
    """Stream one XML part through expat; tag names without their namespace prefix."""
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_doctype(*_: Any) -> None:
        raise XlsxRejected(source, "XML without a document type declaration", f"one in {part}")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda name, attrs: start(name.rpartition(":")[2], attrs)
    parser.EndElementHandler = lambda name: end(name.rpartition(":")[2])
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with archive.open(part) as handle:
            while chunk := handle.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XlsxRejected(source, "well-formed XML", f"{part}: {exc}") from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise XlsxRejected(source, "a readable .xlsx archive", f"{part}: {exc}") from None


def _is_date_format(code: str) -> bool:
    stripped = _DATE_CODE.sub("", code).lower()
    return stripped != "general" and any(ch in stripped for ch in "dmyhs")


def _is_percent_format(code: str) -> bool:
    """A % outside quotes and escapes: the format shows the number times 100."""
    return "%" in _DATE_CODE.sub("", code)


class PercentText(str):
    """A number whose cell shows it as a percentage, as the text a person typed ("12%");
    the cell held a number (0.12)."""

    __slots__ = ()


def number_text(value: float | int | Decimal) -> str:
    """A number as Excel shows it in full: at most 15 significant digits (all a cell can
    hold as typed), never in scientific notation, no ".0" on a whole number
    (9.14401016189888e17 -> "914401016189888000", 0.30000000000000004 -> "0.3")."""
    if isinstance(value, int):
        return str(value)
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else value
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def percent_text(value: float | int) -> PercentText:
    """0.12 -> "12%", 0.125 -> "12.5%" (the value, not its rounding on screen)."""
    return PercentText(number_text(Decimal(format(value, ".15g")) * 100) + "%")


def _from_serial(serial: float, date1904: bool) -> datetime | float:
    if date1904:
        epoch = datetime(1904, 1, 1)
    elif serial < 60:
        epoch = datetime(1899, 12, 31)
    else:
        epoch = datetime(1899, 12, 30)
    if not 0 <= serial < 2_958_466:  # 9999-12-31
        return serial
    moment = epoch + timedelta(days=serial)
    return moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))


def check_inflated_size(
    members: list[zipfile.ZipInfo], source: str, max_uncompressed: int = MAX_UNCOMPRESSED
) -> None:
    """Refuse a zip bomb: too many bytes once inflated, or a compression ratio no office
    file has (for the whole archive and for each large part). Sizes are those the archive
    declares; reading a part stops at its declared size (``zipfile`` checks it)."""
    total = sum(m.file_size for m in members)
    compressed = max(1, sum(m.compress_size for m in members))
    worst = max(
        (
            m.file_size / max(1, m.compress_size)
            for m in members
            if m.file_size >= RATIO_CHECKED_FROM
        ),
        default=0.0,
    )
    if total > max_uncompressed or max(total / compressed, worst) > MAX_RATIO:
        raise XlsxRejected(
            source,
            f"at most {max_uncompressed // 2**20} MiB uncompressed and a compression "
            f"ratio under {MAX_RATIO}",
            f"{total:,} bytes uncompressed, ratio {max(total / compressed, worst):.0f} "
            "(a zip bomb?)",
        )


class XlsxArchive:
    """An .xlsx upload, checked once on construction, then read sheet by sheet."""

    def __init__(
        self,
        data: bytes | BinaryIO,
        source: str,
        *,
        max_uncompressed: int = MAX_UNCOMPRESSED,
    ) -> None:
        """``data`` is the file's bytes, or the file itself open for reading (a large
        upload spooled to disk is read part by part, never whole)."""
        self.source = source
        self.max_uncompressed = max_uncompressed
        handle = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
        handle.seek(0)
        head = handle.read(len(ZIP_MAGIC))
        handle.seek(0)
        if head.startswith(OLE_MAGIC):
            raise self._reject(
                "an Excel workbook (.xlsx, a zip archive)",
                "an old binary Excel file (.xls) or a password-protected workbook; save it "
                "as .xlsx without a password",
            )
        if not head.startswith(ZIP_MAGIC):
            raise self._reject("an Excel workbook (.xlsx, a zip archive)", "another format")
        try:
            self._zip = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
            raise self._reject("a readable .xlsx archive", "a damaged zip file") from None
        try:
            self._check_archive()
            self._content_types()
            self._sheets, self.date1904, self._parts = self._workbook()
        except BaseException:
            self._zip.close()
            raise
        self._shared: dict[int, str] = {}
        self._shared_count: int | None = None
        self._date_styles: set[int] | None = None
        self._percent_styles: set[int] = set()

    def _reject(self, expected: str, found: str) -> XlsxRejected:
        return XlsxRejected(self.source, expected, found)

    # --- the checks, once ------------------------------------------------------------

    def _check_archive(self) -> None:
        members = self._zip.infolist()
        if len(members) > MAX_PARTS:
            raise self._reject(f"at most {MAX_PARTS:,} parts", f"{len(members):,}")
        names = {m.filename for m in members}
        self._names = names
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise self._reject(
                "an Excel workbook", _zip_kind(names) or "a zip file that is not one"
            )
        if any(m.flag_bits & 0x1 for m in members):
            raise self._reject("an unencrypted workbook", "an encrypted zip archive")
        lowered = [n.lower() for n in names]
        if any(n.endswith("vbaproject.bin") or "/macrosheets/" in n for n in lowered):
            raise self._reject("a workbook without macros (.xlsx)", "a macro-enabled workbook")
        if any(n.startswith("xl/activex/") for n in lowered):
            raise self._reject("a workbook without macros (.xlsx)", "ActiveX controls")
        if any(n.startswith("xl/externallinks/") for n in lowered):
            raise self._reject(
                "a workbook without links to other files",
                "external links (copy the values in and send it again)",
            )
        check_inflated_size(members, self.source, self.max_uncompressed)

    def _content_types(self) -> None:
        declared: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag in ("Default", "Override"):
                declared.append(attrs.get("ContentType", "").lower())

        _xml_stream(self._zip, "[Content_Types].xml", self.source, start, lambda _: None)
        if any(marker in kind for kind in declared for marker in _MACRO_TYPES[:3]):
            raise self._reject("a workbook without macros (.xlsx)", "a macro-enabled workbook")
        if any("activex" in kind for kind in declared):
            raise self._reject("a workbook without macros (.xlsx)", "ActiveX controls")
        if any("externallink" in kind for kind in declared):
            raise self._reject(
                "a workbook without links to other files",
                "external links (copy the values in and send it again)",
            )

    def _workbook(self) -> tuple[list[_SheetPart], bool, dict[str, str]]:
        if "xl/workbook.xml" not in self._names or "xl/_rels/workbook.xml.rels" not in self._names:
            raise self._reject("an Excel workbook", "no sheet list")
        targets: dict[str, str] = {}
        kinds: dict[str, str] = {}

        def rel(tag: str, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[attrs.get("Id", "")] = posixpath.normpath(path)
                kinds[attrs.get("Type", "").rpartition("/")[2]] = posixpath.normpath(path)

        _xml_stream(self._zip, "xl/_rels/workbook.xml.rels", self.source, rel, lambda _: None)
        if any(kind.lower() in _MACRO_RELATIONS for kind in kinds):
            raise self._reject("a workbook without macros (.xlsx)", "a macro-enabled workbook")
        sheets: list[_SheetPart] = []
        flags = {"date1904": False}

        def book(tag: str, attrs: dict[str, str]) -> None:
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), "")
                if rid in targets:
                    sheets.append(_SheetPart(attrs.get("name", ""), targets[rid]))
            elif tag == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

        _xml_stream(self._zip, "xl/workbook.xml", self.source, book, lambda _: None)
        return sheets, flags["date1904"], kinds

    # --- reading -----------------------------------------------------------------------

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self._sheets]

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> XlsxArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _strings_at(self, wanted: set[int]) -> dict[int, str]:
        """The shared strings at the indexes ``wanted`` (kept across reads of this archive);
        the others are streamed past without being kept."""
        missing = wanted - self._shared.keys()
        if self._shared_count is not None:  # the count is known: larger indexes are missing
            missing = {index for index in missing if index < self._shared_count}
        if missing:
            part = self._parts.get("sharedStrings", "xl/sharedStrings.xml")
            state = {"index": -1, "depth_rph": 0, "in_t": False, "keep": False, "length": 0}
            buffer: list[str] = []

            def start(tag: str, _: dict[str, str]) -> None:
                if tag == "rPh":
                    state["depth_rph"] += 1
                elif tag == "t" and not state["depth_rph"]:
                    state["in_t"] = True
                elif tag == "si":
                    state["index"] += 1
                    state["keep"] = state["index"] in missing
                    state["length"] = 0
                    buffer.clear()

            def end(tag: str) -> None:
                if tag == "rPh":
                    state["depth_rph"] -= 1
                elif tag == "t":
                    state["in_t"] = False
                elif tag == "si" and state["keep"]:
                    self._shared[state["index"]] = "".join(buffer)

            def text(chars: str) -> None:
                if state["in_t"] and state["keep"]:
                    state["length"] += len(chars)
                    if state["length"] > MAX_CELL_CHARS:
                        raise self._reject(
                            f"cells of at most {MAX_CELL_CHARS:,} characters",
                            f"a longer shared string (number {state['index'] + 1:,})",
                        )
                    buffer.append(chars)

            if part in self._names:
                _xml_stream(self._zip, part, self.source, start, end, text)
            self._shared_count = state["index"] + 1
        return self._shared

    def _percents(self) -> set[int]:
        """The style indexes whose number format shows a percentage (0.12 shown as 12%)."""
        self._dates()
        return self._percent_styles

    def _dates(self) -> set[int]:
        """The style indexes whose number format shows a date or a time (and, read in the
        same pass, those that show a percentage)."""
        if self._date_styles is None:
            formats: dict[int, str] = {}
            xf_formats: list[int] = []
            depth = {"cellXfs": 0}
            part = self._parts.get("styles", "xl/styles.xml")

            def start(tag: str, attrs: dict[str, str]) -> None:
                if tag == "numFmt":
                    formats[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")[:255]
                elif tag == "cellXfs":
                    depth["cellXfs"] += 1
                elif tag == "xf" and depth["cellXfs"]:
                    xf_formats.append(_int(attrs.get("numFmtId")))
                if len(formats) > MAX_STYLES or len(xf_formats) > MAX_STYLES:
                    raise self._reject(
                        f"at most {MAX_STYLES:,} cell formats", "more (a damaged workbook?)"
                    )

            def end(tag: str) -> None:
                if tag == "cellXfs":
                    depth["cellXfs"] -= 1

            if part in self._names:
                _xml_stream(self._zip, part, self.source, start, end)
            self._date_styles = {
                index
                for index, fmt in enumerate(xf_formats)
                if fmt in _BUILTIN_DATE_FORMATS
                or (fmt in formats and _is_date_format(formats[fmt]))
            }
            self._percent_styles = {
                index
                for index, fmt in enumerate(xf_formats)
                if index not in self._date_styles
                and (
                    fmt in _BUILTIN_PERCENT_FORMATS
                    or (fmt in formats and _is_percent_format(formats[fmt]))
                )
            }
        return self._date_styles

    def formula_cells(self, limit: int = 10, *, skip: Collection[str] = ()) -> list[str]:
        """Up to ``limit`` cells (Sheet!A1) holding a formula, in any sheet but those named
        in ``skip``; nothing kept."""
        from chainproof.fileformats.xlsx_sheet import FormulaScan

        found: list[str] = []
        for sheet in self._sheets:
            if sheet.name in skip:
                continue
            if sheet.part in self._names and len(found) < limit:
                FormulaScan(self, sheet.name, found, limit).scan(sheet.part)
        return found

    def rows_with_values(self, sheet: str) -> int:
        """How many rows of ``sheet`` hold a value or a formula (nothing kept)."""
        from chainproof.fileformats.xlsx_sheet import RowCount

        found = next((s for s in self._sheets if s.name == sheet), None)
        if found is None or found.part not in self._names:
            return 0
        return RowCount(self, found.name).count(found.part)

    def grid(
        self,
        sheet: str,
        *,
        max_rows: int,
        max_columns: int,
        beyond: Literal["refuse", "skip"] = "refuse",
        max_values: int | None = None,
    ) -> Grid:
        """The values of ``sheet`` within ``max_rows`` x ``max_columns``.

        A value beyond the bounds is refused (naming the limit and the cell), or with
        ``beyond="skip"`` passed over without being kept; more than ``max_values`` values
        inside them are refused. Memory stays proportional to the values kept, whatever
        the file's ``<dimension>`` claims."""
        from chainproof.fileformats.xlsx_sheet import SheetReader

        found = next((s for s in self._sheets if s.name == sheet), None)
        if found is None:
            raise KeyError(sheet)
        if found.part not in self._names:
            raise self._reject("an Excel workbook", f"no part for the sheet {sheet}")
        reader = SheetReader(self, found.name, max_rows, max_columns, beyond, max_values)
        return reader.read(found.part)


def _zip_kind(names: Collection[str]) -> str | None:
    """What a zip archive that is not a workbook is, from its parts, in words."""
    if any(n.startswith("word/") for n in names):
        return "a Word document (.docx), not a spreadsheet or CSV file"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation (.pptx), not a spreadsheet or CSV file"
    return None


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return -1
