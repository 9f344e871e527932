"""Validating tables (rows read from CSV or XLSX files) against a set of columns.

A file is read whole (``chainproof.fileformats.tables``), validated whole here, and only
then handed to the database layer; a single bad row means nothing is stored. Every
problem is reported with its sheet, its row number (the header is row 1), its column,
what was expected and what was found. Nothing here reads a file: rows arrive as plain
strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from chainproof.domain.countries import CountryError, resolve_country

MAX_FIELD_CHARS = 20_000
MAX_ERRORS_REPORTED = 200


class FieldError(ValueError):
    """A cell's value is not what its column expects."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    expected: str
    found: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.sheet:
            where = f"sheet {self.sheet}, {where}"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: expected {self.expected}, found {self.found!r}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "expected": self.expected,
            "found": self.found,
        }


class TableFileError(Exception):
    """The file as a whole cannot be used; ``errors`` says why, row by row."""

    def __init__(self, source: str, errors: list[RowError], *, total: int | None = None) -> None:
        self.source = source
        self.errors = errors
        self.total = total if total is not None else len(errors)
        first = "; ".join(str(e) for e in errors[:3])
        more = f" (and {self.total - 3} more)" if self.total > 3 else ""
        super().__init__(f"{source}: {first}{more}")


Parser = Callable[[str], Any]
Check = Callable[[dict[str, Any]], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True
    is_list: bool = False
    help: str = ""
    example: str = ""


@dataclass(frozen=True, kw_only=True)
class ColumnSet:
    """The columns of a table (a CSV file or a sheet), its unique key, which columns hold
    country codes, and checks that look at a whole row."""

    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    country_columns: tuple[str, ...] = ()
    checks: tuple[Check, ...] = field(default=())
    # Columns whose value may have lost a leading zero when the cell held a number (tax
    # ids, postal codes): such a cell is a problem for a person to check, with this note.
    zero_sensitive: tuple[str, ...] = ()
    number_note: Callable[[str, str], str | None] | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --- cell parsers ------------------------------------------------------------------------


def text(value: str) -> str:
    if len(value) > MAX_FIELD_CHARS:
        raise FieldError(f"text of at most {MAX_FIELD_CHARS} characters")
    return value


def short_text(limit: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise FieldError(f"text of at most {limit} characters")
        return value

    return parse


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value[:10] if re.match(r"\d{4}-\d\d-\d\d[ T]", value) else value)
    except ValueError:
        raise FieldError("a date as YYYY-MM-DD") from None


def whole_number(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        cleaned = value[:-2] if value.endswith(".0") else value
        if not re.fullmatch(r"-?\d{1,12}", cleaned):
            raise FieldError(f"a whole number from {low} to {high}")
        number = int(cleaned)
        if not low <= number <= high:
            raise FieldError(f"a whole number from {low} to {high}")
        return number

    return parse


def decimal_number(low: Decimal, high: Decimal, places: int = 6) -> Parser:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value.replace(",", "")) if value.strip() else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not low <= number <= high:
            raise FieldError(f"a number from {low} to {high}")
        return round(number, places)

    return parse


# Yes and no as lists write them: English, a mark in a tick column ("x", "✓"), and the words
# of the languages whose lists chainproof reads (German, Spanish, French, Turkish,
# Vietnamese, Chinese).
_YES = frozenset(
    {"true", "yes", "1", "y", "x", "✓", "✔", "ja", "sí", "si", "oui", "evet", "có", "是", "有"}
)
_NO = frozenset({"false", "no", "0", "n", "nein", "non", "hay\u0131r", "không", "否", "无", "無"})


def boolean(value: str) -> bool:
    lowered = value.strip().casefold()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise FieldError("true or false (yes or no)")


def one_of(*choices: str, case_insensitive: bool = False) -> Parser:
    folded = {c.casefold(): c for c in choices}

    def parse(value: str) -> str:
        if value in choices:
            return value
        if case_insensitive and value.casefold() in folded:
            return folded[value.casefold()]
        raise FieldError("one of " + ", ".join(choices))

    return parse


def code(pattern: str, description: str) -> Parser:
    compiled = re.compile(pattern)

    def parse(value: str) -> str:
        if not compiled.fullmatch(value):
            raise FieldError(description)
        return value

    return parse


def split_list(separator: str) -> Parser:
    def parse(value: str) -> list[str]:
        text(value)
        return [part.strip() for part in value.split(separator) if part.strip()]

    return parse


def many_of(choices: tuple[str, ...], separator: str = "|") -> Parser:
    def parse(value: str) -> list[str]:
        items = [part.strip().lower() for part in value.split(separator) if part.strip()]
        unknown = [item for item in items if item not in choices]
        if unknown:
            raise FieldError(f"values from {', '.join(choices)} separated by '{separator}'")
        return list(dict.fromkeys(items))

    return parse


def list_column(name: str, separator: str, *, required: bool = True, help: str = "") -> Column:
    return Column(name, split_list(separator), required=required, is_list=True, help=help)


ISO2 = code(r"[A-Z]{2}", "a two-letter country code (ISO 3166-1 alpha-2)")


def country_code(value: str) -> str:
    """A country as its alpha-2 code: a code or a name (chainproof.domain.countries), read
    against every ISO country here and against the known countries in ``_validate_row``."""
    try:
        return resolve_country(value, None)
    except CountryError as exc:
        raise FieldError(exc.expected) from None


# --- tables as read ------------------------------------------------------------------------

Record = tuple[int, Mapping[str, str]]
WIDTH_MARK = "__width__"
# A record's cells that the file stored as numbers, not text: field names joined by tabs.
NUMERIC_MARK = "__numeric__"
NUMBER_HINT = (
    " (the cell held a number, not text: a spreadsheet may have changed what was typed, "
    "e.g. dropped a leading zero; format the column as text and type it again)"
)
SPREADSHEET_DIGITS = 15  # Excel and LibreOffice keep 15 significant digits of a number


@dataclass
class Sheet:
    """A header and the data rows of one sheet (or one CSV file)."""

    name: str
    header: list[str]
    records: Iterable[Record]


# --- validation --------------------------------------------------------------------------


def check_header(spec: ColumnSet, header: list[str], sheet: str = "") -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, "each column once", f"{name} twice", sheet))
        seen.add(name)
    required = [c.name for c in spec.columns if c.required]
    missing = [name for name in required if name not in seen]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                "the columns " + ", ".join(spec.column_names),
                "header without " + ", ".join(missing),
                sheet,
            )
        )
    return errors


