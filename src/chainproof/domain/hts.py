"""Harmonized Tariff Schedule of the United States (HTSUS) codes.

Accepted: a 4-digit heading, 6-digit subheading, 8-digit tariff line or 10-digit
statistical suffix, with or without the dots ("6109.10.00.12", "6109100012",
"6109.10.0012"). Stored in the dotted form CBP prints: "6109.10.00.12".
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[.\s-]")


class HtsError(ValueError):
    pass


def normalize_hts(value: str) -> str:
    digits = _SEPARATORS.sub("", value.strip())
    if not digits.isdigit() or len(digits) not in (4, 6, 8, 10):
        raise HtsError("an HTS code of 4, 6, 8 or 10 digits, e.g. 6109.10.00.12 (dots optional)")
    if digits[:2] == "00" or int(digits[:2]) > 99:
        raise HtsError("an HTS code whose chapter is 01 to 99")
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)]
    return ".".join(parts)
