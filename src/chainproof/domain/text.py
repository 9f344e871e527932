"""Text as people see it: the one normalisation every stored text goes through.

Names arrive with characters nobody sees: zero-width spaces between letters, a company
name stored backwards inside a right-to-left override so that it displays forwards, a
byte-order mark, control characters pasted from a terminal, NUL. They defeat screening
(the stored text no longer equals the listed name), break spreadsheets and PostgreSQL,
and hide what a reviewer reads. ``visible`` returns the text a reader sees:

- a right-to-left override run (U+202E ... U+202C) is put in the order it displays in;
- format characters (Unicode category Cf: zero-width spaces, bidi controls, BOM, soft
  hyphen...) are removed, except the zero-width (non-)joiner between two letters of a
  script that uses them (Arabic, Persian, the Indic scripts), where they are spelling;
- control characters are removed; in text of several lines tab and line break stay and
  CR LF becomes a line break, in one-line text they become one space;
- lone surrogates and the non-characters U+FFFE/U+FFFF are removed.

It also says what it removed, so the record can carry a warning.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import NamedTuple

_RLO, _LRO, _PDF = "\u202e", "\u202d", "\u202c"
_JOINERS = {"\u200c", "\u200d"}  # zero-width non-joiner, zero-width joiner
_NONCHARACTERS = {"\ufffe", "\uffff"}


class Visible(NamedTuple):
    text: str
    removed: tuple[str, ...]  # names of what was removed, in order

    @property
    def note(self) -> str:
        return describe(self.removed)


def describe(removed: tuple[str, ...] | list[str]) -> str:
    """'2 x ZERO WIDTH SPACE, RIGHT-TO-LEFT OVERRIDE' ('' when nothing was removed)."""
    counts = Counter(removed)
    return ", ".join(f"{n} x {name}" if n > 1 else name for name, n in counts.items())


def _name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}")


def _joining_letter(char: str) -> bool:
    """A letter of a script in which ZWJ/ZWNJ change the spelling (not Latin, Greek,
    Cyrillic, CJK, kana or Hangul, where they are never needed)."""
    if not char or not unicodedata.category(char).startswith(("L", "M")):
        return False
    code = ord(char)
    return 0x0600 <= code <= 0x0DFF or 0xA8E0 <= code <= 0xA8FF or 0xFB50 <= code <= 0xFEFF


def _unoverride(text: str, removed: list[str]) -> str:
    """Put each right-to-left override run into its displayed order."""
    if _RLO not in text and _LRO not in text:
        return text
    out: list[str] = []
    run: list[str] | None = None
    for char in text:
        if char == _RLO:
            removed.append(_name(char))
            run = []
        elif char == _PDF and run is not None:
            removed.append(_name(char))
            out.extend(reversed(run))
            run = None
        elif run is not None:
            run.append(char)
        else:
            out.append(char)
    if run is not None:
        out.extend(reversed(run))  # an override left open runs to the end
    return "".join(out)


def visible(text: str, *, multiline: bool = False) -> Visible:
    """The text as displayed, and the names of the characters taken out."""
    if text.isascii() and text.isprintable():
        return Visible(text, ())
    removed: list[str] = []
    text = _unoverride(text, removed)
    if multiline:
        text = text.replace("\r\n", "\n")
    out: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc":
            if multiline and char in "\n\t":
                out.append(char)
                continue
            if char in "\t\n\r\x0b\x0c":
                if out and out[-1] != " ":
                    out.append(" ")
                continue
            removed.append(_name(char))
            continue
        if category == "Cf":
            before = out[-1] if out else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if char in _JOINERS and _joining_letter(before) and _joining_letter(after):
                out.append(char)
                continue
            removed.append(_name(char))
            continue
        if category == "Cs" or char in _NONCHARACTERS:
            removed.append(_name(char) if category != "Cs" else f"U+{ord(char):04X}")
            continue
        out.append(char)
    cleaned = "".join(out)
    return Visible(cleaned if multiline else cleaned.strip(), tuple(removed))


def visible_text(text: str, *, multiline: bool = False) -> str:
    if text.isascii() and text.isprintable():
        return text  # nothing to take out (as ``visible`` finds, without building its result)
    return visible(text, multiline=multiline).text


def sentence(text: str) -> str:
    """The text ended with one full stop (a name ending "Ltd." gets no second one)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else f"{text}."
