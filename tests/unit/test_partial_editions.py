"""Pure parts of the partial editions: combining TIP cells, trust labels, several countries
per list entry."""

from pathlib import Path

import pytest

from chainproof.domain.editions import Placement, combine_placements, latest_placements
from chainproof.domain.nodes import NodeKey
from chainproof.domain.refdata import KINDS, get_kind, trust_words, validate_dataset
from chainproof.domain.risk.facts import NodeFacts, ReferenceFacts
from chainproof.domain.risk.methodology import parse_methodology
from chainproof.domain.risk.rules import own_reasons
from chainproof.domain.screening.matcher import ListEntry, ListIndex
from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.csv import read_csv

METHODOLOGY = parse_methodology(
    (
        Path(__file__).parents[2] / "src/chainproof/risk/methodologies/chainproof-default-1.yaml"
    ).read_text()
)


def test_the_main_table_wins_and_the_additions_fill_its_gaps():
    main = [Placement("IN", 2020, "T2"), Placement("IN", 2022, "T2WL")]
    added = [
        Placement("IN", 2021, "T2", "primary text", True),
        Placement("IN", 2022, "T1", "secondary source", True),  # the main table has 2022
    ]
    combined = combine_placements(main, added)
    assert [(p.year, p.tier_code, p.from_additions) for p in combined] == [
        (2020, "T2", False),
        (2021, "T2", True),
        (2022, "T2WL", False),
    ]


def test_the_latest_known_year_is_used_and_a_missing_country_stays_absent():
    cells = combine_placements(
        [Placement("RU", 2020, "T3"), Placement("RU", 2025, "T3")],
        [Placement("RU", 2021, "T3", "primary text", True), Placement("BD", 2019, "T2WL")],
    )
    assert latest_placements(cells, up_to_year=2024)["RU"].year == 2021
    assert latest_placements(cells, up_to_year=2026)["RU"].year == 2025
    assert "RU" not in latest_placements(cells, up_to_year=2019)
    assert "KE" not in latest_placements(cells, up_to_year=2026)


@pytest.mark.parametrize(
    ("note", "words"),
    [
        (
            "PRIMARY TEXT (State Dept country narrative) | evidence: INDIA: Tier 2",
            "primary text: State Department narrative",
        ),
        (
            "PRIMARY TEXT (refworld); DERIVED year from the reporting period | evidence: x",
            "primary text: State Department narrative, derived",
        ),
        (
            'THIRD-PARTY EXCERPT of the State Dept narrative ("Adapted from TIP 2019") | x',
            "third-party excerpt of the State Department narrative",
        ),
        (
            "SECONDARY (news); DERIVED from a multi-year statement | evidence: DERIVED? no",
            "secondary source: news or third-party page, derived",
        ),
        (
            "SECONDARY (news) | evidence: the word DERIVED here is evidence",
            "secondary source: news or third-party page",
        ),
        ("a blog said so", ""),
        ("", ""),
    ],
)
def test_trust_words(note, words):
    assert trust_words(note) == words


def test_the_additional_kinds_name_the_kind_they_complete():
    assert get_kind("tip_tiers_additions").supplements == "tip_tiers"
    assert get_kind("ofac_sdn_dprk_addresses").supplements == "ofac_sdn_dprk"
    assert get_kind("dprk_overseas_labor_additions").supplements == "dprk_overseas_labor"
    for kind in KINDS.values():
        assert not kind.supplements or kind.supplements in KINDS


def _addresses(*rows):
    header = ",".join(c.name for c in get_kind("ofac_sdn_dprk_addresses").columns)
    return read_csv("\n".join([header, *rows]).encode(), "addresses.csv")


def test_an_address_row_for_namibia_keeps_na():
    rows = validate_dataset(
        get_kind("ofac_sdn_dprk_addresses"),
        _addresses(
            "22704,QINGDAO CONSTRUCTION (NAMIBIA) CC,entity,DPRK3,34348,"
            '"ERF 338, Platinum Street",Windhoek,Namibia,NA,',
            "23727,NAM SAN 8,vessel,DPRK4,35979,,,,,",
        ),
        source="t.csv",
        known_countries={"NA", "KP"},
    )
    assert [r["iso2"] for r in rows] == ["NA", None]


