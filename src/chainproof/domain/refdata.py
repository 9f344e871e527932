"""Reference datasets: the column layout of each kind and the validation of every row.

A file is read whole, validated whole, and only then handed to the database layer;
a single bad row means nothing loads. Every problem is reported with its row number
(the header is row 1), its column, what was expected and what was found.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "header"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: expected {self.expected}, found {self.found!r}"


class DatasetFileError(Exception):
    """The file as a whole cannot be loaded; ``errors`` says why, row by row."""

    def __init__(self, source: str, errors: list[RowError], *, total: int | None = None) -> None:
        self.source = source
        self.errors = errors
        self.total = total if total is not None else len(errors)
        first = "; ".join(str(e) for e in errors[:3])
        more = f" (and {self.total - 3} more)" if self.total > 3 else ""
        super().__init__(f"{source}: {first}{more}")


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True
    is_list: bool = False


@dataclass(frozen=True)
class DatasetKind:
    """A kind of reference dataset: its identity, title and column layout."""

    code: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    country_columns: tuple[str, ...] = ()
    checks: tuple[Callable[[dict[str, Any]], list[tuple[str, str, str]]], ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# --- cell parsers ------------------------------------------------------------------------


def text(value: str) -> str:
    if len(value) > MAX_FIELD_CHARS:
        raise FieldError(f"text of at most {MAX_FIELD_CHARS} characters")
    return value


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError("a date as YYYY-MM-DD") from None


def whole_number(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        if not re.fullmatch(r"-?\d{1,12}", value):
            raise FieldError(f"a whole number from {low} to {high}")
        number = int(value)
        if not low <= number <= high:
            raise FieldError(f"a whole number from {low} to {high}")
        return number

    return parse


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    raise FieldError("true or false")


def one_of(*choices: str) -> Parser:
    def parse(value: str) -> str:
        if value not in choices:
            raise FieldError("one of " + ", ".join(choices))
        return value

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


def list_column(name: str, separator: str, *, required: bool = True) -> Column:
    return Column(name, split_list(separator), required=required, is_list=True)


ISO2 = code(r"[A-Z]{2}", "a two-letter country code (ISO 3166-1 alpha-2)")


# --- cross-column checks -----------------------------------------------------------------

TIER_CODES = {"Tier 1": "T1", "Tier 2": "T2", "Tier 2 Watch List": "T2WL", "Tier 3": "T3"}


def _tier_code_agrees(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    expected = TIER_CODES.get(row["tier"])
    if expected and row["tier_code"] != expected:
        return [("tier_code", f"{expected} for {row['tier']}", row["tier_code"])]
    return []


def _seen_dates_ordered(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    first, last = row.get("first_seen_date"), row.get("last_seen_date")
    if first and last and last < first:
        return [("last_seen_date", f"a date on or after {first}", last.isoformat())]
    return []


# --- the kinds ---------------------------------------------------------------------------

COUNTRIES = DatasetKind(
    code="countries",
    title="Countries (ISO 3166-1)",
    description="Country codes and names, with UN M49 region and sub-region.",
    columns=(
        Column("name", text),
        Column("official_name_en", text, required=False),
        Column("alpha2", ISO2),
        Column("alpha3", code(r"[A-Z]{3}", "a three-letter code (ISO 3166-1 alpha-3)")),
        Column("numeric", code(r"\d{3}", "a three-digit numeric code"), required=False),
        Column("region", text, required=False),
        Column("sub_region", text, required=False),
        Column("is_independent", text, required=False),
        Column("code_status", one_of("iso", "user-assigned", "withdrawn")),
    ),
    key=("alpha2",),
)

TIP_TIERS = DatasetKind(
    code="tip_tiers",
    title="TIP Report tier placements",
    description="US State Department Trafficking in Persons Report: tier of each country, "
    "by report year.",
    columns=(
        Column("report_year", whole_number(2000, 2100)),
        Column("country_name_source", text),
        Column("iso2", ISO2),
        Column("iso3", text, required=False),
        Column("tier", one_of(*TIER_CODES)),
        Column("tier_code", one_of(*TIER_CODES.values())),
        Column("source", text, required=False),
        Column("year_coverage", text, required=False),
        Column("note", text, required=False),
    ),
    key=("report_year", "iso2"),
    country_columns=("iso2",),
    checks=(_tier_code_agrees,),
)

DOL_GOODS = DatasetKind(
    code="dol_goods",
    title="DOL List of Goods Produced by Child Labor or Forced Labor",
    description="US Department of Labor (ILAB) TVPRA List: good and country pairs, with the "
    "kind of exploitation and, for downstream goods, the exploited input's country.",
    columns=(
        Column("good", text),
        Column("sector", text, required=False),
        Column("country_name_source", text),
        Column("iso2", ISO2),
        Column("region", text, required=False),
        Column("child_labor", boolean),
        Column("forced_labor", boolean),
        Column("forced_child_labor", boolean),
        Column("derived_from_exploited_input", boolean),
        Column("input_country_name", text, required=False),
        Column("input_country_iso2", ISO2, required=False),
    ),
    key=("good", "iso2", "input_country_iso2"),
    country_columns=("iso2", "input_country_iso2"),
)

CBP_WRO_FINDINGS = DatasetKind(
    code="cbp_wro_findings",
    title="CBP Withhold Release Orders and Findings",
    description="Section 307 orders: detention (WRO) or seizure (Finding) of named "
    "merchandise from named entities or countries.",
    columns=(
        Column("effective_date", iso_date),
        Column("country_name_source", text),
        Column("iso2", ISO2, required=False),
        Column("status", text),
        Column("type", one_of("WRO", "Finding")),
        Column("entity", text),
        list_column("aliases", "|", required=False),
        Column("industry", text, required=False),
        Column("merchandise", text),
        Column("remarks", text, required=False),
    ),
    country_columns=("iso2",),
)

UFLPA_ENTITY_LIST = DatasetKind(
    code="uflpa_entity_list",
    title="UFLPA Entity List",
    description="DHS list of entities under UFLPA section 2(d)(2)(B); goods they make are "
    "presumed made with forced labor.",
    columns=(
        Column("section", one_of("i", "ii", "iii", "iv", "v")),
        Column("section_description", text),
        Column("entity_as_published", text),
        Column("primary_name", text),
        list_column("aliases", "|", required=False),
        Column("effective_date_as_published", text, required=False),
        Column("effective_date", iso_date),
        Column("iso2", ISO2, required=False),
    ),
    key=("section", "primary_name"),
    country_columns=("iso2",),
)

OFAC_SDN_DPRK = DatasetKind(
    code="ofac_sdn_dprk",
    title="OFAC SDN list: North Korea programs",
    description="Specially Designated Nationals carrying a DPRK sanctions program tag, with "
    "their alternate names.",
    columns=(
        Column("ent_num", whole_number(1, 10**9)),
        Column("name", text),
        Column("type", one_of("entity", "individual", "vessel", "aircraft")),
        list_column("programs", ";"),
        list_column("dprk_programs", ";"),
        list_column("alternate_names", "|", required=False),
    ),
    key=("ent_num",),
)

DPRK_OVERSEAS_LABOR = DatasetKind(
    code="dprk_overseas_labor",
    title="North Korean overseas labor: host countries",
    description="Statements, from TIP Report summaries, that North Korean nationals work in "
    "a country or region. Incomplete by nature; organizations can add their own.",
    columns=(
        Column("host_country_or_region", text),
        Column("iso2", ISO2, required=False),
        Column("sectors_as_stated", text, required=False),
        Column("excerpt_verbatim", text),
        Column("tip_report_year_tag", whole_number(2000, 2100), required=False),
        Column("factbook_file", text, required=False),
        Column("factbook_commit_first_seen", text, required=False),
        Column("first_seen_date", iso_date, required=False),
        Column("last_seen_date", iso_date, required=False),
        Column("note", text, required=False),
    ),
    country_columns=("iso2",),
    checks=(_seen_dates_ordered,),
)

ILO_INDICATORS = DatasetKind(
    code="ilo_indicators",
    title="ILO indicators of forced labour",
    description="The eleven indicators of the ILO Special Action Programme to Combat Forced "
    "Labour (2012); descriptions are chainproof's paraphrases.",
    columns=(
        Column("indicator_number", whole_number(1, 99)),
        Column("indicator", text),
        Column("description_paraphrased", text),
    ),
    key=("indicator_number",),
)

KINDS: dict[str, DatasetKind] = {
    kind.code: kind
    for kind in (
        COUNTRIES,
        TIP_TIERS,
        DOL_GOODS,
        CBP_WRO_FINDINGS,
        UFLPA_ENTITY_LIST,
        OFAC_SDN_DPRK,
        DPRK_OVERSEAS_LABOR,
        ILO_INDICATORS,
    )
}


def get_kind(code_: str) -> DatasetKind:
    try:
        return KINDS[code_]
    except KeyError:
        raise ValueError(
            f"unknown dataset kind {code_!r}; expected one of {', '.join(sorted(KINDS))}"
        ) from None


# --- reading and validating a file -------------------------------------------------------


def decode_csv(data: bytes, source: str) -> str:
    """Decode a CSV file as UTF-8 (a BOM is allowed), refusing anything else."""
    if not data.strip():
        raise DatasetFileError(source, [RowError(0, "", "a CSV file with a header row", "")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DatasetFileError(
            source,
            [
                RowError(
                    line,
                    "",
                    "UTF-8 text",
                    f"byte 0x{data[exc.start]:02x} at offset {exc.start} (save the file as UTF-8)",
                )
            ],
        ) from None


def validate_csv(
    kind: DatasetKind,
    data: bytes,
    *,
    source: str,
    known_countries: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Parse and validate a whole CSV file; return its rows or raise DatasetFileError."""
    content = decode_csv(data, source)
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise DatasetFileError(source, [RowError(1, "", "a CSV header row", str(exc))]) from None
    header = [h.strip() for h in header]
    header_errors = check_header(kind, header)
    if header_errors:
        raise DatasetFileError(source, header_errors)

    def records() -> Iterable[tuple[int, Mapping[str, str]]]:
        try:
            for index, cells in enumerate(reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    yield index, {"__width__": str(len(cells))}
                    continue
                yield index, dict(zip(header, cells, strict=True))
        except csv.Error as exc:
            raise DatasetFileError(
                source, [RowError(reader.line_num, "", "well-formed CSV", str(exc))]
            ) from None

    return validate_records(
        kind, records(), source=source, known_countries=known_countries, width=len(header)
    )


def check_header(kind: DatasetKind, header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, "each column once", f"{name} twice"))
        seen.add(name)
    missing = [name for name in kind.column_names if name not in seen]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                f"the columns of {kind.code}: {', '.join(kind.column_names)}",
                "header without " + ", ".join(missing),
            )
        )
    return errors


