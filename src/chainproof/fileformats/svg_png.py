"""A PNG picture of an SVG drawing: the SVG drawn into a one-page PDF by WeasyPrint
(``html_pdf``, nothing fetched) and the page rasterised by pdfium."""

from __future__ import annotations

import base64
import io
import math

import pypdfium2 as pdfium

from chainproof.fileformats.html_pdf import pdf_from_html

MAX_PIXELS = 24_000_000  # a huge map is drawn at a lower scale rather than refused
_PT_PER_PX = 0.75  # CSS pixels (WeasyPrint) to PDF points


def png_from_svg(svg: str, width: int, height: int, *, scale: float = 2.0) -> bytes:
    """``svg`` (a standalone document of ``width`` x ``height`` CSS pixels) as a PNG of
    about ``scale`` times that size, on white."""
    if width <= 0 or height <= 0:
        raise ValueError(f"a drawing of {width} x {height} pixels has nothing to show")
    if width * height * scale * scale > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / (width * height))
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    html = (
        "<!doctype html><html><head><style>"
        f"@page {{ size: {width}px {height}px; margin: 0; }}"
        "html, body { margin: 0; padding: 0; background: #fff; }"
        f"img {{ display: block; width: {width}px; height: {height}px; }}"
        "</style></head><body>"
        f'<img alt="" src="data:image/svg+xml;base64,{data}">'
        "</body></html>"
    )
    document = pdfium.PdfDocument(pdf_from_html(html))
    try:
        page = document[0]
        try:
            bitmap = page.render(scale=scale / _PT_PER_PX, fill_color=(255, 255, 255, 255))
            try:
                out = io.BytesIO()
                bitmap.to_pil().save(out, "PNG", optimize=False)
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    return out.getvalue()
