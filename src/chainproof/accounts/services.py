"""Writes for organizations, users, memberships and API tokens. Each writes its audit event.

The caller owns the transaction: every function here must run inside
``transaction.atomic`` (audit_record enforces it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from chainproof.accounts.models import ApiToken, Membership, Organization, User
from chainproof.accounts.roles import Role
from chainproof.accounts.tokens import issue_token
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
    *, username: str, password: str, email: str = "", actor: Any = None, organization: Any = None
) -> User:
    user = User(username=username.strip(), email=email.strip())
    validate_password(password, user)
    user.full_clean(exclude=["password"])
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
    *, organization: Organization, user: User, role: str, actor: Any = None
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}; expected one of {Role.values}."})
    membership = Membership.objects.create(organization=organization, user=user, role=role)
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


def password_changed(*, user: User, organization_ids: list[int]) -> None:
    """Record a password change (the change itself is Django's) in each of the user's orgs."""
    for org_id in organization_ids or [None]:  # type: ignore[list-item]
        audit_record(
            action="user.password_changed",
            actor=user,
            organization=org_id,
            obj=user,
            after={"password_changed_at": timezone.now()},
        )


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    plaintext: str


def api_token_create(*, membership: Membership, name: str) -> CreatedToken:
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
    )
    audit_record(
        action="api_token.created",
        actor=membership.user,
        organization=membership.organization,
        obj=token,
        after=snapshot(token),
    )
    return CreatedToken(token=token, plaintext=issued.plaintext)


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
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