def validate_records(
    kind: DatasetKind,
    records: Iterable[tuple[int, Mapping[str, str]]],
    *,
    source: str,
    known_countries: Collection[str] | None = None,
    width: int | None = None,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    total_errors = 0
    keys: dict[tuple[Any, ...], int] = {}

    def add(error: RowError) -> None:
        nonlocal total_errors
        total_errors += 1
        if len(errors) < MAX_ERRORS_REPORTED:
            errors.append(error)

    count = 0
    for line, record in records:
        count += 1
        if "__width__" in record:
            add(RowError(line, "", f"{width} cells", f"{record['__width__']} cells"))
            continue
        row, row_errors = _validate_row(kind, line, record, known_countries)
        for error in row_errors:
            add(error)
        if row_errors:
            continue
        if kind.key:
            key = tuple(row[name] for name in kind.key)
            if key in keys:
                add(
                    RowError(
                        line,
                        ", ".join(kind.key),
                        f"a unique {'+'.join(kind.key)} (row {keys[key]} has the same)",
                        " / ".join(str(k) for k in key),
                    )
                )
                continue
            keys[key] = line
        rows.append(row)
    if count == 0:
        add(RowError(2, "", "at least one data row", "no rows after the header"))
    if errors:
        raise DatasetFileError(source, errors, total=total_errors)
    return rows


def _validate_row(
    kind: DatasetKind,
    line: int,
    record: Mapping[str, str],
    known_countries: Collection[str] | None,
) -> tuple[dict[str, Any], list[RowError]]:
    row: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in kind.columns:
        raw = (record.get(column.name) or "").strip()
        if raw == "":
            if column.required:
                errors.append(RowError(line, column.name, "a value", ""))
            row[column.name] = [] if column.is_list else None
            continue
        try:
            value = column.parse(raw)
        except FieldError as exc:
            errors.append(RowError(line, column.name, exc.expected, _clip(raw)))
            continue
        if (
            known_countries is not None
            and column.name in kind.country_columns
            and value not in known_countries
        ):
            errors.append(RowError(line, column.name, "a country code in the countries data", raw))
            continue
        row[column.name] = value
    if not errors:
        for check in kind.checks:
            for column_name, expected, found in check(row):
                errors.append(RowError(line, column_name, expected, found))
    return row, errors


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
