"""The statement as a Word document: written, then read back with python-docx."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.document import Document as DocxDocument

from chainproof.domain.statements.document import Section, StatementDocument, Table
from chainproof.fileformats.docx_writer import (
    DRAFT_MARK,
    GUIDANCE_LABEL,
    clean_text,
    statement_docx,
)

CHINESE = "新疆棉花供应商：喀什纺织有限公司"
BENGALI = "ঢাকার পোশাক কারখানায় শ্রমিকদের প্রশিক্ষণ"
ARABIC = "سياسة مكافحة العمل الجبري"
INJECTION = '{ PAGE } { MERGEFIELD x } <w:fldSimple w:instr="PAGE"/> &amp; ]]>'


def _statement(
    *, draft: bool = True, sections: tuple[Section, ...] | None = None
) -> StatementDocument:
    if sections is None:
        sections = (
            Section(
                heading="Our structure, business and supply chains",
                citation="Modern Slavery Act 2015, s.54(5)(a)",
                guidance="How the organisation is structured.\nWhere its supply chains run.",
                paragraphs=(f"We buy cotton yarn from {CHINESE}.", BENGALI, ARABIC),
                tables=(
                    Table(
                        caption="Worksites by country",
                        columns=("Country", "Worksites"),
                        rows=(("China", "12"), ("Bangladesh", "7")),
                    ),
                ),
            ),
            Section(
                heading="Our policies on slavery and human trafficking",
                citation="Modern Slavery Act 2015, s.54(5)(b)",
                guidance="The policies the organisation has.",
                paragraphs=(INJECTION, "Line one\nline two\tafter a tab\x00\x07."),
            ),
            Section(heading="Training for our staff", paragraphs=("Four sessions.",)),
        )
    return StatementDocument(
        title="Slavery and human trafficking statement 2026",
        subtitle="Acme Imports Ltd, financial year ending 31 December 2026",
        facts=(
            ("Reporting period", "1 January 2026 to 31 December 2026"),
            ("Approved by", "The board of directors, 12 March 2027"),
        ),
        sections=sections,
        footer="Acme Imports Ltd · version 3",
        draft=draft,
    )


def _read(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def _headings(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]


def _body_text(document: DocxDocument) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def draft() -> DocxDocument:
    return _read(statement_docx(_statement(draft=True)))


@pytest.fixture(scope="module")
def final() -> DocxDocument:
    return _read(statement_docx(_statement(draft=False)))


def test_title_subtitle_and_headings_in_order(draft: DocxDocument) -> None:
    styled = [(p.style.name, p.text) for p in draft.paragraphs if p.style is not None]
    assert styled[0] == ("Title", "Slavery and human trafficking statement 2026")
    assert ("Subtitle", "Acme Imports Ltd, financial year ending 31 December 2026") in styled
    headings = [text for style, text in styled if style == "Heading 1"]
    assert headings == [
        "Our structure, business and supply chains",
        "Our policies on slavery and human trafficking",
        "Training for our staff",
    ]
    assert draft.core_properties.title == "Slavery and human trafficking statement 2026"


def test_facts_are_a_two_column_table(draft: DocxDocument) -> None:
    facts = draft.tables[0]
    assert len(facts.columns) == 2
    assert [[c.text for c in row.cells] for row in facts.rows] == [
        ["Reporting period", "1 January 2026 to 31 December 2026"],
        ["Approved by", "The board of directors, 12 March 2027"],
    ]


def test_a_section_table_has_a_repeated_header_row_and_its_values(draft: DocxDocument) -> None:
    table = draft.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [["Country", "Worksites"], ["China", "12"], ["Bangladesh", "7"]]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    assert "Worksites by country" in _body_text(draft)


def test_citation_always_and_guidance_only_in_a_draft(
    draft: DocxDocument, final: DocxDocument
) -> None:
    for document in (draft, final):
        assert "Modern Slavery Act 2015, s.54(5)(a)" in _body_text(document)
    assert GUIDANCE_LABEL in _body_text(draft)
    guidance = next(p for p in draft.paragraphs if p.text == "Where its supply chains run.")
    assert all(run.italic for run in guidance.runs)
    assert GUIDANCE_LABEL not in _body_text(final)
    assert "Where its supply chains run." not in _body_text(final)


def test_draft_marker_in_the_header_of_every_page_only_when_draft(
    draft: DocxDocument, final: DocxDocument
) -> None:
    # One section, no different first page: its header is on every page.
    assert len(draft.sections) == 1
    assert not draft.sections[0].different_first_page_header_footer
    assert DRAFT_MARK in draft.sections[0].header.paragraphs[0].text
    assert DRAFT_MARK not in final.sections[0].header.paragraphs[0].text
    assert all(DRAFT_MARK not in p.text for p in final.sections[0].header.paragraphs)


def test_footer_numbers_pages_with_word_fields(draft: DocxDocument) -> None:
    footer = draft.sections[0].footer.paragraphs[0]
    instructions = [i.text.strip() for i in footer._p.xpath(".//w:instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Acme Imports Ltd · version 3 · Page ")


def test_non_latin_text_survives(draft: DocxDocument) -> None:
    body = _body_text(draft)
    assert f"We buy cotton yarn from {CHINESE}." in body
    assert BENGALI in body
    assert ARABIC in body
    arabic = next(p for p in draft.paragraphs if p.text == ARABIC)
    assert arabic._p.xpath("./w:pPr/w:bidi")
    bengali = next(p for p in draft.paragraphs if p.text == BENGALI)
    assert not bengali._p.xpath("./w:pPr/w:bidi")


def test_user_text_is_never_a_field_or_markup() -> None:
    data = statement_docx(_statement())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "fldSimple" not in body.replace("&lt;w:fldSimple", "")
    assert "<w:instrText" not in body
    assert "<w:fldChar" not in body
    assert INJECTION in _body_text(_read(data))


def test_control_characters_are_dropped_and_breaks_kept(draft: DocxDocument) -> None:
    paragraph = next(p for p in draft.paragraphs if p.text.startswith("Line one"))
    assert paragraph.text == "Line one\nline two\tafter a tab."
    assert paragraph._p.xpath(".//w:br")
    assert paragraph._p.xpath(".//w:tab")
    assert clean_text("a\r\nb\rc\x0bd\ud800") == "a\nb\ncd"


def test_an_empty_section_list_works() -> None:
    document = _read(statement_docx(_statement(sections=())))
    assert _headings(document) == []
    assert document.paragraphs[0].text == "Slavery and human trafficking statement 2026"
    assert len(document.tables) == 1


def test_ragged_and_headerless_tables_and_empty_text_do_not_break_it() -> None:
    section = Section(
        heading="  ",
        tables=(
            Table(caption="", columns=(), rows=(("a", "b", "c"), ("d",))),
            Table(caption="Nothing yet", columns=(), rows=()),
            Table(caption="More cells than headings", columns=("One",), rows=(("1", "2"),)),
        ),
    )
    bare = StatementDocument(title="", sections=(section,), draft=False)
    document = _read(statement_docx(bare, paper="letter"))
    assert document.paragraphs[0].text == "Statement"
    assert _headings(document) == ["Untitled section"]
    first, last = document.tables
    assert [[c.text for c in row.cells] for row in first.rows] == [["a", "b", "c"], ["d", "", ""]]
    assert [[c.text for c in row.cells] for row in last.rows] == [["One", ""], ["1", "2"]]
    assert "Nothing yet" in _body_text(document)
    width = document.sections[0].page_width
    assert width is not None
    assert round(width.mm) == 216
