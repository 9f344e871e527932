"""Sign-in throttling: wrong passwords lock the account from that address (and the address,
and the account from anywhere at higher counts); the right password is refused while locked;
an anonymous client cannot write audit events without end."""

from __future__ import annotations

import pytest
from django.test import override_settings

from chainproof.accounts.models import LoginThrottle
from chainproof.audit.models import AuditEvent
from tests.csrf_client import CsrfClient


def _try(client: CsrfClient, username: str, password: str, address: str = "203.0.113.7"):
    return client.submit(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_right_password_is_refused_after_too_many_wrong_ones(csrf_client, alice):
    for _ in range(5):
        assert _try(csrf_client, "alice", "wrong").status_code == 200  # form again
    locked = _try(csrf_client, "alice", alice.password)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in csrf_client.session
    assert AuditEvent.objects.filter(action="user.login_locked").count() == 1
    # Another address is not locked out of the account (an attacker cannot lock a person
    # out from elsewhere with five guesses), and the right password then works.
    other = CsrfClient()
    assert _try(other, "alice", alice.password, address="198.51.100.2").status_code == 302


def test_a_lock_ends_when_its_time_is_over(csrf_client, alice):
    with override_settings(LOGIN_LOCKOUT_SECONDS=1):
        for _ in range(5):
            _try(csrf_client, "alice", "wrong")
        assert _try(csrf_client, "alice", alice.password).status_code == 429
        LoginThrottle.objects.update(locked_until="2000-01-01T00:00:00Z")
        assert _try(csrf_client, "alice", alice.password).status_code == 302


def test_one_address_guessing_many_accounts_is_locked(csrf_client, alice):
    with override_settings(LOGIN_MAX_FAILURES_PER_ADDRESS=8):
        for n in range(8):
            _try(csrf_client, f"guess{n}", "wrong")
        assert _try(csrf_client, "alice", alice.password).status_code == 429


@pytest.mark.parametrize("attempts", [60])
def test_failures_are_audited_within_bounds(csrf_client, alice, attempts):
    with override_settings(LOGIN_AUDIT_FAILURES_PER_WINDOW=10, LOGIN_MAX_FAILURES_PER_ADDRESS=1000):
        for n in range(attempts):
            _try(csrf_client, f"nobody{n}", "wrong", address=f"192.0.2.{n % 250}")
    failed = AuditEvent.objects.filter(action="user.login_failed").count()
    assert failed == 10
    counted = LoginThrottle.objects.get(scope="audit", key="all").failures
    assert counted == attempts
