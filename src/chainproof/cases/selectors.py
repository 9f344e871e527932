"""Reads of shipments and cases: lists, the overview by days left, documents to suggest
as exhibits, and a case's timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.cases.deadlines import case_deadlines, next_deadline
from chainproof.cases.models import DetentionCase, Shipment
from chainproof.domain.nodes import NodeKind
from chainproof.evidence.models import Document, DocumentLink
from chainproof.suppliers.selectors import product_chain


def last_full_screening(organization_id: int) -> AuditEvent | None:
    """The last time every name of the organization was screened (its audit event says
    when and against which editions of the lists; the last its chain recorded), or None
    if never."""
    return (
        AuditEvent.objects.filter(
            organization_id=organization_id, action="screening.completed", after__scope="all"
        )
        .order_by("-seq")
        .first()
    )


def shipments_for(organization_id: int) -> QuerySet[Shipment]:
    return Shipment.objects.filter(organization_id=organization_id).prefetch_related("cases")


def cases_for(organization_id: int) -> QuerySet[DetentionCase]:
    return DetentionCase.objects.filter(organization_id=organization_id).select_related(
        "shipment", "owner", "organization"
    )


@dataclass
class OpenCase:
    case: DetentionCase
    deadline: Any  # CaseDeadline | None

    @property
    def days_left(self) -> int | None:
        return self.deadline.days_left if self.deadline else None

    @property
    def urgency(self) -> str:
        return self.deadline.urgency if self.deadline else "ok"


def open_cases_by_days_left(organization_id: int) -> list[OpenCase]:
    """Open cases, the one whose next deadline is nearest first (red under 7 days)."""
    rows = [
        OpenCase(case, next_deadline(case))
        for case in cases_for(organization_id)
        .exclude(status__in=DetentionCase.CLOSED)
        .prefetch_related("overrides")
    ]
    return sorted(rows, key=lambda r: (r.days_left is None, r.days_left or 0, r.case.number))


# Open cases grouped by the days left to their next deadline (the overview's figures and
# the filter of the case list): key -> (words, the test on days left, None when none ahead).
DAYS_LEFT_GROUPS: dict[str, tuple[str, Any]] = {
    "week": ("under 7 days left", lambda d: d is not None and d < 7),
    "three-weeks": ("7 to 20 days left", lambda d: d is not None and 7 <= d < 21),
    "later": ("21 days or more left", lambda d: d is not None and d >= 21),
    "none": ("no deadline ahead", lambda d: d is None),
}


def open_cases_due(organization_id: int, group: str) -> list[OpenCase]:
    """The open cases of one days-left group (every open case for an unknown group)."""
    rows = open_cases_by_days_left(organization_id)
    if group not in DAYS_LEFT_GROUPS:
        return rows
    test = DAYS_LEFT_GROUPS[group][1]
    return [row for row in rows if test(row.days_left)]


def _chain_targets(case: DetentionCase) -> Q:
    query = Q(pk__in=[])
    for line in case.lines.select_related("product"):
        if line.product is not None:
            chain = product_chain(line.product)
            facilities = [k.id for k in chain.depth if k.kind is NodeKind.FACILITY]
            suppliers = [k.id for k in chain.depth if k.kind is NodeKind.SUPPLIER]
            links = [e.ref for e in chain.edges if e.ref]
            query |= Q(target_type="product", target_id=line.product_id)
            query |= Q(target_type="facility", target_id__in=facilities)
            query |= Q(target_type="supplier", target_id__in=suppliers)
            query |= Q(target_type="link", target_id__in=links)
        if line.facility_id:
            query |= Q(target_type="facility", target_id=line.facility_id)
    return query


def suggested_documents(case: DetentionCase) -> QuerySet[Document]:
    """Locker documents linked to the products, worksites, suppliers and links of the
    detained lines' chains, not yet exhibits of the case."""
    linked = DocumentLink.objects.filter(organization_id=case.organization_id).filter(
        _chain_targets(case)
    )
    return (
        Document.objects.filter(
            organization_id=case.organization_id,
            deleted_at__isnull=True,
            pk__in=linked.values("document_id"),
        )
        .exclude(pk__in=case.exhibits.values("document_id"))
        .order_by("title")
    )


@dataclass
class Moment:
    when: Any
    kind: str  # "event" | "deadline"
    text: str
    who: str = ""
    upcoming: bool = False


_WORDS = {
    "cases.case_opened": "Case opened",
    "cases.case_status": "Status changed",
    "cases.case_updated": "Details changed",
    "cases.deadline_overridden": "Deadline date set by hand",
    "cases.deadline_restored": "Deadline back to the computed date",
    "cases.summary_edited": "Executive summary edited",
    "cases.task_added": "Task added",
    "cases.task_done": "Task done",
    "cases.task_reopened": "Task reopened",
    "cases.exhibit_added": "Exhibit added",
    "cases.exhibit_updated": "Exhibit changed",
    "cases.exhibit_moved": "Exhibit moved",
    "cases.exhibit_removed": "Exhibit removed",
    "cases.package_built": "Package built",
    "cases.package_filed": "Package marked as filed",
    "email.queued": "Reminder queued",
}


def _describe(event: AuditEvent) -> str:
    words = _WORDS.get(event.action, event.action)
    after = event.after if isinstance(event.after, dict) else {}
    if event.action == "cases.case_status":
        status = after.get("status", "")
        label = (
            DetentionCase.Status(status).label if status in DetentionCase.Status.values else status
        )
        words = f"Status: {label.lower()}" + (f" ({after['note']})" if after.get("note") else "")
    elif event.action == "cases.package_built":
        words = f"Package version {after.get('version')} built ({after.get('exhibits')} exhibits)"
    elif event.action == "cases.deadline_overridden":
        words += f": {after.get('due')} ({after.get('reason')})"
    elif event.object_repr and event.action != "cases.case_opened":
        words += f": {event.object_repr}"
    return words


def timeline(case: DetentionCase) -> list[Moment]:
    """What happened on the case (from its audit events, newest first) and the deadlines
    still ahead, in one list."""
    task_ids = [str(pk) for pk in case.tasks.values_list("pk", flat=True)]
    exhibit_ids = [str(pk) for pk in case.exhibits.values_list("pk", flat=True)]
    package_ids = [str(pk) for pk in case.packages.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(organization_id=case.organization_id).filter(
        Q(object_type="cases.detentioncase", object_id=str(case.pk))
        | Q(object_type="cases.casetask", object_id__in=task_ids)
        | Q(object_type="cases.exhibit", object_id__in=exhibit_ids)
        | Q(object_type="cases.evidencepackage", object_id__in=package_ids)
        | Q(action="cases.exhibit_removed", before__case_id=case.pk)
    )
    moments = [
        Moment(e.created_at, "event", _describe(e), e.actor_label)
        for e in events.order_by("-created_at")[:300]
    ]
    today = timezone.localdate()
    for d in case_deadlines(case, today=today):
        if d.due >= today:
            moments.append(
                Moment(
                    timezone.make_aware(dt.datetime.combine(d.due, dt.time(23, 59))),
                    "deadline",
                    f"{d.label} ({d.citation})",
                    upcoming=True,
                )
            )
    return sorted(moments, key=lambda m: m.when, reverse=True)
