"""OpenDocument spreadsheets (.ods) and old binary Excel workbooks (.xls), read with
python-calamine into the same raw table as a CSV file or an .xlsx sheet.

An .ods file is a zip archive: before calamine parses anything, it gets the checks an
.xlsx gets (``check_inflated_size``: zip bombs; the number of parts; no password) and its
``content.xml`` is streamed once through expat (no document type declaration) to find,
on every sheet, how far its values reach (``MAX_TABLE_ROWS`` x ``MAX_TABLE_COLUMNS``, at
most ``MAX_TABLE_VALUES`` values and ``MAX_AREA_CELLS`` cells in the area they span, since
calamine holds that whole area in memory), the formula cells (refused with their cell:
calamine would give their last computed values), the percentages and the true/false
cells (which calamine hands over as plain numbers).

An .xls file is Microsoft's older binary (OLE) format; a password-protected .xlsx is an
OLE file too, and is told apart by its ``EncryptedPackage`` stream. calamine gives an .xls
sheet's values only: a formula cannot be told from a typed value there, which the table's
notes say.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from typing import Any

from chainproof.domain.cellrefs import cell_name, column_letter
from chainproof.domain.tabular import RowError, TableFileError
from chainproof.fileformats.tables import (
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_TABLE_VALUES,
    RawTable,
    cell_text,
    choose_sheet,
    sheet_not_named,
)
from chainproof.fileformats.xlsx import (
    FORMULA_REFUSED,
    MAX_PARTS,
    OLE_MAGIC,
    XlsxRejected,
    _xml_stream,
    check_inflated_size,
    percent_text,
)

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
MAX_AREA_CELLS = 2 * MAX_TABLE_VALUES
MAX_REPEAT = 1 << 20  # repeat counts are clamped: no sheet is wider or longer than this
XLS_FORMULA_NOTE = (
    "an .xls file does not let chainproof tell a formula from a typed value: the values "
    "read are those the file holds (a formula's last result, never recomputed)"
)
LOCKED_FOUND = (
    "a password-protected workbook; save it again without a password (as .xlsx, .xls or .ods)"
)


def _refuse(source: str, expected: str, found: str, sheet: str = "") -> TableFileError:
    return TableFileError(source, [RowError(0, "", expected, found, sheet)])


def is_ods(data: bytes) -> bool:
    """A zip archive whose ``mimetype`` member names an OpenDocument spreadsheet. The
    format puts that member first and uncompressed, so its bytes usually say it at once;
    an .xlsx (which names ``[Content_Types].xml``) is never unzipped here."""
    if data[30:38] == b"mimetype" and data[8:10] == b"\x00\x00":
        start = 30 + int.from_bytes(data[26:28], "little") + int.from_bytes(data[28:30], "little")
        if data[start : start + len(ODS_MIMETYPE)] == ODS_MIMETYPE:
            return True
    if b"[Content_Types].xml" in data or b"mimetype" not in data:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return False
            return archive.read(info).strip() == ODS_MIMETYPE
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return False
    except (NotImplementedError, RuntimeError):  # compressed oddly, or encrypted
        return False


def is_encrypted_office_file(data: bytes) -> bool:
    """An OLE file holding an encrypted Office Open XML package (a password-protected
    .xlsx, .docx ...), as Office writes it."""
    return ENCRYPTED_PACKAGE in data


# --- .ods: the checks and the scan of content.xml --------------------------------------


class _SheetScan:
    """What the scan learns about one sheet of an .ods file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.last_row = 0
        self.last_column = 0
        self.values = 0
        self.formulas: dict[tuple[int, int], str] = {}
        self.percents: set[tuple[int, int]] = set()
        self.booleans: dict[tuple[int, int], bool] = {}
        self.rows_with_values = 0


