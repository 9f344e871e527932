"""The questionnaire as an Excel workbook: reading what a supplier sends back (writing is in
``questionnaire_workbook_build.py``).

Writing: instructions, the declaration pre-filled with what is known, question sheets with
drop-down lists, the worksite table, the countries sheet, a checker sheet whose formulas
count the required answers still missing while the supplier types, a hidden sheet of
choice lists and a very hidden sheet naming the questionnaire, version, campaign and request.

Every cell written from user data (answers, names, labels) is a string cell; the only
formulas are the checker's.

Reading: the upload is opened and checked once (``open_workbook``: zip bombs, macros,
external links, see ``chainproof.fileformats.xlsx``) and the same workbook is passed to
``read_meta`` and ``check_workbook``. Only the cells the cell map names are read, within
the map's bounds; nothing is evaluated: a formula in an answer cell is refused, naming the
cell, like a formula anywhere in an imported table.

The same workbook saved by LibreOffice as .ods or by an old Excel as .xls is read too
(``CalamineWorkbook``: python-calamine reads the cells, by position, into the same
``Grid``). The format is found from the bytes, never from the name. An .ods file gets the
checks of an imported .ods (``calamine_tables.scan_ods``: zip bomb, parts, password, the
formula cells, percentages and true/false cells found in its ``content.xml``), within this
module's smaller size limit. An .xls file does not let chainproof tell a formula from a
typed value (calamine gives values only): its answers are read, and the reviewer is told
so in the submission's warnings.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from chainproof.domain.questionnaire.answers import Checked, Issue, check
from chainproof.domain.questionnaire.cell_map import (
    META_SHEET,
    CellMap,
    CellRef,
)
from chainproof.domain.questionnaire.definition import Questionnaire
from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.xlsx import (
    FORMULA_REFUSED,
    OLE_MAGIC,
    ZIP_MAGIC,
    Grid,
    XlsxArchive,
    XlsxRejected,
    check_inflated_size,
    percent_text,
)

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


# The file types a supplier may send the workbook back as (the upload form and the store).
WORKBOOK_TYPES = {
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": (".ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "xls": (".xls", "application/vnd.ms-excel"),
}
XLS_FORMULA_WARNING = (
    "The workbook was sent as .xls, a format in which chainproof cannot tell a formula "
    "from a typed value: the answers read are the values the file holds (a formula's last "
    "result, never recomputed)."
)
MAX_SHEET_FORMULAS = 200  # an .ods scan keeps this many formula cells per sheet


class CalamineWorkbook:
    """An .ods or .xls upload read with python-calamine: the same ``sheet_names``,
    ``grid`` and ``formula_cells`` as ``XlsxArchive``, so every reader here takes either.
    Checked on construction (an .ods file: zip bomb, parts, password and every sheet
    scanned for formulas; an .xls file: no password); a sheet is read when asked for."""

    def __init__(self, data: bytes, source: str, kind: Literal["ods", "xls"]) -> None:
        from chainproof.fileformats.calamine_tables import (
            LOCKED_FOUND,
            is_encrypted_office_file,
            scan_ods,
        )

        self.source = source
        self.kind = kind
        self._data = data
        self._formulas: dict[str, dict[tuple[int, int], str]] = {}
        self._percents: dict[str, set[tuple[int, int]]] = {}
        self._booleans: dict[str, dict[tuple[int, int], bool]] = {}
        self._book: Any = None
        if kind == "ods":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    check_inflated_size(archive.infolist(), source, MAX_WORKBOOK_UNCOMPRESSED)
            except XlsxRejected as exc:
                raise WorkbookRejected(source, exc.reason) from None
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
                raise WorkbookRejected(
                    source, "expected a readable OpenDocument spreadsheet, found a damaged zip file"
                ) from None
            try:
                scans = scan_ods(data, source)
            except TableFileError as exc:
                raise WorkbookRejected(source, _table_reason(exc)) from None
            for scan in scans:
                self._formulas[scan.name] = scan.formulas
                self._percents[scan.name] = scan.percents
                self._booleans[scan.name] = scan.booleans
        elif is_encrypted_office_file(data):
            raise WorkbookRejected(
                source, f"expected a workbook without a password, found {LOCKED_FOUND}"
            )
        self._book = self._open()
        try:
            self.sheet_names: list[str] = list(self._book.sheet_names)
        except Exception:
            self.close()
            raise

    def _open(self) -> Any:
        import python_calamine

        what = (
            "an OpenDocument spreadsheet (.ods)"
            if self.kind == "ods"
            else ("an Excel 97-2003 workbook (.xls)")
        )
        try:
            return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        except Exception as exc:  # calamine's errors are many; each means "not readable"
            raise WorkbookRejected(
                self.source,
                f"expected {what}, found a file that cannot be read as one ({str(exc)[:80]}); "
                "open it and save it as .xlsx",
            ) from None

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> CalamineWorkbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def formula_cells(
        self, limit: int = 10, *, skip: set[str] | frozenset[str] = frozenset()
    ) -> list[str]:
        """Up to ``limit`` cells (Sheet!A1) holding a formula, outside the sheets in
        ``skip`` (an .ods file only: an .xls file does not say)."""
        from chainproof.domain.cellrefs import cell_name

        found: list[str] = []
        for sheet, formulas in self._formulas.items():
            if sheet in skip:
                continue
            found += [f"{sheet}!{cell_name(r, c)}" for r, c in sorted(formulas)]
        return found[:limit]

    def grid(
        self,
        sheet: str,
        *,
        max_rows: int,
        max_columns: int,
        beyond: Literal["skip"] = "skip",
    ) -> Grid:
        """The values of ``sheet`` within ``max_rows`` x ``max_columns`` (the rest is
        passed over), as ``XlsxArchive.grid`` gives them: numbers, text, dates, true/false;
        an .ods percentage as its text ("12.5%"); a formula cell's value None."""
        if sheet not in self.sheet_names:
            raise KeyError(sheet)
        if self._book is None:
            raise ValueError("the workbook is closed")
        formulas = self._formulas.get(sheet, {})
        if len(formulas) >= MAX_SHEET_FORMULAS and sheet != CHECKER_SHEET:
            raise WorkbookRejected(
                self.source,
                f"expected typed values on the sheet {sheet}, found {len(formulas)} or more "
                "formulas",
            )
        percents = self._percents.get(sheet, set())
        booleans = self._booleans.get(sheet, {})
        try:
            found = self._book.get_sheet_by_name(sheet)
            values = found.to_python(skip_empty_area=False, nrows=max_rows)
        except Exception as exc:
            raise WorkbookRejected(
                self.source, f"expected a readable sheet {sheet}, found ({str(exc)[:80]})"
            ) from None
        rows: list[list[Any]] = []
        kept: dict[tuple[int, int], str] = {}
        for number, line in enumerate(values[:max_rows], start=1):
            cells: list[Any] = []
            for column, value in enumerate(line[:max_columns], start=1):
                where = (number, column)
                if where in formulas:
                    kept[where] = formulas[where]
                    cells.append(None)
                else:
                    cells.append(_cell(value, where in percents, booleans.get(where)))
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        return Grid(sheet, rows, kept)


