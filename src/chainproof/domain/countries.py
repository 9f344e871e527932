"""One way to read a country, for every path that takes one (imports, questionnaires, forms,
the API): an ISO 3166-1 alpha-2 or alpha-3 code, an English short or official name, a common
variant or abbreviation ("P.R.C.", "Viet Nam", "Korea, Republic of", "UK"), or the country's
name in its own language and script ("中国", "대한민국", "Deutschland"), in any case, with or
without accents, punctuation, extra spaces or "The". The answer is always the alpha-2 code of a
country the caller knows (the countries dataset in force).

A name that truly names more than one country ("Korea", "Congo", "Virgin Islands") is never
guessed: the error lists the candidates. An unknown value's error suggests a close name.

Names come from the caller's countries, from pycountry (ISO 3166-1) and from
``data/country_aliases.yaml`` (variants and native names; its header names its sources).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from rapidfuzz import fuzz, process

ALIASES_FILE = Path(__file__).parent / "data" / "country_aliases.yaml"

EXPECTED = "a country (its ISO code or its name) in the countries data"
EXPECTED_CODE = "a country code in the countries data"
# What people write in a cell when they know no country: never read as a country.
_PLACEHOLDER = re.compile(r"^\s*(n\s*/\s*a|n\.\s*a\.?|-+|\?+|tbd|tbc|unknown|none)\s*$", re.I)
SUGGESTION_CUTOFF = 80

Known = Mapping[str, str] | Collection[str] | None


class CountryError(ValueError):
    """A value that is not one known country. ``expected`` reads after "expected" in a
    message; ``candidates`` holds the alpha-2 codes the value might mean (the countries
    an ambiguous name names, or the suggestion for an unknown one)."""

    def __init__(self, expected: str, candidates: tuple[str, ...] = (), found: str = "") -> None:
        super().__init__(f"Expected {expected}, found {found!r}.")
        self.expected = expected
        self.candidates = candidates
        self.found = found


# --- normalising -----------------------------------------------------------------------------

# dots, and apostrophes of every kind (straight, curly, grave, acute, modifier letters)
_REMOVED = {ord(c): None for c in ".'\u2019\u2018`\u00b4\u02bb\u02bc"}
_LETTERS = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "\u0131": "i", "ł": "l"}  # dotless i
)
_LABEL = re.compile(r"^(.*?)\s*\(\s*([A-Za-z]{2})\s*\)\s*$")


def normalise(value: str) -> str:
    """The form names are compared in: case-folded, without accents on Latin letters, without
    dots and apostrophes, other punctuation as spaces, "&" as "and", single spaces, and
    without a leading or trailing "the". Marks in other scripts (Thai, Bengali, Devanagari
    vowel signs) are kept: they are part of the letters."""
    decomposed = unicodedata.normalize("NFKD", value)
    kept: list[str] = []
    previous = ""
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" and previous and ord(previous) < 0x250:
            continue  # an accent on a Latin letter
        if category == "Cf":
            continue  # zero-width joiners and the like
        kept.append(char)
        if category != "Mn":
            previous = char
    text = unicodedata.normalize("NFC", "".join(kept)).casefold()
    text = text.translate(_LETTERS).translate(_REMOVED).replace("&", " and ")
    text = "".join(" " if unicodedata.category(c)[0] in "PSZ" and c != " " else c for c in text)
    words = text.split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] == "the":
        words = words[:-1]
    return " ".join(words)


def is_abbreviation(name: str) -> bool:
    """Whether a name is an abbreviation ("US", "UK", "U.S.") rather than a name."""
    letters = name.replace(".", "").replace(" ", "")
    return 0 < len(letters) <= 4 and letters.isascii() and letters.isalpha() and letters.isupper()


def readable_name(code: str, name: str, official_name: str = "") -> str:
    """The name to show for a country: the dataset's name, unless that is an abbreviation
    (the CLDR short names of the United States and the United Kingdom are "US" and "UK"), in
    which case ISO's short name ("United States"), else the official name."""
    if name and not is_abbreviation(name):
        return name
    iso = pycountry.countries.get(alpha_2=code.upper())
    if iso is not None:
        return str(getattr(iso, "common_name", None) or iso.name)
    return official_name or name or code


# --- the data -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _alias_data() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    raw: dict[str, Any] = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
    aliases: dict[str, tuple[str, ...]] = {}
    for section in ("aliases", "names_in_other_languages"):
        for code, names in (raw.get(section) or {}).items():
            key = str(code).upper()
            aliases[key] = (*aliases.get(key, ()), *(str(name) for name in names))
    ambiguous = {
        normalise(str(name)): tuple(str(code).upper() for code in codes)
        for name, codes in (raw.get("ambiguous") or {}).items()
    }
    return aliases, ambiguous


def _iso_names(code: str) -> list[str]:
    iso = pycountry.countries.get(alpha_2=code)
    if iso is None:
        return []
    names = [iso.alpha_3, iso.name]
    for attribute in ("official_name", "common_name"):
        value = getattr(iso, attribute, None)
        if value:
            names.append(value)
    return names


