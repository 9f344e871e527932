"""A plain PDF report: a title, a few lines of facts, headed sections of paragraphs and
tables. Text in any script is written with a font that has its characters (Noto Sans CJK
for Chinese, Korean and Japanese, DejaVu Sans for the rest, found where Debian installs
them); when neither is installed, characters outside Latin-1 are written as "?" and the
report says so at its end, rather than failing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Sequence[Sequence[str]] = field(default_factory=list)  # the first row is the header
    widths: Sequence[float] = ()  # fractions of the page width, one per column


@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""


@cache
def _font() -> str:
    for candidate in _CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return ""


class _Writer(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_family, size=8)
        self.cell(0, 6, f"{self.footer_text}  page {self.page_no()}", align="R")


def _plain(text: str, unicode_font: bool) -> str:
    if unicode_font:
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def report_pdf(report: Report) -> bytes:
    path = _font()
    pdf = _Writer(format="A4")
    pdf.footer_text = _plain(report.footer, bool(path))
    pdf.set_auto_page_break(auto=True, margin=16)
    if path:
        if path.endswith(".ttc"):
            pdf.add_font("body", fname=path, collection_font_number=0)
        else:
            pdf.add_font("body", fname=path)
        family = "body"
    else:
        family = "helvetica"
    pdf.add_page()
    width = pdf.epw

    def text(value: str) -> str:
        return _plain(str(value), bool(path))

    pdf.set_font(family, size=16)
    pdf.multi_cell(width, 8, text(report.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(family, size=9)
    for label, value in report.facts:
        pdf.multi_cell(width, 5, text(f"{label}: {value}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in report.sections:
        pdf.ln(4)
        pdf.set_font(family, size=12)
        pdf.multi_cell(width, 7, text(section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(family, size=9)
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5, text(paragraph), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        if section.table:
            columns = len(section.table[0])
            fractions = list(section.widths) or [1 / columns] * columns
            with pdf.table(
                col_widths=[f * width for f in fractions],
                text_align="LEFT",
                line_height=4.5,
                headings_style=FontFace(emphasis="", fill_color=(230, 233, 237)),
            ) as table:
                for values in section.table:
                    row = table.row()
                    for value in values:
                        row.cell(text(value))
    if not path:
        pdf.ln(4)
        pdf.multi_cell(
            width,
            5,
            "Characters outside Latin-1 are shown as ? (install fonts-noto-cjk).",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    return bytes(pdf.output())
