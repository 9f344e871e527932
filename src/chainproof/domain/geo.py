"""Recognising worksites in the Xinjiang Uyghur Autonomous Region, whatever the spelling.

UFLPA presumes that goods made wholly or in part in Xinjiang are made with forced
labor, so a facility's location must be recognised from its subdivision, city or
address as suppliers write them: "Xinjiang", "XUAR", "新疆", "CN-XJ", or a city of the
region such as Shihezi or 喀什. The names are data (data/xinjiang_places.yaml).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from chainproof.domain.names import normalize_name

_PLACES_FILE = Path(__file__).parent / "data" / "xinjiang_places.yaml"
_HAS_CJK_OR_ARABIC = re.compile(r"[\u0600-\u06ff\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class RegionMatch:
    field: str
    value: str
    term: str

    def __str__(self) -> str:
        return f'{self.field} "{self.value}" places it in Xinjiang (matched "{self.term}")'


@dataclass(frozen=True)
class _Terms:
    words: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    scripts: tuple[tuple[str, str], ...]


def _compile(names: list[str]) -> _Terms:
    """Index Latin terms by their first word, so matching costs one lookup per word."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    scripts = []
    for name in names:
        if _HAS_CJK_OR_ARABIC.search(name):
            scripts.append((unicodedata.normalize("NFKC", name), name))
        else:
            tokens = tuple(normalize_name(_fold_accents(name)).split())
            by_first.setdefault(tokens[0], []).append((tokens, name))
    return _Terms({k: tuple(v) for k, v in by_first.items()}, tuple(scripts))


@lru_cache(maxsize=1)
def _term_sets() -> tuple[_Terms, _Terms]:
    """(names of the region itself, names of the region and of its places)."""
    data = yaml.safe_load(_PLACES_FILE.read_text(encoding="utf-8"))
    region = [str(n) for n in data["region"]]
    places = [str(n) for group in data["places"] for n in group]
    return _compile(region), _compile(region + places)


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STREET_WORDS = ("road", "rd", "street", "st", "lu", "avenue", "ave", "lane", "jie", "dadao")
_STREET_CHARS = ("路", "街", "道", "巷")


def _match(value: str, terms: _Terms, *, streets_excluded: bool = False) -> str | None:
    """The first term found in value; in addresses, "Xinjiang Road" is a street, not a place."""
    nfkc = unicodedata.normalize("NFKC", value)
    for term, original in terms.scripts:
        start = nfkc.find(term)
        while start >= 0:
            after = nfkc[start + len(term) : start + len(term) + 1]
            if not (streets_excluded and after in _STREET_CHARS):
                return original
            start = nfkc.find(term, start + 1)
    tokens = normalize_name(_fold_accents(value)).split()
    for i, token in enumerate(tokens):
        for phrase, original in terms.words.get(token, ()):
            size = len(phrase)
            if tuple(tokens[i : i + size]) != phrase:
                continue
            following = tokens[i + size] if i + size < len(tokens) else ""
            if not (streets_excluded and following in _STREET_WORDS):
                return original
    return None


def xinjiang_match(
    *, country: str = "", subdivision: str = "", city: str = "", address: str = ""
) -> RegionMatch | None:
    """Why a location is in Xinjiang, or None. Only for China or an unknown country.

    The region's own names count anywhere; its cities count in the subdivision and city
    fields only, since some (Shuanghe, Manas) also name streets or towns elsewhere.
    """
    if country and country.upper() != "CN":
        return None
    for field, value in (("subdivision", subdivision), ("city", city), ("address", address)):
        if value:
            term = _field_match(field, value)
            if term is not None:
                return RegionMatch(field, value, term)
    return None


@lru_cache(maxsize=65_536)
def _field_match(field: str, value: str) -> str | None:
    """The term of the region found in one field (a list of worksites repeats its
    provinces and cities: each is read once)."""
    region, everything = _term_sets()
    if field == "address":
        return _match(value, region, streets_excluded=True)
    return _match(value, everything)
