"""How alike two spellings of names are (chainproof-names v3), and why.

Words are paired across the two names: the same word, the same word with a typo (how many
letters may differ grows with the word's length: none up to three letters, a transposition
or a missing letter in four, one letter from five, two from nine), or one word against
several written together ("HoshineSilicon" / "Hoshine Silicon", "Mirim" / "Mi Rim").

The score is the agreement of the words that say which company or person it is (the
harmonic mean of how much of each name's distinctive words the other covers), lowered when
both names give places and none agree (x0.8), when both give generic words and they differ
(by up to 20%), and a little (x0.9) when only one gives generic words.
Legal forms do not count. Then:
- no distinctive word agrees: at most 0.50;
- both names carry numbers and they differ ("SOUTH HILL 2" / "SOUTH HILL 5"): at most 0.45;
- two persons each with a given name the other lacks ("HAN, Kwon Hwan" / "HAN, Kwon U"):
  at most 0.60;
- a number only one name carries ("MI RIM" / "MI RIM 2"): at most 0.65.
A word may also agree with the initials of three or more of the other name's words ("XPCC"
/ "Xinjiang Production and Construction Corps", "WPK" / "Workers' Party of Korea"), at 0.85.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from chainproof.domain.screening.variants import SOUNDS, WRITTEN, Variant
from chainproof.domain.screening.words import (
    DISTINCTIVE,
    GENERIC,
    INITIALS,
    LEGAL,
    NUMBER,
    PLACE,
)

QUICK_REJECT = 45  # spelling similarity (percent) below which two names are not compared
NO_DISTINCTIVE_CAP = 0.5  # a match on generic words alone scores at most this
NUMBERS_DIFFER_CAP = 0.45
NUMBERS_PARTLY_CAP = 0.6
NUMBER_ONE_SIDED_CAP = 0.65
GIVEN_NAME_CAP = 0.6
INITIALS_SIMILARITY = 0.85  # a word that is the initials of the other's words
PLACES_DIFFER = 0.8  # both names give places and none agree
GENERIC_SHARE = 0.35  # how much generic words both names give can lower a score
GENERIC_SHARE_READ = 0.2  # ... when one name was read from another script
ONE_SIDED = 0.9  # generic words only one name gives
_MAX_RUN = 4  # at most this many words written together are compared with one


@dataclass(frozen=True)
class Comparison:
    score: float
    query: Variant
    entry: Variant
    agreed: tuple[tuple[str, str, float], ...]
    notes: tuple[str, ...] = ()  # what capped the score, in words


def allowed_edits(length: int) -> int:
    """Letters that may differ in a word of this length (the longer of the two)."""
    if length <= 3:
        return 0
    if length <= 8:
        return 1
    return 2


@lru_cache(maxsize=500_000)
def similar(a: str, b: str, person: bool = False) -> float:
    """How alike two words are: 1.0 the same, the ratio of their spellings when they differ
    by no more than their length allows (one letter from four, two from nine; never two
    letters more or fewer) and every changed letter is a slip (a key next to it, a letter
    that looks like it, a usual spelling variant: "Hwasonq", "Sayid"); else 0.0.
    "Jincheng" and "Jinsheng", "Yinhai" and "Yintai" are other names.
    Numbers agree only exactly; in a person's name a word of up to five letters is a
    syllable (_syllable_variant)."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if not (a.isascii() and b.isascii()) and (_has_han(a) or _has_han(b)):
        return 0.0  # a Chinese character is a syllable and a word: no typos
    if person and max(len(a), len(b)) <= 5:
        return _syllable_variant(a, b)
    if min(len(a), len(b)) <= 2:
        return 0.0
    longest = max(len(a), len(b))
    edits = allowed_edits(longest)
    if edits == 0:
        return 0.0
    if abs(len(a) - len(b)) > 1:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=edits)
    if distance > edits:
        return 0.0
    if distance == Levenshtein.distance(a, b):  # no letters swapped: look at the changes
        changed = [
            (a[op.src_pos], b[op.dest_pos])
            for op in Levenshtein.editops(a, b)
            if op.tag == "replace"
        ]
        if changed and not all(map(_slip, changed)):
            return 0.0
    return fuzz.ratio(a, b) / 100


