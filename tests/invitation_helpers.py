"""Following an emailed personal link the way a person does: open it in the browser,
then press the page's button when there is one."""

from __future__ import annotations

import re

from django.http import HttpResponse

from tests.csrf_client import CsrfClient, csrf_token_from

LINK = re.compile(r"http://[^\s]+/portal/invite/[^\s/]+/")
_BUTTON = re.compile(rb'<form method="post" action="([^"]+)" id="open-link">')


def link_in(body: str) -> str:
    """The path of the personal link in an email body."""
    match = LINK.search(body)
    assert match, body
    return "/" + match.group(0).split("/", 3)[3]


def open_link(client: CsrfClient, path: str) -> HttpResponse:
    """GET the link; if the page asks to press "Open the questionnaire", press it."""
    page = client.get(path)
    button = _BUTTON.search(page.content) if page.status_code == 200 else None
    if button is None:
        return page
    token = re.search(rb'name="token" value="([^"]+)"', page.content)
    data = {"csrfmiddlewaretoken": csrf_token_from(page)}
    if token:
        data["token"] = token.group(1).decode()
    return client.post(button.group(1).decode(), data)


def signed_in_user_id(client: CsrfClient) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None
