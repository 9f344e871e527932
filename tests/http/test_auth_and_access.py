"""Sign-in, login-required everywhere, CSRF, and organization isolation of pages."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from chainproof.audit.models import AuditEvent
from tests.csrf_client import csrf_refused, csrf_token_from

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "CN", "slug": "tip"}


def _page_urls():
    """Every page URL of the web app, with sample path arguments."""
    urls = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("api/"):
                    continue
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                urls.append("/" + re.sub(r"<(\w+):\w+>", lambda m: SAMPLE[m.group(1)], route))

    walk(get_resolver().url_patterns, "")
    return urls


def test_every_page_but_login_requires_sign_in(csrf_client):
    urls = _page_urls()
    assert len(urls) >= 12
    for url in urls:
        response = csrf_client.get(url)
        if url == "/accounts/login/" or url.startswith("/accounts/password/reset/"):
            assert response.status_code == 200, url  # signing in, and a forgotten password
            continue
        if url in ("/portal/invite/", "/portal/invite/new/", "/portal/language/"):
            # POST only: a link's button, "new link", the portal's language picker
            assert response.status_code == 405, url
            continue
        if url.startswith("/portal/invite/"):
            assert response.status_code == 410, url  # the invitation link is the sign-in
            continue
        if url.startswith("/cases/calendar/") and url.endswith(".ics"):
            assert response.status_code == 404, url  # the secret address is the key
            continue
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_api_requires_authentication_with_a_json_error(csrf_client):
    for url in (
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/audit/events",
        "/api/v1/reference/datasets",
        "/api/v1/reference/goods",
    ):
        response = csrf_client.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthorized"
    assert csrf_client.get("/api/v1/docs").status_code == 302


def test_sign_in_with_csrf_then_sign_out(csrf_client, alice):
    response = csrf_client.log_in("alice", alice.password)
    assert response.status_code == 302
    home = csrf_client.get("/")
    assert home.status_code == 200
    assert b"Acme Imports" in home.content
    for label in (
        b"Suppliers",
        b"Questionnaires",
        b"Screening",
        b"Risk",
        b"Evidence",
        b"Cases",
        b"Reference data",
    ):
        assert label in home.content
    out = csrf_client.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf_token_from(home)})
    assert out.status_code == 302
    assert csrf_client.get("/").status_code == 302
    actions = set(AuditEvent.objects.filter(actor=alice.user).values_list("action", flat=True))
    assert {"user.logged_in", "user.logged_out"} <= actions


def test_wrong_password_is_refused_and_recorded(csrf_client, alice):
    response = csrf_client.log_in("alice", "not the password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert AuditEvent.objects.filter(action="user.login_failed", object_repr="alice").exists()


def test_login_post_without_csrf_token_is_refused(csrf_client, alice):
    response = csrf_client.post(
        "/accounts/login/", {"username": "alice", "password": alice.password}
    )
    assert csrf_refused(response)


def test_session_posts_need_the_csrf_token(csrf_client, alice):
    csrf_client.sign_in(alice)
    assert csrf_refused(csrf_client.post("/accounts/tokens/", {"name": "no csrf"}))
    page = csrf_client.get("/accounts/tokens/")
    ok = csrf_client.post(
        "/accounts/tokens/", {"name": "with csrf", "csrfmiddlewaretoken": csrf_token_from(page)}
    )
    assert ok.status_code == 200
    assert b"Copy it now" in ok.content


def test_password_change_is_audited(csrf_client, alice):
    csrf_client.sign_in(alice)
    page = csrf_client.get("/accounts/password/")
    response = csrf_client.post(
        "/accounts/password/",
        {
            "old_password": alice.password,
            "new_password1": "a much longer new passphrase 2026",
            "new_password2": "a much longer new passphrase 2026",
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("a much longer new passphrase 2026")
    assert AuditEvent.objects.filter(action="user.password_changed", actor=alice.user).exists()


def test_other_organizations_audit_events_are_404(csrf_client, alice, bob):
    bob_event = AuditEvent.objects.filter(organization=bob.organization).first()
    csrf_client.sign_in(alice)
    assert csrf_client.get(f"/audit/{bob_event.pk}/").status_code == 404
    own = AuditEvent.objects.filter(organization=alice.organization).first()
    assert csrf_client.get(f"/audit/{own.pk}/").status_code == 200
    listing = csrf_client.get("/audit/")
    assert b"Borealis" not in listing.content


def test_audit_log_is_for_admins_only(csrf_client, victor):
    csrf_client.sign_in(victor)
    assert csrf_client.get("/audit/").status_code == 403
    event = AuditEvent.objects.filter(organization=victor.organization).first()
    assert csrf_client.get(f"/audit/{event.pk}/").status_code == 403


def test_audit_log_filters_and_export(csrf_client, alice, victor):
    csrf_client.sign_in(alice)
    response = csrf_client.get("/audit/", {"action": "membership.", "actor": "system"})
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Member added" in rows  # the events in words, not as codes
    assert "membership.created" not in rows
    assert "Organization created" not in rows
    export = csrf_client.get("/audit/", {"action": "membership.", "format": "csv"})
    lines = export.getvalue().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("seq,time,actor,action")
    assert len(lines) == 1 + 2  # alice's and victor's memberships
    verify = csrf_client.get("/audit/verify/")
    assert b"The chain holds" in verify.content


def test_user_without_membership_sees_a_clear_message(csrf_client, db):
    from chainproof.accounts.models import User

    loner = User.objects.create_user("loner", password="x" * 20)
    csrf_client.force_login(loner)
    assert b"not a member of any organization" in csrf_client.get("/").content
    assert csrf_client.get("/reference/").status_code == 403


def test_switching_organization(csrf_client, alice, bob):
    from tests.conftest import make_member

    make_member("Borealis Trading", "alice", "viewer")
    csrf_client.sign_in(alice)
    page = csrf_client.get("/")
    assert b'name="organization"' in page.content
    csrf_client.post(
        "/accounts/organization/",
        {"organization": str(bob.organization.pk), "csrfmiddlewaretoken": csrf_token_from(page)},
    )
    assert b"Borealis Trading" in csrf_client.get("/").content
    assert csrf_client.get("/audit/").status_code == 403  # a viewer there
