"""Organizations, users, memberships and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from chainproof.accounts.roles import Role, role_at_least


class User(AbstractUser):
    """A person who signs in. What they may see depends on their memberships."""

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organization(models.Model):
    """An importer company: the tenant that owns suppliers, evidence and cases."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    supplier = models.ForeignKey(
        "suppliers.Supplier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
        help_text="For a supplier contact: the supplier whose requests it answers.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_and_org"
            )
        ]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"

    def has_role(self, minimum: str) -> bool:
        return role_at_least(self.role, minimum)

    @property
    def is_internal(self) -> bool:
        return self.role != Role.SUPPLIER


class ApiToken(models.Model):
    """A bearer token acting as one member of one organization. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: tokens made before expiry
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"


class LoginThrottle(models.Model):
    """Failed sign-ins counted per client address, per account, and per account from one
    address, within a window; a key over its limit is locked for a while. One row per key,
    so a stream of failures costs a counter, not rows or audit events."""

    class Scope(models.TextChoices):
        ADDRESS = "address", "Client address"
        ACCOUNT = "account", "Account"
        ACCOUNT_ADDRESS = "account_address", "Account from one address"
        AUDIT = "audit", "Audited failures (all clients)"

    scope = models.CharField(max_length=20, choices=Scope.choices)
    key = models.CharField(max_length=64)  # SHA-256 of the casefolded username / address
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key[:12]}…: {self.failures} failure(s)"
