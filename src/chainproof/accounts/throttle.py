"""Sign-in throttling: too many wrong passwords lock the client address, the account from
that address, or (at a higher count, against guessing from many addresses) the account,
for a configurable time; the right password is refused while locked.

Audit without letting an anonymous client write without end: a key's failures are audited
until it locks (its lock is one more event), and all clients together get at most
``LOGIN_AUDIT_FAILURES_PER_WINDOW`` audited failures a window; the rest are counted only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chainproof.accounts.models import LoginThrottle
from chainproof.audit.services import audit_record

Scope = LoginThrottle.Scope


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keys(username: str, address: str) -> dict[str, str]:
    account = username.strip().casefold()
    return {
        Scope.ADDRESS: _digest(address or "unknown"),
        Scope.ACCOUNT: _digest(account),
        Scope.ACCOUNT_ADDRESS: _digest(f"{account}\n{address or 'unknown'}"),
    }


def _limits() -> dict[str, int]:
    return {
        Scope.ADDRESS: settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
        Scope.ACCOUNT: settings.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        Scope.ACCOUNT_ADDRESS: settings.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
    }


@dataclass(frozen=True)
class Lock:
    seconds_left: int

    @property
    def message(self) -> str:
        minutes = max(1, round(self.seconds_left / 60))
        return (
            "Too many failed sign-ins. For your account's safety, signing in is paused for "
            f"about {minutes} minute{'s' if minutes != 1 else ''}; try again then, or ask an "
            "administrator."
        )


def login_lock(username: str, address: str) -> Lock | None:
    """The lock that refuses this sign-in now, if any."""
    now = timezone.now()
    latest = (
        LoginThrottle.objects.filter(
            key__in=list(_keys(username, address).values()), locked_until__gt=now
        )
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return Lock(int((latest - now).total_seconds()) + 1) if latest else None


def _counter(scope: str, key: str) -> LoginThrottle:
    row = LoginThrottle.objects.select_for_update().filter(scope=scope, key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginThrottle.objects.create(scope=scope, key=key)
    except IntegrityError:  # another request created it first
        return LoginThrottle.objects.select_for_update().get(scope=scope, key=key)


def _count(row: LoginThrottle, now: datetime, window: timedelta) -> None:
    if row.window_started_at <= now - window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1


def login_failure_record(username: str, address: str) -> None:
    """Count a wrong password; lock what passed its limit; audit within the bounds."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    attempted = username[:150]
    with transaction.atomic():
        newly_locked, still_auditing = [], True
        for scope, key in _keys(username, address).items():
            row = _counter(scope, key)
            _count(row, now, window)
            limit = _limits()[scope]
            if row.failures > limit:
                still_auditing = False  # already locked: counted only
            elif row.failures == limit:
                row.locked_until = now + window
                newly_locked.append(str(Scope(scope).label).lower())
            row.save()
        overall = _counter(Scope.AUDIT, "all")
        _count(overall, now, window)
        overall.save()
        if overall.failures > settings.LOGIN_AUDIT_FAILURES_PER_WINDOW:
            still_auditing = False
        if still_auditing:
            audit_record(
                action="user.login_failed",
                actor_label=f"anonymous (as {attempted!r})",
                object_type="accounts.user",
                object_repr=attempted,
                after={"address": address},
            )
        if newly_locked:
            audit_record(
                action="user.login_locked",
                actor_label=f"anonymous (as {attempted!r})",
                object_type="accounts.user",
                object_repr=attempted,
                after={
                    "address": address,
                    "locked": newly_locked,
                    "seconds": settings.LOGIN_LOCKOUT_SECONDS,
                },
            )


def login_success_record(username: str, address: str) -> None:
    """A right password (not locked): that account's failures from here start again."""
    keys = _keys(username, address)
    LoginThrottle.objects.filter(
        scope=Scope.ACCOUNT_ADDRESS, key=keys[Scope.ACCOUNT_ADDRESS]
    ).delete()


def client_address(request: object) -> str:
    """The client's address as the WSGI server reports it (behind a trusted proxy,
    waitress has already put the forwarded client address there)."""
    meta = getattr(request, "META", {}) or {}
    return str(meta.get("REMOTE_ADDR", ""))[:64]
