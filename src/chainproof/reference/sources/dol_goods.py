"""DOL ILAB's List of Goods Produced by Child Labor or Forced Labor, as the download on
https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods (an .xlsx workbook, or
the same table saved as CSV): a title row or two, then a header row with "Country" (or
"Country/Area"), "Good", "Child Labor" and "Forced Labor" (an "X" where the good is on the
list for that kind), and possibly "Sector", "Forced Child Labor", "Region" and, for a
downstream good, the country of the exploited input ("Input Country").

Read through ``chainproof.fileformats.tables`` (bounded, formulas refused)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.tables import read_raw_table
from chainproof.reference.sources import ParsedEdition, SourceFormatError
from chainproof.reference.sources._common import (
    clean,
    count_rows,
    country_code,
    describe_header,
    header_index,
    one_file,
)

KIND = "dol_goods"
SOURCE = "DOL List of Goods"
URL = "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"
COLUMNS = {
    "country": ("Country", "Country/Area", "Country / Area", "Country or Area"),
    "good": ("Good", "Goods", "Product"),
    "child": ("Child Labor", "Child Labour", "CL"),
    "forced": ("Forced Labor", "Forced Labour", "FL"),
}
OPTIONAL = {
    "sector": ("Sector",),
    "region": ("Region",),
    "forced_child": ("Forced Child Labor", "Forced Child Labour", "FCL"),
    "input_country": ("Input Country", "Exploited Input Country", "Country of Input"),
}
HEADER_SEARCH_ROWS = 15
YES = {"x", "yes", "y", "true", "1", "\u2713", "\u2714", "\u25cf", "\u2022"}
NO = {"", "no", "n", "false", "0", "-", "\u2013"}


def _flag(value: str, where: str) -> bool:
    folded = clean(value).casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise SourceFormatError(SOURCE, f"'X' or an empty cell ({where})", repr(value))


def _country(name: str, where: str) -> str:
    code = country_code(name)
    if not code:
        raise SourceFormatError(SOURCE, f"a country or area ({where})", repr(name))
    return code


def parse(files: Mapping[str, bytes], today: date) -> ParsedEdition:
    name, data = one_file(
        files, SOURCE, (".xlsx", ".csv", ".xls", ".ods"), "DOL's List of Goods (XLSX or CSV)"
    )
    try:
        table = read_raw_table(data, name)
    except TableFileError as exc:
        raise SourceFormatError(SOURCE, "a readable workbook or CSV file", str(exc)) from None
    count_rows(SOURCE, len(table.rows))
    header_at = None
    positions: dict[str, int] = {}
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        positions, missing = header_index([clean(c) for c in row], COLUMNS)
        if not missing:
            header_at = index
            break
    if header_at is None:
        head = table.rows[:HEADER_SEARCH_ROWS]
        first = max(head, key=lambda r: sum(1 for c in r if c.strip()), default=[])
        raise SourceFormatError(
            SOURCE,
            "a header row with " + ", ".join(repr(c[0]) for c in COLUMNS.values()),
            describe_header([clean(c) for c in first]),
        )
    header = [clean(c) for c in table.rows[header_at]]
    extra, _ = header_index(header, OPTIONAL)
    title = " ".join(clean(" ".join(r)) for r in table.rows[:header_at])
    year = re.search(r"\b(20\d\d)\b", title) or re.search(r"\b(20\d\d)\b", name)
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    notes: list[str] = []
    both = 0
    for number, cells in enumerate(table.rows[header_at + 1 :], start=header_at + 2):
        cells = cells + [""] * (len(header) - len(cells))

        def cell(key: str, cells: list[str] = cells) -> str:
            where = positions.get(key, extra.get(key))
            return clean(cells[where]) if where is not None else ""

        if not cell("good") and not cell("country"):
            continue
        where = f"row {number}"
        if not cell("good") or not cell("country"):
            raise SourceFormatError(SOURCE, f"a good and a country ({where})", repr(cells))
        child = _flag(cell("child"), f"{where}, Child Labor")
        forced = _flag(cell("forced"), f"{where}, Forced Labor")
        forced_child = _flag(cell("forced_child"), f"{where}, Forced Child Labor")
        if not (child or forced or forced_child):
            raise SourceFormatError(
                SOURCE, f"an 'X' under Child Labor or Forced Labor ({where})", "neither"
            )
        iso2 = _country(cell("country"), where)
        input_name = cell("input_country")
        input_iso2 = _country(input_name, f"{where}, Input Country") if input_name else ""
        key = (cell("good").casefold(), iso2, input_iso2)
        if child and forced:
            both += 1
        if key in rows:
            merged = rows[key]
            for column, value in (
                ("child_labor", child),
                ("forced_labor", forced),
                ("forced_child_labor", forced_child),
            ):
                if value:
                    merged[column] = "true"
            notes.append(f"{where}: {cell('good')} / {cell('country')} listed twice; merged")
            continue
        rows[key] = {
            "good": cell("good"),
            "sector": cell("sector"),
            "country_name_source": cell("country"),
            "iso2": iso2,
            "region": cell("region"),
            "child_labor": "true" if child else "false",
            "forced_labor": "true" if forced else "false",
            "forced_child_labor": "true" if forced_child else "false",
            "derived_from_exploited_input": "true" if input_iso2 else "false",
            "input_country_name": input_name,
            "input_country_iso2": input_iso2,
        }
    if not rows:
        raise SourceFormatError(SOURCE, "at least one good", "no row under the header")
    listed = list(rows.values())
    goods = {r["good"].casefold() for r in listed}
    countries = {r["iso2"] for r in listed}
    notes.insert(
        0,
        f"{len(listed)} good-country pairs ({len(goods)} goods, {len(countries)} countries or "
        f"areas); {both} listed for both child labor and forced labor",
    )
    edition = f"{year.group(1)} TVPRA List" if year else f"DOL List of Goods {today.isoformat()}"
    return ParsedEdition(
        kind=KIND, rows=listed, edition=edition, as_of=today, source=URL, notes=notes + table.notes
    )
