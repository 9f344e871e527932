"""The words of a name and the part each plays in it (chainproof-names v3).

A name in Latin letters is folded (case, width, accents, punctuation), dotted initials are
joined ("S.A. de C.V." -> "sa de cv", "A.B.C." -> "abc") and so are runs of single letters
("A B C" -> "abc"); legal forms written out in any of the lists' languages are read as their
short form ("Aktiengesellschaft" -> "ag", "Limited Liability Company" and "OOO" -> "llc");
words that only join others ("and", "of", "de") are left out. Each remaining word then
plays one part:

- legal form ("co", "ltd", "llc"): says what kind of company, not which;
- generic ("trading", "textile", "bank"): common to many names;
- place (Chinese provinces, prefectures and counties in any spelling: "Aksu" and "Akesu"
  are one word): says where, not who;
- number ("2" in "SOUTH HILL 2"): must agree when both names have one;
- distinctive: everything else, the words that say which company or person it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from chainproof.domain.screening.chinese import is_place_pair, place_key

_TERMS_FILE = Path(__file__).parent / "data" / "terms.yaml"
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
# A letter followed by one or more ". letter", an optional final dot, and no letter after:
# "S.A.", "L.L.C.", "A. B. C.", "S.p.A" (never "J. Smith": a word follows).
_DOTTED = re.compile(r"(?<!\w)[^\W\d_](?:\.[ ]?[^\W\d_])+\.?(?!\w)", re.UNICODE)
_POSSESSIVE = re.compile("(\\w)['\u2019]s\\b", re.UNICODE)
_APOSTROPHE = re.compile("(?<=\\w)['\u2019](?=\\w)", re.UNICODE)
_NUMBER_WORDS = frozenset({"no", "nr", "number", "num"})

# The part a word plays in a name, as the review screen names it.
DISTINCTIVE, GENERIC, PLACE, LEGAL, NUMBER, INITIALS = (
    "distinctive",
    "generic",
    "place",
    "legal form",
    "number",
    "initials",
)
ROLES = (DISTINCTIVE, GENERIC, PLACE, LEGAL, NUMBER, INITIALS)
KEY_ROLES = frozenset({DISTINCTIVE, NUMBER, INITIALS})  # the words that say which one


@dataclass(frozen=True)
class Terms:
    legal: frozenset[str]
    generic: frozenset[str]
    glossary: dict[str, tuple[tuple[str, str], ...]]  # language -> (term, english) longest first
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = field(
        default_factory=dict
    )  # first word -> (words, short form), longest first
    same: dict[str, str] = field(default_factory=dict)  # legal form -> the one read for it
    connecting: frozenset[str] = frozenset()
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    countries: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = field(
        default_factory=dict
    )  # first word -> (words, the one word), longest first
    generic_same: dict[str, str] = field(default_factory=dict)  # a form -> the one read
    places: frozenset[str] = frozenset()  # places outside China (China's: chinese.py)


@lru_cache(maxsize=1)
def terms() -> Terms:
    data = yaml.safe_load(_TERMS_FILE.read_text(encoding="utf-8"))
    glossary = {
        language: tuple(
            sorted(((str(k), str(v)) for k, v in entries.items()), key=lambda kv: -len(kv[0]))
        )
        for language, entries in data["glossary"].items()
    }
    same = {str(word): str(group[0]) for group in data["legal_same"] for word in group}
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, short in data["legal_phrases"].items():
        words = tuple(str(phrase).split())
        by_first.setdefault(words[0], []).append((words, tuple(str(short).split())))
    countries: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, short in data["country_phrases"].items():
        words = tuple(str(phrase).split())
        countries.setdefault(words[0], []).append((words, (str(short),)))
    phrases = {
        first: tuple(sorted(found, key=lambda item: -len(item[0])))
        for first, found in by_first.items()
    }
    legal = frozenset(data["legal_forms"]) | frozenset(same.values())
    country_phrases = {
        first: tuple(sorted(found, key=lambda item: -len(item[0])))
        for first, found in countries.items()
    }
    return Terms(
        legal,
        frozenset(data["generic"]),
        glossary,
        phrases,
        same,
        frozenset(data["connecting"]),
        {str(k): tuple(str(v).split()) for k, v in data["abbreviations"].items()},
        country_phrases,
        {str(word): str(group[0]) for group in data["generic_same"] for word in group},
        frozenset(str(place) for place in data["places"]),
    )


def _join_dotted(found: re.Match[str]) -> str:
    return " " + "".join(c for c in found.group(0) if c not in ". ") + " "


def fold(text: str) -> str:
    """NFKC, case-folded, accents and punctuation removed, dotted initials joined, spaces
    collapsed."""
    if "." in text:
        text = _DOTTED.sub(_join_dotted, text)
    if "'" in text or "\u2019" in text:
        text = _POSSESSIVE.sub(r"\1s", text)  # "People's" -> "peoples", one word
        text = _APOSTROPHE.sub("", text)  # "Ch'ongguk" -> "chongguk", "O'Brien" -> "obrien"
    if text.isascii():
        text = text.lower()  # NFKC, case folding and accent removal change nothing else here
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = unicodedata.normalize("NFC", _drop_accents(unicodedata.normalize("NFKD", text)))
        text = text.replace("\u0131", "i")  # Turkish dotless i
    return " ".join(_PUNCT.sub(" ", text).replace("_", " ").split())


def _drop_accents(decomposed: str) -> str:
    """Accents off Latin, Greek and Cyrillic letters ("Ç" -> "c"); the marks other scripts
    write with (kana voicing marks, Thai and Indic vowel signs) kept."""
    out = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            if base and ord(base) < 0x0530:
                continue
        else:
            base = char
        out.append(char)
    return "".join(out)


def _join_single_letters(tokens: list[str]) -> list[str]:
    """ "a b c company" -> "abc company": initials written with spaces are one word."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha() and token.isascii():
            run.append(token)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token)


