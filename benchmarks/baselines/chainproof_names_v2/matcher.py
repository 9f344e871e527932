"""FROZEN BASELINE: chainproof-names v2, copied unchanged (imports made local) from
src/chainproof/domain/screening/matcher.py; do not edit. See README.md in this folder.

Name matching across scripts and spellings (algorithm chainproof-names; VERSION below).

Every name is turned into variants: as written (folded), transliterated (pinyin for
Chinese, Revised Romanization and McCune-Reischauer for Korean, Latin for Cyrillic) and
glossed (common business words rendered in English: 生产 -> production, 무역 -> trading).
Two names are compared variant by variant on weighted tokens: legal forms ("Co., Ltd.",
"OOO", "有限公司") count little, generic words ("trading", "Korea", "Xinjiang") count
less than distinctive ones, and at least one distinctive word must agree. Candidates
come from an index on distinctive tokens and from a fast spelling search, so a screening never
compares every name with every list entry. Every score says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from .text import visible_text
from .translit import (
    cyrillic_variants,
    hangul_spellings,
    hangul_variants,
    is_cyrillic,
    is_han,
    is_hangul,
    pinyin_variants,
)

ALGORITHM = "chainproof-names"
VERSION = "2"
TOKEN_MATCH = 0.85  # two tokens agree from this similarity on
TOKEN_CUTOFF = TOKEN_MATCH * 100
FUZZY_TOKEN_LENGTH = 5  # shorter words are only looked up as written
QUICK_REJECT = 45  # spelling similarity (percent) below which two names are not compared
JOINED_MATCH = 0.9  # distinctive parts, spaces removed, agree from this on
CANDIDATE_SPELLING = 70  # spelling similarity (percent, spaces removed) that makes a candidate
SOUNDS = "Korean sounds"
LEGAL_WEIGHT = 0.1
GENERIC_WEIGHT = 0.4
NO_DISTINCTIVE_CAP = 0.5  # a match on generic words alone scores at most this
COUNTRY_AGREE = 0.03
COUNTRY_CONFLICT = -0.10
ADDRESS_MATCH = 0.8  # addresses this alike add ADDRESS_AGREE
ADDRESS_AGREE = 0.05

_TERMS_FILE = Path(__file__).parent / "data" / "terms.yaml"
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Terms:
    legal: frozenset[str]
    generic: frozenset[str]
    glossary: dict[str, tuple[tuple[str, str], ...]]  # language -> (term, english) longest first


@lru_cache(maxsize=1)
def terms() -> Terms:
    data = yaml.safe_load(_TERMS_FILE.read_text(encoding="utf-8"))
    glossary = {
        language: tuple(
            sorted(((str(k), str(v)) for k, v in entries.items()), key=lambda kv: -len(kv[0]))
        )
        for language, entries in data["glossary"].items()
    }
    return Terms(frozenset(data["legal_forms"]), frozenset(data["generic"]), glossary)


def fold(text: str) -> str:
    """NFKC, case-folded, accents and punctuation removed, spaces collapsed."""
    if text.isascii():
        text = text.lower()  # NFKC, case folding and accent removal change nothing else here
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return " ".join(_PUNCT.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True)
class Variant:
    text: str
    how: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    distinctive: str  # distinctive tokens joined, for spacing-insensitive comparison
    core: str = ""  # every token but legal forms, joined
    # Derived once, so comparing two variants does no set-up work.
    token_set: frozenset[str] = field(default=frozenset(), compare=False)
    positions: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    total_weight: float = field(default=0.0, compare=False)

    def __post_init__(self) -> None:
        positions: dict[str, int] = {}
        for j, token in enumerate(self.tokens):
            positions.setdefault(token, j)
        distinctive = frozenset(
            token for token, w in zip(self.tokens, self.weights, strict=True) if w == 1.0
        )
        object.__setattr__(self, "token_set", distinctive)
        object.__setattr__(self, "positions", positions)
        object.__setattr__(self, "total_weight", sum(self.weights))

    @property
    def has_distinctive(self) -> bool:
        return bool(self.distinctive)


def _weight(token: str, t: Terms) -> float:
    if token in t.legal:
        return LEGAL_WEIGHT
    if token in t.generic:
        return GENERIC_WEIGHT
    return 1.0


def make_variant(text: str, how: str) -> Variant | None:
    folded = fold(text)
    if not folded:
        return None
    t = terms()
    tokens = tuple(folded.split())
    weights = tuple(_weight(token, t) for token in tokens)
    distinctive = "".join(token for token, w in zip(tokens, weights, strict=True) if w == 1.0)
    core = "".join(token for token, w in zip(tokens, weights, strict=True) if w > LEGAL_WEIGHT)
    return Variant(folded, how, tokens, weights, distinctive, core)


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
    return pinyin_variants(run)[1]


def _rr_joined(run: str) -> str:
    return hangul_variants(run)[0].replace(" ", "")


_KOREAN_SOUNDS = (
    ("'", ""),
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


# North Korea keeps an initial r (Ri, Ryu, Rim, Ro); South Korea drops it or writes n,
# and people write the same family names as Lee, Yi, Rhee, Yoo, Lim, Roh (keys as spelled
# after the sound rules above: "rhee" is "rhi" by then, "yoo" is "yu").
_KOREAN_FAMILY_NAMES = {
    **dict.fromkeys(("ri", "rhi", "li", "yi", "rhie"), "i"),
    **dict.fromkeys(("ryu", "yu", "you"), "yu"),
    **dict.fromkeys(("rim", "lim"), "im"),
    **dict.fromkeys(("ro", "roh", "noh", "no"), "no"),
    **dict.fromkeys(("ryom", "yom"), "yom"),
    **dict.fromkeys(("ryang",), "yang"),
}


def korean_sound(token: str) -> str:
    """A spelling-blind key for Korean names in Latin letters: Jong/Chong, Jang/Chang,
    Choi/Choe, Pu/Bu, Taewon/Daewon and Kim/Gim meet (McCune-Reischauer vs Revised
    Romanization vs the spellings people use), and so do family names written the North's
    and the South's way (Ri/Lee/Yi, Ryu/Yoo, Rim/Lim, Ro/Roh)."""
    key = token
    for old, new in _KOREAN_SOUNDS:
        key = key.replace(old, new)
    return _KOREAN_FAMILY_NAMES.get(key, key)


