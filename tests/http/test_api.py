"""The REST API: bearer tokens, session + CSRF, organization scoping, error shape."""

import json

import pytest

from chainproof.accounts.models import ApiToken
from chainproof.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _token(client, member, name="ci"):
    client.force_login(member.user)
    client.get("/accounts/tokens/")  # the page sets the CSRF cookie a browser would send back
    response = client.post(
        "/api/v1/tokens",
        json.dumps({"name": name}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201, response.content
    client.logout()
    return response.json()


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_auth_works_and_only_the_hash_is_stored(client, alice):
    created = _token(client, alice)
    plaintext = created["token"]
    stored = ApiToken.objects.get(pk=created["id"])
    assert plaintext not in (stored.key_hash, stored.prefix)
    me = client.get("/api/v1/me", **bearer(plaintext))
    assert me.status_code == 200
    assert me.json()["organization"]["name"] == "Acme Imports"
    assert me.json()["role"] == "admin"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_revoked_token_fails(client, alice):
    created = _token(client, alice)
    revoke = client.delete(f"/api/v1/tokens/{created['id']}", **bearer(created["token"]))
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"]
    after = client.get("/api/v1/me", **bearer(created["token"]))
    assert after.status_code == 401
    assert AuditEvent.objects.filter(
        action="api_token.revoked", object_id=str(created["id"])
    ).exists()


def test_malformed_and_unknown_tokens_fail(client, alice):
    created = _token(client, alice)
    forged = created["token"][:-4] + "AAAA"
    for token in (forged, "cp_000000000000_nothing", "garbage"):
        assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_token_revoked_in_the_web_ui_stops_working(csrf_client, alice):
    from tests.http.helpers import csrf_token_from

    created = _token(csrf_client, alice)
    csrf_client.force_login(alice.user)
    page = csrf_client.get("/accounts/tokens/")
    assert created["name"].encode() in page.content
    csrf_client.post(
        f"/accounts/tokens/{created['id']}/revoke/", {"csrfmiddlewaretoken": csrf_token_from(page)}
    )
    csrf_client.logout()
    assert csrf_client.get("/api/v1/me", **bearer(created["token"])).status_code == 401


def test_session_api_posts_need_csrf_but_bearer_posts_do_not(csrf_client, alice):
    csrf_client.force_login(alice.user)
    body = json.dumps({"name": "x"})
    refused = csrf_client.post("/api/v1/tokens", body, content_type="application/json")
    assert refused.status_code == 403
    csrf_client.get("/accounts/tokens/")  # sets the CSRF cookie
    cookie = csrf_client.cookies["csrftoken"].value
    ok = csrf_client.post(
        "/api/v1/tokens", body, content_type="application/json", HTTP_X_CSRFTOKEN=cookie
    )
    assert ok.status_code == 201
    token = ok.json()["token"]
    csrf_client.logout()
    csrf_client.cookies.clear()
    via_bearer = csrf_client.post(
        "/api/v1/tokens", body, content_type="application/json", **bearer(token)
    )
    assert via_bearer.status_code == 201


def test_other_organizations_objects_are_404_through_the_api(client, alice, bob):
    alice_token = _token(client, alice)["token"]
    bob_token = _token(client, bob)
    bob_event = AuditEvent.objects.filter(organization=bob.organization).first()
    response = client.get(f"/api/v1/audit/events/{bob_event.pk}", **bearer(alice_token))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    revoke = client.delete(f"/api/v1/tokens/{bob_token['id']}", **bearer(alice_token))
    assert revoke.status_code == 404
    assert ApiToken.objects.get(pk=bob_token["id"]).revoked_at is None
    listing = client.get("/api/v1/audit/events", **bearer(alice_token)).json()
    ids = {item["id"] for item in listing["items"]}
    assert bob_event.pk not in ids
    assert listing["count"] == AuditEvent.objects.filter(organization=alice.organization).count()


def test_audit_api_is_for_admins(client, victor):
    token = _token(client, victor)["token"]
    response = client.get("/api/v1/audit/events", **bearer(token))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_audit_verify_endpoint(client, alice):
    token = _token(client, alice)["token"]
    body = client.get("/api/v1/audit/verify", **bearer(token)).json()
    assert body["ok"] is True
    assert body["checked"] >= 3


def test_validation_errors_have_the_common_shape(client, alice):
    token = _token(client, alice)["token"]
    response = client.post(
        "/api/v1/tokens", json.dumps({"nom": "x"}), content_type="application/json", **bearer(token)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert any("name" in d["field"] for d in error["details"])
    empty = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "  "}),
        content_type="application/json",
        **bearer(token),
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["details"][0]["field"] == "name"


def test_openapi_docs_are_served_locally(client, alice):
    client.force_login(alice.user)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/ninja/" in docs.content
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/reference/goods" in schema["paths"]
