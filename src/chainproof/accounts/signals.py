"""Sign-in and sign-out are security events: record them in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from chainproof.accounts.throttle import (
    client_address,
    login_failure_record,
    login_success_record,
)
from chainproof.audit.services import audit_record


def _org_ids(user: Any) -> list[int | None]:
    ids = list(user.memberships.values_list("organization_id", flat=True))
    return ids or [None]


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        for org_id in _org_ids(user):
            audit_record(action="user.logged_in", actor=user, organization=org_id, obj=user)
        login_success_record(user.get_username(), client_address(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        for org_id in _org_ids(user):
            audit_record(action="user.logged_out", actor=user, organization=org_id, obj=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Counted, and audited within bounds, by the throttle.
    login_failure_record(str(credentials.get("username", "")), client_address(request))
