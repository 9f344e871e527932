"""The questionnaire as an Excel workbook: reading what a supplier sends back (writing is in
``questionnaire_workbook_build.py``).

Writing: instructions, the declaration pre-filled with what is known, question sheets with
drop-down lists, the worksite table, the countries sheet, a checker sheet whose formulas
count the required answers still missing while the supplier types, a hidden sheet of
choice lists and a very hidden sheet naming the questionnaire, version, campaign and request.

Every cell written from user data (answers, names, labels) is a string cell; the only
formulas are the checker's.

Reading: the upload is opened and checked once (``open_workbook``: zip bombs, macros,
external links, see ``chainproof.fileformats.xlsx``) and the same archive is passed to
``read_meta`` and ``check_workbook``. Only the cells the cell map names are read, within
the map's bounds; nothing is evaluated: a formula in an answer cell is refused, naming the
cell, like a formula anywhere in an imported table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chainproof.domain.questionnaire.answers import Checked, Issue, check
from chainproof.domain.questionnaire.cell_map import (
    META_SHEET,
    CellMap,
    CellRef,
)
from chainproof.domain.questionnaire.definition import Questionnaire
from chainproof.fileformats.xlsx import FORMULA_REFUSED, Grid, XlsxArchive, XlsxRejected

CHECKER_SHEET = "Checker"  # its formulas are chainproof's own, written on purpose
META_MARK = "chainproof questionnaire workbook"
META_MAX_ROWS = 100


class WorkbookRejected(Exception):
    """The file as a whole cannot be read; nothing from it is kept."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def country_label(code: str, name: str) -> str:
    return f"{name} ({code})"


# --- reading ---------------------------------------------------------------------------


@dataclass
class ReadResult:
    meta: dict[str, str]
    raw: dict[str, Any]
    warnings: list[str] = field(default_factory=list)  # kept with the submission
    formula_cells: set[str] = field(default_factory=set)  # refused, never evaluated
    refused: list[Issue] = field(default_factory=list)


# A questionnaire workbook is read in the request (the portal answers at once), so its
# archive is held to far less than an import's: chainproof's own workbook inflates to well
# under 1 MiB. Reading it then costs a fraction of a second and a few MB, whatever the file
# (only the cells the layout names are kept).
MAX_WORKBOOK_UNCOMPRESSED = 32 * 1024 * 1024


def open_workbook(data: bytes, source: str) -> XlsxArchive:
    """The upload, unzipped and checked once; pass it to every reader below."""
    try:
        return XlsxArchive(data, source, max_uncompressed=MAX_WORKBOOK_UNCOMPRESSED)
    except XlsxRejected as exc:
        raise WorkbookRejected(source, exc.reason) from None


def formulas_note(archive: XlsxArchive) -> str:
    """A warning for the reviewer when the workbook as sent holds formulas outside the
    Checker sheet ('' when it holds none). They were never evaluated and are never written
    again into a workbook chainproof makes; the stored original keeps them."""
    found = archive.formula_cells(11, skip={CHECKER_SHEET})
    if not found:
        return ""
    return (
        f"The workbook as sent holds formulas ({', '.join(found[:10])}"
        + (", ..." if len(found) > 10 else "")
        + "). chainproof read only the typed answers and never evaluates formulas; the stored "
        "original keeps them, so open that file with care."
    )


def sheet_names(archive: XlsxArchive) -> list[str]:
    return archive.sheet_names


def _grid(archive: XlsxArchive, sheet: str, max_rows: int, max_columns: int) -> Grid:
    try:
        return archive.grid(sheet, max_rows=max_rows, max_columns=max_columns, beyond="skip")
    except XlsxRejected as exc:
        raise WorkbookRejected(archive.source, exc.reason) from None


