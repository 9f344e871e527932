"""The cross-organization and role matrix over every OpenAPI operation.

For each operation with path ids: organization B's ids while signed in as A's admin give
a 404 and none of B's data. For each role, each unsafe operation is allowed or refused as
the role matrix says: viewers never write, supplier contacts never reach the API.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from chainproof.accounts.services import api_token_create
from tests.api_world import seed_world
from tests.csrf_client import CsrfClient

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"\{(\w+)\}")
_UNSAFE = {"post", "patch", "put", "delete"}
# Unsafe operations every member may use on their own account.
_SHARED = {"dataset_id", "iso2"}  # path ids of public reference data
_OWN_ACCOUNT = {("post", "/api/v1/tokens"), ("delete", "/api/v1/tokens/{token_id}")}


@pytest.fixture
def world(alice, bob, refdata):
    return seed_world(alice, bob)


def _operations():
    from chainproof.api.root import api

    paths = api.get_openapi_schema()["paths"]
    return [(method, path) for path, ops in paths.items() for method in ops]


def _fill(path: str, ids: dict[str, list[int]]) -> str | None:
    def one(match):
        values = ids.get(match.group(1))
        if not values:
            raise LookupError(match.group(1))
        return str(values[0])

    if "{node_type}" in path:
        path = path.replace("{node_type}", "supplier")
    path = path.replace("{number}", "1")  # a document's first version: every document has one
    path = path.replace("{kind}", "supplier")  # readiness of a supplier (node_id)
    path = path.replace("{question}", "cbp_ruling")  # a reasonable-care question
    path = path.replace("{rule}", "proof_of_admissibility")  # a deadline of a case
    try:
        return _PARAM.sub(one, path)
    except LookupError:
        return None


def test_other_organizations_ids_are_404_in_every_operation(world, bob):
    from chainproof.suppliers.models import Supplier

    b_names = list(
        Supplier.objects.filter(organization=bob.organization).values_list("legal_name", flat=True)
    )
    client = CsrfClient()
    requests = leaks = 0
    probed = []
    for method, path in _operations():
        if "{" not in path:
            continue
        url = _fill(path, world.ids["b"])
        if url is None:  # reference data shared by every organization (datasets, countries)
            assert _PARAM.findall(path)[0] in _SHARED, path
            continue
        response = client.api(method, url, {} if method in _UNSAFE else None, bearer=world.token)
        requests += 1
        body = response.content.decode(errors="replace")
        leaked = response.status_code not in (404, 422) or any(n in body for n in b_names)
        leaks += leaked
        probed.append((method, path, response.status_code))
        assert not leaked, (method, url, response.status_code, body[:200])
    assert len(probed) >= 20
    print(f"cross-organization: {requests} requests, {leaks} leaks")  # noqa: T201


def _token_for(member) -> str:
    with transaction.atomic():
        return api_token_create(membership=member.membership, name="matrix").plaintext


def test_viewers_never_write_through_the_api(world, alice, victor):
    client = CsrfClient()
    token = _token_for(victor)
    refused = 0
    unsafe = [(m, p) for m, p in _operations() if m in _UNSAFE and (m, p) not in _OWN_ACCOUNT]
    assert len(unsafe) >= 12
    for method, path in unsafe:
        url = _fill(path, world.ids["a"])
        response = client.api(method, url, {}, bearer=token)
        # 422: the body is checked before the role; a valid body still needs the role
        assert response.status_code in (403, 422), (method, url, response.status_code)
        refused += response.status_code == 403
    assert refused >= 1
    sample = _fill("/api/v1/suppliers/{supplier_id}", world.ids["a"])
    assert client.api("patch", sample, {"notes": "x"}, bearer=token).status_code == 403
    assert client.api("get", sample, bearer=token).status_code == 200


def test_supplier_contacts_reach_no_api_and_no_internal_page(world, alice):
    from chainproof.accounts.models import User
    from chainproof.accounts.services import membership_create
    from chainproof.suppliers.models import Supplier

    supplier = Supplier.objects.get(pk=world.ids["a"]["supplier_id"][0])
    with transaction.atomic():
        user = User.objects.create_user("sam-supplier", password="x" * 24)
        membership_create(
            organization=alice.organization, user=user, role="supplier", supplier=supplier
        )
    contact = type("Contact", (), {"user": user})()
    client = CsrfClient()
    client.sign_in(contact)
    operations = _operations()
    assert operations
    for method, path in operations:
        url = _fill(path, world.ids["a"]) or path
        response = client.api(method, url, {} if method in _UNSAFE else None)
        assert response.status_code in (401, 403, 404, 422), (method, url, response.status_code)
        assert response.status_code != 200
    for page in ("/", "/suppliers/", "/risk/", "/screening/", "/audit/", "/reference/"):
        response = client.get(page)
        assert response.status_code in (302, 403, 404), (page, response.status_code)
