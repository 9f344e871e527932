"""The one test client of chainproof: Django's test client with CSRF enforced, driven the
way a browser drives the app.

A browser never invents a CSRF token: it loads a page, and the page carries the token,
in the hidden ``csrfmiddlewaretoken`` input of each form and in the ``X-CSRFToken``
header HTMX sends (``hx-headers`` on ``<body>``); the cookie is HttpOnly, so page
scripts cannot read it. The helpers here do the same: GET first, take the token from the
page, then send it. Bearer-token API calls carry no CSRF token, as a script's would not.

Use the ``csrf_client`` fixture; construct ``CsrfClient()`` for a second browser in the
same test (a supplier next to the analyst). ``tests/unit/test_csrf_guard.py`` refuses a
bare ``Client()`` anywhere under ``tests/``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpResponse
from django.test import Client, TestCase

_FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_HEADER_TOKEN = re.compile(rb'"X-CSRFToken": "([^"]+)"')


def csrf_token_from(page: HttpResponse) -> str:
    """The CSRF token a browser would send back from this page: a form's hidden input,
    else the header HTMX sends."""
    match = _FORM_TOKEN.search(page.content) or _HEADER_TOKEN.search(page.content)
    assert match, f"the page has no CSRF token (status {page.status_code})"
    return match.group(1).decode()


def csrf_refused(response: HttpResponse) -> bool:
    """Whether a 403 came from the CSRF check (Django's page, or the API's error), so a
    test can tell it from a 403 for a missing role."""
    if response.status_code != 403:
        return False
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()["error"]["message"] == "CSRF check Failed"
    return b"CSRF verification failed" in response.content


class CsrfClient(Client):
    """Django's test client that always enforces CSRF, with browser-like helpers.

    Each request ends as it would in production, where its transactions commit: what they
    left for after the commit (queued recomputation, email) runs when the request returns,
    although the test's own transaction is still open around it.
    """

    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)
        self._page_token: tuple[str, str] | None = None  # (csrftoken cookie, token read)

    def request(self, **request: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)

    def sign_in(self, member: Any) -> None:
        """A signed-in session for a named test user (``alice``, ``bob``...), without the
        form; every unsafe request afterwards still needs the token from a page."""
        self.force_login(member.user)

    def log_in(self, username: str, password: str) -> HttpResponse:
        """Sign in through the login form, as a person does."""
        return self.submit("/accounts/login/", {"username": username, "password": password})

    def submit(
        self,
        url: str,
        data: dict[str, Any] | None = None,
        *,
        from_page: str | None = None,
        **extra: Any,
    ) -> HttpResponse:
        """Load the page holding the form (``url`` itself unless ``from_page`` says
        otherwise), then POST ``data`` to ``url`` with that page's CSRF token."""
        page = self.get(from_page or url)
        assert page.status_code == 200, f"GET {from_page or url}: {page.status_code}"
        return self.post(
            url, {**(data or {}), "csrfmiddlewaretoken": csrf_token_from(page)}, **extra
        )

    def api(
        self,
        method: str,
        url: str,
        body: Any = None,
        *,
        bearer: str | None = None,
        from_page: str = "/",
        **extra: Any,
    ) -> HttpResponse:
        """Call the REST API with a JSON body: with ``bearer`` as a script does (no CSRF
        token), else with the session and the ``X-CSRFToken`` header taken from
        ``from_page``, as HTMX does."""
        if bearer is not None:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
        elif method.lower() not in ("get", "head", "options"):
            extra["HTTP_X_CSRFTOKEN"] = self._session_token(from_page)
        send = getattr(self, method.lower())
        if method.lower() == "get":
            return send(url, body, **extra)
        payload = "" if body is None else json.dumps(body)
        return send(url, payload, content_type="application/json", **extra)

    def _session_token(self, from_page: str) -> str:
        """The token of a page loaded in this session. Like an open HTMX page it stays
        good until the CSRF cookie changes (a sign-in through the form rotates it)."""
        cookie = self.cookies.get("csrftoken")
        if cookie is not None and self._page_token and self._page_token[0] == cookie.value:
            return self._page_token[1]
        token = csrf_token_from(self.get(from_page, follow=True))
        self._page_token = (self.cookies["csrftoken"].value, token)
        return token
