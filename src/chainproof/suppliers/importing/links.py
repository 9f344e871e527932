"""Importing supply links: match by source, target, item carried and valid-from date."""

from __future__ import annotations

from typing import Any

from chainproof.bulk import new_instance
from chainproof.domain.records import LINK, material_key, ref_key
from chainproof.suppliers.batch import RecordChange, link_save_many
from chainproof.suppliers.importing.base import Planner, Rows
from chainproof.suppliers.matching import facility_index, supplier_index
from chainproof.suppliers.models import Material, Product, SupplyLink

_KEY = (
    "source_facility_id",
    "source_supplier_id",
    "source_unknown",
    "target_facility_id",
    "target_supplier_id",
    "target_importer",
    "product_id",
    "material_id",
    "valid_from",
)


def _link_label(row: dict[str, Any]) -> str:
    """What a link is, from the file's own words (no database lookups per row)."""
    source = row.get("from_facility") or row.get("from_supplier") or "unknown origin"
    target = row.get("to_facility") or row.get("to_supplier") or "importer"
    return f"{source} → {target}: {row.get('product_sku') or row.get('material')}"


class LinkPlanner(Planner):
    spec = LINK
    key_column = "from_facility"

    def save(self, changes: list[RecordChange], actor: Any) -> int:
        return link_save_many(
            organization_id=self.org_id, actor=actor, changes=changes, normalised=True
        )

    def plan(self, rows: Rows) -> list[RecordChange]:
        facilities = facility_index(self.org_id)
        suppliers = supplier_index(self.org_id)
        products = {
            ref_key(sku): pk
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
        existing = {
            tuple(getattr(link, name) for name in _KEY): link
            for link in SupplyLink.objects.filter(organization_id=self.org_id)
        }
        material_ids: dict[str, int | None] = {}  # the file's text: the material's id
        seen: dict[tuple[Any, ...], int] = {}
        changes = []
        references = (
            ("from_facility", facilities.find, "source_facility_id"),
            ("from_supplier", suppliers.find, "source_supplier_id"),
            ("to_facility", facilities.find, "target_facility_id"),
            ("to_supplier", suppliers.find, "target_supplier_id"),
        )
        org_id = self.org_id
        for line, row in rows:
            get = row.get
            values: dict[str, Any] = {
                "source_facility_id": None,
                "source_supplier_id": None,
                "source_unknown": bool(get("from_unknown")),
                "target_facility_id": None,
                "target_supplier_id": None,
                "target_importer": bool(get("to_importer")),
                "product_id": None,
                "material_id": None,
                "valid_from": get("valid_from"),
                "valid_to": get("valid_to"),
                "evidence_refs": get("evidence") or "",
                "notes": get("notes") or "",
            }
            ok = True
            for column, find, target in references:
                text = get(column)
                if text:
                    found, problem = find(text)
                    if found is None:
                        kind = "facility" if "facility" in column else "supplier"
                        self.error(line, column, f"the ref or name of a {kind} ({problem})", text)
                        ok = False
                    values[target] = found
            if row.get("product_sku"):
                values["product_id"] = products.get(ref_key(row["product_sku"]))
                if values["product_id"] is None:
                    self.error(line, "product_sku", "the SKU of a product", row["product_sku"])
                    ok = False
            if row.get("material"):
                material = row["material"]
                if material not in material_ids:  # a file names a few materials many times
                    material_ids[material] = materials.get(material_key(material))
                values["material_id"] = material_ids[material]
                if values["material_id"] is None:
                    self.error(line, "material", "the name of a material", row["material"])
                    ok = False
            if not ok:
                continue
            if (
                values["source_facility_id"] is not None
                and values["source_facility_id"] == values["target_facility_id"]
            ) or (
                values["source_supplier_id"] is not None
                and values["source_supplier_id"] == values["target_supplier_id"]
            ):
                self.error(
                    line,
                    "to_facility",
                    "a target other than the source",
                    row.get("to_facility") or row.get("to_supplier") or "",
                )
                continue
            key = tuple(map(values.__getitem__, _KEY))
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
                obj = new_instance(SupplyLink, {"organization_id": org_id, **values})
                created = {k: (None, v) for k, v in values.items() if v not in (None, "", False)}
                changes.append(RecordChange(line, obj, True, created, label=label))
            else:
                changes.append(
                    RecordChange(line, match, False, self.diff(match, values), label=label)
                )
        return changes
