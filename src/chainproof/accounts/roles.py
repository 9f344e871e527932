"""Roles of a member in an organization and what each may do."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"
    SUPPLIER = "supplier", "Supplier contact"


# Internal roles, from least to most privileged. A supplier contact is outside this
# ladder: it sees only what its own supplier record is allowed to see.
_INTERNAL_RANK = {Role.VIEWER: 1, Role.ANALYST: 2, Role.ADMIN: 3}


def role_at_least(role: str, minimum: str) -> bool:
    """True when an internal role is at least ``minimum``; supplier contacts never are."""
    if minimum == Role.SUPPLIER:
        return role == Role.SUPPLIER
    return _INTERNAL_RANK.get(Role(role), 0) >= _INTERNAL_RANK[Role(minimum)]
