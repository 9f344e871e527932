"""Placeholder until the Chinese segmenter lands (same interface)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ChineseWord:
    text: str
    kind: str
    pinyin: str
    english: str


@lru_cache(maxsize=50_000)
def segment(name: str) -> tuple[ChineseWord, ...]:
    return ()


_PLACES = {"aksu": "akesu", "akesu": "akesu", "xinjiang": "xinjiang", "hubei": "hubei"}


def place_key(latin_token: str) -> str | None:
    return _PLACES.get(latin_token)


def is_place_pair(first: str, second: str) -> str | None:
    return "neimenggu" if (first, second) == ("inner", "mongolia") else None
