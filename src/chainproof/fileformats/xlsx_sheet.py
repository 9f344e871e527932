"""Reading one worksheet of a checked ``XlsxArchive`` into a bounded grid: the expat
handlers, shared strings resolved for the cells kept, dates by their number format, and
the scan that names formula cells without keeping anything (see ``xlsx.py`` for the
policy)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chainproof.domain.cellrefs import MAX_SHEET_COLUMNS, cell_name, parse_ref
from chainproof.fileformats.xlsx import (
    MAX_CELL_CHARS,
    MAX_GRID_CHARS,
    Grid,
    XlsxRejected,
    _from_serial,
    _int,
    _xml_stream,
    percent_text,
)

if TYPE_CHECKING:
    from chainproof.fileformats.xlsx import XlsxArchive


@dataclass(frozen=True, slots=True)
class _Shared:
    """A shared-string cell, resolved once the sheet has been read."""

    index: int


class SheetReader:
    """The expat handlers that turn one worksheet's XML into a bounded grid."""

    def __init__(
        self,
        archive: XlsxArchive,
        sheet: str,
        max_rows: int,
        max_columns: int,
        beyond: str,
        max_values: int | None = None,
    ) -> None:
        self.archive = archive
        self.sheet = sheet
        self.max_rows = max_rows
        self.max_columns = min(max_columns, MAX_SHEET_COLUMNS)
        self.beyond = beyond
        self.max_values = max_values
        self.kept = 0
        self.skipped = 0
        self.chars = 0
        # row -> [column, value, column, value, ...]: a flat list per row costs a third
        # of a dict (a sheet of half a million one-cell rows stays near 100 MB)
        self.cells: dict[int, list[Any]] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.cached: dict[tuple[int, int], Any] = {}
        self.row = 0
        self.column = 0
        self.kind = ""
        self.style = 0
        self.target: list[str] | None = None
        self.value: list[str] = []
        self.inline: list[str] = []
        self.formula: list[str] | None = None
        self.in_rph = 0
        self.length = 0

    def _reject(self, expected: str, found: str) -> XlsxRejected:
        return XlsxRejected(self.archive.source, expected, found)

    def read(self, part: str) -> Grid:
        _xml_stream(self.archive._zip, part, self.archive.source, self.start, self.end, self.text)
        self._resolve_shared()
        rows: list[list[Any]] = []
        for number in sorted(self.cells):
            while len(rows) < number - 1:
                rows.append([])
            pairs = self.cells.pop(number)  # freed as it is copied: never both in memory
            line: list[Any] = [None] * max(pairs[0::2])
            for index in range(0, len(pairs), 2):
                line[pairs[index] - 1] = pairs[index + 1]
            rows.append(line)
        for where, value in self.cached.items():
            if isinstance(value, _Shared):  # never written by Excel for a result; dropped
                self.cached[where] = None
        return Grid(self.sheet, rows, self.formulas, self.skipped, self.cached)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                try:
                    self.row, self.column = parse_ref(ref)
                except ValueError:
                    raise self._reject("cell references such as B12", repr(ref[:20])) from None
            else:
                self.column += 1
            self.kind = attrs.get("t", "n")
            self.style = _int(attrs.get("s"))
            self.value, self.inline, self.formula = [], [], None
            self.length = 0
        elif tag == "row":
            number = attrs.get("r")
            self.row = _int(number) if number else self.row + 1
            self.column = 0
        elif tag == "v":
            self.target = self.value
        elif tag == "f":
            self.formula = []
            self.target = self.formula
        elif tag == "rPh":
            self.in_rph += 1
        elif tag == "t" and not self.in_rph:
            self.target = self.inline

    def end(self, tag: str) -> None:
        if tag in ("v", "f", "t"):
            self.target = None
        elif tag == "rPh":
            self.in_rph -= 1
        elif tag == "c":
            self._cell()

    def text(self, chars: str) -> None:
        if self.target is not None:
            self.target.append(chars)
            self.length += len(chars)
            if self.length > MAX_CELL_CHARS:
                raise self._too_long()

    def _resolve_shared(self) -> None:
        wanted = {
            value.index
            for pairs in self.cells.values()
            for value in pairs[1::2]
            if isinstance(value, _Shared)
        }
        if not wanted:
            return
        strings = self.archive._strings_at(wanted)
        for row, pairs in self.cells.items():
            for index in range(1, len(pairs), 2):
                value, column = pairs[index], pairs[index - 1]
                if isinstance(value, _Shared):
                    if value.index not in strings:
                        raise self._reject(
                            "a readable .xlsx workbook",
                            f"a missing shared string in {self.sheet}!{cell_name(row, column)}",
                        )
                    pairs[index] = strings[value.index]
                    self._count_chars(pairs[index], row, column)

    def _count_chars(self, value: str, row: int, column: int) -> None:
        self.chars += len(value)
        if self.chars > MAX_GRID_CHARS:
            raise self._reject(
                f"at most {MAX_GRID_CHARS:,} characters of text on the sheet {self.sheet}",
                f"more (by {cell_name(row, column)}); split the file or save it as CSV",
            )

    def _too_long(self) -> XlsxRejected:
        return self._reject(
            f"cells of at most {MAX_CELL_CHARS:,} characters",
            f"a longer one in {self.sheet}!{cell_name(self.row, self.column)}",
        )

    def _cell(self) -> None:
        value = self._resolve()
        if self.formula is None and value in (None, ""):
            return
        if self.row < 1 or self.row > self.max_rows or self.column > self.max_columns:
            if self.beyond == "skip":
                self.skipped += 1
                return
            raise self._reject(
                f"at most {self.max_rows:,} rows and {self.max_columns:,} columns on the sheet "
                f"{self.sheet}",
                f"a value in {cell_name(max(self.row, 1), self.column)}",
            )
        self.kept += 1
        if self.max_values is not None and self.kept > self.max_values:
            raise self._reject(
                f"at most {self.max_values:,} values on the sheet {self.sheet}",
                f"more (the {self.kept:,}th is in {cell_name(self.row, self.column)}); "
                "split the file or save it as CSV",
            )
        if self.formula is not None:
            self.formulas[(self.row, self.column)] = "=" + "".join(self.formula)
            if value not in (None, ""):
                self.cached[(self.row, self.column)] = value
            value = None
        if isinstance(value, str):
            self._count_chars(value, self.row, self.column)
        self.cells.setdefault(self.row, []).extend((self.column, value))

    def _resolve(self) -> Any:
        raw = "".join(self.value)
        kind = self.kind
        if kind == "inlineStr":
            return "".join(self.inline)
        if raw == "":
            return None
        if kind == "s":
            index = _int(raw)
            if index < 0:
                raise self._reject(
                    "a readable .xlsx workbook",
                    f"a missing shared string in {self.sheet}!{cell_name(self.row, self.column)}",
                )
            return _Shared(index)
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip().removesuffix("Z"))
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError:
            return raw
        if number != number or number in (float("inf"), float("-inf")):
            return raw
        if self.style in self.archive._dates():
            return _from_serial(number, self.archive.date1904)
        if self.style in self.archive._percents():
            return percent_text(number)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number


