"""Reads of outbound email."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from chainproof.outbox.models import OutboundEmail


def emails_for(organization_id: int, *, status: str = "") -> models.QuerySet[OutboundEmail]:
    """An organization's outbound email, newest first, optionally of one status."""
    emails = OutboundEmail.objects.filter(organization_id=organization_id)
    if status:
        emails = emails.filter(status=status)
    return emails.order_by("-created_at", "-pk")


def latest_for(
    related: type[models.Model], ids: Iterable[int], *, purpose: str = ""
) -> dict[int, OutboundEmail]:
    """The newest message about each of these objects (of one purpose, when given)."""
    emails = OutboundEmail.objects.filter(
        related_type=related._meta.label_lower, related_id__in=[str(i) for i in ids]
    )
    if purpose:
        emails = emails.filter(purpose=purpose)
    latest: dict[int, OutboundEmail] = {}
    for email in emails.order_by("created_at", "pk"):
        latest[int(email.related_id)] = email
    return latest
