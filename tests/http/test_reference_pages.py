"""Browsing, filtering, exporting and uploading reference data, pages and API."""

import html
import io
import json

import pytest
from openpyxl import load_workbook

from chainproof.reference.models import Dataset, IloIndicator
from tests.csrf_client import csrf_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    return csrf_client


def test_index_shows_every_dataset_with_provenance(signed_in, refdata):
    page = signed_in.get("/reference/").content.decode()
    for dataset in refdata.values():
        assert dataset.edition in page
        assert str(dataset.row_count) in page


def test_each_table_page_shows_edition_as_of_rows_and_checksum(signed_in, refdata):
    for slug, kind in [
        ("countries", "countries"),
        ("tip", "tip_tiers"),
        ("goods", "dol_goods"),
        ("wro", "cbp_wro_findings"),
        ("uflpa", "uflpa_entity_list"),
        ("ofac", "ofac_sdn_dprk"),
        ("dprk-labor", "dprk_overseas_labor"),
        ("ilo", "ilo_indicators"),
    ]:
        response = signed_in.get(f"/reference/{slug}/")
        assert response.status_code == 200, slug
        page = response.content.decode()
        dataset = refdata[kind]
        assert dataset.edition in page
        assert str(dataset.as_of) in page
        assert dataset.sha256 in page
        assert html.escape(dataset.source[:40]) in page


def test_goods_search_and_filters(signed_in):
    page = signed_in.get("/reference/goods/", {"q": "cotton", "labor": "forced"}).content.decode()
    assert "Turkmenistan" in page
    assert "China" in page
    assert "Açaí" not in page
    child_only = signed_in.get(
        "/reference/goods/", {"q": "cotton", "labor": "child", "country": "BF"}
    ).content.decode()
    assert "Burkina Faso" in child_only
    assert "Turkmenistan" not in child_only


def test_tip_filter_by_year_and_tier(signed_in):
    page = signed_in.get("/reference/tip/", {"year": "2025", "tier": "T3"}).content.decode()
    assert "Korea" in page
    assert "tier-T1" not in page


def test_entity_list_search_finds_aliases(signed_in):
    page = signed_in.get("/reference/ofac/", {"q": "bureau 39"}).content.decode()
    assert "OFFICE #39" in page or "OFFICE 39" in page.upper()
    uflpa = signed_in.get("/reference/uflpa/", {"q": "hotan haolin"}).content.decode()
    assert "Hetian Haolin" in uflpa


def test_country_page_shows_tip_history(signed_in):
    page = signed_in.get("/reference/countries/kp/").content.decode()
    assert "Korea" in page
    assert "tier-T3" in page
    assert "2025" in page
    assert signed_in.get("/reference/countries/QQ/").status_code == 404


def test_csv_and_xlsx_exports_hold_the_filtered_rows(signed_in):
    csv_response = signed_in.get("/reference/wro/", {"type": "Finding", "format": "csv"})
    lines = csv_response.getvalue().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Effective,Type,Country,Entity,Aliases")
    assert len(lines) == 1 + 9
    xlsx = signed_in.get("/reference/ilo/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("#", "Indicator", "Description (paraphrased)")
    assert len(rows) == 12


def test_reference_api_lists_and_filters(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    goods = csrf_client.get("/api/v1/reference/goods", {"country": "cn", "labor": "forced"}).json()
    names = {item["good"] for item in goods["items"]}
    assert "Cotton" in names
    assert all(item["forced_labor"] for item in goods["items"])
    page = csrf_client.get("/api/v1/reference/tip-placements", {"page_size": 5}).json()
    assert page["count"] == refdata["tip_tiers"].row_count
    assert len(page["items"]) == 5
    kp = csrf_client.get("/api/v1/reference/countries/KP").json()
    assert kp["tip_history"][-1]["report_year"] == 2025
    old = csrf_client.get("/api/v1/reference/goods", {"as_of": "2001-01-01"})
    assert old.status_code == 404
    assert "No edition of dol_goods" in old.json()["error"]["message"]
    datasets = csrf_client.get("/api/v1/reference/datasets").json()
    assert {d["kind"] for d in datasets} == set(refdata)


ILO_HEADER = "indicator_number,indicator,description_paraphrased\n"


def _upload(client, content: bytes, name="ilo.csv", edition="ILO test edition"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.submit(
        "/reference/upload/",
        {
            "kind": "ilo_indicators",
            "edition": edition,
            "as_of": "2026-01-01",
            "source": "our own audit team",
            "license": "",
            "notes": "",
            "file": upload,
        },
    )


def test_admin_upload_loads_an_edition_for_that_organization_only(csrf_client, alice, bob, refdata):
    csrf_client.sign_in(alice)
    data = (ILO_HEADER + "1,Abuse of vulnerability,ours\n2,Deception,ours\n").encode()
    response = _upload(csrf_client, data)
    assert response.status_code == 302
    dataset = Dataset.objects.get(edition="ILO test edition")
    assert dataset.organization_id == alice.organization.pk
    assert IloIndicator.objects.filter(dataset=dataset).count() == 2
    assert csrf_client.get(f"/reference/datasets/{dataset.pk}/").status_code == 200
    ilo_page = csrf_client.get("/reference/ilo/").content.decode()
    assert "ILO test edition" in ilo_page  # newest as-of date is in force for Acme

    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/reference/datasets/{dataset.pk}/").status_code == 404
    assert csrf_client.get("/reference/ilo/", {"dataset": dataset.pk}).status_code == 404
    api = csrf_client.get(f"/api/v1/reference/datasets/{dataset.pk}")
    assert api.status_code == 404
    assert "ILO test edition" not in csrf_client.get("/reference/ilo/").content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "ilo.csv", "The submitted file is empty."),
        (b"PK\x03\x04rest-of-a-zip", "ilo.csv", "This is a spreadsheet or PDF, not CSV text."),
        (ILO_HEADER.encode() + b"1,x,y\n", "ilo.xlsx", "Expected a .csv file"),
        (ILO_HEADER.encode() + b"one,x,y\n", "ilo.csv", "row 2, column indicator_number"),
        (b"number,name\n1,x\n", "ilo.csv", "header without indicator_number"),
        (
            ILO_HEADER.encode() + "1,D\xe9ception,y\n".encode("latin-1"),
            "ilo.csv",
            "expected UTF-8 text",
        ),
    ],
)
def test_bad_uploads_show_a_form_error_and_change_nothing(
    csrf_client, alice, refdata, content, name, message
):
    csrf_client.sign_in(alice)
    before = Dataset.objects.count()
    response = _upload(csrf_client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Dataset.objects.count() == before


def test_viewers_cannot_upload(csrf_client, victor):
    csrf_client.sign_in(victor)
    assert csrf_client.get("/reference/upload/").status_code == 403
    with_token = csrf_client.submit("/reference/upload/", {"kind": "ilo_indicators"}, from_page="/")
    assert with_token.status_code == 403
    assert not csrf_refused(with_token)  # the role refuses it, not the CSRF check


def test_viewer_api_can_read_reference_data(csrf_client, victor, refdata):
    csrf_client.sign_in(victor)
    response = csrf_client.get("/api/v1/reference/ilo-indicators")
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == 11
