"""OFAC's Specially Designated Nationals list, North Korea programs only.

Two forms, as OFAC publishes them (https://sanctionslist.ofac.treas.gov/, formerly
https://www.treasury.gov/ofac/downloads/):

- the CSV files: ``SDN.CSV`` (12 columns, no header row: entry number, name, type,
  programs, title, call sign, vessel type, tonnage, GRT, vessel flag, vessel owner,
  remarks), ``ALT.CSV`` (entry number, alias number, alias type "aka"/"fka"/"nka", alias,
  remarks) and ``ADD.CSV`` (entry number, address number, address, city/state/province/
  postal code, country, remarks). "-0- " is an empty cell; the files end with a 0x1A byte;
  several programs read "NPWMD] [DPRK2".
- the classic XML ``sdn.xml`` (``sdnList`` of ``sdnEntry``, each with ``uid``,
  ``lastName``, ``firstName``, ``sdnType``, ``programList``, ``akaList``, ``addressList``;
  ``publshInformation/Publish_Date``). Read with expat, a document type declaration refused
  (no entity expansion).

Entries carrying a program whose tag begins with "DPRK" (DPRK, DPRK2, DPRK3, DPRK4,
DPRK-NKSPEA) are kept; the others are counted and left out. Aliases of every kind (a.k.a.,
f.k.a., n.k.a.) become alternate names. Addresses, when given, are in
``ParsedEdition.related["ofac_sdn_dprk_addresses"]`` in the columns of the shared
``ofac_sdn_dprk_addresses.csv``."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any
from xml.parsers import expat

from chainproof.reference.sources import ParsedEdition, SourceFormatError
from chainproof.reference.sources._common import (
    check_size,
    clean,
    count_rows,
    country_code,
    parse_date,
    text_of,
)

KIND = "ofac_sdn_dprk"
ADDRESSES = "ofac_sdn_dprk_addresses"
SOURCE = "OFAC SDN list"
URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
ADDRESS_COLUMNS = (
    "ent_num",
    "name",
    "type",
    "dprk_programs",
    "add_num",
    "address",
    "city_state_province_postal",
    "country_name_source",
    "iso2",
    "add_remarks",
)
SDN_WIDTH, ALT_WIDTH, ADD_WIDTH = 12, 5, 6
TYPES = {"": "entity", "entity": "entity", "individual": "individual", "vessel": "vessel"}
TYPES["aircraft"] = "aircraft"
ALIAS_KINDS = {
    "aka": "a.k.a.",
    "a.k.a.": "a.k.a.",
    "fka": "f.k.a.",
    "f.k.a.": "f.k.a.",
    "nka": "n.k.a.",
    "n.k.a.": "n.k.a.",
}


def is_dprk(program: str) -> bool:
    return program.upper().startswith("DPRK") or "NKSPEA" in program.upper()


def _cell(value: str) -> str:
    text = value.strip()
    return "" if text == "-0-" else clean(text)


def _programs(value: str) -> list[str]:
    return [p for p in (clean(x).strip("[] ") for x in re.split(r"\]\s*\[|;", value)) if p]


def _csv_records(name: str, data: bytes, width: int, what: str) -> list[list[str]]:
    check_size(SOURCE, name, data)
    text = text_of(SOURCE, name, data).rstrip("\x1a\r\n \t")
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if not cells or not "".join(cells).strip("\x1a \t"):
                continue
            number = len(records) + 1
            if len(cells) != width or not cells[0].strip().isdigit():
                raise SourceFormatError(
                    SOURCE,
                    f"{name} in OFAC's {what} layout ({width} columns, no header row, "
                    "the entry number first)",
                    f"row {number}: {len(cells)} column(s) beginning {cells[0][:40]!r}",
                )
            records.append(cells)
            count_rows(SOURCE, len(records))
    except csv.Error as exc:
        raise SourceFormatError(SOURCE, f"well-formed CSV in {name}", str(exc)) from None
    return records


def _find(files: Mapping[str, bytes], wanted: str) -> tuple[str, bytes] | None:
    for name, data in files.items():
        if name.lower().rsplit("/", 1)[-1] == wanted:
            return name, data
    return None


class _Entry:
    __slots__ = ("addresses", "aliases", "name", "number", "programs", "type")

    def __init__(self, number: int, name: str, type_: str, programs: list[str]) -> None:
        self.number, self.name, self.type, self.programs = number, name, type_, programs
        self.aliases: list[tuple[str, str]] = []  # (kind, name)
        self.addresses: list[dict[str, str]] = []


def _entry_type(raw: str, where: str) -> str:
    kind = TYPES.get(raw.strip().casefold())
    if kind is None:
        raise SourceFormatError(
            SOURCE,
            "an entry type: empty (an entity), individual, vessel or aircraft",
            f"{raw!r} ({where})",
        )
    return kind


def _alias_kind(raw: str, where: str) -> str:
    kind = ALIAS_KINDS.get(raw.strip().casefold())
    if kind is None:
        raise SourceFormatError(SOURCE, "an alias type: aka, fka or nka", f"{raw!r} ({where})")
    return kind


def _address(number: str, street: str, city: str, country: str, remarks: str) -> dict[str, str]:
    code = country_code(country) if country else ""
    return {
        "add_num": number,
        "address": street,
        "city_state_province_postal": city,
        "country_name_source": country,
        "iso2": code or "",
        "add_remarks": remarks,
    }


def _from_csv(files: Mapping[str, bytes]) -> tuple[dict[int, _Entry], int]:
    sdn = _find(files, "sdn.csv")
    if sdn is None:
        raise SourceFormatError(
            SOURCE, "SDN.CSV (with ALT.CSV and ADD.CSV) or sdn.xml", f"files {sorted(files)}"
        )
    entries: dict[int, _Entry] = {}
    total = 0
    for cells in _csv_records(*sdn, SDN_WIDTH, "SDN.CSV"):
        total += 1
        programs = _programs(_cell(cells[3]))
        if not any(is_dprk(p) for p in programs):
            continue
        number = int(cells[0])
        name = _cell(cells[1])
        entries[number] = _Entry(
            number, name, _entry_type(_cell(cells[2]), f"entry {number}"), programs
        )
    alt = _find(files, "alt.csv")
    if alt is not None:
        for cells in _csv_records(*alt, ALT_WIDTH, "ALT.CSV"):
            entry = entries.get(int(cells[0]))
            if entry is not None and _cell(cells[3]):
                entry.aliases.append(
                    (_alias_kind(_cell(cells[2]), f"ALT.CSV alias {cells[1]}"), _cell(cells[3]))
                )
    add = _find(files, "add.csv")
    if add is not None:
        for cells in _csv_records(*add, ADD_WIDTH, "ADD.CSV"):
            entry = entries.get(int(cells[0]))
            if entry is not None:
                entry.addresses.append(_address(*(_cell(c) for c in cells[1:6])))
    return entries, total


class _XmlReader:
    """Streams sdn.xml: keeps each entry's fields, aliases and addresses."""

    def __init__(self) -> None:
        self.entries: dict[int, _Entry] = {}
        self.total = 0
        self.published = ""
        self.root = ""
        self._path: list[str] = []
        self._text: list[str] = []
        self._entry: dict[str, Any] | None = None
        self._sub: dict[str, str] | None = None

    def start(self, tag: str, _attrs: dict[str, str]) -> None:
        tag = tag.rpartition("}")[2]
        if not self._path:
            self.root = tag
        self._path.append(tag)
        self._text = []
        if tag == "sdnEntry":
            self._entry = {"programs": [], "aliases": [], "addresses": []}
        elif tag in ("aka", "address") and self._entry is not None:
            self._sub = {}

    def end(self, tag: str) -> None:
        tag = tag.rpartition("}")[2]
        text = clean("".join(self._text))
        self._text = []
        self._path.pop()
        parent = self._path[-1] if self._path else ""
        entry, sub = self._entry, self._sub
        if tag == "Publish_Date":
            self.published = text
        elif entry is None:
            return
        elif tag == "sdnEntry":
            self._finish(entry)
            self._entry = None
        elif tag == "aka" and sub is not None:
            entry["aliases"].append(sub)
            self._sub = None
        elif tag == "address" and sub is not None:
            entry["addresses"].append(sub)
            self._sub = None
        elif sub is not None and parent in ("aka", "address"):
            sub[tag] = text
        elif tag == "program":
            entry["programs"].append(text)
        elif parent == "sdnEntry":
            entry[tag] = text

    def data(self, text: str) -> None:
        self._text.append(text)

    def _finish(self, entry: dict[str, Any]) -> None:
        self.total += 1
        count_rows(SOURCE, self.total)
        if not any(is_dprk(p) for p in entry["programs"]):
            return
        uid = entry.get("uid", "")
        if not uid.isdigit():
            raise SourceFormatError(SOURCE, "a numeric <uid> in every <sdnEntry>", repr(uid))
        number = int(uid)
        item = _Entry(
            number,
            _full_name(entry.get("lastName", ""), entry.get("firstName", "")),
            _entry_type(entry.get("sdnType", ""), f"entry {number}"),
            list(entry["programs"]),
        )
        for aka in entry["aliases"]:
            name = _full_name(aka.get("lastName", ""), aka.get("firstName", ""))
            if name:
                item.aliases.append((_alias_kind(aka.get("type", ""), f"entry {number}"), name))
        for place in entry["addresses"]:
            street = "; ".join(
                place[k] for k in ("address1", "address2", "address3") if place.get(k)
            )
            city = " ".join(
                place[k] for k in ("city", "stateOrProvince", "postalCode") if place.get(k)
            )
            item.addresses.append(
                _address(place.get("uid", ""), street, city, place.get("country", ""), "")
            )
        self.entries[number] = item


