"""The supply chain in open formats through the web: the FollowTheMoney download and
upload, the Open Supply Hub list, and the OS ID on the worksite form; who may do what."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chainproof.interchange.osh_export import OSH_HEADERS
from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.models import Facility, Supplier
from tests.csrf_client import csrf_refused, csrf_token_from
from tests.supply import csv_bytes

pytestmark = pytest.mark.django_db

PAGE = "/interchange/supply-chain/"
UPLOAD = "/interchange/supply-chain/import-ftm/"
OS_ID = "CN2019303BQ3FZP"


@pytest.fixture
def world(alice, refdata):
    org = alice.organization
    supplier = Supplier.objects.create(
        organization=org, legal_name="Hengtai Knit Co., Ltd.", country="CN", normalized_name="x"
    )
    run_import(
        organization=org,
        actor=alice.user,
        entity="facilities",
        file_name="f.csv",
        data=csv_bytes(
            "facilities",
            {
                "name": "Hengtai Dyeing Plant",
                "native_name": "恒泰染厂",
                "supplier": supplier.legal_name,
                "address": "8 Weiyi Road",
                "city": "Shaoxing",
                "subdivision": "Zhejiang",
                "postal_code": "312000",
                "country": "CN",
                "latitude": "30.0",
                "longitude": "120.58",
                "activities": "processing",
                "products_made": "dyed knit fabric",
                "total_workers": "1001-5000",
                "os_id": OS_ID.lower(),
            },
        ),
    )
    return alice


def _upload(client, text: str, name: str = "chain.ftm.json"):
    page = client.get(PAGE)
    return client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile(name, text.encode()),
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )


def test_the_ftm_download_streams_valid_lines(csrf_client, world):
    csrf_client.sign_in(world)
    response = csrf_client.get("/interchange/supply-chain.ftm.json")
    assert response.status_code == 200
    assert "supply-chain.ftm.json" in response["Content-Disposition"]
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    schemata = sorted({e["schema"] for e in lines})
    assert schemata == ["Address", "Company", "Control"]
    site = next(e for e in lines if "chainproof:worksite" in e["properties"].get("keywords", []))
    assert site["properties"]["sourceUrl"] == [f"https://opensupplyhub.org/facilities/{OS_ID}"]


def test_an_upload_imports_and_a_bad_one_names_the_line_and_stores_nothing(
    csrf_client, alice, refdata
):
    csrf_client.sign_in(alice)
    good = json.dumps(
        {"id": "a-1", "schema": "Company", "properties": {"name": ["Good Co"], "country": ["vn"]}}
    )
    bad = json.dumps({"id": "b-2", "schema": "Company", "properties": {"country": ["vn"]}})
    refused = _upload(csrf_client, good + "\n" + bad)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Line 2, entity <code>b-2</code>" in text
    assert "nothing was stored" in text
    assert not Supplier.objects.filter(organization=alice.organization).exists()
    done = _upload(csrf_client, good)
    assert done.status_code == 200
    assert "1 suppliers added" in done.content.decode()
    assert Supplier.objects.get(organization=alice.organization).country == "VN"


def test_a_viewer_downloads_but_may_not_import(csrf_client, victor, world):
    csrf_client.sign_in(victor)
    page = csrf_client.get(PAGE)
    assert page.status_code == 200
    assert UPLOAD not in page.content.decode()
    assert csrf_client.get("/interchange/supply-chain.ftm.json").status_code == 200
    assert csrf_client.get("/interchange/open-supply-hub.csv").status_code == 200
    good = json.dumps(
        {"id": "a", "schema": "Company", "properties": {"name": ["X"], "country": ["vn"]}}
    )
    assert _upload(csrf_client, good).status_code == 403


def test_the_upload_needs_the_csrf_token(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    response = csrf_client.post(UPLOAD, {"file": SimpleUploadedFile("a.json", b"{}")})
    assert csrf_refused(response)


def test_another_organizations_member_gets_only_its_own_chain(csrf_client, world, bob):
    csrf_client.sign_in(bob)
    lines = b"".join(csrf_client.get("/interchange/supply-chain.ftm.json").streaming_content)
    assert b"Hengtai" not in lines
    rows = list(
        csv.reader(
            io.StringIO(
                csrf_client.get("/interchange/open-supply-hub.csv").getvalue().decode("utf-8-sig")
            )
        )
    )
    assert rows == [list(OSH_HEADERS)]


def test_the_osh_list_has_osh_columns_and_a_worksites_values(csrf_client, world):
    csrf_client.sign_in(world)
    response = csrf_client.get("/interchange/open-supply-hub.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["country", "name", "address"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["country"] == "CN"
    assert row["name"] == "Hengtai Dyeing Plant"
    assert row["address"] == "8 Weiyi Road, Shaoxing, Zhejiang, 312000"
    assert row["number_of_workers"] == "1001-5000"
    assert row["parent_company"] == "Hengtai Knit Co., Ltd."
    assert row["native_language_name"] == "恒泰染厂"
    assert row["processing_type"] == "Processing"
    assert row["os_id"] == OS_ID
    assert str(row["lat"]) in ("30", "30.0", "30.000000")


def test_the_os_id_is_checked_and_shown_on_the_worksite(csrf_client, world):
    site = Facility.objects.get(organization=world.organization)
    assert site.os_id == OS_ID  # upper-cased from the file
    csrf_client.sign_in(world)
    assert OS_ID in csrf_client.get(f"/suppliers/facilities/{site.pk}/").content.decode()
    edit = f"/suppliers/facilities/{site.pk}/edit/"
    form = csrf_client.get(edit)
    assert 'name="os_id"' in form.content.decode()
    with pytest.raises(ImportFailed) as caught:
        run_import(
            organization=world.organization,
            actor=world.user,
            entity="facilities",
            file_name="g.csv",
            data=csv_bytes(
                "facilities", {"name": "Other", "country": "CN", "os_id": "CN2019303BQ3FZQ"}
            ),
        )
    problem = caught.value.errors[0]
    assert problem.column == "os_id"
    assert "check character" in problem.expected
    assert "should be P" in problem.expected


def test_an_os_id_belongs_to_one_worksite(world):
    other = world
    with pytest.raises(ImportFailed) as caught:
        run_import(
            organization=other.organization,
            actor=other.user,
            entity="facilities",
            file_name="g.csv",
            data=csv_bytes(
                "facilities",
                {"name": "A different plant", "ref": "NEW-1", "country": "CN", "os_id": OS_ID},
            ),
        )
    assert "not used by another worksite" in caught.value.errors[0].expected


def test_the_api_writes_and_refuses_os_ids_as_the_form_does(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    made = csrf_client.api(
        "post",
        "/api/v1/facilities",
        {"name": "Plant A", "country": "CN", "os_id": "cn-2019303-bq3fz-p"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["os_id"] == OS_ID
    twice = csrf_client.api(
        "post", "/api/v1/facilities", {"name": "Plant B", "country": "CN", "os_id": OS_ID}
    )
    assert twice.status_code in (400, 422)
    assert "OS ID" in twice.content.decode()
    wrong = csrf_client.api(
        "post", "/api/v1/facilities", {"name": "Plant C", "country": "CN", "os_id": "CN201930"}
    )
    assert wrong.status_code in (400, 422)
    assert "15 characters" in wrong.content.decode()
    assert Facility.objects.filter(organization=alice.organization).count() == 1


def test_the_worksite_form_saves_the_os_id(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    response = csrf_client.submit(
        "/suppliers/facilities/new/",
        {
            "name": "Plant F",
            "country": "CN",
            "kind": "factory",
            "dprk_workers": "not_asked",
            "os_id": OS_ID,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Facility.objects.get(organization=alice.organization).os_id == OS_ID
