"""Name normalisation used to match records on import (exact, not fuzzy).

Two names match when they are equal after Unicode NFKC, case folding, removing
punctuation and collapsing white space: "ACME Textiles, Co. Ltd" and "acme textiles co
ltd" match; "Acme Textile" does not. Fuzzy matching across scripts is screening's job.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    without_punct = _PUNCT.sub(" ", folded).replace("_", " ")
    return _SPACE.sub(" ", without_punct).strip()
