"""Reminders of case deadlines: an email to the case's owner (or whoever opened it) a
configurable number of days before each deadline of the importer's, once per deadline
and offset, queued in the outbox in the same transaction as the record that it was sent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.cases.deadlines import case_deadlines
from chainproof.cases.models import DetentionCase, ReminderSent
from chainproof.outbox.services import email_queue


def _recipient(case: DetentionCase) -> str:
    """The case's owner, else whoever opened it, else the organization's first admin with
    an email address: a deadline is never reminded to nobody."""
    members = Membership.objects.filter(organization_id=case.organization_id).exclude(
        role=Role.SUPPLIER
    )
    for person in (case.owner, case.created_by):
        if (
            person is not None
            and person.email
            and person.is_active
            and members.filter(user_id=person.pk).exists()
        ):
            return str(person.email)
    admin = (
        Membership.objects.filter(organization_id=case.organization_id, role=Role.ADMIN)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return str(admin.user.email) if admin else ""


def deadline_reminders_send(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    offsets = sorted(set(settings.CASE_REMINDER_DAYS), reverse=True)
    queued = 0
    cases = (
        DetentionCase.objects.exclude(status__in=DetentionCase.CLOSED)
        .select_related("shipment", "owner", "created_by")
        .prefetch_related("overrides")
    )
    for case in cases:
        to = _recipient(case)
        if not to:
            continue
        for d in case_deadlines(case, today=today):
            if d.owner != "importer" or d.days_left < 0 or d.met:
                continue
            # The nearest offset not yet passed: 14, then 7, 3, 1 (one mail per offset).
            due_offsets = [o for o in offsets if d.days_left <= o]
            if not due_offsets:
                continue
            offset = min(due_offsets)
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        case=case, rule=d.key, due=d.due, days_before=offset
                    )
                    email_queue(
                        organization=case.organization_id,
                        to=to,
                        subject=f"{case} ({case.shipment}): {d.label} on {d.due:%d %B %Y}",
                        body=(
                            f"{d.label} for {case}, {case.shipment}, is due on "
                            f"{d.due:%A %d %B %Y}"
                            f" ({'today' if d.days_left == 0 else f'in {d.days_left} days'}).\n\n"
                            f"{d.explanation}. {d.citation}.\n\n"
                            f"Open the case: {settings.PUBLIC_BASE_URL}/cases/{case.pk}/\n"
                        ),
                        purpose="case deadline",
                        related=case,
                    )
            except IntegrityError:
                continue  # sent already for this offset
            queued += 1
    return queued
