"""Japanese names in Latin letters, as lists and trade documents write them.

Kanji are read as Japanese by pykakasi (its dictionary gives the kana reading and where one
word ends); the kana are then written in Hepburn here, in the spellings lists use:

- Hepburn without macrons, long vowels shortened: 自動車 "jidosha", 大野 "ono", ソニー "soni";
- long vowels written out as typed on a keyboard: "jidousha", "oono", "sonii";
- the Japanese passport spelling: long o as "oh" and n as "m" before b, m, p: "ohno", "homma";
- a loanword ending in a long i written with y, as brands do: ソニー "sony".

Legal forms are rendered on their own, wherever they stand: 株式会社 as "kabushiki kaisha"
(not "kabushikigaisha") and, in one more spelling, in English as "co ltd".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pykakasi import Kakasi

# Native form -> (romanized, English). "(株)" is how NFKC writes ㈱ and the full-width form.
_LEGAL_FORMS = {
    "株式会社": ("kabushiki kaisha", "co ltd"),
    "(株)": ("kabushiki kaisha", "co ltd"),
    "有限会社": ("yugen kaisha", "co ltd"),
    "(有)": ("yugen kaisha", "co ltd"),
    "合同会社": ("godo kaisha", "llc"),
    "(同)": ("godo kaisha", "llc"),
    "合名会社": ("gomei kaisha", "co"),
    "(名)": ("gomei kaisha", "co"),
    "合資会社": ("goshi kaisha", "co"),
    "(資)": ("goshi kaisha", "co"),
}
_LEGAL_PATTERN = re.compile(
    "|".join(re.escape(form) for form in sorted(_LEGAL_FORMS, key=len, reverse=True))
)
_SEPARATORS = re.compile(r"[\s・･]+")

_KANA_ROWS = {
    "": "aiueo",
    "k": "かきくけこ",
    "g": "がぎぐげご",
    "s": "さしすせそ",
    "z": "ざじずぜぞ",
    "t": "たちつてと",
    "d": "だぢづでど",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "m": "まみむめも",
    "r": "らりるれろ",
}
_HIRAGANA: dict[str, str] = {"あ": "a", "い": "i", "う": "u", "え": "e", "お": "o"}
for _consonant, _row in _KANA_ROWS.items():
    if _consonant:
        for _kana, _vowel in zip(_row, "aiueo", strict=True):
            _HIRAGANA[_kana] = _consonant + _vowel
_HIRAGANA.update(
    {
        "し": "shi",
        "ち": "chi",
        "つ": "tsu",
        "ふ": "fu",
        "じ": "ji",
        "ぢ": "ji",
        "づ": "zu",
        "や": "ya",
        "ゆ": "yu",
        "よ": "yo",
        "わ": "wa",
        "ゐ": "i",
        "ゑ": "e",
        "を": "o",
        "ゔ": "vu",
        "ゕ": "ka",
        "ゖ": "ke",
        "ゎ": "wa",
    }
)
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}
_LONG_MARK = "ー"
_SOKUON = "っ"
_N = "ん"


def is_kana(text: str) -> bool:
    """Whether the text has hiragana or katakana (half-width too, and the long-vowel mark)."""
    return any(
        "\u3041" <= c <= "\u309f"
        or ("\u30a1" <= c <= "\u30ff" and c != "\u30fb")
        or "\u31f0" <= c <= "\u31ff"
        or "\uff66" <= c <= "\uff9f"
        for c in text
    )


def _has_japanese(text: str) -> bool:
    return is_kana(text) or any(
        "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c == "々" for c in text
    )


def japanese_legal_forms() -> dict[str, tuple[str, str]]:
    """Japanese legal forms (as NFKC writes them) -> (romanized, in English)."""
    return dict(_LEGAL_FORMS)


@lru_cache(maxsize=1)
def _kakasi() -> Kakasi:
    import pykakasi

    return pykakasi.Kakasi()  # type: ignore[no-untyped-call]


def _hiragana(text: str) -> str:
    """Katakana as hiragana (the long-vowel mark kept); other characters as they are."""
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _morae(kana: str) -> list[str]:
    """One reading (hiragana) as Hepburn morae: "ー" and "っ" kept as marks, "ん" as "n"."""
    morae: list[str] = []
    for char in kana:
        previous = morae[-1] if morae else ""
        if char in _SMALL_Y and previous.endswith("i") and len(previous) > 1:
            stem = previous[:-1]
            morae[-1] = stem + (
                _SMALL_Y[char] if stem in ("sh", "ch", "j") else "y" + _SMALL_Y[char]
            )
        elif char in _SMALL_VOWEL and previous not in ("", _LONG_MARK, _SOKUON, "n"):
            vowel = _SMALL_VOWEL[char]
            if previous == "u":
                morae[-1] = "w" + vowel  # ウィ wi, ウェ we
            elif previous == "i":
                morae[-1] = "y" + vowel  # イェ ye
            elif previous in ("shi", "chi", "ji"):
                morae[-1] = previous[:-1] + vowel  # シェ she, チェ che, ジェ je
            else:
                morae[-1] = previous[:-1] + vowel  # ファ fa, ティ ti, ヴァ va, ツァ tsa
        elif char in _SMALL_Y or char in _SMALL_VOWEL:
            morae.append((_SMALL_Y | _SMALL_VOWEL)[char])
        elif char == _N:
            morae.append("n")
        elif char in (_LONG_MARK, _SOKUON) or char not in _HIRAGANA:
            morae.append(char)
        else:
            morae.append(_HIRAGANA[char])
    return morae


_CONSONANTS = frozenset("bcdfghjklmpqrstvwyz")
_STYLES = ("hepburn", "written out", "passport", "loanword")


def _spell(morae: list[str], style: str) -> str:
    """Morae in one spelling style (see _STYLES)."""
    out: list[str] = []
    for index, mora in enumerate(morae):
        following = morae[index + 1] if index + 1 < len(morae) else ""
        last_vowel = out[-1][-1] if out and out[-1] and out[-1][-1] in "aiueo" else ""
        if mora == _SOKUON:
            if following[:1] in _CONSONANTS:
                out.append("t" if following.startswith("ch") else following[0])
        elif mora == _LONG_MARK:
            if style == "written out":
                out.append(last_vowel)
            elif style == "loanword" and last_vowel == "i" and not following:
                out[-1] = out[-1][:-1] + "y"
        elif mora == "n" and style == "passport" and following[:1] in ("b", "m", "p"):
            out.append("m")
        elif (
            style in ("hepburn", "passport", "loanword")
            and ((mora == "u" and last_vowel in "ou") or (mora == "o" and last_vowel == "o"))
            and last_vowel
            and following[:1] not in tuple("aiueo")
        ):
            # A long vowel: 東京 "tokyo", 大野 "ono"; the passport writes a long o "oh".
            if style == "passport" and last_vowel == "o":
                out.append("h")
        else:
            out.append(mora)
    return "".join(out)


def _words(text: str) -> list[tuple[str, list[str] | tuple[str, str]]]:
    """The text's words: (original, morae) or, for a legal form, (original, its renderings)."""
    words: list[tuple[str, list[str] | tuple[str, str]]] = []
    position = 0
    pieces: list[tuple[str, bool]] = []
    for found in _LEGAL_PATTERN.finditer(text):
        pieces.append((text[position : found.start()], False))
        pieces.append((found.group(), True))
        position = found.end()
    pieces.append((text[position:], False))
    for piece, legal in pieces:
        if legal:
            words.append((piece, _LEGAL_FORMS[piece]))
            continue
        for chunk in _SEPARATORS.split(piece):
            if not chunk:
                continue
            for item in _kakasi().convert(chunk):
                original, reading = item["orig"], item["hira"]
                if original.strip():
                    words.append((original, _morae(_hiragana(reading))))
    return words


