"""The labelled pair and small helpers shared by the category modules."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "person"
ORGANIZATION = "organization"
VESSEL = "vessel"


@dataclass(frozen=True)
class Pair:
    name_a: str  # the supplier-side query
    name_b: str  # the name as a list carries it
    category: str
    label: int  # 1 same entity, 0 different entities
    note: str
    kind: str = ORGANIZATION  # person | organization | vessel (the FollowTheMoney schema)
    country_a: str = ""
    country_b: str = ""


def positive(a: str, b: str, category: str, note: str, **extra: str) -> Pair:
    return Pair(a, b, category, 1, note, **extra)


def negative(a: str, b: str, category: str, note: str, **extra: str) -> Pair:
    return Pair(a, b, category, 0, note, **extra)
