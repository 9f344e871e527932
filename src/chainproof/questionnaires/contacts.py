"""Supplier contacts: personal links (valid until they expire), the account and
membership a link creates on first use, a new link on request, and what a contact does
with its account."""

from __future__ import annotations

import secrets
from base64 import urlsafe_b64encode
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from chainproof.accounts.models import Membership, User
from chainproof.accounts.roles import Role
from chainproof.accounts.services import membership_create, user_create
from chainproof.audit.services import audit_record
from chainproof.domain.hashing import sha256_bytes
from chainproof.outbox.models import OutboundEmail
from chainproof.questionnaires.emails import new_link_queue
from chainproof.questionnaires.models import EmailPurpose, QuestionnaireRequest

TOKEN_DAYS_AFTER_DUE = 30
# A link sent on request (or re-sent after its expiry) lasts at least this long.
TOKEN_MIN_DAYS = 14
# "Send me a new link": at most one message per request in this interval, and this many a day.
NEW_LINK_INTERVAL = timedelta(minutes=10)
NEW_LINKS_PER_DAY = 5


class InvitationInvalid(Exception):
    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def _token_hash(token: str) -> str:
    return sha256_bytes(token.encode("utf-8"))


def _token_for(qr: QuestionnaireRequest) -> str:
    """The link's secret: derived from the request and the link's expiry with the
    instance's secret key (never stored; only its SHA-256 is), so a reminder can send the
    same working link again instead of killing the one in the earlier message."""
    expires = qr.token_expires_at
    value = f"{qr.pk}:{int(expires.timestamp()) if expires else 0}"
    digest = salted_hmac("chainproof.questionnaires.invitation", value, algorithm="sha256")
    return urlsafe_b64encode(digest.digest()).decode("ascii").rstrip("=")


def _expiry(qr: QuestionnaireRequest, now: datetime) -> datetime:
    after_due = timezone.make_aware(
        datetime.combine(
            qr.campaign.due_date + timedelta(days=TOKEN_DAYS_AFTER_DUE), datetime.min.time()
        )
    )
    return max(after_due, (now + timedelta(days=TOKEN_MIN_DAYS)).replace(microsecond=0))


def link_issue(qr: QuestionnaireRequest, *, base_url: str) -> str:
    """The request's personal link (the caller saves ``token_hash`` and
    ``token_expires_at``): the current one while it is valid, else a new one. A link
    signs its contact in each time it is used, until it expires."""
    now = timezone.now()
    if not qr.token_hash or qr.token_expires_at is None or qr.token_expires_at <= now:
        qr.token_expires_at = _expiry(qr, now)
    token = _token_for(qr)
    qr.token_hash = _token_hash(token)
    return f"{base_url.rstrip('/')}/portal/invite/{token}/"


def _by_token(token: str, *, lock: bool = False) -> QuestionnaireRequest | None:
    if not token or len(token) > 200:
        return None
    requests = QuestionnaireRequest.objects.select_related(
        "supplier", "campaign", "campaign__organization"
    )
    if lock:
        requests = requests.select_for_update()
    return requests.filter(token_hash=_token_hash(token)).first()


def invitation_check(token: str) -> QuestionnaireRequest:
    """The request a link is for, if it may still sign in (reads only: a link scanner's
    GET or HEAD changes nothing)."""
    qr = _by_token(token)
    if qr is None:
        raise InvitationInvalid(_("This link is not valid: it may be mistyped or replaced."))
    if qr.token_expires_at is None or qr.token_expires_at <= timezone.now():
        raise InvitationInvalid(_("This link has expired."), expired=True)
    return qr


def _own_contact(qr: QuestionnaireRequest, email: str) -> User | None:
    """The account a link may sign in again: one that is already this supplier's contact
    in this organization, under this email, and nothing else anywhere (no other
    membership, no staff or superuser flag)."""
    candidates = (
        User.objects.filter(
            is_active=True,
            is_staff=False,
            is_superuser=False,
            email__iexact=email,
            memberships__organization_id=qr.organization_id,
            memberships__role=Role.SUPPLIER,
            memberships__supplier_id=qr.supplier_id,
        )
        .distinct()
        .order_by("pk")
    )
    for user in candidates:
        if Membership.objects.filter(user=user).count() == 1:
            return user
    return None


def _contact_username(email: str, qr: QuestionnaireRequest) -> str:
    """The contact's email as its username when no account has it yet; otherwise a
    generated one, which the portal shows the contact when it sets a password."""
    if not User.objects.filter(username__iexact=email).exists():
        return email
    while True:
        username = f"contact-{qr.supplier_id}-{secrets.token_hex(4)}"
        if not User.objects.filter(username=username).exists():
            return username


