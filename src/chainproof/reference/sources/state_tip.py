"""The State Department's Trafficking in Persons Report tier placements
(https://www.state.gov/reports/ , "Tier Placements" of each year's report) as an HTML table
of one country per row: a "Country" column and a "Tier" column ("Tier 1", "Tier 2",
"Tier 2 Watch List", "Tier 3", "Special Case"). The report year is read from the page
("2025 Trafficking in Persons Report"), else from a "Year" column, else it is the year of
the day the page was read.

Special Cases are not a tier: they are counted and named in the notes, not loaded (a
country with no row stays unknown for that year, never "not ranked")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

import pycountry

from chainproof.domain.refdata import TIER_CODES
from chainproof.reference.sources import ParsedEdition, SourceFormatError
from chainproof.reference.sources._common import (
    HtmlPage,
    clean,
    country_code,
    describe_header,
    header_index,
    one_file,
    read_html,
)

KIND = "tip_tiers"
SOURCE = "State Department TIP Report tier placements"
URL = "https://www.state.gov/reports/"
COLUMNS = {
    "country": ("Country", "Country/Territory", "Country Name"),
    "tier": ("Tier", "Tier Placement", "Tier Ranking", "Ranking"),
}
OPTIONAL = {"year": ("Year", "Report Year")}
_YEAR = re.compile(r"\b(20\d\d)\s+Trafficking\s+in\s+Persons\s+Report\b", re.I)


def _tier(value: str) -> str | None:
    """A tier as chainproof names it, "Special Case", or None."""
    text = re.sub(r"[^a-z0-9]+", " ", value.casefold()).strip()
    text = re.sub(r"^tier\s*", "tier ", text)
    if text in ("tier 1", "1"):
        return "Tier 1"
    if text in ("tier 2", "2"):
        return "Tier 2"
    if text in ("tier 2 watch list", "tier 2 watchlist", "tier 2wl", "tier 2 wl", "2wl", "t2wl"):
        return "Tier 2 Watch List"
    if text in ("tier 3", "3"):
        return "Tier 3"
    if text in ("special case", "special cases"):
        return "Special Case"
    return None


def _iso3(code: str) -> str:
    if code == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=code)
    return str(country.alpha_3) if country is not None else ""


def _placements(page: HtmlPage) -> tuple[list[tuple[str, str, str, str]], str]:
    """(country, tier as written, year cell, where) of every placement, and the text around
    the table(s) (where the report year is stated). Two layouts: one table of "Country" and
    "Tier" columns; or one table per tier, introduced by its heading ("TIER 1", "TIER 2
    WATCH LIST", "SPECIAL CASES"), each cell a country."""
    for table in page.tables:
        if table.rows and not header_index(table.rows[0], COLUMNS)[1]:
            header = table.rows[0]
            positions, _ = header_index(header, COLUMNS)
            extra, _ = header_index(header, OPTIONAL)
            found = []
            for number, cells in enumerate(table.rows[1:], start=2):
                cells = cells + [""] * (len(header) - len(cells))
                year = clean(cells[extra["year"]]) if "year" in extra else ""
                found.append(
                    (
                        clean(cells[positions["country"]]),
                        clean(cells[positions["tier"]]),
                        year,
                        f"row {number}",
                    )
                )
            return found, " ".join([table.caption, *table.before])
    found, context = [], []
    for index, table in enumerate(page.tables, start=1):
        heading = table.caption or (table.before[-1] if table.before else "")
        tier = _tier(heading)
        if tier is None:
            continue
        context.extend([table.caption, *table.before])
        for number, cells in enumerate(table.rows, start=1):
            for cell in cells:
                if clean(cell):
                    found.append((clean(cell), tier, "", f"{heading} table {index}, row {number}"))
    if found:
        return found, " ".join(context)
    best = max(page.tables, key=lambda t: len(t.rows), default=None)
    raise SourceFormatError(
        SOURCE,
        "a table with the columns 'Country' and 'Tier' (or one table per tier under its heading)",
        describe_header(best.rows[0]) if best and best.rows else "no table",
    )


def parse(files: Mapping[str, bytes], today: date) -> ParsedEdition:
    name, data = one_file(files, SOURCE, (".html", ".htm"), "the TIP Report tier placement page")
    page = read_html(SOURCE, name, data)
    placements, context = _placements(page)
    stated = _YEAR.search(" ".join([page.title, context]))
    rows: list[dict[str, str]] = []
    special: list[str] = []
    seen: set[tuple[str, str]] = set()
    notes: list[str] = []
    year_column = any(year for _, _, year, _ in placements)
    for country, raw_tier, year_cell, where in placements:
        if not country and not raw_tier:
            continue
        tier = _tier(raw_tier)
        if tier is None:
            raise SourceFormatError(
                SOURCE,
                f"Tier 1, Tier 2, Tier 2 Watch List, Tier 3 or Special Case ({where})",
                repr(raw_tier),
            )
        if tier == "Special Case":
            special.append(country)
            continue
        code = country_code(country)
        if not code:
            raise SourceFormatError(SOURCE, f"a country ({where})", repr(country))
        if stated:
            year = stated.group(1)
        elif re.fullmatch(r"20\d\d", year_cell):
            year = year_cell
        else:
            year = str(today.year)
        if (year, code) in seen:
            raise SourceFormatError(SOURCE, f"one row per country ({where})", f"{country} again")
        seen.add((year, code))
        rows.append(
            {
                "report_year": year,
                "country_name_source": country,
                "iso2": code,
                "iso3": _iso3(code),
                "tier": tier,
                "tier_code": TIER_CODES[tier],
                "source": URL,
                "year_coverage": "all tiers (State Department tier placement table); "
                "Special Cases not loaded",
                "note": "",
            }
        )
    if not rows:
        raise SourceFormatError(SOURCE, "at least one country with a tier", "none")
    years = sorted({r["report_year"] for r in rows})
    by_tier = {t: sum(1 for r in rows if r["tier"] == t) for t in TIER_CODES}
    notes.append(
        f"report year {', '.join(years)}: "
        + ", ".join(f"{count} {tier}" for tier, count in by_tier.items())
    )
    if not stated:
        notes.append(
            "the page states no report year; "
            + ("read from the Year column" if year_column else f"taken as {today.year}")
        )
    if special:
        notes.append(
            f"{len(special)} Special Case(s) not loaded (not a tier): " + ", ".join(special)
        )
    return ParsedEdition(
        kind=KIND,
        rows=rows,
        edition=f"TIP Report {', '.join(years)} (State Department table)",
        as_of=today,
        source=URL,
        notes=notes,
    )