@lru_cache(maxsize=1)
def _chinese_legal_forms() -> tuple[tuple[str, str], ...]:
    legal = terms().legal
    return tuple(
        (term, english)
        for term, english in terms().glossary.get("zh", ())
        if all(word in legal for word in english.split())
    )


def _legal_forms_in_english(text: str) -> str:
    """Chinese name in pinyin, with only its legal form rendered in English."""
    for term, english in _chinese_legal_forms():
        if text.endswith(term):
            return f"{pinyin_variants(text[: -len(term)])[0]} {english}"
    return pinyin_variants(text)[0]


@lru_cache(maxsize=200_000)
def variants(name: str) -> tuple[Variant, ...]:
    """Every spelling of a name worth comparing, each saying how it was made."""
    written = make_variant(name, "as written")
    found: list[Variant | None] = [written]
    if is_han(name):
        split, joined, toned = pinyin_variants(name)
        found += [
            make_variant(split, "pinyin"),
            make_variant(joined, "pinyin, joined"),
            make_variant(toned, "pinyin with tones"),
            make_variant(_legal_forms_in_english(name), "pinyin, legal form in English"),
            make_variant(_gloss(name, "zh", _pinyin_joined), "Chinese terms in English"),
        ]
    if is_hangul(name):
        for how, spelling in hangul_spellings(name):
            found.append(make_variant(spelling, how))
        found.append(make_variant(_gloss(name, "ko", _rr_joined), "Korean terms in English"))
    if written is not None and written.text.isascii() and len(written.tokens) <= 6:
        sounds = tuple(korean_sound(token) for token in written.tokens)
        if sounds != written.tokens:
            # Same words, same weights: a generic word stays generic however it is spelled.
            weights = written.weights
            found.append(
                Variant(
                    " ".join(sounds),
                    "Korean sounds",
                    sounds,
                    weights,
                    "".join(t for t, w in zip(sounds, weights, strict=True) if w == 1.0),
                    "".join(t for t, w in zip(sounds, weights, strict=True) if w > LEGAL_WEIGHT),
                )
            )
    if is_cyrillic(name):
        found += [make_variant(text, "Cyrillic in Latin") for text in cyrillic_variants(name)]
    unique: dict[str, Variant] = {}
    for variant in found:
        if variant is not None and variant.text not in unique:
            unique[variant.text] = variant
    return tuple(unique.values())


