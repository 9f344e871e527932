from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# The capabilities of chainproof, in the order a compliance team works through them.
# Those not built yet are shown, greyed out, so the shape of the product is visible.
NAVIGATION = (
    ("Suppliers", "suppliers:index"),
    ("Questionnaires", "questionnaires:campaigns"),
    ("Screening", "screening:queue"),
    ("Risk", "risk:register"),
    ("Evidence", "evidence:index"),
    ("Due diligence", "diligence:audits"),
    ("Cases", "cases:index"),
    ("Statements", "statements:index"),
    ("Reference data", "reference:index"),
)


def shell(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.select_related("organization"))
    is_supplier = bool(membership) and membership.role == "supplier"  # type: ignore[union-attr]
    return {
        # A supplier contact sees only the supplier portal.
        "nav_items": (("My questionnaires", "portal:home"),) if is_supplier else NAVIGATION,
        "is_supplier": is_supplier,
        "membership": membership if membership else None,
        "memberships": memberships,
        "is_org_admin": bool(membership) and membership.has_role("admin"),  # type: ignore[union-attr]
    }
