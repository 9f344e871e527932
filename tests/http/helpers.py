from __future__ import annotations

import re


def csrf_token_from(response) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match, "the page has no CSRF token"
    return match.group(1).decode()


def login(client, username: str, password: str):
    page = client.get("/accounts/login/")
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf_token_from(page)},
    )