@dataclass(frozen=True)
class Comparison:
    score: float
    query: Variant
    entry: Variant
    agreed: tuple[tuple[str, str, float], ...]


@lru_cache(maxsize=500_000)
def _closest(token: str, tokens: tuple[str, ...]) -> tuple[float, int] | None:
    """The first of the words most like this one, if alike enough (names share many words,
    so the answers are remembered)."""
    found = process.extractOne(token, tokens, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF)
    return None if found is None else (found[1] / 100, found[2])


def compare_variants(a: Variant, b: Variant) -> Comparison:
    """Weighted token agreement (harmonic mean of both directions), or the spacing-blind
    similarity of the distinctive parts, whichever is higher; with the words that agreed."""
    agreed: list[tuple[str, str, float]] = []
    score = _score(a, b, agreed)
    return Comparison(score, a, b, tuple(agreed))


def _score(a: Variant, b: Variant, agreed: list[tuple[str, str, float]] | None = None) -> float:
    """The score of compare_variants; the agreeing words go to `agreed` when one is given."""
    if a.token_set.isdisjoint(b.token_set) and (
        fuzz.ratio(a.core, b.core, score_cutoff=QUICK_REJECT) == 0
    ):
        return 0.0  # no word in common and unlike spellings
    matched_a = 0.0
    distinctive_agrees = any_agree = False
    best_b: dict[int, float] = {}
    b_tokens, b_weights, b_positions = b.tokens, b.weights, b.positions
    for token, weight_a in zip(a.tokens, a.weights, strict=True):
        j = b_positions.get(token)
        if j is not None:
            best = 1.0
        else:
            # The same word spelled a little differently; words of one or two letters
            # can only agree exactly.
            if len(token) < 3:
                continue
            found = _closest(token, b_tokens)
            if found is None:
                continue
            best, j = found
        matched_a += weight_a * best
        if best_b.get(j, 0.0) < best:
            best_b[j] = best
        any_agree = True
        if agreed is not None:
            agreed.append((token, b_tokens[j], round(best, 3)))
        if weight_a == 1.0 and b_weights[j] == 1.0:
            distinctive_agrees = True
    token_score = 0.0
    if matched_a:
        matched_b = sum(b_weights[j] * s for j, s in best_b.items())
        recall, precision = matched_a / a.total_weight, matched_b / b.total_weight
        token_score = 2 * recall * precision / (recall + precision)
    joined = 0.0
    la, lb = len(a.core), len(b.core)
    shorter, longer = (la, lb) if la <= lb else (lb, la)
    if shorter >= 6 and shorter >= 0.75 * longer and (a.distinctive or b.distinctive):
        joined = fuzz.ratio(a.core, b.core, score_cutoff=JOINED_MATCH * 100) / 100
        if joined:  # only spacing and small typos count here, not shared endings
            distinctive_agrees = True
            if agreed is not None and not any_agree:
                agreed.append((a.core, b.core, round(joined, 3)))
    score = max(token_score, joined * 0.98)
    if not distinctive_agrees:
        score = min(score, NO_DISTINCTIVE_CAP)
    return round(score, 4)


def _best_pair(
    query: Sequence[Variant], entry: Sequence[Variant]
) -> tuple[float, Variant, Variant] | None:
    best: tuple[float, Variant, Variant] | None = None
    # When both names have a Korean sound key, sound keys are compared with each other and
    # spellings with spellings; a name spelled as its own sound key has none, and then its
    # spelling stands in for it.
    both_sounds = any(v.how == SOUNDS for v in query) and any(v.how == SOUNDS for v in entry)
    for a in query:
        a_sounds = a.how == SOUNDS
        for b in entry:
            if both_sounds and (b.how == SOUNDS) != a_sounds:
                continue
            score = _score(a, b)
            if best is None or score > best[0]:
                best = (score, a, b)
    return best


