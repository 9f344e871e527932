"""What each reference dataset does not cover, and the partial editions, on the pages."""

import html

import pytest

from chainproof.domain.refdata import KINDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    return csrf_client


def test_each_dataset_page_states_its_known_gaps(signed_in, refdata):
    with_gaps = [code for code, kind in KINDS.items() if kind.known_gaps]
    assert {"tip_tiers", "ofac_sdn_dprk", "dol_goods", "uflpa_entity_list"} <= set(with_gaps)
    for code in with_gaps:
        page = signed_in.get(f"/reference/datasets/{refdata[code].pk}/").content.decode()
        assert "Known gaps" in page, code
        for gap in KINDS[code].known_gaps:
            assert html.escape(gap) in page, (code, gap)


def test_the_gaps_a_user_must_know_are_stated(signed_in, refdata):
    tip = signed_in.get(f"/reference/datasets/{refdata['tip_tiers'].pk}/").content.decode()
    assert "unknown for that year, not &quot;not ranked&quot;" in tip
    ofac = signed_in.get(
        f"/reference/datasets/{refdata['ofac_sdn_dprk_addresses'].pk}/"
    ).content.decode()
    assert "about 2.5 months older than the name list" in ofac
    assert "OFAC SDN list: North Korea programs: its rows fill what that dataset lacks" in ofac
    goods = signed_in.get(f"/reference/datasets/{refdata['dol_goods'].pk}/").content.decode()
    assert "2022 edition" in goods


def test_the_index_lists_the_partial_editions_with_their_gaps(signed_in, refdata):
    page = signed_in.get("/reference/").content.decode()
    for code in ("tip_tiers_additions", "ofac_sdn_dprk_addresses", "dprk_overseas_labor_additions"):
        assert html.escape(KINDS[code].title) in page
        assert refdata[code].edition in page
    assert page.count("<summary>Known gaps</summary>") == sum(
        1 for kind in KINDS.values() if kind.known_gaps
    )
    assert html.escape(KINDS["uflpa_entity_list"].known_gaps[0]) in page


@pytest.mark.parametrize(
    ("slug", "kind", "expected"),
    [
        ("tip-additions", "tip_tiers_additions", "THIRD-PARTY EXCERPT"),
        ("ofac-addresses", "ofac_sdn_dprk_addresses", "Windhoek"),
        ("dprk-labor-additions", "dprk_overseas_labor_additions", "Kenya"),
    ],
)
def test_the_partial_editions_can_be_browsed(signed_in, refdata, slug, kind, expected):
    response = signed_in.get(
        f"/reference/{slug}/", {"q": expected} if slug != "tip-additions" else {}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert refdata[kind].edition in page
    assert expected in page
    assert "Known gaps" in page


def test_the_ofac_addresses_table_filters_by_namibia(signed_in):
    page = signed_in.get("/reference/ofac-addresses/", {"country": "NA"}).content.decode()
    assert "Platinum Street" in page
    assert "Pyongyang" not in page


def test_the_country_page_marks_filled_tip_years_and_keeps_missing_years_unknown(signed_in):
    page = signed_in.get("/reference/countries/TH/").content.decode()
    assert "TIP 2018: Tier 2 (primary text: State Department narrative)" in page
    assert "TIP 2021: Tier 2 Watch List (secondary source: news or third-party page)" in page
    assert "Single-country fills 2026-12" in page
    assert 'unknown (missing from the data), not "not ranked"' in page
    # 2025 comes from the main table, with no trust note.
    assert "TIP 2025:" not in page


def test_the_country_page_shows_the_added_statement_on_north_korean_workers(signed_in):
    page = signed_in.get("/reference/countries/KE/").content.decode()
    assert "Kenya, Malaysia and Thailand" in page
    assert "TIP narratives and news 2026-12" in page
    assert "No statement in the data" not in page
    elsewhere = signed_in.get("/reference/countries/IT/").content.decode()
    assert "No statement in the data" in elsewhere
