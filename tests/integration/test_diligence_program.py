"""The due-diligence program's records (typed by kind, errors naming the field, policy
versions that keep the old one) and the reasonable-care self-assessment (carried over,
gaps in words, completed with a score, printed as a PDF that is parsed back)."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.diligence.care_report import care_report_pdf
from chainproof.diligence.models import CareAssessment, ProgramRecord
from chainproof.diligence.program import (
    care_answer_save,
    care_assessment_complete,
    care_assessment_start,
    current_records,
    policy_version_add,
    program_record_save,
)
from chainproof.domain.evidence import reasonable_care
from chainproof.evidence.documents import document_create
from chainproof.evidence.receiving import file_receive
from chainproof.suppliers.models import Facility, Supplier
from tests.supply import load_demo

POLICY = {
    "title": "Forced-labour policy",
    "version": "1.0",
    "scope": ["forced_labor", "dprk_labor"],
    "approved_by": "Mei-Ling Park",
    "approved_by_title": "Chief Executive",
    "approved_on": "2026-01-10",
}


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    return alice


def _document(member, text: str):
    received = file_receive(io.BytesIO(text.encode()), "proof.txt")
    with transaction.atomic():
        return document_create(
            organization=member.organization,
            actor=member.user,
            received=received,
            metadata={"title": text[:40]},
        )


def _save(member, kind, values, **extra):
    with transaction.atomic():
        return program_record_save(
            organization=member.organization, actor=member.user, kind=kind, values=values, **extra
        )


def test_a_policy_is_versioned_and_the_old_version_stays(demo):
    signed = _document(demo, "Policy signed by the chief executive")
    policy = _save(demo, "policy", POLICY, documents=[signed.pk])
    assert policy.title == "Forced-labour policy, 1.0"
    assert policy.values["scope"] == ["forced_labor", "dprk_labor"]
    with pytest.raises(ValidationError, match="not changed in place"):
        _save(demo, "policy", POLICY, record=policy)
    with pytest.raises(ValidationError) as same, transaction.atomic():
        policy_version_add(policy=policy, actor=demo.user, values=POLICY)
    assert "version" in same.value.message_dict

    with transaction.atomic():
        newer = policy_version_add(
            policy=policy, actor=demo.user, values={**POLICY, "version": "2.0"}
        )
    assert newer.supersedes == policy
    assert list(current_records(demo.organization.pk, "policy")) == [newer]
    assert ProgramRecord.objects.get(pk=policy.pk).values["version"] == "1.0"
    assert AuditEvent.objects.filter(action="diligence.policy_version_added").count() == 1


def test_each_wrong_field_is_named_with_what_was_expected(demo):
    with pytest.raises(ValidationError) as refused:
        _save(
            demo,
            "reimbursement",
            {
                "paid_on": "last week",
                "workers": "twelve",
                "amount": "-5",
                "currency": "",
                "verified_by": "Veritas",
            },
            supplier=Supplier.objects.get(organization=demo.organization, ref="S-VN-01").pk,
        )
    errors = refused.value.message_dict
    assert errors["paid_on"] == ["expected a date (YYYY-MM-DD), found 'last week'"]
    assert errors["workers"] == ["expected a whole number, found 'twelve'"]
    assert "expected an amount" in errors["amount"][0]
    assert errors["currency"] == ["expected a value, found nothing"]
    with pytest.raises(ValidationError, match="names its supplier"):
        _save(
            demo,
            "contract",
            {"title": "Supply agreement", "signed_on": "2026-02-01", "clauses": ["termination"]},
        )
    with pytest.raises(ValidationError, match="expected some of"):
        _save(demo, "policy", {**POLICY, "scope": ["forced_labor", "anything"]})
    assert ProgramRecord.objects.count() == 0


def test_interviews_name_their_worksite_and_records_belong_to_the_organization(demo, bob):
    load_demo(bob.organization)
    mine = Facility.objects.filter(organization=demo.organization).first()
    theirs = Facility.objects.filter(organization=bob.organization).first()
    values = {
        "held_on": "2026-03-02",
        "interviewed": "24",
        "conducted_by": "Worker Voice NGO",
        "fees_reported": "no",
    }
    with pytest.raises(ValidationError, match="No worksite"):
        _save(demo, "interview", values, facility=theirs.pk)
    record = _save(demo, "interview", values, facility=mine.pk)
    assert record.facility == mine
    assert record.supplier == mine.supplier  # the worksite's company, for the supplier's page
    assert record.values["interviewed"] == 24


def test_the_reasonable_care_assessment_finds_gaps_scores_and_prints(demo):
    org = demo.organization
    with transaction.atomic():
        first = care_assessment_start(organization=org, actor=demo.user)
    with pytest.raises(ValidationError, match="in progress"), transaction.atomic():
        care_assessment_start(organization=org, actor=demo.user)
    audit = _document(demo, "Unannounced audit report by Veritas, 2026-05")
    with transaction.atomic():
        care_answer_save(
            assessment=first,
            actor=demo.user,
            question="unannounced_audits",
            answer="yes",
            narrative="Two unannounced audits a year at tier-1 and tier-2 sites.",
            owner="Head of compliance",
            review_on=timezone.localdate() + timedelta(days=180),
            documents=[audit.pk],
        )
        care_answer_save(
            assessment=first, actor=demo.user, question="cbp_ruling", answer="no", owner=""
        )
    with pytest.raises(ValidationError, match="11 left"), transaction.atomic():
        care_assessment_complete(assessment=first, actor=demo.user)
    with transaction.atomic():
        for question in reasonable_care.QUESTIONS:
            if question.code not in ("unannounced_audits", "cbp_ruling"):
                care_answer_save(
                    assessment=first,
                    actor=demo.user,
                    question=question.code,
                    answer="partly" if question.code == "know_how_made" else "na",
                )
        care_assessment_complete(assessment=first, actor=demo.user)

    first.refresh_from_db()
    assert first.status == "completed"
    assert first.score == 50  # yes with evidence 1, partly 0.5, no 0 over 3 applicable
    with pytest.raises(ValidationError, match="completed"), transaction.atomic():
        care_answer_save(assessment=first, actor=demo.user, question="cbp_ruling", answer="yes")

    # Parsed back by PDFium, the engine of Chromium's PDF viewer.
    pdf = pypdfium2.PdfDocument(care_report_pdf(first))
    text = " ".join(page.get_textpage().get_text_range() for page in pdf).replace("\r\n", " ")
    assert "Reasonable-care self-assessment" in text
    assert "Acme Imports" in text
    assert "Unannounced audit report by Veritas" in text
    assert audit.versions.get().blob.sha256[:16] in text
    assert "Not in place" in text  # the gap of the "no"

    with transaction.atomic():
        second = care_assessment_start(organization=org, actor=demo.user)
    carried = second.answers.get(question="unannounced_audits")
    assert carried.answer == "yes"
    assert list(carried.documents.all()) == [audit]
    assert CareAssessment.objects.filter(organization=org).count() == 2
