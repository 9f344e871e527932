"""Importing suppliers, facilities, materials, products and links from CSV or XLSX.

Three stages, so a bad file changes nothing: read and validate every cell (domain
layouts), then resolve references and match existing records (a plan of what would be
created, updated or left unchanged), then apply the whole plan in one transaction with
one audit event per record. ``dry_run`` stops after the plan.

Matching, so that importing the same file twice changes nothing:
- suppliers: ref, then any identifier (DUNS, LEI, USCC, tax id), then normalised legal
  name + country;
- facilities: ref, then normalised name + country + operating supplier;
- materials: normalised name; products: SKU;
- links: source, target, item carried and valid-from date.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from chainproof.accounts.models import Membership
from chainproof.audit.services import audit_record, audit_record_many
from chainproof.bulk import insert, new_instance, update
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.names import normalize_name
from chainproof.domain.supply_layouts import LAYOUTS
from chainproof.domain.tabular import (
    MAX_ERRORS_REPORTED,
    RowError,
    TableFileError,
    read_table,
    validate_sheet,
)
from chainproof.jobs.services import job_enqueue
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)
from chainproof.suppliers.services import derive_facility, tiers_recompute

ENTITIES = tuple(LAYOUTS)
Progress = Callable[[int, int | None, str], None]


class ImportFailed(Exception):
    """The file was rejected; nothing was stored. ``errors`` are row-level problems."""

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
            "changes": self.changes,
            "tiers": self.tiers,
        }


@dataclass
class _Change:
    row: int
    obj: Any
    fields: dict[str, tuple[Any, Any]]
    created: bool
    extra: dict[str, Any] = field(default_factory=dict)
    label: str = ""

    def __str__(self) -> str:
        return self.label or str(self.obj)


def _noop(done: int, total: int | None, message: str = "") -> None:
    return None


def run_import(
    *,
    organization: Any,
    actor: Any,
    entity: str,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Progress = _noop,
) -> ImportReport:
    if entity not in LAYOUTS:
        raise ValueError(f"unknown import kind {entity!r}; expected one of {', '.join(ENTITIES)}")
    org_id = getattr(organization, "pk", organization)
    report = ImportReport(entity, file_name, sha256_bytes(data), dry_run)
    progress(0, None, "reading the file")
    try:
        sheet = read_table(data, file_name, sheet=entity)
        rows = validate_sheet(
            LAYOUTS[entity],
            sheet,
            source=file_name,
            known_countries=known_country_codes(org_id),
            allow_missing_optional=True,
        )
    except TableFileError as exc:
        raise ImportFailed(file_name, exc.errors, exc.total) from None
    report.rows = len(rows)
    progress(0, len(rows), "matching rows with existing records")
    planner = _PLANNERS[entity](org_id, sheet.name)
    changes = planner.plan(rows)
    if planner.errors:
        raise ImportFailed(file_name, planner.errors, len(planner.errors))
    report.created = sum(1 for c in changes if c.created)
    report.updated = sum(1 for c in changes if not c.created and c.fields)
    report.unchanged = len(changes) - report.created - report.updated
    changed = [c for c in changes if c.created or c.fields]
    report.changes = [
        {
            "row": c.row,
            "action": "create" if c.created else "update",
            "record": str(c),
            "fields": {k: [_show(a), _show(b)] for k, (a, b) in c.fields.items()},
        }
        for c in changed[:50]
    ]
    if dry_run:
        return report
    progress(0, len(rows), "writing")
    with transaction.atomic():
        written = planner.apply([c for c in changes if c.created or c.fields], actor, progress)
        audit_record(
            action=f"import.{entity}",
            actor=actor,
            organization=org_id,
            object_type="import",
            object_repr=file_name[:300],
            after={k: v for k, v in report.as_dict().items() if k != "changes"},
        )
        if written and entity in ("suppliers", "facilities", "links"):
            progress(len(rows), len(rows), "computing tiers")
            report.tiers = tiers_recompute(organization_id=org_id)
        if written:
            if entity in ("suppliers", "facilities"):
                job_enqueue(
                    kind="screening.screen", organization=org_id, actor=actor, coalesce=True
                )
            job_enqueue(kind="risk.score_all", organization=org_id, actor=actor, coalesce=True)
    return report


def _show(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


class _Planner(ABC):
    model: type[Any]
    label: str

    def __init__(self, organization_id: int, sheet: str) -> None:
        self.org_id = organization_id
        self.sheet = sheet
        self.errors: list[RowError] = []

    def error(self, row: int, column: str, expected: str, found: str) -> None:
        self.errors.append(RowError(row, column, expected, found, self.sheet))

    @abstractmethod
    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        """Match every row with what is stored; record problems in self.errors."""

    def diff(self, obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        changed = {}
        for name, value in values.items():
            old = getattr(obj, name)
            if old != value and not (old in (None, "") and value in (None, "")):
                changed[name] = (old, value)
        return changed

    def apply(self, changes: list[_Change], actor: Any, progress: Progress) -> int:
        now = timezone.now()
        new = [c.obj for c in changes if c.created]
        for obj in new:
            obj.created_at = obj.updated_at = now
        insert(new)
        updated = [c for c in changes if not c.created]
        names = sorted({n for c in updated for n in c.fields} | {"updated_at"})
        for change in updated:
            for name, (old, value) in change.fields.items():
                setattr(change.obj, name, value)
                if name not in change.obj.__dict__:  # a field still unset on a partial row
                    change.obj.__dict__[name] = old
            change.obj.updated_at = now
        update([c.obj for c in updated], names)
        self.after_write(changes, actor)
        audit_record_many(
            organization=self.org_id,
            actor=actor,
            plain_json=True,
            entries=[
                {
                    "action": f"{self.label}.{'created' if c.created else 'updated'}",
                    "object_type": self.model._meta.label_lower,
                    "object_id": c.obj.pk,
                    "object_repr": str(c),
                    "before": None
                    if c.created
                    else {k: _show(a) for k, (a, _) in c.fields.items()},
                    "after": {k: _show(b) for k, (_, b) in c.fields.items()}
                    | {k: _show(v) for k, v in c.extra.items()},
                }
                for c in changes
            ],
        )
        return len(changes)

    def after_write(self, changes: list[_Change], actor: Any) -> None:
        return None


class _NameIndex:
    """Look records up by ref or by normalised name, reporting ambiguity."""

    def __init__(self) -> None:
        self.by_ref: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = defaultdict(list)

    def add(self, ref: str, name: str, value: Any) -> None:
        if ref:
            self.by_ref[ref.casefold()] = value
        self.by_name[normalize_name(name)].append(value)

    def find(self, text: str) -> tuple[Any, str]:
        """(value, problem): value None with a problem when not found or ambiguous."""
        hit = self.by_ref.get(text.casefold())
        if hit is not None:
            return hit, ""
        candidates = self.by_name.get(normalize_name(text), [])
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            return None, "ambiguous: several records have this name; use the ref"
        return None, "not found"


# --- suppliers ---------------------------------------------------------------------------

_ID_SCHEMES = ("duns", "lei", "uscc", "tax_id")


class _SupplierPlanner(_Planner):
    model = Supplier
    label = "supplier"

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        existing = {s.pk: s for s in Supplier.objects.filter(organization_id=self.org_id)}
        by_ref = {s.ref.casefold(): s for s in existing.values() if s.ref}
        by_key = {(s.normalized_name, s.country): s for s in existing.values()}
        identifier_owner = {
            (scheme, value): sid
            for scheme, value, sid in SupplierIdentifier.objects.filter(
                organization_id=self.org_id
            ).values_list("scheme", "value", "supplier_id")
        }
        ids_of: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
        for scheme, value, label, sid in SupplierIdentifier.objects.filter(
            organization_id=self.org_id
        ).values_list("scheme", "value", "label", "supplier_id"):
            ids_of[sid].add((scheme, value, label))
        owners = {
            m.user.username.casefold(): m.user_id
            for m in Membership.objects.filter(organization_id=self.org_id).select_related("user")
        }
        seen: dict[Any, int] = {}
        changes: list[_Change] = []
        names = _NameIndex()
        for s in existing.values():
            names.add(s.ref, s.legal_name, s)
        pending_parents: list[tuple[_Change, int, str]] = []
        for line, row in rows:
            norm = normalize_name(row["legal_name"])
            wanted_ids = {(s, row[s], "") for s in _ID_SCHEMES if row.get(s)}
            if row.get("other_id"):
                wanted_ids.add(("other", row["other_id"]["value"], row["other_id"]["label"]))
            match = by_ref.get(row["ref"].casefold()) if row.get("ref") else None
            if match is None:
                for scheme, value, _ in sorted(wanted_ids):
                    owner = identifier_owner.get((scheme, value))
                    if owner is not None:
                        match = existing[owner]
                        break
            if match is None and not row.get("ref"):
                match = by_key.get((norm, row["country"]))
            identity = match.pk if match else ("new", row.get("ref") or "", norm, row["country"])
            if identity in seen:
                self.error(
                    line,
                    "legal_name",
                    f"one row per supplier (row {seen[identity]} is the same supplier)",
                    row["legal_name"],
                )
                continue
            seen[identity] = line
            for scheme, value, _ in wanted_ids:
                owner = identifier_owner.get((scheme, value))
                if owner is not None and (match is None or owner != match.pk):
                    self.error(
                        line,
                        scheme,
                        "an identifier not used by another supplier",
                        f"{value} (belongs to {existing[owner].legal_name})",
                    )
            values = {
                "ref": row.get("ref") or (match.ref if match else ""),
                "legal_name": row["legal_name"],
                "native_name": row.get("native_name") or "",
                "aliases": row.get("aliases") or [],
                "country": row["country"],
                "website": row.get("website") or "",
                "contact_email": row.get("contact_email") or "",
                "status": (row.get("status") or "active").lower(),
                "tags": row.get("tags") or [],
                "notes": row.get("notes") or "",
            }
            if row.get("owner"):
                owner_id = owners.get(row["owner"].casefold())
                if owner_id is None:
                    self.error(
                        line, "owner", "the username of a member of your organization", row["owner"]
                    )
                    continue
                values["owner_id"] = owner_id
            if match is None:
                obj = new_instance(
                    Supplier, {"organization_id": self.org_id, "normalized_name": norm, **values}
                )
                change = _Change(line, obj, {k: (None, v) for k, v in values.items()}, True)
            else:
                fields = self.diff(match, values)
                if "legal_name" in fields:
                    fields["normalized_name"] = (match.normalized_name, norm)
                change = _Change(line, match, fields, False)
            old_ids = ids_of.get(match.pk, set()) if match else set()
            if wanted_ids and {(s, v) for s, v, _ in wanted_ids} != {(s, v) for s, v, _ in old_ids}:
                change.extra["identifiers"] = sorted(f"{s}:{v}" for s, v, _ in wanted_ids)
                change.extra["_ids"] = sorted(wanted_ids)
            names.add(values["ref"], values["legal_name"], change.obj)
            if row.get("parent"):
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
            else:
                change.extra["_parent"] = parent
                if change.created or change.obj.parent_id != getattr(parent, "pk", None):
                    change.extra["parent"] = parent_text
        return changes

    def after_write(self, changes: list[_Change], actor: Any) -> None:
        parents = []
        for change in changes:
            parent = change.extra.pop("_parent", None)
            if parent is not None and change.obj.parent_id != parent.pk:
                change.obj.parent_id = parent.pk
                parents.append(change.obj)
        update(parents, ["parent_id"])
        with_ids = [c for c in changes if "_ids" in c.extra]
        if with_ids:
            SupplierIdentifier.objects.filter(
                supplier_id__in=[c.obj.pk for c in with_ids if not c.created]
            ).delete()
            insert(
                [
                    new_instance(
                        SupplierIdentifier,
                        {
                            "organization_id": self.org_id,
                            "supplier_id": c.obj.pk,
                            "scheme": scheme,
                            "value": value,
                            "label": label,
                        },
                    )
                    for c in with_ids
                    for scheme, value, label in c.extra.pop("_ids")
                ]
            )


# --- facilities --------------------------------------------------------------------------

_FACILITY_VALUE_FIELDS = (
    "ref",
    "name",
    "native_name",
    "kind",
    "address",
    "city",
    "subdivision",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "activities",
    "products_made",
    "total_workers",
    "migrant_workers",
    "dprk_workers",
    "dprk_worker_count",
    "figures_date",
    "notes",
)


def supplier_index(org_id: int) -> _NameIndex:
    index = _NameIndex()
    for pk, ref, name in Supplier.objects.filter(organization_id=org_id).values_list(
        "pk", "ref", "legal_name"
    ):
        index.add(ref, name, pk)
    return index


def facility_index(org_id: int) -> _NameIndex:
    index = _NameIndex()
    for pk, ref, name in Facility.objects.filter(organization_id=org_id).values_list(
        "pk", "ref", "name"
    ):
        index.add(ref, name, pk)
    return index


class _FacilityPlanner(_Planner):
    model = Facility
    label = "facility"

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        suppliers = supplier_index(self.org_id)
        existing = list(Facility.objects.filter(organization_id=self.org_id))
        by_ref = {f.ref.casefold(): f for f in existing if f.ref}
        by_key = {(f.normalized_name, f.country, f.supplier_id): f for f in existing}
        seen: dict[Any, int] = {}
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
            norm = normalize_name(row["name"])
            match = by_ref.get(row["ref"].casefold()) if row.get("ref") else None
            if match is None and not row.get("ref"):
                match = by_key.get((norm, row["country"], supplier_id))
            identity = (
                match.pk
                if match
                else ("new", row.get("ref") or "", norm, row["country"], supplier_id)
            )
            if identity in seen:
                self.error(
                    line,
                    "name",
                    f"one row per facility (row {seen[identity]} is the same facility)",
                    row["name"],
                )
                continue
            seen[identity] = line
            values: dict[str, Any] = {name: row.get(name) for name in _FACILITY_VALUE_FIELDS}
            for name in (
                "ref",
                "native_name",
                "address",
                "city",
                "subdivision",
                "postal_code",
                "products_made",
                "notes",
            ):
                values[name] = values[name] or ""
            if not row.get("ref") and match is not None:
                values["ref"] = match.ref
            values["kind"] = (values["kind"] or "factory").lower()
            values["dprk_workers"] = (values["dprk_workers"] or "unknown").lower()
            values["activities"] = values["activities"] or []
            values["supplier_id"] = supplier_id
            probe = new_instance(Facility, dict(values))
            key = (probe.country, probe.subdivision, probe.city, probe.address, probe.native_name)
            if key not in derived_cache:
                derive_facility(probe)
                derived_cache[key] = (probe.in_xinjiang, probe.xinjiang_reason)
            values["in_xinjiang"], values["xinjiang_reason"] = derived_cache[key]
            if match is None:
                obj = new_instance(
                    Facility, {"organization_id": self.org_id, "normalized_name": norm, **values}
                )
                changes.append(_Change(line, obj, {k: (None, v) for k, v in values.items()}, True))
            else:
                fields = self.diff(match, values)
                if "name" in fields:
                    fields["normalized_name"] = (match.normalized_name, norm)
                changes.append(_Change(line, match, fields, False))
        return changes


# --- materials and products --------------------------------------------------------------


class _MaterialPlanner(_Planner):
    model = Material
    label = "material"

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        existing = {
            m.normalized_name: m for m in Material.objects.filter(organization_id=self.org_id)
        }
        seen: dict[str, int] = {}
        changes = []
        for line, row in rows:
            norm = normalize_name(row["name"])
            if norm in seen:
                self.error(
                    line,
                    "name",
                    f"one row per material (row {seen[norm]} is the same)",
                    row["name"],
                )
                continue
            seen[norm] = line
            values = {
                "name": row["name"],
                "description": row.get("description") or "",
                "dol_goods": row.get("dol_goods") or [],
                "high_scrutiny_sector": (row.get("high_scrutiny_sector") or "").lower(),
            }
            match = existing.get(norm)
            if match is None:
                obj = new_instance(
                    Material, {"organization_id": self.org_id, "normalized_name": norm, **values}
                )
                changes.append(_Change(line, obj, {k: (None, v) for k, v in values.items()}, True))
            else:
                changes.append(_Change(line, match, self.diff(match, values), False))
        return changes


class _ProductPlanner(_Planner):
    model = Product
    label = "product"

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        existing = {
            p.sku.casefold(): p for p in Product.objects.filter(organization_id=self.org_id)
        }
        materials = {
            m.normalized_name: m.pk for m in Material.objects.filter(organization_id=self.org_id)
        }
        in_file = {row["sku"].casefold() for _, row in rows}
        boms = defaultdict(list)
        for line_obj in ProductInput.objects.filter(product__organization_id=self.org_id).values(
            "product_id", "material_id", "component__sku", "share"
        ):
            boms[line_obj["product_id"]].append(
                (
                    line_obj["material_id"],
                    (line_obj["component__sku"] or "").casefold() or None,
                    line_obj["share"],
                )
            )
        changes = []
        for line, row in rows:
            values = {
                "sku": row["sku"],
                "name": row["name"],
                "description": row.get("description") or "",
                "hts_code": row.get("hts_code") or "",
            }
            bom: list[tuple[int | None, str | None, Any]] = []
            for item in row.get("inputs") or []:
                name = item["name"]
                if name.lower().startswith("sku:"):
                    sku = name[4:].strip().casefold()
                    if sku == row["sku"].casefold():
                        self.error(line, "inputs", "components other than the product itself", name)
                    elif sku not in existing and sku not in in_file:
                        self.error(line, "inputs", "the SKU of a product", name)
                    bom.append((None, sku, item["share"]))
                else:
                    material = materials.get(normalize_name(name))
                    if material is None:
                        self.error(
                            line, "inputs", "the name of a material (import materials first)", name
                        )
                    bom.append((material, None, item["share"]))
            match = existing.get(row["sku"].casefold())
            if match is None:
                obj = new_instance(Product, {"organization_id": self.org_id, **values})
                change = _Change(line, obj, {k: (None, v) for k, v in values.items()}, True)
            else:
                change = _Change(line, match, self.diff(match, values), False)
            old_bom = boms.get(match.pk, []) if match else []
            if row.get("inputs") is not None and _bom_key(bom) != _bom_key(old_bom):
                change.extra["inputs"] = [f"{'sku:' + c if c else m}={s}" for m, c, s in bom]
                change.extra["_bom"] = bom
                if not change.created and not change.fields:
                    change.fields["bill of materials"] = ("", "changed")
            changes.append(change)
        return changes

    def apply(self, changes: list[_Change], actor: Any, progress: Progress) -> int:
        for change in changes:
            change.fields.pop("bill of materials", None)
        return super().apply(changes, actor, progress)

    def after_write(self, changes: list[_Change], actor: Any) -> None:
        with_bom = [c for c in changes if "_bom" in c.extra]
        if not with_bom:
            return
        skus = {p.sku.casefold(): p.pk for p in Product.objects.filter(organization_id=self.org_id)}
        ProductInput.objects.filter(product_id__in=[c.obj.pk for c in with_bom]).delete()
        ProductInput.objects.bulk_create(
            [
                ProductInput(
                    product_id=c.obj.pk,
                    material_id=material,
                    component_id=skus[component] if component else None,
                    share=share,
                )
                for c in with_bom
                for material, component, share in c.extra.pop("_bom")
            ]
        )


def _bom_key(bom: list[tuple[Any, Any, Any]]) -> list[tuple[str, str, str]]:
    return sorted(
        (str(m), str(c), str(Decimal(s).normalize()) if s is not None else "") for m, c, s in bom
    )


# --- links -------------------------------------------------------------------------------


class _LinkPlanner(_Planner):
    model = SupplyLink
    label = "link"

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> list[_Change]:
        facilities = facility_index(self.org_id)
        suppliers = supplier_index(self.org_id)
        products = {
            sku.casefold(): pk
            for pk, sku in Product.objects.filter(organization_id=self.org_id).values_list(
                "pk", "sku"
            )
        }
        materials = {
            n: pk
            for pk, n in Material.objects.filter(organization_id=self.org_id).values_list(
                "pk", "normalized_name"
            )
        }
        existing = {}
        for link in SupplyLink.objects.filter(organization_id=self.org_id):
            existing[
                (
                    link.source_facility_id,
                    link.source_supplier_id,
                    link.source_unknown,
                    link.target_facility_id,
                    link.target_supplier_id,
                    link.target_importer,
                    link.product_id,
                    link.material_id,
                    link.valid_from,
                )
            ] = link
        seen: dict[tuple[Any, ...], int] = {}
        changes = []
        for line, row in rows:
            values: dict[str, Any] = {
                "source_facility_id": None,
                "source_supplier_id": None,
                "source_unknown": bool(row.get("from_unknown")),
                "target_facility_id": None,
                "target_supplier_id": None,
                "target_importer": bool(row.get("to_importer")),
                "product_id": None,
                "material_id": None,
                "valid_from": row.get("valid_from"),
                "valid_to": row.get("valid_to"),
                "evidence_refs": row.get("evidence") or "",
                "notes": row.get("notes") or "",
            }
            ok = True
            for column, index, target in (
                ("from_facility", facilities, "source_facility_id"),
                ("from_supplier", suppliers, "source_supplier_id"),
                ("to_facility", facilities, "target_facility_id"),
                ("to_supplier", suppliers, "target_supplier_id"),
            ):
                if row.get(column):
                    found, problem = index.find(row[column])
                    if found is None:
                        kind = "facility" if "facility" in column else "supplier"
                        self.error(
                            line, column, f"the ref or name of a {kind} ({problem})", row[column]
                        )
                        ok = False
                    values[target] = found
            if row.get("product_sku"):
                values["product_id"] = products.get(row["product_sku"].casefold())
                if values["product_id"] is None:
                    self.error(line, "product_sku", "the SKU of a product", row["product_sku"])
                    ok = False
            if row.get("material"):
                values["material_id"] = materials.get(normalize_name(row["material"]))
                if values["material_id"] is None:
                    self.error(line, "material", "the name of a material", row["material"])
                    ok = False
            if not ok:
                continue
            source = values["source_facility_id"] or values["source_supplier_id"]
            if source is not None and (
                (
                    values["source_facility_id"] is not None
                    and values["source_facility_id"] == values["target_facility_id"]
                )
                or (
                    values["source_supplier_id"] is not None
                    and values["source_supplier_id"] == values["target_supplier_id"]
                )
            ):
                self.error(
                    line,
                    "to_facility",
                    "a target other than the source",
                    row.get("to_facility") or row.get("to_supplier") or "",
                )
                continue
            key = (
                values["source_facility_id"],
                values["source_supplier_id"],
                values["source_unknown"],
                values["target_facility_id"],
                values["target_supplier_id"],
                values["target_importer"],
                values["product_id"],
                values["material_id"],
                values["valid_from"],
            )
            if key in seen:
                self.error(
                    line,
                    "from_facility",
                    f"one row per link (row {seen[key]} has the "
                    "same source, target, item and valid_from)",
                    "a duplicate",
                )
                continue
            seen[key] = line
            label = _link_label(row)
            match = existing.get(key)
            if match is None:
                obj = new_instance(SupplyLink, {"organization_id": self.org_id, **values})
                created = {k: (None, v) for k, v in values.items() if v not in (None, "", False)}
                changes.append(_Change(line, obj, created, True, label=label))
            else:
                changes.append(_Change(line, match, self.diff(match, values), False, label=label))
        return changes


def _link_label(row: dict[str, Any]) -> str:
    """What a link is, from the file's own words (no database lookups per row)."""
    source = row.get("from_facility") or row.get("from_supplier") or "unknown origin"
    target = row.get("to_facility") or row.get("to_supplier") or "importer"
    return f"{source} → {target}: {row.get('product_sku') or row.get('material')}"


_PLANNERS: dict[str, type[_Planner]] = {
    "suppliers": _SupplierPlanner,
    "facilities": _FacilityPlanner,
    "materials": _MaterialPlanner,
    "products": _ProductPlanner,
    "links": _LinkPlanner,
}
