"""One table from a CSV file or a workbook's sheet (.xlsx, .ods, .xls), as plain strings
for ``chainproof.domain.tabular`` to validate: raw (``read_raw_table``: every row as it is
in the file, which cells held numbers, what was guessed) or as a header and its data rows
(``read_table``: the header is the first non-empty row).

The format is found from the bytes, never from the name: a zip archive is an .ods when
its ``mimetype`` says so and an .xlsx otherwise, an OLE file is an .xls (or a
password-protected workbook, refused), anything else is CSV text
(``chainproof.fileformats.csv``: the encoding and separator are sniffed). .ods and .xls
are read by ``calamine_tables`` with the same bounds.

A workbook is opened and checked once (``XlsxArchive``); each sheet is read within
``MAX_TABLE_ROWS`` x ``MAX_TABLE_COLUMNS`` and at most ``MAX_TABLE_VALUES`` values (so a
table costs at most about 200 MB to read, whatever the file: a larger table goes in as
CSV), and a formula anywhere in it is refused with its sheet, row and column (never
evaluated; ``read_raw_table`` can keep it instead, for the caller to refuse its row only).
A known format that is neither a spreadsheet nor text (a PDF, a picture, a program, a
Word document) is refused by its content, whatever the file is called. A workbook's
sheet is the one asked for, else the one preferred, else the first with values; the
other sheets with values are named (``RawTable.other_sheets``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chainproof.domain.cellrefs import column_letter
from chainproof.domain.tabular import WIDTH_MARK, Record, RowError, Sheet, TableFileError
from chainproof.fileformats.csv import csv_rows, decode_csv, read_csv
from chainproof.fileformats.sniffing import HEAD_BYTES, not_text_table
from chainproof.fileformats.xlsx import (
    FORMULA_REFUSED,
    OLE_MAGIC,
    ZIP_MAGIC,
    Grid,
    PercentText,
    XlsxArchive,
    XlsxRejected,
    number_text,
)

MAX_TABLE_ROWS = 500_000
MAX_TABLE_COLUMNS = 200
MAX_TABLE_VALUES = 1_000_000
WORKBOOK_NAMES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RawTable:
    """A sheet (or a CSV file) as it is: no header found, nothing dropped but the trailing
    empty rows. ``rows[0]`` is row 1 of the file (a blank row is an empty list, so row
    numbers stay true); each row ends at its last value; cells are text.

    ``numeric`` holds (row, column), both 1-based, of the cells the file stored as numbers
    rather than text (a percentage too: 0.12 shown as "12%"; never a date or true/false).
    ``notes`` says in words what was guessed ("read as Windows-1252 (guessed: ...)",
    "columns separated by semicolons")."""

    name: str  # the sheet's name, '' for CSV
    rows: list[list[str]]
    numeric: set[tuple[int, int]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""  # CSV only: "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252", "GB18030"
    delimiter: str = ""  # CSV only
    # With ``keep_formulas``: (row, column) -> the formula text of each formula cell, whose
    # text in ``rows`` is the result the file stored for it (never computed here), else
    # the formula itself. The reader's caller turns each into a problem of its row.
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # The workbook's other sheets that hold values: (name, rows with a value).
    other_sheets: list[tuple[str, int]] = field(default_factory=list)


def rejected(exc: XlsxRejected) -> TableFileError:
    return TableFileError(exc.source, [RowError(0, "", exc.expected, exc.found)])


def open_xlsx(data: bytes, source: str) -> XlsxArchive:
    """The checked archive, or a TableFileError saying why the file is refused."""
    try:
        return XlsxArchive(data, source)
    except XlsxRejected as exc:
        raise rejected(exc) from None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, FormulaText):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def sheet_from_grid(grid: Grid, source: str) -> Sheet:
    """The header (first non-empty row) and the records below it; formulas refused."""
    rows = grid.rows
    for index, line in enumerate(rows):  # in place: the grid's values are not kept twice
        rows[index] = [cell_text(c) for c in line]
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    header: list[str] = (
        [str(c).strip() for c in rows[header_index]] if header_index is not None else []
    )
    while header and not header[-1]:
        header.pop()
    if grid.formulas:
        first_data_row = (header_index or 0) + 2

        def column(row: int, number: int) -> str:
            if row >= first_data_row and number <= len(header):
                return header[number - 1]
            return column_letter(number)

        raise TableFileError(
            source,
            [
                RowError(row, column(row, number), FORMULA_REFUSED, formula[:60], grid.sheet)
                for (row, number), formula in sorted(grid.formulas.items())
            ],
        )
    if header_index is None:
        return Sheet(name=grid.sheet, header=[], records=[])
    records: list[Record] = []
    for number, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            records.append((number, {WIDTH_MARK: str(len(header) + len(extra))}))
            continue
        cells = (cells + [""] * len(header))[: len(header)]
        records.append((number, dict(zip(header, cells, strict=True))))
    return Sheet(name=grid.sheet, header=header, records=records)


def read_xlsx(archive: XlsxArchive, sheet_names: Collection[str] | None = None) -> list[Sheet]:
    """The sheets of a checked workbook (all, or those named) as header + records."""
    sheets = []
    for name in archive.sheet_names:
        if sheet_names is not None and name not in sheet_names:
            continue
        sheets.append(sheet_from_grid(_grid(archive, name), archive.source))
    return sheets


def pick_sheet(names: list[str], sheet: str | None) -> str:
    """The sheet named (whatever its case), else the first."""
    if sheet is not None:
        return next((n for n in names if n.casefold() == sheet.casefold()), names[0])
    return names[0]


def file_kind(data: bytes, file_name: str) -> str:
    """ "xlsx", "ods", "xls" or "csv", from the bytes (the name only decides whether text
    that claims to be a workbook is refused)."""
    if data.startswith(ZIP_MAGIC):
        from chainproof.fileformats.calamine_tables import is_ods

        return "ods" if is_ods(data) else "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    if file_name.lower().endswith(WORKBOOK_NAMES) and data.lstrip()[:1] == b"<":
        raise TableFileError(
            file_name,
            [
                RowError(
                    0,
                    "",
                    "a workbook (.xlsx, .xls or .ods) or CSV text",
                    "a web page or XML file named like a workbook; open it in Excel and save "
                    "it as .xlsx",
                )
            ],
        )
    return "csv"


def is_workbook(data: bytes, file_name: str) -> bool:
    return file_kind(data, file_name) != "csv"


def _raw_from_grid(grid: Grid, source: str, *, keep_formulas: bool = False) -> RawTable:
    if keep_formulas:
        for (row, number), formula in grid.formulas.items():
            line = grid.rows[row - 1]
            line[number - 1] = FormulaText(
                formula if grid.cached.get((row, number)) is None else grid.cached[(row, number)]
            )
    elif grid.formulas:
        raise TableFileError(
            source,
            [
                RowError(row, column_letter(number), FORMULA_REFUSED, formula[:60], grid.sheet)
                for (row, number), formula in sorted(grid.formulas.items())
            ],
        )
    rows = grid.rows
    numeric: set[tuple[int, int]] = set()
    for index, line in enumerate(rows):  # in place: the grid's values are not kept twice
        for column, value in enumerate(line, start=1):
            if isinstance(value, FormulaText):
                continue
            if isinstance(value, PercentText) or (
                isinstance(value, int | float) and not isinstance(value, bool)
            ):
                numeric.add((index + 1, column))
        rows[index] = [cell_text(c) for c in line]
    return RawTable(
        name=grid.sheet,
        rows=rows,
        numeric=numeric,
        formulas=dict(grid.formulas) if keep_formulas else {},
    )


class FormulaText:
    """A formula cell's stored result (or its formula) on its way to a row of text."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __str__(self) -> str:
        return cell_text(self.value)


