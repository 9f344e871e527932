"""Writing the records of the due-diligence program (policies, training, contracts,
stakeholder engagement, worker interviews, fee reimbursements) and the reasonable-care
self-assessment. Each write is audited in the caller's transaction; every supplier,
worksite and document named must belong to the organization."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.diligence.models import CareAnswer, CareAssessment, ProgramRecord
from chainproof.domain.evidence import reasonable_care
from chainproof.domain.evidence.program import KIND_BY_CODE, Kind, ProgramError, clean, title_of
from chainproof.evidence.documents import document_numbers
from chainproof.evidence.models import Document
from chainproof.suppliers.models import Facility, Supplier


def _org(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _kind(code: str) -> Kind:
    kind = KIND_BY_CODE.get(code)
    if kind is None:
        raise ValidationError(
            {"kind": f"Expected one of {', '.join(KIND_BY_CODE)}, found {code!r}."}
        )
    return kind


def _owned(model: Any, org: int, pk: Any, field: str, label: str) -> Any:
    if pk in (None, ""):
        return None
    key = getattr(pk, "pk", pk)
    if not str(key).isdigit():
        raise ValidationError({field: f"Expected a {label} number, found {key!r}."})
    found = model.objects.filter(organization_id=org, pk=int(key)).first()
    if found is None:
        raise ValidationError({field: f"No {label} {key} in your organization."})
    return found


def _documents(org: int, ids: Iterable[Any]) -> list[Document]:
    wanted = document_numbers(ids)
    found = list(
        Document.objects.filter(organization_id=org, pk__in=wanted, deleted_at__isnull=True)
    )
    missing = sorted(set(wanted) - {d.pk for d in found})
    if missing:
        raise ValidationError({"documents": f"No document {missing[0]} in your organization."})
    return found


def program_record_save(
    *,
    organization: Any,
    actor: Any,
    kind: str,
    values: Mapping[str, Any],
    supplier: Any = None,
    facility: Any = None,
    documents: Iterable[Any] = (),
    record: ProgramRecord | None = None,
) -> ProgramRecord:
    """Create a record, or change one (``record``). A policy is never changed in place:
    use ``policy_version_add``."""
    org = _org(organization)
    spec = _kind(record.kind if record is not None else kind)
    if record is not None and spec.versioned:
        raise ValidationError("A policy is not changed in place: add a new version.")
    try:
        cleaned = clean(spec, values, today=timezone.localdate())
    except ProgramError as exc:
        raise ValidationError(exc.errors) from None
    found_supplier = _owned(Supplier, org, supplier, "supplier", "supplier")
    found_facility = _owned(Facility, org, facility, "facility", "worksite")
    if found_facility is not None and found_supplier is None:
        found_supplier = found_facility.supplier
    if spec.needs_supplier and found_supplier is None:
        raise ValidationError({"supplier": f"A {spec.label.lower()} names its supplier."})
    if spec.needs_facility and found_facility is None:
        raise ValidationError({"facility": f"{spec.label} name the worksite they were held at."})
    proof = _documents(org, documents)
    before = None if record is None else {"title": record.title, "values": record.values}
    if record is None:
        record = ProgramRecord(organization_id=org, kind=spec.code, created_by=_person(actor))
    record.title = title_of(spec, cleaned)
    record.values = cleaned
    record.supplier = found_supplier
    record.facility = found_facility
    record.updated_at = timezone.now()
    record.save()
    record.documents.set(proof)
    audit_record(
        action="diligence.program_record_saved",
        actor=actor,
        organization=org,
        obj=record,
        before=before,
        after={
            "kind": spec.code,
            "title": record.title,
            "values": cleaned,
            "supplier": record.supplier_id,
            "facility": record.facility_id,
            "documents": [d.pk for d in proof],
        },
    )
    return record


def policy_version_add(
    *, policy: ProgramRecord, actor: Any, values: Mapping[str, Any], documents: Iterable[Any] = ()
) -> ProgramRecord:
    """A new version of a policy; the earlier one stays, superseded."""
    if policy.kind != ProgramRecord.Kind.POLICY:
        raise ValidationError("Only a policy has versions.")
    if ProgramRecord.objects.filter(supersedes=policy).exists():
        raise ValidationError("This version was superseded already: add to the current one.")
    spec = _kind(policy.kind)
    try:
        cleaned = clean(spec, values, today=timezone.localdate())
    except ProgramError as exc:
        raise ValidationError(exc.errors) from None
    if cleaned.get("version") == policy.values.get("version"):
        raise ValidationError(
            {"version": f"Expected a new version, found {cleaned['version']!r} again."}
        )
    record = ProgramRecord.objects.create(
        organization_id=policy.organization_id,
        kind=policy.kind,
        title=title_of(spec, cleaned),
        values=cleaned,
        supersedes=policy,
        created_by=_person(actor),
    )
    record.documents.set(_documents(policy.organization_id, documents))
    audit_record(
        action="diligence.policy_version_added",
        actor=actor,
        organization=policy.organization_id,
        obj=record,
        before={"version": policy.values.get("version"), "record": policy.pk},
        after={"version": cleaned.get("version"), "values": cleaned},
    )
    return record


def current_records(organization_id: int, kind: str = "") -> QuerySet[ProgramRecord]:
    """The program's records, without the policy versions that were superseded."""
    rows = ProgramRecord.objects.filter(organization_id=organization_id).filter(
        superseded_by__isnull=True
    )
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("supplier", "facility").prefetch_related("documents")


