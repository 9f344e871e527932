"""Supply-chain pages and API: organization isolation, roles, forms, import jobs, exports."""

import io

import pytest
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from chainproof.suppliers.models import (
    Facility,
    ImportBatch,
    Material,
    Product,
    Supplier,
    SupplyLink,
)
from tests.csrf_client import csrf_refused, csrf_token_from
from tests.supply import csv_bytes, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    return alice


def _objects(org):
    return {
        "supplier": Supplier.objects.filter(organization=org).first(),
        "facility": Facility.objects.filter(organization=org).first(),
        "product": Product.objects.filter(organization=org).first(),
        "material": Material.objects.filter(organization=org).first(),
        "link": SupplyLink.objects.filter(organization=org).first(),
    }


def test_every_page_and_endpoint_of_another_organization_is_404(csrf_client, demo, bob):
    o = _objects(demo.organization)
    job = Job.objects.create(organization=demo.organization, kind="suppliers.tiers")
    csrf_client.sign_in(bob)
    pages = [
        f"/suppliers/{o['supplier'].pk}/",
        f"/suppliers/{o['supplier'].pk}/edit/",
        f"/suppliers/facilities/{o['facility'].pk}/",
        f"/suppliers/facilities/{o['facility'].pk}/edit/",
        f"/suppliers/products/{o['product'].pk}/",
        f"/suppliers/products/{o['product'].pk}/edit/",
        f"/suppliers/materials/{o['material'].pk}/edit/",
        f"/suppliers/links/{o['link'].pk}/delete/",
        f"/suppliers/production-units/?product={o['product'].pk}",
        f"/jobs/{job.pk}/",
    ]
    for url in pages:
        assert csrf_client.get(url).status_code == 404, url
    endpoints = [
        f"/api/v1/suppliers/{o['supplier'].pk}",
        f"/api/v1/facilities/{o['facility'].pk}",
        f"/api/v1/products/{o['product'].pk}",
        f"/api/v1/products/{o['product'].pk}/chain",
    ]
    for url in endpoints:
        response = csrf_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    for url in (
        "/api/v1/suppliers",
        "/api/v1/facilities",
        "/api/v1/products",
        "/api/v1/materials",
        "/api/v1/links",
    ):
        assert csrf_client.get(url).json()["count"] == 0, url
    listing = csrf_client.get("/suppliers/").content.decode()
    assert o["supplier"].legal_name not in listing


def test_writes_across_organizations_are_refused(csrf_client, demo, bob):
    o = _objects(demo.organization)
    csrf_client.sign_in(bob)
    response = csrf_client.api(
        "patch", f"/api/v1/suppliers/{o['supplier'].pk}", {"notes": "mine now"}
    )
    assert response.status_code == 404
    own = csrf_client.api(
        "post",
        "/api/v1/suppliers",
        {"legal_name": "Bob Co", "country": "CN", "parent_id": o["supplier"].pk},
    )
    assert own.status_code == 404  # the parent is not in Bob's organization
    link = csrf_client.api("delete", f"/api/v1/links/{o['link'].pk}")
    assert link.status_code == 404
    for url, body in (
        (f"/api/v1/links/{o['link'].pk}", {"notes": "x"}),
        (f"/api/v1/materials/{o['material'].pk}", {"name": "x"}),
        (f"/api/v1/products/{o['product'].pk}", {"sku": "x", "name": "x"}),
        (f"/api/v1/facilities/{o['facility'].pk}", {"name": "x", "country": "CN"}),
    ):
        assert csrf_client.api("patch", url, body).status_code == 404, url
    assert SupplyLink.objects.filter(pk=o["link"].pk).exists()


def test_viewers_read_but_cannot_write(csrf_client, demo, victor):
    csrf_client.sign_in(victor)
    assert csrf_client.get("/suppliers/").status_code == 200
    assert csrf_client.get("/suppliers/new/").status_code == 403
    assert csrf_client.get("/suppliers/import/").status_code == 403
    response = csrf_client.api("post", "/api/v1/suppliers", {"legal_name": "X", "country": "CN"})
    assert response.status_code == 403
    assert not csrf_refused(response)


