"""CBP's Withhold Release Orders and Findings list
(https://www.cbp.gov/trade/forced-labor/withhold-release-orders-and-findings): one row per
order, as the page's HTML table or as the CSV download CBP links from it (same columns:
"Effective Date", "Country", "Merchandise", "WRO/Finding", "Industry", "Status", "Entity",
"Remarks"; the CSV adds "Calendar Year", "Country Code", "Press Release").

An entity cell may name several companies ("A Co., Ltd.; B Co., Ltd."; "A and B and their
subsidiaries"): it is kept whole, as published, and screening takes it apart
(``domain/screening/entries.py::split_entities``); aliases written "a/k/a" are split out.
Statuses are kept as CBP writes them (Active, Modified, Partially Modified, Revoked,
Inactive, Inactive-Pending Litigation); a status of none of these kinds means the columns
moved and is refused."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from chainproof.domain.screening.entries import split_entities
from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.csv import csv_rows, decode_csv
from chainproof.reference.sources import ParsedEdition, SourceFormatError
from chainproof.reference.sources._common import (
    check_size,
    clean,
    count_rows,
    country_code,
    describe_header,
    header_index,
    one_file,
    parse_date,
    read_html,
)

KIND = "cbp_wro_findings"
SOURCE = "CBP Withhold Release Orders and Findings"
URL = "https://www.cbp.gov/trade/forced-labor/withhold-release-orders-and-findings"
COLUMNS = {
    "date": ("Effective Date", "Date", "Date Issued"),
    "country": ("Country", "Country/Region"),
    "status": ("Status",),
    "type": ("WRO/Finding", "Type", "Order Type", "WRO or Finding"),
    "entity": ("Entity", "Entities", "Entity Name", "Company"),
    "merchandise": ("Merchandise", "Product", "Products", "Goods"),
}
OPTIONAL = {
    "industry": ("Industry",),
    "remarks": ("Remarks", "Notes"),
    "aliases": ("a/k/a", "AKA", "Aliases", "Also Known As"),
}
STATUS_WORDS = ("active", "modified", "revoked", "inactive")
_AKA = re.compile(r"\s*\(?\b(?:a/k/a|also known as)\b:?\s*", re.I)


def _type(value: str) -> str | None:
    folded = clean(value).casefold()
    if folded in ("wro", "withhold release order", "withhold release orders"):
        return "WRO"
    if folded in ("finding", "findings"):
        return "Finding"
    return None


def _entity_and_aliases(text: str, column: str) -> tuple[str, list[str]]:
    aliases = [clean(a) for a in re.split(r"\s*[;|]\s*", column) if clean(a)]
    match = _AKA.search(text)
    if match:
        head, tail = text[: match.start()], text[match.end() :]
        if match.group(0).lstrip().startswith("(") and tail.endswith(")"):
            tail = tail[:-1]
        aliases = [clean(a) for a in re.split(r"\s*;\s*|\s+a/k/a\s+", tail) if clean(a)] + aliases
        text = head
    return clean(text).strip(" ,;"), aliases


def _table(files: Mapping[str, bytes]) -> tuple[list[list[str]], str]:
    name, data = one_file(
        files, SOURCE, (".html", ".htm", ".csv"), "CBP's WRO and Findings page (HTML) or its CSV"
    )
    check_size(SOURCE, name, data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if name.lower().endswith(".csv") or not head.startswith((b"<", b"<!")):
        try:
            decoded = decode_csv(data, name)
            rows = [r for r in csv_rows(decoded, name) if any(c.strip() for c in r)]
        except TableFileError as exc:
            raise SourceFormatError(SOURCE, "CBP's CSV", str(exc)) from None
        count_rows(SOURCE, len(rows))
        return [[clean(c) for c in r] for r in rows], "CSV"
    page = read_html(SOURCE, name, data)
    for table in page.tables:
        if table.rows and not header_index(table.rows[0], COLUMNS)[1]:
            return table.rows, "page"
    best = max(page.tables, key=lambda t: len(t.rows), default=None)
    found = describe_header(best.rows[0]) if best and best.rows else "no table"
    raise SourceFormatError(
        SOURCE,
        "a table with the columns " + ", ".join(repr(c[0]) for c in COLUMNS.values()),
        found,
    )


def parse(files: Mapping[str, bytes], today: date) -> ParsedEdition:
    table, form = _table(files)
    header = table[0]
    positions, missing = header_index(header, COLUMNS)
    if missing:
        raise SourceFormatError(
            SOURCE,
            "the columns " + ", ".join(repr(c[0]) for c in COLUMNS.values()),
            f"{describe_header(header)} (no {', '.join(repr(m) for m in missing)})",
        )
    extra, _ = header_index(header, OPTIONAL)
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    several = 0
    unmapped: set[str] = set()
    for number, cells in enumerate(table[1:], start=2):
        cells = cells + [""] * (len(header) - len(cells))

        def cell(key: str, cells: list[str] = cells) -> str:
            where = positions.get(key, extra.get(key))
            return clean(cells[where]) if where is not None else ""

        if not any(cells):
            continue
        where = f"row {number}"
        effective = parse_date(cell("date"))
        if effective is None:
            raise SourceFormatError(
                SOURCE,
                f"an effective date such as '06/23/2026' or 'June 23, 2026' ({where})",
                repr(cell("date")),
            )
        kind = _type(cell("type"))
        if kind is None:
            raise SourceFormatError(SOURCE, f"'WRO' or 'Finding' ({where})", repr(cell("type")))
        status = cell("status")
        if not any(word in status.casefold() for word in STATUS_WORDS):
            raise SourceFormatError(
                SOURCE,
                f"a status: Active, Modified, Partially Modified, Revoked or Inactive ({where})",
                repr(status),
            )
        entity, aliases = _entity_and_aliases(cell("entity"), cell("aliases"))
        if not entity or not cell("merchandise"):
            raise SourceFormatError(
                SOURCE,
                f"an entity and a merchandise ({where})",
                f"{entity!r}, {cell('merchandise')!r}",
            )
        if len(split_entities(entity)) > 1:
            several += 1
        country = cell("country")
        code = country_code(country)
        if code is None:
            unmapped.add(country)
            code = ""
        rows.append(
            {
                "effective_date": effective.isoformat(),
                "country_name_source": country,
                "iso2": code,
                "status": status,
                "type": kind,
                "entity": entity,
                "aliases": " | ".join(aliases),
                "industry": cell("industry"),
                "merchandise": cell("merchandise"),
                "remarks": cell("remarks"),
            }
        )
    if not rows:
        raise SourceFormatError(SOURCE, "at least one order", "an empty table")
    count_rows(SOURCE, len(rows))
    wros = sum(1 for r in rows if r["type"] == "WRO")
    notes.append(
        f"read the {form}: {len(rows)} orders ({wros} WRO(s), {len(rows) - wros} Finding(s))"
    )
    if several:
        notes.append(
            f"{several} order(s) name several entities in one text (kept whole; screening takes "
            "them apart)"
        )
    if unmapped:
        notes.append("countries not recognised (iso2 left empty): " + ", ".join(sorted(unmapped)))
    return ParsedEdition(
        kind=KIND,
        rows=rows,
        edition=f"CBP {form} {today.isoformat()}",
        as_of=today,
        source=URL,
        notes=notes,
    )