def _contact_account(qr: QuestionnaireRequest) -> User:
    """The supplier contact a link signs in: only ever the contact it was made for.

    That is an account already this supplier's contact in this organization under the
    request's email (see ``_own_contact``), or, on first use, a new account created (and
    audited) for this contact with a membership for this supplier only.

    An account that merely has the contact's email as its username or address (an
    internal member here, anyone of another organization, an administrator, an account
    without membership) is never signed in, and is never given the membership: the email
    address an analyst types is not proof of who owns an account. We create a distinct
    contact account rather than refuse the invitation, because refusing would tell an
    analyst which addresses have accounts on this instance (other organizations'
    people included), and a real supplier contact who answers two importers must be
    able to answer both; each importer's contact account sees that importer's requests
    only. The account's username is then generated (the email is kept as its address).
    """
    email = qr.contact_email.strip().lower()
    user = _own_contact(qr, email)
    if user is not None:
        return user
    try:
        user = user_create(
            username=_contact_username(email, qr),
            email=email,
            password=None,
            organization=qr.organization_id,
        )
    except ValidationError as exc:
        raise InvitationInvalid(
            _(
                "The contact address of this request (%(email)s) is not valid; ask the "
                "company that sent the questionnaire to correct it."
            )
            % {"email": email}
        ) from exc
    membership_create(
        organization=qr.campaign.organization,
        user=user,
        role=Role.SUPPLIER,
        supplier=qr.supplier,
    )
    return user


def invitation_open(token: str) -> tuple[User, QuestionnaireRequest]:
    """Sign in with a personal link (a person pressed the button; never on a bare GET):
    the supplier contact it was made for (created on first use) and its request. The
    link keeps working until it expires; each use is audited."""
    with transaction.atomic():
        qr = _by_token(token, lock=True)
        if qr is None or invitation_check(token).pk != qr.pk:
            raise InvitationInvalid(_("This link is not valid: it may be mistyped or replaced."))
        user = _contact_account(qr)
        now = timezone.now()
        before = qr.status
        if qr.status in (QuestionnaireRequest.Status.NOT_SENT, QuestionnaireRequest.Status.SENT):
            qr.status = QuestionnaireRequest.Status.OPENED
        qr.opened_at = qr.opened_at or now
        qr.updated_at = now
        qr.save(update_fields=["status", "opened_at", "updated_at"])
        audit_record(
            action="questionnaire.invitation_opened",
            actor=user,
            organization=qr.organization_id,
            obj=qr,
            before={"status": before},
            after={"status": qr.status, "contact": user.get_username()},
        )
    return user, qr


def new_link_request(token: str, *, base_url: str) -> None:
    """ "Send me a new link" from a dead-end page: a link (the current one, or a new one
    if it expired) to the address on file for the request this token was made for, through
    the outbox, audited. Unknown tokens send and record nothing; a request gets at most
    one such message per ``NEW_LINK_INTERVAL`` and ``NEW_LINKS_PER_DAY`` a day. The caller
    answers the same in every case, so the answer tells nothing about the token."""
    with transaction.atomic():
        qr = _by_token(token, lock=True)
        if qr is None or not qr.contact_email:
            return
        now = timezone.now()
        recent = OutboundEmail.objects.filter(
            related_type=QuestionnaireRequest._meta.label_lower,
            related_id=str(qr.pk),
            purpose=EmailPurpose.NEW_LINK,
            created_at__gt=now - timedelta(days=1),
        ).values_list("created_at", flat=True)
        if len(recent) >= NEW_LINKS_PER_DAY or any(t > now - NEW_LINK_INTERVAL for t in recent):
            return
        link = link_issue(qr, base_url=base_url)
        new_link_queue(qr, link=link, expires_at=qr.token_expires_at)
        qr.updated_at = now
        qr.save(update_fields=["token_hash", "token_expires_at", "updated_at"])
        audit_record(
            action="questionnaire.link_resent",
            actor_label="anonymous (send me a new link)",
            organization=qr.organization_id,
            obj=qr,
            after={"to": qr.contact_email, "expires_at": qr.token_expires_at},
        )


def request_opened(*, qr: QuestionnaireRequest, actor: Any) -> None:
    """The supplier opened a request it was sent (signed in without the link)."""
    if qr.status != QuestionnaireRequest.Status.SENT:
        return
    qr.status = QuestionnaireRequest.Status.OPENED
    qr.opened_at = timezone.now()
    qr.save(update_fields=["status", "opened_at"])
    audit_record(
        action="questionnaire.opened",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"status": qr.status},
    )


def contact_password_set(*, user: User, password: str, organization_id: int) -> None:
    """A contact who came by invitation link sets a password (already validated) to sign
    in again later."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        action="accounts.password_set",
        actor=user,
        organization=organization_id,
        obj=user,
        after={"by": "supplier contact"},
    )


def contact_language_set(
    *, user: Any, organization_id: int, supplier_id: int, language: str
) -> int:
    """The contact picked a language in the portal: their requests (those sent to their
    address) remember it, so the next emails and workbooks are in it. Returns how many
    requests changed."""
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return 0
    changed = list(
        QuestionnaireRequest.objects.filter(
            organization_id=organization_id,
            supplier_id=supplier_id,
            contact_email__iexact=email,
        ).exclude(language=language)
    )
    for qr in changed:
        before = qr.language
        qr.language = language
        qr.save(update_fields=["language"])
        audit_record(
            action="questionnaire.language_set",
            actor=user,
            organization=organization_id,
            obj=qr,
            before={"language": before},
            after={"language": language},
        )
    return len(changed)
