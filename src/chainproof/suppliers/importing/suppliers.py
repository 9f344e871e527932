"""Importing suppliers: match by ref, then identifier, then normalised name + country."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chainproof.bulk import new_instance
from chainproof.domain.import_mapping import APART_KEY, ATTRIBUTES_KEY, MATCH_KEY
from chainproof.domain.records import COLUMN_SCHEMES, SUPPLIER, ref_key, supplier_key
from chainproof.suppliers.batch import Identifier, RecordChange, supplier_save_many
from chainproof.suppliers.importing.base import (
    EMPTY,
    Planner,
    Rows,
    created_fields,
    given,
    merge_over_stored,
    over_stored,
    same_but_zeros,
    same_record,
    with_name,
)
from chainproof.suppliers.matching import NameIndex
from chainproof.suppliers.models import Supplier, SupplierIdentifier
from chainproof.suppliers.validation import member_users


class SupplierPlanner(Planner):
    spec = SUPPLIER
    key_column = "legal_name"

    def save(self, changes: list[RecordChange], actor: Any) -> int:
        return supplier_save_many(
            organization_id=self.org_id, actor=actor, changes=changes, normalised=True
        )

    def _merged(
        self, line: int, row: dict[str, Any], match: Supplier, values: dict[str, Any]
    ) -> dict[str, Any]:
        """A row merged into a stored supplier: the supplier keeps its legal name and ref,
        the row's name becomes one of its aliases, its empty fields are filled, and what
        it has filled is kept (and shown: ``self.kept``)."""
        given_fields = given(row, values) - {"legal_name", "aliases", "attributes"}
        if row.get("owner"):
            given_fields.add("owner_id")
        merged, kept = merge_over_stored(match, values, given_fields, {"ref", "legal_name"})
        aliases = list(match.aliases or [])
        for name in [row["legal_name"], *(values.get("aliases") or [])]:
            aliases = with_name(aliases, name, match.legal_name, match.native_name)
        merged["aliases"] = aliases
        if "attributes" in values:
            stored = match.attributes or {}
            merged["attributes"] = {**values["attributes"], **stored}
            kept += [
                (key, stored[key], value)
                for key, value in (row.get(ATTRIBUTES_KEY) or {}).items()
                if stored.get(key) not in EMPTY and stored[key] != value
            ]
        if kept:
            self.kept.setdefault(line, []).extend(kept)
        return merged

    def plan(self, rows: Rows) -> list[RecordChange]:
        existing = {s.pk: s for s in Supplier.objects.filter(organization_id=self.org_id)}
        by_ref = {ref_key(s.ref): s for s in existing.values() if s.ref}
        by_key = {(s.normalized_name, s.country): s for s in existing.values()}
        by_digits = {s.ref.lstrip("0"): s for s in existing.values() if s.ref.isdigit()}
        identifier_owner: dict[tuple[str, str], int] = {}
        ids_of: dict[int, set[Identifier]] = defaultdict(set)
        for scheme, value, label, sid in SupplierIdentifier.objects.filter(
            organization_id=self.org_id
        ).values_list("scheme", "value", "label", "supplier_id"):
            identifier_owner[(scheme, value)] = sid
            ids_of[sid].add((scheme, value, label))
        owners = {name: user.pk for name, user in member_users(self.org_id).items()}
        seen: dict[Any, int] = {}
        in_file: dict[tuple[str, str], tuple[int, Any]] = {}  # identifier -> (row, identity)
        changes: list[RecordChange] = []
        names = NameIndex()
        for s in existing.values():
            names.add(s.ref, s.legal_name, s)
        pending_parents: list[tuple[RecordChange, int, str]] = []
        for line, row in rows:
            norm, country = supplier_key(row["legal_name"], row["country"])
            wanted_ids = {(s, row[s], "") for s in COLUMN_SCHEMES if row.get(s)}
            if row.get("other_id"):
                wanted_ids.add(("other", row["other_id"]["value"], row["other_id"]["label"]))
            match = by_ref.get(ref_key(row["ref"])) if row.get("ref") else None
            if match is None and row.get("ref") and row["ref"].isdigit():
                # A spreadsheet turned the ref into a number and dropped its leading zeros.
                match = by_digits.get(row["ref"].lstrip("0"))
            merging = False
            if match is None and row.get(MATCH_KEY) in existing:
                # A sure duplicate, or merged by a person: the row adds to the record.
                match = existing[row[MATCH_KEY]]
                merging = not same_record(
                    row.get("ref") or "",
                    (norm, country),
                    match,
                    (match.normalized_name, match.country),
                )
            apart = set(row.get(APART_KEY) or ())
            by_identifier = False
            if match is None:
                for scheme, value, _ in sorted(wanted_ids):
                    owner = identifier_owner.get((scheme, value))
                    if owner is not None and owner not in apart:
                        match, by_identifier = existing[owner], True
                        break
            if match is None and not row.get("ref"):
                match = by_key.get((norm, country))
                if match is not None and match.pk in apart:
                    match = None
            if match is not None and row.get("ref") and same_but_zeros(row["ref"], match.ref):
                row = {**row, "ref": match.ref}  # a spreadsheet dropped its leading zeros
            if (
                by_identifier
                and match is not None
                and row.get("ref")
                and match.ref
                and ref_key(row["ref"]) != ref_key(match.ref)
            ):
                # The file's ref names no stored supplier, but an identifier names one
                # with another ref: another supplier, or the same one under a new ref.
                self.error(
                    line,
                    "ref",
                    f"the ref of the supplier stored with this identifier ({match.ref}, "
                    f"{match.legal_name}), or another identifier: merge the row into that "
                    "supplier on the review page if it is the same, or correct the identifier",
                    row["ref"],
                )
                continue
            identity = match.pk if match else ("new", row.get("ref") or "", norm, country)
            if identity in seen:
                self.error(
                    line,
                    "legal_name",
                    f"one row per supplier (row {seen[identity]} is the same supplier)",
                    row["legal_name"],
                )
                continue
            seen[identity] = line
            clash = False
            for scheme, value, _ in sorted(wanted_ids):
                owner = identifier_owner.get((scheme, value))
                if owner is not None and (match is None or owner != match.pk):
                    self.error(
                        line,
                        scheme,
                        "an identifier not used by another supplier",
                        f"{value} (belongs to {existing[owner].legal_name})",
                    )
                    clash = True
                earlier = in_file.get((scheme, value))
                if earlier is not None and earlier[1] != identity:
                    self.error(
                        line,
                        scheme,
                        f"an identifier not given to another supplier in this file (row "
                        f"{earlier[0]} has it for another name)",
                        value,
                    )
                    clash = True
            if clash:
                continue
            for scheme, value, _ in wanted_ids:
                in_file.setdefault((scheme, value), (line, identity))
            values = self.clean(
                line,
                {
                    "ref": row.get("ref") or (match.ref if match else ""),
                    "legal_name": row["legal_name"],
                    "native_name": row.get("native_name"),
                    "aliases": row.get("aliases"),
                    "country": row["country"],
                    "website": row.get("website"),
                    "contact_email": row.get("contact_email"),
                    "status": row.get("status") or "active",
                    "tags": row.get("tags"),
                    "notes": row.get("notes") or "",
                },
            )
            if values is None:
                continue
            if row.get(ATTRIBUTES_KEY):
                values["attributes"] = {
                    **(match.attributes if match else {}),
                    **row[ATTRIBUTES_KEY],
                }
            if row.get("owner"):
                owner_id = owners.get(row["owner"].strip().casefold())
                if owner_id is None:
                    self.error(
                        line, "owner", "the username of a member of your organization", row["owner"]
                    )
                    continue
                values["owner_id"] = owner_id
            if merging and match is not None:
                values = self._merged(line, row, match, values)
            elif match is not None:
                kept = given(row, values) | {"ref", "legal_name", "country"}
                if row.get(ATTRIBUTES_KEY):
                    kept.add("attributes")
                if row.get("owner"):
                    kept.add("owner_id")
                values = over_stored(match, values, kept)
            if match is None:
                obj = new_instance(
                    Supplier, {"organization_id": self.org_id, "normalized_name": norm, **values}
                )
                change = RecordChange(line, obj, True, created_fields(values))
            else:
                fields = self.diff(match, values)
                if "legal_name" in fields:
                    fields["normalized_name"] = (match.normalized_name, norm)
                change = RecordChange(line, match, False, fields)
            old_ids = ids_of.get(match.pk, set()) if match else set()
            if wanted_ids and merging and match is not None:
                # A merged row adds the identifiers of the schemes the record has none of.
                stored_schemes = {s for s, _, _ in old_ids} - {"other"}
                for scheme, value, _ in sorted(wanted_ids):
                    if scheme in stored_schemes and (scheme, value) not in {
                        (s, v) for s, v, _ in old_ids
                    }:
                        had = ", ".join(sorted(v for s, v, _ in old_ids if s == scheme))
                        self.kept.setdefault(line, []).append((scheme, had, value))
                wanted_ids = old_ids | {i for i in wanted_ids if i[0] not in stored_schemes}
            elif wanted_ids and match is not None:
                # The schemes the row gives replace the stored ones; the others are kept.
                schemes = {s for s, _, _ in wanted_ids} - {"other"}
                wanted_ids |= {i for i in old_ids if i[0] not in schemes}
            if wanted_ids and {(s, v) for s, v, _ in wanted_ids} != {(s, v) for s, v, _ in old_ids}:
                change.identifiers = sorted(wanted_ids)
                change.identifiers_before = sorted(old_ids)
            names.add(values["ref"], values["legal_name"], change.obj)
            if row.get("parent") and not (merging and change.obj.parent_id):
                pending_parents.append((change, line, row["parent"]))
            changes.append(change)
        for change, line, parent_text in pending_parents:
            parent, problem = names.find(parent_text)
            if parent is None:
                self.error(
                    line, "parent", f"the ref or legal name of a supplier ({problem})", parent_text
                )
            elif parent is change.obj:
                self.error(line, "parent", "another supplier", parent_text)
            elif change.created or parent.pk is None or change.obj.parent_id != parent.pk:
                change.parent = parent
        return changes
