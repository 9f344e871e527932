"""Annual statements over HTTP with CSRF enforced: a new statement (bad input answered in
words, nothing stored), the sections with what the law asks and figures linking to their
records, an edit kept as a new version, approval by an administrator, the comparison with
last year's statement, the PDF and DOCX downloads; what viewers, analysts and another
organization may do."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document as DocxDocument
from pypdf import PdfReader

from chainproof.audit.models import AuditEvent
from chainproof.statements.models import Statement, StatementSectionText
from chainproof.suppliers.models import Supplier
from tests.conftest import make_member
from tests.csrf_client import CsrfClient, csrf_token_from
from tests.supply import load_demo


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    return alice


def _create(client, **values) -> object:
    return client.submit("/statements/", values)


def test_drafting_editing_approving_and_comparing_a_statement(csrf_client, demo):
    csrf_client.sign_in(demo)
    org = demo.organization
    page = csrf_client.get("/statements/")
    assert page.status_code == 200
    body = page.content.decode()
    last_year = timezone.localdate().year - 1
    assert f'value="{last_year}-01-01"' in body
    assert f'value="{last_year}-12-31"' in body
    assert "Modern Slavery Act" in body

    # Bad input: a form error in words, nothing stored.
    unknown = _create(
        csrf_client, regime="xx_law", period_start="2025-01-01", period_end="2025-12-31"
    )
    assert unknown.status_code == 400
    assert "Choose one of the statements chainproof drafts" in unknown.content.decode()
    backwards = _create(
        csrf_client, regime="uk_msa", period_start="2025-12-31", period_end="2025-01-01"
    )
    assert backwards.status_code == 400
    assert "before it starts" in backwards.content.decode()
    ancient = _create(
        csrf_client, regime="uk_msa", period_start="0001-01-01", period_end="0001-12-31"
    )
    assert ancient.status_code == 400
    assert "expected a date between 1990 and 2200, found 0001-01-01" in ancient.content.decode()
    assert not Statement.objects.filter(organization=org).exists()

    # Last year's statement (before the demo records existed), approved by the board.
    made = _create(
        csrf_client,
        regime="uk_msa",
        period_start=f"{last_year}-01-01",
        period_end=f"{last_year}-12-31",
    )
    assert made.status_code == 302
    old = Statement.objects.get(organization=org)
    detail = f"/statements/{old.pk}/"
    assert made["Location"] == detail
    page = csrf_client.get(detail).content.decode()
    assert "the board of directors" in page.lower()  # what the UK law requires
    refused = csrf_client.submit(
        detail,
        {"action": "approve", "approver": "board", "name": "", "role": "", "approved_on": "x"},
    )
    assert refused.status_code == 400
    assert "Name the person (or the body) who approved the statement." in refused.content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = csrf_client.submit(
        detail,
        {
            "action": "approve",
            "approver": "board",
            "name": "Board of Acme Imports",
            "role": "Directors",
            "approved_on": tomorrow,
        },
    )
    assert future.status_code == 400
    assert "is in the future" in future.content.decode()
    approved = csrf_client.submit(
        detail,
        {
            "action": "approve",
            "approver": "board",
            "name": "Board of Acme Imports",
            "role": "Directors",
            "approved_on": timezone.localdate().isoformat(),
        },
    )
    assert approved.status_code == 302
    old.refresh_from_db()
    assert old.status == "approved"
    assert (
        "Approved by <strong>Board of Acme Imports</strong>"
        in csrf_client.get(detail).content.decode()
    )

    # Published (a web address or nothing), then reopened with a reason and approved again.
    bad_address = csrf_client.submit(
        detail, {"action": "publish", "published_on": "2026-01-05", "published_url": "our site"}
    )
    assert bad_address.status_code == 400
    assert "Expected a web address" in bad_address.content.decode()
    published = csrf_client.submit(
        detail,
        {
            "action": "publish",
            "published_on": "2026-01-05",
            "published_url": "https://acme.test/msa",
        },
    )
    assert published.status_code == 302
    old.refresh_from_db()
    assert old.status == "published"
    no_reason = csrf_client.submit(detail, {"action": "reopen", "reason": " "})
    assert no_reason.status_code == 400
    assert "Say why the approved statement is reopened." in no_reason.content.decode()
    reopened = csrf_client.submit(detail, {"action": "reopen", "reason": "Typo in section 2"})
    assert reopened.status_code == 302
    old.refresh_from_db()
    assert old.status == "draft"
    assert "withdrawn on" in csrf_client.get(detail).content.decode()
    assert AuditEvent.objects.get(action="statements.statement_reopened").after["reason"] == (
        "Typo in section 2"
    )
    again = csrf_client.submit(
        detail,
        {
            "action": "approve",
            "approver": "officer",
            "name": "Ada Officer",
            "role": "Chief Executive Officer",
            "approved_on": timezone.localdate().isoformat(),
        },
    )
    assert again.status_code == 302
    assert (
        "this approval was recorded as given by a named officer"
        in csrf_client.get(detail).content.decode()
    )

    # This year's statement: its sections, what the law asks, figures with their links.
    today = timezone.localdate()
    made = _create(
        csrf_client,
        regime="uk_msa",
        period_start=f"{today.year}-01-01",
        period_end=f"{today.year}-12-31",
    )
    assert made.status_code == 302
    new = Statement.objects.filter(organization=org).exclude(pk=old.pk).get()
    assert new.previous_id == old.pk
    page = csrf_client.get(f"/statements/{new.pk}/").content.decode()
    suppliers = Supplier.objects.filter(organization=org).count()
    direct = Supplier.objects.filter(organization=org, tier=1).count()
    assert "Our structure, business and supply chains" in page
    assert "Modern Slavery Act 2015, s.54(5)(a)" in page
    assert f"our records held {suppliers} suppliers ({direct} direct)" in page
    assert 'href="/suppliers/?tier=1"' in page
    assert 'href="/suppliers/facilities/?country=CN"' in page
    assert 'name="text"' in page

    # An edit is a new version, audited; the history shows both.
    saved = csrf_client.submit(
        f"/statements/{new.pk}/",
        {"action": "section", "section": "training", "text": "We trained every buyer."},
    )
    assert saved.status_code == 302
    versions = StatementSectionText.objects.filter(statement=new, section="training")
    assert sorted(versions.values_list("number", flat=True)) == [1, 2]
    event = AuditEvent.objects.filter(action="statements.section_edited").get()
    assert event.after["text"] == "We trained every buyer."
    assert event.after["heading"] == "Training for our staff"
    history = csrf_client.get(f"/statements/{new.pk}/sections/training/").content.decode()
    assert "We trained every buyer." in history
    assert "Version 1" in history
    assert csrf_client.get(f"/statements/{new.pk}/sections/no-such/").status_code == 404

    # Compared with last year: the suppliers on record went from none to the demo's.
    compare = csrf_client.get(f"/statements/{new.pk}/compare/").content.decode()
    assert f"Our supply chain on record</strong>: 0 → {suppliers}" in compare
    assert "We trained every buyer." in compare  # added text

    # The downloads: the draft PDF marked on every page, the DOCX with its sections.
    pdf = csrf_client.get(f"/statements/{new.pk}/statement.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "-draft.pdf" in pdf["Content-Disposition"]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages]
    assert pages
    assert all("Draft" in text for text in pages)
    assert "We trained every buyer." in " ".join(pages)
    word = csrf_client.get(f"/statements/{new.pk}/statement.docx")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    texts = [p.text for p in DocxDocument(io.BytesIO(word.content)).paragraphs]
    assert "Training for our staff" in texts
    assert "We trained every buyer." in texts


def test_viewers_read_analysts_draft_administrators_approve_others_see_nothing(demo, victor, bob):
    from django.db import transaction

    from chainproof.statements.services import statement_create

    with transaction.atomic():
        statement = statement_create(
            organization=demo.organization,
            actor=demo.user,
            regime_code="ca_tisca",
            period_start="2026-01-01",
            period_end="2026-12-31",
        )
    detail = f"/statements/{statement.pk}/"

    viewer = CsrfClient()
    viewer.sign_in(victor)
    page = viewer.get(detail)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Verification of our supply chains" in body
    assert 'name="text"' not in body
    assert 'id="approve-form"' not in body
    token = csrf_token_from(viewer.get("/"))
    assert (
        viewer.post(
            detail,
            {"csrfmiddlewaretoken": token, "action": "section", "section": "training", "text": "x"},
        ).status_code
        == 403
    )
    assert (
        viewer.post(
            "/statements/",
            {"csrfmiddlewaretoken": token, "regime": "uk_msa", "period_start": "2026-01-01"},
        ).status_code
        == 403
    )
    assert viewer.get(f"{detail}statement.pdf").status_code == 200

    analyst = CsrfClient()
    analyst.sign_in(make_member("Acme Imports", "anna", "analyst"))
    page = analyst.get(detail).content.decode()
    assert 'name="text"' in page
    assert 'id="approve-form"' not in page
    assert "An administrator records the approval." in page
    token = csrf_token_from(analyst.get(detail))
    approve = {"csrfmiddlewaretoken": token, "action": "approve", "approver": "officer"}
    assert analyst.post(detail, approve).status_code == 403
    # Without the CSRF token, even an allowed edit is refused.
    assert (
        analyst.post(detail, {"action": "section", "section": "training", "text": "x"}).status_code
        == 403
    )
    assert not StatementSectionText.objects.filter(statement=statement, number__gt=1).exists()
    statement.refresh_from_db()
    assert statement.status == "draft"

    other = CsrfClient()
    other.sign_in(bob)
    for url in (detail, f"{detail}statement.pdf", f"{detail}statement.docx", f"{detail}compare/"):
        assert other.get(url).status_code == 404, url
    assert Statement.objects.filter(organization=bob.organization).count() == 0
    assert "Verification of our supply chains" not in other.get("/statements/").content.decode()
