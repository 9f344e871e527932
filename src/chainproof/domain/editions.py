"""Combining a main reference edition with an additional (partial) edition that completes it.

An additional edition (``DatasetKind.supplements``) never replaces the main one: for TIP
tiers, a (report year, country) cell present in the main table keeps the main table's
tier, and the additions fill only the cells the main table lacks. A cell in neither is
unknown: nothing here turns a missing year into "not ranked".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """A country's TIP tier in one report year, and where it comes from."""

    iso2: str
    year: int
    tier_code: str
    trust: str = ""  # for a cell from an additional edition: how far it can be trusted
    from_additions: bool = False


def combine_placements(
    main: Iterable[Placement], additions: Iterable[Placement]
) -> list[Placement]:
    """Every known cell, ordered by country and year: the main table's cells, then the
    additions' cells for (year, country) pairs the main table lacks."""
    cells = {(p.iso2, p.year): p for p in main}
    for placement in additions:
        cells.setdefault((placement.iso2, placement.year), placement)
    return [cells[key] for key in sorted(cells)]


def latest_placements(placements: Iterable[Placement], *, up_to_year: int) -> dict[str, Placement]:
    """Each country's most recent known placement in a report year not after
    ``up_to_year``; a country with none is absent (unknown)."""
    latest: dict[str, Placement] = {}
    for placement in placements:
        if placement.year > up_to_year:
            continue
        current = latest.get(placement.iso2)
        if current is None or placement.year > current.year:
            latest[placement.iso2] = placement
    return latest
