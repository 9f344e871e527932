"""Sorting the rows of a list into what can be imported and what needs a person.

``evaluate`` takes the mapped records of a file (``domain.import_mapping``) and, without
writing anything, types every row, finds the likely duplicates within the file and
against stored records, and plans what each row creates or changes. A row is then

- **ready**: it creates, changes or confirms a record;
- **merged**: a sure duplicate of an earlier row (same identifier, or the same name once
  legal forms and case are read alike, in the same country), folded into it unless a
  person chose to keep it apart;
- **pending**: it has a problem (a cell that is not what its column needs, a reference
  that names nothing) or may be a duplicate that a person must confirm.

The import path (``importing.run_import``) and the review pages use the same evaluation,
so a dry run and a real run always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chainproof.domain.duplicates import Candidate, DuplicatePair, find_duplicates
from chainproof.domain.import_mapping import (
    APART_KEY,
    ATTRIBUTES_KEY,
    MATCH_KEY,
    MappedRecord,
    formula_problems,
)
from chainproof.domain.records import COLUMN_SCHEMES, ref_key
from chainproof.domain.supply_columns import (
    COLUMN_SETS,
    DATE_COLUMNS,
    WORKER_COLUMNS,
    WRITTEN_SUFFIX,
    with_date_orders,
)
from chainproof.domain.tabular import NUMERIC_MARK, RowError, check_records
from chainproof.domain.values import infer_date_order
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers.batch import RecordChange
from chainproof.suppliers.importing.base import Kept, Planner, same_but_zeros
from chainproof.suppliers.matching import supplier_index
from chainproof.suppliers.models import Facility, Supplier, SupplierIdentifier

MAX_PLAN_ROUNDS = 6
DECISIONS = ("merge", "keep", "")


@dataclass
class RowOutcome:
    line: int
    state: str  # "ready", "merged" or "pending"
    action: str = ""  # words: "creates", "updates", "unchanged", "merged into row 12"
    problems: list[RowError] = field(default_factory=list)
    duplicate_of: Any = None  # the other row's line, or ("stored", pk)
    duplicate_reason: str = ""
    record: int | None = None  # the stored record the row updates or is merged into
    # A likely duplicate of a stored record: what merging would keep of the record
    # although the row says otherwise (field, stored value, the row's value).
    if_merged: list[Kept] = field(default_factory=list)


@dataclass
class Evaluation:
    entity: str
    sheet: str
    changes: list[RecordChange] = field(default_factory=list)  # only those that change
    unchanged: int = 0
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    planner: Planner | None = None
    notes: list[str] = field(default_factory=list)  # what was read, in words
    # Rows found to be a stored record (a sure duplicate, or merged by a person): the
    # record's id and why.
    into_stored: dict[int, tuple[int, str]] = field(default_factory=dict)
    # Rows that may be a stored record, for a person to decide: the row and the record.
    asked: dict[int, tuple[dict[str, Any], int]] = field(default_factory=dict)

    def records(self) -> dict[int, int]:
        """Row -> the stored record it created, updated or was merged into (after the
        write, created records have their ids)."""
        found = {o.line: o.record for o in self.outcomes.values() if o.record is not None}
        for change in self.changes:
            if change.obj.pk is not None:
                found[change.row] = change.obj.pk
        for outcome in self.merged:
            if isinstance(outcome.duplicate_of, int) and outcome.duplicate_of in found:
                found[outcome.line] = found[outcome.duplicate_of]
        return found

    @property
    def pending(self) -> list[RowOutcome]:
        return [o for o in self.outcomes.values() if o.state == "pending"]

    @property
    def merged(self) -> list[RowOutcome]:
        return [o for o in self.outcomes.values() if o.state == "merged"]

    @property
    def ready(self) -> list[RowOutcome]:
        return [o for o in self.outcomes.values() if o.state == "ready"]

    @property
    def errors(self) -> list[RowError]:
        return [p for line in sorted(self.outcomes) for p in self.outcomes[line].problems]

    @property
    def duplicates(self) -> list[RowOutcome]:
        return [o for o in self.outcomes.values() if o.duplicate_of is not None]


def as_record(record: MappedRecord) -> tuple[int, Mapping[str, str]]:
    if not record.numeric:
        return record.line, record.values  # read, never changed
    values = dict(record.values)
    values[NUMERIC_MARK] = "\t".join(sorted(record.numeric))
    return record.line, values


def evaluate(
    *,
    organization_id: int,
    entity: str,
    records: Iterable[MappedRecord],
    planner_class: type[Planner],
    sheet: str = "",
    decisions: Mapping[int, str] | None = None,
    date_order: str | None = None,
) -> Evaluation:
    """What every row would do, and which rows need a person (nothing is written).
    Dates are read in ``date_order`` when given, else in the order each date column's
    values show (a row whose date stays ambiguous asks for the order)."""
    decisions = decisions or {}
    records = list(records)
    attributes = {r.line: r.attributes for r in records if r.attributes}
    result = Evaluation(entity, sheet)
    orders = {
        name: date_order or infer_date_order(r.values[name] for r in records if r.values.get(name))
        for name in DATE_COLUMNS[entity]
    }
    checked = check_records(
        with_date_orders(COLUMN_SETS[entity], orders),
        (as_record(r) for r in records),
        known_countries=known_country_codes(organization_id),
        sheet=sheet,
    )
    for line, problems in checked.problems.items():
        result.outcomes[line] = RowOutcome(line, "pending", problems=problems)
    _more_problems(organization_id, entity, checked.partial, result, planner_class, sheet)
    rows = dict(checked.rows)
    several = sum(
        1 for row in rows.values() for name in WORKER_COLUMNS if row.get(name + WRITTEN_SUFFIX)
    )
    if several:
        result.notes.append(
            f"{several:,} worker count{'s' if several != 1 else ''} gave several values joined "
            "with '|' (as Open Supply Hub writes them): the most specific is stored and the "
            "text kept on the record as written, so nothing is lost"
        )
    for record in records:  # a formula is never evaluated: its row waits for the value
        if record.formulas:
            outcome = result.outcomes.setdefault(record.line, RowOutcome(record.line, "pending"))
            outcome.problems = formula_problems(record, sheet) + [
                p for p in outcome.problems if p.column not in record.formulas
            ]  # the formula is the problem of its cell, whatever its text would be
            rows.pop(record.line, None)
    for line, row in rows.items():
        if line in attributes:
            row[ATTRIBUTES_KEY] = attributes[line]
    if entity in ("suppliers", "facilities") and rows:
        _duplicates(organization_id, entity, rows, result, decisions, sheet)
    planned = [(line, row) for line, row in sorted(rows.items())]
    for _ in range(MAX_PLAN_ROUNDS):
        planner = planner_class(organization_id, sheet)
        changes = planner.plan(planned)
        if not planner.errors:
            break
        failing: dict[int, list[RowError]] = defaultdict(list)
        for error in planner.errors:
            failing[error.row].append(error)
        for line, problems in failing.items():
            outcome = result.outcomes.setdefault(line, RowOutcome(line, "pending"))
            outcome.state = "pending"
            outcome.problems.extend(problems)
        planned = [(line, row) for line, row in planned if line not in failing]
    else:  # rows kept failing each other: none of the rest is trusted
        for line, _row in planned:
            result.outcomes[line] = RowOutcome(
                line,
                "pending",
                problems=[RowError(line, "", "rows that refer to each other correctly", "", sheet)],
            )
        planned, changes = [], []
    result.planner = planner
    by_line = {c.row: c for c in changes}
    for line, _row in planned:
        change = by_line.get(line)
        action = (
            "unchanged"
            if change is None or not change.changed
            else "creates"
            if change.created
            else "updates"
        )
        outcome = RowOutcome(
            line, "ready", action=action, record=change.obj.pk if change is not None else None
        )
        if line in result.into_stored:
            pk, reason = result.into_stored[line]
            outcome.duplicate_of, outcome.duplicate_reason = ("stored", pk), reason
        result.outcomes[line] = outcome
    result.changes = [c for c in changes if c.changed]
    result.unchanged = len(changes) - len(result.changes)
    _if_merged(organization_id, result, planner_class, sheet)
    return result


def _if_merged(
    organization_id: int, result: Evaluation, planner_class: type[Planner], sheet: str
) -> None:
    """For each row that may be a stored record, what merging it would keep of the record
    although the row says otherwise, so that a person sees it before merging (planned as
    the merge would be, nothing written)."""
    probe = [
        (line, {**row, MATCH_KEY: pk})
        for line, (row, pk) in sorted(result.asked.items())
        if line in result.outcomes and result.outcomes[line].state == "pending"
    ]
    if not probe:
        return
    planner = planner_class(organization_id, sheet)
    try:
        planner.plan(probe)
    except (KeyError, TypeError, ValueError, AttributeError):  # a row too broken to plan
        return
    for line, kept in planner.kept.items():
        result.outcomes[line].if_merged = kept


def _more_problems(
    organization_id: int,
    entity: str,
    partial: Mapping[int, dict[str, Any]],
    result: Evaluation,
    planner_class: type[Planner],
    sheet: str,
) -> None:
    """Add what else is wrong with the rows whose cells failed (an unknown supplier, an
    owner who is no member, an identifier another record has), so that a person sees
    every problem of a row at once and fixes them together, not one after the other.
    The failed cells are left empty for this; what the planner then says about them, or
    about the row as a whole, is not added."""
    if not partial:
        return
    spec = COLUMN_SETS[entity]
    probe: list[tuple[int, dict[str, Any]]] = []
    for line, typed in sorted(partial.items()):
        row = dict(typed)
        for column in spec.columns:
            if row.get(column.name) is None:
                row[column.name] = "" if column.required else [] if column.is_list else None
        probe.append((line, row))
    planner = planner_class(organization_id, sheet)
    try:
        planner.plan(probe)
    except (KeyError, TypeError, ValueError, AttributeError):  # a row too broken to plan
        return
    for error in planner.errors:
        outcome = result.outcomes.get(error.row)
        if outcome is None or error.column in ("", planner.key_column):
            continue
        failed = {p.column for p in outcome.problems}
        if error.column not in failed:
            outcome.problems.append(error)


# --- duplicates ----------------------------------------------------------------------------


def _identifiers(row: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    found = {(s, str(row[s])) for s in COLUMN_SCHEMES if row.get(s)}
    if row.get("other_id"):
        found.add(("other", str(row["other_id"]["value"])))
    return frozenset(found)


def _row_candidate(entity: str, line: int, row: Mapping[str, Any]) -> Candidate:
    name = row["legal_name"] if entity == "suppliers" else row["name"]
    others = tuple(n for n in [row.get("native_name"), *(row.get("aliases") or [])] if n)
    return Candidate(
        key=line,
        name=name,
        other_names=others,
        country=row.get("country") or "",
        identifiers=_identifiers(row) if entity == "suppliers" else frozenset(),
    )


def _stored_candidates(
    organization_id: int, entity: str, refs: set[str] | frozenset[str] = frozenset()
) -> list[Candidate]:
    """The stored records to look for duplicates among, but those a row names by its ref
    (that row updates its record; looking again would only find the record itself)."""
    model = Supplier if entity == "suppliers" else Facility
    skipped = set()
    if refs:
        skipped = {
            pk
            for pk, ref in model.objects.filter(organization_id=organization_id)
            .exclude(ref="")
            .values_list("pk", "ref")
            if ref_key(ref) in refs
        }
    return [c for c in _stored(organization_id, entity) if c.key[1] not in skipped]  # type: ignore[index]


def _stored(organization_id: int, entity: str) -> list[Candidate]:
    if entity == "suppliers":
        ids: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for scheme, value, owner in SupplierIdentifier.objects.filter(
            organization_id=organization_id
        ).values_list("scheme", "value", "supplier_id"):
            ids[owner].add((scheme, value))
        return [
            Candidate(
                key=("stored", pk),
                name=name,
                other_names=tuple(n for n in [native, *(aliases or [])] if n),
                country=country,
                identifiers=frozenset(ids.get(pk, ())),
            )
            for pk, name, native, aliases, country in Supplier.objects.filter(
                organization_id=organization_id
            ).values_list("pk", "legal_name", "native_name", "aliases", "country")
        ]
    return [
        Candidate(key=("stored", pk), name=name, other_names=(native,) if native else (), country=c)
        for pk, name, native, c in Facility.objects.filter(
            organization_id=organization_id
        ).values_list("pk", "name", "native_name", "country")
    ]


class _Operators:
    """Worksites are the same only under the same operating supplier ("Main factory" of
    two suppliers are two sites): the supplier of each row and stored worksite."""

    def __init__(self, organization_id: int, rows: Mapping[int, Mapping[str, Any]]) -> None:
        self.text = {
            line: (row.get("supplier") or "").strip().casefold() for line, row in rows.items()
        }
        index = supplier_index(organization_id) if any(self.text.values()) else None
        self.row_id = {
            line: index.find(rows[line]["supplier"])[0] if index and text else None
            for line, text in self.text.items()
        }
        self.stored_id = dict(
            Facility.objects.filter(organization_id=organization_id).values_list(
                "pk", "supplier_id"
            )
        )

    def apart(self, a: Any, b: Any) -> bool:
        if isinstance(a, int) and isinstance(b, int):
            # The supplier as found (one row may name it by its ref, another by its name);
            # as written when it is not stored.
            found_a, found_b = self.row_id.get(a), self.row_id.get(b)
            if found_a is not None and found_b is not None:
                return bool(found_a != found_b)
            return bool(self.text[a] and self.text[b] and self.text[a] != self.text[b])
        line, stored = (a, b) if isinstance(a, int) else (b, a)
        return self.row_id.get(line) != self.stored_id.get(stored[1])


def _duplicates(
    organization_id: int,
    entity: str,
    rows: dict[int, dict[str, Any]],
    result: Evaluation,
    decisions: Mapping[int, str],
    sheet: str,
) -> None:
    """Fold sure duplicates into their first row, hold doubtful ones for a person."""
    candidates = [_row_candidate(entity, line, row) for line, row in sorted(rows.items())]
    refs = {ref_key(row["ref"]) for row in rows.values() if row.get("ref")}
    stored = _stored_candidates(organization_id, entity, refs)
    pairs = find_duplicates(candidates, stored)
    model = Supplier if entity == "suppliers" else Facility
    stored_refs = dict(
        model.objects.filter(organization_id=organization_id)
        .exclude(ref="")
        .values_list("pk", "ref")
    )
    if entity == "facilities":
        operators = _Operators(organization_id, rows)
        pairs = [p for p in pairs if not operators.apart(p.a, p.b)]
    name_column = "legal_name" if entity == "suppliers" else "name"
    into: dict[int, int] = {}  # a row merged into an earlier one
    for pair in sorted(pairs, key=_pair_order):
        a, b = pair.a, pair.b
        stored_side = a if isinstance(a, tuple) else b if isinstance(b, tuple) else None
        if stored_side is not None:
            line = b if stored_side is a else a
            if not isinstance(line, int) or line not in rows or line in into:
                continue
            if _against_stored(
                rows[line], line, stored_side, pair, result, decisions, sheet, stored_refs
            ):
                result.asked[line] = (rows.pop(line), stored_side[1])
            continue
        if not isinstance(a, int) or not isinstance(b, int):
            continue
        first, later = min(a, b), max(a, b)
        if later in into or later not in rows or first not in rows:
            continue
        root = into.get(first, first)
        decision = decisions.get(later, "")
        if decision == "keep":
            continue
        if pair.sure or decision == "merge":
            _merge(rows[root], rows.pop(later), entity)
            into[later] = root
            result.outcomes[later] = RowOutcome(
                later,
                "merged",
                action=f"merged into row {root}",
                duplicate_of=root,
                duplicate_reason=pair.reason,
            )
        else:
            name = rows.pop(later)[name_column]
            result.outcomes[later] = RowOutcome(
                later,
                "pending",
                problems=[
                    RowError(
                        later,
                        name_column,
                        f"a row that is not a duplicate, or your choice: it may be the same "
                        f"as row {root} ({pair.reason}); merge them or keep them apart",
                        name,
                        sheet,
                    )
                ],
                duplicate_of=root,
                duplicate_reason=pair.reason,
            )


def _pair_order(pair: DuplicatePair) -> tuple[int, int, int]:
    def line(key: Any) -> int:
        return key if isinstance(key, int) else 0

    return (0 if pair.sure else 1, min(line(pair.a), line(pair.b)), max(line(pair.a), line(pair.b)))


def _against_stored(
    row: dict[str, Any],
    line: int,
    stored: tuple[str, int],
    pair: DuplicatePair,
    result: Evaluation,
    decisions: Mapping[int, str],
    sheet: str,
    stored_refs: Mapping[int, str],
) -> bool:
    """Point the row at the stored record it surely is; True when a person must decide.
    A row whose own ref differs from the record's is never surely it (another supplier
    with a shared identifier, or the same one under a new code: a person says which)."""
    decision = decisions.get(line, "")
    stored_ref = stored_refs.get(stored[1], "")
    own_ref = str(row.get("ref") or "")
    other_code = bool(
        own_ref
        and stored_ref
        and ref_key(own_ref) != ref_key(stored_ref)
        and not same_but_zeros(own_ref, stored_ref)
    )
    if decision == "keep":
        # Kept apart: the planner must never match the row to that record (by an
        # identifier they share, say); a clash then needs a person.
        row.setdefault(APART_KEY, []).append(stored[1])
        return False
    if (pair.sure and not other_code) or decision == "merge":
        row.setdefault(MATCH_KEY, stored[1])
        result.into_stored[line] = (stored[1], pair.reason if pair.sure else "your choice")
        return False
    reason = f"{pair.reason}; its ref is {stored_ref}" if other_code else pair.reason
    result.outcomes[line] = RowOutcome(
        line,
        "pending",
        problems=[
            RowError(
                line,
                "legal_name" if "legal_name" in row else "name",
                "a row that is not already stored, or your choice: it may be a record you "
                f"have ({reason}); merge it with that record or keep it apart",
                str(row.get("legal_name") or row.get("name") or ""),
                sheet,
            )
        ],
        duplicate_of=stored,
        duplicate_reason=reason,
    )
    return True


def _merge(primary: dict[str, Any], other: dict[str, Any], entity: str) -> None:
    """Fold a duplicate row into the first: its empty cells filled, the other name kept
    as an alias, identifiers and attributes added."""
    name_field = "legal_name" if entity == "suppliers" else "name"
    for key, value in other.items():
        if key in (name_field, "aliases", ATTRIBUTES_KEY, MATCH_KEY, APART_KEY):
            continue
        if primary.get(key) in (None, "", []) and value not in (None, "", []):
            primary[key] = value
    if entity == "suppliers":
        aliases = list(primary.get("aliases") or [])
        for name in [other.get(name_field), *(other.get("aliases") or [])]:
            if name and name != primary.get(name_field) and name not in aliases:
                aliases.append(name)
        primary["aliases"] = aliases
    if other.get(ATTRIBUTES_KEY):
        primary[ATTRIBUTES_KEY] = {**other[ATTRIBUTES_KEY], **(primary.get(ATTRIBUTES_KEY) or {})}
    if other.get(MATCH_KEY) and not primary.get(MATCH_KEY):
        primary[MATCH_KEY] = other[MATCH_KEY]