class OdsScan:
    """The expat handlers for ``content.xml``: rows and columns counted with their repeats
    (``number-rows-repeated``, ``number-columns-repeated``, covered cells), values found
    by their type or their text, and every sheet held within the bounds as it streams."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sheets: list[_SheetScan] = []
        self.sheet: _SheetScan | None = None
        self.depth = 0  # nested tables (inside a cell) are not rows of the sheet
        self.row = 0
        self.rows_repeated = 1
        self.column = 0
        self.cell: tuple[int, int, dict[str, str]] | None = None
        self.cell_text = False
        self.row_values = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = _SheetScan(attrs.get("table:name", f"Sheet{len(self.sheets) + 1}"))
                self.sheets.append(self.sheet)
                self.row = 0
        elif self.depth != 1 or self.sheet is None:
            return
        elif tag == "table-row":
            self.rows_repeated = _repeat(attrs.get("table:number-rows-repeated"))
            self.row += 1
            self.column = 0
            self.row_values = 0
        elif tag in ("table-cell", "covered-table-cell"):
            repeated = _repeat(attrs.get("table:number-columns-repeated"))
            self.cell = (self.column + 1, repeated, attrs)
            self.cell_text = False
            self.column += repeated
        elif tag == "p" and self.cell is not None:
            self.cell_text = True

    def text(self, chars: str) -> None:
        if self.cell is not None and chars.strip():
            self.cell_text = True

    def end(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif self.depth != 1 or self.sheet is None:
            return
        elif tag in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._cell(*self.cell)
            self.cell = None
        elif tag == "table-row":
            if self.row_values:
                self.sheet.rows_with_values += self.rows_repeated
                last = self.row + self.rows_repeated - 1
                self._check(last, 0, self.row_values * (self.rows_repeated - 1))
                self.sheet.last_row = max(self.sheet.last_row, last)
            self.row += self.rows_repeated - 1

    def _cell(self, column: int, repeated: int, attrs: dict[str, str]) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        kind = attrs.get("office:value-type", "")
        formula = attrs.get("table:formula")
        if not (kind or self.cell_text or formula):
            return
        last = column + repeated - 1
        self.row_values += repeated
        self._check(self.row, last, repeated)
        sheet.last_row = max(sheet.last_row, self.row)
        sheet.last_column = max(sheet.last_column, last)
        for number in range(column, last + 1):
            where = (self.row, number)
            if formula is not None and len(sheet.formulas) < 200:
                sheet.formulas[where] = formula.removeprefix("of:")
            if kind == "percentage":
                sheet.percents.add(where)
            elif kind == "boolean":
                sheet.booleans[where] = attrs.get("office:boolean-value", "") == "true"

    def _check(self, row: int, column: int, values: int) -> None:
        sheet = self.sheet
        if sheet is None:
            return
        sheet.values += values
        bound = f"on the sheet {sheet.name}"
        if row > MAX_TABLE_ROWS or column > MAX_TABLE_COLUMNS:
            raise _refuse(
                self.source,
                f"at most {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_COLUMNS:,} columns {bound}",
                f"a value in {cell_name(min(row, 10**7), max(min(column, 16_384), 1))}",
                sheet.name,
            )
        if sheet.values > MAX_TABLE_VALUES:
            raise _refuse(
                self.source,
                f"at most {MAX_TABLE_VALUES:,} values {bound}",
                f"more (by row {row:,}); split the file or save it as CSV",
                sheet.name,
            )
        area = max(sheet.last_row, row) * max(sheet.last_column, column)
        if area > MAX_AREA_CELLS:
            raise _refuse(
                self.source,
                f"values within an area of at most {MAX_AREA_CELLS:,} cells {bound}",
                f"values as far apart as row {max(sheet.last_row, row):,} and column "
                f"{column_letter(max(sheet.last_column, column, 1))}",
                sheet.name,
            )


def _repeat(text: str | None) -> int:
    try:
        return min(max(int(text or 1), 1), MAX_REPEAT)
    except ValueError:
        return 1


def scan_ods(data: bytes, source: str) -> list[_SheetScan]:
    """The archive checked (before calamine sees it) and its sheets scanned."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise _refuse(source, "a readable OpenDocument spreadsheet", "a damaged zip file") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise _refuse(source, f"at most {MAX_PARTS:,} parts", f"{len(members):,}")
        if any(m.flag_bits & 0x1 for m in members):
            raise _refuse(source, "an unencrypted spreadsheet", "an encrypted zip archive")
        try:
            check_inflated_size(members, source)
            names = {m.filename for m in members}
            if "content.xml" not in names:
                raise _refuse(source, "an OpenDocument spreadsheet", "no content.xml in it")
            if "META-INF/manifest.xml" not in names:
                raise _refuse(
                    source, "an OpenDocument spreadsheet", "no META-INF/manifest.xml in it"
                )
            encrypted = [False]

            def manifest(tag: str, _: dict[str, str]) -> None:
                encrypted[0] = encrypted[0] or tag == "encryption-data"

            _xml_stream(archive, "META-INF/manifest.xml", source, manifest, lambda _: None)
            if encrypted[0]:
                raise _refuse(source, "a spreadsheet without a password", LOCKED_FOUND)
            scan = OdsScan(source)
            _xml_stream(archive, "content.xml", source, scan.start, scan.end, scan.text)
        except XlsxRejected as exc:
            raise _refuse(source, exc.expected, exc.found.replace(".xlsx", ".ods")) from None
    return scan.sheets


