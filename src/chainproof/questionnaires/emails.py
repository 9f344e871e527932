"""What chainproof writes to supplier contacts, in the contact's language (the one they
picked in the portal, else their country's). The texts are templates under
``questionnaires/email/``; each message is handed to the outbox, which sends it after the
transaction that records it commits."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_queue
from chainproof.questionnaires.languages import ENGLISH, for_country, name_of, supported
from chainproof.questionnaires.models import EmailPurpose, QuestionnaireRequest
from chainproof.questionnaires.versions import definition


def _render(
    qr: QuestionnaireRequest, template: str, language: str, context: dict[str, Any]
) -> tuple[str, str]:
    with translation.override(language):
        questionnaire, _ = definition(qr.campaign.questionnaire, language)
        context = {
            "campaign": qr.campaign,
            "questionnaire_title": questionnaire.title,
            "organization": qr.campaign.organization,
            "supplier": qr.supplier,
            **context,
        }
        subject = render_to_string(f"questionnaires/email/{template}_subject.txt", context)
        body = render_to_string(f"questionnaires/email/{template}.txt", context).strip()
    return subject.strip(), body


def _queue(
    qr: QuestionnaireRequest, template: str, purpose: str, actor: Any, **context: Any
) -> OutboundEmail:
    """In the contact's language once they chose one; until then in English followed by
    the language of the supplier's country (when it is one of the portal's)."""
    chosen = supported(qr.language)
    subject, body = _render(qr, template, chosen or ENGLISH, context)
    guess = for_country(qr.supplier.country)
    if chosen is None and guess != ENGLISH:
        other_subject, other_body = _render(qr, template, guess, context)
        subject = f"{subject} / {other_subject}"
        body = f"{body}\n\n— {name_of(guess)} —\n\n{other_body}"
    return email_queue(
        organization=qr.organization_id,
        to=qr.contact_email,
        subject=subject,
        body=body + "\n",
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