@lru_cache(maxsize=200_000)
def read_words(folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tokens, roles) of a folded name."""
    t = terms()
    tokens: list[str] = []
    for token in _join_single_letters(folded.split()):
        tokens.extend(t.abbreviations.get(token, (token,)))
    out: list[str] = []
    roles: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        phrase = _phrase_at(tokens, i, t)
        if phrase is not None:
            length, short = phrase
            for word in short:
                out.append(t.same.get(word, word))
                roles.append(LEGAL)
            i += length
            continue
        country = _phrase_at(tokens, i, t, t.countries)
        if country is not None:
            out.append(country[1][0])
            roles.append(GENERIC)
            i += country[0]
            continue
        if token in t.connecting and out:
            i += 1
            continue
        if token in _NUMBER_WORDS and i + 1 < len(tokens) and _is_number(tokens[i + 1]):
            i += 1  # "No. 2" is "2"
            continue
        if i + 1 < len(tokens):
            pair = is_place_pair(token, tokens[i + 1])
            if pair is not None:
                out.append(pair)
                roles.append(PLACE)
                i += 2
                continue
        word, role = _one_word(token)
        out.append(word)
        roles.append(role)
        i += 1
    return tuple(out), tuple(roles)


@lru_cache(maxsize=100_000)
def _one_word(token: str) -> tuple[str, str]:
    t = terms()
    if _is_number(token):
        return token, NUMBER
    if token in t.legal:
        return t.same.get(token, token), LEGAL
    same = t.generic_same.get(token)
    if same is not None:
        return same, GENERIC
    if token in t.generic:
        return token, GENERIC
    key = place_key(token)
    if key is not None:
        return key, PLACE
    if token in t.places:
        return token, PLACE
    return token, DISTINCTIVE


def _phrase_at(
    tokens: list[str],
    i: int,
    t: Terms,
    phrases: dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] | None = None,
) -> tuple[int, tuple[str, ...]] | None:
    for words, short in (t.phrases if phrases is None else phrases).get(tokens[i], ()):
        if tuple(tokens[i : i + len(words)]) == words:
            return len(words), short
    return None
