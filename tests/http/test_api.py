"""The REST API: bearer tokens, session + CSRF, organization scoping, error shape."""

import json

import pytest

from chainproof.accounts.models import ApiToken
from chainproof.audit.models import AuditEvent
from tests.csrf_client import csrf_refused

pytestmark = pytest.mark.django_db


def _token(client, member, name="ci"):
    """A token created through the API with the member's session and the page's CSRF token."""
    client.sign_in(member)
    response = client.api("post", "/api/v1/tokens", {"name": name}, from_page="/accounts/tokens/")
    assert response.status_code == 201, response.content
    client.logout()
    return response.json()


def test_token_auth_works_and_only_the_hash_is_stored(csrf_client, alice):
    created = _token(csrf_client, alice)
    plaintext = created["token"]
    stored = ApiToken.objects.get(pk=created["id"])
    assert plaintext not in (stored.key_hash, stored.prefix)
    me = csrf_client.api("get", "/api/v1/me", bearer=plaintext)
    assert me.status_code == 200
    assert me.json()["organization"]["name"] == "Acme Imports"
    assert me.json()["role"] == "admin"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_revoked_token_fails(csrf_client, alice):
    created = _token(csrf_client, alice)
    revoke = csrf_client.api("delete", f"/api/v1/tokens/{created['id']}", bearer=created["token"])
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"]
    after = csrf_client.api("get", "/api/v1/me", bearer=created["token"])
    assert after.status_code == 401
    assert AuditEvent.objects.filter(
        action="api_token.revoked", object_id=str(created["id"])
    ).exists()


def test_malformed_and_unknown_tokens_fail(csrf_client, alice):
    created = _token(csrf_client, alice)
    forged = created["token"][:-4] + "AAAA"
    for token in (forged, "cp_000000000000_nothing", "garbage"):
        assert csrf_client.api("get", "/api/v1/me", bearer=token).status_code == 401


def test_token_revoked_in_the_web_ui_stops_working(csrf_client, alice):
    created = _token(csrf_client, alice)
    csrf_client.sign_in(alice)
    page = csrf_client.get("/accounts/tokens/")
    assert created["name"].encode() in page.content
    revoked = csrf_client.submit(
        f"/accounts/tokens/{created['id']}/revoke/", from_page="/accounts/tokens/"
    )
    assert revoked.status_code == 302
    csrf_client.logout()
    assert csrf_client.api("get", "/api/v1/me", bearer=created["token"]).status_code == 401


def test_session_api_posts_need_csrf_but_bearer_posts_do_not(csrf_client, alice):
    csrf_client.sign_in(alice)
    body = '{"name": "x"}'
    refused = csrf_client.post("/api/v1/tokens", body, content_type="application/json")
    assert csrf_refused(refused)
    ok = csrf_client.api("post", "/api/v1/tokens", {"name": "x"})
    assert ok.status_code == 201
    token = ok.json()["token"]
    csrf_client.logout()
    csrf_client.cookies.clear()
    via_bearer = csrf_client.post(
        "/api/v1/tokens",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert via_bearer.status_code == 201


def test_other_organizations_objects_are_404_through_the_api(csrf_client, alice, bob):
    alice_token = _token(csrf_client, alice)["token"]
    bob_token = _token(csrf_client, bob)
    bob_event = AuditEvent.objects.filter(organization=bob.organization).first()
    response = csrf_client.api("get", f"/api/v1/audit/events/{bob_event.pk}", bearer=alice_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    revoke = csrf_client.api("delete", f"/api/v1/tokens/{bob_token['id']}", bearer=alice_token)
    assert revoke.status_code == 404
    assert ApiToken.objects.get(pk=bob_token["id"]).revoked_at is None
    listing = csrf_client.api("get", "/api/v1/audit/events", bearer=alice_token).json()
    ids = {item["id"] for item in listing["items"]}
    assert bob_event.pk not in ids
    assert listing["count"] == AuditEvent.objects.filter(organization=alice.organization).count()


def test_audit_api_is_for_admins(csrf_client, victor):
    token = _token(csrf_client, victor)["token"]
    response = csrf_client.api("get", "/api/v1/audit/events", bearer=token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_audit_verify_endpoint(csrf_client, alice):
    token = _token(csrf_client, alice)["token"]
    body = csrf_client.api("get", "/api/v1/audit/verify", bearer=token).json()
    assert body["ok"] is True
    assert body["checked"] >= 3


def test_validation_errors_have_the_common_shape(csrf_client, alice):
    token = _token(csrf_client, alice)["token"]
    response = csrf_client.api("post", "/api/v1/tokens", {"nom": "x"}, bearer=token)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert any("name" in d["field"] for d in error["details"])
    empty = csrf_client.api("post", "/api/v1/tokens", {"name": "  "}, bearer=token)
    assert empty.status_code == 400
    assert empty.json()["error"]["details"][0]["field"] == "name"


def test_openapi_docs_are_served_locally(csrf_client, alice):
    csrf_client.sign_in(alice)
    docs = csrf_client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/ninja/" in docs.content
    served = csrf_client.get("/api/v1/openapi.json").content
    schema = json.loads(served)
    assert "/api/v1/reference/goods" in schema["paths"]
    # Swagger UI refuses a document with a key twice in one object ("duplicated mapping
    # key": the page then shows no operation at all).
    assert _keys_given_twice(served) == []


def _keys_given_twice(document: bytes) -> list[str]:
    twice: list[str] = []

    def pairs_to_dict(pairs):
        keys = [key for key, _ in pairs]
        twice.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(pairs)

    json.loads(document, object_pairs_hook=pairs_to_dict)
    return twice