def best_comparison(query: Sequence[Variant], entry: Sequence[Variant]) -> Comparison | None:
    """The best-scoring pair of variants of two names, explained."""
    pair = _best_pair(query, entry)
    return None if pair is None else compare_variants(pair[1], pair[2])


# --- list index and screening ------------------------------------------------------------


@dataclass(frozen=True)
class ListEntry:
    key: str  # stable id, e.g. "uflpa:123"
    list_code: str
    names: tuple[str, ...]  # primary name first, then aliases
    country: str = ""
    identifiers: tuple[str, ...] = ()
    address: str = ""


@dataclass(frozen=True)
class Match:
    entry: ListEntry
    score: float
    entry_name: str
    query_name: str
    comparison: Comparison
    qualifiers: tuple[tuple[str, float], ...]

    def explanation(self) -> str:
        how = self.comparison
        tokens = (
            ", ".join(f"{x}~{y}" + ("" if s == 1 else f" ({s:.2f})") for x, y, s in how.agreed)
            or "none"
        )
        qualifiers = "; ".join(f"{name} {delta:+.2f}" for name, delta in self.qualifiers)
        return (
            f"{self.query_name!r} as {how.query.how} ({how.query.text!r}) vs "
            f"{self.entry_name!r} as {how.entry.how} ({how.entry.text!r}): "
            f"words agreeing: {tokens}" + (f"; {qualifiers}" if qualifiers else "")
        )


def _index_words(variant: Variant) -> list[str]:
    """The distinctive words of a variant, and each two neighbours written together."""
    words = [
        token
        for token, weight in zip(variant.tokens, variant.weights, strict=True)
        if weight == 1.0
    ]
    return [*words, *("".join(pair) for pair in pairwise(words))]


