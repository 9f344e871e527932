"""Every spelling of a name worth comparing, each saying how it was made (chainproof-names).

- Latin letters: as written, and for names that may be Korean a spelling-blind sound key.
- Chinese characters: split into words (place, brand, industry words, legal form: see
  chinese.py), then each word romanized on its own ("阿克苏华孚色纺有限公司" -> "akesu huafu
  sefang co ltd") and once more with the industry words in English ("akesu huafu color
  spinning co ltd"); as written, in those words, for comparing with other Chinese names
  (characters, never sounds: 高石 and 高市 are different names that read alike).
- Japanese (kana, or kanji when the record is Japanese): read as Japanese, not as pinyin.
- Korean hangul: Revised Romanization, McCune-Reischauer, North Korean usage.
- Cyrillic: the romanizations lists and trade documents use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from chainproof.domain.screening.chinese import segment, simplified
from chainproof.domain.screening.entries import split_entities
from chainproof.domain.screening.korean import korean_sounds, may_be_korean_word
from chainproof.domain.screening.translit import (
    cyrillic_spellings,
    hangul_spellings,
    hangul_variants,
    is_cyrillic,
    is_han,
    is_hangul,
    is_kana,
    japanese_spellings,
    pinyin_variants,
)
from chainproof.domain.screening.words import (
    DISTINCTIVE,
    GENERIC,
    KEY_ROLES,
    LEGAL,
    NUMBER,
    PLACE,
    fold,
    read_words,
    terms,
)

SOUNDS = "Korean sounds"
AS_WRITTEN = "as written"
WRITTEN_IN_WORDS = "as written, in words"
WRITTEN = frozenset({AS_WRITTEN, WRITTEN_IN_WORDS})
_PERSON = re.compile(r"^[^,]+,[^,]+$")


@dataclass(frozen=True)
class Variant:
    text: str
    how: str
    tokens: tuple[str, ...]
    roles: tuple[str, ...]
    person: bool = False  # a person's name: every given name must agree
    shown: tuple[str, ...] = ()  # the words a person reads, when the tokens are a sound key
    # Derived once, so comparing two variants does no set-up work.
    key: frozenset[int] = field(default=frozenset(), compare=False)  # positions that say which
    key_tokens: frozenset[str] = field(default=frozenset(), compare=False)
    support: tuple[int, ...] = field(default=(), compare=False)  # generic words and places
    positions: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    core: str = field(default="", compare=False)  # every word but legal forms, joined
    distinctive: str = field(default="", compare=False)  # the key words, joined
    initials: str = field(default="", compare=False)
    numbers: frozenset[str] = field(default=frozenset(), compare=False)
    generic_only: bool = field(default=False, compare=False)  # no word says which by itself

    def __post_init__(self) -> None:
        tokens, roles = self.tokens, self.roles
        positions: dict[str, int] = {}
        key: list[int] = []
        plain: list[str] = []  # every word but legal forms
        numbers: list[str] = []
        for j, (token, role) in enumerate(zip(tokens, roles, strict=True)):
            positions.setdefault(token, j)
            if role in KEY_ROLES:
                key.append(j)
            if role != LEGAL:
                plain.append(token)
            if role == NUMBER:
                numbers.append(token)
        generic_only = not key
        if not key:  # a name of generic words and places only: those are what say which
            key = [j for j, role in enumerate(roles) if role != LEGAL] or list(range(len(roles)))
        chosen = frozenset(key)
        setter = object.__setattr__
        setter(self, "key", chosen)
        setter(self, "key_tokens", frozenset(tokens[j] for j in key))
        setter(
            self,
            "support",
            tuple(j for j, role in enumerate(roles) if role != LEGAL and j not in chosen),
        )
        setter(self, "positions", positions)
        setter(self, "core", "".join(plain))
        setter(self, "distinctive", "".join(tokens[j] for j in key))
        setter(self, "initials", "".join(t[0] for t in tokens) if len(tokens) >= 3 else "")
        setter(self, "numbers", frozenset(numbers))
        setter(self, "generic_only", generic_only)


def may_be_korean(variant: Variant) -> bool:
    """Whether a name in Latin letters may be Korean: short, and every word that says which
    spelled in Korean syllables ("Kumryong", "Changgwang Sinyong"; not "Maple", "Lotus")."""
    if len(variant.tokens) > 6:
        return False
    words = [variant.tokens[j] for j in variant.key if variant.roles[j] != NUMBER]
    return bool(words) and all(map(may_be_korean_word, words))


def make_variant(text: str, how: str, *, person: bool = False) -> Variant | None:
    folded = fold(text)
    if not folded:
        return None
    tokens, roles = read_words(folded)
    if not tokens:
        return None
    return Variant(" ".join(tokens), how, tokens, roles, person)


def _is_person(name: str, variant: Variant | None) -> bool:
    """ "FAMILY, Given" with nothing but names: a person as the lists write them."""
    if variant is None or not _PERSON.match(name.strip()) or len(variant.tokens) > 5:
        return False
    return all(role not in (LEGAL, GENERIC) for role in variant.roles)


# --- Chinese, Korean and other scripts ---------------------------------------------------


@lru_cache(maxsize=8)
def _glossary_pattern(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """The language's business words (longest first, so the longest wins) or a space."""
    glossary = terms().glossary.get(language, ())
    alternatives = "|".join(re.escape(term) for term, _ in glossary)
    pattern = re.compile(f"({alternatives})|\\s+" if alternatives else r"\s+")
    return pattern, dict(glossary)


