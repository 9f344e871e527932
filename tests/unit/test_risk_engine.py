"""The risk engine on small hand-built graphs: each factor, propagation, presumptions."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainproof.domain.risk.engine import (
    APPLIES,
    DOES_NOT_APPLY,
    MAY_APPLY,
    own_reasons,
    score_graph,
)
from chainproof.domain.risk.facts import (
    Edge,
    EntityHit,
    NodeFacts,
    ReferenceFacts,
    ReportedSignal,
    UnknownInput,
    classify_wro,
)
from chainproof.domain.risk.methodology import MethodologyError, parse_methodology

DEFAULT = (
    Path(__file__).parents[2] / "src/chainproof/risk/methodologies/chainproof-default-1.yaml"
).read_text()
M = parse_methodology(DEFAULT)

REF = ReferenceFacts(
    tip={
        "CN": (2025, "T3"),
        "MY": (2025, "T2WL"),
        "IT": (2025, "T1"),
        "TM": (2025, "T3"),
        "VN": (2025, "T2"),
    },
    goods={
        ("cotton", "CN"): ("forced_labor", "child_labor"),
        ("polysilicon", "CN"): ("forced_labor",),
        ("cotton", "TM"): ("forced_labor",),
    },
    wros=(
        classify_wro(
            iso2="TM",
            entity="All Turkmenistan Cotton or products produced in whole or "
            "in part with Turkmenistan cotton",
            aliases=(),
            merchandise="Cotton",
            order_type="WRO",
            effective="2018-05-18",
        ),
        classify_wro(
            iso2="CN",
            entity="Hoshine Silicon Industry Co. Ltd. and Subsidiaries",
            aliases=(),
            merchandise="Silica-based products",
            order_type="WRO",
            effective="2021-06-24",
        ),
        classify_wro(
            iso2="CN",
            entity="Xinjiang Uyghur Autonomous Region (XUAR)",
            aliases=(),
            merchandise="Cotton, Tomatoes and Downstream Products",
            order_type="WRO",
            effective="2021-01-13",
        ),
    ),
    dprk_hosts={"RU": "North Koreans ... timber industry", "CN": "North Korean workers ..."},
    editions={
        "tip_tiers": "TIP 2025 (as of 2025-09-29)",
        "dol_goods": "2022 TVPRA List",
        "cbp_wro_findings": "FY26",
        "uflpa_entity_list": "2026-07-09",
    },
)


def site(node, **kw):
    return NodeFacts(node=node, kind="facility", name=kw.pop("name", node), **kw)


def factors(facts):
    return {r.factor: r for r in own_reasons(facts, REF, M)}


def test_tip_tier_points_and_evidence_name_the_edition():
    reason = factors(site("f:1", country="CN", dprk_workers="none"))["tip_tier"]
    assert reason.points == 30
    assert reason.evidence == "Facility in CN; TIP 2025: Tier 3"
    assert reason.source == "TIP 2025 (as of 2025-09-29)"
    assert factors(site("f:1", country="IT", dprk_workers="none"))["tip_tier"].points == 0
    assert factors(site("f:1", country="ZZ", dprk_workers="none"))["tip_tier"].points == 10


def test_xinjiang_dol_goods_and_sector():
    found = factors(
        site(
            "f:1",
            country="CN",
            xinjiang_reason='city "Shihezi"',
            goods=("Polysilicon",),
            sectors=("polysilicon",),
            dprk_workers="none",
        )
    )
    assert found["xinjiang"].points == 80
    assert found["dol_goods"].evidence == "DOL List of Goods: Polysilicon, CN, forced labor"
    assert found["dol_goods"].points == 30
    assert found["high_scrutiny_sector"].points == 5


def test_wro_country_wide_entity_and_region_orders():
    tm = factors(site("f:1", country="TM", goods=("Cotton",), dprk_workers="none"))
    assert tm["wro_country_goods"].points == 30
    hoshine = factors(
        site("f:2", name="Hoshine Silicon Industry Co., Ltd.", country="CN", dprk_workers="none")
    )
    assert hoshine["wro_entity"].points == 80
    lookalike = factors(
        site("f:3", name="Hoshyne Silicon Industry Trading Co.", country="CN", dprk_workers="none")
    )
    assert "wro_entity" not in lookalike
    xinjiang_cotton = factors(
        site("f:4", country="CN", goods=("Cotton yarn",), xinjiang_reason="x", dprk_workers="none")
    )
    assert "XUAR" in xinjiang_cotton["wro_country_goods"].evidence
    guangdong_cotton = factors(site("f:5", country="CN", goods=("Cotton",), dprk_workers="none"))
    assert "wro_country_goods" not in guangdong_cotton


def test_north_korean_workers_and_hosts():
    present = factors(site("f:1", country="VN", dprk_workers="present", dprk_worker_count=12))
    assert present["dprk_workers_present"].points == 100
    assert "(12)" in present["dprk_workers_present"].evidence
    unknown_host = factors(site("f:2", country="RU", dprk_workers="unknown"))
    assert unknown_host["dprk_workers_unknown"].points == 25
    assert unknown_host["dprk_host_country"].points == 15
    unknown_elsewhere = factors(site("f:3", country="IT", dprk_workers="unknown"))
    assert unknown_elsewhere["dprk_workers_unknown"].points == 5
    assert "none" not in factors(site("f:4", country="IT", dprk_workers="none"))


def test_migrants_site_unknown_unknown_inputs_hits_and_signals():
    found = factors(
        NodeFacts(
            node="s:1",
            kind="supplier",
            name="Trader",
            country="MY",
            site_unknown=True,
            unknown_inputs=(UnknownInput("Polysilicon", True), UnknownInput("Carton", False)),
            entity_hits=(EntityHit("uflpa", "Xinjiang Daqo New Energy", confirmed=False),),
            signals=(
                ReportedSignal(
                    "identity_documents_retained", "Employer holds passports", "audit 2026-03-02"
                ),
                ReportedSignal("unmapped_code", "x", "q"),
            ),
        )
    )
    assert found["site_unknown"].points == 10
    assert found["unknown_upstream"].points in (15, 30)
    assert found["entity_list_possible"].points == 20
    assert found["signal:identity_documents_retained"].points == 30
    assert "signal:unmapped_code" not in found
    reasons = own_reasons(
        NodeFacts(
            node="s:1",
            kind="supplier",
            name="T",
            country="MY",
            unknown_inputs=(UnknownInput("Polysilicon", True), UnknownInput("Carton", False)),
        ),
        REF,
        M,
    )
    assert sorted(r.points for r in reasons if r.factor == "unknown_upstream") == [15, 30]
    migrants = factors(
        site("f:9", country="IT", total_workers=100, migrant_workers=40, dprk_workers="none")
    )
    assert migrants["migrant_workers"].points == 10


def chain():
    """polysilicon (Xinjiang) -> wafer (CN) -> module (MY) -> product."""
    nodes = {
        "f:1": site(
            "f:1",
            name="Shihezi Plant",
            country="CN",
            xinjiang_reason="Shihezi",
            dprk_workers="none",
            activities=("processing",),
        ),
        "f:2": site(
            "f:2",
            name="Wafer Plant",
            country="CN",
            dprk_workers="none",
            activities=("manufacturing",),
        ),
        "f:3": site(
            "f:3", name="Module Line", country="MY", dprk_workers="none", activities=("assembly",)
        ),
        "s:3": NodeFacts(node="s:3", kind="supplier", name="Module Co", country="MY"),
        "p:1": NodeFacts(node="p:1", kind="product", name="Solar module"),
    }
    edges = [
        Edge("f:1", "f:2", "Polysilicon"),
        Edge("f:2", "f:3", "Wafer"),
        Edge("f:3", "p:1", "Solar module"),
        Edge("f:3", "s:3", operates=True),
    ]
    return nodes, edges


def test_propagation_decays_per_tier_and_explains_the_path():
    nodes, edges = chain()
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    assert result.scores["f:1"].score == 100  # 30 (T3) + 80 (Xinjiang), capped
    assert result.scores["f:2"].score == 90.0
    assert result.scores["f:3"].score == 81.0
    assert result.scores["s:3"].score == 81.0  # a company is as risky as its riskiest site
    # 100 x 0.9^3 by decay alone; but UFLPA applies to the module (polysilicon from Shihezi):
    # a presumption that applies ranks the product at the top, whatever the tier distance
    plain = score_graph(nodes, edges, REF, M).scores["p:1"]
    assert (plain.score, plain.level) == (72.9, "high")
    assert result.scores["p:1"].score == 100.0
    assert result.scores["p:1"].level == "critical"
    (presumed,) = [r for r in result.scores["p:1"].reasons if r.factor == "presumption"]
    assert presumed.points == 27.1
    assert "presumption applies (UFLPA)" in presumed.evidence
    upstream = next(r for r in result.scores["p:1"].reasons if r.factor == "upstream")
    assert "Polysilicon from Shihezi Plant (CN), 3 tiers up" in upstream.evidence
    assert "Worksite in Xinjiang" in upstream.evidence
    assert result.scores["f:3"].via == "f:2"


def test_presumptions_on_the_product():
    nodes, edges = chain()
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    checks = {p.regime: p for p in result.presumptions["p:1"]}
    assert checks["uflpa"].status == APPLIES
    assert "Shihezi Plant (CN) is in Xinjiang" in checks["uflpa"].reasons[0]
    assert checks["caatsa_321b"].status == DOES_NOT_APPLY
    assert checks["section_307"].status == DOES_NOT_APPLY


def test_unknown_is_not_safe_for_presumptions():
    nodes, edges = chain()
    nodes["f:2"] = site(
        "f:2",
        name="Wafer Plant",
        country="CN",
        dprk_workers="unknown",
        activities=("manufacturing",),
        unknown_inputs=(UnknownInput("Cotton", True),),
    )
    nodes["f:1"] = site("f:1", name="Poly", country="CN", dprk_workers="none")
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    checks = {p.regime: p for p in result.presumptions["p:1"]}
    assert checks["caatsa_321b"].status == MAY_APPLY
    assert any("not ruled out" in m for m in checks["caatsa_321b"].missing)
    assert checks["uflpa"].status == MAY_APPLY
    assert checks["section_307"].status == MAY_APPLY  # unknown cotton; a cotton WRO exists


def test_north_korean_transport_is_a_sanctions_flag_not_321b():
    nodes, edges = chain()
    nodes["f:4"] = site(
        "f:4",
        name="Port Warehouse",
        country="RU",
        dprk_workers="present",
        activities=("transport",),
    )
    edges = [*edges, Edge("f:4", "f:3", "Wafer")]
    nodes["f:1"] = site("f:1", name="Poly", country="CN", dprk_workers="none")
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    checks = {p.regime: p for p in result.presumptions["p:1"]}
    assert checks["caatsa_321b"].status == DOES_NOT_APPLY
    assert "North Korea Sanctions Regulations" in result.sanctions_flags["p:1"][0]
    nodes["f:4"] = site(
        "f:4", name="Fish Plant", country="RU", dprk_workers="present", activities=("processing",)
    )
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    assert {p.regime: p for p in result.presumptions["p:1"]}["caatsa_321b"].status == APPLIES


def test_a_clean_chain_is_low():
    nodes = {
        "f:1": site("f:1", country="IT", dprk_workers="none", total_workers=100, migrant_workers=5),
        "p:1": NodeFacts(node="p:1", kind="product", name="Scarf"),
    }
    result = score_graph(nodes, [Edge("f:1", "p:1", "Scarf")], REF, M, presumption_for=["p:1"])
    assert result.scores["p:1"].level == "low"
    assert all(p.status == DOES_NOT_APPLY for p in result.presumptions["p:1"])


def test_boundary_nodes_feed_an_incremental_rescore():
    nodes, edges = chain()
    full = score_graph(nodes, edges, REF, M)
    boundary = {"f:2": (nodes["f:2"], full.scores["f:2"].score, full.scores["f:2"].reasons)}
    partial = score_graph(
        {k: nodes[k] for k in ("f:3", "s:3", "p:1")}, edges, REF, M, boundary=boundary
    )
    assert set(partial.scores) == {"f:3", "s:3", "p:1"}
    assert partial.scores["p:1"].score == full.scores["p:1"].score


def test_deterministic():
    nodes, edges = chain()
    first = score_graph(nodes, edges, REF, M, presumption_for=["p:1"])
    second = score_graph(
        dict(reversed(nodes.items())), list(reversed(edges)), REF, M, presumption_for=["p:1"]
    )
    assert first == second


@st.composite
def graphs(draw):
    size = draw(st.integers(2, 12))
    names = [f"f:{i}" for i in range(size)]
    nodes = {
        n: site(
            n,
            country=draw(st.sampled_from(["CN", "IT", "MY", "ZZ"])),
            dprk_workers=draw(st.sampled_from(["none", "unknown", "present"])),
        )
        for n in names
    }
    edges = [
        Edge(a, b, "x")
        for a, b in draw(
            st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=30)
        )
        if a != b
    ]
    return nodes, edges


@settings(max_examples=150, deadline=None)
@given(graphs(), st.data())
def test_adding_upstream_risk_never_lowers_a_downstream_score(graph, data):
    nodes, edges = graph
    before = score_graph(nodes, edges, REF, M)
    target = data.draw(st.sampled_from(sorted(nodes)))
    riskier = dict(nodes)
    riskier[target] = site(target, country="CN", dprk_workers="present", xinjiang_reason="Hotan")
    after = score_graph(riskier, edges, REF, M)
    for node in nodes:
        assert after.scores[node].score >= before.scores[node].score


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_scoring_terminates_on_cyclic_graphs_and_stays_in_range(graph):
    nodes, edges = graph
    cyclic = [*edges, *(Edge(e.target, e.source, "back") for e in edges)]
    result = score_graph(nodes, cyclic, REF, M, presumption_for=list(nodes))
    assert all(0 <= s.score <= 100 for s in result.scores.values())


def test_methodology_errors_name_the_problem():
    with pytest.raises(
        MethodologyError, match=r"factors\.xinjiang\.points: expected a number, found .eighty."
    ):
        parse_methodology(DEFAULT.replace("    points: 80", "    points: eighty"))
    with pytest.raises(MethodologyError, match="unknown factor"):
        parse_methodology(DEFAULT.replace("factors:\n", "factors:\n  moon_phase: {points: 5}\n"))
    with pytest.raises(MethodologyError, match="levels"):
        parse_methodology(DEFAULT.replace("  high: 50", "  high: 20"))
    with pytest.raises(MethodologyError, match="decay_per_tier"):
        parse_methodology(DEFAULT.replace("decay_per_tier: 0.9", "decay_per_tier: 1.5"))
    assert M.level_of(74.9) == "high"
    assert M.level_of(75) == "critical"


def test_a_product_where_a_presumption_applies_ranks_above_every_product_without_one():
    nodes, edges = chain()
    # A second product from a Malaysian line whose North Korean workers are not yet known:
    # CAATSA 321(b) may apply to it, nothing applies.
    nodes = {
        **nodes,
        "f:9": site("f:9", name="Other Line", country="MY", dprk_workers="unknown"),
        "p:2": NodeFacts(node="p:2", kind="product", name="Inverter"),
    }
    edges = [*edges, Edge("f:9", "p:2", "Inverter")]
    result = score_graph(nodes, edges, REF, M, presumption_for=["p:1", "p:2"])
    assert {c.regime: c.status for c in result.presumptions["p:2"]} == {
        "caatsa_321b": "may_apply",
        "uflpa": "does_not_apply",
        "section_307": "does_not_apply",
    }
    # its own sites score 20; "may apply" raises it by 10, above a product of like risk
    # where no presumption may apply, and never to where one applies
    assert result.scores["f:9"].score == 20.0
    assert result.scores["p:2"].score == 28.0  # 18 by decay + 10
    (raised,) = [r for r in result.scores["p:2"].reasons if r.factor == "presumption"]
    assert "presumption may apply (CAATSA 321(b))" in raised.evidence
    assert result.scores["p:1"].score == 100.0 > result.scores["p:2"].score


def test_a_reason_said_of_many_nodes_is_held_once():
    """Two sites in one country share their country's reasons (one object, not two equal
    ones: a run holds every node's reasons until it ends); what differs stays apart."""
    from chainproof.domain.nodes import NodeKey
    from chainproof.domain.risk.rules import own_points

    first, second = (
        NodeFacts(
            node=NodeKey.facility(i),
            kind="facility",
            name=f"Site {i}",
            country="CN",
            xinjiang_reason=f"address {i} in Urumqi",
        )
        for i in (1, 2)
    )
    _, mine = own_points(first, REF, M)
    _, theirs = own_points(second, REF, M)
    shared = [r for r in mine if r.factor == "tip_tier"]
    assert shared
    assert shared[0] is next(r for r in theirs if r.factor == "tip_tier")
    apart = [r for r in mine if r.factor == "xinjiang"]
    assert apart
    assert apart[0] not in theirs
