"""REST endpoints of the due-diligence program: audits, findings and corrective actions,
evidence requests to suppliers, program records (policies, training, contracts,
engagement, interviews, reimbursements), the reasonable-care self-assessment and rebuttal
readiness. Reads need the viewer role, writes the analyst role; every object is fetched
through the organization-scoped access helper; supplier contacts have no access."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chainproof.accounts.access import api_member, get_all_for_member, get_for_member
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Id, Pages
from chainproof.diligence import selectors
from chainproof.diligence.models import (
    Audit,
    CorrectiveAction,
    EvidenceRequest,
    Finding,
)
from chainproof.diligence.readiness import (
    facility_readiness,
    product_readiness,
    supplier_readiness,
)
from chainproof.diligence.requests import evidence_request_create, evidence_request_decide
from chainproof.diligence.services import action_add, action_update, audit_create, finding_add
from chainproof.domain.evidence.readiness import Readiness
from chainproof.suppliers.models import Facility, Product, Supplier

router = Router(tags=["due diligence"])


# --- audits ------------------------------------------------------------------------------


class CorrectiveActionOut(Schema):
    id: int
    action: str
    owner: str
    due_date: date
    status: str
    overdue: bool
    verification_document_id: int | None

    @staticmethod
    def resolve_overdue(obj: CorrectiveAction) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_verification_document_id(obj: CorrectiveAction) -> int | None:
        return obj.verification_id


class FindingOut(Schema):
    id: int
    description: str
    severity: str
    ilo_indicators: list[int]
    facility_id: int | None
    actions: list[CorrectiveActionOut]

    @staticmethod
    def resolve_actions(obj: Finding) -> list[CorrectiveAction]:
        return list(obj.actions.all())


class AuditOut(Schema):
    id: int
    supplier_id: int
    kind: str
    announced: bool
    audit_date: date
    auditor: str
    facility_ids: list[int]
    covers_recruitment_agencies: bool
    scope: str
    report_document_id: int | None
    findings: list[FindingOut]

    @staticmethod
    def resolve_facility_ids(obj: Audit) -> list[int]:
        return [f.pk for f in obj.facilities.all()]

    @staticmethod
    def resolve_report_document_id(obj: Audit) -> int | None:
        return obj.report_id

    @staticmethod
    def resolve_findings(obj: Audit) -> list[Finding]:
        return list(obj.findings.all())


class AuditIn(BodyIn):
    supplier_id: Id
    kind: str = Field(max_length=20, description="internal or third_party")
    audit_date: date
    auditor: str = Field(max_length=200)
    announced: bool = True
    facility_ids: list[Id] = Field([], max_length=500)
    covers_recruitment_agencies: bool = False
    scope: str = Field("", max_length=5000)
    report_document_id: Id | None = None


class FindingIn(BodyIn):
    description: str = Field(max_length=5000)
    severity: str = Field(max_length=10, description="low, medium, high or critical")
    ilo_indicators: list[int] = Field([], max_length=11)
    facility_id: Id | None = None


class ActionIn(BodyIn):
    action: str = Field(max_length=5000)
    owner: str = Field(max_length=200)
    due_date: date


class ActionPatch(BodyIn):
    status: str = Field(max_length=20)
    verification_document_id: Id | None = None
    due_date: date | None = None


def _audits(membership: Membership) -> QuerySet[Audit]:
    return selectors.audits_for(membership.organization_id)


@router.get("/audits", response=list[AuditOut])
@paginate(Pages)
def audits(request: HttpRequest) -> Any:
    return _audits(api_member(request))


@router.get("/audits/{audit_id}", response=AuditOut)
def audit(request: HttpRequest, audit_id: Id) -> Audit:
    membership = api_member(request)
    return get_for_member(membership, _audits(membership), pk=audit_id)


@router.post("/audits", response={201: AuditOut})
def audit_new(request: HttpRequest, payload: AuditIn) -> Status[Audit]:
    membership = api_member(request, Role.ANALYST)
    supplier = get_for_member(membership, Supplier, pk=payload.supplier_id)
    sites = get_all_for_member(membership, Facility, payload.facility_ids)
    with transaction.atomic():
        created = audit_create(
            organization=membership.organization_id,
            actor=membership.user,
            supplier=supplier,
            kind=payload.kind,
            audit_date=payload.audit_date,
            auditor=payload.auditor,
            announced=payload.announced,
            facilities=sites,
            covers_recruitment_agencies=payload.covers_recruitment_agencies,
            scope=payload.scope,
            report=payload.report_document_id,
        )
    return Status(201, get_for_member(membership, _audits(membership), pk=created.pk))


@router.post("/audits/{audit_id}/findings", response={201: AuditOut})
def finding_new(request: HttpRequest, audit_id: Id, payload: FindingIn) -> Status[Audit]:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Audit, pk=audit_id)
    facility = (
        get_for_member(membership, Facility, pk=payload.facility_id)
        if payload.facility_id
        else None
    )
    with transaction.atomic():
        finding_add(
            audit=existing,
            actor=membership.user,
            description=payload.description,
            severity=payload.severity,
            ilo_indicators=payload.ilo_indicators,
            facility=facility,
        )
    return Status(201, get_for_member(membership, _audits(membership), pk=audit_id))


@router.post("/findings/{finding_id}/actions", response={201: AuditOut})
def action_new(request: HttpRequest, finding_id: Id, payload: ActionIn) -> Status[Audit]:
    membership = api_member(request, Role.ANALYST)
    finding = get_for_member(membership, Finding, pk=finding_id)
    with transaction.atomic():
        action_add(
            finding=finding,
            actor=membership.user,
            action=payload.action,
            owner=payload.owner,
            due_date=payload.due_date,
        )
    return Status(201, get_for_member(membership, _audits(membership), pk=finding.audit_id))


@router.patch("/actions/{action_id}", response=CorrectiveActionOut)
def action_patch(request: HttpRequest, action_id: Id, payload: ActionPatch) -> CorrectiveAction:
    membership = api_member(request, Role.ANALYST)
    corrective = get_for_member(membership, CorrectiveAction, pk=action_id)
    with transaction.atomic():
        return action_update(
            corrective=corrective,
            actor=membership.user,
            status=payload.status,
            verification=payload.verification_document_id,
            due_date=payload.due_date,
        )


# --- evidence requests ---------------------------------------------------------------------


class EvidenceRequestOut(Schema):
    id: int
    title: str
    supplier_id: int
    facility_id: int | None
    category: str
    record_type: str
    period_from: date | None
    period_to: date | None
    due_date: date
    status: str
    overdue: bool
    reviewer_comment: str
    document_ids: list[int]

    @staticmethod
    def resolve_overdue(obj: EvidenceRequest) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_document_ids(obj: EvidenceRequest) -> list[int]:
        return [d.pk for d in obj.documents.all()]


class EvidenceRequestIn(BodyIn):
    supplier_id: Id
    facility_id: Id | None = None
    category: str = Field(max_length=40)
    record_type: str = Field("other", max_length=40)
    title: str = Field("", max_length=300)
    due_date: date
    period_from: date | None = None
    period_to: date | None = None
    note: str = Field("", max_length=5000)


class DecisionOnEvidenceIn(BodyIn):
    accept: bool
    comment: str = Field("", max_length=5000)


def _requests(membership: Membership) -> QuerySet[EvidenceRequest]:
    return EvidenceRequest.objects.filter(
        organization_id=membership.organization_id
    ).prefetch_related("documents")


@router.get("/evidence-requests", response=list[EvidenceRequestOut])
@paginate(Pages)
def evidence_requests(request: HttpRequest) -> Any:
    return _requests(api_member(request)).order_by("due_date", "pk")


@router.get("/evidence-requests/{evidence_request_id}", response=EvidenceRequestOut)
def evidence_request(request: HttpRequest, evidence_request_id: Id) -> EvidenceRequest:
    membership = api_member(request)
    return get_for_member(membership, _requests(membership), pk=evidence_request_id)


@router.post("/evidence-requests", response={201: EvidenceRequestOut})
def evidence_request_new(
    request: HttpRequest, payload: EvidenceRequestIn
) -> Status[EvidenceRequest]:
    membership = api_member(request, Role.ANALYST)
    supplier = get_for_member(membership, Supplier, pk=payload.supplier_id)
    facility = (
        get_for_member(membership, Facility, pk=payload.facility_id, supplier=supplier)
        if payload.facility_id
        else None
    )
    with transaction.atomic():
        asked = evidence_request_create(
            organization=membership.organization_id,
            actor=membership.user,
            supplier=supplier,
            facility=facility,
            category=payload.category,
            record_type=payload.record_type,
            title=payload.title,
            due_date=payload.due_date,
            period_from=payload.period_from,
            period_to=payload.period_to,
            note=payload.note,
        )
    return Status(201, get_for_member(membership, _requests(membership), pk=asked.pk))


@router.post("/evidence-requests/{evidence_request_id}/decision", response=EvidenceRequestOut)
def evidence_request_decision(
    request: HttpRequest, evidence_request_id: Id, payload: DecisionOnEvidenceIn
) -> EvidenceRequest:
    membership = api_member(request, Role.ANALYST)
    asked = get_for_member(membership, EvidenceRequest, pk=evidence_request_id)
    with transaction.atomic():
        evidence_request_decide(
            request=asked, actor=membership.user, accept=payload.accept, comment=payload.comment
        )
    return get_for_member(membership, _requests(membership), pk=evidence_request_id)


# --- readiness ----------------------------------------------------------------------------------


class ReadinessCellOut(Schema):
    record: str
    category: str
    standing: str
    document_ids: list[int]
    why: str


class ReadinessOut(Schema):
    score: float
    method: str
    cells: list[ReadinessCellOut]
    gaps: list[str]


_READINESS: dict[str, tuple[Any, Callable[[Any], Readiness]]] = {
    "product": (Product, product_readiness),
    "supplier": (Supplier, supplier_readiness),
    "facility": (Facility, facility_readiness),
}


@router.get("/readiness/{kind}/{node_id}", response=ReadinessOut)
def readiness(request: HttpRequest, kind: str, node_id: Id) -> dict[str, Any]:
    """Covered, weak and missing evidence for a product (or supplier, or worksite) and every
    record upstream of it, with the gaps in words."""
    membership = api_member(request)
    if kind not in _READINESS:
        raise HttpError(404, "Expected product, supplier or facility.")
    model, assess = _READINESS[kind]
    subject = get_for_member(membership, model, pk=node_id)
    result = assess(subject)
    return {
        "score": result.score,
        "method": result.method,
        "cells": [
            {
                "record": f"{cell.record.kind}:{cell.record.key.id}",
                "category": cell.category,
                "standing": str(cell.standing),
                "document_ids": list(cell.documents),
                "why": cell.why,
            }
            for cell in result.cells.values()
        ],
        "gaps": [gap.text for gap in result.gaps],
    }