def _gloss(text: str, language: str, romanize: Callable[[str], str]) -> str:
    """Render known business words in English; other runs by their transliteration."""
    pattern, english = _glossary_pattern(language)
    out: list[str] = []
    position = 0
    for found in pattern.finditer(text):
        if found.start() > position:
            out.append(romanize(text[position : found.start()]))
        if found.group(1):
            out.append(english[found.group(1)])
        position = found.end()
    if position < len(text):
        out.append(romanize(text[position:]))
    return " ".join(out)


def _pinyin_joined(run: str) -> str:
    """The pinyin of a run of text, syllables joined (text pinyin leaves alone stays)."""
    return pinyin_variants(run)[0].replace(" ", "")


def _rr_joined(run: str) -> str:
    return hangul_variants(run)[0].replace(" ", "")


def _mr_joined(run: str) -> str:
    """McCune-Reischauer without breves and apostrophes, as OFAC writes Korean."""
    spellings = hangul_variants(run)
    return spellings[min(2, len(spellings) - 1)].replace(" ", "")


def _hangul_variants(name: str) -> list[Variant | None]:
    """Romanizations (RR, McCune-Reischauer, North Korean usage), business words in
    English with the rest in either romanization, and each one's Korean sound key (so that
    조경철 as "Cho Kyong Chol" meets "JO, Kyong-Chol")."""
    found: list[Variant | None] = []
    for how, spelling in hangul_spellings(name):
        found.append(make_variant(spelling, how, person="as a name" in how))
    found.append(make_variant(_gloss(name, "ko", _rr_joined), "Korean terms in English"))
    found.append(
        make_variant(_gloss(name, "ko", _mr_joined), "Korean terms in English, McCune-Reischauer")
    )
    sounded: list[Variant | None] = []
    for variant in found:
        if variant is None or not variant.text.isascii():
            continue
        keys = korean_sounds(variant.tokens, variant.roles, person=variant.person)
        sounded.append(
            Variant(" ".join(keys), SOUNDS, keys, variant.roles, variant.person, variant.tokens)
        )
    return found + sounded


def _chinese_variants(name: str) -> list[Variant | None]:
    words = segment(name)
    if not words:
        joined = _gloss(name, "zh", _pinyin_joined)
        return [make_variant(joined, "Chinese terms in English")]
    written: list[tuple[str, str]] = []
    pinyin: list[tuple[str, str]] = []
    english: list[tuple[str, str]] = []
    for word in words:
        kind = word.kind
        if kind == "other":
            folded = fold(word.text)
            if folded:
                tokens, roles = read_words(folded)
                pairs = list(zip(tokens, roles, strict=True))
                written += pairs
                pinyin += pairs
                english += pairs
            continue
        if kind == "legal":
            short = read_words(fold(word.english or word.pinyin))
            pairs = [(token, LEGAL) for token in short[0]]
            written.append((simplified(word.text), LEGAL))
            pinyin += pairs
            english += pairs
        elif kind == "place":
            place = word.english or word.pinyin
            written.append((word.english or simplified(word.text), PLACE))
            pinyin.append((place, PLACE))
            english.append((place, PLACE))
        elif kind == "industry":
            written.append((simplified(word.text), GENERIC))
            pinyin.append((word.pinyin, GENERIC))
            rendered = read_words(fold(word.english))[0] if word.english else (word.pinyin,)
            english += [(token, GENERIC) for token in rendered]
        else:  # the brand, and anything else that says which company
            written.append((simplified(word.text), "distinctive"))
            pinyin.append((word.pinyin, "distinctive"))
            english.append((word.pinyin, "distinctive"))
    found: list[Variant | None] = []
    for how, pairs in (
        (WRITTEN_IN_WORDS, written),
        ("pinyin, word by word", pinyin),
        ("Chinese terms in English", english),
    ):
        pairs = [(t, r) for t, r in pairs if t]
        if pairs:
            tokens = tuple(t for t, _ in pairs)
            found.append(Variant(" ".join(tokens), how, tokens, tuple(r for _, r in pairs)))
    return found


