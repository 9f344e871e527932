"""What every import planner shares: the report, the failure, and the planning helpers.

A planner turns validated rows into :class:`RecordChange` objects (what each row
creates or changes) without writing anything, recording problems as row errors; its
``save`` hands the changes to the service layer's bulk function for its kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chainproof.domain.import_mapping import field_label
from chainproof.domain.records import RecordSpec, SpecError, ref_key
from chainproof.domain.tabular import MAX_ERRORS_REPORTED, RowError
from chainproof.suppliers.batch import RecordChange, show

Progress = Callable[[int, int | None, str], None]
Rows = list[tuple[int, dict[str, Any]]]


class ImportFailed(Exception):
    """The file was rejected; nothing was stored. ``errors`` are row-level problems."""

    # True when the file was read and only some rows need a person: importing the others
    # and keeping these pending (``import_valid``) is possible.
    rows_pending = False

    def __init__(self, source: str, errors: list[RowError], total: int | None = None) -> None:
        self.source = source
        self.errors = errors[:MAX_ERRORS_REPORTED]
        self.total = total if total is not None else len(errors)
        first = "; ".join(str(e) for e in self.errors[:3])
        more = f" (and {self.total - 3} more)" if self.total > 3 else ""
        super().__init__(f"{source}: {first}{more}")


@dataclass
class ImportReport:
    entity: str
    file_name: str
    sha256: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict[str, Any]] = field(default_factory=list)
    tiers: dict[str, Any] | None = None
    # The mapping step: where the header was, which columns filled what.
    header_row: int = 1
    mapping: str = ""
    unmapped: list[str] = field(default_factory=list)  # columns left out
    attributes: list[str] = field(default_factory=list)  # columns kept as attributes
    notes: list[str] = field(default_factory=list)  # what reading guessed
    # The review step: rows folded into a duplicate, rows kept for a person.
    merged: int = 0
    pending: int = 0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    # Rows merged into a stored record: what the record kept although the row said
    # otherwise ({"row", "record", "field", "stored", "file", "words"}).
    kept: list[dict[str, Any]] = field(default_factory=list)
    batch_id: int | None = None

    def describe_reading(self, listing: Any, mapping: Any) -> None:
        self.header_row = listing.header_row
        self.mapping = mapping.as_text()
        self.unmapped = [h for h, t in mapping.columns.items() if t == "ignore"]
        self.attributes = [h for h, t in mapping.columns.items() if t == "attribute"]
        self.notes = list(listing.notes)

    def describe_rows(self, evaluation: Any) -> None:
        self.notes += [n for n in evaluation.notes if n not in self.notes]
        self.merged = len(evaluation.merged)
        self.pending = len(evaluation.pending)
        self.duplicates = [
            {
                "row": o.line,
                "of": o.duplicate_of if isinstance(o.duplicate_of, int) else None,
                "stored": o.duplicate_of[1] if isinstance(o.duplicate_of, tuple) else None,
                "reason": o.duplicate_reason,
                "merged": o.state != "pending",
            }
            for o in sorted(evaluation.duplicates, key=lambda o: o.line)[:MAX_ERRORS_REPORTED]
        ]
        self.problems = [e.as_dict() for e in evaluation.errors[:MAX_ERRORS_REPORTED]]
        planner = evaluation.planner
        records = evaluation.records()
        self.kept = [
            {
                "row": line,
                "record": records.get(line),
                "field": name,
                "stored": show(stored),
                "file": show(given_value),
                "words": kept_words([(name, stored, given_value)]),
            }
            for line, kept in sorted((planner.kept if planner else {}).items())
            for name, stored, given_value in kept
        ][:MAX_ERRORS_REPORTED]

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "pending": self.pending,
            "batch_id": self.batch_id,
            "header_row": self.header_row,
            "mapping": self.mapping,
            "unmapped": self.unmapped,
            "attributes": self.attributes,
            "notes": self.notes,
            "duplicates": self.duplicates,
            "problems": self.problems,
            "kept": self.kept,
            "changes": self.changes,
            "tiers": self.tiers,
        }


class Planner(ABC):
    spec: RecordSpec
    key_column: str  # the column a problem with a whole row is reported in

    def __init__(self, organization_id: int, sheet: str) -> None:
        self.org_id = organization_id
        self.sheet = sheet
        self.errors: list[RowError] = []
        # Row -> what merging it into a stored record kept although the row said otherwise.
        self.kept: dict[int, list[Kept]] = {}

    def error(self, row: int, column: str, expected: str, found: str) -> None:
        self.errors.append(RowError(row, column, expected, found, self.sheet))

    @abstractmethod
    def plan(self, rows: Rows) -> list[RecordChange]:
        """Match every row with what is stored; record problems in self.errors."""

    @abstractmethod
    def save(self, changes: list[RecordChange], actor: Any) -> int:
        """Write the changes through the service layer; the number of records written."""

    def clean(self, line: int, values: dict[str, Any]) -> dict[str, Any] | None:
        """The row's values as the services store them, or None after recording why not."""
        try:
            return self.spec.normalise(values)
        except SpecError as exc:
            self.error(line, self.spec.column_of(exc.field), exc.expected, exc.found)
            return None

    @staticmethod
    def diff(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        changed = {}
        for name, value in values.items():
            old = getattr(obj, name)
            if old != value and not (old in (None, "") and value in (None, "")):
                changed[name] = (old, value)
        return changed


def given(row: dict[str, Any], names: Any) -> set[str]:
    """The fields a row gives a value for (a column the file does not have, or an empty
    cell, gives none)."""
    return {name for name in names if row.get(name) not in (None, "", [], {})}


def over_stored(match: Any, values: dict[str, Any], given_fields: set[str]) -> dict[str, Any]:
    """On an update, the row's values over the stored record's: a field the row gives no
    value for keeps what is stored. An import never erases a value (a list re-imported
    with fewer columns, or with empty cells, changes only what it says); a value is
    cleared on the record's page."""
    if match is None:
        return values
    return {
        name: value if name in given_fields else getattr(match, name)
        for name, value in values.items()
    }


EMPTY: tuple[Any, ...] = (None, "", [], {})
# What a merge kept of a stored record although the row said otherwise: the field, the
# stored value, the row's value.
Kept = tuple[str, Any, Any]


def merge_over_stored(
    match: Any, values: dict[str, Any], given_fields: set[str], kept_fields: set[str]
) -> tuple[dict[str, Any], list[Kept]]:
    """A row merged into a stored record (a sure duplicate, or a person's choice) adds to
    the record, never replaces: ``kept_fields`` (its name and ref) stay as stored, a
    field the record has empty takes the row's value, a field it has filled keeps its
    value, and each such value the row gave otherwise is returned to be shown."""
    merged: dict[str, Any] = {}
    kept: list[Kept] = []
    for name, value in values.items():
        old = getattr(match, name)
        if name not in given_fields or value in EMPTY:
            merged[name] = old
        elif old in EMPTY and name not in kept_fields:
            merged[name] = value
        else:
            merged[name] = old
            if old != value and not (
                isinstance(old, str) and old.casefold() == str(value).casefold()
            ):
                kept.append((name, old, value))
    return merged, kept


def same_record(
    row_ref: str, row_key: tuple[Any, ...], match: Any, stored_key: tuple[Any, ...]
) -> bool:
    """A row the import's own exact key names (its normalised name and country, and for a
    worksite its operating supplier), without a ref of its own that differs: the stored
    record itself, which the row updates, not another spelling of it merged in."""
    own = str(row_ref or "")
    return row_key == stored_key and (
        not own or ref_key(own) == ref_key(match.ref) or same_but_zeros(own, match.ref)
    )


def kept_words(kept: list[Kept], *, done: bool = True) -> str:
    """What a merge kept, in words: "kept the stored Website https://a.example, the file
    said https://b.example" (``done``), or what it would keep: "keeps ..., the file says"."""
    keeps, says = ("kept", "said") if done else ("keeps", "says")
    return "; ".join(
        f"{keeps} the stored {field_label(name)} {_text(stored)}, the file {says} {_text(value)}"
        for name, stored, value in kept
    )


def _text(value: Any) -> str:
    shown = show(value)
    if isinstance(shown, list):
        return ", ".join(str(v) for v in shown)
    return str(shown)


def with_name(names: list[str], name: str, *others: str) -> list[str]:
    """``names`` with ``name`` added unless it is already there or is one of ``others``
    (read alike whatever the case)."""
    seen = {n.casefold() for n in [*names, *others] if n}
    return [*names, name] if name and name.casefold() not in seen else list(names)


def same_but_zeros(given_text: str, stored: str) -> bool:
    """A code a spreadsheet turned into a number: the stored one with its leading zeros
    dropped ('100234' for '0000100234')."""
    return (
        given_text.isdigit()
        and stored.isdigit()
        and len(stored) > len(given_text)
        and stored.lstrip("0") == given_text.lstrip("0")
    )


def created_fields(values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (None, value) for name, value in values.items()}