@lru_cache(maxsize=50_000)
def japanese_spellings(text: str) -> tuple[tuple[str, str], ...]:
    """(how, spelling) pairs for a Japanese name (kana or kanji read as Japanese), best first.

    Empty when the text has neither kana nor kanji. Spellings are lower case, words
    separated where the dictionary separates them; other characters are kept as written.
    """
    text = unicodedata.normalize("NFKC", text)
    if not _has_japanese(text):
        return ()
    words = _words(text)
    has_legal = any(isinstance(reading, tuple) for _, reading in words)

    def spell(style: str, english: bool = False) -> str:
        parts = []
        for _, reading in words:
            if isinstance(reading, tuple):
                parts.append(reading[1] if english else reading[0])
            else:
                parts.append(_spell(reading, style))
        return " ".join(p for p in parts if p).lower()

    found = [("Hepburn", spell("hepburn"))]
    if has_legal:
        found.append(("Hepburn, legal form in English", spell("hepburn", english=True)))
    found += [
        ("Hepburn, long vowels written out", spell("written out")),
        ("Japanese passport spelling", spell("passport")),
        ("Hepburn, loanword ending in y", spell("loanword")),
    ]
    unique: dict[str, str] = {}
    for how, spelling in found:
        if spelling.strip() and spelling not in unique:
            unique[spelling] = how
    return tuple((how, spelling) for spelling, how in unique.items())


def japanese_variants(text: str) -> tuple[str, ...]:
    """Latin spellings of a Japanese name, best first (see japanese_spellings)."""
    return tuple(spelling for _, spelling in japanese_spellings(text))
