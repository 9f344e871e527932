"""Methodology version 4 on the register: a Xinjiang polysilicon plant and an ordinary
Jiangsu frame maker are told apart, country facts alone never make a site critical, and a
question not yet asked is a gap, not points."""

import pytest

from chainproof.risk.models import RiskAssessment
from chainproof.risk.selectors import register
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import Facility
from tests.supply import csv_bytes

pytestmark = pytest.mark.django_db


def _load(org, **files):
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        if entity in files:
            run_import(
                organization=org,
                actor=None,
                entity=entity,
                data=csv_bytes(entity, *files[entity]),
                file_name=f"{entity}.csv",
            )


@pytest.fixture
def two_sites(alice, refdata):
    """Exactly two worksites, each shipping its good to the importer."""
    _load(
        alice.organization,
        suppliers=[
            {"ref": "S-1", "legal_name": "Tianshan Polysilicon Co. Ltd.", "country": "CN"},
            {"ref": "S-2", "legal_name": "Suzhou Frame Works Co. Ltd.", "country": "CN"},
        ],
        facilities=[
            {
                "ref": "F-1",
                "name": "Shihezi Polysilicon Plant",
                "kind": "processing_plant",
                "supplier": "S-1",
                "city": "Shihezi",
                "country": "CN",
                "activities": "processing",
            },
            {
                "ref": "F-2",
                "name": "Suzhou Aluminium Frame Plant",
                "kind": "factory",
                "supplier": "S-2",
                "city": "Suzhou",
                "subdivision": "Jiangsu",
                "country": "CN",
                "activities": "manufacturing",
            },
        ],
        materials=[
            {
                "name": "Polysilicon",
                "dol_goods": "Polysilicon",
                "high_scrutiny_sector": "polysilicon",
            },
            {"name": "Aluminium frame", "high_scrutiny_sector": "aluminum"},
        ],
        products=[
            {"sku": "POLY", "name": "Polysilicon lot", "inputs": "Polysilicon"},
            {"sku": "FRAME", "name": "Module frame", "inputs": "Aluminium frame"},
        ],
        links=[
            {
                "from_facility": "F-1",
                "to_importer": "yes",
                "product_sku": "POLY",
                "valid_from": "2025-01-01",
            },
            {
                "from_facility": "F-2",
                "to_importer": "yes",
                "product_sku": "FRAME",
                "valid_from": "2025-01-01",
            },
        ],
    )
    risk_score_all(organization_id=alice.organization.pk)
    return alice.organization


def _site(org, ref):
    facility = Facility.objects.get(organization=org, ref=ref)
    return RiskAssessment.objects.get(
        organization=org, node_type="facility", node_id=facility.pk, is_current=True
    )


def test_the_register_separates_a_xinjiang_polysilicon_plant_from_a_jiangsu_frame_maker(two_sites):
    shihezi, frames = _site(two_sites, "F-1"), _site(two_sites, "F-2")
    assert str(shihezi.methodology) == "chainproof-default v4"
    assert (shihezi.level, float(shihezi.score)) == ("critical", 100.0)
    # an ordinary frame maker in a Tier 3 country that hosts North Korean workers, in a
    # CBP high-priority sector: a starting point, not a finding
    assert frames.level == "medium"
    assert float(frames.score) == 30.0  # Tier 3 20 + host country 5 + sector 5
    assert float(shihezi.score) - float(frames.score) >= 50
    facilities = list(register(two_sites.pk, node_type="facility"))
    assert [a.node_name for a in facilities] == [
        "Shihezi Polysilicon Plant",
        "Suzhou Aluminium Frame Plant",
    ]


def test_a_new_worksite_is_not_yet_asked_and_scores_no_points_for_it(two_sites):
    frames = Facility.objects.get(organization=two_sites, ref="F-2")
    assert frames.dprk_workers == "not_asked"  # a blank cell: nobody asked yet
    site = _site(two_sites, "F-2")
    assert {r["factor"] for r in site.reasons} == {
        "tip_tier",
        "dprk_host_country",
        "high_scrutiny_sector",
    }
    # CAATSA 321(b) cannot be ruled out for the product until the question is asked
    frame = RiskAssessment.objects.get(
        organization=two_sites, node_type="product", node_name="Module frame", is_current=True
    )
    caatsa = next(p for p in frame.presumptions if p["regime"] == "caatsa_321b")
    assert caatsa["status"] == "may_apply"
    assert any("has not been asked yet" in m for m in caatsa["missing"])


def test_country_facts_alone_never_make_a_site_critical_on_the_demo(alice, refdata):
    from tests.supply import load_demo

    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    current = RiskAssessment.objects.filter(organization=alice.organization, is_current=True)
    site_facts = {
        "xinjiang",
        "wro_entity",
        "entity_list_confirmed",
        "entity_list_possible",
        "dprk_workers_present",
        "dprk_workers_unknown",
        "migrant_workers",
        "upstream",
        "unknown_upstream",
        "site_unknown",
        "presumption",
    }
    country_only = [
        a
        for a in current.filter(node_type="facility")
        if not any(
            r["factor"] in site_facts or r["factor"].startswith("signal:") for r in a.reasons
        )
    ]
    assert len(country_only) > 10
    assert all(a.level in ("low", "medium", "high") for a in country_only)
    assert max(float(a.score) for a in country_only) < 75
    # the register ranks: far fewer records at the top than with version 3 (27, 15 at 100)
    levels = [a.level for a in current]
    assert len(levels) == 84
    assert levels.count("critical") <= 15
    assert sum(1 for a in current if float(a.score) == 100.0) <= 6


def test_on_the_demo_register_products_where_a_presumption_applies_come_first(alice, refdata):
    from tests.supply import load_demo

    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    products = list(register(alice.organization.pk, node_type="product"))
    applies = [
        a for a in products if "applies" in (a.caatsa_status, a.uflpa_status, a.section307_status)
    ]
    assert [a.node_name for a in applies] == ["Monocrystalline solar module 400 W"]
    assert products[: len(applies)] == applies
    module = applies[0]
    assert (float(module.score), module.level) == (100.0, "critical")
    assert module.main_reason["factor"] == "presumption"
    # a product where a presumption may apply ranks above the one where none does
    clean = next(a for a in products if a.node_name == "Merino wool scarf")
    assert clean.caatsa_status == clean.uflpa_status == clean.section307_status == "does_not_apply"
    may = [a for a in products if a not in applies and a != clean]
    assert may
    assert all(float(a.score) > float(clean.score) for a in may)
