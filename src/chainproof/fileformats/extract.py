"""Reading the words of a stored document, so that search finds it.

- ``extract_text(path, extension)`` is fast and recognises nothing: a PDF's text layer,
  the paragraphs of a Word file, the slides of a PowerPoint file, the cells of a
  workbook, a text or CSV file. An image, or a PDF with (almost) no text layer, comes
  back with ``needs_ocr``: the caller then runs
- ``ocr_text(path, extension, languages=..., max_pages=..., timeout_seconds=...)``,
  Tesseract page by page (minutes for a long scan: a worker's job, never a request's);
- ``passage(text, query)`` is the bit of text around a search word, to show with a hit.

``extension`` is what the content is (``CheckedDocument.extension``), never a name's
claim. The text is at most ``MAX_TEXT_CHARS`` characters (``truncated`` then says so).
A file that cannot be opened raises ``ExtractFailed``; OCR raises ``OcrUnavailable``
(Tesseract or a language pack missing) or ``OcrFailed`` (a timeout, an error): all are
``ReadFailed``, with a message a person can act on. Settings are the caller's: this
package takes parameters and imports no Django.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from chainproof.fileformats.extracted import (
    MAX_TEXT_CHARS,
    NONE,
    OCR,
    TEXT_LAYER,
    ExtractedText,
    ExtractFailed,
    OcrFailed,
    OcrUnavailable,
    ReadFailed,
)
from chainproof.fileformats.ocr import DEFAULT_LANGUAGES, join_cjk, ocr_text
from chainproof.fileformats.passages import passage
from chainproof.fileformats.text_layers import (
    pdf_text,
    plain_text,
    slides_text,
    word_text,
    workbook_text,
)

__all__ = [
    "DEFAULT_LANGUAGES",
    "MAX_TEXT_CHARS",
    "NONE",
    "OCR",
    "TEXT_LAYER",
    "ExtractFailed",
    "ExtractedText",
    "OcrFailed",
    "OcrUnavailable",
    "ReadFailed",
    "extract_text",
    "join_cjk",
    "ocr_text",
    "passage",
]

_IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".gif")
_READERS = {
    ".pdf": pdf_text,
    ".docx": word_text,
    ".pptx": slides_text,
    ".xlsx": workbook_text,
    ".csv": plain_text,
    ".txt": plain_text,
}


def extract_text(path: Path, extension: str) -> ExtractedText:
    """The text the file already holds (no OCR); ``needs_ocr`` for images and scans."""
    kind = extension.lower()
    if kind in _IMAGES:
        return ExtractedText("", NONE, _frames(Path(path)), truncated=False, needs_ocr=True)
    reader = _READERS.get(kind)
    if reader is None:
        raise ExtractFailed(f"Text is not read from {extension or 'unnamed'} files.")
    return reader(Path(path))


def _frames(path: Path) -> int:
    """Pages of a multi-page TIFF (1 for other images, and for one that does not open)."""
    try:
        with Image.open(path) as image:
            return int(getattr(image, "n_frames", 1)) if image.format == "TIFF" else 1
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return 1
