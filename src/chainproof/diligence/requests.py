"""Evidence requests to suppliers: asked (from any gap, or by hand), emailed through the
outbox, answered by upload in the supplier portal, reviewed by an analyst, reminded when
overdue."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.diligence.models import EvidenceRequest
from chainproof.domain.evidence.categories import (
    CATEGORY_BY_CODE,
    RECORD_TYPE_LABELS,
    SUGGESTED_CATEGORIES,
)
from chainproof.evidence.documents import LinkTarget, document_create, document_review
from chainproof.evidence.models import DocumentLink
from chainproof.outbox.services import email_queue
from chainproof.suppliers.models import Facility, Supplier

if TYPE_CHECKING:
    from chainproof.evidence.receiving import Received

REMIND_EVERY = timedelta(days=7)


def _date(field: str, value: Any, *, required: bool = False) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: "Expected a date (YYYY-MM-DD), found nothing."})
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: f"Expected a date (YYYY-MM-DD), found {value!r}."}) from None


def _portal_link(request: EvidenceRequest) -> str:
    return f"{settings.PUBLIC_BASE_URL}/portal/evidence/{request.pk}/"


def _notify(request: EvidenceRequest, subject: str, body: str, actor: Any) -> None:
    address = (request.supplier.contact_email or "").strip()
    if not address:
        return  # no contact on file: the request waits in the portal and on the list
    email_queue(
        organization=request.organization_id,
        to=address,
        subject=subject,
        body=body,
        purpose="evidence_request",
        related=request,
        actor=actor,
    )


def evidence_request_create(
    *,
    organization: Any,
    actor: Any,
    supplier: Supplier,
    category: str,
    due_date: Any,
    title: str = "",
    facility: Facility | None = None,
    record_type: str = "other",
    period_from: Any = None,
    period_to: Any = None,
    note: str = "",
) -> EvidenceRequest:
    org = int(getattr(organization, "pk", organization))
    if supplier.organization_id != org:
        raise ValidationError({"supplier": "No such supplier in your organization."})
    if facility is not None and facility.organization_id != org:
        raise ValidationError({"facility": "No such worksite in your organization."})
    if record_type not in RECORD_TYPE_LABELS:
        raise ValidationError({"record_type": f"Unknown record type {record_type!r}."})
    if not category and SUGGESTED_CATEGORIES.get(record_type):
        category = SUGGESTED_CATEGORIES[record_type][0]  # what that record usually proves
    if category not in CATEGORY_BY_CODE:
        raise ValidationError(
            {"category": f"Expected an evidence category, found {category or 'nothing'!r}."}
        )
    waiting = EvidenceRequest.objects.filter(
        organization_id=org,
        supplier=supplier,
        facility=facility,
        category=category,
        status__in=(EvidenceRequest.Status.OPEN, EvidenceRequest.Status.RETURNED),
    ).first()
    if waiting is not None:
        raise ValidationError(
            f"{supplier} was already asked for this (request {waiting.pk}, "
            f"due {waiting.due_date:%Y-%m-%d}): follow that one up instead."
        )
    due = _date("due_date", due_date, required=True) or timezone.localdate()
    if due < timezone.localdate():
        raise ValidationError({"due_date": f"Expected a date from today on, found {due}."})
    start, end = _date("period_from", period_from), _date("period_to", period_to)
    if start and end and end < start:
        raise ValidationError({"period_to": f"Expected a date on or after {start}, found {end}."})
    if not title.strip():
        what = CATEGORY_BY_CODE[category].label
        where = f" for worksite {facility.name}" if facility else ""
        span = f", {start:%Y-%m} to {end:%Y-%m}" if start and end else ""
        title = f"{what}{where}{span}"
    request = EvidenceRequest.objects.create(
        organization_id=org,
        supplier=supplier,
        facility=facility,
        title=title.strip()[:300],
        category=category,
        record_type=record_type,
        period_from=start,
        period_to=end,
        due_date=due,
        note=str(note or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="diligence.evidence_requested",
        actor=actor,
        organization=org,
        obj=request,
        after=snapshot(request),
    )
    _notify(
        request,
        f"Document requested: {request.title}",
        (
            f"{request.title}\n\nPlease upload it by {request.due_date:%Y-%m-%d} in the "
            f"supplier portal:\n{_portal_link(request)}\n"
            + (f"\n{request.note}\n" if request.note else "")
        ),
        actor,
    )
    return request


def evidence_request_answer(
    *, request: EvidenceRequest, actor: Any, received: Received
) -> EvidenceRequest:
    """The supplier's upload: a locker document linked to the supplier, the worksite and
    the request's category; the request waits for review."""
    if request.status not in (EvidenceRequest.Status.OPEN, EvidenceRequest.Status.RETURNED):
        raise ValidationError("This request is not waiting for a document.")
    links = [LinkTarget(DocumentLink.Target.SUPPLIER, request.supplier_id)]
    if request.facility_id:
        links.append(LinkTarget(DocumentLink.Target.FACILITY, request.facility_id))
    document = document_create(
        organization=request.organization_id,
        actor=actor,
        received=received,
        metadata={
            "title": request.title,
            "record_type": request.record_type,
            **({"document_date": request.period_to} if request.period_to else {}),
        },
        categories=[request.category],
        links=links,
    )
    request.documents.add(document)
    request.status = EvidenceRequest.Status.SUBMITTED
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        action="diligence.evidence_submitted",
        actor=actor,
        organization=request.organization_id,
        obj=request,
        after={"document": document.pk, "sha256": received.sha256, "file": received.original_name},
    )
    return request


