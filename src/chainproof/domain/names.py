"""Name normalisation used to match records on import (exact, not fuzzy).

Two names match when they are equal after Unicode NFKC, case folding, removing
punctuation and collapsing white space: "ACME Textiles, Co. Ltd" and "acme textiles co
ltd" match; "Acme Textile" does not. Fuzzy matching across scripts is screening's job.

This is the stored key (``normalized_name`` of suppliers, facilities, materials): changing
it means re-keying stored records. The looser reading used to show likely duplicates
(legal forms alike, the Turkish dotted and dotless i as i, accents dropped) is
``duplicates.duplicate_key``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chainproof.domain.text import visible_text

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """The matching form of a name: what a reader sees (domain.text), NFKC, case-folded,
    punctuation as spaces."""
    if name.isascii() and name.isprintable():
        return " ".join(_ascii_words(name))
    folded = unicodedata.normalize("NFKC", visible_text(name)).casefold()
    without_punct = _PUNCT.sub(" ", folded).replace("_", " ")
    return _SPACE.sub(" ", without_punct).strip()


# Printable ASCII other than letters and digits (the space aside): what the regular
# expressions above turn into a space (the underscore too).
_PUNCTUATION = bytes(c for c in range(0x21, 0x7F) if not chr(c).isalnum())
_ASCII_PUNCT_AS_SPACE = bytes.maketrans(_PUNCTUATION, b" " * len(_PUNCTUATION))


def _ascii_words(name: str) -> list[str]:
    """The words of a printable ASCII name's matching form, by a byte table instead of the
    regular expressions (three times faster; a scoring run reads every name twice):
    lower() is what NFKC and case folding give for printable ASCII."""
    return name.lower().encode().translate(_ASCII_PUNCT_AS_SPACE).decode().split()


def name_words(name: str) -> list[str]:
    """The words of ``normalize_name(name)``."""
    if name.isascii() and name.isprintable():
        return _ascii_words(name)
    return normalize_name(name).split()


_LEGAL_FORMS = frozenset(
    {
        "co",
        "company",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "llc",
        "plc",
        "group",
        "holdings",
        "sa",
        "sarl",
        "gmbh",
        "jsc",
        "ooo",
        "pvt",
        "sdn",
        "bhd",
        "spa",
        "srl",
        "kk",
        "and",
        "its",
        "subsidiaries",
        "subsidiary",
        "the",
        "of",
        "a",
        "k",
        "de",
        "cv",
    }
)


def core_name_uncached(name: str) -> str:
    """The distinctive part of a company name: legal forms and connecting words removed.

    Used for exact comparisons ("Hoshine Silicon Industry Co. Ltd. and Subsidiaries" ->
    "hoshine silicon industry"); fuzzy matching is screening's job.
    """
    return " ".join([w for w in name_words(name) if w not in _LEGAL_FORMS])


# Screening compares the same names again and again; a scoring run reads every node's name
# once and calls core_name_uncached, so this cache does not hold every name of the graph.
core_name = lru_cache(maxsize=300_000)(core_name_uncached)
