"""The one rule for writing cells from user data: a string stays a string, never a formula.

A text that starts with = + - @, a tab or a carriage return would run as a formula (or a
DDE command) when a spreadsheet opens the file. In .xlsx files such text is written as a
string cell (its type says so; the text is unchanged); in CSV files, which have no cell
types, it is prefixed with an apostrophe. Lists are joined first, then checked.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


# Characters an .xlsx file cannot hold (XML 1.0 forbids them); stored text no longer has
# them (common.signals), but an export must never fail on what older data holds.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value: Any) -> Any:
    """Lists joined, None as empty text, characters no spreadsheet can hold dropped."""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, str) and not value.isprintable():
        value = _NOT_IN_XML.sub("", value)
    return value


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula."""
    value = plain(value)
    return "'" + value if looks_like_formula(value) else value


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for a write-only openpyxl sheet: every text a string cell."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        value = plain(value)
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row


def strings_only(book: Any, formulas: Collection[tuple[str, str]] = ()) -> int:
    """Turn every formula cell of a (normal mode) openpyxl workbook into a string cell,
    except the (sheet, coordinate) pairs chainproof wrote as formulas on purpose.
    Returns how many cells were turned."""
    turned = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (sheet.title, cell.coordinate) not in formulas:
                    cell.data_type = "s"
                    turned += 1
    return turned
