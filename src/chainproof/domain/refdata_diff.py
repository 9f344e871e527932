"""What changed between two editions of one reference list: entries added, removed,
renamed, with aliases changed, with status changed, with other fields changed.

Both editions arrive as rows in chainproof's layout for the kind (`domain/refdata.py`),
as validated (dates, numbers, lists) or as stored; a column missing from either side is
not compared. Entries are matched by each kind's identity (the OFAC entity number, a
TIP country and year, a WRO's entity and date...); entries left unmatched are then paired
when one is the other renamed (a UFLPA or WRO entry whose names overlap: the old primary
name is now an alias, or they share an alias). What remains unmatched was added or removed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = Mapping[str, Any]

EXAMPLES = 10  # how many entries of each category a summary names


@dataclass(frozen=True)
class Identity:
    """How entries of one kind are told apart and named."""

    key: tuple[str, ...]  # the columns that identify an entry across editions
    name: str = ""  # the column holding its primary name ("" when it has none)
    aliases: str = ""  # the column holding its other names
    status: str = ""  # the column whose change is a change of status (WRO status, TIP tier)
    rename_by_names: bool = False  # pair unmatched entries whose names overlap
    rename_key: tuple[str, ...] = ()  # ...or that agree on these columns (one to one)
    label: str = ""  # how an entry is named to a reader, from its columns (default: its key)
    same_as_status: tuple[str, ...] = ()  # columns restating the status (the tier's code)


IDENTITIES: dict[str, Identity] = {
    "countries": Identity(
        ("alpha2",), name="name", status="code_status", label="{name} ({alpha2})"
    ),
    "tip_tiers": Identity(
        ("report_year", "iso2"),
        status="tier",
        same_as_status=("tier_code",),
        label="{country_name_source}, TIP Report {report_year}",
    ),
    "dol_goods": Identity(
        ("good", "iso2", "input_country_iso2"), label="{good} from {country_name_source}"
    ),
    "cbp_wro_findings": Identity(
        ("entity", "effective_date"),
        name="entity",
        aliases="aliases",
        status="status",
        rename_by_names=True,
        rename_key=("effective_date", "type", "merchandise"),
        label="{entity} ({type} of {effective_date})",
    ),
    # An entity may be listed under several sections: one entry per section.
    "uflpa_entity_list": Identity(
        ("section", "primary_name"),
        name="primary_name",
        aliases="aliases",
        rename_by_names=True,
        label="{primary_name} (section {section} of the list)",
    ),
    "ofac_sdn_dprk": Identity(
        ("ent_num",), name="name", aliases="alternate_names", label="{name} (entry {ent_num})"
    ),
    "dprk_overseas_labor": Identity(
        ("host_country_or_region", "excerpt_verbatim"),
        label="{host_country_or_region}: “{excerpt_verbatim}”",
    ),
    "ilo_indicators": Identity(
        ("indicator_number",), name="indicator", label="{indicator_number}. {indicator}"
    ),
}


def identity_of(kind: str) -> Identity:
    try:
        return IDENTITIES[kind]
    except KeyError:
        raise ValueError(f"unknown dataset kind {kind!r}") from None


# --- normalizing values ------------------------------------------------------------------


def normal_name(value: Any) -> str:
    """A name for matching: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", str(value or "").casefold()).split())


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        separator = "|" if "|" in value else ";"
        return [part.strip() for part in value.split(separator) if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


def _plain(value: Any) -> str:
    """A cell as text a person reads, and compares."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return " | ".join(_list(value))
    return " ".join(str(value).split())


def _comparable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return frozenset(normal_name(v) for v in _list(value))
    return _plain(value)


# --- the result --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.column.replace('_', ' ')}: {self.old or '(empty)'} → {self.new or '(empty)'}"


@dataclass(frozen=True)
class EntryChange:
    """One entry present in both editions, and how it changed."""

    label: str  # how the entry is named in the new edition
    old_name: str = ""
    new_name: str = ""
    aliases_added: tuple[str, ...] = ()
    aliases_removed: tuple[str, ...] = ()
    old_status: str = ""
    new_status: str = ""
    fields: tuple[FieldChange, ...] = ()

    @property
    def renamed(self) -> bool:
        return self.old_name != self.new_name

    @property
    def aliases_changed(self) -> bool:
        return bool(self.aliases_added or self.aliases_removed)

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    def describe(self) -> str:
        parts = []
        if self.renamed:
            parts.append(f"renamed from {self.old_name!r} to {self.new_name!r}")
        if self.aliases_added:
            parts.append("aliases added: " + ", ".join(self.aliases_added))
        if self.aliases_removed:
            parts.append("aliases removed: " + ", ".join(self.aliases_removed))
        if self.status_changed:
            parts.append(f"status {self.old_status or '(empty)'} → {self.new_status or '(empty)'}")
        parts.extend(str(f) for f in self.fields)
        return f"{self.label}: " + "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "old_name": self.old_name,
            "new_name": self.new_name,
            "aliases_added": list(self.aliases_added),
            "aliases_removed": list(self.aliases_removed),
            "old_status": self.old_status,
            "new_status": self.new_status,
            "fields": [[f.column, f.old, f.new] for f in self.fields],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EntryChange:
        return cls(
            label=data["label"],
            old_name=data["old_name"],
            new_name=data["new_name"],
            aliases_added=tuple(data["aliases_added"]),
            aliases_removed=tuple(data["aliases_removed"]),
            old_status=data["old_status"],
            new_status=data["new_status"],
            fields=tuple(FieldChange(*f) for f in data["fields"]),
        )


CATEGORIES = (
    ("added", "added"),
    ("removed", "removed"),
    ("renamed", "renamed"),
    ("aliases_changed", "with aliases changed"),
    ("status_changed", "with status changed"),
    ("fields_changed", "with other details changed"),
)


@dataclass(frozen=True)
class EditionDiff:
    """The difference between the edition in force (old) and a new one, of one kind."""

    kind: str
    old_count: int
    new_count: int
    added: tuple[str, ...] = ()  # labels of the entries
    removed: tuple[str, ...] = ()
    changed: tuple[EntryChange, ...] = ()
    unchanged: int = 0

    @property
    def renamed(self) -> list[EntryChange]:
        return [c for c in self.changed if c.renamed]

    @property
    def aliases_changed(self) -> list[EntryChange]:
        return [c for c in self.changed if c.aliases_changed]

    @property
    def status_changed(self) -> list[EntryChange]:
        return [c for c in self.changed if c.status_changed]

    @property
    def fields_changed(self) -> list[EntryChange]:
        return [c for c in self.changed if c.fields]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name, _ in CATEGORIES}

    def summary(self) -> str:
        """One sentence: "2 added, 1 removed, 1 renamed ... (545 entries before, 546 now)"."""
        if self.is_empty:
            return f"no changes ({self.new_count} entries)"
        counts = self.counts()
        parts = [f"{counts[name]} {words}" for name, words in CATEGORIES if counts[name]]
        return (
            ", ".join(parts) + f" ({self.old_count} entries before, {self.new_count} now; "
            f"{self.unchanged} unchanged)"
        )

    def sections(self, limit: int | None = EXAMPLES) -> list[tuple[str, int, list[str]]]:
        """Each non-empty category: its title, its count, and (up to ``limit``) lines."""
        out = []
        for name, words in CATEGORIES:
            items = getattr(self, name)
            if not items:
                continue
            shown = items if limit is None else items[:limit]
            lines = [item if isinstance(item, str) else item.describe() for item in shown]
            out.append((f"Entries {words}", len(items), lines))
        return out

    def text(self, limit: int | None = EXAMPLES) -> str:
        """The diff in words, for a terminal or an email."""
        lines = [self.summary()]
        for title, count, items in self.sections(limit):
            lines.append(f"{title}: {count}")
            lines.extend(f"  - {item}" for item in items)
            if len(items) < count:
                lines.append(f"  … and {count - len(items)} more")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old_count": self.old_count,
            "new_count": self.new_count,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [c.as_dict() for c in self.changed],
            "unchanged": self.unchanged,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EditionDiff:
        return cls(
            kind=data["kind"],
            old_count=data["old_count"],
            new_count=data["new_count"],
            added=tuple(data["added"]),
            removed=tuple(data["removed"]),
            changed=tuple(EntryChange.from_dict(c) for c in data["changed"]),
            unchanged=data["unchanged"],
        )


# --- computing it ------------------------------------------------------------------------


def _key(identity: Identity, row: Row) -> tuple[str, ...]:
    return tuple(normal_name(_plain(row.get(column))) for column in identity.key)


def _label(identity: Identity, row: Row) -> str:
    if identity.label:
        values = {column: _plain(value) for column, value in row.items()}
        try:
            text = identity.label.format_map(values)
        except KeyError:
            text = ""
    else:
        text = ""
    if not text:
        text = ", ".join(_plain(row.get(c)) for c in identity.key if _plain(row.get(c)))
    text = text or "(unnamed entry)"
    return text if len(text) <= 200 else text[:199] + "…"


def _names(identity: Identity, row: Row) -> set[str]:
    names = {normal_name(row.get(identity.name))} if identity.name else set()
    if identity.aliases:
        names |= {normal_name(a) for a in _list(row.get(identity.aliases))}
    return names - {""}


def _compare(identity: Identity, old: Row, new: Row) -> EntryChange | None:
    skip = {identity.name, identity.aliases, identity.status, *identity.same_as_status} - {""}
    old_name = _plain(old.get(identity.name)) if identity.name else ""
    new_name = _plain(new.get(identity.name)) if identity.name else ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    if identity.aliases and identity.aliases in old and identity.aliases in new:
        before = {normal_name(a): a for a in _list(old[identity.aliases])}
        after = {normal_name(a): a for a in _list(new[identity.aliases])}
        added = tuple(after[k] for k in after if k not in before)
        removed = tuple(before[k] for k in before if k not in after)
    old_status = new_status = ""
    if identity.status and identity.status in old and identity.status in new:
        old_status, new_status = _plain(old[identity.status]), _plain(new[identity.status])
    fields = tuple(
        FieldChange(column, _plain(old[column]), _plain(new[column]))
        for column in new
        if column in old
        and column not in skip
        and _comparable(old[column]) != _comparable(new[column])
    )
    change = EntryChange(
        label=_label(identity, new),
        old_name=old_name,
        new_name=new_name,
        aliases_added=added,
        aliases_removed=removed,
        old_status=old_status,
        new_status=new_status,
        fields=fields,
    )
    if change.renamed or change.aliases_changed or change.status_changed or change.fields:
        return change
    return None


def _signature(row: Row) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _comparable(v)) for k, v in row.items()))


def _pair_by_key(
    identity: Identity, old: Sequence[Row], new: Sequence[Row]
) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Pairs of entries with the same identity; the old and new entries left over. When a
    key repeats (two WROs of one entity on one date), identical rows pair first, then the
    rest in order."""
    old_by: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in old:
        old_by[_key(identity, row)].append(row)
    new_by: dict[tuple[str, ...], list[Row]] = defaultdict(list)
    for row in new:
        new_by[_key(identity, row)].append(row)
    pairs: list[tuple[Row, Row]] = []
    left_new: list[Row] = []
    for key, news in new_by.items():
        olds = list(old_by.pop(key, []))
        rest = []
        for row in news:
            same = next((o for o in olds if _signature(o) == _signature(row)), None)
            if same is not None:
                olds.remove(same)
                pairs.append((same, row))
            else:
                rest.append(row)
        for row in rest:
            if olds:
                pairs.append((olds.pop(0), row))
            else:
                left_new.append(row)
        if olds:
            old_by[key] = olds
    left_old = [row for rows in old_by.values() for row in rows]
    return pairs, left_old, left_new


def _pair_renamed(
    identity: Identity, old: list[Row], new: list[Row]
) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    """Unmatched entries whose names overlap, then those that agree on the kind's
    rename key, one to one (an ambiguous match is left as an addition and a removal
    rather than guessed)."""
    pairs: list[tuple[Row, Row]] = []
    if identity.rename_by_names:
        found, old, new = _pair_one_to_one(
            old, new, lambda a, b: bool(_names(identity, a) & _names(identity, b))
        )
        pairs += found
    if identity.rename_key:
        columns = identity.rename_key
        found, old, new = _pair_one_to_one(
            old,
            new,
            lambda a, b: all(_comparable(a.get(c)) == _comparable(b.get(c)) for c in columns),
        )
        pairs += found
    return pairs, old, new


def _pair_one_to_one(
    old: list[Row], new: list[Row], related: Callable[[Row, Row], bool]
) -> tuple[list[tuple[Row, Row]], list[Row], list[Row]]:
    candidates: dict[int, list[int]] = defaultdict(list)
    claimed: dict[int, list[int]] = defaultdict(list)
    for j, after in enumerate(new):
        for i, before in enumerate(old):
            if related(before, after):
                candidates[j].append(i)
                claimed[i].append(j)
    pairs, used_old, used_new = [], set(), set()
    for j, found in candidates.items():
        if len(found) == 1 and len(claimed[found[0]]) == 1:
            pairs.append((old[found[0]], new[j]))
            used_old.add(found[0])
            used_new.add(j)
    return (
        pairs,
        [row for i, row in enumerate(old) if i not in used_old],
        [row for j, row in enumerate(new) if j not in used_new],
    )


def edition_diff(kind: str, old: Iterable[Row], new: Iterable[Row]) -> EditionDiff:
    """The changes from ``old`` (the edition in force) to ``new``."""
    identity = identity_of(kind)
    old_rows, new_rows = list(old), list(new)
    pairs, left_old, left_new = _pair_by_key(identity, old_rows, new_rows)
    renamed, left_old, left_new = _pair_renamed(identity, left_old, left_new)
    changes = []
    for before, after in pairs + renamed:
        change = _compare(identity, before, after)
        if change is not None:
            changes.append(change)
    changes.sort(key=lambda c: c.label.casefold())
    return EditionDiff(
        kind=kind,
        old_count=len(old_rows),
        new_count=len(new_rows),
        added=tuple(sorted((_label(identity, r) for r in left_new), key=str.casefold)),
        removed=tuple(sorted((_label(identity, r) for r in left_old), key=str.casefold)),
        changed=tuple(changes),
        unchanged=len(pairs) + len(renamed) - len(changes),
    )


__all__ = ["IDENTITIES", "EditionDiff", "EntryChange", "FieldChange", "edition_diff"]
