"""A list file as the mapping step sees it: its header row found, its rows below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from chainproof.domain.import_mapping import find_header
from chainproof.fileformats.tables import read_raw_table


@dataclass
class ListFile:
    sheet: str
    header: list[str]
    header_row: int  # 1-based row number of the header in the file
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells) below the header
    numeric: set[tuple[int, int]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def read_list(data: bytes, file_name: str, entity: str) -> ListFile:
    """Read the file (CSV in any common encoding and delimiter, XLSX, ODS, XLS: the
    sheet named after the entity, else the first), find its header row (title rows above
    it are skipped), and keep the rows below it."""
    raw = read_raw_table(data, file_name, sheet=entity)
    index = find_header(raw.rows, entity)
    header = [str(c).strip() for c in raw.rows[index]] if raw.rows else []
    while header and not header[-1]:
        header.pop()
    rows = list(enumerate(raw.rows[index + 1 :], start=index + 2))  # cells are text
    notes = list(raw.notes)
    if index:
        notes.append(f"the header is row {index + 1}; the rows above it were skipped")
    return ListFile(raw.name, header, index + 1, rows, set(raw.numeric), notes)
