"""From a file's own columns to chainproof's fields: the mapping step of an import.

A supplier list arrives with its own header (an ERP export, an Open Supply Hub download, a
spreadsheet kept for years), often under a title row or two. Here, with no file format
and no database:

- ``find_header`` picks the header row among the first rows (the one whose cells name
  most of the fields), so title rows above it are skipped;
- ``propose`` maps each column to a field from the synonyms in
  ``domain/data/column_synonyms.yaml`` (English and the languages of supplier countries),
  or to a custom attribute, or leaves it out;
- ``parse_mapping`` reads a mapping a person wrote (``"Name 1=legal_name;Land=country"``),
  ``mapping_problems`` says what is wrong with one (a field twice, a required field
  missing, a name that is no field);
- ``mapped_records`` turns the rows under the header into records keyed by field, with
  the unmapped values kept as attributes and the cells that held numbers noted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.tabular import WIDTH_MARK, RowError

ATTRIBUTE = "attribute"
IGNORE = "ignore"
DATE_ORDERS = ("DMY", "MDY", "YMD")
HEADER_SCAN_ROWS = 30
# Fields that several columns may fill: their values are joined.
JOINED = {"address": ", ", "notes": "\n", "aliases": "|", "tags": "|", "products_made": ", "}
SYNONYMS_FILE = Path(__file__).parent / "data" / "column_synonyms.yaml"
# Values carried beside the fields of a record.
ATTRIBUTES_KEY = "__attributes__"
MATCH_KEY = "__match__"  # the stored record a row was confirmed to be (its id)
APART_KEY = "__apart__"  # stored records a person said the row is not (their ids)
# Exports write custom attributes as "attribute: <key>" columns; a re-import maps them back.
ATTRIBUTE_PREFIX = "attribute:"


def attribute_key(header: str) -> str:
    """The attribute key a column keeps: its header, without an "attribute:" prefix."""
    text = str(header).strip()
    if text.casefold().startswith(ATTRIBUTE_PREFIX) and text[len(ATTRIBUTE_PREFIX) :].strip():
        return text[len(ATTRIBUTE_PREFIX) :].strip()
    return text


class MappingError(ValueError):
    """A mapping a person wrote cannot be used: what was expected and, apart, what was
    found (so that a message built on it is one sentence, never "expected ..., found
    'expected ..., found ...'")."""

    def __init__(self, expected: str, found: str | None = None) -> None:
        self.expected = expected
        self.found = found
        super().__init__(expected if found is None else f"{expected}, found {found!r}")


@dataclass(frozen=True)
class ColumnMapping:
    """Which field each column of the file fills (by the column's header text)."""

    columns: Mapping[str, str]  # header -> field, ATTRIBUTE or IGNORE
    date_order: str | None = None
    name: str = ""

    def target(self, header: str) -> str:
        return self.columns.get(header, IGNORE)

    def headers(self) -> dict[str, str]:
        """Field -> the (first) column of the file that fills it."""
        found: dict[str, str] = {}
        for header, target in self.columns.items():
            if target not in (ATTRIBUTE, IGNORE):
                found.setdefault(target, header)
        return found

    def as_text(self) -> str:
        return ";".join(f"{h}={t}" for h, t in self.columns.items() if t != IGNORE)


@dataclass
class MappedRecord:
    line: int
    values: dict[str, str]
    attributes: dict[str, str] = field(default_factory=dict)
    numeric: frozenset[str] = frozenset()  # fields whose cell held a number
    # field (or, for a column kept as an attribute, its header) -> the formula its cell
    # held: a problem of this row until a person types the value
    formulas: dict[str, str] = field(default_factory=dict)


_SEPARATORS = re.compile(r"[\s_\-.:*#()\[\]{}'\"/\\|,;]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_OPTIONAL = re.compile(r"\b(optional|required|mandatory)\b")


def normalise_header(text: str) -> str:
    """A header as it is compared: NFKC, case folded, punctuation as spaces."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    folded = _OPTIONAL.sub(" ", folded)
    return _SEPARATORS.sub(" ", folded).strip()


def _parts(header: str) -> list[str]:
    """The header, then its pieces when it mixes scripts ("供应商名称 Supplier name")."""
    whole = normalise_header(header)
    parts = [whole] if whole else []
    cjk = [normalise_header(m) for m in _CJK.findall(header)]
    latin = normalise_header(_CJK.sub(" ", header))
    for part in [*cjk, latin]:
        if part and part not in parts:
            parts.append(part)
    for piece in re.split(r"[/|\n]+", str(header)):
        norm = normalise_header(piece)
        if norm and norm not in parts:
            parts.append(norm)
    return parts


ACRONYMS = {"duns": "DUNS", "lei": "LEI", "uscc": "USCC", "dprk": "DPRK", "hts": "HTS"}
ACRONYMS |= {"sku": "SKU", "usd": "USD"}


def field_label(name: str) -> str:
    """A field name as a person reads it: "legal_name" -> "Legal name", "duns" -> "DUNS"."""
    words = [ACRONYMS.get(w, w) for w in str(name).split("_") if w]
    if not words:
        return str(name)
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def entity_fields(entity: str) -> tuple[str, ...]:
    if entity not in COLUMN_SETS:
        raise MappingError(f"unknown kind of list {entity!r}")
    return COLUMN_SETS[entity].column_names


def required_fields(entity: str) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMN_SETS[entity].columns if c.required)


@cache
def _vocabulary(entity: str) -> tuple[dict[str, str], frozenset[str]]:
    """normalised synonym -> field for one kind of list, and the attribute headers."""
    data = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))
    fields = entity_fields(entity)
    words: dict[str, str] = {}
    for name in fields:  # a field's own name first: templates and exports match exactly
        words[normalise_header(name)] = name
    for section in (entity, "common"):
        for name, synonyms in (data.get(section) or {}).items():
            if name not in fields:
                continue
            for synonym in synonyms:
                words.setdefault(normalise_header(str(synonym)), name)
    attributes = frozenset(
        normalise_header(str(h)) for h in (data.get("attributes") or {}).get(entity, [])
    )
    return words, attributes


def field_for(header: str, entity: str) -> str | None:
    """The field a header names, or None."""
    words, _ = _vocabulary(entity)
    for part in _parts(header):
        if part in words:
            return words[part]
    return None


def find_header(rows: Sequence[Sequence[str]], entity: str) -> int:
    """The index (0-based) of the header row among the first rows: the row naming the
    most fields; when no row names any, the first row with two or more values (or the
    first non-empty one)."""
    best, best_score = None, 0
    first_wide = first_filled = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [c for c in row if str(c).strip()]
        if not cells:
            continue
        if first_filled is None:
            first_filled = index
        if first_wide is None and len(cells) >= 2:
            first_wide = index
        named = {field_for(str(c), entity) for c in cells} - {None}
        if len(named) > best_score:
            best, best_score = index, len(named)
    for choice in (best, first_wide, first_filled):
        if choice is not None:
            return choice
    return 0


def propose(header: Sequence[str], entity: str) -> ColumnMapping:
    """A mapping for the header: each field filled by the first column naming it (several
    columns for the fields that join values), known extra columns kept as attributes,
    the others left out."""
    _, attribute_words = _vocabulary(entity)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for text in header:
        if not str(text).strip() or text in columns:
            continue
        name = field_for(text, entity)
        if attribute_key(text) != str(text).strip():  # "attribute: Sector", from an export
            columns[text] = ATTRIBUTE
        elif name is not None and (name not in used or name in JOINED):
            columns[text] = name
            used.add(name)
        elif any(part in attribute_words for part in _parts(text)):
            columns[text] = ATTRIBUTE
        else:
            columns[text] = IGNORE
    return ColumnMapping(columns)


def parse_mapping(text: str, header: Sequence[str], entity: str) -> ColumnMapping:
    """A mapping written as ``Header=field;Header=field`` (headers as in the file, case
    and spacing aside; ``attribute`` keeps a column as a custom attribute, ``ignore``
    leaves it out). Columns not named keep the proposed mapping."""
    fields = set(entity_fields(entity))
    by_norm = {normalise_header(h): h for h in header if str(h).strip()}
    proposed = dict(propose(header, entity).columns)
    given: dict[str, str] = {}
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        source, sep, target = part.rpartition("=")
        source, target = source.strip(), target.strip().lower()
        if not sep or not source or not target:
            raise MappingError("each part written as 'Header=field'", part.strip())
        column = by_norm.get(normalise_header(source))
        if column is None:
            raise MappingError(
                "a column of the file (" + ", ".join(h for h in header if str(h).strip()) + ")",
                source,
            )
        if target not in fields | {ATTRIBUTE, IGNORE}:
            raise MappingError(
                f"for column {column!r} a field of {entity} ({', '.join(sorted(fields))}), "
                "'attribute' or 'ignore'",
                target,
            )
        given[column] = target
    return ColumnMapping(_over(proposed, given))


def _over(proposed: dict[str, str], named: Mapping[str, str]) -> dict[str, str]:
    """The proposal with the named columns put over it: a field one of them now fills is
    no longer filled by another proposed column (unless its values join)."""
    for column, target in named.items():
        if target not in (ATTRIBUTE, IGNORE) and target not in JOINED:
            for other, old in list(proposed.items()):
                if old == target and other not in named:
                    proposed[other] = IGNORE
        proposed[column] = target
    return proposed


def mapping_from_columns(
    columns: Mapping[str, str], header: Sequence[str], entity: str, **extra: Any
) -> ColumnMapping:
    """A stored or shipped mapping applied to a header: its columns matched case- and
    punctuation-blind; columns it does not name are proposed as usual."""
    stored = {normalise_header(k): v for k, v in columns.items()}
    proposed = dict(propose(header, entity).columns)
    named = {h: stored[normalise_header(h)] for h in header if normalise_header(h) in stored}
    return ColumnMapping(_over(proposed, named), **extra)


def mapping_problems(mapping: ColumnMapping, entity: str) -> list[str]:
    """What stops the mapping from being used, in words (empty when it can be)."""
    return [problem.words for problem in mapping_issues(mapping, entity)]


class MappingIssue(MappingError):
    """One thing that stops a mapping from being used: in words for the mapping page
    (``words``), and as expected / found for a file's problems."""

    def __init__(self, words: str, expected: str, found: str) -> None:
        self.words = words
        super().__init__(expected, found)


def mapping_issues(mapping: ColumnMapping, entity: str) -> list[MappingIssue]:
    fields = set(entity_fields(entity))
    problems = []
    count: dict[str, list[str]] = {}
    for column, target in mapping.columns.items():
        if target in (ATTRIBUTE, IGNORE):
            continue
        if target not in fields:
            problems.append(
                MappingIssue(
                    f"column {column!r} is mapped to {target!r}, which is not a field",
                    f"for column {column!r} a field of {entity}, 'attribute' or 'ignore'",
                    target,
                )
            )
        count.setdefault(target, []).append(column)
    for target, columns in count.items():
        if len(columns) > 1 and target not in JOINED:
            problems.append(
                MappingIssue(
                    f"{field_label(target)} is filled by {len(columns)} columns ("
                    + ", ".join(repr(c) for c in columns)
                    + "); choose one",
                    f"one column for {field_label(target)}",
                    ", ".join(columns),
                )
            )
    missing = [name for name in required_fields(entity) if name not in count]
    if missing:
        labels = ", ".join(field_label(m) for m in missing)
        shown = [h for h in mapping.columns if str(h).strip()][:12]
        problems.append(
            MappingIssue(
                f"no column is mapped to {labels} (needed)",
                f"a column for {labels} (needed) among the columns of the header row",
                ", ".join(shown) if shown else "an empty header row",
            )
        )
    if mapping.date_order not in (None, "", *DATE_ORDERS):
        problems.append(
            MappingIssue(
                f"date order {mapping.date_order!r} is not one of DMY, MDY, YMD",
                "a date order (DMY, MDY or YMD)",
                str(mapping.date_order),
            )
        )
    return problems


def mapped_records(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: ColumnMapping,
    *,
    numeric: Iterable[tuple[int, int]] = (),
    keep_attributes: bool = True,
    formulas: Mapping[tuple[int, int], str] | None = None,
) -> Iterator[MappedRecord]:
    """The records under the header: (file row number, cells) in, field values out.
    ``numeric`` holds the (row, column) of cells the file stored as numbers (1-based);
    ``formulas`` the (row, column) -> formula of cells that held a formula."""
    in_formulas: dict[int, dict[int, str]] = {}
    for (row, column), formula in (formulas or {}).items():
        in_formulas.setdefault(row, {})[column] = formula
    numbers: dict[int, set[int]] = {}
    for row, column in numeric:
        numbers.setdefault(row, set()).add(column)
    width = len(header)
    targets = [mapping.target(h) if str(h).strip() else IGNORE for h in header]
    # the columns read, in order: (index, field or ATTRIBUTE, attribute key)
    # (index, field or ATTRIBUTE, attribute key, the joiner of a field several columns fill)
    read = [
        (
            index,
            target,
            attribute_key(header[index]) if target == ATTRIBUTE else "",
            JOINED.get(target),
        )
        for index, target in enumerate(targets)
        if target != IGNORE and (target != ATTRIBUTE or keep_attributes)
    ]
    empty = frozenset[str]()
    for line, cells in rows:
        count = len(cells)
        if count > width and any(str(c).strip() for c in cells[width:]):
            beyond = sum(1 for c in cells[width:] if str(c).strip())
            yield MappedRecord(line, {WIDTH_MARK: str(width + beyond)})  # a shifted row
            continue
        values: dict[str, str] = {}
        attributes: dict[str, str] = {}
        for index, target, key, joiner in read:
            if index >= count:
                break
            cell = cells[index]
            if cell == "":
                continue  # most cells of a wide file are empty
            text = cell.strip() if isinstance(cell, str) else str(cell)
            if not text:
                continue
            if key:
                attributes[key] = text
            elif joiner is not None and target in values:
                values[target] = values[target] + joiner + text
            else:
                values[target] = text
        if not values and not attributes and not any(str(c).strip() for c in cells):
            continue  # an empty row
        marked = numbers.get(line)
        numeric_fields = (
            frozenset(targets[c - 1] for c in marked if c <= width and targets[c - 1] in values)
            if marked
            else empty
        )
        found = in_formulas.get(line)
        formula_fields = {}
        if found:
            for index, target, key, _joiner in read:
                if index + 1 in found:
                    formula_fields[(key and header[index]) or target] = found[index + 1]
        yield MappedRecord(line, values, attributes, numeric_fields, formula_fields)


FORMULA_EXPECTED = "a value typed in, not a formula (formulas are never evaluated): type the value"


def formula_problems(record: MappedRecord, sheet: str = "") -> list[RowError]:
    """One problem per cell of the row that held a formula, naming the formula and the
    result the file stored for it, if any."""
    problems = []
    for column, formula in record.formulas.items():
        shown = record.values.get(column, record.attributes.get(attribute_key(column), ""))
        found = formula[:60]
        if shown and shown != formula:
            found += f" (the file's stored result: {shown[:60]})"
        problems.append(RowError(record.line, column, FORMULA_EXPECTED, found, sheet))
    return problems


def unmapped_columns(mapping: ColumnMapping) -> list[str]:
    return [h for h, t in mapping.columns.items() if t == IGNORE]
