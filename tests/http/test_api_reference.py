"""The API reference (/api/v1/docs, the navigation's "API"): chainproof's own page, drawn on
the server from the OpenAPI schema, behind the same rule as before (a signed-in person or a
valid bearer token); Swagger UI's explorer (/api/v1/explorer) beside it, behind that rule too."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction

from chainproof.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The ids, the in-page links, the operations' headings and the table rows of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.anchors: list[str] = []
        self.scripts = 0
        self.headings: dict[str, str] = {}  # operation anchor -> "GET /api/v1/..." text
        self.rows: dict[str, list[list[str]]] = {}  # operation anchor -> rows of its tables
        self._article = ""
        self._operation = False
        self._in_h3 = False
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and (attributes.get("href") or "").startswith("#"):
            self.anchors.append(attributes["href"][1:])
        if tag == "script":
            self.scripts += 1
        if tag == "article":
            self._article = attributes["id"]
            self._operation = "operation" in attributes.get("class", "")
            self.rows[self._article] = []
        if tag == "h3" and self._operation:
            self._in_h3 = True
            self._text = []
        if tag == "tr" and self._article:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "h3" and self._in_h3:
            self.headings[self._article] = "".join(self._text).split(":")[0].strip()
            self._in_h3 = False
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows[self._article].append(self._row)
            self._row = None
        if tag == "article":
            self._article = ""

    def handle_data(self, data):
        if self._in_h3:
            self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _read(content: bytes) -> _Page:
    page = _Page()
    page.feed(content.decode())
    return page


def _schema(csrf_client) -> dict:
    return json.loads(csrf_client.get("/api/v1/openapi.json").content)


def test_the_reference_lists_every_operation_of_the_schema(csrf_client, alice):
    csrf_client.sign_in(alice)
    response = csrf_client.get("/api/v1/docs")
    assert response.status_code == 200
    page = _read(response.content)
    schema = _schema(csrf_client)
    in_schema = sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    )
    listed = sorted(page.headings.values())
    assert len(in_schema) > 80  # the whole API, not an empty schema
    assert len(listed) == len(in_schema)
    assert listed == in_schema
    # Its own page in chainproof's layout: the navigation, no script of its own, no CDN.
    assert b'aria-label="Main"' in response.content
    assert b'aria-current="page">API</a>' in response.content
    assert b"swagger" not in response.content.lower().replace(b"swagger ui", b"")
    assert b"cdn" not in response.content.lower()
    assert f"{len(in_schema)} operations".encode() in response.content


def test_every_operation_has_an_anchor_and_an_entry_in_the_contents(csrf_client, alice):
    csrf_client.sign_in(alice)
    page = _read(csrf_client.get("/api/v1/docs").content)
    assert len(page.ids) == len(set(page.ids)), "an id given twice"
    assert set(page.anchors) <= set(page.ids), set(page.anchors) - set(page.ids)
    assert set(page.headings) <= set(page.anchors)  # each operation linked from the contents
    assert {"authentication", "contents", "tag-supply-chain", "tag-due-diligence"} <= set(page.ids)


def test_the_reference_shows_parameters_body_and_responses(csrf_client, alice):
    csrf_client.sign_in(alice)
    page = _read(csrf_client.get("/api/v1/docs").content)
    anchor = {text: key for key, text in page.headings.items()}
    suppliers = page.rows[anchor["GET /api/v1/suppliers"]]
    assert ["Name", "In", "Type", "Required", "Description"] in suppliers
    assert ["q", "query string", "string", "optional", ""] in suppliers
    assert ["sort", "query string", "string", "optional", "Default: name."] in suppliers
    page_note = "Default: 1. At least 1. At most 1000000000."
    assert ["page", "query string", "integer", "optional", page_note] in suppliers
    size_note = "At least 1. At most 1000000000."  # the bounds of an optional value
    assert ["page_size", "query string", "integer or null", "optional", size_note] in suppliers
    assert ["200", "OK", "PagedSupplierOut"] in suppliers
    assert ["404", "Not found in your organization", "ErrorOut"] in suppliers
    supplier = page.rows[anchor["GET /api/v1/suppliers/{supplier_id}"]]
    assert any(row[:4] == ["supplier_id", "path", "integer", "required"] for row in supplier)
    token = page.rows[anchor["POST /api/v1/tokens"]]
    assert ["Field", "Type", "Required", "Description"] in token
    assert any(row[:3] == ["name", "string", "required"] for row in token), token
    # The fields of what the operations answer: every named schema, linked from its uses.
    assert any(
        row[:3] == ["legal_name", "string", "required"] for row in page.rows["schema-supplierin"]
    )
    paged = page.rows["schema-pagedsupplierout"]
    assert ["items", "list of SupplierOut (see SupplierOut)", "required", ""] in paged
    schema = _schema(csrf_client)
    named = {f"schema-{name.lower()}" for name in schema["components"]["schemas"]}
    assert named <= set(page.ids), named - set(page.ids)
    assert "schema-supplierout" in page.anchors


def test_the_reference_says_how_to_get_a_token(csrf_client, alice):
    csrf_client.sign_in(alice)
    content = csrf_client.get("/api/v1/docs").content.decode()
    authentication = re.search(r'<section[^>]*id="authentication".*?</section>', content, re.S)
    assert authentication is not None
    assert 'href="/accounts/tokens/"' in authentication.group(0)
    assert "Authorization: Bearer" in authentication.group(0)
    assert 'href="/api/v1/openapi.json"' in content
    assert 'href="/api/v1/explorer"' in content


@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/explorer"])
def test_the_reference_and_explorer_need_sign_in_or_a_token(csrf_client, alice, url):
    signed_out = csrf_client.get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/?next=")
    forged = csrf_client.get(url, HTTP_AUTHORIZATION="Bearer cp_x_forged")
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "unauthorized"
    with transaction.atomic():
        token = api_token_create(membership=alice.membership, name="docs").plaintext
    assert csrf_client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    csrf_client.sign_in(alice)
    assert csrf_client.get(url).status_code == 200


def test_the_explorer_is_swagger_ui_served_locally(csrf_client, alice):
    csrf_client.sign_in(alice)
    explorer = csrf_client.get("/api/v1/explorer")
    assert b"/static/ninja/swagger-ui-bundle.js" in explorer.content
    assert b"cdn" not in explorer.content.lower()
    assert b'"url": "/api/v1/openapi.json"' in explorer.content
