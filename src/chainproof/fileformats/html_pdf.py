"""A PDF from HTML, rendered by WeasyPrint without touching the network, with files
attached inside it; and the two things read back from such a PDF (an attachment, the
number of pages).

Documents filed with an authority are written as HTML by the caller and rendered here.
Rendering never fetches anything: every URL the HTML or its CSS names (an image, a
stylesheet, a font) is refused, except ``data:`` URLs whose bytes are inside the HTML
itself, so a document renders the same on every machine and cannot leak a request. Text
in any script is drawn with the fonts installed on the machine (fontconfig), embedded
in the PDF as subsets: the caller's CSS names them, for Chinese "Noto Sans CJK SC" from
Debian's fonts-noto-cjk. Headings h1 to h3 become the PDF's bookmarks.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import ImageFile
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from weasyprint import HTML, Attachment
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, after
# which a cut-short picture opens as a half-grey image instead of failing: OCR
# (``ocr.ocr_text``) would then read a damaged upload rather than refuse it. Pillow's
# default is put back; an image drawn in a document here must be whole.
ImageFile.LOAD_TRUNCATED_IMAGES = False

_SCHEME_ALLOWED = "data:"


class HtmlPdfError(ValueError):
    """The HTML could not be rendered as asked (it names a resource outside itself)."""


class _ResourceRefused(Exception):
    def __init__(self, url: str) -> None:
        shown = url if len(url) <= 120 else url[:117] + "..."
        super().__init__(
            f"the document refers to {shown!r}: only resources inside the document itself "
            "(data: URLs) are used, nothing is fetched from a network or a disk"
        )


class _DataOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """WeasyPrint's fetcher restricted to ``data:`` URLs; any other URL stops rendering."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith(_SCHEME_ALLOWED):
            raise _ResourceRefused(url)
        return super().fetch(url, headers)


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (shown by PDF readers in their attachments pane)."""

    name: str
    data: bytes
    description: str = ""


def pdf_from_html(
    html: str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    title: str = "",
    author: str = "",
) -> bytes:
    """Render ``html`` as a PDF with ``attachments`` embedded; ``title`` and ``author``
    fill the document information (they override a <title> in the HTML when given).

    Raises ``HtmlPdfError`` when the HTML or its CSS names anything but a ``data:`` URL."""
    names = [attachment.name for attachment in attachments]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise HtmlPdfError(f"two attachments have the same name: {', '.join(duplicates)}")
    if any(not name.strip() for name in names):
        raise HtmlPdfError("an attachment has no name")
    fetcher = _DataOnlyFetcher()
    embedded = [
        Attachment(
            file_obj=io.BytesIO(attachment.data),
            name=attachment.name,
            description=attachment.description or None,
            url_fetcher=fetcher,
        )
        for attachment in attachments
    ]
    try:
        document = HTML(string=html, url_fetcher=fetcher).render()
        if title:
            document.metadata.title = title
        if author:
            document.metadata.authors = [author]
        rendered = document.write_pdf(attachments=embedded)
    except FatalURLFetchingError as error:
        cause = error.__cause__
        if isinstance(cause, _ResourceRefused):
            raise HtmlPdfError(str(cause)) from None
        raise HtmlPdfError(f"a resource inside the document could not be read: {cause}") from None
    if not isinstance(rendered, bytes):  # pragma: no cover - write_pdf() without a target
        raise TypeError("WeasyPrint returned no bytes")
    return rendered


def pdf_attachment_read(pdf: bytes, name: str) -> bytes | None:
    """The bytes of the file embedded under ``name``, or None when the PDF has no such
    attachment or cannot be read. When two attachments share the name, the first."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        found = reader.attachments.get(name)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None
    if not found:
        return None
    return bytes(found[0])


def pdf_page_count(pdf: bytes) -> int:
    """The number of pages; raises ``ValueError`` naming the problem for an unreadable PDF."""
    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, KeyError, TypeError, OSError) as error:
        raise ValueError(f"the file is not a readable PDF ({error})") from error
