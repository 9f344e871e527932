# ruff: noqa: RUF001  (the Turkish dotless i is written on purpose)
"""Likely duplicates among the rows of an import file and against stored records.

The import's own matching key (``records.supplier_key``: ``names.normalize_name`` and the
country) is exact and stays so: it decides which stored record a row updates. This module
finds what that key misses and shows it for a person to merge or keep apart:

- **sure**: the same identifier (same scheme and value), or the same name once legal forms
  ("Ltd." / "Limited", "A.Ş." / "Anonim Şirketi", 有限公司 / 股份有限公司), letter case (with
  the Turkish dotted and dotless i read as i), accents, punctuation, spacing and "&"/"and"
  are read alike, in the same country;
- **doubtful**: a name in another script (Chinese, Korean, Cyrillic) that reads, through
  the screening transliterator, like the other's Latin name; names spelled nearly alike
  in the same country; the same name but for the legal form; a sure name match across
  countries; any of these when both carry different identifiers of one scheme.

Pairs are only looked for inside blocks: the same identifier; the same name key; the same
name without its legal form, or without its spaces; one of a Latin name's two rarest
distinctive words (compared by spelling); the first five letters of a romanization and of a
Latin name. So 50,000 rows against 50,000 stored records take seconds, not every pair. A
word shared by more than BLOCK_LIMIT names is not a block (names sharing only that are not
compared by spelling); a name key shared by more than EXACT_PAIRS_LIMIT names pairs each with
the first (the groups are the same). Two stored records are never compared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass
from itertools import combinations

from rapidfuzz import fuzz, process

from chainproof.domain.duplicate_names import (
    TURKISH_I,
    duplicate_key,
    fold,
    generic_words,
    key_and_forms,
    legal_words,
)
from chainproof.domain.names import normalize_name
from chainproof.domain.screening.matcher import _gloss, _pinyin_joined, variants
from chainproof.domain.screening.translit import is_cyrillic, is_han, is_hangul, pinyin_variants

_NUMBERS = re.compile(r"\d+")  # the numbers in a name: sites numbered apart differ
_SCHEME_WORDS = {"duns": "DUNS", "lei": "LEI", "uscc": "USCC", "tax_id": "tax id", "other": "id"}

FUZZY_MATCH = 92  # token_sort_ratio of the names without legal forms
DISTINCTIVE_MATCH = 85  # ratio of the distinctive words (generic words left out)
ROMANIZED_MATCH = 90  # ratio of a romanized name and a Latin name, spaces removed
BLOCK_LIMIT = 400  # a word or prefix shared by more names than this is not a block
EXACT_PAIRS_LIMIT = 50  # above this many names with one key, each is paired with the first
PREFIX = 5  # letters of the distinctive part that make a block

# --- candidates and pairs ----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One row of the file or one stored record."""

    key: object  # row number (int) for a file row, ("stored", pk) for a stored record
    name: str
    _: KW_ONLY
    other_names: tuple[str, ...] = ()  # native name, aliases
    country: str = ""  # alpha-2
    identifiers: frozenset[tuple[str, str]] = frozenset()  # (scheme, normalised value)


@dataclass(frozen=True)
class DuplicatePair:
    a: object  # a file row's key
    b: object  # another file row's key (a higher one) or a stored record's key
    sure: bool
    reason: str
    score: float


@dataclass(frozen=True)
class _Form:
    owner: int  # index into the candidates
    name: str
    key: str
    core: str  # key without legal forms
    distinctive: str  # core without generic words, spaces removed
    spaceless: str  # core, spaces removed
    tokens: tuple[str, ...]  # distinctive words
    romanized: tuple[tuple[str, str, str], ...]  # (how, reading, core spaces removed)


def _script(name: str) -> str:
    if name.isascii():
        return ""
    if is_han(name):
        return "Chinese"
    if is_hangul(name):
        return "Korean"
    if is_cyrillic(name):
        return "Cyrillic"
    return ""


