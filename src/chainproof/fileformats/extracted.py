"""The text read from a document (``ExtractedText``), how it is collected within a budget
and normalised, and the errors of reading it.

Every reader (text layers, OCR) hands lines to one ``TextCollector``, so the rules are
the same whatever the format: whitespace runs become one space, blank lines collapse to
one, control characters and unpaired surrogates (which PostgreSQL refuses to store) are
replaced, and the text stops at ``MAX_TEXT_CHARS`` with ``truncated`` set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT_CHARS = 2_000_000

TEXT_LAYER = "text layer"
OCR = "ocr"
NONE = "none"

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class ExtractedText:
    text: str  # plain text, whitespace normalised, at most MAX_TEXT_CHARS characters
    method: str  # "text layer" | "ocr" | "none"  (words a person reads)
    pages: int | None
    truncated: bool
    needs_ocr: bool  # an image, or a PDF with (almost) no text layer


class ReadFailed(Exception):
    """A document's text could not be read; the message says why, for a person."""


class ExtractFailed(ReadFailed):
    """The file could not be opened to read its text (damaged, password-protected)."""


class OcrUnavailable(ReadFailed):
    """Text recognition cannot run here (Tesseract or a language pack is missing)."""


class OcrFailed(ReadFailed):
    """Text recognition ran and failed (a timeout, an error of Tesseract)."""


class Full(Exception):
    """The collector holds ``MAX_TEXT_CHARS``: stop reading."""


class TextCollector:
    """Lines of text, normalised as they come, up to a budget of characters."""

    def __init__(self, limit: int = MAX_TEXT_CHARS) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False
        self._blank = True  # the text so far ends with a blank line (or is empty)

    def add(self, text: str) -> None:
        """Add text that may hold several lines; Full once the budget is spent."""
        for raw in text.splitlines():
            self.line(raw)

    def line(self, raw: str) -> None:
        line = " ".join(_CONTROL.sub(" ", raw).split())
        if not line:
            if not self._blank:
                self._append("\n")
                self._blank = True
            return
        self._blank = False
        self._append(line + "\n")

    def paragraph_break(self) -> None:
        """A blank line between pages, sheets or slides."""
        self.line("")

    def _append(self, piece: str) -> None:
        room = self.limit - self.size
        if room <= 0:
            self.truncated = True
            raise Full
        if len(piece) > room:
            piece = piece[:room]
            self.truncated = True
        self.parts.append(piece)
        self.size += len(piece)
        if self.truncated:
            raise Full

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def result(self, method: str, pages: int | None, *, needs_ocr: bool = False) -> ExtractedText:
        text = self.text
        return ExtractedText(
            text=text,
            method=method if text else NONE,
            pages=pages,
            truncated=self.truncated,
            needs_ocr=needs_ocr,
        )
