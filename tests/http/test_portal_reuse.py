"""A questionnaire answered once and reused with another chainproof customer, over HTTP
(CSRF enforced): a response accepted in one organization, downloaded by its supplier as an
answered workbook (a real XLSX, read back), uploaded to another organization's request,
confirmed (or cancelled), and checked against the second request's questionnaire."""

from __future__ import annotations

import copy
import hashlib
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.domain.questionnaire.cell_map import default_layout
from chainproof.domain.questionnaire.definition import parse_definition
from chainproof.fileformats.questionnaire_workbook import open_workbook, read_meta
from chainproof.questionnaires.campaigns import campaign_create
from chainproof.questionnaires.contacts import link_issue
from chainproof.questionnaires.models import (
    Attachment,
    QuestionnaireRequest,
    QuestionnaireVersion,
    Submission,
)
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.services import supplier_save
from tests.csrf_client import CsrfClient
from tests.invitation_helpers import open_link
from tests.questionnaire_helpers import TYPED, fill, strt

ACME_CAMPAIGN = "Acme 2026 apparel (confidential)"
ACME_SUPPLIER_REF = "ACME-SUP-0042"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _request(member, *, ref, legal_name, email, campaign, version=None):
    """A sent request of a one-supplier campaign, and the path of its personal link."""
    with transaction.atomic():
        supplier = supplier_save(
            organization=member.organization.pk,
            actor=member.user,
            data={"ref": ref, "legal_name": legal_name, "country": "VN", "contact_email": email},
        )
        created = campaign_create(
            organization_id=member.organization.pk,
            actor=member.user,
            name=campaign,
            questionnaire=version or versions_sync()[0],
            due_date=date.today() + timedelta(days=20),
            supplier_ids=[supplier.pk],
        )
    qr = QuestionnaireRequest.objects.get(campaign=created)
    link = link_issue(qr, base_url="http://testserver")
    qr.status = "sent"
    qr.contact_email = email
    qr.save()
    return qr, "/" + link.split("/", 3)[3]


def _contact(link: str) -> CsrfClient:
    client = CsrfClient()
    assert open_link(client, link).status_code == 302
    return client


def _page(qr) -> str:
    return f"/portal/requests/{qr.pk}/"


def _sent_workbook(client, qr, answers, name="lotus.xlsx"):
    blank = client.get(f"{_page(qr)}workbook.xlsx").content
    _, layout = strt()
    return client.submit(
        _page(qr), {"action": "workbook", "file": _upload(fill(blank, layout, answers), name)}
    )


