"""Pages of the due-diligence program: rebuttal readiness of a product, supplier or
worksite; audits with their findings and corrective actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.diligence import selectors
from chainproof.diligence.models import Audit, CorrectiveAction, EvidenceRequest, Finding
from chainproof.diligence.readiness import (
    facility_readiness,
    product_readiness,
    supplier_readiness,
)
from chainproof.diligence.requests import evidence_request_create, evidence_request_decide
from chainproof.diligence.services import action_add, action_update, audit_create, finding_add
from chainproof.domain.evidence.categories import CATEGORIES, CATEGORY_BY_CODE, RECORD_TYPES
from chainproof.domain.evidence.readiness import GAP_NOUNS, Readiness
from chainproof.suppliers.models import Facility, Product, Supplier

_SUBJECTS: dict[str, tuple[Any, Any]] = {
    "product": (Product, product_readiness),
    "supplier": (Supplier, supplier_readiness),
    "facility": (Facility, facility_readiness),
}


def _rows(result: Readiness) -> list[dict[str, Any]]:
    """The matrix as rows (records) of cells (categories), for the template."""
    return [
        {
            "record": record,
            "cells": [result.cells.get((record.key, code)) for code in result.categories],
        }
        for record in result.records
    ]


def readiness(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    membership = current_membership(request)
    if kind not in _SUBJECTS:
        return render(
            request,
            "web/error.html",
            {"status": 404, "title": "Not found", "message": "No such record kind."},
            status=404,
        )
    model, assess = _SUBJECTS[kind]
    subject = get_for_member(membership, model, minimum=Role.VIEWER, pk=pk)
    result = assess(subject)
    return render(
        request,
        "diligence/readiness.html",
        {
            "subject": subject,
            "kind": kind,
            "result": result,
            "rows": _rows(result),
            "columns": [
                {"code": c, "label": CATEGORY_BY_CODE[c].label, "short": GAP_NOUNS.get(c, c)}
                for c in result.categories
            ],
            "counts": result.counts(),
            "can_ask": membership.has_role(Role.ANALYST),
        },
    )


def _audit_rows(org: int) -> Any:
    for audit in selectors.audits_for(org).iterator(chunk_size=200):
        findings = list(audit.findings.all())
        actions = [a for f in findings for a in f.actions.all()]
        yield [
            audit.audit_date,
            audit.supplier.legal_name,
            audit.get_kind_display(),
            "yes" if audit.announced else "no",
            audit.auditor,
            ", ".join(f.name for f in audit.facilities.all()),
            "yes" if audit.covers_recruitment_agencies else "no",
            len(findings),
            sum(a.status in CorrectiveAction.OPEN_STATUSES for a in actions),
            sum(a.is_overdue() for a in actions),
        ]


AUDIT_COLUMNS = (
    "Date",
    "Supplier",
    "Kind",
    "Announced",
    "Auditor",
    "Worksites",
    "Recruitment agencies covered",
    "Findings",
    "Open corrective actions",
    "Overdue corrective actions",
)
REQUEST_COLUMNS = ("Document asked for", "Supplier", "Worksite", "Evidence of", "Due", "Status")


def audit_index(request: HttpRequest) -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(fmt, "audits", AUDIT_COLUMNS, _audit_rows(org))
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            supplier = get_for_member(membership, Supplier, pk=request.POST.get("supplier", "0"))
            sites = [
                get_for_member(membership, Facility, pk=pk)
                for pk in request.POST.getlist("facilities")
            ]
            with transaction.atomic():
                audit = audit_create(
                    organization=org,
                    actor=request.user,
                    supplier=supplier,
                    kind=request.POST.get("kind", ""),
                    announced=request.POST.get("announced") == "on",
                    audit_date=request.POST.get("audit_date", ""),
                    auditor=request.POST.get("auditor", ""),
                    facilities=sites,
                    covers_recruitment_agencies=request.POST.get("agencies") == "on",
                    scope=request.POST.get("scope", ""),
                    report=request.POST.get("report") or None,
                )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, "Audit recorded.")
            return redirect("diligence:audit", audit.pk)
    return render(
        request,
        "diligence/audits.html",
        {
            "audits": selectors.audits_for(org)[:200],
            "overdue": selectors.overdue_actions(org)[:50],
            "kinds": Audit.Kind.choices,
            "error": error,
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    membership = current_membership(request)
    audit = get_for_member(
        membership, selectors.audits_for(membership.organization_id), pk=audit_id
    )
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            done = _act(request, membership, audit)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect("diligence:audit", audit.pk)
    return render(
        request,
        "diligence/audit.html",
        {
            "audit": audit,
            "ilo": selectors.ILO_NAMES,
            "severities": Finding.Severity.choices,
            "statuses": CorrectiveAction.Status.choices,
            "can_edit": membership.has_role(Role.ANALYST),
            "error": error,
        },
        status=400 if error else 200,
    )


def _act(request: HttpRequest, membership: Any, audit: Audit) -> str:
    action = request.POST.get("action", "")
    post = request.POST
    with transaction.atomic():
        if action == "finding":
            facility = (
                get_for_member(membership, Facility, pk=post["facility"])
                if post.get("facility")
                else None
            )
            finding_add(
                audit=audit,
                actor=request.user,
                description=post.get("description", ""),
                severity=post.get("severity", ""),
                ilo_indicators=post.getlist("ilo"),
                facility=facility,
            )
            return "Finding recorded."
        if action == "corrective":
            finding = get_for_member(membership, Finding, pk=post.get("finding", "0"), audit=audit)
            action_add(
                finding=finding,
                actor=request.user,
                action=post.get("text", ""),
                owner=post.get("owner", ""),
                due_date=post.get("due_date", ""),
            )
            return "Corrective action added."
        if action == "status":
            corrective = get_for_member(
                membership,
                CorrectiveAction,
                pk=post.get("corrective", "0"),
                finding__audit=audit,
            )
            action_update(
                corrective=corrective,
                actor=request.user,
                status=post.get("status", ""),
                verification=post.get("verification") or None,
            )
            return "Corrective action updated."
    raise ValidationError(f"Unknown action {action!r}.")


def request_index(request: HttpRequest) -> HttpResponseBase:
    """Evidence asked of suppliers; a POST asks for one (from a readiness gap or by hand)."""
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        post = request.POST
        try:
            facility = (
                get_for_member(membership, Facility, pk=post["facility"])
                if post.get("facility")
                else None
            )
            supplier = (
                facility.supplier
                if facility is not None and not post.get("supplier")
                else get_for_member(membership, Supplier, pk=post.get("supplier", "0"))
            )
            if supplier is None:
                raise ValidationError("This worksite has no supplier to ask.")
            with transaction.atomic():
                asked = evidence_request_create(
                    organization=org,
                    actor=request.user,
                    supplier=supplier,
                    facility=facility,
                    category=post.get("category", ""),
                    record_type=post.get("record_type") or "other",
                    title=post.get("title", ""),
                    due_date=post.get("due_date")
                    or (timezone.localdate() + timedelta(days=30)).isoformat(),
                    period_from=post.get("period_from"),
                    period_to=post.get("period_to"),
                    note=post.get("note", ""),
                )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, f"Asked {asked.supplier}: {asked.title}.")
            return redirect("diligence:request", asked.pk)
    asked_list = EvidenceRequest.objects.filter(organization_id=org).select_related(
        "supplier", "facility"
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            "evidence-requests",
            REQUEST_COLUMNS,
            (
                [
                    r.title,
                    r.supplier.legal_name,
                    r.facility.name if r.facility else "",
                    CATEGORY_BY_CODE[r.category].label if r.category in CATEGORY_BY_CODE else "",
                    r.due_date,
                    r.get_status_display(),
                ]
                for r in asked_list.order_by("due_date", "pk").iterator(chunk_size=500)
            ),
        )
    return render(
        request,
        "diligence/requests.html",
        {
            "requests": asked_list.order_by("status", "due_date", "pk")[:300],
            "error": error,
            "posted": request.POST if error else {},  # shown again after an error
            "categories": CATEGORIES,
            "record_types": RECORD_TYPES,
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = current_membership(request)
    asked = get_for_member(
        membership, EvidenceRequest.objects.select_related("supplier", "facility"), pk=request_id
    )
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            with transaction.atomic():
                evidence_request_decide(
                    request=asked,
                    actor=request.user,
                    accept=request.POST.get("decision") == "accept",
                    comment=request.POST.get("comment", ""),
                )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, "Decision saved.")
            return redirect("diligence:request", asked.pk)
    return render(
        request,
        "diligence/request.html",
        {
            "asked": asked,
            "category_label": CATEGORY_BY_CODE[asked.category].label
            if asked.category in CATEGORY_BY_CODE
            else asked.category,
            "documents": asked.documents.order_by("-pk"),
            "category": CATEGORY_BY_CODE.get(asked.category),
            "can_edit": membership.has_role(Role.ANALYST),
            "error": error,
        },
        status=400 if error else 200,
    )
