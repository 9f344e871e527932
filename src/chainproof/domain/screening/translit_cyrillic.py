# ruff: noqa: RUF001, RUF002, RUF003  (Cyrillic letters on purpose)
"""Cyrillic names in the Latin spellings that sanctions lists and trade documents use.

One name gets at most six spellings, the likeliest first:

- BGN/PCGN (Russian), diacritics dropped: Юрий "yuriy", Приморье "primorye", Елена "yelena";
- the Russian passport (ICAO Doc 9303, since 2013): х kh, ц ts, ю iu, я ia, й i, ъ ie:
  "iurii", "primore", "elena";
- common English usage: ё yo, -ий and -ый as y, кс as x, -андр as -ander, ь before и/о as y:
  "yury", "alexander", "fyodor", "ilyich"; and the same with -ий as i: "yuri", "dmitri";
- a scholarly spelling without diacritics (ISO 9 / scholarly, х h, ц c, й j, ю ju, я ja):
  "jurij", "harkov";
- Ukrainian: the national system of 2010, also in passports (г h, и y, і i, є/ї/ю/я/й as
  ye/yi/yu/ya/y at the start of a word and ie/i/iu/ia/i elsewhere): Харків "kharkiv",
  Київ "kyiv", Зеленський "zelenskyi"; and the older spelling with y throughout: "kyyiv",
  "zelenskyy".

Text with Ukrainian letters (і, ї, є, ґ) gets the Ukrainian spellings first; other text gets
them last, and only when it has no letter Ukrainian lacks (ы, э, ъ, ё, and the letters of
other alphabets).

Legal forms written out are first shortened as they are usually written: "Общество с
ограниченной ответственностью" becomes ООО, then "ooo"; the BGN/PCGN spelling of the
text as written is kept too, as lists often write the form out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_LETTERS = "\u0430-\u045f\u0460-\u04ff\u02bc"  # Cyrillic lower case, and ʼ inside a word
_VOWELS_AND_SIGNS = "аеёиоуыэюяіїєъьʼ"
_WORD_START = f"(?<![{_LETTERS}])"
_AFTER_VOWEL = f"(?<=[{_VOWELS_AND_SIGNS}])"
_WORD_END = f"(?![{_LETTERS}])"
_MAX_SPELLINGS = 6

# BGN/PCGN (Russian), diacritics dropped, with the letters of other Cyrillic alphabets.
_BGN = {
    **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True)),
    "ё": "e",
    "ж": "zh",
    "й": "y",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ь": "",
    "ю": "yu",
    "я": "ya",
    "ʼ": "",
    # Ukrainian and Belarusian
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "w",
    # Serbian and Macedonian
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    # Kazakh, Kyrgyz, Mongolian
    "ә": "a",
    "ғ": "gh",
    "қ": "k",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
}


@dataclass(frozen=True)
class _System:
    how: str
    letters: dict[str, str]
    # Spellings at the start of a word, and also after a vowel or a sign when after_vowel.
    initial: dict[str, str] = field(default_factory=dict)
    after_vowel: bool = True
    # (regular expression on lower-case Cyrillic, spelling), tried before single letters.
    rules: tuple[tuple[str, str], ...] = ()


def _ending(letters: str, spelling: str) -> tuple[str, str]:
    return (f"{letters}{_WORD_END}", spelling)


_ENGLISH_RULES = (
    (f"(?<=[{_LETTERS}])кс", "x"),  # Александр -> Alexander, Максим -> Maxim
    (f"андр{_WORD_END}", "ander"),
    ("ь(?=[ио])", "y"),  # Ильич -> Ilyich
    ("(?<=[жчшщ])ё", "o"),
    _ending("ый", "y"),
)
_SYSTEMS = {
    "bgn": _System(
        "BGN/PCGN",
        _BGN,
        {"е": "ye", "ё": "ye"},
    ),
    "icao": _System(
        "Russian passport (ICAO)",
        _BGN | {"ё": "e", "й": "i", "ъ": "ie", "ю": "iu", "я": "ia", "ў": "u", "ғ": "g"},
    ),
    "english": _System(
        "common English spelling",
        _BGN | {"ё": "yo"},
        {"е": "ye", "ё": "yo"},
        rules=(*_ENGLISH_RULES, _ending("ий", "y")),
    ),
    "english_i": _System(
        "common English spelling, -ий as i",
        _BGN | {"ё": "yo"},
        {"е": "ye", "ё": "yo"},
        rules=(*_ENGLISH_RULES, _ending("ий", "i")),
    ),
    "scholarly": _System(
        "scholarly, without diacritics",
        _BGN | {"х": "h", "ц": "c", "й": "j", "ю": "ju", "я": "ja", "ї": "ji", "є": "je"},
    ),
    "ukrainian": _System(
        "Ukrainian national system",
        _BGN | {"г": "h", "и": "y", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia", "ґ": "g"},
        {"й": "y", "ї": "yi", "є": "ye", "ю": "yu", "я": "ya"},
        after_vowel=False,
        rules=(("зг", "zgh"),),
    ),
    "ukrainian_y": _System(
        "Ukrainian, older spelling",
        _BGN | {"г": "h", "и": "y", "ґ": "g"},
    ),
}
_RUSSIAN_ORDER = ("bgn", "icao", "english", "english_i", "scholarly", "ukrainian")
_UKRAINIAN_ORDER = ("ukrainian", "ukrainian_y", "bgn", "icao", "english", "scholarly")
_UKRAINIAN_ONLY = frozenset("іїєґ")
# Letters Ukrainian lacks: Russian ы э ъ ё, Belarusian ў, Serbian, Macedonian, Kazakh.
_NOT_UKRAINIAN = frozenset("ыэъёўђјљњћџѓќѕәғқңөұүһ")


@lru_cache(maxsize=len(_SYSTEMS))
def _compiled(key: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    system = _SYSTEMS[key]
    rules = list(system.rules)
    if system.initial:
        context = _WORD_START if not system.after_vowel else f"(?:{_WORD_START}|{_AFTER_VOWEL})"
        rules += [(f"{context}{letter}", spelling) for letter, spelling in system.initial.items()]
    pattern = "|".join(f"({regex})" for regex, _ in rules)
    return re.compile(pattern), tuple(spelling for _, spelling in rules)


def _transliterate(text: str, key: str) -> str:
    """Lower-case text in one system (characters it does not know kept as they are)."""
    letters = _SYSTEMS[key].letters
    pattern, spellings = _compiled(key)
    out: list[str] = []
    position = 0
    for found in pattern.finditer(text) if spellings else ():
        out.extend(letters.get(c, c) for c in text[position : found.start()])
        out.append(spellings[(found.lastindex or 1) - 1])
        position = found.end()
    out.extend(letters.get(c, c) for c in text[position:])
    return "".join(out)


# Legal forms written out (lower case) -> their usual abbreviation, and the abbreviations.
_LEGAL_WRITTEN_OUT = {
    "общество с ограниченной ответственностью": "ооо",
    "общество с дополнительной ответственностью": "одо",
    "открытое акционерное общество": "оао",
    "закрытое акционерное общество": "зао",
    "публичное акционерное общество": "пао",
    "непубличное акционерное общество": "ао",
    "акционерное общество": "ао",
    "индивидуальный предприниматель": "ип",
    "товарищество с ограниченной ответственностью": "тоо",
    "федеральное государственное унитарное предприятие": "фгуп",
    "государственное унитарное предприятие": "гуп",
    "муниципальное унитарное предприятие": "муп",
    "товариство з обмеженою відповідальністю": "тов",
    "приватне акціонерне товариство": "прат",
    "публічне акціонерне товариство": "пат",
    "відкрите акціонерне товариство": "ват",
    "закрите акціонерне товариство": "зат",
    "акціонерне товариство": "ат",
    "фізична особа-підприємець": "фоп",
}
_LEGAL_ABBREVIATIONS = frozenset(_LEGAL_WRITTEN_OUT.values()) | {"нао"}
_LEGAL_PATTERN = re.compile(
    _WORD_START
    + "(?:"
    + "|".join(
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in sorted(_LEGAL_WRITTEN_OUT, key=len, reverse=True)
    )
    + ")"
    + _WORD_END
)


def cyrillic_legal_forms() -> dict[str, str]:
    """Cyrillic legal forms (lower case, written out or abbreviated) -> their Latin
    abbreviation ("общество с ограниченной ответственностью" and "ооо" -> "ooo")."""
    found = {phrase: _transliterate(short, "bgn") for phrase, short in _LEGAL_WRITTEN_OUT.items()}
    found.update({short: _transliterate(short, "bgn") for short in _LEGAL_ABBREVIATIONS})
    return found


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


_APOSTROPHE_IN_WORD = re.compile(f"(?<=[{_LETTERS}])['’ʼ`](?=[{_LETTERS}])")


@lru_cache(maxsize=50_000)
def cyrillic_spellings(text: str) -> tuple[tuple[str, str], ...]:
    """(how, spelling) pairs for a text with Cyrillic, likeliest first, at most six,
    lower case. Text without Cyrillic gives itself in lower case."""
    lower = text.lower()
    if not is_cyrillic(lower):
        return (("as written", lower),)
    lower = _APOSTROPHE_IN_WORD.sub("ʼ", lower)
    short = _LEGAL_PATTERN.sub(
        lambda found: _LEGAL_WRITTEN_OUT[" ".join(found.group().split())], lower
    )
    letters = set(lower)
    if letters & _UKRAINIAN_ONLY:
        order: tuple[str, ...] = _UKRAINIAN_ORDER
    elif letters & _NOT_UKRAINIAN:
        order = _RUSSIAN_ORDER[:-1]
    else:
        order = _RUSSIAN_ORDER
    found = [(_SYSTEMS[key].how, _transliterate(short, key)) for key in order]
    if short != lower:
        found.insert(1, ("BGN/PCGN, legal form written out", _transliterate(lower, "bgn")))
    unique: dict[str, str] = {}
    for how, spelling in found:
        if spelling not in unique:
            unique[spelling] = how
    return tuple((how, spelling) for spelling, how in unique.items())[:_MAX_SPELLINGS]


def cyrillic_variants(text: str) -> tuple[str, ...]:
    """Latin spellings of a text with Cyrillic, likeliest first (see cyrillic_spellings)."""
    return tuple(spelling for _, spelling in cyrillic_spellings(text))