class FormulaScan(SheetReader):
    """Streams a sheet noting where its formulas are; keeps no value."""

    def __init__(self, archive: XlsxArchive, sheet: str, found: list[str], limit: int) -> None:
        super().__init__(archive, sheet, 0, 0, "skip")
        self.found = found
        self.limit = limit

    def scan(self, part: str) -> None:
        with contextlib.suppress(_Enough):
            _xml_stream(
                self.archive._zip, part, self.archive.source, self.start, self.end, self.text
            )

    def _cell(self) -> None:
        if self.formula is not None:
            self.found.append(f"{self.sheet}!{cell_name(max(self.row, 1), max(self.column, 1))}")
            if len(self.found) >= self.limit:
                raise _Enough


class RowCount(SheetReader):
    """Streams a sheet counting the rows that hold a value or a formula; keeps no value."""

    def __init__(self, archive: XlsxArchive, sheet: str) -> None:
        super().__init__(archive, sheet, 0, 0, "skip")
        self.rows: set[int] = set()

    def count(self, part: str) -> int:
        _xml_stream(self.archive._zip, part, self.archive.source, self.start, self.end, self.text)
        return len(self.rows)

    def _cell(self) -> None:
        if self.formula is not None or self._resolve() not in (None, ""):
            self.rows.add(self.row)


class _Enough(Exception):
    """Enough formulas found to refuse the file."""