@pytest.fixture
def answered(alice, refdata):
    """Acme's request, answered by Lotus in its workbook and accepted by Acme's analyst."""
    qr, link = _request(
        alice,
        ref=ACME_SUPPLIER_REF,
        legal_name="Lotus Garment Co., Ltd.",
        email="lan@lotus.example",
        campaign=ACME_CAMPAIGN,
    )
    supplier = _contact(link)
    assert supplier.get(f"{_page(qr)}answered.xlsx").status_code == 404  # nothing answered yet
    assert _sent_workbook(supplier, qr, TYPED).status_code == 302
    analyst = CsrfClient()
    analyst.sign_in(alice)
    accepted = analyst.submit(f"/questionnaires/requests/{qr.pk}/", {"action": "accept"})
    assert accepted.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "accepted"
    page = supplier.get(_page(qr)).content.decode()
    assert f'href="/portal/requests/{qr.pk}/answered.xlsx"' in page
    download = supplier.get(f"{_page(qr)}answered.xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="REQ-{qr.pk}-answered.xlsx"'
    return SimpleNamespace(qr=qr, supplier=supplier, analyst=analyst, workbook=download.content)


@pytest.fixture
def borealis(bob, refdata):
    """Borealis's request to the same company, known to Borealis under another name."""
    qr, link = _request(
        bob,
        ref="BOR-7",
        legal_name="Lotus Garment Company Limited",
        email="export@lotus.example",
        campaign="Borealis supplier survey",
    )
    return SimpleNamespace(qr=qr, supplier=_contact(link))


def _offer(client, qr, workbook, name="lotus-answered.xlsx"):
    response = client.submit(_page(qr), {"action": "workbook", "file": _upload(workbook, name)})
    assert response.status_code == 200, response.content.decode()[:3000]
    body = response.content.decode()
    match = TOKEN.search(body)
    assert match, body[:3000]
    return body, match.group(1)


def _all_cells(workbook: bytes) -> str:
    book = load_workbook(io.BytesIO(workbook))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def test_an_accepted_response_is_reused_with_another_customer(answered, borealis, bob):
    acme = answered.qr
    # The answered workbook: the blank one's layout, filled, its identification sheet
    # naming the request and the version, marked answered; nothing of Acme's campaign.
    with open_workbook(answered.workbook, "answered.xlsx") as opened:
        meta = read_meta(opened)
    assert meta["state"] == "answered"
    assert meta["request"] == f"REQ-{acme.pk}"
    assert (meta["questionnaire"], meta["version"]) == ("chainproof-strt", "1.0")
    assert meta["answered on"] == date.today().isoformat()
    assert meta["status"] == "accepted"
    book = load_workbook(io.BytesIO(answered.workbook))
    _, layout = strt()
    name = layout.cells["company_name"]
    assert book["Declaration"][f"{name.column}{name.row}"].value == "Lotus Garment Co., Ltd."
    assert f"REQ-{acme.pk}" in book["Instructions"]["A2"].value
    cells = _all_cells(answered.workbook)
    assert "Acme" not in cells
    assert ACME_SUPPLIER_REF not in cells
    # The analyst downloads the same answers.
    analyst_copy = answered.analyst.get(f"/questionnaires/requests/{acme.pk}/answered.xlsx")
    assert analyst_copy.status_code == 200
    assert _all_cells(analyst_copy.content) == cells
    review = answered.analyst.get(f"/questionnaires/requests/{acme.pk}/").content.decode()
    assert f'href="/questionnaires/requests/{acme.pk}/answered.xlsx"' in review

    # Uploaded to Borealis's request: a confirmation, nothing stored yet.
    qr = borealis.qr
    body, token = _offer(borealis.supplier, qr, answered.workbook)
    assert "Use answers from another request?" in body
    assert f"REQ-{acme.pk} in the file" in body
    assert f"answered for Lotus Garment Co., Ltd. on {date.today().isoformat()}" in body
    assert f"this request (REQ-{qr.pk}) from Borealis Trading?" in body
    rebound = body.split('id="reuse-rebound"')[1].split("</section>")[0]
    assert "Lotus Garment Co., Ltd." in rebound
    assert "Lotus Garment Company Limited" in rebound
    assert 'id="reuse-differences"' not in body  # the same version
    assert 'id="reuse-submit"' in body  # complete: may be submitted at once
    for secret in ("Acme", ACME_CAMPAIGN, ACME_SUPPLIER_REF, "lan@lotus.example"):
        assert secret not in body
    qr.refresh_from_db()
    assert qr.answers == {}
    assert not Attachment.objects.filter(request=qr).exists()
    assert not AuditEvent.objects.filter(action="questionnaire.answers_reused").exists()

    # Confirmed: submitted through the write path, audited, the file kept with its hash.
    done = borealis.supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "submit"}, from_page=_page(qr)
    )
    assert done.status_code == 302
    assert done["Location"] == _page(qr)
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.source == "workbook"
    assert qr.answers["company_name"] == "Lotus Garment Company Limited"  # re-bound
    acme.refresh_from_db()
    kept = {k: v for k, v in acme.answers.items() if k != "company_name"}
    assert kept
    assert {k: qr.answers.get(k) for k in kept} == kept  # every other answer as given
    digest = hashlib.sha256(answered.workbook).hexdigest()
    attachment = Attachment.objects.get(request=qr, kind="workbook")
    assert (attachment.sha256, attachment.size) == (digest, len(answered.workbook))
    assert attachment.organization_id == bob.organization.pk
    submission = Submission.objects.get(request=qr)
    assert submission.workbook_sha256 == digest
    assert "reused from a workbook answered for another request" in submission.warnings[0]
    event = AuditEvent.objects.get(action="questionnaire.answers_reused")
    assert event.organization_id == bob.organization.pk
    assert event.after["sha256"] == digest
    assert event.after["answered_for"] == f"REQ-{acme.pk}"
    assert event.after["rebound"] == ["company_name"]
    assert event.after["submitted"] is True
    # Borealis's analyst sees the reuse in words on the review page.
    analyst = CsrfClient()
    analyst.sign_in(bob)
    review = analyst.get(f"/questionnaires/requests/{qr.pk}/").content.decode()
    assert "reused from a workbook answered for another request" in review
    # The confirmation is spent: the request is no longer open to the supplier.
    again = borealis.supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "draft"}, from_page=_page(qr)
    )
    assert again.status_code == 302
    assert Attachment.objects.filter(request=qr).count() == 1


