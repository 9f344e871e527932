"""The supplier portal in a real headless Chromium (Debian's): invitation link and its
"Open the questionnaire" button, two sections filled, a document uploaded, submitted;
the analyst then sees the response.

Nothing the pages load comes from the internet: every request outside the test server
is refused and counted.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.db import transaction

from chainproof.outbox.services import email_send_due
from chainproof.questionnaires.campaigns import invitations_send
from chainproof.questionnaires.models import Attachment
from tests.browser.conftest import open_page
from tests.questionnaire_helpers import invited_with_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invited(alice, refdata):
    """A Vietnamese supplier invited by email; all but the declaration and the policies
    already drafted."""
    return invited_with_draft(
        alice,
        supplier_ref="S-VN-01",
        email="lan@lotus.example",
        campaign_name="Browser campaign",
        left_open=("declaration", "policies"),
    )


def test_supplier_fills_two_sections_uploads_and_submits(
    browser, live_server, invited, alice, tmp_path
):
    campaign, qr = invited
    with transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=live_server.url)
    email_send_due()
    link = re.search(r"http://\S+/portal/invite/\S+/", mail.outbox[-1].body).group(0)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)

    page.goto(link)  # the link's page changes nothing until the button is pressed
    assert qr.__class__.objects.get(pk=qr.pk).status == "sent"
    page.click("text=Open the questionnaire")
    page.wait_for_selector("#sections")
    assert "Forced-labor due-diligence questionnaire" in page.inner_text("h1")

    page.click("text=Declaration")
    page.fill("#q_company_address", "12 Nguyen Trai, Thanh Xuan, Hanoi")
    page.check("input[name=q_scope][value=company]")
    page.fill("#q_signer_name", "Nguyễn Thị Lan")
    page.fill("#q_signer_title", "Chief Executive")
    page.fill("#q_signer_email", "lan@lotus.example")
    page.fill("#q_signed_on", date.today().isoformat())
    page.check("input[name=q_certification][value=yes]")
    page.click("button[name=next]")
    page.wait_for_selector("h1:has-text('Policies')")
    assert "Saved as a draft." in page.inner_text(".messages")

    for question, answer in (
        ("policy_forced_labor", "yes"),
        ("policy_child_labor", "yes"),
        ("policy_migrant_workers", "yes"),
        ("policy_dprk", "yes"),
        ("policy_employer_pays", "no"),
        ("policy_leadership", "yes"),
        ("policy_published", "unknown"),
    ):
        page.check(f"input[name=q_{question}][value={answer}]")
    page.click("button[name=save]")
    page.wait_for_selector(".messages")

    policy = tmp_path / "policy.pdf"
    policy.write_bytes(b"%PDF-1.4\n% a forced-labor policy\n%%EOF\n")
    page.set_input_files("#doc-policy_document", str(policy))
    page.click("#upload-policy_document button")
    page.wait_for_selector("text=Uploaded policy.pdf")
    assert "policy.pdf" in page.inner_text("#q-policy_document")

    page.click("text=All sections and submit")
    page.click("#submit")
    page.wait_for_selector("text=Submitted. Thank you.")
    assert page.inner_text("#status") == "Submitted"
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["signer_name"] == "Nguyễn Thị Lan"
    assert qr.answers["policy_employer_pays"] == "no"
    assert qr.answers["policy_document"] == ["policy.pdf"]
    assert Attachment.objects.get(request=qr, question="policy_document").size == len(
        policy.read_bytes()
    )

    # The analyst signs in and sees the response, the document and the flags.
    analyst = open_page(browser, live_server, outside)
    analyst.goto(f"{live_server.url}/accounts/login/")
    analyst.fill("#id_username", alice.user.username)
    analyst.fill("#id_password", alice.password)
    analyst.click("button[type=submit]")
    analyst.goto(f"{live_server.url}/questionnaires/requests/{qr.pk}/")
    assert analyst.inner_text("#status") == "Submitted"
    assert "Nguyễn Thị Lan" in analyst.inner_text("#section-declaration")
    assert "policy.pdf" in analyst.inner_text("#q-policy_document")
    assert "red flag" in analyst.inner_text("#q-workers_pay_fees")
    assert outside == []
