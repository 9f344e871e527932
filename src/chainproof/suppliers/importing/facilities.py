"""Importing facilities (worksites): match by ref, then normalised name + country +
operating supplier (chainproof.suppliers.matching, as questionnaire acceptance does)."""

from __future__ import annotations

from typing import Any

from chainproof.bulk import new_instance
from chainproof.domain.import_mapping import APART_KEY, ATTRIBUTES_KEY, MATCH_KEY, field_label
from chainproof.domain.records import FACILITY, facility_key
from chainproof.domain.supply_columns import WORKER_COLUMNS, WRITTEN_SUFFIX
from chainproof.suppliers.batch import RecordChange, facility_save_many
from chainproof.suppliers.importing.base import (
    EMPTY,
    Planner,
    Rows,
    created_fields,
    given,
    merge_over_stored,
    over_stored,
    same_record,
    with_name,
)
from chainproof.suppliers.matching import FacilityMatcher, supplier_index
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import derive_facility

# The attribute a worksite keeps the other names it was merged under (it has no aliases).
OTHER_NAMES = "Other names"
_VALUE_FIELDS = tuple(name for name in FACILITY.fields if name != "supplier")
# What derive_facility reads to place a worksite (in Xinjiang or not), and the value a new
# worksite has for each where the row gives none.
_PLACE = ("country", "subdivision", "city", "address", "native_name")
_PLACE_DEFAULTS = {
    f.name: f.get_default() for f in Facility._meta.concrete_fields if f.name in _PLACE
}


def _counts_as_written(row: dict[str, Any]) -> dict[str, str]:
    """A worker cell that gave several values ('1001-5000|1500', of which the most
    specific is stored), kept as written among the record's attributes."""
    return {
        f"{field_label(name)} (as written)": row[name + WRITTEN_SUFFIX]
        for name in WORKER_COLUMNS
        if row.get(name + WRITTEN_SUFFIX)
    }


