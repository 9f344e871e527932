"""The DHS UFLPA Entity List page (https://www.dhs.gov/uflpa-entity-list): one table per
section of UFLPA §2(d)(2)(B), each introduced by a bold description and a link reading
"Section 2(d)(2)(B)(i)"; the table's columns are the entity's name ("Name of Entity" or
"Entity Name") and its effective date ("June 21, 2022"). A section with no entities (iii,
iv) has a paragraph instead of a table.

An entity cell carries its aliases in words: "(and two aliases: A; and B)", "(including
one alias: A)", "(also known as A; B; and formerly known as C)"; "and subsidiaries" / "and
its subordinate and affiliated entities" stays in the primary name, as DHS wrote it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from chainproof.reference.sources import ParsedEdition, SourceFormatError
from chainproof.reference.sources._common import (
    clean,
    describe_header,
    header_index,
    one_file,
    parse_date,
    read_html,
)

KIND = "uflpa_entity_list"
SOURCE = "DHS UFLPA Entity List page"
URL = "https://www.dhs.gov/uflpa-entity-list"
EXPECTED_LAYOUT = (
    "tables introduced by 'Section 2(d)(2)(B)(i)' ... '(v)' with the columns "
    "'Name of Entity' and 'Effective Date'"
)
COLUMNS = {
    "entity": ("Name of Entity", "Entity Name", "Entity", "Name"),
    "effective": ("Effective Date", "Date Added", "Effective"),
}
_SECTION = re.compile(r"(?:Section\s*)?2\s*\(d\)\s*\(2\)\s*\(B\)\s*\((i{1,3}|iv|v)\)", re.I)
_ALIAS_GROUP = re.compile(
    r"^(?:(?:and|including)\s+(?:\w+\s+)?alias(?:es)?\s*:|(?:also|formerly|now)\s+known\s+as\b|a/k/a\b|f/k/a\b)",
    re.I,
)
_MARKERS = re.compile(
    r"(?:;\s*|\s+|^)(?:and\s+)?(?:also|formerly|now)\s+known\s+as\s+|"
    r"^(?:and|including)\s+(?:\w+\s+)?alias(?:es)?\s*:\s*|^(?:a|f)/k/a\s+",
    re.I,
)
_AFTER_LEGAL = re.compile(
    r"\b(Ltd|Co|Limited|Inc|Corp|Corporation|Company|Group)(\.?)\s+and\s+(?=[A-Z0-9])"
)
_LAST_UPDATED = re.compile(r"Last\s+(?:Updated|Reviewed)\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})", re.I)


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level parenthesised group, parentheses included."""
    found, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                found.append((start, index + 1))
    return found


def split_entity(cell: str) -> tuple[str, list[str]]:
    """(primary name, aliases) of an entity cell as DHS publishes it."""
    aliases: list[str] = []
    primary = cell
    for start, end in reversed(_groups(cell)):
        inner = cell[start + 1 : end - 1].strip()
        if not _ALIAS_GROUP.match(inner):
            continue
        aliases = _alias_list(inner) + aliases
        primary = primary[:start] + " " + primary[end:]
    primary = clean(re.sub(r"\s+([,.;])", r"\1", primary))
    seen: set[str] = set()
    unique = []
    for alias in aliases:
        if alias.casefold() not in seen and alias.casefold() != primary.casefold():
            seen.add(alias.casefold())
            unique.append(alias)
    return primary, unique


def _alias_list(inner: str) -> list[str]:
    pieces = [p for p in _MARKERS.split(inner) if p and p.strip()]
    names: list[str] = []
    for piece in pieces:
        for part in re.split(r";\s*", piece):
            part = re.sub(r"^(?:and\s+)", "", part.strip(), flags=re.I).strip(" ,;")
            for name in _AFTER_LEGAL.sub("\\1\\2\x00", part).split("\x00"):
                name = clean(name).strip(" ,;")
                if name and not re.fullmatch(r"and", name, re.I):
                    names.append(name)
    return names


def parse(files: Mapping[str, bytes], today: date) -> ParsedEdition:
    name, data = one_file(files, SOURCE, (".html", ".htm"), "the UFLPA Entity List page (HTML)")
    page = read_html(SOURCE, name, data)
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    sections_seen: list[str] = []
    seen_keys: set[tuple[str, str]] = set()
    for table in page.tables:
        section_at = [i for i, text in enumerate(table.before) if _SECTION.search(text)]
        if not section_at:
            continue
        at = section_at[-1]
        section = _SECTION.findall(table.before[at])[-1].lower()
        description = _description(table.before, at, section)
        if not table.rows:
            continue
        header = table.rows[0]
        positions, missing = header_index(header, COLUMNS)
        if missing:
            raise SourceFormatError(
                SOURCE,
                f"the section ({section}) table with the columns "
                + " and ".join(repr(c) for c in (COLUMNS["entity"][0], COLUMNS["effective"][0])),
                f"{describe_header(header)} (no {', '.join(repr(m) for m in missing)})",
            )
        sections_seen.append(section)
        for number, cells in enumerate(table.rows[1:], start=2):
            cell = clean(cells[positions["entity"]]) if positions["entity"] < len(cells) else ""
            when = cells[positions["effective"]] if positions["effective"] < len(cells) else ""
            if not cell:
                continue
            effective = parse_date(when)
            if effective is None:
                raise SourceFormatError(
                    SOURCE,
                    "an effective date such as 'June 21, 2022' "
                    f"(section ({section}), row {number})",
                    repr(when),
                )
            primary, aliases = split_entity(cell)
            key = (section, primary.casefold())
            if key in seen_keys:
                notes.append(f"section ({section}): {primary!r} listed twice; kept once")
                continue
            seen_keys.add(key)
            rows.append(
                {
                    "section": section,
                    "section_description": description,
                    "entity_as_published": cell,
                    "primary_name": primary,
                    "aliases": " | ".join(aliases),
                    "effective_date_as_published": clean(when),
                    "effective_date": effective.isoformat(),
                    "iso2": "CN",
                }
            )
    if not sections_seen:
        found = (
            f"{len(page.tables)} table(s), none introduced by a UFLPA section"
            if page.tables
            else "no table"
        )
        raise SourceFormatError(SOURCE, EXPECTED_LAYOUT, found)
    if not rows:
        raise SourceFormatError(SOURCE, "at least one listed entity", "empty section tables")
    updated = _LAST_UPDATED.search(" ".join(page.text_after))
    as_of = today
    if updated:
        stated = parse_date(updated.group(1))
        if stated is not None:
            as_of = stated
            notes.append(f"the page states it was last updated on {stated.isoformat()}")
    latest = max(row["effective_date"] for row in rows)
    notes.append(
        f"{len(rows)} listings in sections {', '.join(f'({s})' for s in sections_seen)}; "
        f"latest effective date {latest}"
    )
    return ParsedEdition(
        kind=KIND,
        rows=rows,
        edition=f"DHS page {as_of.isoformat()}",
        as_of=as_of,
        source=URL,
        notes=notes,
    )


def _description(before: list[str], at: int, section: str) -> str:
    """The section's description: the text block just before its "Section 2(d)..." link
    (or the part of the same block before the link)."""
    own = _SECTION.split(before[at])[0]
    own = re.sub(r"\s*Section\s*$", "", own, flags=re.I).strip()
    if len(own) > 20:
        return clean(own)
    for text in reversed(before[:at]):
        if text and not _SECTION.search(text) and len(text) > 20:
            return clean(text)
    return f"UFLPA section 2(d)(2)(B)({section})"