def test_cancelling_stores_nothing(answered, borealis):
    qr = borealis.qr
    _, token = _offer(borealis.supplier, qr, answered.workbook)
    cancelled = borealis.supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "cancel"}, from_page=_page(qr)
    )
    assert cancelled.status_code == 302
    page = borealis.supplier.get(_page(qr)).content.decode()
    assert "nothing was stored" in page
    qr.refresh_from_db()
    assert (qr.status, qr.answers) == ("opened", {})
    assert not Attachment.objects.filter(request=qr).exists()
    assert not Submission.objects.filter(request=qr).exists()
    assert not AuditEvent.objects.filter(
        action__in=["questionnaire.answers_reused", "questionnaire.draft_saved"],
        organization_id=qr.organization_id,
    ).exists()


def _version_1_1() -> QuestionnaireVersion:
    """Version 1.1: a question dropped, a column of the worksite table dropped, a new
    required question."""
    old = versions_sync()[0]
    document = copy.deepcopy(old.document)
    document["version"] = "1.1"
    for section in document["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != "comments"]
        for question in section["questions"]:
            if question["id"] == "worksites":
                question["columns"] = [
                    c for c in question["columns"] if c["id"] != "parent_company"
                ]
        if section["id"] == "policies":
            section["questions"].append(
                {
                    "id": "policy_living_wage",
                    "text": "Does it commit to paying a living wage?",
                    "type": "yes_no_unknown",
                    "required": True,
                }
            )
    questionnaire = parse_definition(document)
    return QuestionnaireVersion.objects.create(
        key="chainproof-strt@1.1",
        questionnaire_id="chainproof-strt",
        version="1.1",
        title=old.title,
        document=document,
        layout=default_layout(questionnaire).as_document(),
        sha256="11" * 32,
    )


def test_another_version_lists_the_questions_left_unanswered_and_the_answers_dropped(answered, bob):
    qr, link = _request(
        bob,
        ref="BOR-8",
        legal_name="Lotus Garment Co., Ltd.",
        email="export@lotus.example",
        campaign="Borealis 2027",
        version=_version_1_1(),
    )
    supplier = _contact(link)
    body, token = _offer(supplier, qr, answered.workbook)
    differences = body.split('id="reuse-differences"')[1].split("</section>")[0]
    assert "version 1.0; this request asks version 1.1" in differences
    new = differences.split('id="reuse-not-in-file"')[1].split("</ul>")[0]
    assert "Does it commit to paying a living wage?" in new
    dropped = differences.split('id="reuse-dropped"')[1].split("</ul>")[0]
    assert "Anything else your customer should know" in dropped
    assert "Parent company" in dropped
    assert "Your company details in the workbook are the same" in body
    assert 'id="reuse-submit"' not in body  # a required answer is missing: a draft only
    assert "1 required answer is still missing" in body

    saved = supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "draft"}, from_page=_page(qr)
    )
    assert saved.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "in_progress"
    assert "comments" not in qr.answers
    assert "parent_company" not in qr.answers["worksites"][0]
    assert qr.answers["worksites"][0]["name"] == TYPED["worksites"][0]["name"]
    assert qr.missing == ["policy_living_wage"]
    assert not Submission.objects.filter(request=qr).exists()
    event = AuditEvent.objects.get(action="questionnaire.answers_reused")
    assert event.after["dropped"] == ["worksites.parent_company", "comments"]
    assert event.after["not_in_file"] == ["policy_living_wage"]
    assert event.after["submitted"] is False
    assert Attachment.objects.filter(request=qr, kind="workbook").count() == 1


