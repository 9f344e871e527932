"""API authentication: a bearer token or the browser session (with CSRF on unsafe methods).

Both resolve to the Membership the request acts as; endpoints read it from request.auth
and fetch objects through chainproof.accounts.access like the pages do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from chainproof.accounts.models import ApiToken, Membership
from chainproof.accounts.tokens import split_token, token_matches

_TOUCH_EVERY = timedelta(minutes=1)


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        prefix = split_token(token)
        if prefix is None:
            return None
        record = (
            ApiToken.objects.select_related("user", "organization")
            .filter(prefix=prefix, revoked_at__isnull=True)
            .first()
        )
        if record is None or not token_matches(token, record.key_hash):
            return None
        if record.is_expired or not record.user.is_active:
            return None
        membership = (
            Membership.objects.select_related("organization", "user")
            .filter(user=record.user, organization=record.organization)
            .first()
        )
        if membership is None or not membership.is_internal:
            return None  # supplier contacts answer in the portal, never through tokens
        now = timezone.now()
        if record.last_used_at is None or now - record.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        request.membership = membership  # type: ignore[attr-defined]
        return membership


class MemberSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: Any) -> Membership | None:
        if not request.user.is_authenticated:
            return None
        membership: Membership | None = getattr(request, "membership", None)
        if membership is None or not membership.is_internal:
            return None  # supplier contacts answer in the portal, never through the API
        return membership
