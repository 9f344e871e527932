"""Each member's deadline calendar: a secret address (shown once, stored only as its
SHA-256, revocable) serving an ICS feed of the deadlines of the organization's open cases."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.utils import timezone

from chainproof.accounts.models import Membership
from chainproof.audit.services import audit_record
from chainproof.cases.deadlines import case_deadlines
from chainproof.cases.models import CalendarFeed, DetentionCase
from chainproof.fileformats.calendar_ics import CalendarEvent, ics_calendar


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, membership: Membership, actor: Any) -> str:
    """A new secret address for the member; the token is returned once."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        organization_id=membership.organization_id,
        user=membership.user,
        token_hash=_hash(token),
        hint=token[:6],
    )
    audit_record(
        action="cases.calendar_created",
        actor=actor,
        organization=membership.organization_id,
        obj=feed,
        after={"hint": feed.hint},
    )
    return token


def feed_revoke(*, feed: CalendarFeed, actor: Any) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_record(
        action="cases.calendar_revoked",
        actor=actor,
        organization=feed.organization_id,
        obj=feed,
        after={"hint": feed.hint},
    )


def feed_ics(token: str) -> bytes | None:
    """The calendar behind a secret address, or None when it is unknown or revoked (or
    its member left the organization)."""
    feed = (
        CalendarFeed.objects.filter(token_hash=_hash(token or ""), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    if (
        not Membership.objects.filter(organization_id=feed.organization_id, user_id=feed.user_id)
        .exclude(role="supplier")
        .exists()
    ):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    events = []
    cases = (
        DetentionCase.objects.filter(organization_id=feed.organization_id)
        .exclude(status__in=DetentionCase.CLOSED)
        .select_related("shipment")
        .prefetch_related("overrides")
    )
    base = settings.PUBLIC_BASE_URL
    for case in cases:
        for d in case_deadlines(case):
            events.append(
                CalendarEvent(
                    uid=f"case-{case.pk}-{d.key}@chainproof",
                    day=d.due,
                    summary=f"{case}, {case.shipment}: {d.label}",
                    description=f"{d.explanation}. {d.citation}."
                    + (f" Date set by hand: {d.override_reason}" if d.overridden else ""),
                    url=f"{base}/cases/{case.pk}/",
                )
            )
    return ics_calendar("chainproof deadlines", events)
