"""Name matching across scripts and spellings (algorithm chainproof-names, version 1).

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
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from chainproof.domain.screening.translit import (
    cyrillic_variants,
    hangul_spellings,
    hangul_variants,
    is_cyrillic,
    is_han,
    is_hangul,
    pinyin_variants,
)

ALGORITHM = "chainproof-names"
VERSION = "1"
TOKEN_MATCH = 0.85  # two tokens agree from this similarity on
QUICK_REJECT = 45  # spelling similarity (percent) below which two names are not compared
JOINED_MATCH = 0.9  # distinctive parts, spaces removed, agree from this on
CANDIDATE_SPELLING = 70  # spelling similarity (percent, spaces removed) that makes a candidate
SOUNDS = "Korean sounds"
LEGAL_WEIGHT = 0.1
GENERIC_WEIGHT = 0.4
NO_DISTINCTIVE_CAP = 0.5  # a match on generic words alone scores at most this
COUNTRY_AGREE = 0.03
COUNTRY_CONFLICT = -0.10

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
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True)
class Variant:
    text: str
    how: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    distinctive: str  # distinctive tokens joined, for spacing-insensitive comparison
    core: str = ""  # every token but legal forms, joined

    @property
    def token_set(self) -> frozenset[str]:
        return _token_set(self.tokens)

    @property
    def has_distinctive(self) -> bool:
        return bool(self.distinctive)


@lru_cache(maxsize=500_000)
def _token_set(tokens: tuple[str, ...]) -> frozenset[str]:
    """The distinctive words (sharing "co", "trading" or "korea" says nothing)."""
    t = terms()
    return frozenset(token for token in tokens if _weight(token, t) == 1.0)


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


def _gloss(text: str, language: str, romanize: Callable[[str], str]) -> str:
    """Render known business words in English; other runs by their transliteration."""
    glossary = terms().glossary.get(language, ())
    out: list[str] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            out.append(romanize(pending))
            pending = ""

    index = 0
    while index < len(text):
        for term, english in glossary:
            if text.startswith(term, index):
                flush()
                out.append(english)
                index += len(term)
                break
        else:
            char = text[index]
            if char.isspace():
                flush()
            else:
                pending += char
            index += 1
    flush()
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


def korean_sound(token: str) -> str:
    """A spelling-blind key for Korean names in Latin letters: Jong/Chong, Jang/Chang,
    Choi/Choe, Pu/Bu, Taewon/Daewon and Kim/Gim meet (McCune-Reischauer vs Revised
    Romanization vs the spellings people use)."""
    key = token
    for old, new in _KOREAN_SOUNDS:
        key = key.replace(old, new)
    return key


def _legal_forms_in_english(text: str) -> str:
    """Chinese name in pinyin, with only its legal form rendered in English."""
    legal = terms().legal
    forms = [
        (term, english)
        for term, english in terms().glossary.get("zh", ())
        if all(word in legal for word in english.split())
    ]
    for term, english in forms:
        if text.endswith(term):
            return f"{pinyin_variants(text[: -len(term)])[0]} {english}"
    return pinyin_variants(text)[0]


@lru_cache(maxsize=200_000)
def variants(name: str) -> tuple[Variant, ...]:
    """Every spelling of a name worth comparing, each saying how it was made."""
    found: list[Variant | None] = [make_variant(name, "as written")]
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
    written = make_variant(name, "as written")
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


def compare_variants(a: Variant, b: Variant) -> Comparison:
    """Weighted token agreement (harmonic mean of both directions), or the spacing-blind
    similarity of the distinctive parts, whichever is higher."""
    if a.token_set.isdisjoint(b.token_set) and (
        fuzz.ratio(a.core, b.core, score_cutoff=QUICK_REJECT) == 0
    ):
        return Comparison(0.0, a, b, ())  # no word in common and unlike spellings
    agreed: list[tuple[str, str, float]] = []
    matched_a = 0.0
    distinctive_agrees = False
    best_b: dict[int, float] = defaultdict(float)
    cutoff = TOKEN_MATCH * 100
    for i, token in enumerate(a.tokens):
        best, best_j = 0.0, -1
        length = len(token)
        for j, other in enumerate(b.tokens):
            if token == other:
                best, best_j = 1.0, j
                break
            # ratio >= 0.85 needs lengths within 2*min/(sum) >= 0.85: skip the hopeless ones
            shorter, total = min(length, len(other)), length + len(other)
            if 200 * shorter < cutoff * total:
                continue
            similarity = fuzz.ratio(token, other, score_cutoff=cutoff) / 100
            if similarity > best:
                best, best_j = similarity, j
        if best >= TOKEN_MATCH:
            weight = min(a.weights[i], b.weights[best_j])
            matched_a += a.weights[i] * best
            best_b[best_j] = max(best_b[best_j], best)
            agreed.append((token, b.tokens[best_j], round(best, 3)))
            if weight == 1.0:
                distinctive_agrees = True
    matched_b = sum(b.weights[j] * s for j, s in best_b.items())
    total_a, total_b = sum(a.weights), sum(b.weights)
    recall, precision = matched_a / total_a, matched_b / total_b
    token_score = 0.0 if recall + precision == 0 else 2 * recall * precision / (recall + precision)
    joined = 0.0
    shorter, longer = sorted((len(a.core), len(b.core)))
    if shorter >= 6 and shorter >= 0.75 * longer and (a.distinctive or b.distinctive):
        joined = fuzz.ratio(a.core, b.core) / 100
        if joined < JOINED_MATCH:
            joined = 0.0  # only spacing and small typos count here, not shared endings
        else:
            distinctive_agrees = True
            if not agreed:
                agreed.append((a.core, b.core, round(joined, 3)))
    score = max(token_score, joined * 0.98)
    if not distinctive_agrees:
        score = min(score, NO_DISTINCTIVE_CAP)
    return Comparison(round(score, 4), a, b, tuple(agreed))


def best_comparison(query: Sequence[Variant], entry: Sequence[Variant]) -> Comparison | None:
    best: Comparison | None = None
    for a in query:
        for b in entry:
            comparison = compare_variants(a, b)
            if best is None or comparison.score > best.score:
                best = comparison
    return best


# --- list index and screening ------------------------------------------------------------


@dataclass(frozen=True)
class ListEntry:
    key: str  # stable id, e.g. "uflpa:123"
    list_code: str
    names: tuple[str, ...]  # primary name first, then aliases
    country: str = ""
    identifiers: tuple[str, ...] = ()


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


@dataclass
class ListIndex:
    entries: dict[str, ListEntry] = field(default_factory=dict)
    name_variants: dict[tuple[str, str], tuple[Variant, ...]] = field(default_factory=dict)
    by_token: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    core_list: tuple[list[str], list[list[tuple[str, str]]]] | None = None

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
                    for token, weight in zip(variant.tokens, variant.weights, strict=True):
                        if weight == 1.0:
                            index.by_token[token].add(key)
        return index

    def candidates(self, query: Sequence[Variant], limit: int = 25) -> list[tuple[str, str]]:
        """Entry names sharing a distinctive word with the query, or whose spelling without
        spaces is close to the query's (so "Hoshyne" still finds "Hoshine")."""
        found: Counter[tuple[str, str]] = Counter()
        cores, owners = self._cores()
        searched: set[str] = set()
        for variant in query:
            for token, weight in zip(variant.tokens, variant.weights, strict=True):
                if weight == 1.0:
                    for key in self.by_token.get(token, ()):
                        found[key] += 1000
            if len(variant.core) >= 4 and variant.core not in searched:
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
        return [key for key, _ in found.most_common(limit)]

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
        threshold: float = 0.0,
        limit: int = 10,
    ) -> list[Match]:
        """Ranked matches of a record (all its names) against the indexed lists."""
        query_variants = {name: variants(name) for name in names if name.strip()}
        all_query = [v for found in query_variants.values() for v in found]
        best: dict[str, Match] = {}
        for entry_key, entry_name in self.candidates(all_query):
            entry = self.entries[entry_key]
            for query_name, found in query_variants.items():
                comparison = best_comparison(found, self.name_variants[(entry_key, entry_name)])
                if comparison is None:
                    continue
                qualifiers: list[tuple[str, float]] = []
                if country and entry.country:
                    if country == entry.country:
                        qualifiers.append((f"same country {country}", COUNTRY_AGREE))
                    else:
                        qualifiers.append(
                            (f"country {country} vs {entry.country}", COUNTRY_CONFLICT)
                        )
                if set(identifiers) & set(entry.identifiers):
                    qualifiers.append(("identifier matches", 1.0))
                score = max(0.0, min(1.0, comparison.score + sum(d for _, d in qualifiers)))
                current = best.get(entry_key)
                if current is None or score > current.score:
                    best[entry_key] = Match(
                        entry,
                        round(score, 4),
                        entry_name,
                        query_name,
                        comparison,
                        tuple(qualifiers),
                    )
        ranked = sorted(
            (m for m in best.values() if m.score >= threshold),
            key=lambda m: (-m.score, m.entry.key),
        )
        return ranked[:limit]