def _deletions(token: str) -> set[str]:
    """The token with one letter left out, each way (a "delete neighbourhood")."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


@dataclass
class ListIndex:
    """Every variant of every list name, findable by its distinctive words: exactly, with
    one letter added, missing or changed (from delete neighbourhoods), and written
    together or apart ("HoshineSilicon" / "Hoshine Silicon"). A spelling search over
    whole names is the fallback when no word leads anywhere."""

    entries: dict[str, ListEntry] = field(default_factory=dict)
    name_variants: dict[tuple[str, str], tuple[Variant, ...]] = field(default_factory=dict)
    by_token: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    by_deletion: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    core_list: tuple[list[str], list[list[tuple[str, str]]]] | None = None
    _near: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> ListIndex:
        index = cls()
        for entry in entries:
            index.entries[entry.key] = entry
            for name in entry.names:
                key = (entry.key, name)
                found = variants(name)
                index.name_variants[key] = found
                for variant in found:
                    for token in _index_words(variant):
                        index.by_token[token].add(key)
        for token in index.by_token:
            if len(token) >= FUZZY_TOKEN_LENGTH:
                for deleted in _deletions(token):
                    index.by_deletion[deleted].add(token)
        return index

    def near_tokens(self, token: str) -> tuple[str, ...]:
        """Indexed words spelled like this one (similarity at least TOKEN_MATCH), itself
        included when indexed."""
        cached = self._near.get(token)
        if cached is not None:
            return cached
        found = {token} if token in self.by_token else set()
        if len(token) >= FUZZY_TOKEN_LENGTH - 1:
            deletions = _deletions(token)
            possible = set(self.by_deletion.get(token, ()))  # one letter more
            for deleted in deletions:
                if deleted in self.by_token:
                    possible.add(deleted)  # one letter less
                possible.update(self.by_deletion.get(deleted, ()))  # one letter changed
            found.update(
                other
                for other in possible
                if fuzz.ratio(token, other, score_cutoff=TOKEN_CUTOFF) > 0
            )
        result = tuple(sorted(found))
        if len(self._near) < 200_000:
            self._near[token] = result
        return result

    def candidates(self, query: Sequence[Variant], limit: int = 25) -> list[tuple[str, str]]:
        """Entry names sharing a distinctive word with the query (spelled alike, or written
        together or apart); failing that, entry names whose spelling without spaces is close
        to the query's."""
        found: Counter[tuple[str, str]] = Counter()
        for variant in query:
            for token in _index_words(variant):
                for near in self.near_tokens(token):
                    points = 1000 if near == token else 900
                    for key in self.by_token[near]:
                        found[key] += points
        if not found:
            cores, owners = self._cores()
            searched: set[str] = set()
            for variant in query:
                if variant.how == SOUNDS or len(variant.core) < 4 or variant.core in searched:
                    continue
                searched.add(variant.core)
                for _, score, position in process.extract(
                    variant.core,
                    cores,
                    scorer=fuzz.ratio,
                    score_cutoff=CANDIDATE_SPELLING,
                    limit=limit,
                ):
                    for key in owners[position]:
                        found[key] += int(score)
        # Ties broken by key, so the same name finds the same candidates in every process.
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return [key for key, _ in ranked[:limit]]

    def _cores(self) -> tuple[list[str], list[list[tuple[str, str]]]]:
        if self.core_list is None:
            by_core: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for key, found in self.name_variants.items():
                for variant in found:
                    if variant.core:
                        by_core[variant.core].append(key)
            self.core_list = (list(by_core), list(by_core.values()))
        return self.core_list

    def screen(
        self,
        names: Sequence[str],
        *,
        country: str = "",
        identifiers: Sequence[str] = (),
        address: str = "",
        threshold: float = 0.0,
        limit: int = 10,
    ) -> list[Match]:
        """Ranked matches of a record (all its names) against the indexed lists. Each name
        is screened as a reader sees it: zero-width characters between letters or a name
        stored backwards under a right-to-left override do not hide it."""
        shown = [visible_text(name) for name in names]
        query_variants = {name: variants(name) for name in shown if name.strip()}
        all_query = [v for found in query_variants.values() for v in found]
        best: dict[str, Match] = {}
        for entry_key, entry_name in self.candidates(all_query):
            entry = self.entries[entry_key]
            qualifiers = _qualifiers(entry, country, identifiers, address)
            bonus = sum(delta for _, delta in qualifiers)
            entry_variants = self.name_variants[(entry_key, entry_name)]
            for query_name, found in query_variants.items():
                pair = _best_pair(found, entry_variants)
                if pair is None:
                    continue
                score = round(max(0.0, min(1.0, pair[0] + bonus)), 4)
                current = best.get(entry_key)
                if score < threshold or (current is not None and score <= current.score):
                    continue  # explained only when kept
                comparison = compare_variants(pair[1], pair[2])
                best[entry_key] = Match(
                    entry, score, entry_name, query_name, comparison, qualifiers
                )
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.entry.key))
        return ranked[:limit]


def _qualifiers(
    entry: ListEntry, country: str, identifiers: Sequence[str], address: str
) -> tuple[tuple[str, float], ...]:
    """What besides the name moves the score: country, identifiers, address."""
    found: list[tuple[str, float]] = []
    if country and entry.country:
        if country == entry.country:
            found.append((f"same country {country}", COUNTRY_AGREE))
        else:
            found.append((f"country {country} vs {entry.country}", COUNTRY_CONFLICT))
    if identifiers and set(identifiers) & set(entry.identifiers):
        found.append(("identifier matches", 1.0))
    if address and entry.address:
        similarity = address_similarity(address, entry.address)
        if similarity >= ADDRESS_MATCH:
            found.append((f"similar address ({similarity:.2f})", ADDRESS_AGREE))
    return tuple(found)


def address_similarity(a: str, b: str) -> float:
    """Word-set similarity of two addresses, order and punctuation ignored (a company may
    have many sites, so a different address is no evidence against a match)."""
    a_folded, b_folded = fold(a), fold(b)
    if not a_folded or not b_folded:
        return 0.0
    return fuzz.token_set_ratio(a_folded, b_folded) / 100
