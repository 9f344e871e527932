"""The form and the REST API write suppliers through the same specification as the
importer: the same fields, the same refusals, in the common error shapes."""

import pytest

from chainproof.suppliers.models import Supplier
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(alice, refdata, csrf_client):
    csrf_client.sign_in(alice)
    return csrf_client


def test_api_post_and_patch_store_and_return_contact_email_and_owner(analyst, alice):
    make_member("Acme Imports", "olga", "analyst")
    created = analyst.api(
        "post",
        "/api/v1/suppliers",
        {
            "legal_name": "Acme Textiles",
            "country": "CN",
            "contact_email": "compliance@acme.example",
            "owner": "olga",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["contact_email"], body["owner"]) == ("compliance@acme.example", "olga")
    stored = Supplier.objects.get(pk=body["id"])
    assert stored.contact_email == "compliance@acme.example"
    assert stored.owner.username == "olga"

    patched = analyst.api(
        "patch",
        f"/api/v1/suppliers/{stored.pk}",
        {"contact_email": "new@acme.example", "owner": "alice"},
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["contact_email"], patched.json()["owner"]) == (
        "new@acme.example",
        "alice",
    )
    stored.refresh_from_db()
    assert (stored.contact_email, stored.owner.username) == ("new@acme.example", "alice")
    got = analyst.api("get", f"/api/v1/suppliers/{stored.pk}")
    assert got.json()["owner"] == "alice"


def test_api_refuses_an_owner_outside_the_organization(analyst, bob):
    response = analyst.api(
        "post", "/api/v1/suppliers", {"legal_name": "Acme", "country": "CN", "owner": "bob"}
    )
    assert response.status_code == 400
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "owner"
    assert not Supplier.objects.exists()


def test_api_refuses_a_short_duns_in_the_common_error_shape(analyst):
    response = analyst.api(
        "post",
        "/api/v1/suppliers",
        {
            "legal_name": "Acme Textiles",
            "country": "CN",
            "identifiers": [{"scheme": "duns", "value": "12"}],
        },
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    [detail] = error["details"]
    assert detail["field"] == "duns"
    assert "9-digit DUNS" in detail["message"]
    assert not Supplier.objects.exists()


def test_form_refuses_a_short_duns_on_the_duns_field(analyst):
    response = analyst.submit(
        "/suppliers/new/",
        {"legal_name": "Acme Textiles", "country": "CN", "status": "active", "duns": "12"},
    )
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["form"].errors
    assert "9-digit DUNS" in errors["duns"][0]
    assert not Supplier.objects.exists()


def test_form_sets_the_owner_from_the_members(analyst, alice):
    response = analyst.submit(
        "/suppliers/new/",
        {"legal_name": "Acme Textiles", "country": "CN", "status": "active", "owner": "alice"},
    )
    assert response.status_code == 302, response.content
    assert Supplier.objects.get().owner == alice.user


@pytest.mark.parametrize(("given", "stored"), [("Viet Nam", "VN"), ("中国", "CN"), ("CHN", "CN")])
def test_api_and_form_accept_a_country_name_and_store_its_code(analyst, given, stored):
    created = analyst.api("post", "/api/v1/suppliers", {"legal_name": "Api Co", "country": given})
    assert created.status_code == 201, created.content
    assert created.json()["country"] == stored
    response = analyst.submit(
        "/suppliers/new/", {"legal_name": "Form Co", "country": given, "status": "active"}
    )
    assert response.status_code == 302, response.content
    assert Supplier.objects.get(legal_name="Form Co").country == stored


def test_api_and_form_refuse_an_ambiguous_country_naming_the_candidates(analyst):
    response = analyst.api(
        "post", "/api/v1/suppliers", {"legal_name": "Api Co", "country": "Korea"}
    )
    assert response.status_code == 400, response.content
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "country"
    assert "South Korea (KR) or North Korea (KP)" in detail["message"]
    page = analyst.submit(
        "/suppliers/new/", {"legal_name": "Form Co", "country": "Korea", "status": "active"}
    )
    assert page.status_code == 200
    assert "write the one you mean" in page.context["form"].errors["country"][0]
    assert not Supplier.objects.exists()
