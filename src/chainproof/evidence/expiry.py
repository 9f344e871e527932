"""Documents that expire: marked expired on the day after their valid-until date, and
announced by email to the people who keep them, a set number of days ahead."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.audit.services import audit_record
from chainproof.evidence.models import Document
from chainproof.outbox.services import email_queue


def _recipients(document: Document) -> list[str]:
    admins = Membership.objects.filter(
        organization_id=document.organization_id, role=Role.ADMIN
    ).values_list("user__email", flat=True)
    found = [document.created_by.email if document.created_by else "", *admins]
    return sorted({e.strip().lower() for e in found if e and "@" in e})


def documents_expire(*, today: dt.date | None = None) -> dict[str, int]:
    """Mark what has expired; announce what expires within the notice period. Safe to run
    twice a day: each document is announced once per valid-until date."""
    today = today or timezone.localdate()
    live = Document.objects.filter(deleted_at__isnull=True, valid_until__isnull=False)
    expired = 0
    for document in live.filter(valid_until__lt=today).exclude(status=Document.Status.EXPIRED):
        with transaction.atomic():
            before = document.status
            document.status = Document.Status.EXPIRED
            document.updated_at = timezone.now()
            document.save(update_fields=["status", "updated_at"])
            audit_record(
                action="evidence.document_expired",
                organization=document.organization_id,
                obj=document,
                before={"status": before},
                after={"status": document.status, "valid_until": document.valid_until},
            )
            expired += 1
    horizon = today + timedelta(days=settings.EVIDENCE_EXPIRY_NOTICE_DAYS)
    announced = 0
    soon = live.filter(valid_until__gte=today, valid_until__lte=horizon).select_related(
        "created_by"
    )
    for document in soon:
        if document.expiry_notice_sent_for == document.valid_until:
            continue
        with transaction.atomic():
            _announce(document, today)
            announced += 1
    return {"expired": expired, "announced": announced}


def _announce(document: Document, today: dt.date) -> None:
    days = (document.valid_until - today).days if document.valid_until else 0
    link = f"{settings.PUBLIC_BASE_URL}/evidence/{document.pk}/"
    for address in _recipients(document):
        email_queue(
            organization=document.organization_id,
            to=address,
            subject=f"Evidence expires in {days} days: {document.title}",
            body=(
                f"{document.title} is valid until {document.valid_until:%Y-%m-%d} "
                f"({days} days from today).\n\nAsk for a current document before then, "
                f"or a detention could find this evidence out of date:\n{link}\n"
            ),
            purpose="evidence_expiry",
            related=document,
        )
    Document.objects.filter(pk=document.pk).update(expiry_notice_sent_for=document.valid_until)
    audit_record(
        action="evidence.expiry_announced",
        organization=document.organization_id,
        obj=document,
        after={"valid_until": document.valid_until, "days": days},
    )


def expiring_soon(organization_id: int, today: Any = None) -> Any:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.EVIDENCE_EXPIRY_NOTICE_DAYS)
    return Document.objects.filter(
        organization_id=organization_id,
        deleted_at__isnull=True,
        valid_until__gte=today,
        valid_until__lte=horizon,
    ).order_by("valid_until")