def evidence_request_decide(
    *, request: EvidenceRequest, actor: Any, accept: bool, comment: str = ""
) -> EvidenceRequest:
    if request.status != EvidenceRequest.Status.SUBMITTED:
        raise ValidationError("Only a submitted request can be accepted or returned.")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": "Say what is missing, for the supplier."})
    request.status = EvidenceRequest.Status.ACCEPTED if accept else EvidenceRequest.Status.RETURNED
    request.reviewer_comment = comment
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "reviewer_comment", "updated_at"])
    latest = request.documents.order_by("-pk").first()
    if latest is not None:
        document_review(
            document=latest,
            actor=actor,
            status="accepted" if accept else "rejected",
            comment=comment,
        )
    audit_record(
        action="diligence.evidence_decided",
        actor=actor,
        organization=request.organization_id,
        obj=request,
        after={"status": request.status, "comment": comment},
    )
    if not accept:
        _notify(
            request,
            f"Document returned: {request.title}",
            f"{comment}\n\nPlease upload a new document:\n{_portal_link(request)}\n",
            actor,
        )
    return request


def evidence_requests_remind(*, now: Any = None) -> int:
    """Weekly reminders for overdue requests (run by the worker)."""
    moment = now or timezone.now()
    reminded = 0
    waiting = EvidenceRequest.objects.filter(
        status__in=(EvidenceRequest.Status.OPEN, EvidenceRequest.Status.RETURNED),
        due_date__lt=timezone.localdate(moment),
    ).select_related("supplier")
    for request in waiting:
        if request.last_reminder_at and moment - request.last_reminder_at < REMIND_EVERY:
            continue
        with transaction.atomic():
            _remind(request, moment)
        reminded += 1
    return reminded


def _remind(request: EvidenceRequest, moment: Any) -> None:
    _notify(
        request,
        f"Reminder: document overdue: {request.title}",
        f"{request.title} was due on {request.due_date:%Y-%m-%d}.\n{_portal_link(request)}\n",
        None,
    )
    request.last_reminder_at = moment
    request.save(update_fields=["last_reminder_at"])
    audit_record(
        action="diligence.evidence_reminded",
        organization=request.organization_id,
        obj=request,
        after={"due_date": request.due_date},
    )
