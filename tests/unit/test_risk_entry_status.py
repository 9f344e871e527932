"""A list hit on an entry no longer fully in force counts less, and says so in words
(methodology version 3: entity_list_entry_status); older methodologies count it fully."""

from pathlib import Path

import pytest

from chainproof.domain.risk.engine import APPLIES, MAY_APPLY, own_reasons, score_graph
from chainproof.domain.risk.facts import EntityHit, NodeFacts, ReferenceFacts, classify_wro
from chainproof.domain.risk.methodology import MethodologyError, parse_methodology

BUNDLED = Path(__file__).parents[2] / "src/chainproof/risk/methodologies"
V3 = (BUNDLED / "chainproof-default-3.yaml").read_text()
M3 = parse_methodology(V3)
M1 = parse_methodology((BUNDLED / "chainproof-default-1.yaml").read_text())
REF = ReferenceFacts(tip={}, goods={}, wros=(), dprk_hosts={}, editions={})


def _hit_reason(hit, m=M3):
    facts = NodeFacts(node="s:1", kind="supplier", name="Kingtom", entity_hits=(hit,))
    (reason,) = [r for r in own_reasons(facts, REF, m) if r.factor.startswith("entity_list")]
    return reason


def test_the_bundled_version_3_weighs_inactive_and_modified_entries():
    assert M3.label == "chainproof-default v3"
    assert M3.factors["entity_list_entry_status"] == {"inactive": 0.5, "modified": 0.75}


@pytest.mark.parametrize(
    ("status", "confirmed", "points", "words"),
    [
        ("Active", False, 20, None),
        ("", True, 100, None),
        (
            "Inactive-Pending Litigation",
            False,
            10,
            "entry inactive (pending litigation): counts half",
        ),
        (
            "Inactive-Pending Litigation",
            True,
            50,
            "entry inactive (pending litigation): counts half",
        ),
        ("Revoked", True, 50, "entry revoked: counts half"),
        ("Partially Modified", False, 15, "entry partially modified: counts three quarters"),
        ("Partially Modified", True, 75, "entry partially modified: counts three quarters"),
    ],
)
def test_a_hit_on_an_entry_not_in_force_counts_less_with_the_reason(
    status, confirmed, points, words
):
    hit = EntityHit("cbp_wro", "Kingtom Aluminio S.R.L.", confirmed=confirmed, status=status)
    reason = _hit_reason(hit)
    assert reason.points == points
    assert reason.evidence.startswith("CBP Withhold Release Orders and Findings: ")
    if words is None:
        assert "counts" not in reason.evidence
    else:
        assert reason.evidence.endswith(f"'Kingtom Aluminio S.R.L.'; {words}")


def test_a_methodology_written_before_statuses_counts_such_a_hit_fully():
    assert M1.factors["entity_list_entry_status"] == {"inactive": 1.0, "modified": 1.0}
    hit = EntityHit("cbp_wro", "Kingtom", confirmed=True, status="Inactive-Pending Litigation")
    reason = _hit_reason(hit, M1)
    assert reason.points == 100
    assert reason.evidence.endswith("entry inactive (pending litigation): counts fully")


def test_the_share_is_checked_like_every_number():
    with pytest.raises(
        MethodologyError,
        match=r"factors\.entity_list_entry_status\.inactive: expected a fraction from 0 to 1",
    ):
        parse_methodology(V3.replace("inactive: 0.5", "inactive: 50"))
    with pytest.raises(
        MethodologyError, match=r"factors\.entity_list_entry_status\.modified: expected a number"
    ):
        parse_methodology(V3.replace("    modified: 0.75", ""))


def test_a_confirmed_match_with_an_inactive_order_only_may_apply_section_307():
    def check(status):
        mill = NodeFacts(
            node="f:1",
            kind="facility",
            name="Mill",
            country="DO",
            dprk_workers="none",
            entity_hits=(EntityHit("cbp_wro", "Kingtom", confirmed=True, status=status),),
        )
        result = score_graph({"f:1": mill}, [], REF, M3, presumption_for=["f:1"])
        return {p.regime: p for p in result.presumptions["f:1"]}["section_307"]

    active = check("Active")
    assert active.status == APPLIES
    assert active.reasons == ("Mill (DO) is 'Kingtom', named in a WRO/Finding",)
    inactive = check("Inactive-Pending Litigation")
    assert inactive.status == MAY_APPLY
    assert inactive.reasons == (
        "Mill (DO) is 'Kingtom', named in a WRO/Finding; the entry is inactive (pending "
        "litigation)",
    )
    assert check("Partially Modified").status == APPLIES


def test_each_entity_a_wro_text_names_is_matched_by_its_own_name():
    order = classify_wro(
        iso2="JP",
        entity="Fuchu Prison; Union Kogyo Co., Ltd.",
        aliases=(),
        merchandise="Baseballs",
        order_type="WRO",
        effective="1995-02-14",
    )
    assert {"fuchu prison", "union kogyo"} <= order.core_names
    ref = ReferenceFacts(tip={}, goods={}, wros=(order,), dprk_hosts={}, editions={})
    facts = NodeFacts(node="s:2", kind="supplier", name="Union Kogyo Co., Ltd.", country="JP")
    assert [r.factor for r in own_reasons(facts, ref, M3)] == ["tip_tier", "wro_entity"]
