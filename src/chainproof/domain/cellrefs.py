"""Spreadsheet cell references as plain data: column letters <-> numbers, "B12" <-> (12, 2).

Pure functions, shared by the workbook cell maps (domain) and the file readers (fileformats).
"""

from __future__ import annotations

import re

MAX_SHEET_ROWS = 1_048_576  # Excel's own limits
MAX_SHEET_COLUMNS = 16_384  # XFD
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    if not 1 <= index <= MAX_SHEET_COLUMNS:
        raise ValueError(f"a column number from 1 to {MAX_SHEET_COLUMNS}, not {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 1, AA -> 27, XFD -> 16384."""
    if not re.fullmatch(r"[A-Za-z]{1,3}", letters):
        raise ValueError(f"column letters such as A or XFD, not {letters!r}")
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


def parse_ref(text: str) -> tuple[int, int]:
    """'B12' -> (row 12, column 2). Raises ValueError for anything else."""
    found = _REF.fullmatch(text)
    if not found:
        raise ValueError(f"a cell reference such as B12, not {text!r}")
    return int(found[2]), column_index(found[1])


def cell_name(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"