_KANA_VOWEL = re.compile(r"(?<=[bcdfghjkmprstz])u(?=[bcdfghjkmprstz]|\b)")


def _japanese_variants(name: str) -> list[Variant | None]:
    found = [make_variant(text, f"Japanese, {how}") for how, text in japanese_spellings(name)]
    first = found[0] if found else None
    if is_kana(name) and first is not None:
        # A foreign word in katakana gains a vowel after its consonants: テクマシュ is
        # "tekumashu" for "Tekmash"; without those u's it meets the word as written.
        tokens = tuple(
            _KANA_VOWEL.sub("", token) if role == DISTINCTIVE else token
            for token, role in zip(first.tokens, first.roles, strict=True)
        )
        if tokens != first.tokens:
            found.append(
                Variant(
                    " ".join(tokens),
                    "Japanese, foreign word without added vowels",
                    tokens,
                    first.roles,
                )
            )
    return found


@lru_cache(maxsize=200_000)
def variants(name: str, japanese: bool = False) -> tuple[Variant, ...]:
    """Every spelling of a name worth comparing. `japanese`: the record is Japanese, so
    kanji are read as Japanese (a name with kana always is). A text that names several
    entities ("Fuchu Prison; Union Kogyo Co., Ltd.", as some orders are published) gives
    the spellings of each, and a tail such as "and its subsidiaries" is left out."""
    if ";" in name or "(" in name or " and " in name.lower():
        parts = split_entities(name)
        if parts and parts != (name,):
            unique: dict[str, Variant] = {}
            for part in parts:
                for variant in _one_name(part, japanese):
                    unique.setdefault(variant.text, variant)
            return tuple(unique.values())
    return _one_name(name, japanese)


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9&.'\- ]*[A-Za-z0-9.]")


def _one_name(name: str, japanese: bool) -> tuple[Variant, ...]:
    found = _spellings(name, japanese)
    if is_han(name) or is_kana(name):
        latin = " ".join(m.group(0) for m in _LATIN_RUN.finditer(name) if len(m.group(0)) >= 2)
        if latin:
            # "Hoshine 合盛硅业有限公司": the same company in two scripts; each part is
            # also compared on its own.
            native = _LATIN_RUN.sub(" ", name).strip()
            more = [*_spellings(latin, japanese), *(_spellings(native, japanese) if native else ())]
            unique = {v.text: v for v in found}
            for variant in more:
                unique.setdefault(variant.text, variant)
            return tuple(unique.values())
    return found


@lru_cache(maxsize=200_000)
def _spellings(name: str, japanese: bool) -> tuple[Variant, ...]:
    written = make_variant(name, AS_WRITTEN)
    person = _is_person(name, written)
    if person and written is not None:
        written = Variant(written.text, written.how, written.tokens, written.roles, True)
    found: list[Variant | None] = [written]
    if is_han(name) or is_kana(name):
        if japanese or is_kana(name):
            found += _japanese_variants(name)
        else:
            found += _chinese_variants(name)
    if is_hangul(name):
        found += _hangul_variants(name)
    if written is not None and written.text.isascii() and may_be_korean(written):
        sounds = korean_sounds(written.tokens, written.roles, person=person)
        if sounds != written.tokens:
            # Same words, same parts: a generic word stays generic however it is spelled.
            found.append(
                Variant(" ".join(sounds), SOUNDS, sounds, written.roles, person, written.tokens)
            )
    if is_cyrillic(name):
        found += [make_variant(text, f"Cyrillic, {how}") for how, text in cyrillic_spellings(name)]
    unique: dict[str, Variant] = {}
    for variant in found:
        if variant is not None and variant.text not in unique:
            unique[variant.text] = variant
    return tuple(unique.values())
