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
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
