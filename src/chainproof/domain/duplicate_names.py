# ruff: noqa: RUF001, RUF002  (the Turkish dotless i is written on purpose)
"""The name key of likely duplicates: a company name folded (case with the Turkish dotted
and dotless i read as i, accents, punctuation, "&"/"and") and its legal forms read as one
("Ltd." / "Limited", "A.Ş." / "Anonim Şirketi", 有限公司 / 股份有限公司). Used by
``chainproof.domain.duplicates``; the import's own matching key stays
``names.normalize_name``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chainproof.domain.names import normalize_name
from chainproof.domain.screening.matcher import terms

# Written forms of legal forms (as folded words) and the one form they are read as.
# Common English, German, French, Spanish, Italian, Turkish, Vietnamese, Malay and
# Indonesian company forms, and Chinese company forms written in pinyin.
_LEGAL_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(k.split()): tuple(v.split())
    for k, v in {
        "company limited": "co ltd",
        "company ltd": "co ltd",
        "co limited": "co ltd",
        "limited": "ltd",
        "company": "co",
        "corporation": "corp",
        "incorporated": "inc",
        "limited liability company": "llc",
        "limited liability co": "llc",
        "public limited company": "plc",
        "private limited": "pvt ltd",
        "private ltd": "pvt ltd",
        "proprietary limited": "pty ltd",
        "proprietary ltd": "pty ltd",
        "joint stock company": "jsc",
        "joint stock co": "jsc",
        "gesellschaft mit beschrankter haftung": "gmbh",
        "aktiengesellschaft": "ag",
        "societe anonyme": "sa",
        "sociedad anonima": "sa",
        "sociedade anonima": "sa",
        "societa per azioni": "spa",
        "societa a responsabilita limitata": "srl",
        "sociedad de responsabilidad limitada": "srl",
        "anonim sirketi": "as",
        "anonim sti": "as",
        "limited sirketi": "ltd sti",
        "ltd sirketi": "ltd sti",
        "sirketi": "sti",
        "sanayi ve ticaret": "sanayi ticaret",
        "sanayi ve tic": "sanayi ticaret",
        "san ve ticaret": "sanayi ticaret",
        "san ve tic": "sanayi ticaret",
        "san tic": "sanayi ticaret",
        "ticaret ve sanayi": "ticaret sanayi",
        "tic ve san": "ticaret sanayi",
        "tic san": "ticaret sanayi",
        "kabushiki kaisha": "kk",
        "sendirian berhad": "sdn bhd",
        "perseroan terbatas": "pt",
        "cong ty trach nhiem huu han": "co ltd",
        "cong ty tnhh": "co ltd",
        "cong ty co phan": "jsc",
        "cong ty": "co",
        "gufen youxian gongsi": "co ltd",
        "youxian zeren gongsi": "co ltd",
        "youxian gongsi": "co ltd",
        "gongsi": "co",
    }.items()
}
# The one forms themselves, so that a reason can name the form as written on each side.
for _form_words in list(_LEGAL_PHRASES.values()):
    _LEGAL_PHRASES.setdefault(_form_words, _form_words)
    for _word in _form_words:
        _LEGAL_PHRASES.setdefault((_word,), (_word,))
_LONGEST_PHRASE = max(len(k) for k in _LEGAL_PHRASES)
_FIRST_WORDS = frozenset(k[0] for k in _LEGAL_PHRASES)
# Words that are generic in Turkish supplier names (the screening terms list the English
# ones): they do not tell two companies apart.
_MORE_GENERIC = frozenset(
    {"sanayi", "ticaret", "tekstil", "ve", "ithalat", "ihracat", "pazarlama", "giyim"}
    | {"konfeksiyon", "iplik", "dokuma", "boya"}
)
TURKISH_I = str.maketrans({"İ": "i", "ı": "i"})
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


@lru_cache(maxsize=1)
def legal_words() -> frozenset[str]:
    canonical = {word for form in _LEGAL_PHRASES.values() for word in form}
    return frozenset(terms().legal | canonical | {"sti", "pt", "as"}) - {"sanayi", "ticaret"}


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    return terms().generic | _MORE_GENERIC


@lru_cache(maxsize=1)
def _native_legal_forms() -> tuple[tuple[str, str], ...]:
    """Chinese and Korean legal forms from the screening glossary (longest first), with
    their English reading: 股份有限公司 -> "co ltd", 주식회사 -> "co ltd"."""
    legal = terms().legal
    found = [
        (term, english)
        for language in ("zh", "ko")
        for term, english in terms().glossary.get(language, ())
        if all(word in legal for word in english.split())
    ]
    return tuple(sorted(found, key=lambda kv: -len(kv[0])))


def fold(name: str) -> str:
    """``normalize_name``, then the Turkish İ and ı read as i, accents removed and "&"
    read as "and": "ÇALIK  Tekstil" and "Çalık tekstil" both give "calik tekstil"."""
    text = name.replace("&", " and ")
    if text.isascii() and text.isprintable():
        # What normalize_name gives for printable ASCII (nothing hidden, NFKC and case
        # folding are lower()), without its per-character passes.
        return " ".join(_PUNCT.sub(" ", text.lower()).replace("_", " ").split())
    text = normalize_name(text.translate(TURKISH_I))
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return text


def _join_initials(tokens: list[str]) -> list[str]:
    """Runs of single letters written apart are one word: "s a" -> "sa", "l l c" -> "llc"."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isascii() and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        if token:
            out.append(token)
    return out


def _unify_legal(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Legal forms rewritten to one form each; also the legal forms as written."""
    out: list[str] = []
    changed: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in _FIRST_WORDS:
            out.append(tokens[i])
            i += 1
            continue
        for length in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            phrase = tuple(tokens[i : i + length])
            form = _LEGAL_PHRASES.get(phrase)
            if form is not None:
                out.extend(form)
                changed.append(" ".join(phrase))
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out, changed


def _native_legal_in_english(text: str) -> tuple[str, list[str]]:
    changed: list[str] = []
    if text.isascii():  # the native legal forms are written in other scripts
        return text, changed
    for term, english in _native_legal_forms():
        if term in text:
            text = text.replace(term, f" {english} ")
            changed.append(term)
    return text, changed


@lru_cache(maxsize=300_000)
def key_and_forms(name: str) -> tuple[str, tuple[str, ...]]:
    folded = fold(name)
    folded, native = _native_legal_in_english(folded)
    tokens, changed = _unify_legal(_join_initials(folded.split()))
    return " ".join(tokens), tuple(native + changed)


def duplicate_key(name: str) -> str:
    """The name two records share when they are surely the same name: ``fold`` and legal
    forms read alike ("Acme Textile Co., Ltd." and "ACME TEXTILE COMPANY LIMITED" both
    give "acme textile co ltd"; "Çalık Denim A.Ş." and "ÇALIK DENİM ANONİM ŞİRKETİ" both
    give "calik denim as")."""
    return key_and_forms(name)[0]