def test_a_tampered_answer_is_refused_with_its_cell(answered, borealis):
    _, layout = strt()
    tampered = fill(answered.workbook, layout, {"signed_on": "next week"})
    qr = borealis.qr
    refused = borealis.supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(tampered, "answers.xlsx")}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    signed = layout.cells["signed_on"]
    assert f"answers.xlsx Declaration!C{signed.row}: expected a date (YYYY-MM-DD), found" in body
    assert "next week" in body
    assert not TOKEN.search(body)
    assert not Attachment.objects.filter(request=qr).exists()


def test_a_country_outside_the_list_is_refused_with_its_cell_unless_re_bound(answered, borealis):
    _, layout = strt()
    tampered = fill(answered.workbook, layout, {"company_country": "Atlantis (AT-X)"})
    qr = borealis.qr
    refused = borealis.supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(tampered, "answers.xlsx")}
    )
    assert refused.status_code == 200  # the country is re-bound to Borealis's record
    qr.refresh_from_db()
    assert qr.answers == {}
    tampered = fill(answered.workbook, layout, {"operating_countries": ["Atlantis"]})
    refused = borealis.supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(tampered, "answers.xlsx")}
    )
    assert refused.status_code == 400
    where = layout.lists["operating_countries"].cell(1)
    body = refused.content.decode()
    assert f"answers.xlsx {where}: row 1: expected a country from the list, found" in body
    assert not TOKEN.search(body)


def test_the_answered_workbook_of_the_same_request_is_read_as_before(alice, refdata):
    qr, link = _request(
        alice,
        ref="S-1",
        legal_name="Lotus Garment Co., Ltd.",
        email="lan@lotus.example",
        campaign="Acme",
    )
    supplier = _contact(link)
    assert _sent_workbook(supplier, qr, TYPED).status_code == 302
    answered = supplier.get(f"{_page(qr)}answered.xlsx")  # submitted, under review
    assert answered.status_code == 200
    analyst = CsrfClient()
    analyst.sign_in(alice)
    analyst.submit(
        f"/questionnaires/requests/{qr.pk}/",
        {"action": "comment", "question": "grievances_last_year", "text": "Please check."},
    )
    assert (
        analyst.submit(f"/questionnaires/requests/{qr.pk}/", {"action": "return"}).status_code
        == 302
    )
    _, layout = strt()
    corrected = fill(answered.content, layout, {"grievances_last_year": 15})
    again = supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(corrected, "again.xlsx")}
    )
    assert again.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["grievances_last_year"] == 15
    assert Submission.objects.filter(request=qr).count() == 2
    assert not AuditEvent.objects.filter(action="questionnaire.answers_reused").exists()
    # A blank workbook of another request is still refused.
    other, other_link = _request(
        alice, ref="S-2", legal_name="Other Co.", email="x@other.example", campaign="Acme 2"
    )
    blank = supplier.get(f"{_page(qr)}workbook.xlsx").content
    refused = _contact(other_link).submit(
        _page(other), {"action": "workbook", "file": _upload(fill(blank, layout, TYPED), "x.xlsx")}
    )
    assert f"belongs to REQ-{qr.pk}, not REQ-{other.pk}" in refused.content.decode()


