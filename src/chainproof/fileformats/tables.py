"""One table (a header and its data rows) from a CSV file or a workbook's sheet, as plain
strings for ``chainproof.domain.tabular`` to validate.

A workbook is opened and checked once (``XlsxArchive``); each sheet is read within
``MAX_TABLE_ROWS`` x ``MAX_TABLE_COLUMNS`` and at most ``MAX_TABLE_VALUES`` values (so a
table costs at most about 200 MB to read, whatever the file: a larger table goes in as
CSV), and a formula anywhere in it is refused with its sheet, row and column (never
evaluated).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chainproof.domain.cellrefs import column_letter
from chainproof.domain.tabular import WIDTH_MARK, Record, RowError, Sheet, TableFileError
from chainproof.fileformats.csv import read_csv
from chainproof.fileformats.xlsx import (
    FORMULA_REFUSED,
    OLE_MAGIC,
    ZIP_MAGIC,
    Grid,
    XlsxArchive,
    XlsxRejected,
)

MAX_TABLE_ROWS = 500_000
MAX_TABLE_COLUMNS = 200
MAX_TABLE_VALUES = 1_000_000


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
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
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
        try:
            grid = archive.grid(
                name,
                max_rows=MAX_TABLE_ROWS,
                max_columns=MAX_TABLE_COLUMNS,
                max_values=MAX_TABLE_VALUES,
            )
        except XlsxRejected as exc:
            raise rejected(exc) from None
        sheets.append(sheet_from_grid(grid, archive.source))
    return sheets


def is_workbook(data: bytes, file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm")) or data.startswith((ZIP_MAGIC, OLE_MAGIC))


def read_table(data: bytes, file_name: str, *, sheet: str | None = None) -> Sheet:
    """One table from a CSV file, or from a workbook's named (or first) sheet. A workbook
    is unzipped and checked once, and only the sheet used is read."""
    if not is_workbook(data, file_name):
        return read_csv(data, file_name)
    with open_xlsx(data, file_name) as archive:
        names = archive.sheet_names
        if not names:
            raise TableFileError(file_name, [RowError(0, "", "a worksheet", "none")])
        wanted = names[0]
        if sheet is not None:
            wanted = next((n for n in names if n.casefold() == sheet.casefold()), names[0])
        return read_xlsx(archive, [wanted])[0]


# TEMPORARY until the raw reader lands (replaced by the merge).
@dataclass
class RawTable:
    name: str
    rows: list[list[str]]
    numeric: set[tuple[int, int]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def read_raw_table(data: bytes, file_name: str, *, sheet: str | None = None) -> RawTable:
    table = read_table(data, file_name, sheet=sheet)
    rows: list[list[str]] = [list(table.header)]
    for line, record in table.records:
        while len(rows) < line - 1:
            rows.append([])
        rows.append([record.get(h, "") for h in table.header])
    return RawTable(table.name, rows)