def _syllable_variant(a: str, b: str) -> float:
    """Two syllables of a person's name (up to five letters) that are one written two ways:
    a letter doubled, left out or added inside ("Sou", "Su"), two swapped, or a letter
    written either way (_NAME_VARIANTS: "Gen", "Ken"). Another letter, or another first
    letter, is another syllable (Chol, Chil; Yong, Myong)."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 2:
        return 0.0
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return 0.0
    if Levenshtein.distance(a, b) == 1:
        (op,) = list(Levenshtein.editops(a, b))
        kind, i, j = op.tag, op.src_pos, op.dest_pos
        if kind == "replace" and frozenset((a[i], b[j])) not in _NAME_VARIANTS:
            return 0.0
        if kind != "replace" and (i == 0 or j == 0):
            return 0.0
    return fuzz.ratio(a, b) / 100


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR_KEYS = {
    (row[i], row[j])
    for row in _KEYBOARD
    for i in range(len(row))
    for j in (i - 1, i + 1)
    if 0 <= j < len(row)
} | {
    (upper[i], lower[j])
    for upper, lower in pairwise(_KEYBOARD)
    for i in range(len(upper))
    for j in (i - 1, i)
    if 0 <= j < len(lower)
}
_NEAR_KEYS |= {(y, x) for x, y in _NEAR_KEYS}
_LOOK_OR_SOUND_ALIKE = {
    frozenset(pair)
    for pair in ("qg", "li", "ij", "uv", "mn", "ce", "ck", "kq", "sz", "vw", "jy", "iy", "ou", "ei")
}


# Letters a name's syllable is written with either way: o/u (Kyong, Kyung), i/y (Gaik,
# Gayk), and voiced or not (Kwang, Gwang; Ken, Gen; Tong, Dong; Pak, Bak).
_NAME_VARIANTS = {frozenset(pair) for pair in ("ou", "iy", "kg", "td", "pb")}


def _slip(change: tuple[str, str]) -> bool:
    """One letter typed or read for another by mistake, or spelled another usual way."""
    x, y = change
    return (x, y) in _NEAR_KEYS or frozenset(change) in _LOOK_OR_SOUND_ALIKE


class _Pairing:
    """Words of two names paired, and how well each word is covered."""

    def __init__(self, a: Variant, b: Variant, explain: bool) -> None:
        self.a, self.b = a, b
        self.cover_a = [0.0] * len(a.tokens)
        self.cover_b = [0.0] * len(b.tokens)
        self.key_agrees = False
        self.agreed: list[tuple[str, str, float]] | None = [] if explain else None
        # A place on one side that is a distinctive word on the other ("Fuhai" the county,
        # 福海 the brand) counts as distinctive on both.
        self.key_a: set[int] = set(a.key)
        self.key_b: set[int] = set(b.key)
        self.singles: list[tuple[int, int]] = []  # words paired one to one

    def pair(self, left: Sequence[int], right: Sequence[int], similarity: float) -> None:
        a, b = self.a, self.b
        for i in left:
            self.cover_a[i] = max(self.cover_a[i], similarity)
        for j in right:
            self.cover_b[j] = max(self.cover_b[j], similarity)
        if len(left) == 1 and len(right) == 1:
            self.singles.append((left[0], right[0]))
        left_key = any(i in a.key for i in left)
        right_key = any(j in b.key for j in right)
        if left_key and right_key:
            self.key_agrees = True
        elif left_key and any(b.roles[j] == PLACE for j in right):
            self.key_agrees = True
            self.key_b.update(right)
        elif right_key and any(a.roles[i] == PLACE for i in left):
            self.key_agrees = True
            self.key_a.update(left)
        if self.agreed is not None:  # in the words as spelled, not their sound keys
            shown_a, shown_b = a.shown or a.tokens, b.shown or b.tokens
            self.agreed.append(
                (
                    " ".join(shown_a[i] for i in left),
                    " ".join(shown_b[j] for j in right),
                    round(similarity, 3),
                )
            )


def _best_single(
    token: str, role: str, others: Variant, taken: list[float], person: bool
) -> tuple[int, float] | None:
    """The other name's word most like this one; a word the other name already paired
    exactly is not paired again by a likeness ("Hwan" is not "Han" twice)."""
    j = others.positions.get(token)
    if j is not None:
        if taken[j] != 1.0:
            return j, 1.0
        for k, other in enumerate(others.tokens):  # the same word again ("CHANG, Chang-ha")
            if other == token and taken[k] != 1.0:
                return k, 1.0
        return None
    if role == NUMBER:
        return None
    for k, s in _alike(token, role == LEGAL, others.tokens, others.roles, person):
        if taken[k] != 1.0:
            return k, s
    return None


@lru_cache(maxsize=500_000)
def _alike(
    token: str, legal: bool, tokens: tuple[str, ...], roles: tuple[str, ...], person: bool
) -> tuple[tuple[int, float], ...]:
    """Words of a name like this one, most alike first (names share many words, so the
    answers are remembered)."""
    found = []
    for _, _, k in process.extract(token, tokens, scorer=OSA.distance, score_cutoff=2, limit=None):
        if (roles[k] == LEGAL) != legal:
            continue
        s = similar(token, tokens[k], person)
        if s:
            found.append((k, s))
    found.sort(key=lambda item: -item[1])
    return tuple(found)


def _best_run(token: str, others: Variant, person: bool) -> tuple[tuple[int, ...], float] | None:
    """Several neighbouring words of the other name that, written together, are this one
    (in a person's name, exactly: "Kyongbok" is not "Kyong Ok")."""
    if len(token) >= 4 or (len(token) >= 2 and not token.isascii()):  # 김정은 / 김 정은
        found = _run(token, others.tokens, others.roles)
        if found is not None and (not person or found[1] == 1.0):
            return found
    return None


@lru_cache(maxsize=500_000)
def _run(
    token: str, tokens: tuple[str, ...], roles: tuple[str, ...]
) -> tuple[tuple[int, ...], float] | None:
    first = token[0]
    for start in range(len(tokens) - 1):
        if tokens[start][0] != first or roles[start] == LEGAL:
            continue
        joined = tokens[start]
        for end in range(start + 1, min(len(tokens), start + _MAX_RUN)):
            if roles[end] == LEGAL:
                break
            joined += tokens[end]
            if len(joined) > len(token) + 1:
                break
            if len(joined) >= len(token) - 1:
                s = _run_similar(token, joined)
                if s:
                    return tuple(range(start, end + 1)), s
    return None


def _run_similar(token: str, joined: str) -> float:
    """Words written together agree with one word exactly, or with one letter different
    in six or more ("Kwangchol" / "Kwang Chol"; never "Kimjongil" / "Kim Jong")."""
    if token == joined:
        return 1.0
    if min(len(token), len(joined)) < 6 or OSA.distance(token, joined, score_cutoff=1) > 1:
        return 0.0
    return similar(token, joined)


def _harmonic(x: float, y: float) -> float:
    return 2 * x * y / (x + y) if x + y else 0.0


def _mean(values: list[float], positions: Collection[int]) -> float:
    return sum(values[i] for i in positions) / len(positions) if positions else 0.0


def score_variants(a: Variant, b: Variant, explain: bool = False) -> Comparison:
    """The score of two spellings, with the words that agreed when `explain`."""
    notes: list[str] = []
    if (
        a.key_tokens.isdisjoint(b.key_tokens)
        and fuzz.ratio(a.core, b.core, score_cutoff=QUICK_REJECT) == 0
        and not _may_be_initials(a, b)
        and not _may_be_initials(b, a)
    ):
        return Comparison(0.0, a, b, ())
    pairing = _Pairing(a, b, explain)
    person = a.person or b.person
    for i, (token, role) in enumerate(zip(a.tokens, a.roles, strict=True)):
        single = _best_single(token, role, b, pairing.cover_b, person)
        if single is not None:
            pairing.pair((i,), (single[0],), single[1])
        elif role != LEGAL:
            run = _best_run(token, b, person) or _initials_run(token, role, b)
            if run is not None:
                pairing.pair((i,), run[0], run[1])
    for j, (token, role) in enumerate(zip(b.tokens, b.roles, strict=True)):
        if pairing.cover_b[j]:
            continue
        single = _best_single(token, role, a, pairing.cover_a, person)
        if single is not None:
            pairing.pair((single[0],), (j,), single[1])
        elif role != LEGAL:
            run = _best_run(token, a, person) or _initials_run(token, role, a)
            if run is not None:
                pairing.pair(run[0], (j,), run[1])
    key_a, key_b = pairing.key_a, pairing.key_b
    score = _harmonic(_mean(pairing.cover_a, key_a), _mean(pairing.cover_b, key_b))
    score *= _context(a, key_a, pairing.cover_a, b, key_b, pairing.cover_b, notes)
    if not pairing.key_agrees and score > NO_DISTINCTIVE_CAP:
        score = NO_DISTINCTIVE_CAP
        notes.append("no distinctive word agrees")
    elif (a.generic_only or b.generic_only) and score > NO_DISTINCTIVE_CAP:
        # "Heze Cotton and Linen Economic and Trade Development Corporation": when a name
        # has only generic words and places, its place is what says which.
        places_a = [i for i, role in enumerate(a.roles) if role == PLACE]
        places_b = [j for j, role in enumerate(b.roles) if role == PLACE]
        if (
            places_a
            and places_b
            and not any(pairing.cover_a[i] for i in places_a)
            and not any(pairing.cover_b[j] for j in places_b)
        ):
            score = NO_DISTINCTIVE_CAP
            notes.append("the places differ")
    score = _numbers_cap(a, b, score, notes)
    if (a.person or b.person) and score > GIVEN_NAME_CAP:
        missing_a = any(pairing.cover_a[i] == 0 for i in a.key)
        missing_b = any(pairing.cover_b[j] == 0 for j in b.key)
        if missing_a and missing_b:
            score = GIVEN_NAME_CAP
            notes.append("a given name differs")
        elif _given_names_swapped(pairing.singles):
            score = GIVEN_NAME_CAP
            notes.append("the given names are in another order")
    agreed = pairing.agreed or []
    return Comparison(round(score, 4), a, b, tuple(agreed), tuple(notes))


_LATIN_WRITTEN = WRITTEN | {SOUNDS}


def _context(
    a: Variant,
    key_a: set[int],
    cover_a: list[float],
    b: Variant,
    key_b: set[int],
    cover_b: list[float],
    notes: list[str],
) -> float:
    """How much the places and generic words lower a score: places both names give and
    none of which agree (a company of another city), generic words both give that differ
    (another trade), a little when only one name says more."""
    factor = 1.0
    # Trade words read from another script may be rendered otherwise (色纺 as "color
    # spinning" or "textiles"): they weigh less there than between two names as written.
    share = (
        GENERIC_SHARE if a.how in _LATIN_WRITTEN and b.how in _LATIN_WRITTEN else GENERIC_SHARE_READ
    )
    for role, differ, label in ((PLACE, PLACES_DIFFER, "places"), (GENERIC, None, "trades")):
        on_a = [i for i in a.support if a.roles[i] == role and i not in key_a]
        on_b = [j for j in b.support if b.roles[j] == role and j not in key_b]
        if on_a and on_b:
            agree = _harmonic(_mean(cover_a, on_a), _mean(cover_b, on_b))
            if differ is not None:
                if agree == 0:
                    factor *= differ
                    notes.append(f"the {label} differ")
            else:
                factor *= 1 - share * (1 - agree)
        elif role == GENERIC and (on_a or on_b):
            factor *= ONE_SIDED  # one name says more about what it does
    return factor


def _given_names_swapped(singles: list[tuple[int, int]]) -> bool:
    """Whether the given names of two persons stand in another order ("KIM, Chol Man" and
    "KIM, Man Chol" are two people); the family name may stand first or last."""
    given = sorted((i, j) for i, j in singles if i and j)
    return any(j1 > j2 for (_, j1), (_, j2) in pairwise(given))


def _numbers_cap(a: Variant, b: Variant, score: float, notes: list[str]) -> float:
    if a.numbers == b.numbers:
        return score
    if not (a.numbers and b.numbers):
        if score > NUMBER_ONE_SIDED_CAP:
            notes.append("a number only one name has")
        return min(score, NUMBER_ONE_SIDED_CAP)
    if a.numbers.isdisjoint(b.numbers):
        if score > NUMBERS_DIFFER_CAP:
            notes.append(
                f"numbers differ: {', '.join(sorted(a.numbers))} vs {', '.join(sorted(b.numbers))}"
            )
        return min(score, NUMBERS_DIFFER_CAP)
    if score > NUMBERS_PARTLY_CAP:
        notes.append("some numbers differ")
    return min(score, NUMBERS_PARTLY_CAP)


def _may_be_initials(short: Variant, long: Variant) -> bool:
    """Whether a word of `short` could be the initials of words of `long`."""
    return any(3 <= len(token) <= 8 and token in long.initials for token in short.key_tokens)


def _initials_run(token: str, role: str, others: Variant) -> tuple[tuple[int, ...], float] | None:
    """Three or more neighbouring words of the other name whose first letters are this
    word ("PLA" / "People's Liberation Army", "WPK" / "Workers' Party of Korea ...",
    "RFC" / "Russian Financial Corporation")."""
    if role not in (DISTINCTIVE, INITIALS) or not 3 <= len(token) <= 8 or not token.isalpha():
        return None
    if token not in others.initials:
        return None
    firsts = [t[0] for t in others.tokens]
    size = len(token)
    for start in range(len(firsts) - size + 1):
        if "".join(firsts[start : start + size]) == token:
            return tuple(range(start, start + size)), INITIALS_SIMILARITY
    return None


def compare_variants(a: Variant, b: Variant) -> Comparison:
    """The comparison of two spellings, explained."""
    return score_variants(a, b, explain=True)


def _comparable(
    query: Sequence[Variant], entry: Sequence[Variant]
) -> list[tuple[Variant, Variant]]:
    """The pairs of spellings worth comparing. Korean sound keys are compared with sound
    keys (a name spelled as its own key has none, and its spelling stands in); two names in
    the same script other than Latin letters (Chinese characters, hangul, kana, Cyrillic)
    are compared as written, never by how they sound."""
    written_q = query[0].text if query else ""
    written_e = entry[0].text if entry else ""
    script = _script(written_q)
    same_script = script != "" and script == _script(written_e)  # same script, not Latin
    both_sounds = any(v.how == SOUNDS for v in query) and any(v.how == SOUNDS for v in entry)
    pairs = []
    for a in query:
        if same_script and a.how not in WRITTEN:
            continue
        a_sounds = a.how == SOUNDS
        for b in entry:
            if same_script and b.how not in WRITTEN:
                continue
            if both_sounds and (b.how == SOUNDS) != a_sounds:
                continue
            pairs.append((a, b))
    return pairs


def _script(text: str) -> str:
    """The script a name is written in when it is not Latin letters: "han", "hangul",
    "kana", "cyrillic" (kana before han: Japanese names mix both); "" otherwise."""
    if text.isascii():
        return ""
    if any("\u3040" <= c <= "\u30ff" for c in text):
        return "kana"
    if _has_han(text):
        return "han"
    if any("\uac00" <= c <= "\ud7a3" for c in text):
        return "hangul"
    if any("\u0400" <= c <= "\u04ff" for c in text):
        return "cyrillic"
    return ""


def _has_han(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def best_pair(
    query: Sequence[Variant], entry: Sequence[Variant]
) -> tuple[float, Variant, Variant] | None:
    best: tuple[float, Variant, Variant] | None = None
    for a, b in _comparable(query, entry):
        score = score_variants(a, b).score
        if best is None or score > best[0]:
            best = (score, a, b)
            if score == 1.0:
                break
    return best


def best_comparison(query: Sequence[Variant], entry: Sequence[Variant]) -> Comparison | None:
    """The best-scoring pair of variants of two names, explained."""
    pair = best_pair(query, entry)
    return None if pair is None else compare_variants(pair[1], pair[2])