def validate_sheet(
    spec: ColumnSet,
    table: Sheet,
    *,
    source: str,
    known_countries: Collection[str] | None = None,
    allow_missing_optional: bool = False,
) -> list[tuple[int, dict[str, Any]]]:
    """Validate the header and every row; return (row number, typed row) or raise."""
    errors = check_header(spec, table.header, table.name)
    if not allow_missing_optional:
        missing = [name for name in spec.column_names if name not in table.header]
        if missing and not errors:
            errors.append(
                RowError(
                    1,
                    ", ".join(missing),
                    "the columns " + ", ".join(spec.column_names),
                    "header without " + ", ".join(missing),
                    table.name,
                )
            )
    if errors:
        raise TableFileError(source, errors)
    return validate_records(
        spec,
        table.records,
        source=source,
        known_countries=known_countries,
        width=len(table.header),
        sheet=table.name,
    )


def validate_records(
    spec: ColumnSet,
    records: Iterable[Record],
    *,
    source: str,
    known_countries: Collection[str] | None = None,
    width: int | None = None,
    sheet: str = "",
) -> list[tuple[int, dict[str, Any]]]:
    """Every row typed, or TableFileError with the problems of all rows."""
    checked = check_records(
        spec, records, known_countries=known_countries, width=width, sheet=sheet
    )
    if checked.errors:
        raise TableFileError(source, checked.errors, total=checked.total_errors)
    return checked.rows


