"""US entry numbers (CBP Form 7501, block 1): read, checked and printed one way.

An entry number is a 3-character entry filer code (letters or digits, assigned by CBP to
the broker or importer), a 7-digit transaction number chosen by the filer, and one check
digit: ``ABC-1234567-8``. People type them with or without hyphens, with spaces, in lower
case, and mistype them; the check digit catches most single slips, so a wrong one is
refused with a sentence that says so rather than stored and found wrong at CBP.

The check digit. CBP's ACE CATAIR, Appendix E "Valid Entry Numbers" (three filer-code
characters, seven digits and the check digit; filer-code formats NNN, ANN, AAN, AAA, ANA,
NAN, NNA, NAA; introduced 1 October 1986), says the check digit is computed on the 10
preceding characters with a modulus-10 formula.
What was found about the steps (the appendix's table itself could not be read in full
here):

1. Each letter of the filer code becomes a digit by the table A-I = 1-9, J-R = 1-9,
   S-Z = 2-9 (the IBM alphabetic convention: J = 1, S = 2, Z = 9).
2. Counting the 10 characters from the left, the digits in even positions (2, 4, 6, 8, 10)
   are doubled; a product above 9 counts as the sum of its two digits (10 -> 1, 18 -> 9).
3. Those and the digits in odd positions are added; the check digit is what brings the
   total up to the next multiple of 10 (0 when the total already ends in 0).

This is the Luhn formula over the 10 characters. The opening of Appendix E (format and
filer-code rules) was read in a copy of the CATAIR (via 5y1.org / info.5y1.org, retrieved
2026); the table and steps above were confirmed by several independent implementations
that cite Appendix E and the CATAIR's "AE Table 1" / "RE Table 1" check-digit tables, and
which agree with each other, and by the appendix's worked example as one of them reports
it: filer code B76, transaction 0324527, check digit 8 (B -> 2; 2760324527; sum 32;
check digit 8), which this module reproduces. Confidence: high for the method and the
table, though not read first-hand from CBP's own copy of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["EntryNumber", "EntryNumberError", "entry_check_digit", "entry_number_parse"]

EXAMPLE = "B76-0324527-8"  # Appendix E's worked example; a valid number
_SHAPE = re.compile(r"([A-Z0-9]{3})(\d{7})(\d)")
_FILER = re.compile(r"[A-Z0-9]{3}")
_TRANSACTION = re.compile(r"\d{7}")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")  # spaces, hyphens, dashes

# Appendix E's conversion of filer-code letters: A-I, J-R and S-Z each count up from 1 or 2.
_LETTER_DIGIT = {
    letter: (index % 9) + 1 if letter < "S" else (index - 18) + 2
    for index, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}


class EntryNumberError(ValueError):
    """An entry number that cannot be right, with a sentence saying why; ``expected`` is
    what was expected, for callers that add what was found themselves (a form, a file)."""

    def __init__(self, message: str, *, expected: str = "") -> None:
        super().__init__(message)
        self.expected = expected or message


@dataclass(frozen=True)
class EntryNumber:
    filer_code: str
    transaction: str
    check_digit: str

    def __str__(self) -> str:
        return f"{self.filer_code}-{self.transaction}-{self.check_digit}"


def entry_check_digit(filer_code: str, transaction: str) -> str:
    """The check digit of a filer code and transaction number (Appendix E; see above)."""
    filer = filer_code.strip().upper()
    if not _FILER.fullmatch(filer):
        raise EntryNumberError(
            f"expected a filer code of 3 letters or digits, found {filer_code!r}"
        )
    if not _TRANSACTION.fullmatch(transaction):
        raise EntryNumberError(f"expected a transaction number of 7 digits, found {transaction!r}")
    digits = [int(c) if c.isdigit() else _LETTER_DIGIT[c] for c in filer + transaction]
    total = 0
    for position, digit in enumerate(digits, start=1):
        if position % 2 == 0:
            doubled = digit * 2
            total += doubled - 9 if doubled > 9 else doubled
        else:
            total += digit
    return str((10 - total % 10) % 10)


def entry_number_parse(text: str) -> EntryNumber:
    """Read an entry number as typed ("abc 1234567 8", "ABC12345678") or say what is wrong:
    its shape, or a check digit that does not match (most often a mistyped digit)."""
    compact = _SEPARATORS.sub("", text.strip()).upper()
    match = _SHAPE.fullmatch(compact)
    if match is None:
        wanted = f"an entry number like {EXAMPLE} (filer code, 7 digits, check digit)"
        raise EntryNumberError(f"expected {wanted}, found {text.strip()!r}", expected=wanted)
    filer, transaction, given = match.groups()
    expected = entry_check_digit(filer, transaction)
    if given != expected:
        raise EntryNumberError(
            f"check digit should be {expected}, found {given} (the number may be mistyped)",
            expected=f"the check digit {expected} at the end (the number may be mistyped)",
        )
    return EntryNumber(filer, transaction, given)
