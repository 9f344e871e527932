"""The passage of a document's text where a search word was found, to show beside the
result ("…the agency's 劳务派遣 contract for 2026…").

Matching ignores case and compatibility forms (casefold after NFKC: full-width letters
find ASCII ones, "Straße" finds "STRASSE") and treats any whitespace as one space, in
any script; it is a plain substring search, so Chinese needs no word splitting. The
passage is cut from the original text, not the folded one, so it shows what the
document says.
"""

from __future__ import annotations

import re
import unicodedata

_BLOCK = 4096
# Where text may be cut without changing how it folds: before a character that never
# joins the one before it under NFKC (ASCII, Han, Hangul syllables).
_SAFE_CUT = re.compile(r"[\x00-\x7f\u4e00-\u9fff\uac00-\ud7a3]")
_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\x0c": " ", "\x0b": " "})
_WORD_EDGE = 20  # how far a cut may move to fall between words


def fold(text: str) -> str:
    """Text as matching sees it: NFKC, casefolded, every whitespace character a space."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_SPACES)


def passage(text: str, query: str, width: int = 80) -> str | None:
    """The text around the first occurrence of ``query``, ``width`` characters either
    side, with "…" where it is cut; None when ``query`` does not occur."""
    needle = " ".join(fold(query).split())
    if not needle or not text:
        return None
    at = fold(text).find(needle)
    if at < 0:
        return None
    start = _original_index(text, at)
    end = max(start + 1, _original_index(text, at + len(needle)))
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        if 0 <= space - left <= _WORD_EDGE:
            left = space + 1
    if right < len(text):
        space = text.rfind(" ", end, right)
        if space >= 0 and right - space <= _WORD_EDGE:
            right = space
    shown = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + shown + ("…" if right < len(text) else "")


def _original_index(text: str, folded_index: int) -> int:
    """Where in ``text`` the character at ``folded_index`` of ``fold(text)`` comes from.

    The text is folded again block by block (cut where folding cannot change across the
    cut, so the lengths add up exactly), then character by character in the one block
    that holds the index."""
    position = 0
    folded = 0
    while position < len(text):
        end = position + _BLOCK
        if end < len(text):
            safe = _SAFE_CUT.search(text, end)
            end = safe.start() if safe else len(text)
        end = min(end, len(text))
        size = len(fold(text[position:end]))
        if folded + size > folded_index:
            break
        folded += size
        position = end
    while position < len(text):
        step = 1
        while position + step < len(text) and unicodedata.combining(text[position + step]):
            step += 1
        size = len(fold(text[position : position + step]))
        if folded + size > folded_index:
            return position
        folded += size
        position += step
    return len(text)
