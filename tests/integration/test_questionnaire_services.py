"""Questionnaire services: versions, invitations, documents and their error paths."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.domain.questionnaire.definition import parse_definition
from chainproof.questionnaires.models import Attachment, QuestionnaireRequest, QuestionnaireVersion
from chainproof.questionnaires.services import (
    InvitationInvalid,
    NotComplete,
    _token_hash,
    campaign_create,
    definition,
    document_upload,
    draft_save,
    invitation_open,
    versions_sync,
    web_submit,
)
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


def test_the_invitation_link_signs_in_a_supplier_contact_once(request_):
    token = _with_token(request_)
    user, qr = invitation_open(token)
    assert user.username == "lan@lotus.example"
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.role, membership.supplier_id) == (Role.SUPPLIER, qr.supplier_id)
    assert qr.status == "opened"
    with pytest.raises(InvitationInvalid, match="already used"):
        invitation_open(token)
    assert AuditEvent.objects.filter(action="questionnaire.invitation_opened").count() == 1


def test_an_expired_link_is_refused(request_):
    token = _with_token(request_, expires=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationInvalid, match="expired"):
        invitation_open(token)


def test_a_link_cannot_sign_in_as_an_internal_member(request_, alice):
    request_.contact_email = alice.user.username
    request_.save()
    alice.user.username = alice.user.username.lower()
    alice.user.save()
    with pytest.raises(InvitationInvalid, match="another role"):
        invitation_open(_with_token(request_))


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("policy.exe", b"MZ\x90\x00", "Expected one of"),
        ("policy.pdf", b"<html>not a pdf</html>", "is not a .pdf file"),
        ("notes.txt", b"\x00\x01binary", "is not a text file"),
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
