"""Campaigns: a questionnaire sent to chosen suppliers, the invitations and the reminders
on the campaign's schedule. Each message goes to the outbox in the transaction that
records it, and is sent once that transaction commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record, audit_record_many
from chainproof.questionnaires.contacts import link_issue
from chainproof.questionnaires.emails import invitation_queue, reminder_queue
from chainproof.questionnaires.models import Campaign, QuestionnaireRequest, QuestionnaireVersion
from chainproof.suppliers.models import Supplier


def campaign_create(
    *,
    organization_id: int,
    actor: Any,
    name: str,
    questionnaire: QuestionnaireVersion,
    due_date: date,
    supplier_ids: Iterable[int],
    reminder_days: int = 7,
    message: str = "",
    as_of: date | None = None,
) -> Campaign:
    """A campaign and one request per chosen supplier (not yet sent). ``as_of`` dates a
    campaign recorded after the fact (the demo's past campaign): its due date must follow
    that day, and the campaign is dated then."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A campaign needs a name."})
    start = as_of or timezone.localdate()
    if due_date <= start:
        after = "today" if as_of is None else start
        raise ValidationError({"due_date": f"Expected a date after {after}, found {due_date}."})
    if not 1 <= reminder_days <= 90:
        raise ValidationError({"reminder_days": "Expected 1 to 90 days."})
    suppliers = list(
        Supplier.objects.filter(organization_id=organization_id, pk__in=list(supplier_ids))
    )
    if not suppliers:
        raise ValidationError({"suppliers": "Choose at least one supplier."})
    campaign = Campaign.objects.create(
        organization_id=organization_id,
        name=name[:200],
        questionnaire=questionnaire,
        due_date=due_date,
        reminder_days=reminder_days,
        message=message.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **(
            {"created_at": timezone.make_aware(datetime.combine(as_of, time(9)))}
            if as_of is not None
            else {}
        ),
    )
    requests = QuestionnaireRequest.objects.bulk_create(
        [
            QuestionnaireRequest(
                organization_id=organization_id,
                campaign=campaign,
                supplier=supplier,
                contact_email=supplier.contact_email,
            )
            for supplier in suppliers
        ]
    )
    audit_record(
        action="questionnaire.campaign_created",
        actor=actor,
        organization=organization_id,
        obj=campaign,
        after={
            "name": campaign.name,
            "questionnaire": questionnaire.key,
            "due_date": due_date,
            "suppliers": len(requests),
            **({"as_of": as_of} if as_of is not None else {}),
        },
    )
    return campaign


def invitations_send(
    *,
    campaign: Campaign,
    actor: Any,
    base_url: str,
    request_ids: Sequence[int] | None = None,
) -> dict[str, int]:
    """Email a personal one-time link to every supplier not yet invited (or those named);
    suppliers without a contact email are counted, not sent. The messages are queued in
    the caller's transaction and sent after it commits."""
    todo = campaign.requests.select_related(
        "supplier", "campaign__organization", "campaign__questionnaire"
    ).filter(status__in=QuestionnaireRequest.OPEN_STATUSES)
    if request_ids is not None:
        todo = todo.filter(pk__in=list(request_ids))
    else:
        todo = todo.filter(status=QuestionnaireRequest.Status.NOT_SENT)
    sent = no_email = 0
    events = []
    now = timezone.now()
    for qr in todo:
        if not qr.contact_email:
            no_email += 1
            continue
        link = link_issue(qr, base_url=base_url)
        invitation_queue(qr, link=link, actor=actor)
        if qr.status == QuestionnaireRequest.Status.NOT_SENT:
            qr.status = QuestionnaireRequest.Status.SENT
        qr.sent_at = now
        qr.updated_at = now
        qr.save(update_fields=["status", "sent_at", "token_hash", "token_expires_at", "updated_at"])
        sent += 1
        events.append(
            {
                "action": "questionnaire.invitation_sent",
                "object_type": "questionnaires.questionnairerequest",
                "object_id": qr.pk,
                "object_repr": str(qr)[:300],
                "after": {"to": qr.contact_email, "status": qr.status},
            }
        )
    audit_record_many(organization=campaign.organization_id, actor=actor, entries=events)
    return {"sent": sent, "no_email": no_email}


def reminders_send(*, base_url: str, today: date | None = None) -> int:
    """Remind every supplier whose request is open and whose last message is older than its
    campaign's reminder interval (a new one-time link each time)."""
    today = today or timezone.localdate()
    reminded = 0
    due = (
        QuestionnaireRequest.objects.select_related(
            "campaign", "supplier", "campaign__organization"
        )
        .filter(
            campaign__status=Campaign.Status.OPEN,
            status__in=("sent", "opened", "in_progress", "returned"),
            sent_at__isnull=False,
        )
        .exclude(contact_email="")
    )
    for qr in due:
        last = max(filter(None, [qr.sent_at, qr.last_reminder_at]))
        if (today - timezone.localtime(last).date()).days < qr.campaign.reminder_days:
            continue
        with transaction.atomic():
            overdue = qr.campaign.due_date < today
            reminder_queue(qr, link=link_issue(qr, base_url=base_url), overdue=overdue)
            qr.last_reminder_at = timezone.now()
            qr.reminders_sent += 1
            qr.save(
                update_fields=[
                    "token_hash",
                    "token_expires_at",
                    "last_reminder_at",
                    "reminders_sent",
                ]
            )
            audit_record(
                action="questionnaire.reminder_sent",
                organization=qr.organization_id,
                obj=qr,
                after={"to": qr.contact_email, "overdue": overdue, "count": qr.reminders_sent},
            )
        reminded += 1
    return reminded