def test_an_address_row_with_an_unknown_country_is_refused():
    with pytest.raises(TableFileError) as refused:
        validate_dataset(
            get_kind("ofac_sdn_dprk_addresses"),
            _addresses("1,X,entity,DPRK3,2,,,Nowhere,QQ,"),
            source="t.csv",
            known_countries={"NA", "KP"},
        )
    assert refused.value.errors[0].column == "iso2"


def _index(*entries):
    return ListIndex.build(list(entries))


def test_an_entry_with_several_countries_agrees_with_any_of_them():
    entry = ListEntry(
        "ofac:1",
        "ofac_sdn_dprk",
        ("KOREA TANGUN TRADING CORPORATION",),
        "KP",
        other_countries=("CN",),
    )
    index = _index(entry)
    (in_cn,) = index.screen(["Korea Tangun Trading Corporation"], country="CN")
    (in_kp,) = index.screen(["Korea Tangun Trading Corporation"], country="KP")
    (in_us,) = index.screen(["Korea Tangun Trading Corporation"], country="US")
    assert ("same country CN", pytest.approx(in_cn.qualifiers[0][1])) == in_cn.qualifiers[0]
    assert in_kp.qualifiers[0][0] == "same country KP"
    assert in_us.qualifiers[0][0] == "country US vs KP, CN"
    assert in_us.score < in_kp.score


def test_any_of_an_entrys_addresses_can_agree():
    entry = ListEntry(
        "ofac:2",
        "ofac_sdn_dprk",
        ("QINGDAO CONSTRUCTION (NAMIBIA) CC",),
        "NA",
        address="P.O. Box 26774, Windhoek",
        other_addresses=("ERF 338, Platinum Street, Prosperita, Windhoek",),
    )
    (match,) = _index(entry).screen(
        ["Qingdao Construction Namibia"],
        country="NA",
        address="ERF 338 Platinum Street, Prosperita, Windhoek",
    )
    assert any(name.startswith("similar address") for name, _ in match.qualifiers)


def _reasons(ref, country):
    facts = NodeFacts(node=NodeKey.facility(1), kind="facility", name="Site", country=country)
    return {r.factor: r for r in own_reasons(facts, ref, METHODOLOGY)}


def test_the_risk_explanation_names_the_source_and_trust_of_a_filled_tier():
    ref = ReferenceFacts(
        tip={"BD": (2019, "T2WL"), "IN": (2025, "T2")},
        goods={},
        wros=(),
        dprk_hosts={"KE": "Kenya harbored North Korean workers", "RU": "contracts"},
        editions={
            "tip_tiers": "TIP main",
            "tip_tiers_additions": "TIP fills",
            "dprk_overseas_labor": "Factbook",
            "dprk_overseas_labor_additions": "More statements",
        },
        tip_trust={"BD": "secondary source: news or third-party page, derived"},
        dprk_hosts_added=frozenset({"KE"}),
    )
    bd = _reasons(ref, "BD")["tip_tier"]
    assert bd.evidence == (
        "Facility in BD; TIP 2019: Tier 2 Watch List "
        "(secondary source: news or third-party page, derived)"
    )
    assert bd.source == "TIP fills"
    india = _reasons(ref, "IN")["tip_tier"]
    assert (india.evidence, india.source) == ("Facility in IN; TIP 2025: Tier 2", "TIP main")
    assert _reasons(ref, "KE")["dprk_host_country"].source == "More statements"
    assert _reasons(ref, "RU")["dprk_host_country"].source == "Factbook"
    unknown = _reasons(ref, "AQ")["tip_tier"]
    assert unknown.evidence == "Facility in AQ; TIP tier unknown: none in the editions in force"