def test_another_supplier_can_neither_see_nor_confirm(answered, borealis, bob):
    qr = borealis.qr
    _, token = _offer(borealis.supplier, qr, answered.workbook)
    # Another supplier of Borealis, signed in with its own link.
    other, link = _request(
        bob, ref="BOR-9", legal_name="Other Mill", email="ops@mill.example", campaign="B2"
    )
    intruder = _contact(link)
    assert intruder.get(f"/portal/requests/{answered.qr.pk}/answered.xlsx").status_code == 404
    assert intruder.get(f"/portal/requests/{qr.pk}/answered.xlsx").status_code == 404
    refused = intruder.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "submit"}, from_page=_page(other)
    )
    assert refused.status_code == 404
    # Lotus's confirmation replayed on the intruder's own request: refused, nothing stored.
    replayed = intruder.submit(
        f"{_page(other)}reuse/", {"token": token, "choice": "draft"}, from_page=_page(other)
    )
    assert replayed.status_code == 302
    assert "This confirmation has expired or is not for this request" in (
        intruder.get(_page(other)).content.decode()
    )
    forged = intruder.submit(
        f"{_page(other)}reuse/", {"token": token + "x", "choice": "draft"}, from_page=_page(other)
    )
    assert forged.status_code == 302
    for request in (qr, other):
        request.refresh_from_db()
        assert request.answers == {}
    assert not Attachment.objects.filter(request__in=[qr, other]).exists()
    # Acme's supplier contact sees nothing of Borealis's request, nor does Acme's analyst.
    assert answered.supplier.get(_page(qr)).status_code == 404
    assert answered.analyst.get(f"/questionnaires/requests/{qr.pk}/answered.xlsx").status_code == (
        404
    )


def test_a_workbook_answered_in_vietnamese_is_offered_in_spanish(answered, borealis):
    acme, qr = answered.qr, borealis.qr
    picked = answered.supplier.submit(
        "/portal/language/", {"language": "vi", "next": _page(acme)}, from_page=_page(acme)
    )
    assert picked.status_code == 302
    workbook = answered.supplier.get(f"{_page(acme)}answered.xlsx").content
    book = load_workbook(io.BytesIO(workbook))
    assert "Declaration" not in book.sheetnames  # the sheets named in Vietnamese
    assert f"REQ-{acme.pk}" in book.worksheets[0]["A2"].value
    assert "chainproof" in book.worksheets[0]["A2"].value
    assert "Your answers" not in book.worksheets[0]["A2"].value

    borealis.supplier.submit(
        "/portal/language/", {"language": "es", "next": _page(qr)}, from_page=_page(qr)
    )
    body, token = _offer(borealis.supplier, qr, workbook)
    assert "¿Usar las respuestas de otra solicitud?" in body
    assert "de Borealis Trading?" in body
    assert "Usar las respuestas y enviar" in body
    cancelled = borealis.supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "cancel"}, from_page=_page(qr)
    )
    assert cancelled.status_code == 302
    assert "no se guardó nada" in borealis.supplier.get(_page(qr)).content.decode()
    saved = borealis.supplier.submit(
        f"{_page(qr)}reuse/", {"token": token, "choice": "draft"}, from_page=_page(qr)
    )
    assert saved.status_code == 302
    qr.refresh_from_db()
    assert qr.status == "in_progress"
    assert qr.missing == []
    assert qr.answers["worksites"][1]["name"] == TYPED["worksites"][1]["name"]
    assert qr.answers["company_name"] == "Lotus Garment Company Limited"


def _with_meta(data: bytes, key: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for row in book["_chainproof"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("version", "9.9", "x.xlsx: unknown questionnaire version chainproof-strt@9.9"),
        ("state", "blank", "this workbook belongs to REQ-"),
    ],
)
def test_an_altered_identification_sheet_is_refused(answered, borealis, key, value, message):
    qr = borealis.qr
    altered = _with_meta(answered.workbook, key, value)
    refused = borealis.supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(altered, "x.xlsx")}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert message in body
    assert not TOKEN.search(body)
    assert not Attachment.objects.filter(request=qr).exists()


def test_answers_to_another_questionnaire_are_refused(answered, borealis):
    shipped = versions_sync()[0]
    document = {**copy.deepcopy(shipped.document), "id": "other-survey"}
    QuestionnaireVersion.objects.create(
        key="other-survey@1.0",
        questionnaire_id="other-survey",
        version="1.0",
        title="Another survey",
        document=document,
        layout=default_layout(parse_definition(document)).as_document(),
        sha256="22" * 32,
    )
    qr = borealis.qr
    altered = _with_meta(answered.workbook, "questionnaire", "other-survey")
    refused = borealis.supplier.submit(
        _page(qr), {"action": "workbook", "file": _upload(altered, "x.xlsx")}
    )
    assert refused.status_code == 400
    assert "found answers to another questionnaire (other-survey)" in refused.content.decode()
    assert not Attachment.objects.filter(request=qr).exists()
