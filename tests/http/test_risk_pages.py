"""Risk register, explanation panel, heat map, methodology page, badges and API."""

import pytest

from chainproof.jobs.models import Job
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility, Product
from tests.csrf_client import csrf_refused
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def test_register_sorts_filters_and_exports(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/risk/").content.decode()
    assert "chainproof-default v4" in page
    assert page.index("critical") < page.index(">low<")
    products = csrf_client.get(
        "/risk/", {"node_type": "product", "presumption": "uflpa", "status": "applies"}
    ).content.decode()
    assert "Monocrystalline solar module 400 W" in products
    assert "Merino wool scarf" not in products
    cotton = csrf_client.get("/risk/", {"good": "cotton", "country": "IN"}).content.decode()
    assert "Kaveri Spinning Mill Unit 1" in cotton
    export = csrf_client.get("/risk/", {"level": "low", "format": "csv"})
    lines = export.getvalue().decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("type,id,name,country,score,level")
    assert all(",low," in line for line in lines[1:])


def test_explanation_panel_and_badges(csrf_client, demo):
    csrf_client.sign_in(demo)
    shihezi = Facility.objects.get(organization=demo.organization, ref="F-CN-05")
    panel = csrf_client.get(f"/risk/facility/{shihezi.pk}/").content.decode()
    assert "Worksite in Xinjiang" in panel
    assert "TIP 2025: Tier 3" in panel
    assert "Reference data used" in panel
    facility_page = csrf_client.get(f"/suppliers/facilities/{shihezi.pk}/").content.decode()
    assert "badge risk-critical" in facility_page
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    product_page = csrf_client.get(f"/suppliers/products/{module.pk}/").content.decode()
    assert "Presumptions of forced labor" in product_page
    assert "presumption status-applies" in product_page


def test_heatmap_counts_worksites_by_country_and_good(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/risk/heatmap/").content.decode()
    assert "Polysilicon" in page
    assert 'href="/risk/?node_type=facility&country=CN&good=Polysilicon"' in page


def test_other_organizations_risk_is_404(csrf_client, demo, bob):
    shihezi = Facility.objects.get(organization=demo.organization, ref="F-CN-05")
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/risk/facility/{shihezi.pk}/").status_code == 404
    assert csrf_client.get(f"/api/v1/risk/facility/{shihezi.pk}").status_code == 404
    assert csrf_client.get(f"/api/v1/risk/products/{module.pk}/presumptions").status_code == 404
    assert csrf_client.get("/api/v1/risk/assessments").json()["count"] == 0
    assert "Shihezi" not in csrf_client.get("/risk/").content.decode()


def test_risk_api(csrf_client, demo):
    csrf_client.sign_in(demo)
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    body = csrf_client.get(f"/api/v1/risk/products/{module.pk}/presumptions").json()
    assert {p["regime"]: p["status"] for p in body["presumptions"]}["uflpa"] == "applies"
    listing = csrf_client.get("/api/v1/risk/assessments", {"level": "critical"}).json()
    assert listing["count"] > 0
    assert all(item["level"] == "critical" for item in listing["items"])
    history = csrf_client.get(f"/api/v1/risk/product/{module.pk}").json()
    assert history[0]["is_current"]
    assert csrf_client.get("/api/v1/risk/planet/1").status_code == 404


def test_recompute_and_methodology_need_roles_and_csrf(csrf_client, demo, victor):
    csrf_client.sign_in(victor)
    page = csrf_client.get("/risk/methodology/")
    assert page.status_code == 200
    assert b'id="stored-yaml"' in page.content  # a viewer reads the stored YAML
    assert b'id="methodology-form"' not in page.content  # and has no form to change it
    assert csrf_client.submit("/risk/methodology/", {"action": "preview"}).status_code == 403
    viewer = csrf_client.submit("/risk/recompute/", from_page="/risk/")
    assert viewer.status_code == 403
    assert not csrf_refused(viewer)  # the role refuses it
    csrf_client.sign_in(demo)
    assert csrf_refused(csrf_client.post("/risk/recompute/"))  # no CSRF token
    response = csrf_client.submit("/risk/recompute/", from_page="/risk/")
    assert response.status_code == 302
    assert Job.objects.filter(kind="risk.score_all", status="queued").exists()
    bad = csrf_client.submit("/risk/methodology/", {"content": "name: x\nversion: 2\n"})
    assert b"Not saved" in bad.content
    assert b"levels: missing" in bad.content


def test_supplier_list_filters_by_risk_level(csrf_client, demo):
    csrf_client.sign_in(demo)
    critical = csrf_client.get("/suppliers/", {"risk": "critical"}).content.decode()
    assert "Tianshan Polysilicon Materials Co. Ltd." in critical
    assert "Lanificio Valle Sessera" not in critical
    low = csrf_client.get("/api/v1/suppliers", {"risk": "low"}).json()
    assert "Lanificio Valle Sessera S.p.A." in {s["legal_name"] for s in low["items"]}


def test_the_engine_version_is_shown_with_the_methodology(csrf_client, demo, monkeypatch):
    from chainproof.domain.risk import engine

    csrf_client.sign_in(demo)
    module = Product.objects.get(organization=demo.organization, sku="SOL-MOD-400")
    panel = csrf_client.get(f"/risk/product/{module.pk}/").content.decode()
    assert "Methodology chainproof-default v4; engine chainproof-risk v3;" in panel
    product_page = csrf_client.get(f"/suppliers/products/{module.pk}/").content.decode()
    assert "with chainproof-default v4 (engine chainproof-risk v3)" in product_page
    body = csrf_client.get(f"/api/v1/risk/products/{module.pk}/presumptions").json()
    assert (body["engine"], body["engine_version"]) == ("chainproof-risk", "3")
    listing = csrf_client.get("/api/v1/risk/assessments").json()["items"]
    assert listing
    assert all(item["engine_version"] == "3" for item in listing)

    monkeypatch.setattr(engine, "ENGINE_VERSION", "4")
    risk_score_all(organization_id=demo.organization.pk)
    history = csrf_client.get(f"/api/v1/risk/product/{module.pk}").json()
    assert [(h["engine_version"], h["is_current"]) for h in history] == [("4", True), ("3", False)]
    rows = csrf_client.get(f"/risk/product/{module.pk}/").content.decode()
    table = rows[rows.index('id="history"') :]
    assert table.index("chainproof-risk v4") < table.index("chainproof-risk v3")


def _scored_suppliers(member, names):
    from chainproof.suppliers.importing import run_import

    rows = "".join(f"{name},VN\n" for name in names)
    run_import(
        organization=member.organization,
        actor=member.user,
        entity="suppliers",
        data=f"legal_name,country\n{rows}".encode(),
        file_name="suppliers.csv",
    )
    risk_score_all(organization_id=member.organization.pk)


@pytest.mark.parametrize(
    ("word", "filters", "names", "walked"),
    [
        ("textile", {}, 62, True),  # a page of it among the first names: the index walked
        ("textile", {}, 49, False),  # not a page among those read: the rows found sorted
        ("zeta", {}, 62, False),  # only far after them: the rows found are sorted
        ("textile", {"country": "VN"}, 62, False),  # another filter: the rows found sorted
        ("beta", {}, 62, False),  # few rows found: sorted as they are
        ("100%", {}, 62, False),  # a LIKE wildcard searched for as itself: nothing found
    ],
)
def test_a_search_sorted_by_name_lists_its_matches_in_name_order(
    alice, refdata, monkeypatch, word, filters, names, walked
):
    from chainproof.common import paging
    from chainproof.risk import selectors

    textiles = [f"Alpha Textile {n:03d}" for n in range(60, 0, -1)]
    zetas = [f"Zeta Foods {n:03d}" for n in range(60, 0, -1)]
    betas = ["Beta Metals 1", "Beta Metals 0"]
    _scored_suppliers(alice, [*betas, *zetas, *textiles])
    # Up to 10 rows found are sorted by their ids (PostgreSQL); the first ``names`` names
    # are read to find a page of 50 (the first 62: the 60 textiles and the two betas).
    monkeypatch.setattr(paging, "NARROW_UP_TO", 10)
    monkeypatch.setattr(selectors, "NAMES_WALKED", names)
    found = selectors.register(alice.organization.pk, q=word, sort="name", **filters)
    expected = sorted({"textile": textiles, "zeta": zetas, "beta": betas}.get(word, []))
    assert [a.node_name for a in found[:50]] + [a.node_name for a in found[50:100]] == expected
    assert len(expected) == found.count()
    # walked: ordered by the indexed column itself, not by an expression of it
    assert (found.query.order_by[0] == "node_name") is walked


@pytest.mark.parametrize("expected_many", [False, True])
def test_a_search_expected_to_find_many_rows_is_not_narrowed_and_finds_the_same(
    alice, refdata, monkeypatch, expected_many
):
    """On PostgreSQL a search is listed from the ids it finds while they are few; one the
    planner expects to find very many rows skips that (here: any row expected is many)."""
    from django.db import connection

    from chainproof.common import paging
    from chainproof.risk import selectors

    names = [f"Gamma Weaving {n:02d}" for n in range(12)] + ["Delta Dyeing 1"]
    _scored_suppliers(alice, names)
    if expected_many:
        monkeypatch.setattr(paging, "EXPECTED_MANY_TIMES", 0)
    found = selectors.register(alice.organization.pk, q="weaving", sort="-score")
    assert sorted(a.node_name for a in found) == sorted(names[:12])
    narrowed = " IN (" in str(found.query)  # listed from the ids found
    assert narrowed is (connection.vendor == "postgresql" and not expected_many)


def test_a_search_among_no_rows_at_all_is_narrowed_to_nothing(alice, refdata):
    """A list Django knows is empty before asking (an empty list of ids) is searched like
    any other: no rows, no error (PostgreSQL explains such a query as nothing)."""
    from chainproof.common.paging import search_narrowed
    from chainproof.suppliers.models import Supplier

    _scored_suppliers(alice, ["Gamma Weaving 1"])
    nothing = Supplier.objects.filter(pk__in=[], legal_name__icontains="weaving")
    assert list(search_narrowed(nothing)) == []
    some = Supplier.objects.filter(organization=alice.organization, legal_name__icontains="weav")
    assert [s.legal_name for s in search_narrowed(some)] == ["Gamma Weaving 1"]