def refuse_other_formats(data: bytes, file_name: str) -> None:
    """Refuse, naming what it is, a file whose content is a known format that is neither a
    spreadsheet nor text (a PDF, a picture, a program), whatever its name says."""
    found = not_text_table(data[:HEAD_BYTES])
    if found is not None:
        raise TableFileError(
            file_name,
            [
                RowError(
                    0,
                    "",
                    "a spreadsheet (.xlsx, .xls, .ods) or a CSV file",
                    f"{found}, not a spreadsheet or CSV file",
                )
            ],
        )


def _read_csv_raw(data: bytes, file_name: str) -> RawTable:
    refuse_other_formats(data, file_name)
    decoded = decode_csv(data, file_name)
    rows = list(csv_rows(decoded, file_name))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    notes = list(decoded.notes)
    if file_name.lower().endswith(WORKBOOK_NAMES):
        notes.append("read as CSV text although the file is named like a workbook")
    return RawTable(
        name="",
        rows=rows,
        numeric=set(),
        notes=notes,
        encoding=decoded.encoding,
        delimiter=decoded.delimiter,
    )


def read_raw_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    chosen: str | None = None,
    keep_formulas: bool = False,
) -> RawTable:
    """The named sheet (any case; else the first) of a workbook, or the CSV file, as it
    is: see ``RawTable``. Refused (``TableFileError``, naming what was expected and what
    was found) as ``read_table`` refuses: hostile archives, formulas (with their cell),
    values beyond ``MAX_TABLE_ROWS`` x ``MAX_TABLE_COLUMNS`` or over ``MAX_TABLE_VALUES``,
    binary or undecodable text, a known format that is not a table (a PDF, a picture).

    ``chosen`` is a sheet a person chose: it must exist (any case), else the file is
    refused naming the sheets there are. Without it, ``sheet`` is preferred when the
    workbook has it, else the first sheet that holds a value; ``other_sheets`` then names
    the other sheets with values, which were not read. With ``keep_formulas`` a formula
    cell is kept (``RawTable.formulas``) for the caller to refuse with its row."""
    kind = file_kind(data, file_name)
    if kind == "csv":
        return _read_csv_raw(data, file_name)
    if kind in ("ods", "xls"):
        from chainproof.fileformats.calamine_tables import read_ods, read_xls

        reader = read_ods if kind == "ods" else read_xls
        return reader(data, file_name, sheet, chosen=chosen, keep_formulas=keep_formulas)
    with open_xlsx(data, file_name) as archive:
        names = archive.sheet_names
        if not names:
            raise TableFileError(file_name, [RowError(0, "", "a worksheet", "none")])
        name = choose_sheet(names, sheet, chosen, file_name)
        grid = _grid(archive, name)
        if chosen is None and sheet_not_named(names, sheet) and not _has_values(grid):
            for other in names:
                if other != name and archive.rows_with_values(other):
                    name, grid = other, _grid(archive, other)
                    break
        table = _raw_from_grid(grid, archive.source, keep_formulas=keep_formulas)
        table.other_sheets = [
            (other, count)
            for other in names
            if other != name and (count := archive.rows_with_values(other))
        ]
        return table


