"""Importing materials: match by normalised name."""

from __future__ import annotations

from typing import Any

from chainproof.bulk import new_instance
from chainproof.domain.records import MATERIAL, material_key
from chainproof.suppliers.batch import RecordChange, material_save_many
from chainproof.suppliers.importing.base import (
    Planner,
    Rows,
    created_fields,
    given,
    over_stored,
)
from chainproof.suppliers.models import Material


class MaterialPlanner(Planner):
    spec = MATERIAL
    key_column = "name"

    def save(self, changes: list[RecordChange], actor: Any) -> int:
        return material_save_many(
            organization_id=self.org_id, actor=actor, changes=changes, normalised=True
        )

    def plan(self, rows: Rows) -> list[RecordChange]:
        existing = {
            m.normalized_name: m for m in Material.objects.filter(organization_id=self.org_id)
        }
        seen: dict[str, int] = {}
        changes = []
        for line, row in rows:
            norm = material_key(row["name"])
            if norm in seen:
                self.error(
                    line,
                    "name",
                    f"one row per material (row {seen[norm]} is the same)",
                    row["name"],
                )
                continue
            seen[norm] = line
            values = self.clean(
                line,
                {
                    "name": row["name"],
                    "description": row.get("description") or "",
                    "dol_goods": row.get("dol_goods"),
                    "high_scrutiny_sector": row.get("high_scrutiny_sector"),
                },
            )
            if values is None:
                continue
            match = existing.get(norm)
            if match is None:
                obj = new_instance(
                    Material, {"organization_id": self.org_id, "normalized_name": norm, **values}
                )
                changes.append(RecordChange(line, obj, True, created_fields(values)))
            else:
                kept = given(row, values) | {"name"}
                fields = self.diff(match, over_stored(match, values, kept))
                changes.append(RecordChange(line, match, False, fields))
        return changes
