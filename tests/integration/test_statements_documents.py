"""Each of the five statements drafted from the demo data, rendered once to PDF and DOCX
and parsed back: every section heading is there, "Draft" is on every page of a draft, and
figures match what the database holds. Editing and approval are audited; an approved
statement keeps its figures after the record changes.

The world is built once for the module inside a transaction that is rolled back at the
end, so rendering happens once per regime and nothing leaks into other tests."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from docx import Document as DocxDocument
from pypdf import PdfReader

from chainproof.domain.statements.regimes import load_regimes
from tests.conftest import make_member
from tests.supply import load_demo

# The database is set up for the module's tests (their own transactions are empty).
pytestmark = pytest.mark.django_db

REGIMES = ("uk_msa", "au_msa", "ca_s211", "ca_tisca", "eu_flr")


@dataclass
class Rendered:
    pages: list[str]  # the text of each PDF page
    docx_paragraphs: list[str]  # the body's paragraphs, then every table cell
    docx_tables: list[list[list[str]]]
    docx_header: str  # the page header (every page)
    headings: list[str]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.pages).split())


@dataclass
class World:
    suppliers: int = 0
    attendees: int = 0
    drafts: dict[str, Rendered] = field(default_factory=dict)
    approved_after: Rendered | None = None
    redrafted_suppliers: str = ""
    events: list[tuple[str, dict]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _pdf(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _docx(data: bytes) -> tuple[list[str], list[list[list[str]]], str]:
    document = DocxDocument(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    paragraphs = [p.text for p in document.paragraphs] + [
        cell for table in tables for row in table for cell in row
    ]
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    return paragraphs, tables, header


def _render(statement) -> Rendered:
    from chainproof.statements.rendering import (
        statement_document,
        statement_docx_bytes,
        statement_pdf,
    )

    document = statement_document(statement)
    paragraphs, tables, header = _docx(statement_docx_bytes(document))
    return Rendered(
        pages=_pdf(statement_pdf(document)),
        docx_paragraphs=paragraphs,
        docx_tables=tables,
        docx_header=header,
        headings=[s.heading for s in document.sections],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.exceptions import ValidationError

    from chainproof.audit.models import AuditEvent
    from chainproof.diligence.demo import demo_evidence_load
    from chainproof.diligence.models import ProgramRecord
    from chainproof.statements.services import (
        statement_approve,
        statement_create,
        statement_section_save,
    )
    from chainproof.suppliers.models import Supplier

    built = World()
    files = tmp_path_factory.mktemp("files")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=files, STORAGE_BACKEND="local"),
        transaction.atomic(),
    ):
        # A transactional test run earlier in this process may have flushed the data.
        from chainproof.reference.services import bundled_datasets_load

        bundled_datasets_load()
        member = make_member("Statement Makers Ltd", "stella", "admin")
        org, actor = member.organization, member.user
        load_demo(org)
        demo_evidence_load(organization=org, actor=actor)
        today = timezone.localdate()
        start, end = today - dt.timedelta(days=364), today
        built.suppliers = Supplier.objects.filter(organization=org).count()
        built.attendees = sum(
            int(r.values["attendees"])
            for r in ProgramRecord.objects.filter(organization=org, kind="training")
            if start.isoformat() <= r.values["held_on"] <= end.isoformat()
        )
        statements = {}
        for code in REGIMES:
            with transaction.atomic():
                statements[code] = statement_create(
                    organization=org,
                    actor=actor,
                    regime_code=code,
                    period_start=start,
                    period_end=end,
                )
            built.drafts[code] = _render(statements[code])

        uk = statements["uk_msa"]
        with transaction.atomic():
            statement_section_save(
                statement=uk,
                actor=actor,
                section="training",
                text="Every buyer was trained on forced labour in the period.",
            )
            statement_approve(
                statement=uk,
                actor=actor,
                approver="board",
                name="Board of Statement Makers Ltd",
                role="Signed by Sam Director, Director",
                approved_on=today,
            )
        # The record changes after the approval: two more suppliers.
        for n in (1, 2):
            Supplier.objects.create(organization=org, legal_name=f"Late Supplier {n}", country="GB")
        built.approved_after = _render(uk)
        with transaction.atomic():
            later = statement_create(
                organization=org,
                actor=actor,
                regime_code="uk_msa",
                period_start=start,
                period_end=end,
            )
        built.redrafted_suppliers = later.texts.get(section="structure", number=1).text
        for attempt, values in {
            "edit_approved": {"section": "training", "text": "Changed after approval"},
        }.items():
            try:
                with transaction.atomic():
                    statement_section_save(statement=uk, actor=actor, **values)
            except ValidationError as exc:
                built.errors[attempt] = "; ".join(exc.messages)
        for bad, kwargs in {
            "unknown_regime": {"regime_code": "xx_law", "period_start": start, "period_end": end},
            "backwards": {"regime_code": "uk_msa", "period_start": end, "period_end": start},
            "not_a_date": {"regime_code": "uk_msa", "period_start": "soon", "period_end": end},
        }.items():
            try:
                with transaction.atomic():
                    statement_create(organization=org, actor=actor, **kwargs)
            except ValidationError as exc:
                built.errors[bad] = "; ".join(exc.messages)
        built.events = [
            (e.action, e.after or {})
            for e in AuditEvent.objects.filter(
                organization_id=org.pk, action__startswith="statements."
            ).order_by("pk")
        ]
        transaction.set_rollback(True)
    return built


def _compact(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("code", REGIMES)
def test_each_regime_renders_to_pdf_and_docx_with_its_sections_and_figures(world, code):
    rendered = world.drafts[code]
    regime = load_regimes()[code]
    assert rendered.headings[: len(regime.sections)] == [s.heading for s in regime.sections]
    docx_text = _compact(" ".join(rendered.docx_paragraphs))
    for section in regime.sections:
        assert _compact(section.heading) in rendered.text, section.heading
        assert _compact(section.heading) in docx_text, section.heading
    # "Draft" on every page of the PDF, and said in the DOCX.
    assert rendered.pages
    assert all("Draft" in page for page in rendered.pages)
    assert "DRAFT" in rendered.docx_header
    # The supply chain on record: the number of suppliers the database holds.
    assert re.search(rf"Suppliers {world.suppliers}\b", rendered.text)
    assert ["Suppliers", str(world.suppliers)] in [
        row for table in rendered.docx_tables for row in table
    ]
    assert f"our records held {world.suppliers} suppliers" in rendered.text
    # Training attended in the period, from the program records.
    assert world.attendees > 0
    assert f"attended by {world.attendees} people" in rendered.text
    assert f"attended by {world.attendees} people" in docx_text


def test_the_approved_statement_names_its_approver_and_keeps_its_figures(world):
    after = world.approved_after  # rendered after the record changed
    assert "Board of Statement Makers Ltd" in after.text
    assert "Signed by Sam Director, Director" in after.text
    assert not any("Draft" in page for page in after.pages)
    assert "DRAFT" not in after.docx_header
    assert "Every buyer was trained on forced labour in the period." in after.text
    assert "Board of Statement Makers Ltd" in " ".join(after.docx_paragraphs)
    assert ["Suppliers", str(world.suppliers)] in [
        row for table in after.docx_tables for row in table
    ]
    assert re.search(rf"Suppliers {world.suppliers}\b", after.text)
    # The record changed after the approval; a new draft sees it, the approved one does not.
    assert not re.search(rf"Suppliers {world.suppliers + 2}\b", after.text)
    assert f"our records held {world.suppliers + 2} suppliers" in world.redrafted_suppliers


def test_editing_and_approval_are_audited_in_words(world):
    actions = [action for action, _ in world.events]
    assert actions.count("statements.statement_created") == len(REGIMES) + 1
    edited = [after for action, after in world.events if action == "statements.section_edited"]
    assert len(edited) == 1
    assert edited[0]["heading"] == "Training for our staff"
    assert edited[0]["version"] == 2
    approved = [
        after for action, after in world.events if action == "statements.statement_approved"
    ]
    assert len(approved) == 1
    assert "Board of Statement Makers Ltd" in approved[0]["approved_by"]
    assert len(approved[0]["figures_sha256"]) == 64


def test_bad_input_is_refused_in_words(world):
    assert "reopen it first" in world.errors["edit_approved"]
    assert "Choose one of the statements chainproof drafts" in world.errors["unknown_regime"]
    assert "before it starts" in world.errors["backwards"]
    assert "expected a date (YYYY-MM-DD), found 'soon'" in world.errors["not_a_date"]
