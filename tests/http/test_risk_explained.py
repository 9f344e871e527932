"""Risk that explains itself: the main reason is the largest factor wherever it is shown,
factors are words, a question not yet asked is a gap on the page, and the heat map says
how to read it."""

import csv
import re

import pytest
from django.db import transaction

from chainproof.jobs.services import run_pending
from chainproof.risk.selectors import current_for
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import facility_save
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


@pytest.fixture
def six_factors(demo):
    """The Shihezi plant at 100 from six factors, the first of them the country's tier
    (20 points) and the largest Xinjiang (80): the supplier answered "unknown"."""
    org = demo.organization
    plant = Facility.objects.get(organization=org, ref="F-CN-05")
    with transaction.atomic():
        facility_save(
            organization=org.pk, actor=demo.user, facility=plant, data={"dprk_workers": "unknown"}
        )
    risk_score_all(organization_id=org.pk)
    site = current_for(org.pk, "facility", plant.pk)
    assert float(site.score) == 100.0
    assert [r["factor"] for r in site.reasons] == [
        "tip_tier",
        "dprk_host_country",
        "xinjiang",
        "dol_goods",
        "high_scrutiny_sector",
        "dprk_workers_unknown",
    ]
    return plant


def test_the_main_reason_is_the_largest_factor_everywhere(csrf_client, demo, six_factors):
    csrf_client.sign_in(demo)
    plant = six_factors
    row = csrf_client.get("/risk/", {"q": "Shihezi", "node_type": "facility"}).content.decode()
    row = row[row.index('id="risk-register"') :]
    assert "Worksite in Xinjiang: city" in row
    assert "TIP 2025" not in row
    # the record's kind and country in words
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.split("</tr>")[1], re.S)
    assert cells[1:3] == ["worksite", "China"]
    # the record's page: the badge's one line, and the explanation
    facility_page = csrf_client.get(f"/suppliers/facilities/{plant.pk}/").content.decode()
    assert re.search(r"Main reason: Worksite in Xinjiang[^<]*\(80 points\)", facility_page)
    panel = csrf_client.get(f"/risk/facility/{plant.pk}/").content.decode()
    main = panel[panel.index('id="main-reason"') :]
    assert main.split("</p>")[0].count("Worksite in Xinjiang") == 1
    assert "(80 points; the largest of 6 factors)" in main
    table = panel[
        panel.index('id="reasons"') : panel.index("</table>", panel.index('id="reasons"'))
    ]
    assert table.index("Worksite in Xinjiang") < table.index("Country&#x27;s TIP Report tier")
    # exports and the API
    export = csrf_client.get("/risk/", {"q": "Shihezi", "node_type": "facility", "format": "csv"})
    lines = export.getvalue().decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "main factor" in header
    assert "main reason" in header
    row = next(csv.DictReader(lines))
    assert row["main factor"] == "Worksite in Xinjiang"
    assert row["main reason"].startswith("Worksite in Xinjiang: city")
    assert row["main reason"].endswith("(80 points)")
    top = row["top reasons"]
    assert top.startswith("Worksite in Xinjiang")  # then the others, largest first
    assert re.findall(r"\((\d+) points\)", top) == ["80", "20", "20"]
    body = csrf_client.get(f"/api/v1/risk/facility/{plant.pk}").json()[0]
    assert body["main_reason"]["factor"] == "xinjiang"
    assert body["main_reason"]["label"] == "Worksite in Xinjiang"
    assert body["reasons"][0]["factor"] == "xinjiang"  # largest first


def test_factors_are_words_not_codes(csrf_client, demo, six_factors):
    csrf_client.sign_in(demo)
    panel = csrf_client.get(f"/risk/facility/{six_factors.pk}/").content.decode()
    for code in ("tip_tier", "dprk_host_country", "dprk_workers_unknown", "dol_goods"):
        assert code not in panel
    assert "<code>" not in panel[panel.index('id="reasons"') :]
    assert "Country reported to host North Korean workers" in panel
    assert "North Korean workers not ruled out" in panel
    assert "Good on the DOL List for this country" in panel
    # the datasets used are named by their titles
    assert "CBP Withhold Release Orders and Findings" in panel
    assert "cbp_wro_findings" not in panel


