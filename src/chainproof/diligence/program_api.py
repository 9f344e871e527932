"""REST endpoints of the program records (policies, training, contracts, engagement,
interviews, reimbursements) and of the reasonable-care self-assessment. Reads need the
viewer role, writes the analyst role; every object is fetched through the
organization-scoped access helper."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chainproof.accounts.access import api_member, get_for_member
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Id, Pages
from chainproof.diligence.models import CareAssessment, ProgramRecord
from chainproof.diligence.program import (
    care_answer_save,
    care_assessment_complete,
    care_assessment_start,
    care_states,
    current_records,
    policy_version_add,
    program_record_save,
)
from chainproof.domain.evidence import reasonable_care

router = Router(tags=["due diligence"])


# --- program records -------------------------------------------------------------------------


class ProgramRecordOut(Schema):
    id: int
    kind: str
    title: str
    values: dict[str, Any]
    supplier_id: int | None
    facility_id: int | None
    document_ids: list[int]
    supersedes_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_document_ids(obj: ProgramRecord) -> list[int]:
        return [d.pk for d in obj.documents.all()]


class ProgramRecordIn(BodyIn):
    kind: str = Field(
        max_length=20,
        description="policy, training, contract, engagement, interview or reimbursement",
    )
    values: dict[str, Any] = Field(description="The kind's fields (see the web form)")
    supplier_id: Id | None = None
    facility_id: Id | None = None
    document_ids: list[Id] = Field([], max_length=200)


class ProgramRecordPatch(BodyIn):
    values: dict[str, Any]
    document_ids: list[Id] = Field([], max_length=200)


class ProgramFilters(Schema):
    kind: str = Field("", max_length=20)


@router.get("/program", response=list[ProgramRecordOut])
@paginate(Pages)
def program(request: HttpRequest, filters: Query[ProgramFilters]) -> Any:
    membership = api_member(request)
    return current_records(membership.organization_id, filters.kind).order_by("kind", "-pk")


@router.get("/program/{record_id}", response=ProgramRecordOut)
def program_record(request: HttpRequest, record_id: Id) -> ProgramRecord:
    membership = api_member(request)
    return get_for_member(
        membership, ProgramRecord.objects.prefetch_related("documents"), pk=record_id
    )


@router.post("/program", response={201: ProgramRecordOut})
def program_record_new(request: HttpRequest, payload: ProgramRecordIn) -> Status[ProgramRecord]:
    membership = api_member(request, Role.ANALYST)
    with transaction.atomic():
        record = program_record_save(
            organization=membership.organization_id,
            actor=membership.user,
            kind=payload.kind,
            values=payload.values,
            supplier=payload.supplier_id,
            facility=payload.facility_id,
            documents=payload.document_ids,
        )
    return Status(201, record)


@router.patch("/program/{record_id}", response=ProgramRecordOut)
def program_record_patch(
    request: HttpRequest, record_id: Id, payload: ProgramRecordPatch
) -> ProgramRecord:
    """Change a record; a policy answers 400 (add a version instead)."""
    membership = api_member(request, Role.ANALYST)
    record = get_for_member(membership, ProgramRecord, pk=record_id)
    with transaction.atomic():
        return program_record_save(
            organization=membership.organization_id,
            actor=membership.user,
            kind=record.kind,
            values=payload.values,
            supplier=record.supplier_id,
            facility=record.facility_id,
            documents=payload.document_ids,
            record=record,
        )


@router.post("/program/{record_id}/versions", response={201: ProgramRecordOut})
def policy_version_new(
    request: HttpRequest, record_id: Id, payload: ProgramRecordPatch
) -> Status[ProgramRecord]:
    membership = api_member(request, Role.ANALYST)
    policy = get_for_member(membership, ProgramRecord, pk=record_id)
    with transaction.atomic():
        record = policy_version_add(
            policy=policy,
            actor=membership.user,
            values=payload.values,
            documents=payload.document_ids,
        )
    return Status(201, record)


# --- reasonable care -------------------------------------------------------------------------


class CareAnswerOut(Schema):
    question: str
    text: str
    answer: str
    narrative: str
    owner: str
    review_on: date | None
    document_ids: list[int]


class CareGapOut(Schema):
    question: str
    text: str


class CareAssessmentOut(Schema):
    id: int
    title: str
    status: str
    score: int
    started_at: datetime
    completed_at: datetime | None
    answers: list[CareAnswerOut]
    gaps: list[CareGapOut]


class CareAnswerIn(BodyIn):
    answer: str = Field(max_length=10, description="yes, partly, no or na (does not apply)")
    narrative: str = Field("", max_length=10_000)
    owner: str = Field("", max_length=200)
    review_on: date | None = None
    document_ids: list[Id] = Field([], max_length=200)


def _care_out(assessment: CareAssessment) -> dict[str, Any]:
    states = care_states(assessment)
    rows = {a.question: a for a in assessment.answers.prefetch_related("documents")}
    return {
        "id": assessment.pk,
        "title": assessment.title,
        "status": assessment.status,
        "score": reasonable_care.score(states),
        "started_at": assessment.started_at,
        "completed_at": assessment.completed_at,
        "answers": [
            {
                "question": q.code,
                "text": q.text,
                "answer": rows[q.code].answer if q.code in rows else "",
                "narrative": rows[q.code].narrative if q.code in rows else "",
                "owner": rows[q.code].owner if q.code in rows else "",
                "review_on": rows[q.code].review_on if q.code in rows else None,
                "document_ids": [d.pk for d in rows[q.code].documents.all()]
                if q.code in rows
                else [],
            }
            for q in reasonable_care.QUESTIONS
        ],
        "gaps": [
            {"question": g.question.code, "text": g.text}
            for g in reasonable_care.gaps(states, today=timezone.localdate())
        ],
    }


@router.get("/reasonable-care", response=list[CareAssessmentOut])
def care_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    membership = api_member(request)
    found = CareAssessment.objects.filter(organization_id=membership.organization_id)
    return [_care_out(a) for a in found[:50]]


@router.get("/reasonable-care/{assessment_id}", response=CareAssessmentOut)
def care_assessment(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    membership = api_member(request)
    return _care_out(get_for_member(membership, CareAssessment, pk=assessment_id))


@router.post("/reasonable-care", response={201: CareAssessmentOut})
def care_assessment_new(request: HttpRequest) -> Status[dict[str, Any]]:
    membership = api_member(request, Role.ANALYST)
    with transaction.atomic():
        started = care_assessment_start(
            organization=membership.organization_id, actor=membership.user
        )
    return Status(201, _care_out(started))


@router.put("/reasonable-care/{assessment_id}/answers/{question}", response=CareAssessmentOut)
def care_answer(
    request: HttpRequest, assessment_id: Id, question: str, payload: CareAnswerIn
) -> dict[str, Any]:
    membership = api_member(request, Role.ANALYST)
    assessment = get_for_member(membership, CareAssessment, pk=assessment_id)
    if question not in reasonable_care.QUESTION_BY_CODE:
        raise HttpError(404, f"No question {question[:40]!r} in the checklist.")
    with transaction.atomic():
        care_answer_save(
            assessment=assessment,
            actor=membership.user,
            question=question,
            answer=payload.answer,
            narrative=payload.narrative,
            owner=payload.owner,
            review_on=payload.review_on,
            documents=payload.document_ids,
        )
    return _care_out(assessment)


@router.post("/reasonable-care/{assessment_id}/complete", response=CareAssessmentOut)
def care_complete(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    membership = api_member(request, Role.ANALYST)
    assessment = get_for_member(membership, CareAssessment, pk=assessment_id)
    with transaction.atomic():
        care_assessment_complete(assessment=assessment, actor=membership.user)
    return _care_out(assessment)