def _form(owner: int, name: str) -> _Form | None:
    key = duplicate_key(name)
    if not key:
        return None
    legal, generic = legal_words(), generic_words()
    core_words = [w for w in key.split() if w not in legal]
    distinctive_words = tuple(w for w in core_words if w not in generic)
    romanized: list[tuple[str, str, str]] = []
    script = _script(name)
    if script == "Chinese":
        # Pinyin of the name without its legal form, and with its business words in
        # English (the screening glossary): one pinyin conversion each, not all of
        # screening's variants (pinyin is the slow part of a large file).
        han = " ".join(core_words)
        for how, reading in (
            ("pinyin", pinyin_variants(han)[0]),
            ("Chinese terms in English", _gloss(han, "zh", _pinyin_joined)),
        ):
            core = "".join(w for w in fold(reading).split() if w not in legal)
            if core and core.isascii() and all(core != c for _, _, c in romanized):
                romanized.append((how, reading, core))
    elif script:
        seen = set()
        for variant in variants(name):
            if variant.how == "as written" or not variant.core or not variant.core.isascii():
                continue
            if variant.core not in seen:
                seen.add(variant.core)
                romanized.append((variant.how, variant.text, variant.core))
    return _Form(
        owner,
        name,
        key,
        " ".join(core_words),
        "".join(distinctive_words),
        "".join(core_words),
        distinctive_words,
        tuple(romanized),
    )


def find_duplicates(
    rows: Sequence[Candidate], stored: Sequence[Candidate] = ()
) -> list[DuplicatePair]:
    """Likely duplicates within the file's rows and between a row and a stored record
    (two stored records are not compared), sure ones first, then by score. Each pair of
    candidates appears once, with every reason found for it."""
    search = _Search([*rows, *stored], len(rows))
    forms = [
        form
        for owner, candidate in enumerate(search.candidates)
        for name in dict.fromkeys((candidate.name, *candidate.other_names))
        if name and name.strip()
        for form in [_form(owner, name)]
        if form is not None
    ]
    search.by_identifier()
    search.by_key(forms)
    search.by_likeness(forms)
    return search.pairs()


def duplicate_groups(pairs: Iterable[DuplicatePair]) -> list[set[object]]:
    """Keys joined by sure pairs, each group once (largest first)."""
    parent: dict[object, object] = {}

    def root(key: object) -> object:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pair in pairs:
        if pair.sure:
            parent[root(pair.a)] = root(pair.b)
    groups: dict[object, set[object]] = defaultdict(set)
    for key in list(parent):
        groups[root(key)].add(key)
    return sorted(groups.values(), key=lambda g: (-len(g), min(_order(k) for k in g)))


def _order(key: object) -> tuple[int, int, str]:
    return (0, key, "") if isinstance(key, int) else (1, 0, repr(key))


def _pairs_of(members: list[int], limit: int = EXACT_PAIRS_LIMIT) -> Iterable[tuple[int, int]]:
    """Every pair of a small block; each member with the first of a large one (the groups
    they form are the same)."""
    if len(members) <= limit:
        return combinations(members, 2)
    return ((members[0], other) for other in members[1:])


def _conflicting(a: Candidate, b: Candidate) -> str:
    """Words naming identifiers of one scheme that differ on both sides, or ""."""
    schemes_a: dict[str, set[str]] = defaultdict(set)
    schemes_b: dict[str, set[str]] = defaultdict(set)
    for scheme, value in a.identifiers:
        schemes_a[scheme].add(value)
    for scheme, value in b.identifiers:
        schemes_b[scheme].add(value)
    differing = [
        f"{scheme} {', '.join(sorted(schemes_a[scheme]))} vs {', '.join(sorted(schemes_b[scheme]))}"
        for scheme in sorted(schemes_a.keys() & schemes_b.keys())
        if schemes_a[scheme].isdisjoint(schemes_b[scheme])
    ]
    return ("but their identifiers differ: " + "; ".join(differing)) if differing else ""


def _country_words(a: Candidate, b: Candidate) -> str:
    if a.country == b.country:
        return ""
    if not a.country or not b.country:
        return f"but only one gives a country ({a.country or b.country})"
    return f"but in different countries ({a.country} and {b.country})"


def _name_reason(a: _Form, b: _Form) -> str:
    if a.name == b.name:
        return f"same name {a.name!r}"
    if normalize_name(a.name) == normalize_name(b.name):
        return f"same name apart from letter case, punctuation or spacing: {a.name!r}, {b.name!r}"
    read_alike = []
    names = (a.name, b.name)
    if any(normalize_name(n.translate(TURKISH_I)) != normalize_name(n) for n in names):
        read_alike.append("the Turkish İ and ı and the letter i")
    if any(fold(n) != normalize_name(n.translate(TURKISH_I).replace("&", " and ")) for n in names):
        read_alike.append("accented and plain letters")
    if any("&" in n for n in names):
        read_alike.append("'&' and 'and'")
    forms_a, forms_b = key_and_forms(a.name)[1], key_and_forms(b.name)[1]
    differing = [
        " ".join(forms) or "none"
        for forms in (
            [f for f in forms_a if f not in forms_b],
            [f for f in forms_b if f not in forms_a],
        )
    ]
    if differing != ["none", "none"]:
        read_alike.append(f"the legal forms '{differing[0]}' and '{differing[1]}'")
    how = ", ".join(read_alike) or "letter case, punctuation and spacing"
    return f"same name once {how} are read alike: {a.name!r}, {b.name!r}"