def test_a_new_worksite_shows_its_north_korean_workers_as_a_question_not_yet_asked(
    csrf_client, demo
):
    org = demo.organization
    csrf_client.sign_in(demo)
    form = csrf_client.get("/suppliers/facilities/new/").content.decode()
    assert re.search(r'<option value="not_asked"[^>]*selected>Not yet asked</option>', form)
    response = csrf_client.submit(
        "/suppliers/facilities/new/",
        {
            "name": "Changzhou Frame Plant",
            "kind": "factory",
            "country": "CN",
            "city": "Changzhou",
            "subdivision": "Jiangsu",
            "dprk_workers": "not_asked",
        },
    )
    assert response.status_code == 302
    site = Facility.objects.get(organization=org, name="Changzhou Frame Plant")
    assert site.dprk_workers == "not_asked"
    run_pending()
    assessment = current_for(org.pk, "facility", site.pk)
    assert not any(r["factor"].startswith("dprk_workers") for r in assessment.reasons)
    assert float(assessment.score) == 25.0  # Tier 3 and host country: medium, no more
    for url in (f"/suppliers/facilities/{site.pk}/", f"/risk/facility/{site.pk}/"):
        page = csrf_client.get(url).content.decode()
        gaps = page[page.index('id="gaps"') :]
        assert "Not yet asked: whether North Korean nationals are employed" in gaps
        assert "ask in the questionnaire" in gaps
        assert "Not yet asked: how many people work here" in gaps
    # the list of worksites shows the gap too, in words
    rows = csrf_client.get("/suppliers/facilities/", {"q": "Changzhou"}).content.decode()
    row = rows[rows.index("Changzhou Frame Plant") :].split("</tr>")[0]
    assert "North Korean workers: not yet asked" in row
    # once answered, the gap is closed
    with transaction.atomic():
        facility_save(
            organization=org.pk,
            actor=demo.user,
            facility=site,
            data={"dprk_workers": "none", "total_workers": 200, "migrant_workers": 10},
        )
    page = csrf_client.get(f"/suppliers/facilities/{site.pk}/").content.decode()
    assert 'id="gaps"' not in page


def test_the_heat_map_has_a_title_a_legend_and_goods_as_columns(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/risk/heatmap/").content.decode()
    assert "<title>Worksites by country and good" in page
    assert "<h1>Worksites by country and good</h1>" in page
    legend = page[page.index('id="legend"') : page.index('id="heatmap"')]
    for level, bounds in (
        ("low", "0 to under 25"),
        ("medium", "25 to under 50"),
        ("high", "50 to under 75"),
        ("critical", "75 or more"),
    ):
        assert f"<strong>{level}</strong>: the riskiest worksite there scores {bounds}" in legend
    assert "how many worksites" in legend
    head = page[page.index("<thead>") : page.index("</thead>")]
    columns = re.findall(r'<th scope="col" class="rot">([^<]+)</th>', head)
    assert "Polysilicon" in columns
    assert "Cotton" in columns
    # one kind of column: goods of the DOL List, never the organization's product names
    for product in ("Organic cotton crew T-shirt", "10,000 mAh power bank", "Aluminium frame"):
        assert product not in columns
    body = page[page.index("<tbody>") :]
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', body)
    assert "China" in rows
    assert "Viet Nam" in rows or "Vietnam" in rows
    assert "CN" not in rows
    # each cell says its level in words, not by colour alone
    assert re.search(r'<span class="count">\d+</span> <span class="level">critical</span>', body)
    assert 'href="/risk/?node_type=facility&country=CN&good=Polysilicon"' in body