def sheet_not_named(names: list[str], sheet: str | None) -> bool:
    """No sheet has the preferred name (the first sheet is read unless it is empty)."""
    return sheet is None or not any(n.casefold() == sheet.casefold() for n in names)


def choose_sheet(names: list[str], sheet: str | None, chosen: str | None, source: str) -> str:
    """The sheet a person chose (refused when the workbook has none of that name), else the
    preferred one, else the first."""
    if chosen is None:
        return pick_sheet(names, sheet)
    found = next((n for n in names if n.casefold() == chosen.strip().casefold()), None)
    if found is None:
        raise TableFileError(
            source,
            [
                RowError(
                    0,
                    "",
                    "a sheet of the workbook (" + ", ".join(repr(n) for n in names) + ")",
                    chosen,
                )
            ],
        )
    return found


def _has_values(grid: Grid) -> bool:
    return bool(grid.formulas) or any(any(c not in (None, "") for c in line) for line in grid.rows)


def _grid(archive: XlsxArchive, name: str) -> Grid:
    try:
        return archive.grid(
            name,
            max_rows=MAX_TABLE_ROWS,
            max_columns=MAX_TABLE_COLUMNS,
            max_values=MAX_TABLE_VALUES,
        )
    except XlsxRejected as exc:
        raise rejected(exc) from None


def sheet_from_raw(table: RawTable) -> Sheet:
    """The header (first non-empty row) and the records below it."""
    grid = Grid(table.name, [list(row) for row in table.rows])
    return sheet_from_grid(grid, "")


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> Sheet:
    """One table from a CSV file, or from a workbook's named (or first) sheet, with the
    first non-empty row as its header. A workbook is unzipped and checked once, and only
    the sheet used is read; a CSV file's records are read as they are used."""
    kind = file_kind(data, file_name)
    if kind == "csv":
        refuse_other_formats(data, file_name)
        return read_csv(data, file_name, sniff=True)
    if kind in ("ods", "xls"):
        return sheet_from_raw(read_raw_table(data, file_name, sheet=sheet))
    with open_xlsx(data, file_name) as archive:
        names = archive.sheet_names
        if not names:
            raise TableFileError(file_name, [RowError(0, "", "a worksheet", "none")])
        return read_xlsx(archive, [pick_sheet(names, sheet)])[0]
