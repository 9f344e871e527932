"""Risk register, explanation panel, heat map, methodology page, badges and API."""

import pytest

from chainproof.jobs.models import Job
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility, Product
from tests.http.helpers import csrf_token_from
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def test_register_sorts_filters_and_exports(client, demo):
    client.force_login(demo.user)
    page = client.get("/risk/").content.decode()
    assert "chainproof-default v1" in page
    assert page.index("critical") < page.index(">low<")
    products = client.get(
        "/risk/", {"node_type": "product", "presumption": "uflpa", "status": "applies"}
    ).content.decode()
    assert "Monocrystalline solar module 400 W" in products
    assert "Merino wool scarf" not in products
    cotton = client.get("/risk/", {"good": "cotton", "country": "IN"}).content.decode()
    assert "Kaveri Spinning Mill Unit 1" in cotton
    export = client.get("/risk/", {"level": "low", "format": "csv"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("type,id,name,country,score,level")
    assert all(",low," in line for line in lines[1:])


def test_explanation_panel_and_badges(client, demo):
    client.force_login(demo.user)
    shihezi = Facility.objects.get(organization=demo.organization, ref="F-CN-05")
    panel = client.get(f"/risk/facility/{shihezi.pk}/").content.decode()
    assert "Worksite in Xinjiang" in panel
    assert "TIP 2025: Tier 3" in panel
    assert "Reference data used" in panel
    facility_page = client.get(f"/suppliers/facilities/{shihezi.pk}/").content.decode()
    assert "badge risk-critical" in facility_page
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    product_page = client.get(f"/suppliers/products/{module.pk}/").content.decode()
    assert "Presumptions of forced labor" in product_page
    assert "presumption status-applies" in product_page


def test_heatmap_counts_worksites_by_country_and_good(client, demo):
    client.force_login(demo.user)
    page = client.get("/risk/heatmap/").content.decode()
    assert "Polysilicon" in page
    assert 'href="/risk/?node_type=facility&country=CN&good=Polysilicon"' in page


def test_other_organizations_risk_is_404(client, demo, bob):
    shihezi = Facility.objects.get(organization=demo.organization, ref="F-CN-05")
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    client.force_login(bob.user)
    assert client.get(f"/risk/facility/{shihezi.pk}/").status_code == 404
    assert client.get(f"/api/v1/risk/facility/{shihezi.pk}").status_code == 404
    assert client.get(f"/api/v1/risk/products/{module.pk}/presumptions").status_code == 404
    assert client.get("/api/v1/risk/assessments").json()["count"] == 0
    assert "Shihezi" not in client.get("/risk/").content.decode()


def test_risk_api(client, demo):
    client.force_login(demo.user)
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    body = client.get(f"/api/v1/risk/products/{module.pk}/presumptions").json()
    assert {p["regime"]: p["status"] for p in body["presumptions"]}["uflpa"] == "applies"
    listing = client.get("/api/v1/risk/assessments", {"level": "critical"}).json()
    assert listing["count"] > 0
    assert all(item["level"] == "critical" for item in listing["items"])
    history = client.get(f"/api/v1/risk/product/{module.pk}").json()
    assert history[0]["is_current"]
    assert client.get("/api/v1/risk/planet/1").status_code == 404


def test_recompute_and_methodology_need_roles_and_csrf(csrf_client, demo, victor):
    csrf_client.force_login(victor.user)
    page = csrf_client.get("/risk/methodology/")
    assert page.status_code == 200
    assert b"readonly" in page.content
    assert (
        csrf_client.post(
            "/risk/recompute/", {"csrfmiddlewaretoken": csrf_token_from(csrf_client.get("/risk/"))}
        ).status_code
        == 403
    )
    csrf_client.force_login(demo.user)
    register = csrf_client.get("/risk/")
    assert csrf_client.post("/risk/recompute/").status_code == 403  # no CSRF token
    response = csrf_client.post(
        "/risk/recompute/", {"csrfmiddlewaretoken": csrf_token_from(register)}
    )
    assert response.status_code == 302
    assert Job.objects.filter(kind="risk.score_all", status="queued").exists()
    methodology = csrf_client.get("/risk/methodology/")
    bad = csrf_client.post(
        "/risk/methodology/",
        {"content": "name: x\nversion: 2\n", "csrfmiddlewaretoken": csrf_token_from(methodology)},
    )
    assert b"Not saved" in bad.content
    assert b"levels: missing" in bad.content


def test_supplier_list_filters_by_risk_level(client, demo):
    client.force_login(demo.user)
    critical = client.get("/suppliers/", {"risk": "critical"}).content.decode()
    assert "Tianshan Polysilicon Materials Co. Ltd." in critical
    assert "Lanificio Valle Sessera" not in critical
    low = client.get("/api/v1/suppliers", {"risk": "low"}).json()
    assert "Lanificio Valle Sessera S.p.A." in {s["legal_name"] for s in low["items"]}