def test_supplier_list_search_filter_sort_and_export(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/suppliers/", {"q": "meghna"}).content.decode()
    assert "Meghna Knitwear Ltd." in page
    assert "Padma" not in page
    native = csrf_client.get("/suppliers/", {"q": "丹东"}).content.decode()
    assert "Dandong Yalu Seafood" in native
    assert '<option value="-name" >name, Z to A</option>' in page  # the sort list in words
    assert ">-name<" not in page
    by_ref = csrf_client.get("/suppliers/", {"q": "S-BD"}).content.decode()  # a ref's start
    assert "Meghna Knitwear Ltd." in by_ref
    assert "Padma Composite Mills Ltd." in by_ref
    assert "Kaveri" not in by_ref
    sites = csrf_client.get("/suppliers/facilities/", {"q": "f-bd"}).content.decode()
    assert "Meghna Knitwear Gazipur Unit 2" in sites
    assert "Kaveri Spinning Mill" not in sites
    tier1 = csrf_client.get("/suppliers/", {"tier": "1", "country": "CN"}).content.decode()
    assert "Dandong Yalu" in tier1
    assert "Jiangxi Ganjiang" not in tier1
    by_tier = csrf_client.get("/suppliers/", {"sort": "-tier", "format": "csv"})
    rows = by_tier.getvalue().decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("ref,legal_name")
    assert len(rows) == 1 + Supplier.objects.filter(organization=demo.organization).count()


def test_supplier_detail_shows_links_facilities_identifiers_and_history(csrf_client, demo):
    csrf_client.sign_in(demo)
    supplier = Supplier.objects.get(organization=demo.organization, ref="S-BD-02")
    page = csrf_client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "Padma Composite Knit Fabric Mill" in page
    assert "Kaveri Spinning Mill Unit 1" in page  # upstream
    assert "Meghna Knitwear Gazipur Unit 2" in page  # downstream
    assert "supplier.created" in page


def test_product_page_draws_the_map_with_gaps(csrf_client, demo):
    csrf_client.sign_in(demo)
    tee = Product.objects.get(organization=demo.organization, sku="APP-TEE-001")
    page = csrf_client.get(f"/suppliers/products/{tee.pk}/").content.decode()
    assert '<svg id="chain-map"' in page
    assert "Unknown origin: Knit fabric" in page
    assert page.count('class="node node-') >= 10
    solar = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    chain = csrf_client.get(f"/api/v1/products/{solar.pk}/chain").json()
    shihezi = Facility.objects.get(organization=demo.organization, ref="F-CN-05")
    assert {"node": f"f:{shihezi.pk}", "depth": 5} in chain["nodes"]


def test_create_and_edit_a_supplier_through_the_form(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/suppliers/new/")
    response = csrf_client.post(
        "/suppliers/new/",
        {
            "legal_name": "Sakura Buttons K.K.",
            "native_name": "さくらボタン株式会社",
            "country": "jp",
            "status": "active",
            "duns": "987654321",
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )
    assert response.status_code == 302
    supplier = Supplier.objects.get(legal_name="Sakura Buttons K.K.")
    assert supplier.country == "JP"
    assert supplier.identifiers.get().value == "987654321"
    assert AuditEvent.objects.filter(
        action="supplier.created", object_id=str(supplier.pk), actor=demo.user
    ).exists()
    history = csrf_client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "Created" in history
    assert "organization_id" not in history  # no field names where words belong
    assert "normalized_name" not in history
    bad = csrf_client.post(
        "/suppliers/new/",
        {
            "legal_name": "Nowhere Co",
            "country": "QQ",
            "status": "active",
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )
    assert bad.status_code == 200
    assert "Expected a country code in the countries data" in bad.content.decode()
    assert not Supplier.objects.filter(legal_name="Nowhere Co").exists()


def _upload(client, entity, content, name):
    upload = io.BytesIO(content)
    upload.name = name
    return client.submit("/suppliers/import/", {"entity": entity, "file": upload})


def test_the_job_import_for_api_and_cli_still_runs_with_status(csrf_client, demo):
    """The web upload goes to a review page (tests/http/test_import_review.py); the
    job-based import stays for API and CLI users, its status on the job page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chainproof.suppliers.jobs import import_request

    csrf_client.sign_in(demo)
    upload = SimpleUploadedFile(
        "s.csv", csv_bytes("suppliers", {"legal_name": "Jobco", "country": "VN"})
    )
    job = import_request(
        organization=demo.organization,
        actor=demo.user,
        entity="suppliers",
        upload=upload,
        dry_run=False,
    )
    queued = csrf_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Queued" in queued
    assert 'hx-trigger="every 1s"' in queued
    assert run_pending() >= 1  # the import, then the risk scoring it queues
    job.refresh_from_db()
    assert job.status == "succeeded"
    done = csrf_client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Created 1, updated 0, unchanged 0." in done
    assert "hx-trigger" not in done
    assert Supplier.objects.filter(legal_name="Jobco").exists()


def test_web_import_of_a_file_with_a_bad_row_stores_nothing_before_review(csrf_client, demo):
    csrf_client.sign_in(demo)
    before = Supplier.objects.count()
    response = _upload(
        csrf_client,
        "suppliers",
        csv_bytes(
            "suppliers",
            {"legal_name": "Okay", "country": "VN"},
            {"legal_name": "Bad", "country": "XX"},
        ),
        "s.csv",
    )
    assert response.status_code == 302
    assert "/suppliers/imports/" in response["Location"]
    assert Supplier.objects.count() == before


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "s.csv", "The submitted file is empty."),
        (b"ref,legal_name\n", "s.txt", "Expected a .csv, .xlsx, .ods or .xls file"),
    ],
)
def test_import_form_refuses_bad_uploads(csrf_client, demo, content, name, message):
    csrf_client.sign_in(demo)
    response = _upload(csrf_client, "suppliers", content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.filter(kind="suppliers.import").exists()
    assert not ImportBatch.objects.exists()


def test_templates_have_every_column_with_notes(csrf_client, demo):
    csrf_client.sign_in(demo)
    response = csrf_client.get("/suppliers/templates/facilities.xlsx")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook["facilities"]
    assert sheet["B1"].value == "name"
    assert "Required" in sheet["B1"].comment.text
    assert workbook["instructions"]["A2"].value == "ref"
    csv_template = csrf_client.get("/suppliers/templates/links.csv").getvalue().decode("utf-8-sig")
    assert csv_template.startswith("from_facility,from_supplier,from_unknown")
    assert csrf_client.get("/suppliers/templates/nope.xlsx").status_code == 404


def test_authorized_production_units_for_a_product(csrf_client, demo):
    csrf_client.sign_in(demo)
    scarf = Product.objects.get(organization=demo.organization, sku="APP-SCF-010")
    response = csrf_client.get(
        "/suppliers/production-units/", {"product": scarf.pk, "format": "csv"}
    )
    lines = response.getvalue().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Worksite (full name),Name in native script,Address")
    names = {line.split(",")[0] for line in lines[1:]}
    assert names == {
        "Valle Sessera Knitting Mill",
        "Filatura Biellese Spinning Mill",
        "Canterbury Merino Station",
        "Karnaphuli Trims Chattogram",
    }
    meghna = next(
        line
        for line in csrf_client.get("/suppliers/production-units/", {"format": "csv"})
        .getvalue()
        .decode("utf-8-sig")
        .splitlines()
        if "Gazipur" in line
    )
    assert "Meghna Group Holdings Ltd." in meghna  # parent company
    assert "2150" in meghna


def test_api_creates_a_link_and_queues_tier_recomputation(csrf_client, demo):
    csrf_client.sign_in(demo)
    org = demo.organization
    harborline = Supplier.objects.get(organization=org, ref="S-US-02")
    pollock = Product.objects.get(organization=org, sku="SEA-POL-200")
    response = csrf_client.api(
        "post",
        "/api/v1/links",
        {
            "source_supplier_id": harborline.pk,
            "target_importer": True,
            "product_id": pollock.pk,
            "evidence_refs": "PO 1",
        },
    )
    assert response.status_code == 201, response.content
    assert Job.objects.filter(kind="suppliers.tiers", status="queued").count() == 1
    run_pending()
    harborline.refresh_from_db()
    assert harborline.tier == 1
    squid = Facility.objects.get(organization=org, ref="F-CN-03")
    assert squid.tier == 2
    bad = csrf_client.api(
        "post", "/api/v1/links", {"target_importer": True, "product_id": pollock.pk}
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["field"] == "source"