def read_ods(
    data: bytes,
    source: str,
    sheet: str | None,
    *,
    chosen: str | None = None,
    keep_formulas: bool = False,
) -> RawTable:
    """A sheet chosen as ``tables.read_raw_table`` chooses it. A formula cell is refused
    with its cell, or with ``keep_formulas`` kept with the result the file stored for it
    (never recomputed), for the caller to refuse with its row."""
    scans = scan_ods(data, source)
    names = [s.name for s in scans]
    if not names:
        raise _refuse(source, "a worksheet", "none")
    scan = scans[names.index(choose_sheet(names, sheet, chosen, source))]
    if chosen is None and sheet_not_named(names, sheet) and not scan.rows_with_values:
        scan = next((s for s in scans if s.rows_with_values), scan)
    if scan.formulas and not keep_formulas:
        raise TableFileError(
            source,
            [
                RowError(row, column_letter(column), FORMULA_REFUSED, formula[:60], scan.name)
                for (row, column), formula in sorted(scan.formulas.items())
            ],
        )
    values = _calamine_rows(data, source, scan.name, "an OpenDocument spreadsheet (.ods)")
    table = _table(scan.name, values, scan.percents, scan.booleans, [], source)
    for (row, column), formula in scan.formulas.items():
        while len(table.rows) < row:
            table.rows.append([])
        line = table.rows[row - 1]
        while len(line) < column:
            line.append("")
        line[column - 1] = line[column - 1] or "=" + formula.lstrip("=")
        table.numeric.discard((row, column))
        table.formulas[(row, column)] = "=" + formula.lstrip("=")
    table.other_sheets = [
        (s.name, s.rows_with_values) for s in scans if s is not scan and s.rows_with_values
    ]
    return table


# --- .xls ------------------------------------------------------------------------------


def read_xls(
    data: bytes,
    source: str,
    sheet: str | None,
    *,
    chosen: str | None = None,
    keep_formulas: bool = False,
) -> RawTable:
    """A sheet chosen as ``tables.read_raw_table`` chooses it (``keep_formulas`` changes
    nothing: calamine cannot tell a formula in an .xls file, which the notes say)."""
    if is_encrypted_office_file(data):
        raise _refuse(source, "a workbook without a password", LOCKED_FOUND)
    names = _sheet_names(data, source)
    name = choose_sheet(names, sheet, chosen, source)
    kind = "an Excel 97-2003 workbook (.xls)"
    values = _calamine_rows(data, source, name, kind)
    counts = {name: _filled(values)}
    if chosen is None and sheet_not_named(names, sheet) and not counts[name]:
        for other in names:
            counts[other] = counts.get(other, _filled(_calamine_rows(data, source, other, kind)))
            if counts[other]:
                name, values = other, _calamine_rows(data, source, other, kind)
                break
    table = _table(name, values, set(), {}, [XLS_FORMULA_NOTE], source)
    for other in names:
        if other != name:
            count = counts.get(other)
            if count is None:
                count = _filled(_calamine_rows(data, source, other, kind))
            if count:
                table.other_sheets.append((other, count))
    return table


