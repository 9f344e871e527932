"""What the import shares between its steps: the refusal, and old ids mapped to new."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from chainproof.interchange.move.fileformat import MoveFileError, decode


class ImportRefused(MoveFileError):
    """The file cannot be imported here; nothing was stored."""


@dataclass
class IdMaps:
    """Old id -> new id, per model label."""

    ids: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    fixups: list[tuple[type[models.Model], int, str, str, int]] = field(default_factory=list)

    def new(self, name: str, old: Any) -> int | None:
        return self.ids.get(name, {}).get(old)


def decoded(fields: dict[str, Any], attname: str, value: Any, name: str, number: int) -> Any:
    f = fields.get(attname)
    if f is None:
        raise ImportRefused(
            f"{name}, line {number}: field {attname!r} is not known to this chainproof version"
        )
    try:
        return decode(f, value)
    except ValidationError as exc:
        raise ImportRefused(
            f"{name}, line {number}: {attname} {value!r} is not valid ({'; '.join(exc.messages)})"
        ) from None