class FacilityPlanner(Planner):
    spec = FACILITY
    key_column = "name"

    def save(self, changes: list[RecordChange], actor: Any) -> int:
        return facility_save_many(
            organization_id=self.org_id, actor=actor, changes=changes, normalised=True
        )

    def _os_id_free(
        self,
        line: int,
        row: dict[str, Any],
        match: Facility | None,
        identity: Any,
        matcher: FacilityMatcher,
        os_ids: dict[str, tuple[int, Any]],
    ) -> bool:
        """An OS ID names one worksite: not another stored one, not another row's."""
        os_id = row.get("os_id") or ""
        if not os_id:
            return True
        owner = matcher.by_os_id.get(os_id)
        if owner is not None and (match is None or owner.pk != match.pk):
            self.error(
                line, "os_id", "an OS ID not used by another worksite", f"{os_id} ({owner.name})"
            )
            return False
        earlier = os_ids.setdefault(os_id, (line, identity))
        if earlier[1] != identity:
            self.error(
                line,
                "os_id",
                f"an OS ID not given to another worksite in this file (row {earlier[0]})",
                os_id,
            )
            return False
        return True

    def _merged(
        self, line: int, row: dict[str, Any], match: Facility, values: dict[str, Any]
    ) -> dict[str, Any]:
        """A row merged into a stored worksite: the worksite keeps its name and ref, the
        row's other name is kept among its attributes (``OTHER_NAMES``: a worksite has no
        aliases), its empty fields are filled, and what it has filled is kept (and
        shown: ``self.kept``)."""
        given_fields = given(row, _VALUE_FIELDS) - {"name"}
        if row.get("supplier"):
            given_fields.add("supplier_id")
        if "total_workers" in given_fields:
            given_fields.add("total_workers_max")
        given_fields.discard("attributes")
        merged, kept = merge_over_stored(match, values, given_fields, {"ref", "name"})
        if merged["total_workers"] != values.get("total_workers"):
            merged["total_workers_max"] = match.total_workers_max  # the stored count kept whole
        kept = [k for k in kept if k[0] != "total_workers_max"]
        stored = dict(match.attributes or {})
        attributes = {**(values.get("attributes") or {}), **stored}
        kept += [
            (key, stored[key], value)
            for key, value in (values.get("attributes") or {}).items()
            if stored.get(key) not in EMPTY and stored[key] != value and key != OTHER_NAMES
        ]
        others = [n for n in str(stored.get(OTHER_NAMES) or "").split("; ") if n]
        others = with_name(others, row["name"], match.name, match.native_name)
        if others:
            attributes[OTHER_NAMES] = "; ".join(others)
        if attributes or "attributes" in values:
            merged["attributes"] = attributes
        if kept:
            self.kept.setdefault(line, []).extend(kept)
        return merged

    def plan(self, rows: Rows) -> list[RecordChange]:
        suppliers = supplier_index(self.org_id)
        facilities = list(Facility.objects.filter(organization_id=self.org_id))
        matcher = FacilityMatcher(facilities)
        chosen = {int(row[MATCH_KEY]) for _, row in rows if row.get(MATCH_KEY)}
        stored = {f.pk: f for f in facilities if f.pk in chosen}
        seen: dict[Any, int] = {}
        os_ids: dict[str, tuple[int, Any]] = {}  # OS ID -> (row, identity) in this file
        changes = []
        derived_cache: dict[tuple[str, ...], tuple[bool, str]] = {}
        for line, row in rows:
            supplier_id = None
            if row.get("supplier"):
                supplier_id, problem = suppliers.find(row["supplier"])
                if supplier_id is None:
                    self.error(
                        line,
                        "supplier",
                        f"the ref or legal name of a supplier ({problem})",
                        row["supplier"],
                    )
                    continue
            key = facility_key(row["name"], row["country"], supplier_id)
            # A sure duplicate, or merged by a person: the row adds to the stored worksite.
            merging = stored.get(row.get(MATCH_KEY) or 0)
            if merging is not None and same_record(
                row.get("ref") or "",
                key,
                merging,
                (merging.normalized_name, merging.country, merging.supplier_id),
            ):
                merging = None  # the worksite itself: updated, not merged into
            match = stored.get(row.get(MATCH_KEY) or 0) or matcher.find(
                ref=row.get("ref") or "",
                name=row["name"],
                country=row["country"],
                supplier_id=supplier_id,
                os_id=row.get("os_id") or "",
            )
            if match is not None and match.pk in (row.get(APART_KEY) or ()):
                match = None  # a person said this row is not that worksite
            identity = match.pk if match else ("new", row.get("ref") or "", *key)
            if identity in seen:
                self.error(
                    line,
                    "name",
                    f"one row per facility (row {seen[identity]} is the same facility)",
                    row["name"],
                )
                continue
            seen[identity] = line
            if not self._os_id_free(line, row, match, identity, matcher, os_ids):
                continue
            raw: dict[str, Any] = {name: row.get(name) for name in _VALUE_FIELDS}
            for name in ("address", "products_made", "notes"):
                raw[name] = raw[name] or ""
            if not row.get("ref") and match is not None:
                raw["ref"] = match.ref
            if not row.get("os_id") and match is not None:
                raw["os_id"] = match.os_id
            raw["os_id"] = raw["os_id"] or ""
            raw["kind"] = raw["kind"] or "factory"
            raw["dprk_workers"] = raw["dprk_workers"] or "not_asked"
            values = self.clean(line, raw)
            if values is None:
                continue
            values["supplier_id"] = supplier_id
            if "total_workers_max" in row:
                values["total_workers_max"] = row["total_workers_max"]
            kept_text = _counts_as_written(row)
            if row.get(ATTRIBUTES_KEY) or kept_text:
                values["attributes"] = {
                    **(match.attributes if match else {}),
                    **(row.get(ATTRIBUTES_KEY) or {}),
                    **kept_text,
                }
            if merging is not None:
                values = self._merged(line, row, merging, values)
            elif match is not None:
                kept = given(row, _VALUE_FIELDS) | {"ref", "name", "country", "os_id"}
                if row.get("supplier"):
                    kept.add("supplier_id")
                if "total_workers" in kept:
                    kept.add("total_workers_max")
                if row.get(ATTRIBUTES_KEY) or kept_text:
                    kept.add("attributes")
                values = over_stored(match, values, kept)
            place = tuple(values.get(name, _PLACE_DEFAULTS[name]) for name in _PLACE)
            if place not in derived_cache:  # a file has many worksites in each place
                probe = new_instance(Facility, dict(values))
                derive_facility(probe)
                derived_cache[place] = (probe.in_xinjiang, probe.xinjiang_reason)
            values["in_xinjiang"], values["xinjiang_reason"] = derived_cache[place]
            if match is None:
                obj = new_instance(
                    Facility, {"organization_id": self.org_id, "normalized_name": key[0], **values}
                )
                changes.append(RecordChange(line, obj, True, created_fields(values)))
            else:
                fields = self.diff(match, values)
                if "name" in fields:
                    fields["normalized_name"] = (match.normalized_name, key[0])
                changes.append(RecordChange(line, match, False, fields))
        return changes
