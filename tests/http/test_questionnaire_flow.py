"""Questionnaires end to end over HTTP (CSRF enforced): a campaign, invitations by email,
a supplier answering through the portal and the workbook, review, acceptance, roll-up."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.questionnaires.models import Attachment, QuestionnaireRequest, Submission
from chainproof.questionnaires.selectors import risk_signals
from chainproof.questionnaires.services import reminders_send, versions_sync
from chainproof.suppliers.models import Facility, Supplier
from tests.http.helpers import csrf_token_from
from tests.questionnaire_helpers import TYPED, fill, strt
from tests.supply import load_demo

DUE = date.today() + timedelta(days=21)


def _post(client, url, data, **extra):
    page = client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token_from(page)}, **extra)


@pytest.fixture
def campaign(csrf_client, alice, refdata):
    load_demo(alice.organization)
    suppliers = list(
        Supplier.objects.filter(organization=alice.organization, ref__in=["S-VN-01", "S-CN-01"])
    )
    for n, supplier in enumerate(suppliers):
        supplier.contact_email = f"compliance{n}@supplier.example"
        supplier.save()
    csrf_client.force_login(alice.user)
    created = _post(
        csrf_client,
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
    sent = _post(csrf_client, url, {})
    assert sent.status_code == 302
    return url, suppliers


def _link(message):
    return re.search(r"http://[^\s]+/portal/invite/[^\s/]+/", message.body).group(0)


def _supplier_client(message):
    client = Client(enforce_csrf_checks=True)
    response = client.get(_link(message).split("127.0.0.1:8000", 1)[1])
    assert response.status_code == 302
    return client, response["Location"]


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
    # The link works once.
    again = Client().get(_link(message).split("127.0.0.1:8000", 1)[1])
    assert again.status_code == 410
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
    refused = _post(
        supplier,
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
    mixed = _post(
        supplier, portal_url, {"action": "workbook", "file": _upload(other_book, "x.xlsx")}
    )
    assert f"belongs to REQ-{other.pk}, not REQ-{qr.pk}" in mixed.content.decode()

    # The right workbook: submitted, the original kept with its SHA-256.
    risky = {**TYPED, "documents_held": "Yes"}
    risky["worksites"] = [{**TYPED["worksites"][0], "dprk_nationals": "Present"}]
    good = _post(
        supplier,
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
    refused = _post(csrf_client, f"/questionnaires/requests/{qr.pk}/", {"action": "return"})
    assert "Comment on the answers to correct" in refused.content.decode()
    _post(
        csrf_client,
        f"/questionnaires/requests/{qr.pk}/",
        {"action": "comment", "question": "documents_held", "text": "Who holds them, and why?"},
    )
    returned = _post(csrf_client, f"/questionnaires/requests/{qr.pk}/", {"action": "return"})
    assert returned.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "returned"
    assert "Corrections requested" in mail.outbox[-1].subject

    # The supplier sees the comment by the question, corrects it in the browser, submits.
    section = supplier.get(f"/portal/requests/{qr.pk}/sections/employment/").content.decode()
    assert "Who holds them, and why?" in section
    saved = _post(
        supplier,
        f"/portal/requests/{qr.pk}/sections/employment/",
        {**_section_form(qr, "employment"), "q_documents_held": "no"},
    )
    assert saved.status_code == 302
    submitted = _post(supplier, portal_url, {"action": "submit"})
    assert submitted.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["documents_held"] == "no"

    # Accepted with the worksite changes: a new facility for the supplier, audited;
    # the accepted answers become risk signals.
    accepted = _post(
        csrf_client,
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
    signals = risk_signals(alice.organization.pk)[f"s:{suppliers[0].pk}"]
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
    from chainproof.questionnaires.services import definition

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
    assert mail.outbox[-1].subject.startswith("Reminder:")
    late = reminders_send(base_url="http://127.0.0.1:8000", today=DUE + timedelta(days=9))
    assert late == 2
    assert mail.outbox[-1].subject.startswith("Overdue:")
    assert QuestionnaireRequest.objects.filter(reminders_sent=2).count() == 2


def test_viewers_cannot_create_or_send(client, victor, campaign):
    url, _ = campaign
    viewer = Client(enforce_csrf_checks=True)
    viewer.force_login(victor.user)
    assert viewer.get("/questionnaires/new/").status_code == 403
    assert viewer.get(url).status_code == 200
    page = viewer.get(url)
    assert viewer.post(url, {"csrfmiddlewaretoken": csrf_token_from(page)}).status_code == 403


def test_other_organizations_see_nothing(client, bob, campaign):
    url, _ = campaign
    client.force_login(bob.user)
    assert client.get(url).status_code == 404
    qr = QuestionnaireRequest.objects.first()
    assert client.get(f"/questionnaires/requests/{qr.pk}/").status_code == 404


def test_the_api_lists_campaigns_requests_and_answers(client, alice, campaign, bob):
    _, suppliers = campaign
    client.force_login(alice.user)
    listed = client.get("/api/v1/questionnaires/campaigns").json()
    assert listed["count"] == 1
    campaign_id = listed["items"][0]["id"]
    assert listed["items"][0]["counts"] == {"Sent": 2}
    versions = client.get("/api/v1/questionnaires/versions").json()
    assert versions[0]["key"] == "chainproof-strt@1.0"
    requests = client.get(
        "/api/v1/questionnaires/requests", {"campaign_id": campaign_id, "status": "sent"}
    ).json()
    assert requests["count"] == 2
    qr = QuestionnaireRequest.objects.get(supplier=suppliers[0])
    from chainproof.domain.questionnaire.answers import check
    from chainproof.questionnaires.services import definition
    from tests.questionnaire_helpers import countries

    questionnaire, _ = definition(qr.campaign.questionnaire)
    qr.answers = check(questionnaire, TYPED, countries=countries()).values
    qr.status = "submitted"
    qr.save()
    body = client.get(f"/api/v1/questionnaires/requests/{qr.pk}/response").json()
    answers = {a["question"]: a for a in body["answers"]}
    assert answers["wages_paid_to"]["value"] == "worker"
    assert answers["fees_reimbursed"]["display"] == "Partly"
    assert {f["code"] for f in body["red_flags"]} == {"worker_paid_recruitment_fees"}
    refused = client.post(
        f"/api/v1/questionnaires/requests/{qr.pk}/decision",
        {"action": "return"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "Comment on the answers" in refused.json()["error"]["details"][0]["message"]
    created = client.post(
        "/api/v1/questionnaires/campaigns",
        {
            "name": "API campaign",
            "questionnaire": "chainproof-strt@1.0",
            "due_date": DUE.isoformat(),
            "supplier_ids": [suppliers[1].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["counts"] == {"Not sent": 1}
    client.force_login(bob.user)
    assert client.get(f"/api/v1/questionnaires/requests/{qr.pk}").status_code == 404
    assert client.get(f"/api/v1/questionnaires/campaigns/{campaign_id}").status_code == 404


def test_a_supplier_contact_can_set_a_password_and_sign_in_again(campaign):
    from tests.http.helpers import login

    supplier, _ = _supplier_client(mail.outbox[0])
    home = supplier.get("/portal/")
    assert b'id="set-password"' in home.content
    weak = _post(supplier, "/portal/", {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 400
    strong = "tidal-Lantern-4471-quartz"
    done = _post(supplier, "/portal/", {"new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.password_set").exists()
    fresh = Client(enforce_csrf_checks=True)
    signed_in = login(fresh, mail.outbox[0].to[0], strong)
    assert signed_in.status_code == 302
    assert fresh.get("/", follow=True).redirect_chain[-1][0] == "/portal/"