class _Search:
    def __init__(self, candidates: list[Candidate], rows: int) -> None:
        self.candidates = candidates
        self.rows = rows  # candidates before this index are file rows, the others stored
        self.found: dict[tuple[int, int], list[tuple[bool, float, str]]] = defaultdict(list)

    def stored(self, index: int) -> bool:
        return index >= self.rows

    def add(self, i: int, j: int, sure: bool, score: float, reason: str) -> None:
        if i == j or (self.stored(i) and self.stored(j)):
            return
        if j < i:
            i, j = j, i  # a file row first; of two rows, the earlier
        self.found[(i, j)].append((sure, score, reason))

    def pairs(self) -> list[DuplicatePair]:
        pairs = []
        for (i, j), reasons in self.found.items():
            a, b = self.candidates[i], self.candidates[j]
            conflict = _conflicting(a, b)
            sure = any(s for s, _, _ in reasons) and not conflict
            score = max(score for _, score, _ in reasons)
            ranked = sorted(reasons, key=lambda r: (not r[0], -r[1]))
            words = list(dict.fromkeys(text for _, _, text in ranked))
            if conflict:
                words.append(conflict)
                score = min(score, 0.9)
            pairs.append(DuplicatePair(a.key, b.key, sure, "; ".join(words), round(score, 3)))
        pairs.sort(key=lambda p: (not p.sure, -p.score, _order(p.a), _order(p.b)))
        return pairs

    def by_identifier(self) -> None:
        owners: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, candidate in enumerate(self.candidates):
            for identifier in candidate.identifiers:
                owners[identifier].append(index)
        for (scheme, value), members in owners.items():
            if len(members) < 2 or self.stored(members[0]):
                continue  # members are in order: rows first
            for i, j in _pairs_of(members):
                a, b = self.candidates[i], self.candidates[j]
                # one identifier for two countries is a typing or copying mistake to check
                apart = bool(a.country and b.country and a.country != b.country)
                reason = f"same {_SCHEME_WORDS.get(scheme, scheme)} {value}"
                if apart:
                    reason += f", but in different countries ({a.country} and {b.country})"
                self.add(i, j, not apart, 0.9 if apart else 1.0, reason)

    def by_key(self, forms: Sequence[_Form]) -> None:
        blocks: dict[str, list[_Form]] = defaultdict(list)
        for form in forms:
            blocks[form.key].append(form)
        for members in blocks.values():
            if len({m.owner for m in members}) < 2 or self.stored(members[0].owner):
                continue
            for x, y in _pairs_of(list(range(len(members)))):
                fx, fy = members[x], members[y]
                a, b = self.candidates[fx.owner], self.candidates[fy.owner]
                countries = _country_words(a, b)
                reason = _name_reason(fx, fy) + (f", {countries}" if countries else "")
                sure = not countries
                self.add(fx.owner, fy.owner, sure, 1.0 if sure else 0.9, reason)

    def by_likeness(self, forms: Sequence[_Form]) -> None:
        """Names alike but not the same: the same but for the legal form or the spacing
        (exact blocks), spelled nearly alike (compared inside blocks of a rare word), a
        romanization like a Latin name (compared inside blocks of the first letters)."""
        latin = [f for f in forms if not f.romanized and f.core]
        native = [f for f in forms if f.romanized]
        for attribute, score, words in (
            ("core", 0.95, "same name but for the legal form"),
            ("spaceless", 0.97, "the same letters spaced differently"),
        ):
            blocks: dict[str, list[_Form]] = defaultdict(list)
            for form in latin:
                blocks[getattr(form, attribute)].append(form)
            finer = "key" if attribute == "core" else "core"  # what must still differ
            for members in blocks.values():
                if len(members) < 2 or self.stored(members[0].owner):
                    continue  # rows come before stored records
                for x, y in _pairs_of(list(range(len(members)))):
                    fx, fy = members[x], members[y]
                    if getattr(fx, finer) == getattr(fy, finer):
                        continue
                    a, b = self.candidates[fx.owner], self.candidates[fy.owner]
                    bare = (fx.key == fx.core) != (fy.key == fy.core)
                    if attribute == "core" and bare and a.country and a.country == b.country:
                        # "Lahore Cotton Mills" and "Lahore Cotton Mills Ltd.": one name
                        # written without its legal form, in one country
                        reason = "same name, one written without its legal form"
                        self.add(
                            fx.owner, fy.owner, True, 0.97, f"{reason}: {fx.name!r}, {fy.name!r}"
                        )
                        continue
                    self.alike(fx, fy, score, f"{words}: {fx.name!r}, {fy.name!r}")
        self._spelled_alike(latin)
        self._romanized_alike(native, latin)

    def alike(self, x: _Form, y: _Form, score: float, reason: str) -> None:
        """A doubtful pair, unless in different countries (names alike but not the same
        are too weak a sign across countries) or numbered differently ("Plant 1" and
        "Plant 2", "Mill No. 3" and "Mill No. 4" are different sites)."""
        if x.owner == y.owner or _NUMBERS.findall(x.name) != _NUMBERS.findall(y.name):
            return
        a, b = self.candidates[x.owner], self.candidates[y.owner]
        if _conflicting(a, b):  # names only alike, and registered under other numbers
            return
        countries = _country_words(a, b)
        if countries and a.country and b.country:
            return
        self.add(x.owner, y.owner, False, score, reason + (f", {countries}" if countries else ""))

    def _spelled_alike(self, latin: Sequence[_Form]) -> None:
        frequency = Counter(word for form in latin for word in set(form.tokens))
        blocks: dict[str, list[_Form]] = defaultdict(list)
        for form in latin:
            rare = sorted(form.tokens, key=lambda w: (frequency[w], w))[:2]
            for word in rare:
                if len(word) >= 3 and frequency[word] <= BLOCK_LIMIT:
                    blocks[word].append(form)
        seen: set[tuple[int, int]] = set()
        for members in blocks.values():
            if len(members) < 2 or self.stored(members[0].owner):
                continue  # rows come before stored records
            cores = [m.core for m in members]
            for x in members:
                if self.stored(x.owner):
                    break
                for _, likeness, j in process.extract(
                    x.core,
                    cores,
                    scorer=fuzz.token_sort_ratio,
                    score_cutoff=FUZZY_MATCH,
                    limit=None,
                ):
                    y = members[j]
                    if y.owner == x.owner or y.key == x.key or y.core == x.core:
                        continue
                    if y.spaceless == x.spaceless or (x.owner, y.owner) in seen:
                        continue
                    seen.add((x.owner, y.owner))
                    seen.add((y.owner, x.owner))
                    if not fuzz.ratio(x.distinctive, y.distinctive, score_cutoff=DISTINCTIVE_MATCH):
                        continue
                    reason = f"names spelled nearly alike ({likeness:.0f}%): {x.name!r}, {y.name!r}"
                    self.alike(x, y, round(likeness / 100, 3), reason)

    def _romanized_alike(self, native: Sequence[_Form], latin: Sequence[_Form]) -> None:
        if not native:
            return
        blocks: dict[str, tuple[list[_Form], list[_Form]]] = defaultdict(lambda: ([], []))
        for form in native:
            for prefix in {core[:PREFIX] for _, _, core in form.romanized if len(core) >= 3}:
                blocks[prefix][0].append(form)
        for form in latin:
            if len(form.spaceless) >= 3 and form.spaceless[:PREFIX] in blocks:
                blocks[form.spaceless[:PREFIX]][1].append(form)
        for natives, latins in blocks.values():
            targets = [f.spaceless for f in latins]
            if not targets or len(natives) + len(targets) > BLOCK_LIMIT * 4:
                continue
            for x in natives:
                best: dict[int, tuple[float, str, str]] = {}
                for how, reading, core in x.romanized:
                    for _, likeness, j in process.extract(
                        core, targets, scorer=fuzz.ratio, score_cutoff=ROMANIZED_MATCH, limit=None
                    ):
                        if j not in best or likeness > best[j][0]:
                            best[j] = (likeness, how, reading)
                for j, (likeness, how, reading) in best.items():
                    y = latins[j]
                    if self.stored(x.owner) and self.stored(y.owner):
                        continue
                    shown = "pinyin" if how == "pinyin" else "pinyin, trade words in English"
                    reason = (
                        f"the {_script(x.name)} name {x.name} reads as {reading!r} ({shown}), "
                        f"close to {y.name!r} ({likeness:.0f}% alike)"
                    )
                    self.alike(x, y, round(likeness / 100, 3), reason)