def _bounds(layout: CellMap) -> dict[str, tuple[int, int]]:
    """For each sheet the map reads: the last row and column it names (one row more for
    a table, to see a row past its end). Nothing outside is kept in memory."""
    refs: list[CellRef] = list(layout.cells.values())
    for table in layout.tables.values():
        refs += [table.cell(table.max_rows + 1, cid) for cid in table.columns]
    for listed in layout.lists.values():
        refs.append(listed.cell(listed.max_rows))
    bounds: dict[str, tuple[int, int]] = {}
    for ref in refs:
        rows, columns = bounds.get(ref.sheet, (0, 0))
        bounds[ref.sheet] = (max(rows, ref.row), max(columns, ref.col_index))
    return bounds


def _value(grids: Mapping[str, Grid], ref: CellRef) -> Any:
    grid = grids.get(ref.sheet)
    value = None if grid is None else grid.value(ref.row, ref.col_index)
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def read_meta(archive: XlsxArchive) -> dict[str, str]:
    """The hidden identification sheet's key/value rows ({} when it is not chainproof's)."""
    if META_SHEET not in archive.sheet_names:
        return {}
    meta = {}
    for line in _grid(archive, META_SHEET, META_MAX_ROWS, 2).rows:
        if len(line) >= 2 and line[0] not in (None, ""):
            meta[str(line[0])] = "" if line[1] is None else str(line[1])
    return meta if meta.get("format") == META_MARK else {}


def read_answers(archive: XlsxArchive, layout: CellMap) -> ReadResult:
    """The raw answers in the cells the map names; values only, nothing evaluated."""
    bounds = _bounds(layout)
    missing = sorted(s for s in bounds if s not in archive.sheet_names)
    if missing:
        raise WorkbookRejected(
            archive.source,
            f"expected the sheets {', '.join(missing)}, found "
            f"{', '.join(sorted(archive.sheet_names))}",
        )
    grids = {sheet: _grid(archive, sheet, *size) for sheet, size in bounds.items()}
    result = ReadResult(read_meta(archive), {})

    def take(ref: CellRef, question: str, row: int = 0, column: str = "") -> Any:
        formula = grids[ref.sheet].formulas.get((ref.row, ref.col_index))
        if formula is not None:
            result.formula_cells.add(str(ref))
            result.refused.append(
                Issue(question, FORMULA_REFUSED, formula[:60], row, column, str(ref))
            )
        return _value(grids, ref)

    for qid, ref in layout.cells.items():
        value = take(ref, qid)
        if value is not None:
            result.raw[qid] = value
    for qid, table in layout.tables.items():
        rows = []
        for number in range(1, table.max_rows + 1):
            row = {cid: take(table.cell(number, cid), qid, number, cid) for cid in table.columns}
            rows.append({k: v for k, v in row.items() if v is not None})
        while rows and not rows[-1]:
            rows.pop()
        if rows:
            result.raw[qid] = rows
        past_end = [_value(grids, table.cell(table.max_rows + 1, cid)) for cid in table.columns]
        if any(value is not None for value in past_end):
            raise WorkbookRejected(
                archive.source,
                f"{table.sheet}: expected at most {table.max_rows} rows in the table",
            )
    for qid, listed in layout.lists.items():
        items = [take(listed.cell(n), qid, n) for n in range(1, listed.max_rows + 1)]
        items = [i for i in items if i is not None]
        if items:
            result.raw[qid] = items
    return result


def locate(issues: list[Issue], layout: CellMap) -> list[Issue]:
    """The issues with their sheet and cell."""
    return [
        Issue(
            i.question,
            i.expected,
            i.found,
            i.row,
            i.column,
            layout.where(i.question, i.row, i.column),
        )
        for i in issues
    ]


def check_workbook(
    archive: XlsxArchive,
    questionnaire: Questionnaire,
    layout: CellMap,
    *,
    countries: Mapping[str, str],
) -> tuple[ReadResult, Checked]:
    """Read and validate: the answers, and every problem with its cell (a formula in an
    answer cell is one of them)."""
    result = read_answers(archive, layout)
    checked = check(questionnaire, result.raw, countries=countries)
    checked.issues = result.refused + locate(checked.issues, layout)
    return result, checked
