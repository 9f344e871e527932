"""The statement as one format-neutral document (``domain/statements/document.py``), and
the PDF and DOCX drawn from it, so both always say the same: the title and the facts
(organization, period, the law, the approval), each section's text and its figures'
tables. A draft is marked "Draft" on every page and shows beside each section what the
law asks; the approved statement names its approver and shows the figures frozen with
the approval."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from chainproof.domain.statements.document import Section, StatementDocument
from chainproof.fileformats.html_pdf import pdf_from_html
from chainproof.statements.figures import day
from chainproof.statements.models import Statement
from chainproof.statements.selectors import (
    active_approval,
    current_texts,
    regime_of,
    statement_figures,
)


def statement_document(statement: Statement) -> StatementDocument:
    chosen = regime_of(statement)
    organization = statement.organization.name
    draft = statement.status == Statement.Status.DRAFT
    approval = None if draft else active_approval(statement)
    figures = statement_figures(statement)
    texts = current_texts(statement)
    period = f"{day(statement.period_start)} to {day(statement.period_end)}"
    facts: list[tuple[str, str]] = [
        ("Organization", organization),
        ("Reporting period", period),
        ("Status", statement.get_status_display()),
    ]
    sections: list[Section] = []
    if chosen is not None:
        short_law = chosen.law.split(" (")[0]
        made_under = (
            chosen.citation if short_law in chosen.citation else f"{chosen.law} ({chosen.citation})"
        )
        facts.append(("Made under", made_under))
        if approval is not None:
            facts.append(
                (
                    "Approved by",
                    f"{approval.name}, {approval.role} "
                    f"({approval.get_approver_display().lower()}), on {day(approval.approved_on)}",
                )
            )
        else:
            facts.append(
                (
                    "Approval",
                    "Not yet approved"
                    + (
                        f"; the law requires: {chosen.approval.who}"
                        if chosen.approval.required
                        else ""
                    ),
                )
            )
        if statement.published_on:
            facts.append(
                (
                    "Published",
                    day(statement.published_on)
                    + (f" at {statement.published_url}" if statement.published_url else ""),
                )
            )
        for part in chosen.sections:
            text = texts.get(part.key)
            paragraphs = tuple(
                p.strip() for p in (text.text if text else "").split("\n\n") if p.strip()
            )
            tables = tuple(figures[k].table for k in part.figures if k in figures)
            sections.append(
                Section(
                    heading=part.heading,
                    paragraphs=paragraphs,
                    tables=tuple(t for t in tables if t.rows),
                    citation=part.citation,
                    guidance=" ".join(part.must_cover) if draft else "",
                )
            )
        if chosen.signature and approval is not None:
            sections.append(
                Section(
                    heading="Approval and signature",
                    paragraphs=(
                        f"This statement was approved by {approval.name}, {approval.role}, "
                        f"on {day(approval.approved_on)}.",
                        chosen.signature,
                    ),
                    citation=chosen.approval.citation,
                )
            )
    printed = f"{timezone.localtime():%Y-%m-%d %H:%M %Z}"
    return StatementDocument(
        title=statement.title,
        subtitle=f"{organization}: {chosen.title if chosen else 'statement'}",
        facts=tuple(facts),
        sections=tuple(sections),
        footer=f"{organization}, {statement.title}; printed {printed} by chainproof",
        draft=draft,
        extra={"figures_sha256": approval.figures_sha256 if approval else ""},
    )


def statement_pdf(document: StatementDocument, *, author: str = "") -> bytes:
    html = render_to_string("statements/print/statement.html", {"doc": document})
    return pdf_from_html(html, title=document.title, author=author)


def statement_docx_bytes(document: StatementDocument) -> bytes:
    from chainproof.fileformats.docx_writer import statement_docx

    return statement_docx(document)
