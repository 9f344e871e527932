"""TEMPORARY stand-in until the duplicates module lands (replaced by the merge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainproof.domain.names import core_name


@dataclass(frozen=True)
class Candidate:
    key: object
    name: str
    other_names: tuple[str, ...] = ()
    country: str = ""
    identifiers: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class DuplicatePair:
    a: object
    b: object
    sure: bool
    reason: str
    score: float = 1.0


def find_duplicates(
    rows: Sequence[Candidate], stored: Sequence[Candidate] = ()
) -> list[DuplicatePair]:
    pairs = []
    seen: dict[object, object] = {}
    for candidate in [*stored, *rows]:
        keys = [("id", i) for i in candidate.identifiers]
        keys.append(("name", core_name(candidate.name), candidate.country))
        for key in keys:
            if key in seen and seen[key] != candidate.key:
                pairs.append(DuplicatePair(seen[key], candidate.key, True, f"same {key[0]}"))
                break
            seen.setdefault(key, candidate.key)
    return pairs