def _all_iso() -> dict[str, str]:
    return {c.alpha_2: str(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}


# --- the resolver -----------------------------------------------------------------------------


class CountryResolver:
    """Reads a value as one of the given countries (alpha-2 code -> name, or just codes)."""

    def __init__(self, known: Mapping[str, str] | Collection[str]) -> None:
        named = dict(known) if isinstance(known, Mapping) else dict.fromkeys(known, "")
        self.codes = frozenset(code.upper() for code in named)
        self.names = {code.upper(): readable_name(code, name) for code, name in named.items()}
        aliases, ambiguous = _alias_data()
        index: dict[str, set[str]] = {}
        for code in self.codes:
            spellings = [code, named.get(code, ""), *_iso_names(code), *aliases.get(code, ())]
            for spelling in spellings:
                key = normalise(spelling) if spelling else ""
                if key:
                    index.setdefault(key, set()).add(code)
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        for key, codes in ambiguous.items():
            self.ambiguous[key] = codes
            index.pop(key, None)
        for key, found in list(index.items()):
            if len(found) > 1:
                self.ambiguous[key] = tuple(sorted(found))
                del index[key]
        self.index = {key: next(iter(found)) for key, found in index.items()}
        # Suggestions for a misspelt name come from names, not from three-letter codes
        # ("Mars" is not a misspelling of MAR, Morocco).
        self._names = [key for key in self.index if len(key) > 3]
        self._choices = list(self.index)
        self._seen: dict[str, str] = {}  # values already read, for files that repeat them

    def label(self, code: str) -> str:
        return f"{self.names.get(code) or readable_name(code, '')} ({code})"

    def resolve(self, value: str) -> str:
        text = str(value).strip()
        upper = text.upper()
        if upper in self.codes:
            return upper
        seen = self._seen.get(text)
        if seen is not None:
            return seen
        code = self._read(text)
        if len(self._seen) < 10_000:
            self._seen[text] = code
        return code

    def _read(self, text: str) -> str:
        value = text
        if _PLACEHOLDER.match(text):
            # "N/A" is not Namibia (NA), nor "n.a.": a cell saying no country is known.
            raise CountryError(f"{EXPECTED} (the cell says none is known)", (), value)
        labelled = _LABEL.match(text)
        if labelled:
            if labelled.group(2).upper() in self.codes:
                return labelled.group(2).upper()
            text = labelled.group(1)
        key = normalise(text)
        code = self.index.get(key)
        if code is not None:
            return code
        if key in self.ambiguous:
            candidates = self.ambiguous[key]
            named = " or ".join(self.label(c) for c in candidates)
            count = "two" if len(candidates) == 2 else str(len(candidates))
            raise CountryError(
                f"one country ({text!r} names {count}: {named}; write the one you mean)",
                candidates,
                value,
            )
        expected = EXPECTED_CODE if len(text) == 2 and text.isalpha() else EXPECTED
        if not key:
            raise CountryError(expected, (), value)
        choices = self._names if len(key) > 3 else self._choices
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF)
        if best is None or len(key) < 3:
            raise CountryError(expected, (), value)
        suggestion = self.index[best[0]]
        raise CountryError(
            f"{expected} (did you mean {self.label(suggestion)}?)", (suggestion,), value
        )


# One resolver per set of countries. Callers pass the same mapping for every row of a file, so
# the cache is keyed by the object itself (kept alive here, so its id is not reused) and checked
# against its size; a set changed in place with the same size must be passed as a new object.
_CACHE: dict[int, tuple[Any, int, CountryResolver]] = {}
_CACHE_SIZE = 16


def resolver_for(known: Known) -> CountryResolver:
    """The resolver for these countries (all of ISO 3166-1 when ``known`` is None)."""
    if known is None:
        return _iso_resolver()
    entry = _CACHE.get(id(known))
    if entry is not None and entry[0] is known and entry[1] == len(known):
        return entry[2]
    resolver = CountryResolver(known)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(known)] = (known, len(known), resolver)
    return resolver


@lru_cache(maxsize=1)
def _iso_resolver() -> CountryResolver:
    iso = _all_iso()
    aliases, _ = _alias_data()
    for code in aliases:
        iso.setdefault(code, "")  # codes used beside ISO's, such as XK (Kosovo)
    return CountryResolver(iso)


def resolve_country(value: str, known: Known) -> str:
    """The alpha-2 code of the one known country ``value`` names; raises CountryError.

    ``known`` is the countries the caller knows, as alpha-2 code -> name (names are used in
    messages and matched too) or just the codes; None means every ISO 3166-1 country.
    """
    text = value.strip() if isinstance(value, str) else str(value).strip()
    if len(text) == 2:
        upper = text.upper()
        if known is not None and upper in known:
            return upper
        if known is None and upper.isascii() and upper.isalpha():
            # Nothing to check against: a code stays as written unless it is another
            # spelling of one ("UK" is GB).
            resolver = _iso_resolver()
            return upper if upper in resolver.codes else resolver.index.get(normalise(upper), upper)
    return resolver_for(known).resolve(text)
