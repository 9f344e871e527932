"""Inputs that once made the API answer 500 (issue 16, point 11): each is now refused in
the one error shape, naming the field."""

import io
import zipfile

import pytest
from django.db import transaction

from chainproof.accounts.services import api_token_create
from chainproof.suppliers.models import Supplier
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

HUGE = 2**64


@pytest.fixture
def token(alice, refdata):
    load_demo(alice.organization)
    with transaction.atomic():
        return api_token_create(membership=alice.membership, name="bounds").plaintext


def _supplier(alice):
    return Supplier.objects.filter(organization=alice.organization).order_by("pk").first()


def _refused(response, status, field=None):
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    if field is not None:
        fields = [d["field"] for d in error["details"]]
        assert any(f == field or f.endswith("." + field) for f in fields), fields
    return error


def test_a_duplicate_supplier_ref_is_a_400_through_the_api(csrf_client, alice, token):
    taken = _supplier(alice).ref
    assert taken
    body = {"legal_name": "Another Co", "country": "CN", "ref": taken}
    _refused(csrf_client.api("post", "/api/v1/suppliers", body, bearer=token), 400, "ref")
    other = Supplier.objects.filter(organization=alice.organization).exclude(ref=taken).first()
    patch = csrf_client.api("patch", f"/api/v1/suppliers/{other.pk}", {"ref": taken}, bearer=token)
    _refused(patch, 400, "ref")


def test_a_duplicate_supplier_ref_is_a_form_error(csrf_client, alice, token):
    taken = _supplier(alice).ref
    csrf_client.sign_in(alice)
    response = csrf_client.submit(
        "/suppliers/new/",
        {"legal_name": "Another Co", "country": "CN", "ref": taken, "status": "active"},
    )
    assert response.status_code == 200
    assert b"exists already" in response.content
    assert Supplier.objects.filter(organization=alice.organization, ref=taken).count() == 1


@pytest.mark.parametrize(
    "field", ["aliases", "tags", "ref", "native_name", "website", "notes", "legal_name"]
)
def test_patch_with_an_explicit_null_is_a_422(csrf_client, alice, token, field):
    supplier = _supplier(alice)
    response = csrf_client.api(
        "patch", f"/api/v1/suppliers/{supplier.pk}", {field: None}, bearer=token
    )
    _refused(response, 422, field)


def test_patch_takes_null_where_the_record_does(csrf_client, alice, token):
    supplier = _supplier(alice)
    response = csrf_client.api(
        "patch", f"/api/v1/suppliers/{supplier.pk}", {"parent_id": None}, bearer=token
    )
    assert response.status_code == 200, response.content


def test_a_json_array_as_a_patch_body_is_a_422(csrf_client, alice, token):
    supplier = _supplier(alice)
    for body in ([], [{"notes": "x"}], "text", 5):
        response = csrf_client.api("patch", f"/api/v1/suppliers/{supplier.pk}", body, bearer=token)
        _refused(response, 422)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/suppliers?page=99999999999999999999",
        "/api/v1/risk/assessments?page=10000000000000000",
        "/api/v1/suppliers?page_size=99999999999999999999",
        f"/api/v1/suppliers/{HUGE}",
        f"/api/v1/links?facility_id={HUGE}",
        f"/api/v1/questionnaires/requests?campaign_id={HUGE}",
        f"/api/v1/reference/datasets/{HUGE}",
        f"/api/v1/reference/tip-placements?year={HUGE}",
        f"/api/v1/reference/goods?dataset={HUGE}",
    ],
)
def test_huge_numbers_in_paths_and_queries_are_a_422(csrf_client, token, url):
    _refused(csrf_client.api("get", url, bearer=token), 422)


def test_huge_numbers_in_bodies_are_a_422(csrf_client, alice, token):
    supplier = _supplier(alice)
    calls = [
        ("patch", f"/api/v1/suppliers/{supplier.pk}", {"parent_id": HUGE}, "parent_id"),
        (
            "post",
            "/api/v1/facilities",
            {"name": "F", "country": "CN", "total_workers": HUGE},
            "total_workers",
        ),
        ("post", "/api/v1/links", {"product_id": HUGE}, "product_id"),
        ("post", "/api/v1/tokens", {"name": "t", "days": HUGE}, "days"),
    ]
    for method, url, body, field in calls:
        _refused(csrf_client.api(method, url, body, bearer=token), 422, field)


def test_an_oversized_body_is_a_413_in_the_json_shape(csrf_client, token, settings):
    body = {"legal_name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10), "country": "CN"}
    error = _refused(csrf_client.api("post", "/api/v1/suppliers", body, bearer=token), 413)
    assert error["code"] == "too_large"


def test_openapi_json_takes_a_bearer_token(csrf_client, token):
    served = csrf_client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert served.status_code == 200
    operation = served.json()["paths"]["/api/v1/suppliers/{supplier_id}"]["patch"]
    assert {"400", "401", "403", "404", "413", "422"} <= set(operation["responses"])
    forged = csrf_client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION="Bearer cp_x_forged")
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "unauthorized"
    anonymous = csrf_client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 302


def _damaged_workbooks():
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")
    return {
        "not a zip.xlsx": b"\x00\x01 not a workbook",
        "truncated.xlsx": b"PK\x03\x04" + b"\x00" * 40,
        "broken xml.xlsx": good.getvalue(),
        "binary.csv": bytes(range(256)) * 4,
    }


def test_damaged_workbooks_on_the_watchlist_are_refused_with_a_message(csrf_client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chainproof.jobs.services import run_pending
    from chainproof.screening.models import WatchlistEntry

    csrf_client.sign_in(alice)
    files = _damaged_workbooks()
    assert files
    for name, data in files.items():
        response = csrf_client.submit(
            "/screening/watchlist/", {"file": SimpleUploadedFile(name, data)}
        )
        # The file is read by the worker; its job page says what was wrong, never a 500.
        assert response.status_code == 302, name
        assert run_pending() >= 1
        page = csrf_client.get(response["Location"])
        assert page.status_code == 200, name
        assert b"Nothing was imported from" in page.content, name
        assert b"Rejected" in page.content, name
        assert b"Traceback" not in page.content, name
    assert not WatchlistEntry.objects.filter(organization=alice.organization).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/facilities?q=%00",
        "/api/v1/reference/datasets?kind=a%00b",
        "/api/v1/reference/ofac-dprk?program=%00",
        "/api/v1/suppliers?%00=1",
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(csrf_client, token, url):
    """A NUL in a search once reached PostgreSQL, which refused it with a 500."""
    error = _refused(csrf_client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}"), 400)
    assert "control character" in error["message"]
    assert error["details"], error


def test_a_nul_in_a_page_query_is_a_readable_400(csrf_client, alice, token):
    csrf_client.sign_in(alice)
    response = csrf_client.get("/suppliers/?q=abc%00")
    assert response.status_code == 400
    assert b"control character" in response.content
    assert b"Traceback" not in response.content
    assert csrf_client.get("/suppliers/?q=abc").status_code == 200
