"""The Open Supply Hub ID of a facility (the "OS ID", e.g. ``CN2019303BQ3FZP``).

Its shape, as Open Supply Hub makes it (opensupplyhub/open-supply-hub
``src/django/api/oar_id.py``: ``make_oar_id``, ``validate_oar_id``): the facility's country
(ISO 3166-1 alpha-2, upper case), the year and day of the year it was first listed
(``2019`` + ``303``), five characters of Crockford's base 32, and one check character:
the sum of the two country letters' character codes and the base-32 value of every
character after them (the date digits included), modulo 32, written in base 32. Spaces
and hyphens ("CN-2019303-BQ3FZ-P") are read and dropped.
"""

from __future__ import annotations

import re

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SHAPE = re.compile(r"([A-Z]{2})(\d{4})(\d{3})([0-9A-HJKMNP-TV-Z]{5})([0-9A-HJKMNP-TV-Z])")
EXPECTED = (
    "an OS ID of 15 characters: the country's two letters, the year and day of the year "
    "(7 digits), then 6 letters or digits, e.g. CN2019303BQ3FZP"
)


def os_id_check_character(first14: str) -> str:
    total = ord(first14[0]) + ord(first14[1]) + sum(CROCKFORD.index(c) for c in first14[2:])
    return CROCKFORD[total % 32]


def os_id_problem(value: str) -> str | None:
    """Why a cleaned OS ID is not one (in words), or None."""
    match = _SHAPE.fullmatch(value)
    if match is None:
        return EXPECTED
    day = int(match[3])
    if not 1 <= day <= 366:
        return f"{EXPECTED} (day {match[3]} of the year does not exist)"
    expected = os_id_check_character(value[:14])
    if value[14] != expected:
        return (
            f"{EXPECTED} (the last character is a check character and should be {expected}: "
            "a character is mistyped)"
        )
    return None


def normalise_os_id(value: str) -> str:
    """The stored form: upper case, without spaces and hyphens ('' stays '')."""
    return re.sub(r"[\s-]+", "", str(value or "")).upper()
