"""What chainproof writes to supplier contacts. The texts are templates under
``questionnaires/email/``; each message is handed to the outbox, which sends it after the
transaction that records it commits."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_queue
from chainproof.questionnaires.models import EmailPurpose, QuestionnaireRequest


def _queue(
    qr: QuestionnaireRequest, template: str, purpose: str, actor: Any, **context: Any
) -> OutboundEmail:
    context = {
        "campaign": qr.campaign,
        "organization": qr.campaign.organization,
        "supplier": qr.supplier,
        **context,
    }
    subject = render_to_string(f"questionnaires/email/{template}_subject.txt", context)
    return email_queue(
        organization=qr.organization_id,
        to=qr.contact_email,
        subject=subject,
        body=render_to_string(f"questionnaires/email/{template}.txt", context).strip() + "\n",
        purpose=purpose,
        related=qr,
        actor=actor,
    )


def invitation_queue(qr: QuestionnaireRequest, *, link: str, actor: Any) -> OutboundEmail:
    return _queue(
        qr, "invitation", EmailPurpose.INVITATION, actor, link=link, expires_at=qr.token_expires_at
    )


def reminder_queue(qr: QuestionnaireRequest, *, link: str, overdue: bool) -> OutboundEmail:
    return _queue(qr, "reminder", EmailPurpose.REMINDER, None, link=link, overdue=overdue)


def new_link_queue(qr: QuestionnaireRequest, *, link: str, expires_at: Any) -> OutboundEmail:
    return _queue(qr, "new_link", EmailPurpose.NEW_LINK, None, link=link, expires_at=expires_at)


def corrections_queue(qr: QuestionnaireRequest, *, actor: Any) -> OutboundEmail:
    return _queue(qr, "corrections", EmailPurpose.CORRECTIONS, actor)
