"""A statement as a Word document (DOCX), for legal review.

Drawn from the same ``StatementDocument`` as the PDF, so both say the same thing: the title and
subtitle, the facts (period, approval, version) as a two-column table, then each section with
its heading (Heading 1), the provision it answers, what it must cover (drafts only, in italics,
under "What this section must cover"), its paragraphs and its tables (a repeated header row).
A draft carries "DRAFT" in the header of every page; every page's footer numbers the pages
with Word's own PAGE and NUMPAGES fields.

Text from users is only ever written as text: it goes into ``w:t`` elements, escaped by the
XML library, so braces, field names or markup in it stay characters and never become a field
or an element. Characters XML cannot hold (NUL and the other C0 controls but tab and line
breaks) are dropped. Any script survives (Chinese, Bengali, Arabic...); a paragraph whose
first strong character is right-to-left is laid out right to left.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, datetime
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from chainproof.domain.statements.document import Section, StatementDocument, Table

__all__ = ["DRAFT_MARK", "GUIDANCE_LABEL", "statement_docx"]

DRAFT_MARK = "DRAFT"
GUIDANCE_LABEL = "What this section must cover"
_PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
# XML 1.0 forbids these; python-docx would refuse the whole document for one of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_GREY = RGBColor(0x55, 0x55, 0x55)
# The elements that follow w:bidi in a w:pPr, and w:rtl in a w:rPr (ECMA-376, 17.3.1.26
# and 17.3.2.28).
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def clean_text(value: str) -> str:
    """``value`` as text Word can hold: line endings made ``\\n``, characters XML cannot
    carry dropped. Nothing else is changed (tabs and line breaks stay)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def _one_line(value: str) -> str:
    return " ".join(clean_text(value).split())


def _right_to_left(text: str) -> bool:
    """Whether the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _direction(paragraph: Paragraph, text: str) -> None:
    if not _right_to_left(text):
        return
    # Each element goes where the schema puts it (Word refuses a file whose order is wrong).
    paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph.runs:
        run._r.get_or_add_rPr().insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)


def _paragraph(
    container: DocxDocument,
    text: str,
    *,
    style: str | None = None,
    italic: bool = False,
    bold: bool = False,
    size: float | None = None,
    grey: bool = False,
) -> Paragraph:
    """A paragraph holding ``text`` as one run of plain text (line breaks kept)."""
    paragraph = container.add_paragraph(style=style)
    text = clean_text(text)
    run = paragraph.add_run(text)
    run.italic = italic or None
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = _GREY
    _direction(paragraph, text)
    return paragraph


def _cell_text(cell_paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    text = clean_text(text)
    run = cell_paragraph.add_run(text)
    run.bold = bold or None
    _direction(cell_paragraph, text)


def _repeat_as_header(table: DocxTable) -> None:
    """Mark the first row as a header row, repeated at the top of each page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _facts(document: DocxDocument, facts: tuple[tuple[str, str], ...]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in facts:
        cells = table.add_row().cells
        _cell_text(cells[0].paragraphs[0], label, bold=True)
        _cell_text(cells[1].paragraphs[0], value)
    for row in table.rows:
        row.cells[0].width = Mm(55)
        row.cells[1].width = Mm(110)


def _table(document: DocxDocument, item: Table) -> None:
    if item.caption.strip():
        _paragraph(document, _one_line(item.caption), style="Caption")
    width = max([len(item.columns), *(len(row) for row in item.rows)], default=0)
    if width == 0:
        return
    header = 1 if item.columns else 0
    table = document.add_table(rows=header + len(item.rows), cols=width)
    table.style = "Table Grid"
    if header:
        for index, heading in enumerate(item.columns):
            _cell_text(table.rows[0].cells[index].paragraphs[0], heading, bold=True)
        _repeat_as_header(table)
    for offset, row in enumerate(item.rows, start=header):
        cells = table.rows[offset].cells
        for index, value in enumerate(row):
            _cell_text(cells[index].paragraphs[0], value)
    document.add_paragraph()  # a table directly after a table would merge with it


def _section(document: DocxDocument, item: Section, *, draft: bool) -> None:
    heading = document.add_heading(level=1)
    heading_text = _one_line(item.heading) or "Untitled section"
    heading.add_run(heading_text)
    _direction(heading, heading_text)
    if item.citation.strip():
        _paragraph(document, _one_line(item.citation), italic=True, size=9, grey=True)
    if draft and item.guidance.strip():
        _paragraph(document, GUIDANCE_LABEL, italic=True, bold=True, size=10)
        for line in clean_text(item.guidance).split("\n"):
            if line.strip():
                _paragraph(document, line.strip(), italic=True, size=10)
    for text in item.paragraphs:
        _paragraph(document, text)
    for table in item.tables:
        _table(document, table)


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) written by us, never from user text: begin, the
    instruction, separate, the shown value until Word updates it, end."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _header_and_footer(document: DocxDocument, doc: StatementDocument) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    if doc.draft:
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark = header.add_run(DRAFT_MARK)
        mark.bold = True
        mark.font.size = Pt(14)
        mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = _one_line(doc.footer)
    if text:
        footer.add_run(f"{text} · ")
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def statement_docx(doc: StatementDocument, *, paper: Literal["a4", "letter"] = "a4") -> bytes:
    """The statement as the bytes of a .docx file."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = _PAPER[paper]
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(22))
    properties = document.core_properties
    properties.title = _one_line(doc.title)[:255]
    properties.subject = _one_line(doc.subtitle)[:255]
    properties.author = "chainproof"
    properties.last_modified_by = "chainproof"
    properties.comments = "Draft" if doc.draft else ""
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0)
    properties.revision = 1

    title = document.add_heading(level=0)
    title_text = _one_line(doc.title) or "Statement"
    title.add_run(title_text)
    _direction(title, title_text)
    if doc.subtitle.strip():
        _paragraph(document, _one_line(doc.subtitle), style="Subtitle")
    if doc.facts:
        _facts(document, doc.facts)
        document.add_paragraph()
    for item in doc.sections:
        _section(document, item, draft=doc.draft)
    _header_and_footer(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