def _full_name(last: str, first: str) -> str:
    return f"{last}, {first}" if last and first else last or first


def _from_xml(name: str, data: bytes) -> tuple[dict[int, _Entry], int, date | None]:
    check_size(SOURCE, name, data)
    reader = _XmlReader()
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse_doctype(*_: Any) -> None:
        raise SourceFormatError(SOURCE, "XML without a document type declaration", f"one in {name}")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SourceFormatError(SOURCE, f"well-formed XML in {name}", str(exc)) from None
    if reader.root != "sdnList":
        raise SourceFormatError(
            SOURCE, "OFAC's sdn.xml (a <sdnList> of <sdnEntry>)", f"<{reader.root}> in {name}"
        )
    if reader.total == 0:
        raise SourceFormatError(SOURCE, "<sdnEntry> elements in sdn.xml", "none")
    return reader.entries, reader.total, parse_date(reader.published) if reader.published else None


def parse(files: Mapping[str, bytes], today: date) -> ParsedEdition:
    if not files:
        raise SourceFormatError(SOURCE, "SDN.CSV (with ALT.CSV and ADD.CSV) or sdn.xml", "no file")
    xml = next(((n, d) for n, d in files.items() if n.lower().endswith(".xml")), None)
    published: date | None = None
    if xml is not None and _find(files, "sdn.csv") is None:
        entries, total, published = _from_xml(*xml)
        form, has_addresses = "sdn.xml", True
    else:
        entries, total = _from_csv(files)
        form, has_addresses = "SDN.CSV", _find(files, "add.csv") is not None
        if _find(files, "alt.csv") is not None:
            form += " + ALT.CSV"
        if has_addresses:
            form += " + ADD.CSV"
    if not entries:
        raise SourceFormatError(
            SOURCE, "entries carrying a North Korea (DPRK) program", f"none of {total}"
        )
    rows: list[dict[str, str]] = []
    addresses: list[dict[str, str]] = []
    kinds: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    for number in sorted(entries):
        entry = entries[number]
        dprk = [p for p in entry.programs if is_dprk(p)]
        names: list[str] = []
        for kind, alias in entry.aliases:
            if alias not in names and alias != entry.name:
                names.append(alias)
                kinds[kind] += 1
        rows.append(
            {
                "ent_num": str(number),
                "name": entry.name,
                "type": entry.type,
                "programs": ";".join(entry.programs),
                "dprk_programs": ";".join(dprk),
                "alternate_names": " | ".join(names),
            }
        )
        for place in entry.addresses:
            if place["country_name_source"] and not place["iso2"]:
                unmapped[place["country_name_source"]] += 1
            addresses.append(
                {
                    "ent_num": str(number),
                    "name": entry.name,
                    "type": entry.type,
                    "dprk_programs": ";".join(dprk),
                    **place,
                }
            )
    as_of = published or today
    notes = [
        f"read {form}: {len(rows)} North Korea entries of {total}; "
        f"{total - len(rows)} entries under other programs left out",
        "aliases: "
        + (", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "none"),
    ]
    if has_addresses:
        notes.append(f"{len(addresses)} addresses")
    if unmapped:
        notes.append(
            "countries not recognised (iso2 left empty): "
            + ", ".join(f"{n!r} ({c})" for n, c in sorted(unmapped.items()))
        )
    if published is None:
        notes.append("the files state no publication date; the edition is dated today")
    return ParsedEdition(
        kind=KIND,
        rows=rows,
        edition=f"OFAC SDN {as_of.isoformat()}",
        as_of=as_of,
        source=URL,
        notes=notes,
        related={ADDRESSES: addresses} if has_addresses else {},
    )
