# ruff: noqa: RUF001, RUF002  (full-width brackets and Chinese punctuation on purpose)
"""Chinese company names read word by word: places, brand, trade words and legal form.

A registered Chinese company name is built as place(s) + brand (字号) + trade words + legal
form, written without spaces: 阿克苏|华孚|色纺|有限公司 is "Aksu Huafu Color Spinning Co.,
Ltd.". `segment` splits a name into those words, each with its pinyin and, for places, trade
words and legal forms, what it is called in English (for a place: its key, the same for every
spelling of it). Other shapes are read too: the brand first with the place in brackets
(华孚（阿克苏）色纺有限公司), a group in brackets (新疆天业（集团）有限公司), a branch at the end
(…有限公司阿克苏分公司), stock short names (合盛硅业), traditional characters (華孚紡織),
full-width and half-width brackets, and Latin letters or digits inside (中国 ABC).

How: places are matched from the start of the name (longest first, each one inside the one
before it: 新疆 then 东方 is not the Hainan city 东方 but the brand 东方希望), trade words and
legal forms from the end; what is left in the middle is the brand, one word when it has up
to three characters (华孚 -> "huafu", 宝龙达 -> "baolongda"), else split by the lexicon and
failing that into words of two characters (a fourth character is more often a trade word the
lexicon lacks than a longer brand: 华孚时尚; lists writing a brand as one word still meet
its parts written together). Names that are also common words (东方, 光明, 长安) are
places only with their suffix (东方市). The data: china_places.yaml (GB/T 2260, MCA 2024
edition) and chinese_words.yaml (trade words, legal forms, traditional characters).

`place_key` and `is_place_pair` give the same key for a place written in Latin letters, in
pinyin or in its conventional spelling (Aksu and Akesu are both "akesu"), so that a name in
characters and a romanized list name can agree on their places.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

PLACE, BRAND, INDUSTRY, LEGAL, OTHER = "place", "brand", "industry", "legal", "other"
BRAND_RUN = 3  # a leftover of up to this many characters is one brand word (4: two words)
LATIN_MIN = 4  # shorter Latin spellings are places only when listed as well known

_DATA = Path(__file__).parent / "data"
_BRANCH_FORMS = frozenset(
    ("分公司", "分厂", "分店", "分行", "支行", "办事处", "代表处", "营业部", "经营部")
)
_TOWN_SUFFIXES = frozenset("镇乡")
_TOKEN = re.compile(
    r"(?P<han>[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<latin>[A-Za-z0-9]+(?:[&.'\-][A-Za-z0-9]+)*)"
    r"|(?P<open>[(\[{【〔〖「『《<])"
    r"|(?P<close>[)\]}】〕〗」』》>])"
)


@dataclass(frozen=True)
class ChineseWord:
    text: str  # the characters as written (a place keeps its suffix: 阿克苏市, 新疆维吾尔自治区)
    kind: str  # "place" | "brand" | "industry" | "legal" | "other" (Latin letters, numbers)
    pinyin: str  # toneless, syllables joined, lower case, ü as v; a place without its suffix
    english: str  # trade words and legal forms in English, a place's key, "" for the rest


@dataclass(frozen=True)
class _Place:
    code: str  # GB/T 2260 code; "000000" for the country
    level: int  # 0 country, 1 province, 2 prefecture, 3 county
    district: bool  # a district (区) of a city: read bare only after its city
    bare: bool  # this form is the name without its suffix
    common: bool  # the bare name is also a common word: read only with its suffix
    pinyin: str
    key: str

    def within(self, other: _Place) -> bool:
        """Whether this place lies inside the other (by their codes)."""
        if other.level == 0:
            return self.level > 0
        width = {1: 2, 2: 4}.get(other.level)
        return (
            width is not None
            and self.level > other.level
            and (self.code[:width] == other.code[:width])
        )


@dataclass(frozen=True)
class _Lexicon:
    places: dict[str, tuple[_Place, ...]]  # a place's full and bare names
    words: dict[str, tuple[str, str]]  # trade words and legal forms: (kind, english)
    traditional: dict[int, str]  # code point of a traditional character -> simplified
    latin: dict[str, str]  # Latin spelling -> place key
    pairs: dict[tuple[str, str], str]  # two Latin words -> place key
    longest_place: int
    longest_word: int


try:  # the C loader where PyYAML has it: the places load in 3 ms instead of 40
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


def _level(code: str) -> int:
    if code == "000000":
        return 0
    if code.endswith("0000"):
        return 1
    return 2 if code.endswith("00") else 3


def _read(file: str) -> str:
    return (_DATA / file).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    place_data = yaml.load(_read("china_places.yaml"), Loader=_SafeLoader)
    word_data = yaml.load(_read("chinese_words.yaml"), Loader=_SafeLoader)
    common = frozenset(str(place_data["common_words"]).split())
    short = frozenset(str(s) for s in place_data["latin_short"])
    places: dict[str, list[_Place]] = {}
    keyed: list[tuple[str, str, int]] = []  # (key, key, level)
    spelled: list[tuple[str, str, int]] = []  # (pinyin, key, level)
    conventional: list[tuple[str, str, int]] = []  # (spelling, key, 0: always)
    common_pinyin: set[str] = set()
    lines = [str(place_data["country"]), *str(place_data["places"]).splitlines()]
    for line in lines:
        code, name, bare, pinyin, *rest = line.split()
        key = rest.pop(0)[1:] if rest and rest[0].startswith("=") else pinyin
        level = _level(code)
        district = level == 3 and name.endswith("区")
        is_common = bare in common
        forms = [(name, False)] + ([(bare, True)] if bare not in ("-", name) else [])
        for form, is_bare in forms:
            place = _Place(code, level, district, is_bare, is_common, pinyin, key)
            places.setdefault(form, []).append(place)
        # Latin: provinces and prefectures; counties, county-level cities and districts only
        # in Xinjiang and Tibet or with a spelling of their own (elsewhere a county's pinyin
        # is as often a brand: 利辛 and 立新 are both "Lixin"); never a common word.
        if is_common:
            common_pinyin.add(pinyin)
        elif level < 3 or code[:2] in ("65", "54") or rest:
            keyed.append((key, key, level))
            spelled.append((pinyin, key, level))
            conventional += [(spelling, key, 0) for spelling in rest]
    # Keys and listed spellings first (山西 is "shanxi", 陕西 only "shaanxi"); a county's pinyin
    # never when it is also a common word's (龙华 and the county 隆化 are both "longhua"; the
    # cities 济南 and 大同 stay, though 金安 and 大通 read the same); nothing shorter than
    # LATIN_MIN letters but the listed short ones.
    latin: dict[str, str] = {}
    for spelling, key, level in keyed + conventional + spelled:
        if len(spelling) < LATIN_MIN and spelling not in short:
            continue
        if level == 3 and spelling in common_pinyin:
            continue
        latin.setdefault(spelling, key)
    words: dict[str, tuple[str, str]] = {}
    for kind in (INDUSTRY, LEGAL):
        for term, english in word_data[kind].items():
            words[str(term)] = (kind, str(english))
    traditional = {ord(pair[0]): pair[1] for pair in str(word_data["traditional"]).split()}
    pairs: dict[tuple[str, str], str] = {}
    for two_words, key in place_data["latin_pairs"].items():
        first, second = str(two_words).split()
        pairs[(first, second)] = str(key)
    return _Lexicon(
        places={form: tuple(found) for form, found in places.items()},
        words=words,
        traditional=traditional,
        latin=latin,
        pairs=pairs,
        longest_place=max(map(len, places)),
        longest_word=max(map(len, words)),
    )


@lru_cache(maxsize=20_000)
def _pinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return "".join(syllables).replace("ü", "v").lower()


def _normalize(name: str, table: dict[int, str]) -> str:
    """Character for character (so positions agree with the name as written): full-width
    forms and compatibility ideographs as their plain characters, traditional characters as
    simplified ones."""
    if name.isascii():
        return name
    out = []
    for char in name:
        if not char.isascii():
            plain = unicodedata.normalize("NFKC", char)
            char = plain if len(plain) == 1 else char
        out.append(char)
    return "".join(out).translate(table)


def simplified(text: str) -> str:
    """The text with traditional characters as simplified ones (and full-width forms
    plain), so that 華孚紡織 and 华孚纺织 are the same characters."""
    return _normalize(text, _lexicon().traditional)


@dataclass
class _State:
    """What the words read so far say about the next ones."""

    last_place: _Place | None = None
    brand_seen: bool = False  # a brand or trade word outside brackets: no more leading places


@lru_cache(maxsize=100_000)
def segment(name: str) -> tuple[ChineseWord, ...]:
    """The words of a Chinese company name, in order (brackets and punctuation left out)."""
    lexicon = _lexicon()
    norm = _normalize(name, lexicon.traditional)
    words: list[ChineseWord] = []
    state = _State()
    depth = 0
    for found in _TOKEN.finditer(norm):
        start, end = found.span()
        if found.group("open"):
            depth += 1
        elif found.group("close"):
            depth = max(0, depth - 1)
        elif found.group("latin"):
            words.append(ChineseWord(name[start:end], OTHER, norm[start:end].lower(), ""))
            if depth == 0:
                state.brand_seen = True
        else:
            words += _read_run(name[start:end], norm[start:end], depth > 0, state, lexicon)
    return tuple(words)


def _read_run(
    text: str, norm: str, bracketed: bool, state: _State, lexicon: _Lexicon
) -> list[ChineseWord]:
    """One run of characters: leading places, then trade words and legal forms from the end,
    the brand in between."""
    head: list[tuple[int, int, _Place | None]] = []  # (start, end, place) of leading places
    i = 0
    last: _Place | None = None if bracketed else state.last_place
    if bracketed or not state.brand_seen:
        while i < len(norm):
            match = _place_at(norm, i, last, lexicon)
            if match is None:
                break
            length, place = match
            head.append((i, i + length, place))
            i += length
            last = place
            town = _town_at(norm, i) if place.level == 3 else 0
            if town:
                head.append((i, i + town, None))
                i += town
    tail: list[tuple[int, int, ChineseWord]] = []  # from the end, in reverse order
    j = len(norm)
    while j > i:
        match_word = _word_ending_at(norm, i, j, lexicon)
        if match_word is None:
            break
        length, kind, english = match_word
        tail.append((j - length, j, ChineseWord(text[j - length : j], kind, "", english)))
        j -= length
        if norm[j : j + length] in _BRANCH_FORMS and j > i:
            branch_place = _place_ending_at(norm, i, j, lexicon)
            if branch_place is not None:
                size, place = branch_place
                tail.append((j - size, j, _place_word(text[j - size : j], place)))
                j -= size
    if j == i and head and not bracketed:
        start, _, only = head[-1]
        # A county's name alone before trade words (龙井茶叶) is more likely the brand.
        if only is not None and only.bare and only.level == 3 and len(head) == 1:
            head.pop()
            i = start
            last = state.last_place
    words: list[ChineseWord] = []
    for start, end, read in head:
        if read is None:  # a town: its name without 镇 or 乡
            name = _pinyin(norm[start : end - 1])
            words.append(ChineseWord(text[start:end], PLACE, name, name))
        else:
            words.append(_place_word(text[start:end], read))
    words += _middle(text[i:j], norm[i:j], lexicon)
    words += [
        word if word.pinyin else _with_pinyin(word, norm[start:end])
        for start, end, word in reversed(tail)
    ]
    if not bracketed:
        state.last_place = last
    if not bracketed and (i < j or any(w.kind == INDUSTRY for _, _, w in tail)):
        state.brand_seen = True
    return words


def _with_pinyin(word: ChineseWord, norm: str) -> ChineseWord:
    return ChineseWord(word.text, word.kind, _pinyin(norm), word.english)


def _place_word(text: str, place: _Place) -> ChineseWord:
    return ChineseWord(text, PLACE, place.pinyin, place.key)


def _allowed(place: _Place, last: _Place | None) -> bool:
    """Whether a place may follow the place read before it (None: the first)."""
    if not place.bare:
        return True  # written with its suffix: 东方市, 天山区
    if place.common:
        return False
    nested = last is not None and place.within(last)
    first = last is None or last.level == 0
    if place.level <= 1:
        return first
    if place.district:
        return nested
    return first or nested


def _best(found: tuple[_Place, ...], last: _Place | None) -> _Place | None:
    allowed = [place for place in found if _allowed(place, last)]
    if not allowed:
        return None
    # Inside the place before it first (朝阳 after 北京 is Beijing's), then the higher level.
    return min(allowed, key=lambda p: (not (last is not None and p.within(last)), p.level))


def _place_at(
    norm: str, i: int, last: _Place | None, lexicon: _Lexicon
) -> tuple[int, _Place] | None:
    for length in range(min(lexicon.longest_place, len(norm) - i), 1, -1):
        found = lexicon.places.get(norm[i : i + length])
        place = _best(found, last) if found else None
        if place is None:
            continue
        if (
            not place.bare
            and norm[i + length - 1] == "市"
            and norm[i + length : i + length + 1] == "场"
        ):
            continue  # 阿克苏市场: the bare name, then 市场 (market)
        return length, place
    return None


def _town_at(norm: str, i: int) -> int:
    """The length of a town's name of two or three characters with its suffix (佛堂镇) right
    after a county, or 0."""
    for length in (3, 4):
        if i + length <= len(norm) and norm[i + length - 1] in _TOWN_SUFFIXES:
            return length
    return 0


def _place_ending_at(norm: str, lo: int, j: int, lexicon: _Lexicon) -> tuple[int, _Place] | None:
    for length in range(min(lexicon.longest_place, j - lo), 1, -1):
        found = lexicon.places.get(norm[j - length : j])
        place = _best(found, None) if found else None
        if place is not None and not place.district:
            return length, place
    return None


def _word_ending_at(norm: str, lo: int, j: int, lexicon: _Lexicon) -> tuple[int, str, str] | None:
    for length in range(min(lexicon.longest_word, j - lo), 0, -1):
        found = lexicon.words.get(norm[j - length : j])
        if found is not None:
            return length, found[0], found[1]
    return None


def _middle(text: str, norm: str, lexicon: _Lexicon) -> list[ChineseWord]:
    """The brand: one word when short; else split by the lexicon, then by two characters."""
    if len(norm) <= BRAND_RUN:
        return _brand_pieces(text, norm)
    words: list[ChineseWord] = []
    pending = k = 0
    while k < len(norm):
        known = _known_at(norm, k, lexicon)
        if known is None:
            k += 1
            continue
        length, kind, pinyin, english = known
        words += _brand_pieces(text[pending:k], norm[pending:k])
        words.append(ChineseWord(text[k : k + length], kind, pinyin, english))
        k = pending = k + length
    return words + _brand_pieces(text[pending:], norm[pending:])


def _known_at(norm: str, k: int, lexicon: _Lexicon) -> tuple[int, str, str, str] | None:
    """A trade word, legal form or place written with its suffix, starting here."""
    longest = max(lexicon.longest_word, lexicon.longest_place)
    for length in range(min(longest, len(norm) - k), 1, -1):
        piece = norm[k : k + length]
        found = lexicon.words.get(piece)
        if found is not None:
            return length, found[0], _pinyin(piece), found[1]
        full = [place for place in lexicon.places.get(piece, ()) if not place.bare]
        if full:
            return length, PLACE, full[0].pinyin, full[0].key
    return None


def _brand_pieces(text: str, norm: str) -> list[ChineseWord]:
    if not norm:
        return []
    if len(norm) <= BRAND_RUN:
        return [ChineseWord(text, BRAND, _pinyin(norm), "")]
    cuts = list(range(0, len(norm) - 1, 2))  # an odd last character joins the last piece
    bounds = [*cuts, len(norm)]
    return [ChineseWord(text[a:b], BRAND, _pinyin(norm[a:b]), "") for a, b in pairwise(bounds)]


def _fold_latin(token: str) -> str:
    if token.isascii() and token.isalpha() and token.islower():
        return token  # already folded (the matcher's words are)
    if not token.isascii():
        token = unicodedata.normalize("NFKD", token)
        token = "".join(c for c in token if not unicodedata.combining(c))
    return "".join(c for c in token.lower() if c.isalpha())


def place_key(latin_token: str) -> str | None:
    """The key of the place a Latin word names ("Aksu", "akesu" -> "akesu"; "Ürümqi",
    "Wulumuqi" -> "wulumuqi"), or None when it names none (or is also a common word)."""
    return _lexicon().latin.get(_fold_latin(latin_token))


@lru_cache(maxsize=100_000)
def is_place_pair(first: str, second: str) -> str | None:
    """The key of the place two Latin words name together ("Inner", "Mongolia" ->
    "neimenggu"; "Xin", "Jiang" -> "xinjiang"), or None."""
    a, b = _fold_latin(first), _fold_latin(second)
    if not a or not b:
        return None
    lexicon = _lexicon()
    listed = lexicon.pairs.get((a, b))
    if listed is not None:
        return listed
    # Written apart ("Xin Jiang"), each part a syllable or more: never two short words that
    # happen to spell a place together ("Ku Cha" in a person's name is not Kuqa).
    return lexicon.latin.get(a + b) if len(a) >= 3 and len(b) >= 3 else None
