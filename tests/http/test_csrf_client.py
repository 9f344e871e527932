"""The test client every HTTP test uses enforces CSRF: without the token a page POST and
a session API call are refused; with the token taken from a page they go through; a bearer
token needs none; pytest-django's non-enforcing clients cannot be used by accident."""

import pytest

from chainproof.accounts.models import ApiToken
from tests.csrf_client import CsrfClient, csrf_refused

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["fixture", "second browser"])
def any_client(request, csrf_client):
    return csrf_client if request.param == "fixture" else CsrfClient()


def test_a_page_post_needs_the_token_from_the_page(any_client, alice):
    any_client.sign_in(alice)
    refused = any_client.post("/accounts/tokens/", {"name": "no token"})
    assert csrf_refused(refused)
    forged = any_client.post(
        "/accounts/tokens/", {"name": "forged", "csrfmiddlewaretoken": "x" * 64}
    )
    assert csrf_refused(forged)
    assert not ApiToken.objects.exists()
    created = any_client.submit("/accounts/tokens/", {"name": "from the page"})
    assert created.status_code == 200
    assert not csrf_refused(created)
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["from the page"]


def test_signing_in_needs_the_token_from_the_login_page(any_client, alice):
    refused = any_client.post("/accounts/login/", {"username": "alice", "password": alice.password})
    assert csrf_refused(refused)
    assert any_client.get("/").status_code == 302  # still signed out
    assert any_client.log_in("alice", alice.password).status_code == 302
    assert any_client.get("/").status_code == 200


def test_a_session_api_call_needs_the_header_from_a_page(any_client, alice):
    any_client.sign_in(alice)
    body = '{"name": "api"}'
    bare = any_client.post("/api/v1/tokens", body, content_type="application/json")
    assert csrf_refused(bare)
    any_client.get("/")  # the CSRF cookie alone is not enough: the header must match it
    cookie_only = any_client.post("/api/v1/tokens", body, content_type="application/json")
    assert csrf_refused(cookie_only)
    wrong = any_client.post(
        "/api/v1/tokens", body, content_type="application/json", HTTP_X_CSRFTOKEN="x" * 64
    )
    assert csrf_refused(wrong)
    assert not ApiToken.objects.exists()
    created = any_client.api("post", "/api/v1/tokens", {"name": "api"})
    assert created.status_code == 201, created.content
    assert ApiToken.objects.get().name == "api"


def test_a_bearer_token_needs_no_csrf_token_and_a_session_token_is_reread_after_sign_in(
    csrf_client, alice, bob
):
    csrf_client.sign_in(alice)
    token = csrf_client.api("post", "/api/v1/tokens", {"name": "script"}).json()["token"]
    csrf_client.logout()
    csrf_client.cookies.clear()
    scripted = csrf_client.api("post", "/api/v1/tokens", {"name": "by script"}, bearer=token)
    assert scripted.status_code == 201
    # A new sign-in after a logout gets a new CSRF cookie; the helper reads the new token.
    csrf_client.log_in("bob", bob.password)
    again = csrf_client.api("post", "/api/v1/tokens", {"name": "bob's"})
    assert again.status_code == 201, again.content
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"script", "by script", "bob's"}


@pytest.mark.parametrize("name", ["client", "admin_client", "async_client"])
def test_pytest_djangos_clients_are_refused_with_a_pointer(request, name):
    with pytest.raises(pytest.fail.Exception, match="use the 'csrf_client' fixture"):
        request.getfixturevalue(name)
