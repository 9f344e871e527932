"""A spelling-blind key for Korean names written in Latin letters.

Jong/Chong, Jang/Chang, Choi/Choe, Pu/Bu, Taewon/Daewon and Kim/Gim meet
(McCune-Reischauer, Revised Romanization and the spellings people use). Family names
written the North's and the South's way (Ri/Lee/Yi, Ryu/Yoo, Rim/Lim, Ro/Roh) meet too, but
only where a family name stands: first (Korean order, or "FAMILY, Given"), or last in a
short name written in Western order. A given name "Rim" stays "rim".
"""

from __future__ import annotations

import re
from functools import lru_cache

from chainproof.domain.screening.words import DISTINCTIVE

# A Korean syllable in Latin letters (McCune-Reischauer, Revised Romanization, and the
# spellings people use): an optional first consonant, a vowel, an optional last consonant.
_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|tch|ch|sh|th|kh|ph|k|g|n|d|t|r|m|b|p|s|j|h|y|w)?"
    r"(?:yae|wae|yeo|ae|ya|eo|ye|oe|wa|wo|we|wi|yu|eu|ui|yo|oo|ee|a|e|i|o|u)"
    r"(?:ng|k|n|t|l|m|p|g|d|b)?"
)
# An l begins only a family name as the South writes it (Lee, Lim); the letters and vowel
# pairs of pinyin and English that Korean romanization never writes (Xinjiang, Tianshan,
# Maple) rule a word out.
_KOREAN_WORD = re.compile(f"l?(?:{_SYLLABLE}){{1,4}}")
_NOT_KOREAN = re.compile(r"[cfqvxz]|ia|ua|uo|ao|ou|ei|iu|ai|le$")


@lru_cache(maxsize=100_000)
def may_be_korean_word(word: str) -> bool:
    """Whether a word may be Korean syllables written in Latin letters (at most four)."""
    if _NOT_KOREAN.search(word.replace("ch", "")) is not None:
        return False
    return _KOREAN_WORD.fullmatch(word) is not None


_KOREAN_SOUNDS = (
    ("'", ""),
    ("th", "t"),  # aspirates written with an h (McCune-Reischauer as some lists type it)
    ("kh", "k"),
    ("ph", "p"),
    ("tch", "j"),
    ("ch", "j"),
    ("kk", "g"),
    ("tt", "d"),
    ("pp", "b"),
    ("k", "g"),
    ("t", "d"),
    ("p", "b"),
    ("woo", "u"),
    ("oo", "u"),
    ("eo", "o"),
    ("eu", "u"),
    ("oi", "oe"),
    ("wo", "o"),
    ("ee", "i"),
)

# Keys as spelled after the sound rules above: "rhee" is "rhi" by then, "yoo" is "yu".
_FAMILY_NAMES = {
    **dict.fromkeys(("ri", "rhi", "li", "yi", "rhie"), "i"),
    **dict.fromkeys(("ryu", "yu", "you"), "yu"),
    **dict.fromkeys(("rim", "lim"), "im"),
    **dict.fromkeys(("ro", "roh", "noh", "no"), "no"),
    **dict.fromkeys(("ryom", "yom"), "yom"),
    **dict.fromkeys(("ryang",), "yang"),
    **dict.fromkeys(("bag", "barg", "bak"), "bag"),  # Pak, Park, Bak
}


# Common Korean family names, as sound keys (Kim, Pak/Park, Choe/Choi, Jong/Chong, Kang...):
# a short name that starts with one is in Korean order, so its last word is a given name.
_COMMON_FAMILY_KEYS = frozenset(
    [
        "gim",
        "i",
        "bag",
        "bak",
        "jo",
        "joe",
        "jong",
        "gang",
        "jang",
        "yun",
        "im",
        "han",
        "o",
        "so",
        "sin",
        "shin",
        "gwon",
        "hwang",
        "an",
        "song",
        "yu",
        "jon",
        "hong",
        "go",
        "mun",
        "yang",
        "son",
        "bae",
        "bang",
        "baeg",
        "bag",
        "ho",
        "ho",
        "no",
        "ha",
        "gwag",
        "ja",
        "ju",
        "u",
        "gu",
        "min",
        "yom",
        "jin",
        "ji",
        "om",
        "on",
        "won",
        "jon",
        "bang",
        "gong",
        "hyon",
        "ham",
        "byon",
        "yo",
        "jae",
        "dag",
        "myong",
        "byo",
        "gi",
        "ma",
        "og",
        "gye",
        "sog",
        "sa",
        "nam",
        "sim",
        "jeon",
        "heo",
        "seo",
        "choe",
        "che",
        "ryu",
        "no",
        "barg",
        "hyun",
        "oh",
        "suh",
        "jung",
    ]
)


def korean_sound(token: str) -> str:
    """One word's sound key (no family-name rule)."""
    key = token
    for old, new in _KOREAN_SOUNDS:
        key = key.replace(old, new)
    return key


def family_sound(token: str) -> str:
    """A family name's sound key: Ri, Lee, Yi and Rhee are one name."""
    key = korean_sound(token)
    return _FAMILY_NAMES.get(key, key)


def korean_sounds(
    tokens: tuple[str, ...], roles: tuple[str, ...], *, person: bool
) -> tuple[str, ...]:
    """The sound key of each word; the family-name rule only where a family name stands."""
    keys = [korean_sound(token) for token in tokens]
    if not tokens:
        return ()
    names_only = all(role == DISTINCTIVE for role in roles)
    if names_only and len(tokens) <= 4:
        keys[0] = family_sound(tokens[0])
        if not person and len(tokens) >= 2 and keys[0] not in _COMMON_FAMILY_KEYS:
            keys[-1] = family_sound(tokens[-1])  # "Pyong Chol Ri": Western order
    return tuple(keys)
