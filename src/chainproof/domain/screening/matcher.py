"""Name matching across scripts and spellings (algorithm chainproof-names; VERSION below).

Every name is turned into variants (variants.py: as written, romanized word by word,
with business words in English), each variant into words that each play a part
(words.py: distinctive, generic, place, legal form, number), and two names are scored on
the agreement of their distinctive words (scoring.py). Candidates come from an index on
distinctive words, words written together, and initials, and from a spelling search, so a
screening never compares every name with every list entry. Every score says why.

Version 3: Chinese names split into words before romanizing; generic words, places,
legal forms in many languages (dotted or written out) and numbers told apart from the
words that say which; typo tolerance by word length; given names of persons must agree;
initials meet their expansion; Japanese read as Japanese; Chinese compared with Chinese
by characters, not sounds.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz, process

from chainproof.domain.screening.scoring import (
    NO_DISTINCTIVE_CAP,
    Comparison,
    best_comparison,
    best_pair,
    compare_variants,
)
from chainproof.domain.screening.variants import (
    SOUNDS,
    Variant,
    _gloss,
    _pinyin_joined,
    make_variant,
    variants,
)
from chainproof.domain.screening.words import (
    DISTINCTIVE,
    GENERIC,
    INITIALS,
    LEGAL,
    NUMBER,
    PLACE,
    ROLES,
    fold,
    terms,
)
from chainproof.domain.text import visible_text

__all__ = [
    "ALGORITHM",
    "DISTINCTIVE",
    "GENERIC",
    "INITIALS",
    "LEGAL",
    "NO_DISTINCTIVE_CAP",
    "NUMBER",
    "PLACE",
    "ROLES",
    "VERSION",
    "Comparison",
    "ListEntry",
    "ListIndex",
    "Match",
    "Variant",
    "_gloss",
    "_pinyin_joined",
    "address_similarity",
    "best_comparison",
    "compare_variants",
    "fold",
    "make_variant",
    "terms",
    "variants",
]

ALGORITHM = "chainproof-names"
VERSION = "3"
FUZZY_TOKEN_LENGTH = 5  # shorter words are only looked up as written
CANDIDATE_SPELLING = 70  # spelling similarity (percent, spaces removed) that makes a candidate
CANDIDATES = 15  # list names compared in full with each screened name, found by their words
SPELLED = 10  # candidates from the spelling search, besides those from words
COMMON_WORD = 20  # a word in more list names than this does not spare the spelling search
MANY_OWNERS = 200  # a word in more list names than this only adds to names already found
COUNTRY_AGREE = 0.03
COUNTRY_CONFLICT = -0.10
ADDRESS_MATCH = 0.8  # addresses this alike add ADDRESS_AGREE
ADDRESS_AGREE = 0.05
TOKEN_CUTOFF = 85


# --- list index and screening ------------------------------------------------------------


@dataclass(frozen=True)
class ListEntry:
    key: str  # stable id, e.g. "uflpa:123"
    list_code: str
    names: tuple[str, ...]  # primary name first, then aliases (or the entities it names)
    country: str = ""
    identifiers: tuple[str, ...] = ()
    address: str = ""
    status: str = ""  # as the list states it ("Active", "Inactive-Pending Litigation"); "" if none
    title: str = ""  # the entry as published, when its names were taken apart from it
    kind: str = ""  # what the list says it is ("vessel", "individual", "entity"); "" if it does not
    # A list may give several addresses in several countries (OFAC): the first is in
    # ``country``/``address``, the others here.
    other_countries: tuple[str, ...] = ()
    other_addresses: tuple[str, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for c in (self.country, *self.other_countries) if c))

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(a for a in (self.address, *self.other_addresses) if a)


@dataclass(frozen=True)
class Match:
    entry: ListEntry
    score: float
    entry_name: str
    query_name: str
    comparison: Comparison
    qualifiers: tuple[tuple[str, float], ...]

    def details(self) -> dict[str, object]:
        """The comparison as data, for the review screen: each name's words with the part
        each played (distinctive, generic, place, legal form, number, initials), which words
        agreed with which and how closely, and what besides the name moved the score."""
        how = self.comparison

        def side(name: str, variant: Variant) -> dict[str, object]:
            # A sound key ("dianshan") is compared, the words as spelled ("tianshan") shown.
            words = variant.shown or variant.tokens
            return {
                "name": name,
                "how": variant.how,
                "text": " ".join(words),
                "words": [[token, role] for token, role in zip(words, variant.roles, strict=True)],
            }

        return {
            "score": self.score,
            "query": side(self.query_name, how.query),
            "entry": side(self.entry_name, how.entry),
            "agreed": [[x, y, s] for x, y, s in how.agreed],
            "qualifiers": [[name, delta] for name, delta in self.qualifiers],
            "entry_status": self.entry.status,
        }

    def explanation(self) -> str:
        how = self.comparison
        tokens = (
            ", ".join(f"{x} = {y}" if s == 1 else f"{x} ≈ {y} ({s:.2f})" for x, y, s in how.agreed)
            or "none"
        )
        qualifiers = "; ".join(f"{name} {delta:+.2f}" for name, delta in self.qualifiers)
        notes = "; ".join(how.notes)
        query_text = " ".join(how.query.shown or how.query.tokens)
        entry_text = " ".join(how.entry.shown or how.entry.tokens)
        return (
            f"{self.query_name!r} read {how.query.how} ({query_text!r}) vs "
            f"{self.entry_name!r} read {how.entry.how} ({entry_text!r}): "
            f"words agreeing: {tokens}"
            + (f"; {notes}" if notes else "")
            + (f"; {qualifiers}" if qualifiers else "")
        )


def _index_words(variant: Variant) -> list[str]:
    """The words that say which (distinctive words, numbers), each two neighbours but legal
    forms written together, and the initials of a name of three or more words (of all of
    them and of its first three, four... words)."""
    tokens, roles = variant.tokens, variant.roles
    words = [tokens[j] for j in sorted(variant.key)]
    plain = [t for t, r in zip(tokens, roles, strict=True) if r != LEGAL]
    words += ["".join(pair) for pair in pairwise(plain)]
    letters = variant.initials
    if letters:  # the initials, and those of the first words ("FTB": Foreign Trade Bank of ...)
        words += [letters[:end] for end in range(3, min(len(letters), 8) + 1)]
    return words


def _top(found: Counter[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """The `limit` best-scored names; ties broken by key, so the same name finds the same
    candidates in every process (without sorting every name found)."""
    if len(found) > limit:
        least = heapq.nlargest(limit, found.values())[-1]
        found = Counter({key: value for key, value in found.items() if value >= least})
    return [key for key, _ in sorted(found.items(), key=lambda i: (-i[1], i[0]))[:limit]]


def _ends(variant: Variant) -> tuple[str, ...]:
    """The first and last three letters of a variant's distinctive part (its core when it
    has none), marked as which end."""
    text = variant.distinctive or variant.core
    if len(text) < 3:
        return ()
    return (f"<{text[:3]}", f">{text[-3:]}")


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
    ends: dict[str, tuple[list[str], list[list[tuple[str, str]]]]] | None = None
    _near: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[ListEntry]) -> ListIndex:
        index = cls()
        for entry in entries:
            index.entries[entry.key] = entry
            for name in entry.names:
                key = (entry.key, name)
                found = variants(name, entry.country == "JP")
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

    def candidates(
        self, query: Sequence[Variant], limit: int = CANDIDATES
    ) -> list[tuple[str, str]]:
        """Entry names sharing a word that says which with the query (spelled alike, written
        together or apart, or as initials); and, unless one such word is rare in the lists,
        entry names whose spelling without spaces is close to the query's."""
        points: dict[str, int] = {}
        for variant in query:
            for token in _index_words(variant):
                for near in self.near_tokens(token):
                    points[near] = max(points.get(near, 0), 1000 if near == token else 900)
        owners_of = {near: self.by_token.get(near, set()) for near in points}
        rare = any(  # a word of the query itself (not one spelled like it) in few names
            0 < len(owners_of[near]) <= COMMON_WORD
            for near, value in points.items()
            if value == 1000
        )
        found: Counter[tuple[str, str]] = Counter()
        # Rarer words first; a word in very many names (a watchlist of similar companies)
        # only adds to names already found, unless it is the rarest the query has.
        for near in sorted(points, key=lambda word: (len(owners_of[word]), word)):
            owners = owners_of[near]
            if found and len(owners) > MANY_OWNERS:
                for key in found.keys() & owners:
                    found[key] += points[near]
            else:
                for key in owners:
                    found[key] += points[near]
        spelled: Counter[tuple[str, str]] = Counter()
        if not rare:
            searched: set[str] = set()
            for variant in query:
                if variant.how == SOUNDS or len(variant.core) < 4 or variant.core in searched:
                    continue
                searched.add(variant.core)
                for cores, spelled_owners in self._spelled_like(variant):
                    for _, score, position in process.extract(
                        variant.core,
                        cores,
                        scorer=fuzz.ratio,
                        score_cutoff=CANDIDATE_SPELLING,
                        limit=limit,
                    ):
                        for key in spelled_owners[position]:
                            spelled[key] = max(spelled[key], int(score))
        ranked = _top(found, limit)
        if spelled:  # names spelled alike keep a place however many share a common word
            chosen = set(ranked)
            ranked += [key for key in _top(spelled, SPELLED) if key not in chosen]
        return ranked

    def _spelled_like(
        self, variant: Variant
    ) -> list[tuple[list[str], list[list[tuple[str, str]]]]]:
        """Entry spellings (every word but legal forms, joined) that begin or end with the
        same three letters of their distinctive part as this variant, with their names, one
        list per end: a name misspelled or spaced differently keeps one end (comparing with
        every entry costs too much)."""
        if self.ends is None:
            ends: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(dict)
            for key, found in self.name_variants.items():
                for entry_variant in found:
                    if entry_variant.how == SOUNDS or not entry_variant.core:
                        continue
                    for end in _ends(entry_variant):
                        ends[end].setdefault(entry_variant.core, []).append(key)
            self.ends = {
                end: (list(by_core), list(by_core.values())) for end, by_core in ends.items()
            }
        return [self.ends[end] for end in _ends(variant) if end in self.ends]

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
        japanese = country == "JP"
        query_variants = {name: variants(name, japanese) for name in shown if name.strip()}
        all_query = [v for found in query_variants.values() for v in found]
        best: dict[str, Match] = {}
        for entry_key, entry_name in self.candidates(all_query):
            entry = self.entries[entry_key]
            qualifiers = _qualifiers(entry, country, identifiers, address)
            bonus = sum(delta for _, delta in qualifiers)
            entry_variants = self.name_variants[(entry_key, entry_name)]
            for query_name, found in query_variants.items():
                pair = best_pair(found, entry_variants)
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
    listed = entry.countries
    if country and listed:
        if country in listed:
            found.append((f"same country {country}", COUNTRY_AGREE))
        else:
            found.append((f"country {country} vs {', '.join(listed)}", COUNTRY_CONFLICT))
    if identifiers and set(identifiers) & set(entry.identifiers):
        found.append(("identifier matches", 1.0))
    if address and entry.addresses:
        similarity = max(address_similarity(address, known) for known in entry.addresses)
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