# --- the reasonable-care self-assessment ----------------------------------------------


def care_assessment_start(*, organization: Any, actor: Any) -> CareAssessment:
    """A new assessment, carrying over the last one's answers (to be reviewed), so a
    yearly review starts from what was true last year."""
    org = _org(organization)
    if CareAssessment.objects.filter(organization_id=org, status="open").exists():
        raise ValidationError("An assessment is in progress: complete it first.")
    previous = CareAssessment.objects.filter(organization_id=org).first()
    today = timezone.localdate()
    assessment = CareAssessment.objects.create(
        organization_id=org,
        title=f"Reasonable-care self-assessment {today:%Y-%m-%d}",
        started_by=_person(actor),
    )
    earlier = {a.question: a for a in previous.answers.all()} if previous else {}
    for question in reasonable_care.QUESTIONS:
        before = earlier.get(question.code)
        answer = CareAnswer.objects.create(
            assessment=assessment,
            question=question.code,
            answer=before.answer if before else "",
            narrative=before.narrative if before else "",
            owner=before.owner if before else "",
            review_on=before.review_on if before else None,
            updated_by=_person(actor),
        )
        if before is not None:
            answer.documents.set(before.documents.filter(deleted_at__isnull=True))
    audit_record(
        action="diligence.care_assessment_started",
        actor=actor,
        organization=org,
        obj=assessment,
        after={"title": assessment.title, "carried_over_from": previous.pk if previous else None},
    )
    return assessment


def _review_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            {"review_on": f"Expected a date (YYYY-MM-DD), found {value!r}."}
        ) from None


def care_answer_save(
    *,
    assessment: CareAssessment,
    actor: Any,
    question: str,
    answer: str,
    narrative: str = "",
    owner: str = "",
    review_on: Any = None,
    documents: Iterable[Any] = (),
) -> CareAnswer:
    if assessment.status != CareAssessment.Status.OPEN:
        raise ValidationError("This assessment is completed; start a new one to change answers.")
    if question not in reasonable_care.QUESTION_BY_CODE:
        raise ValidationError({"question": f"No question {question!r} in the checklist."})
    if answer not in reasonable_care.ANSWER_LABELS and answer != "":
        expected = ", ".join(reasonable_care.ANSWER_LABELS)
        raise ValidationError({"answer": f"Expected one of {expected}, found {answer!r}."})
    row = CareAnswer.objects.get(assessment=assessment, question=question)
    before = {"answer": row.answer, "owner": row.owner}
    row.answer = answer
    row.narrative = str(narrative or "").strip()[:10_000]
    row.owner = str(owner or "").strip()[:200]
    row.review_on = _review_date(review_on)
    row.updated_by = _person(actor)
    row.updated_at = timezone.now()
    row.save()
    row.documents.set(_documents(assessment.organization_id, documents))
    audit_record(
        action="diligence.care_answer_saved",
        actor=actor,
        organization=assessment.organization_id,
        obj=assessment,
        before=before,
        after={
            "question": question,
            "answer": answer,
            "owner": row.owner,
            "documents": list(row.documents.values_list("pk", flat=True)),
        },
    )
    return row


def care_states(assessment: CareAssessment) -> dict[str, reasonable_care.CareAnswerState]:
    return {
        a.question: reasonable_care.CareAnswerState(
            answer=a.answer,
            narrative=a.narrative,
            evidence_count=len(a.documents.all()),
            owner=a.owner,
            review_on=a.review_on,
        )
        for a in assessment.answers.prefetch_related("documents")
    }


def care_assessment_complete(*, assessment: CareAssessment, actor: Any) -> CareAssessment:
    """Close the assessment with its score; unanswered questions are refused by name."""
    if assessment.status != CareAssessment.Status.OPEN:
        raise ValidationError("This assessment is completed already.")
    states = care_states(assessment)
    unanswered = [q.code for q in reasonable_care.QUESTIONS if not states[q.code].answer]
    if unanswered:
        raise ValidationError(
            f"Answer every question first ({len(unanswered)} left, the first: "
            f"{reasonable_care.QUESTION_BY_CODE[unanswered[0]].text})"
        )
    assessment.status = CareAssessment.Status.COMPLETED
    assessment.score = reasonable_care.score(states)
    assessment.completed_by = _person(actor)
    assessment.completed_at = timezone.now()
    assessment.save()
    audit_record(
        action="diligence.care_assessment_completed",
        actor=actor,
        organization=assessment.organization_id,
        obj=assessment,
        after={
            "score": assessment.score,
            "gaps": len(reasonable_care.gaps(states, today=timezone.localdate())),
        },
    )
    return assessment
