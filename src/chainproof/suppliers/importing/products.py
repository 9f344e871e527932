"""Importing products and their bills of materials: match by SKU."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from chainproof.bulk import new_instance
from chainproof.domain.records import PRODUCT, material_key, ref_key
from chainproof.suppliers.batch import BomLine, RecordChange, product_save_many
from chainproof.suppliers.importing.base import (
    Planner,
    Rows,
    created_fields,
    given,
    over_stored,
)
from chainproof.suppliers.models import Material, Product, ProductInput


def _bom_key(bom: list[BomLine]) -> list[tuple[str, str, str]]:
    return sorted(
        (str(m), str(c), str(Decimal(s).normalize()) if s is not None else "") for m, c, s in bom
    )


class ProductPlanner(Planner):
    spec = PRODUCT
    key_column = "sku"

    def save(self, changes: list[RecordChange], actor: Any) -> int:
        return product_save_many(
            organization_id=self.org_id, actor=actor, changes=changes, normalised=True
        )

    def plan(self, rows: Rows) -> list[RecordChange]:
        existing = {ref_key(p.sku): p for p in Product.objects.filter(organization_id=self.org_id)}
        materials = {
            m.normalized_name: m.pk for m in Material.objects.filter(organization_id=self.org_id)
        }
        in_file = {ref_key(row["sku"]) for _, row in rows}
        boms: dict[int, list[BomLine]] = defaultdict(list)
        for line_obj in ProductInput.objects.filter(product__organization_id=self.org_id).values(
            "product_id", "material_id", "component__sku", "share"
        ):
            boms[line_obj["product_id"]].append(
                (
                    line_obj["material_id"],
                    ref_key(line_obj["component__sku"] or "") or None,
                    line_obj["share"],
                )
            )
        changes = []
        for line, row in rows:
            values = self.clean(
                line,
                {
                    "sku": row["sku"],
                    "name": row["name"],
                    "description": row.get("description") or "",
                    "hts_code": row.get("hts_code"),
                },
            )
            if values is None:
                continue
            bom: list[BomLine] = []
            for item in row.get("inputs") or []:
                name = item["name"]
                if name.lower().startswith("sku:"):
                    sku = ref_key(name[4:])
                    if sku == ref_key(row["sku"]):
                        self.error(line, "inputs", "components other than the product itself", name)
                    elif sku not in existing and sku not in in_file:
                        self.error(line, "inputs", "the SKU of a product", name)
                    bom.append((None, sku, item["share"]))
                else:
                    material = materials.get(material_key(name))
                    if material is None:
                        self.error(
                            line, "inputs", "the name of a material (import materials first)", name
                        )
                    bom.append((material, None, item["share"]))
            match = existing.get(ref_key(row["sku"]))
            if match is None:
                obj = new_instance(Product, {"organization_id": self.org_id, **values})
                change = RecordChange(line, obj, True, created_fields(values))
            else:
                kept = given(row, values) | {"sku", "name"}
                change = RecordChange(
                    line, match, False, self.diff(match, over_stored(match, values, kept))
                )
            old_bom = boms.get(match.pk, []) if match else []
            if row.get("inputs") is not None and _bom_key(bom) != _bom_key(old_bom):
                change.inputs = bom
                change.inputs_before = old_bom
            changes.append(change)
        return changes
