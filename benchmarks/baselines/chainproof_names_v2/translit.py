# ruff: noqa: RUF001  (the Cyrillic table holds Cyrillic letters on purpose)
"""FROZEN BASELINE (chainproof-names v2), copied unchanged from
src/chainproof/domain/screening/translit.py; do not edit. See README.md in this folder.

Transliteration of names into Latin spellings, in every form lists and suppliers use.

- Korean hangul: Revised Romanization (South Korea, 2000) and McCune-Reischauer, strict
  (with breves and apostrophes, voiced consonants between voiced sounds), plain (breves and
  apostrophes dropped, as OFAC writes), and the North Korean usage that writes ㅈ as "j"
  ("Kim Jong Un").
- Chinese characters: Hanyu Pinyin through pypinyin, with and without tone marks.
- Cyrillic: a BGN/PCGN-style table.

Each function returns a list of distinct variants; callers index all of them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3

# Initial consonants in Unicode order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
RR_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
MR_INITIAL = (
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "ch",
    "tch",
    "ch'",
    "k'",
    "t'",
    "p'",
    "h",
)
MR_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}  # between voiced sounds
# Vowels: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ
RR_VOWEL = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
MR_VOWEL = (
    "a",
    "ae",
    "ya",
    "yae",
    "ŏ",
    "e",
    "yŏ",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wŏ",
    "we",
    "wi",
    "yu",
    "ŭ",
    "ŭi",
    "i",
)
# Final consonants (index 0: none), reduced to the sound they make at the end of a syllable.
FINAL = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)


def is_hangul(text: str) -> bool:
    return any(_HANGUL_FIRST <= ord(c) <= _HANGUL_LAST for c in text)


def _syllables(word: str) -> list[tuple[int, int, int]] | None:
    parts = []
    for char in word:
        code = ord(char) - _HANGUL_FIRST
        if not 0 <= code <= _HANGUL_LAST - _HANGUL_FIRST:
            return None
        parts.append((code // 588, (code % 588) // 28, code % 28))
    return parts


def _rr_word(parts: list[tuple[int, int, int]]) -> str:
    out = []
    for index, (initial, vowel, final) in enumerate(parts):
        onset = RR_INITIAL[initial]
        if initial == 5 and index == 0:
            onset = "r"  # ㄹ is written r in RR even word-initially in names
        coda = FINAL[final]
        if final == 8 and index + 1 < len(parts) and parts[index + 1][0] == 11:
            coda = "r"  # ㄹ before a vowel
        out.append(onset + RR_VOWEL[vowel] + coda)
    return "".join(out)


def _mr_word(parts: list[tuple[int, int, int]]) -> str:
    out = []
    for index, (initial, vowel, final) in enumerate(parts):
        onset = MR_INITIAL[initial]
        if index > 0 and onset in MR_VOICED:
            previous_final = FINAL[parts[index - 1][2]]
            if previous_final in ("", "n", "m", "ng", "l"):
                onset = MR_VOICED[onset]
        coda = FINAL[final]
        out.append(onset + MR_VOWEL[vowel] + coda)
    return "".join(out)


def _plain(text: str) -> str:
    """Drop breves and apostrophes: Chŏng -> Chong, Ch'ŏngch'al -> Chongchal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "")


@lru_cache(maxsize=50_000)
def hangul_spellings(text: str) -> tuple[tuple[str, str], ...]:
    """(how, spelling) pairs for a text written in hangul (other words kept as they are).

    Revised Romanization, McCune-Reischauer and McCune-Reischauer without breves and
    apostrophes, word by word. A single word of three syllables may also be a personal
    name (family name + given name), so it also gets the usual name spellings:
    김정은 -> "gim jeongeun", "kim chŏngŭn", "kim Jong Un".
    """
    words = text.split()
    rr = " ".join(romanize_rr(word) for word in words)
    mr = " ".join(romanize_mr(word) for word in words)
    found = [
        ("Revised Romanization", rr),
        ("McCune-Reischauer", mr),
        ("McCune-Reischauer, plain", _plain(mr)),
    ]
    parts = _syllables(words[0]) if len(words) == 1 else None
    if parts is not None and len(parts) == 3:
        family, given = parts[:1], parts[1:]
        found += [
            ("Revised Romanization, as a name", f"{_rr_word(family)} {_rr_word(given)}"),
            ("McCune-Reischauer, as a name", f"{_mr_word(family)} {_mr_word(given)}"),
            (
                "McCune-Reischauer plain, as a name",
                f"{_plain(_mr_word(family))} {_plain(_mr_word(given))}",
            ),
            (
                "North Korean usage, as a name",
                f"{_plain(_mr_word(family))} " + " ".join(_nk_syllable(p) for p in given),
            ),
        ]
    unique: dict[str, str] = {}
    for how, spelling in found:
        if spelling.strip() and spelling not in unique:
            unique[spelling] = how
    return tuple((how, spelling) for spelling, how in unique.items())


def hangul_variants(text: str) -> tuple[str, ...]:
    return tuple(spelling for _, spelling in hangul_spellings(text))


def romanize_rr(word: str) -> str:
    """Revised Romanization of one word of hangul."""
    parts = _syllables(word)
    return word if parts is None else _rr_word(parts)


def romanize_mr(word: str) -> str:
    """McCune-Reischauer (with breves and apostrophes) of one word of hangul."""
    parts = _syllables(word)
    return word if parts is None else _mr_word(parts)


def _nk_syllable(part: tuple[int, int, int]) -> str:
    """North Korean usage for given names: ㅈ as j, breves dropped ("Jong", "Un")."""
    initial, vowel, final = part
    onset = MR_INITIAL[initial]
    onset = {"ch": "j", "ch'": "ch"}.get(onset, onset)
    return _plain(onset + MR_VOWEL[vowel] + FINAL[final]).capitalize()


_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "w",
}


def is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


@lru_cache(maxsize=50_000)
def cyrillic_variants(text: str) -> tuple[str, ...]:
    latin = "".join(_CYRILLIC.get(c, _CYRILLIC.get(c.lower(), c)) for c in text.lower())
    return (latin,)


def is_han(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


_U_UMLAUT = str.maketrans(dict.fromkeys("üǖǘǚǜ", "v"))


def _untone(syllable: str) -> str:
    syllable = syllable.translate(_U_UMLAUT)
    if syllable.isascii():
        return syllable
    decomposed = unicodedata.normalize("NFKD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=50_000)
def pinyin_variants(text: str) -> tuple[str, ...]:
    """Pinyin of a Chinese name: syllables split, joined, and with tone marks."""
    from pypinyin import Style, lazy_pinyin

    # One conversion: the plain syllables are the toned ones without their marks (ü as v,
    # as pypinyin writes it without tones), so both come from the same word segmentation.
    toned = lazy_pinyin(text, style=Style.TONE, errors="default")
    plain = [_untone(p) for p in toned]
    split = " ".join(p for p in plain if p.strip())
    joined = "".join(p for p in plain if p.strip())
    return tuple(dict.fromkeys([split, joined, " ".join(p for p in toned if p.strip())]))
