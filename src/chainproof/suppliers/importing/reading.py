"""A list file as the mapping step sees it: its sheet chosen, its header row found, its
rows below it, and the cells that held formulas (each a problem of its own row)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chainproof.domain.import_mapping import find_header
from chainproof.domain.tabular import RowError, TableFileError
from chainproof.fileformats.tables import read_raw_table


@dataclass
class ListFile:
    sheet: str
    header: list[str]
    header_row: int  # 1-based row number of the header in the file
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells) below the header
    numeric: set[tuple[int, int]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    # (row, column), both 1-based -> the formula of a cell that held one (its text in
    # ``rows`` is the result the file stored, never computed, else the formula itself)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    other_sheets: list[tuple[str, int]] = field(default_factory=list)  # (name, rows)


def sheet_words(sheet: str) -> str:
    return f"the sheet '{sheet}'" if sheet else "the file"


def read_list(data: bytes, file_name: str, entity: str, *, sheet: str | None = None) -> ListFile:
    """Read the file (CSV in any common encoding and delimiter, XLSX, ODS, XLS), find its
    header row (title rows above it are skipped), and keep the rows below it.

    A workbook's sheet is ``sheet`` when a person chose one (refused when there is none
    of that name), else the one named after the entity, else the first that holds values;
    the notes name the sheet read and every other sheet with rows, which was not. A file
    with a header row and nothing under it is refused, naming its sheet."""
    raw = read_raw_table(data, file_name, sheet=entity, chosen=sheet, keep_formulas=True)
    index = find_header(raw.rows, entity)
    header = [str(c).strip() for c in raw.rows[index]] if raw.rows else []
    while header and not header[-1]:
        header.pop()
    where = f"sheet '{raw.name}'" if raw.name else "the file"
    if not header:
        raise TableFileError(
            file_name,
            [RowError(0, "", "a header row and rows under it", f"{where} is empty", raw.name)],
        )
    rows = list(enumerate(raw.rows[index + 1 :], start=index + 2))  # cells are text
    if not any(any(str(c).strip() for c in cells) for _, cells in rows):
        raise TableFileError(
            file_name,
            [
                RowError(
                    index + 1,
                    "",
                    "rows under the header row",
                    f"the file has a header row but no rows under it ({where})",
                    raw.name,
                )
            ],
        )
    notes = []
    if raw.name:
        notes.append(f"read the sheet '{raw.name}'")
    notes += list(raw.notes)
    notes += [
        f"sheet '{name}' also has {count:,} row{'s' if count != 1 else ''} and was not read"
        for name, count in raw.other_sheets
    ]
    if index:
        notes.append(f"the header is row {index + 1}; the rows above it were skipped")
    formulas = {where: text for where, text in raw.formulas.items() if where[0] > index + 1}
    return ListFile(
        raw.name,
        header,
        index + 1,
        rows,
        set(raw.numeric),
        notes,
        formulas,
        list(raw.other_sheets),
    )
