"""Pages of the due-diligence program (policies, training, contracts, stakeholder
engagement, worker interviews, fee reimbursements) and of the reasonable-care
self-assessment, with its PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.diligence.care_report import care_report_pdf
from chainproof.diligence.models import CareAnswer, CareAssessment, ProgramRecord
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
from chainproof.domain.evidence.categories import CATEGORY_BY_CODE
from chainproof.domain.evidence.program import KIND_BY_CODE, KINDS, Kind, display


def _kind(code: str) -> Kind:
    kind = KIND_BY_CODE.get(code)
    if kind is None:
        raise Http404("No such kind of program record.")
    return kind


def _values(kind: Kind, post: Any) -> dict[str, Any]:
    return {
        f.name: post.getlist(f.name) if f.type == "choices" else post.get(f.name, "")
        for f in kind.fields
    }


def _document_ids(post: Any) -> str:
    return str(post.get("documents", ""))


def _columns(kind: Kind) -> list[str]:
    extra = ["Supplier"] if kind.needs_supplier else []
    extra += ["Worksite"] if kind.needs_facility else []
    return [*(f.label for f in kind.fields), *extra, "Evidence documents"]


def _cells(kind: Kind, record: ProgramRecord) -> list[str]:
    cells = [display(f, record.values.get(f.name)) for f in kind.fields]
    if kind.needs_supplier:
        cells.append(record.supplier.legal_name if record.supplier else "")
    if kind.needs_facility:
        cells.append(record.facility.name if record.facility else "")
    cells.append(", ".join(d.title for d in record.documents.all()))
    return cells


def program_index(request: HttpRequest, kind: str = "policy") -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    spec = _kind(kind)
    org = membership.organization_id
    rows = current_records(org, spec.code).order_by("-created_at", "-pk")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            f"program-{spec.code}",
            _columns(spec),
            (_cells(spec, r) for r in rows.iterator(chunk_size=500)),
        )
    error = ""
    values: dict[str, Any] = {}
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        values = _values(spec, request.POST)
        try:
            with transaction.atomic():
                record = program_record_save(
                    organization=org,
                    actor=request.user,
                    kind=spec.code,
                    values=values,
                    supplier=request.POST.get("supplier") or None,
                    facility=request.POST.get("facility") or None,
                    documents=_document_ids(request.POST),
                )
        except ValidationError as exc:
            error = _problems(spec, exc)
        else:
            messages.success(request, f"{spec.label} recorded: {record.title}.")
            return redirect("diligence:program_kind", spec.code)
    counts = {k.code: current_records(org, k.code).count() for k in KINDS}
    return render(
        request,
        "diligence/program.html",
        {
            "kind": spec,
            "kinds": [(k, counts[k.code]) for k in KINDS],
            "columns": _columns(spec),
            "rows": [(r, _cells(spec, r)) for r in rows[:500]],
            "categories": [CATEGORY_BY_CODE[c] for c in spec.categories],
            "values": values,
            "can_edit": membership.has_role(Role.ANALYST),
            "error": error,
        },
        status=400 if error else 200,
    )


def _problems(kind: Kind, exc: ValidationError) -> str:
    """What is wrong, field by field, in the form's own words."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    labels = {f.name: f.label for f in kind.fields}
    labels.update(supplier="Supplier", facility="Worksite", documents="Evidence documents")
    return "; ".join(
        f"{labels.get(name, name)}: {' '.join(errors)}" for name, errors in exc.message_dict.items()
    )


def program_record(request: HttpRequest, record_id: int) -> HttpResponse:
    membership = current_membership(request)
    record = get_for_member(
        membership,
        ProgramRecord.objects.select_related("supplier", "facility", "supersedes"),
        pk=record_id,
    )
    spec = _kind(record.kind)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        values = _values(spec, request.POST)
        try:
            with transaction.atomic():
                if spec.versioned:
                    saved = policy_version_add(
                        policy=record,
                        actor=request.user,
                        values=values,
                        documents=_document_ids(request.POST),
                    )
                else:
                    saved = program_record_save(
                        organization=membership.organization_id,
                        actor=request.user,
                        kind=spec.code,
                        values=values,
                        supplier=request.POST.get("supplier") or None,
                        facility=request.POST.get("facility") or None,
                        documents=_document_ids(request.POST),
                        record=record,
                    )
        except ValidationError as exc:
            error = _problems(spec, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("diligence:program_record", saved.pk)
    history = []
    earlier = record.supersedes
    while earlier is not None:
        history.append(earlier)
        earlier = earlier.supersedes
    newer = ProgramRecord.objects.filter(supersedes=record).first()
    return render(
        request,
        "diligence/program_record.html",
        {
            "record": record,
            "kind": spec,
            "facts": [(f, display(f, record.values.get(f.name))) for f in spec.fields],
            "history": history,
            "newer": newer,
            "documents": record.documents.all(),
            "document_ids": " ".join(str(d.pk) for d in record.documents.all()),
            "can_edit": membership.has_role(Role.ANALYST) and newer is None,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- reasonable care -------------------------------------------------------------------


def care_index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            with transaction.atomic():
                assessment = care_assessment_start(
                    organization=membership.organization_id, actor=request.user
                )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("diligence:care")
        return redirect("diligence:care_assessment", assessment.pk)
    assessments = CareAssessment.objects.filter(organization_id=membership.organization_id)
    return render(
        request,
        "diligence/care.html",
        {
            "assessments": assessments,
            "open": assessments.filter(status=CareAssessment.Status.OPEN).first(),
            "can_edit": membership.has_role(Role.ANALYST),
        },
    )


def _care_rows(assessment: CareAssessment) -> list[dict[str, Any]]:
    answers = {
        a.question: a
        for a in CareAnswer.objects.filter(assessment=assessment).prefetch_related("documents")
    }
    return [
        {
            "question": q,
            "answer": answers.get(q.code),
            "label": reasonable_care.ANSWER_LABELS.get(
                answers[q.code].answer if q.code in answers else "", "Not answered"
            ),
        }
        for q in reasonable_care.QUESTIONS
    ]


def care_assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    membership = current_membership(request)
    assessment = get_for_member(membership, CareAssessment, pk=assessment_id)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        post = request.POST
        try:
            with transaction.atomic():
                if post.get("action") == "complete":
                    care_assessment_complete(assessment=assessment, actor=request.user)
                    done = f"Completed: {assessment.score}%."
                else:
                    care_answer_save(
                        assessment=assessment,
                        actor=request.user,
                        question=post.get("question", ""),
                        answer=post.get("answer", ""),
                        narrative=post.get("narrative", ""),
                        owner=post.get("owner", ""),
                        review_on=post.get("review_on", ""),
                        documents=_document_ids(post),
                    )
                    done = "Answer saved."
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect("diligence:care_assessment", assessment.pk)
    states = care_states(assessment)
    return render(
        request,
        "diligence/care_assessment.html",
        {
            "assessment": assessment,
            "rows": _care_rows(assessment),
            "answers": reasonable_care.ANSWERS,
            "gaps": reasonable_care.gaps(states, today=timezone.localdate()),
            "score": reasonable_care.score(states),
            "can_edit": membership.has_role(Role.ANALYST)
            and assessment.status == CareAssessment.Status.OPEN,
            "error": error,
        },
        status=400 if error else 200,
    )


def care_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    membership = current_membership(request)
    assessment = get_for_member(membership, CareAssessment, pk=assessment_id)
    response = HttpResponse(care_report_pdf(assessment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="reasonable-care-{assessment.started_at:%Y-%m-%d}.pdf"'
    )
    return response