def _cell(value: Any, percent: bool, boolean: bool | None) -> Any:
    if value is None or value == "":
        return None
    if boolean is not None:
        return boolean
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return percent_text(value) if percent else value
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _table_reason(exc: TableFileError) -> str:
    error = exc.errors[0] if exc.errors else None
    if error is None:
        return str(exc)
    where = f" (sheet {error.sheet})" if error.sheet else ""
    return f"expected {error.expected}, found {error.found}{where}"


Workbook = XlsxArchive | CalamineWorkbook


def workbook_kind(data: bytes) -> str:
    """ "xlsx", "ods" or "xls" from the bytes (whatever the file's name says), or ""."""
    if data.startswith(ZIP_MAGIC):
        from chainproof.fileformats.calamine_tables import is_ods

        return "ods" if is_ods(data) else "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    return ""


def open_workbook(data: bytes, source: str) -> Workbook:
    """The upload (.xlsx, .ods or .xls, found from its bytes), opened and checked once;
    pass it to every reader below."""
    kind = workbook_kind(data)
    if kind in ("ods", "xls"):
        return CalamineWorkbook(data, source, "ods" if kind == "ods" else "xls")
    if not kind:
        raise WorkbookRejected(
            source, "expected a workbook (.xlsx, .ods or .xls), found another kind of file"
        )
    try:
        return XlsxArchive(data, source, max_uncompressed=MAX_WORKBOOK_UNCOMPRESSED)
    except XlsxRejected as exc:
        raise WorkbookRejected(source, exc.reason) from None


def formulas_note(archive: Workbook, checkers: frozenset[str] = frozenset()) -> str:
    """A warning for the reviewer when the workbook as sent holds formulas outside the
    Checker sheet ('' when it holds none). They were never evaluated and are never written
    again into a workbook chainproof makes; the stored original keeps them. An .xls file
    cannot say: the warning says so."""
    if isinstance(archive, CalamineWorkbook) and archive.kind == "xls":
        return XLS_FORMULA_WARNING
    found = archive.formula_cells(11, skip={CHECKER_SHEET, *checkers})
    if not found:
        return ""
    return (
        f"The workbook as sent holds formulas ({', '.join(found[:10])}"
        + (", ..." if len(found) > 10 else "")
        + "). chainproof read only the typed answers and never evaluates formulas; the stored "
        "original keeps them, so open that file with care."
    )


def sheet_names(archive: Workbook) -> list[str]:
    return archive.sheet_names


def _grid(archive: Workbook, sheet: str, max_rows: int, max_columns: int) -> Grid:
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


def read_meta(archive: Workbook) -> dict[str, str]:
    """The hidden identification sheet's key/value rows ({} when it is not chainproof's)."""
    if META_SHEET not in archive.sheet_names:
        return {}
    meta = {}
    for line in _grid(archive, META_SHEET, META_MAX_ROWS, 2).rows:
        if len(line) >= 2 and line[0] not in (None, ""):
            meta[str(line[0])] = "" if line[1] is None else str(line[1])
    return meta if meta.get("format") == META_MARK else {}


def read_answers(archive: Workbook, layout: CellMap) -> ReadResult:
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
    archive: Workbook,
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
