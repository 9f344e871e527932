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

from chainproof.domain.records import RecordSpec, SpecError
from chainproof.domain.tabular import MAX_ERRORS_REPORTED, RowError
from chainproof.suppliers.batch import RecordChange

Progress = Callable[[int, int | None, str], None]
Rows = list[tuple[int, dict[str, Any]]]


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


class Planner(ABC):
    spec: RecordSpec
    key_column: str  # the column a problem with a whole row is reported in

    def __init__(self, organization_id: int, sheet: str) -> None:
        self.org_id = organization_id
        self.sheet = sheet
        self.errors: list[RowError] = []

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


def created_fields(values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (None, value) for name, value in values.items()}