@dataclass
class CheckedRecords:
    """Rows that passed (row number, typed row) and the problems of the others."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: dict[int, list[RowError]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_REPORTED
    total_errors: int = 0
    count: int = 0
    # The rows with a problem, as far as they were typed (the cells that failed left out),
    # so that what else is wrong with them can be found before a person fixes the first.
    partial: dict[int, dict[str, Any]] = field(default_factory=dict)

    def add(self, error: RowError) -> None:
        self.total_errors += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            self.errors.append(error)
        self.problems.setdefault(error.row, []).append(error)


def check_records(
    spec: ColumnSet,
    records: Iterable[Record],
    *,
    known_countries: Collection[str] | None = None,
    width: int | None = None,
    sheet: str = "",
) -> CheckedRecords:
    """Type every row; a row with a problem is left out and its problems kept by row."""
    out = CheckedRecords()
    keys: dict[tuple[Any, ...], int] = {}
    plan = _column_plan(spec)
    for line, record in records:
        out.count += 1
        if WIDTH_MARK in record:
            out.add(RowError(line, "", f"{width} cells", f"{record[WIDTH_MARK]} cells", sheet))
            continue
        row, row_errors = _validate_row(spec, line, record, known_countries, sheet, plan)
        for error in row_errors:
            out.add(error)
        if row_errors:
            out.partial[line] = row
            continue
        key = tuple(_key_part(row[name]) for name in spec.key)
        if any(part not in (None, "") for part in key):
            if key in keys:
                out.add(
                    RowError(
                        line,
                        ", ".join(spec.key),
                        f"a unique {'+'.join(spec.key)} (row {keys[key]} has the same)",
                        " / ".join(str(row[name]) for name in spec.key),
                        sheet,
                    )
                )
                continue
            keys[key] = line
        out.rows.append((line, row))
    if out.count == 0:
        out.add(RowError(2, "", "at least one data row", "no rows after the header", sheet))
    return out


def _key_part(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


_ColumnPlan = tuple[str, Parser, bool, bool, bool, bool]


@dataclass(frozen=True)
class _RowPlan:
    """The columns as the row loop reads them. A row holds only the cells it fills (most
    of a wide layout is empty in most rows), so the loop visits those and starts from a
    row with every column empty."""

    by_name: Mapping[str, _ColumnPlan]  # name, parser, required, a list, zeros, a country
    empty: Mapping[str, Any]  # every column, empty ([] for a list)
    required: tuple[str, ...]
    order: Mapping[str, int]  # the layout's order, in which a row's problems are listed


def _column_plan(spec: ColumnSet) -> _RowPlan:
    columns = [
        (
            c.name,
            c.parse,
            c.required,
            c.is_list,
            c.name in spec.zero_sensitive,
            c.name in spec.country_columns,
        )
        for c in spec.columns
    ]
    return _RowPlan(
        by_name={c[0]: c for c in columns},
        empty={c[0]: [] if c[3] else None for c in columns},
        required=tuple(c[0] for c in columns if c[2]),
        order={c[0]: i for i, c in enumerate(columns)},
    )


def _validate_row(
    spec: ColumnSet,
    line: int,
    record: Mapping[str, str],
    known_countries: Collection[str] | None,
    sheet: str,
    plan: _RowPlan | None = None,
) -> tuple[dict[str, Any], list[RowError]]:
    plan = plan or _column_plan(spec)
    row: dict[str, Any] = dict(plan.empty)
    errors: list[RowError] = []
    marked = record.get(NUMERIC_MARK)
    numeric = set(marked.split("\t")) - {""} if marked else _NO_NUMBERS
    columns = plan.by_name
    for name in plan.required:
        raw = record.get(name)
        if not raw or not raw.strip():
            errors.append(RowError(line, name, "a value", "", sheet))
    for name, raw in record.items():
        column = columns.get(name)
        if column is None or not raw:
            continue
        raw = raw.strip()
        if not raw:
            continue
        _, parse, _, _, zero_sensitive, country = column
        in_numbers = name in numeric
        if in_numbers and raw.isdigit() and len(raw.lstrip("0")) > SPREADSHEET_DIGITS:
            errors.append(
                RowError(
                    line,
                    name,
                    f"text (a number of {len(raw)} digits is more than the "
                    f"{SPREADSHEET_DIGITS} a spreadsheet keeps: the last digits were lost; "
                    "format the column as text and type it again)",
                    clip(raw),
                    sheet,
                )
            )
            continue
        try:
            value = parse(raw)
        except FieldError as exc:
            hint = (
                NUMBER_HINT
                if in_numbers and "format the column as text" not in exc.expected
                else ""
            )
            errors.append(RowError(line, name, exc.expected + hint, clip(raw), sheet))
            continue
        if in_numbers and zero_sensitive:
            note = spec.number_note(name, raw) if spec.number_note else None
            if note:
                errors.append(RowError(line, name, f"text ({note})", clip(raw), sheet))
                continue
        if country and known_countries is not None:
            try:
                value = resolve_country(str(value), known_countries)
            except CountryError as exc:
                errors.append(RowError(line, name, exc.expected, clip(raw), sheet))
                continue
        row[name] = value
    if len(errors) > 1:
        errors.sort(key=lambda e: plan.order[e.column])  # one per column, in layout order
    if not errors:
        for check in spec.checks:
            for column_name, expected, found in check(row):
                errors.append(RowError(line, column_name, expected, found, sheet))
    return row, errors


_NO_NUMBERS: frozenset[str] = frozenset()


def clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
