"""Writes for organizations, users, memberships and API tokens. Each writes its audit event.

The caller owns the transaction: every function here must run inside
``transaction.atomic`` (audit_record enforces it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from chainproof.accounts.mail import mail_queue
from chainproof.accounts.models import ApiToken, Membership, Organization, User
from chainproof.accounts.roles import Role
from chainproof.accounts.tokens import issue_token
from chainproof.audit.models import AuditEvent
from chainproof.audit.services import audit_record, snapshot

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Importer Inc. (invented)"
DEMO_ADMIN = "admin"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def organization_create(
    *, name: str, actor: Any = None, slug: str | None = None, is_demo: bool = False
) -> Organization:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An organization needs a name."})
    org = Organization.objects.create(name=name, slug=slug or _unique_slug(name), is_demo=is_demo)
    audit_record(
        action="organization.created", actor=actor, organization=org, obj=org, after=snapshot(org)
    )
    return org


def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    actor: Any = None,
    organization: Any = None,
) -> User:
    """A new account; ``password=None`` gives one that cannot sign in with a password
    (a supplier contact who came by invitation link, until it sets one)."""
    user = User(username=username.strip(), email=email.strip())
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
    user.full_clean(exclude=["password"])
    if password is not None:
        user.set_password(password)
    user.save()
    audit_record(
        action="user.created",
        actor=actor,
        organization=organization,
        obj=user,
        after=snapshot(user, ["username", "email", "is_active"]),
    )
    return user


def membership_create(
    *,
    organization: Organization,
    user: User,
    role: str,
    actor: Any = None,
    supplier: Any = None,
) -> Membership:
    """A user joins an organization; a supplier contact (``Role.SUPPLIER``) names the
    supplier of the organization whose requests it answers (a ``suppliers.Supplier``;
    accounts sits below suppliers, so it is not imported here)."""
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; expected one of {Role.values}."})
    if (role == Role.SUPPLIER) != (supplier is not None):
        raise ValidationError({"supplier": "A supplier contact, and only one, names its supplier."})
    if supplier is not None and supplier.organization_id != organization.pk:
        raise ValidationError({"supplier": "The supplier belongs to another organization."})
    membership = Membership.objects.create(
        organization=organization, user=user, role=role, supplier=supplier
    )
    audit_record(
        action="membership.created",
        actor=actor,
        organization=organization,
        obj=membership,
        after=snapshot(membership),
    )
    return membership


def membership_set_role(*, membership: Membership, role: str, actor: Any) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; expected one of {Role.values}."})
    before = snapshot(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        action="membership.role_changed",
        actor=actor,
        organization=membership.organization_id,
        obj=membership,
        before=before,
        after=snapshot(membership),
    )
    return membership


def password_changed(*, user: User, organization_ids: list[int], how: str = "changed") -> None:
    """Record a password change or reset (the change itself is Django's) in each of the
    user's orgs, and revoke the user's API tokens: whoever knew the old password may have
    made one."""
    for org_id in organization_ids or [None]:  # type: ignore[list-item]
        audit_record(
            action=f"user.password_{how}",
            actor=user,
            organization=org_id,
            obj=user,
            after={"password_changed_at": timezone.now()},
        )
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        api_token_revoke(token=token, actor=user, reason=f"password {how}")


RESET_EMAILS_PER_ADDRESS = 3
RESET_WINDOW = timedelta(hours=1)
RESET_PURPOSE = "accounts.password_reset"


def reset_requests_since(to: str, since: datetime) -> QuerySet[AuditEvent]:
    """The password resets asked for ``to`` since then, in every organization."""
    return AuditEvent.objects.filter(
        action="user.password_reset_requested", after__to=to, created_at__gt=since
    )


def password_reset_request(*, user: User, to: str, subject: str, body: str) -> bool:
    """Queue a password-reset message through the outbox, audited; at most
    ``RESET_EMAILS_PER_ADDRESS`` an address per ``RESET_WINDOW`` (False: not sent). A
    user without membership gets none (there is no organization to send it for)."""
    membership = user.memberships.order_by("pk").first()
    if membership is None:
        return False
    to = to.strip().lower()
    recent = reset_requests_since(to, timezone.now() - RESET_WINDOW).count()
    if recent >= RESET_EMAILS_PER_ADDRESS:
        return False
    mail_queue(
        organization=membership.organization_id,
        to=to,
        subject=subject,
        body=body,
        purpose=RESET_PURPOSE,
        related=user,
    )
    audit_record(
        action="user.password_reset_requested",
        actor_label="anonymous (password reset)",
        organization=membership.organization_id,
        obj=user,
        after={"to": to},
    )
    return True


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    plaintext: str


TOKEN_LIFETIMES_DAYS = (30, 90, 365)


def api_token_create(*, membership: Membership, name: str, days: int | None = None) -> CreatedToken:
    """A token for one member's API access, valid ``days`` (the instance default if None).
    Supplier contacts get none: they answer in the portal."""
    if not membership.is_internal:
        raise PermissionDenied("Supplier contacts answer in the portal; they have no API tokens.")
    days = days or settings.API_TOKEN_DAYS
    if days not in (*TOKEN_LIFETIMES_DAYS, settings.API_TOKEN_DAYS):
        raise ValidationError(
            {"days": f"Choose a lifetime of {', '.join(map(str, TOKEN_LIFETIMES_DAYS))} days."}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name that says where it is used."})
    if len(name) > 100:
        raise ValidationError({"name": "A token name has at most 100 characters."})
    issued = issue_token()
    token = ApiToken.objects.create(
        user=membership.user,
        organization=membership.organization,
        name=name,
        prefix=issued.prefix,
        key_hash=issued.key_hash,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        action="api_token.created",
        actor=membership.user,
        organization=membership.organization,
        obj=token,
        after=snapshot(token),
    )
    return CreatedToken(token=token, plaintext=issued.plaintext)


def api_token_revoke(*, token: ApiToken, actor: User, reason: str = "") -> ApiToken:
    """Revoke a token (its owner, or an admin of its organization: the caller checks)."""
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.revoked_reason = (reason or f"revoked by {actor.get_username()}")[:200]
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        action="api_token.revoked",
        actor=actor,
        organization=token.organization_id,
        obj=token,
        before=before,
        after=snapshot(token),
    )
    return token


@dataclass(frozen=True)
class DemoSetup:
    organization: Organization
    created: bool
    username: str
    password: str | None


def demo_organization_ensure() -> DemoSetup:
    """Create the demo organization and its admin once; later calls change nothing."""
    existing = Organization.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoSetup(existing, created=False, username=DEMO_ADMIN, password=None)
    org = organization_create(name=DEMO_NAME, slug=DEMO_SLUG, is_demo=True)
    password: str | None = secrets.token_urlsafe(12)
    user = User.objects.filter(username=DEMO_ADMIN).first()
    if user is None:
        user = user_create(username=DEMO_ADMIN, password=str(password), organization=org)
    else:
        password = None  # an existing account keeps its password
    membership_create(organization=org, user=user, role=Role.ADMIN)
    return DemoSetup(org, created=True, username=DEMO_ADMIN, password=password)
