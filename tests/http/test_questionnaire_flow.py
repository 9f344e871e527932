"""Questionnaires end to end over HTTP (CSRF enforced): a campaign, invitations by email,
a supplier answering through the portal and the workbook, review, acceptance, roll-up."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.domain.nodes import NodeKey
from chainproof.jobs.services import run_pending
from chainproof.outbox.services import email_send_due
from chainproof.questionnaires.campaigns import reminders_send
from chainproof.questionnaires.models import Attachment, QuestionnaireRequest, Submission
from chainproof.questionnaires.selectors import risk_signals
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.models import Facility, Supplier
from tests.csrf_client import CsrfClient, csrf_refused
from tests.invitation_helpers import link_in, open_link
from tests.questionnaire_helpers import TYPED, fill, strt
from tests.supply import load_demo

DUE = date.today() + timedelta(days=21)


@pytest.fixture
def campaign(csrf_client, alice, refdata):
    load_demo(alice.organization)
    suppliers = list(
        Supplier.objects.filter(organization=alice.organization, ref__in=["S-VN-01", "S-CN-01"])
    )
    for n, supplier in enumerate(suppliers):
        supplier.contact_email = f"compliance{n}@supplier.example"
        supplier.save()
    csrf_client.sign_in(alice)
    created = csrf_client.submit(
        "/questionnaires/new/",
        {
            "name": "2026 apparel suppliers",
            "version": str(versions_sync()[0].pk),
            "due_date": DUE.isoformat(),
            "reminder_days": "7",
            "suppliers": [str(s.pk) for s in suppliers],
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    url = created["Location"]
    sent = csrf_client.submit(url, {})
    assert sent.status_code == 302
    assert not mail.outbox  # queued with the invitations; the worker sends them
    run_pending()
    return url, suppliers


def _supplier_client(message):
    supplier = CsrfClient()
    response = open_link(supplier, link_in(message.body))
    assert response.status_code == 302
    return supplier, response["Location"]


def test_invitations_portal_workbook_review_and_acceptance(csrf_client, campaign, alice):
    url, suppliers = campaign
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {s.contact_email for s in suppliers}
    message = next(m for m in mail.outbox if m.to == [suppliers[0].contact_email])
    qr = QuestionnaireRequest.objects.get(supplier=suppliers[0])
    assert qr.status == "sent"

    supplier, portal_url = _supplier_client(message)
    assert portal_url == f"/portal/requests/{qr.pk}/"
    qr.refresh_from_db()
    assert qr.status == "opened"
    # The link keeps working until it expires, signing the same contact in.
    again = CsrfClient()
    assert open_link(again, link_in(message.body))["Location"] == portal_url
    assert again.session["_auth_user_id"] == supplier.session["_auth_user_id"]
    # The supplier sees its own request only, and no internal page.
    other = QuestionnaireRequest.objects.get(supplier=suppliers[1])
    assert supplier.get(f"/portal/requests/{other.pk}/").status_code == 404
    assert supplier.get(f"/questionnaires/requests/{qr.pk}/").status_code == 404
    assert supplier.get("/suppliers/").status_code == 403
    assert supplier.get("/").status_code == 302

    # Download the workbook: pre-filled with what the customer knows.
    workbook = supplier.get(f"/portal/requests/{qr.pk}/workbook.xlsx").content
    book = load_workbook(io.BytesIO(workbook))
    _, layout = strt()
    name = layout.cells["company_name"]
    assert book["Declaration"][f"{name.column}{name.row}"].value == suppliers[0].legal_name

    # A wrong workbook: every error with its cell, nothing stored.
    wrong = fill(workbook, layout, {**TYPED, "signed_on": "next week", "dprk_transport": "?"})
    refused = supplier.submit(
        portal_url,
        {"action": "workbook", "file": _upload(wrong, "answers.xlsx")},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    signed = layout.cells["signed_on"]
    assert f"answers.xlsx Declaration!C{signed.row}: expected a date (YYYY-MM-DD), found" in body
    assert "next week" in body
    assert not Attachment.objects.filter(request=qr).exists()
    assert not Submission.objects.filter(request=qr).exists()
    qr.refresh_from_db()
    assert qr.status == "opened"

    # Another request's workbook is refused.
    other_book = fill(workbook, layout, TYPED)
    other_book = _with_meta(other_book, "request", f"REQ-{other.pk}")
    mixed = supplier.submit(
        portal_url, {"action": "workbook", "file": _upload(other_book, "x.xlsx")}
    )
    assert f"belongs to REQ-{other.pk}, not REQ-{qr.pk}" in mixed.content.decode()

    # The right workbook: submitted, the original kept with its SHA-256.
    risky = {**TYPED, "documents_held": "Yes"}
    risky["worksites"] = [{**TYPED["worksites"][0], "dprk_nationals": "Present"}]
    good = supplier.submit(
        portal_url,
        {"action": "workbook", "file": _upload(fill(workbook, layout, risky), "lotus.xlsx")},
    )
    assert good.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.source == "workbook"
    kept = Attachment.objects.get(request=qr, kind="workbook")
    assert len(kept.sha256) == 64
    assert kept.file_name == "lotus.xlsx"

    # The analyst reviews: flags shown, a comment, returned for correction.
    review = csrf_client.get(f"/questionnaires/requests/{qr.pk}/")
    text = review.content.decode()
    assert "red flag: Yes" in text
    assert "New site <strong>Lotus Factory 1</strong>" in text
    refused = csrf_client.submit(f"/questionnaires/requests/{qr.pk}/", {"action": "return"})
    assert "Comment on the answers to correct" in refused.content.decode()
    csrf_client.submit(
        f"/questionnaires/requests/{qr.pk}/",
        {"action": "comment", "question": "documents_held", "text": "Who holds them, and why?"},
    )
    returned = csrf_client.submit(f"/questionnaires/requests/{qr.pk}/", {"action": "return"})
    assert returned.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "returned"
    email_send_due()
    assert "Corrections requested" in mail.outbox[-1].subject

    # The supplier sees the comment by the question, corrects it in the browser, submits.
    section = supplier.get(f"/portal/requests/{qr.pk}/sections/employment/").content.decode()
    assert "Who holds them, and why?" in section
    saved = supplier.submit(
        f"/portal/requests/{qr.pk}/sections/employment/",
        {**_section_form(qr, "employment"), "q_documents_held": "no"},
    )
    assert saved.status_code == 302
    submitted = supplier.submit(portal_url, {"action": "submit"})
    assert submitted.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["documents_held"] == "no"

    # Accepted with the worksite changes: a new facility for the supplier, audited;
    # the accepted answers become risk signals.
    accepted = csrf_client.submit(
        f"/questionnaires/requests/{qr.pk}/",
        {"action": "accept", "apply_worksites": "on"},
    )
    assert accepted.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "accepted"
    site = Facility.objects.get(supplier=suppliers[0], name="Lotus Factory 1")
    assert site.dprk_workers == "present"
    assert site.total_workers == 820
    assert AuditEvent.objects.filter(action="facility.created", object_id=str(site.pk)).exists()
    signals = risk_signals(alice.organization.pk)[NodeKey.supplier(suppliers[0].pk)]
    assert {s.code for s in signals} == {"worker_paid_recruitment_fees"}
    for action in ("invitation_sent", "invitation_opened", "submitted", "returned", "accepted"):
        assert AuditEvent.objects.filter(action=f"questionnaire.{action}").exists(), action

    # Roll-up: page and XLSX; the workbooks of the campaign as a ZIP.
    rollup = csrf_client.get(f"{url}rollup/").content.decode()
    assert "1</strong> of 2 suppliers responded (50.0%)" in rollup
    report = load_workbook(io.BytesIO(csrf_client.get(f"{url}rollup/?format=xlsx").content))
    assert report.sheetnames == ["Summary", "Answers", "Red flags", "Responses"]
    assert (
        report["Red flags"]["D2"].value == "North Korean nationals; Workers paid recruitment fees"
    )
    archive = zipfile.ZipFile(io.BytesIO(csrf_client.get(f"{url}workbooks.zip").content))
    assert len(archive.namelist()) == 2


def _section_form(qr, section_id):
    from chainproof.questionnaires.versions import definition

    questionnaire, _ = definition(qr.campaign.questionnaire)
    section = next(s for s in questionnaire.sections if s.id == section_id)
    return {
        f"q_{q.id}": qr.answers[q.id]
        for q in section.questions
        if q.id in qr.answers and not isinstance(qr.answers[q.id], list)
    }


def _upload(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _with_meta(data, key, value):
    book = load_workbook(io.BytesIO(data))
    sheet = book["_chainproof"]
    for row in sheet.iter_rows():
        if row[0].value == key:
            row[1].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reminders_follow_the_campaigns_schedule(campaign):
    assert len(mail.outbox) == 2
    assert (
        reminders_send(base_url="http://127.0.0.1:8000", today=date.today() + timedelta(days=3))
        == 0
    )
    assert (
        reminders_send(base_url="http://127.0.0.1:8000", today=date.today() + timedelta(days=8))
        == 2
    )
    assert len(mail.outbox) == 2  # queued, not yet sent
    assert email_send_due()["sent"] == 2
    assert mail.outbox[-1].subject.startswith("Reminder:")
    late = reminders_send(base_url="http://127.0.0.1:8000", today=DUE + timedelta(days=9))
    assert late == 2
    email_send_due()
    assert mail.outbox[-1].subject.startswith("Overdue:")
    assert len(mail.outbox) == 6
    assert QuestionnaireRequest.objects.filter(reminders_sent=2).count() == 2


def test_viewers_cannot_create_or_send(csrf_client, victor, campaign):
    url, _ = campaign
    csrf_client.sign_in(victor)
    assert csrf_client.get("/questionnaires/new/").status_code == 403
    refused = csrf_client.submit(url)  # with the page's token: the role refuses
    assert refused.status_code == 403
    assert not csrf_refused(refused)


def test_other_organizations_see_nothing(csrf_client, bob, campaign):
    url, _ = campaign
    csrf_client.sign_in(bob)
    assert csrf_client.get(url).status_code == 404
    qr = QuestionnaireRequest.objects.first()
    assert csrf_client.get(f"/questionnaires/requests/{qr.pk}/").status_code == 404


def test_the_api_lists_campaigns_requests_and_answers(csrf_client, alice, campaign, bob):
    _, suppliers = campaign
    csrf_client.sign_in(alice)
    listed = csrf_client.get("/api/v1/questionnaires/campaigns").json()
    assert listed["count"] == 1
    campaign_id = listed["items"][0]["id"]
    assert listed["items"][0]["counts"] == {"Sent": 2}
    versions = csrf_client.get("/api/v1/questionnaires/versions").json()
    assert versions[0]["key"] == "chainproof-strt@1.0"
    requests = csrf_client.get(
        "/api/v1/questionnaires/requests", {"campaign_id": campaign_id, "status": "sent"}
    ).json()
    assert requests["count"] == 2
    qr = QuestionnaireRequest.objects.get(supplier=suppliers[0])
    from chainproof.domain.questionnaire.answers import check
    from chainproof.questionnaires.versions import definition
    from tests.questionnaire_helpers import countries

    questionnaire, _ = definition(qr.campaign.questionnaire)
    qr.answers = check(questionnaire, TYPED, countries=countries()).values
    qr.status = "submitted"
    qr.save()
    body = csrf_client.get(f"/api/v1/questionnaires/requests/{qr.pk}/response").json()
    answers = {a["question"]: a for a in body["answers"]}
    assert answers["wages_paid_to"]["value"] == "worker"
    assert answers["fees_reimbursed"]["display"] == "Partly"
    assert {f["code"] for f in body["red_flags"]} == {"worker_paid_recruitment_fees"}
    refused = csrf_client.api(
        "post", f"/api/v1/questionnaires/requests/{qr.pk}/decision", {"action": "return"}
    )
    assert refused.status_code == 400
    assert "Comment on the answers" in refused.json()["error"]["details"][0]["message"]
    created = csrf_client.api(
        "post",
        "/api/v1/questionnaires/campaigns",
        {
            "name": "API campaign",
            "questionnaire": "chainproof-strt@1.0",
            "due_date": DUE.isoformat(),
            "supplier_ids": [suppliers[1].pk],
        },
    )
    assert created.status_code == 201
    assert created.json()["counts"] == {"Not sent": 1}
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/api/v1/questionnaires/requests/{qr.pk}").status_code == 404
    assert csrf_client.get(f"/api/v1/questionnaires/campaigns/{campaign_id}").status_code == 404


def test_a_supplier_contact_can_set_a_password_and_sign_in_again(campaign):
    supplier, _ = _supplier_client(mail.outbox[0])
    home = supplier.get("/portal/")
    assert b'id="set-password"' in home.content
    weak = supplier.submit("/portal/", {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 400
    strong = "tidal-Lantern-4471-quartz"
    done = supplier.submit("/portal/", {"new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password_set").exists()
    fresh = CsrfClient()
    signed_in = fresh.log_in(mail.outbox[0].to[0], strong)
    assert signed_in.status_code == 302
    assert fresh.get("/", follow=True).redirect_chain[-1][0] == "/portal/"


def test_the_new_campaign_form_says_when_more_suppliers_match_than_it_lists(
    csrf_client, alice, refdata, monkeypatch
):
    from chainproof.questionnaires import views

    load_demo(alice.organization)
    active = Supplier.objects.filter(organization=alice.organization, status="active").count()
    assert active > 3
    csrf_client.sign_in(alice)
    page = csrf_client.get("/questionnaires/new/").content.decode()
    assert f"Suppliers ({active} match the filter)" in page
    monkeypatch.setattr(views, "CANDIDATES_LISTED", 3)
    page = csrf_client.get("/questionnaires/new/").content.decode()
    assert "the first 3 by name of more that match the filter" in page
    assert page.count('name="suppliers"') == 3