def _filled(values: list[list[Any]]) -> int:
    return sum(1 for line in values if any(v not in (None, "") for v in line))


def _open(data: bytes, source: str, kind: str) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _refuse(source, "a workbook without a password", LOCKED_FOUND) from None
    except Exception as exc:  # calamine's errors are many; each means "not readable"
        what = (
            "a file in Microsoft's older binary (OLE) format that is not a readable workbook"
            if data.startswith(OLE_MAGIC)
            else "a damaged OpenDocument spreadsheet"
        )
        raise _refuse(
            source, kind, f"{what} ({str(exc)[:80]}); open it and save it as .xlsx"
        ) from None


def _sheet_names(data: bytes, source: str) -> list[str]:
    book = _open(data, source, "an Excel 97-2003 workbook (.xls)")
    try:
        names: list[str] = list(book.sheet_names)
    finally:
        book.close()
    if not names:
        raise _refuse(source, "a worksheet", "none")
    return names


def _calamine_rows(data: bytes, source: str, name: str, kind: str) -> list[list[Any]]:
    """The sheet's values from A1, within the bounds (checked on calamine's own count
    for .xls; for .ods the scan has already held every sheet to them)."""
    book = _open(data, source, kind)
    try:
        found = book.get_sheet_by_name(name)
        end = found.end
        if end is None:
            return []
        rows, columns = end[0] + 1, end[1] + 1
        if rows > MAX_TABLE_ROWS or columns > MAX_TABLE_COLUMNS:
            raise _refuse(
                source,
                f"at most {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_COLUMNS:,} columns on the "
                f"sheet {name}",
                f"values as far as {cell_name(rows, columns)}",
                name,
            )
        values: list[list[Any]] = found.to_python(skip_empty_area=False)
    except TableFileError:
        raise
    except Exception as exc:
        raise _refuse(source, kind, f"a sheet calamine cannot read ({str(exc)[:80]})") from None
    finally:
        book.close()
    return values


def _table(
    name: str,
    values: list[list[Any]],
    percents: set[tuple[int, int]],
    booleans: dict[tuple[int, int], bool],
    notes: list[str],
    source: str,
) -> RawTable:
    rows: list[list[str]] = []
    numeric: set[tuple[int, int]] = set()
    count = 0
    for number, line in enumerate(values, start=1):
        cells: list[str] = []
        for column, value in enumerate(line, start=1):
            where = (number, column)
            if value is None or value == "":
                cells.append("")
                continue
            count += 1
            if count > MAX_TABLE_VALUES:
                raise _refuse(
                    source,
                    f"at most {MAX_TABLE_VALUES:,} values on the sheet {name}",
                    f"more (by row {number:,}); split the file or save it as CSV",
                    name,
                )
            if where in booleans:
                cells.append("true" if booleans[where] else "false")
            elif isinstance(value, bool):
                cells.append(cell_text(value))
            elif isinstance(value, int | float):
                numeric.add(where)
                cells.append(percent_text(value) if where in percents else cell_text(value))
            elif isinstance(value, datetime | date):
                cells.append(cell_text(value))
            elif isinstance(value, time):
                cells.append(value.isoformat())
            elif isinstance(value, timedelta):
                cells.append(str(value))
            else:
                cells.append(str(value))
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return RawTable(name=name, rows=rows, numeric=numeric, notes=notes)
