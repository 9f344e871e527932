"""The one way views and API endpoints reach organization-owned objects.

Every lookup goes through ``get_for_member`` (``get_all_for_member`` for a list of ids,
in one query) or ``scoped``: the object must belong to
the member's organization, and the member's role must allow the action. Anything else
is a 404 (so other organizations' ids do not even confirm that they exist) or, for a
known object the role may not touch, a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role

M = TypeVar("M", bound=models.Model)


class NoMembership(PermissionDenied):
    """The signed-in user belongs to no organization."""


def current_membership(request: HttpRequest) -> Membership:
    """The membership the request acts as (chosen by ActiveMembershipMiddleware or a token)."""
    membership: Membership | None = getattr(request, "membership", None)
    if not membership:  # None, or a lazy object that resolved to None
        raise NoMembership("You are not a member of any organization.")
    return membership


def require_role(membership: Membership, minimum: str) -> None:
    if not membership.has_role(minimum):
        raise PermissionDenied(f"This needs the {Role(minimum).label} role or higher.")


def api_member(request: HttpRequest, minimum: str = Role.VIEWER) -> Membership:
    """The membership an API call was authenticated as (bearer token or session), if its
    role is at least ``minimum``; PermissionDenied otherwise."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, minimum)
    return membership


def scoped(
    membership: Membership,
    model_or_queryset: type[M] | models.QuerySet[M],
    *,
    minimum: str = Role.VIEWER,
    field: str = "organization",
) -> models.QuerySet[M]:
    """The objects of the member's organization, if the role may read them at all."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    if not membership.has_role(minimum):
        return queryset.none()
    return queryset.filter(**{field: membership.organization_id})


def get_for_member(
    membership: Membership,
    model_or_queryset: type[M] | models.QuerySet[M],
    *,
    minimum: str = Role.VIEWER,
    field: str = "organization",
    include_shared: bool = False,
    **lookup: Any,
) -> M:
    """One object of the member's organization, or Http404 / PermissionDenied.

    ``include_shared`` also admits objects that belong to no organization (public
    reference data), which every member may read.
    """
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    owned = Q(**{field: membership.organization_id})
    if include_shared:
        owned |= Q(**{f"{field}__isnull": True})
    try:
        obj = queryset.filter(owned).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("No such object in your organization.") from None
    if not membership.has_role(minimum):
        if not membership.is_internal:
            raise Http404("No such object in your organization.")
        raise PermissionDenied(f"This needs the {Role(minimum).label} role or higher.")
    return obj


def get_all_for_member(
    membership: Membership,
    model_or_queryset: type[M] | models.QuerySet[M],
    pks: Iterable[int],
    *,
    minimum: str = Role.VIEWER,
    field: str = "organization",
    **lookup: Any,
) -> list[M]:
    """The objects ``pks`` name (in their order, a repeated id repeated), each as
    ``get_for_member`` would fetch it, in one query: Http404 if one is missing or is
    another organization's, PermissionDenied as there."""
    wanted = list(pks)
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    found = {
        obj.pk: obj
        for obj in queryset.filter(Q(**{field: membership.organization_id})).filter(
            pk__in=set(wanted), **lookup
        )
    }
    if any(pk not in found for pk in wanted):
        raise Http404("No such object in your organization.")
    if wanted and not membership.has_role(minimum):
        if not membership.is_internal:
            raise Http404("No such object in your organization.")
        raise PermissionDenied(f"This needs the {Role(minimum).label} role or higher.")
    return [found[pk] for pk in wanted]
