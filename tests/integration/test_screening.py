"""Screening the demo chain against the bundled lists; review decisions and their effects."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.domain.nodes import NodeKey
from chainproof.risk.selectors import current_for
from chainproof.risk.services import risk_score_all
from chainproof.screening.models import ScreeningHit, WatchlistEntry
from chainproof.screening.services import hit_decide, screen, threshold_set
from chainproof.suppliers.models import Product, Supplier
from chainproof.suppliers.services import facility_save, supplier_save
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(alice, refdata):
    load_demo(alice.organization)
    result = screen(organization_id=alice.organization.pk, actor=alice.user)
    return alice, result


def _lookalike_hit(org):
    trader = Supplier.objects.get(organization=org, ref="S-CN-07")
    hits = ScreeningHit.objects.filter(
        organization=org,
        node_type="supplier",
        node_id=trader.pk,
        list_code="uflpa",
        entry_name__icontains="Hoshine",
    ).order_by("-score", "pk")
    assert hits.exists()  # listed under two UFLPA sections: one hit per listing
    return trader, hits.first()


def test_the_lookalike_trader_is_queued_with_an_explanation(screened):
    member, result = screened
    assert result["records"] >= 79
    _trader, hit = _lookalike_hit(member.organization)
    assert hit.status == "open"
    assert float(hit.score) >= 0.7
    assert "hoshyne ≈ hoshine" in hit.explanation
    assert hit.algorithm == "chainproof-names"
    assert "DHS page 2026-07-09" in hit.list_edition
    assert AuditEvent.objects.filter(action="screening.hit_created", object_id=str(hit.pk)).exists()
    clean = Supplier.objects.get(organization=member.organization, ref="S-IT-01")
    assert not ScreeningHit.objects.filter(node_type="supplier", node_id=clean.pk).exists()


def test_a_dismissed_hit_stays_dismissed_until_the_name_changes(screened):
    member, _ = screened
    org = member.organization
    trader, hit = _lookalike_hit(org)
    with pytest.raises(ValidationError, match="Say why"), transaction.atomic():
        hit_decide(hit=hit, actor=member.user, status="dismissed", reason=" ")
    with transaction.atomic():
        hit_decide(
            hit=hit,
            actor=member.user,
            status="dismissed",
            reason="Different company: Shenzhen trader, own USCC, no Hoshine ownership",
        )
    again = screen(organization_id=org.pk, actor=member.user)
    hit.refresh_from_db()
    assert hit.status == "dismissed"
    assert again["reopened"] == 0
    with transaction.atomic():
        supplier_save(
            organization=org.pk,
            actor=member.user,
            supplier=trader,
            data={"legal_name": "Hoshine Silicon Industry Trading Co. Ltd."},
        )
    screen(organization_id=org.pk, actor=member.user, nodes={NodeKey.supplier(trader.pk)})
    hit.refresh_from_db()
    assert hit.status == "open"
    assert AuditEvent.objects.filter(
        action="screening.hit_reopened", object_id=str(hit.pk)
    ).exists()


def test_a_confirmed_uflpa_match_makes_the_presumption_apply(screened):
    member, _ = screened
    org = member.organization
    trader, hit = _lookalike_hit(org)
    with transaction.atomic():
        hit_decide(hit=hit, actor=member.user, status="confirmed", reason="Same group")
    risk_score_all(organization_id=org.pk)
    supplier = current_for(org.pk, "supplier", trader.pk)
    reasons = {r["factor"]: r for r in supplier.reasons}
    assert reasons["entity_list_confirmed"]["points"] == 100
    assert "confirmed match" in reasons["entity_list_confirmed"]["evidence"]
    module = Product.objects.get(organization=org, sku="SOL-MOD-400")
    checks = {p["regime"]: p for p in current_for(org.pk, "product", module.pk).presumptions}
    assert any("Hoshine" in r and "UFLPA Entity List" in r for r in checks["uflpa"]["reasons"])


def test_an_open_hit_counts_as_a_possible_match_in_risk(screened):
    member, _ = screened
    org = member.organization
    trader, _hit = _lookalike_hit(org)
    risk_score_all(organization_id=org.pk)
    reasons = {r["factor"] for r in current_for(org.pk, "supplier", trader.pk).reasons}
    assert "entity_list_possible" in reasons


def test_native_script_names_and_watchlists_are_screened(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={
                "legal_name": "Yalu Trading",
                "country": "CN",
                "native_name": "조선광업개발무역회사",
            },
        )
        WatchlistEntry.objects.create(
            organization=org, name="Pearl River Fishing Fleet", country="CN"
        )
        supplier_save(
            organization=org.pk,
            actor=alice.user,
            data={"legal_name": "Pearl River Fishing Fleet Co., Ltd.", "country": "CN"},
        )
    screen(organization_id=org.pk, actor=alice.user)
    lists = {(h.list_code, h.entry_names[0]) for h in ScreeningHit.objects.filter(organization=org)}
    assert ("ofac_sdn_dprk", "KOREA MINING DEVELOPMENT TRADING CORPORATION") in lists
    assert ("watchlist", "Pearl River Fishing Fleet") in lists


def test_a_sites_address_like_the_watchlists_adds_to_the_score(alice, refdata):
    org = alice.organization
    with transaction.atomic():
        WatchlistEntry.objects.create(
            organization=org,
            name="Harbour Star Seafood",
            country="CN",
            address="8 Gangwan Road, Shidao, Rongcheng, Shandong",
        )
        for name, address in (
            ("Harbour Star Seafood Processing Plant", "No. 8 Gangwan Rd, Shidao, Rongcheng"),
            ("Harbour Star Seafood Factory", "120 Beach Road, Zhanjiang, Guangdong"),
        ):
            facility_save(
                organization=org.pk,
                actor=alice.user,
                data={"name": name, "country": "CN", "address": address},
            )
    screen(organization_id=org.pk, actor=alice.user)
    hits = {h.node_name: h for h in ScreeningHit.objects.filter(list_code="watchlist")}
    near, far = hits["Harbour Star Seafood Processing Plant"], hits["Harbour Star Seafood Factory"]
    assert "similar address" in near.explanation
    assert "similar address" not in far.explanation


@pytest.mark.django_db(transaction=True)
def test_screen_command_runs_in_its_own_transaction(alice, refdata):
    from django.core.management import call_command

    from chainproof.audit.selectors import verify_organization_chain

    with transaction.atomic():
        supplier_save(
            organization=alice.organization.pk,
            actor=alice.user,
            data={"legal_name": "Hoshine Silicon Industry Co", "country": "CN"},
        )
    call_command("screen", "--organization", alice.organization.slug)
    assert ScreeningHit.objects.filter(organization=alice.organization).exists()
    assert verify_organization_chain(alice.organization.pk).ok


def test_supplier_page_shows_its_screening_history(csrf_client, screened):
    member, _ = screened
    trader, hit = _lookalike_hit(member.organization)
    csrf_client.sign_in(member)
    page = csrf_client.get(f"/suppliers/{trader.pk}/").content.decode()
    assert 'id="screening"' in page
    assert f"/screening/hits/{hit.pk}/" in page


@pytest.mark.parametrize(
    ("name", "listed", "at_least"),
    [
        ("新疆生产建设兵团", "Xinjiang Production and Construction Corps", 0.95),
        ("김정은", "KIM, Jong Un", 0.95),
        ("조선광업개발무역회사", "KOREA MINING DEVELOPMENT TRADING CORPORATION", 0.95),
        ("정찰총국", "RECONNAISSANCE GENERAL BUREAU", 0.95),
    ],
)
def test_cross_script_names_against_the_bundled_lists(alice, refdata, name, listed, at_least):
    from chainproof.screening.services import list_index

    index, _ = list_index(alice.organization.pk)
    best = index.screen([name])[0]
    assert best.entry.names[0].startswith(listed)
    assert best.score >= at_least


@pytest.mark.parametrize(
    "name",
    [
        "Ningbo Harbour Logistics Co. Ltd.",
        "Korea Sinhung Trading Corporation",
        "Katanga Highlands Mining SARL",
    ],
)
def test_names_sharing_only_common_words_are_not_hits(alice, refdata, name):
    from chainproof.screening.services import list_index, threshold

    index, _ = list_index(alice.organization.pk)
    assert index.screen([name], threshold=threshold()) == []


def test_the_organizations_threshold_decides_what_is_queued(alice, refdata):
    org = alice.organization
    load_demo(org)
    with transaction.atomic():
        threshold_set(organization_id=org.pk, actor=alice.user, value="0.99")
    strict = screen(organization_id=org.pk, actor=alice.user)
    assert all(float(h.score) >= 0.99 for h in ScreeningHit.objects.filter(organization=org))
    with transaction.atomic():
        threshold_set(organization_id=org.pk, actor=alice.user, value="0.70")
    relaxed = screen(organization_id=org.pk, actor=alice.user)
    assert relaxed["new_hits"] > 0
    assert ScreeningHit.objects.filter(organization=org).count() > strict["new_hits"]
    _lookalike_hit(org)
