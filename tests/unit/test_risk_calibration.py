"""Methodology version 4 and the words around scores, on hand-built facts: the main reason
is the largest, "not yet asked" is no points (and priced as "unknown" by the versions
written before it existed), country facts alone are never critical, and a product where a
presumption applies ranks above every product where none does, under every methodology."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainproof.domain.risk.engine import APPLIES, own_reasons, score_graph
from chainproof.domain.risk.facts import Edge, NodeFacts
from chainproof.domain.risk.gaps import site_gaps
from chainproof.domain.risk.labels import FACTOR_LABELS, factor_label, main_reason, ranked
from chainproof.domain.risk.methodology import (
    FACTOR_KEYS,
    MethodologyError,
    methodology_document,
    methodology_yaml,
    parse_methodology,
)
from chainproof.domain.risk.results import Reason
from tests.unit.test_risk_engine import REF

BUNDLED = Path(__file__).parents[2] / "src/chainproof/risk/methodologies"
METHODOLOGIES = {
    p.stem.rsplit("-", 1)[1]: parse_methodology(p.read_text())
    for p in sorted(BUNDLED.glob("*.yaml"))
}
V3, V4 = METHODOLOGIES["3"], METHODOLOGIES["4"]


def site(node, **kw):
    return NodeFacts(node=node, kind="facility", name=kw.pop("name", node), **kw)


SHIHEZI = site(
    "f:1",
    name="Shihezi Polysilicon Plant",
    country="CN",
    xinjiang_reason='city "Shihezi"',
    goods=("Polysilicon",),
    sectors=("polysilicon",),
    activities=("processing",),
    dprk_workers="not_asked",
)
JIANGSU_FRAMES = site(
    "f:2",
    name="Suzhou Aluminium Frame Plant",
    country="CN",
    goods=("Aluminium frame",),
    sectors=("aluminum",),
    activities=("manufacturing",),
    dprk_workers="not_asked",
)


def test_v4_separates_a_shihezi_polysilicon_plant_from_a_jiangsu_frame_maker():
    result = score_graph({"f:1": SHIHEZI, "f:2": JIANGSU_FRAMES}, [], REF, V4)
    shihezi, frames = result.scores["f:1"], result.scores["f:2"]
    assert (shihezi.score, shihezi.level) == (100.0, "critical")
    assert (frames.score, frames.level) == (30.0, "medium")
    # version 3 put the frame maker at 70 ("unknown" by default) or 50 ("not yet asked")
    old = score_graph({"f:2": JIANGSU_FRAMES}, [], REF, V3).scores["f:2"]
    assert (old.score, old.level) == (75.0, "critical")


@pytest.mark.parametrize("answer", ["none", "not_asked"])
def test_v4_country_and_goods_facts_alone_are_never_critical(answer):
    # the worst a site can look from its country and one good: Tier 3, a host country of
    # North Korean workers, a good on the DOL List, a CBP sector, a country-wide WRO
    # ("unknown" is the site's own answer, a site fact, so it is not part of this)
    worst = site(
        "f:9",
        country="TM",
        goods=("Cotton",),
        sectors=("cotton",),
        dprk_workers=answer,
    )
    ref = REF.__class__(
        tip=REF.tip, goods=REF.goods, wros=REF.wros, dprk_hosts={"TM": "x"}, editions={}
    )
    score = score_graph({"f:9": worst}, [], ref, V4).scores["f:9"]
    assert {r.factor for r in score.reasons} >= {"tip_tier", "dol_goods", "wro_country_goods"}
    assert (score.score, score.level) == (70.0, "high")


def test_not_yet_asked_adds_nothing_in_v4_and_counts_as_unknown_before():
    reasons = {r.factor: r for r in own_reasons(JIANGSU_FRAMES, REF, V4)}
    assert not any(f.startswith("dprk_workers") for f in reasons)
    for version in ("1", "2", "3"):
        old = {r.factor: r for r in own_reasons(JIANGSU_FRAMES, REF, METHODOLOGIES[version])}
        not_asked = old["dprk_workers_not_asked"]
        assert not_asked.points == 25  # as "unknown" in a host country scored then
        assert "not yet asked" in not_asked.evidence
    asked = site("f:3", country="CN", dprk_workers="unknown")
    assert {r.factor: r.points for r in own_reasons(asked, REF, V4)}["dprk_workers_unknown"] == 20


def test_a_methodology_may_price_not_yet_asked_and_is_checked():
    text = (BUNDLED / "chainproof-default-4.yaml").read_text()
    priced = parse_methodology(
        text.replace(
            "    points: 0\n    in_host_country: 0", "    points: 2\n    in_host_country: 7"
        )
    )
    reasons = {r.factor: r for r in own_reasons(JIANGSU_FRAMES, REF, priced)}
    assert reasons["dprk_workers_not_asked"].points == 7
    with pytest.raises(MethodologyError, match=r"dprk_workers_not_asked\.in_host_country"):
        parse_methodology(text.replace("    in_host_country: 0", "    in_host_country: -1"))


def test_gaps_name_what_to_ask():
    gaps = site_gaps(dprk_workers="not_asked", total_workers=None, migrant_workers=None)
    assert [g.fact for g in gaps] == ["dprk_workers", "total_workers"]
    assert gaps[0].question == "whether North Korean nationals are employed"
    assert site_gaps(dprk_workers="unknown", total_workers=10, migrant_workers=2) == ()
    assert [
        g.fact for g in site_gaps(dprk_workers="none", total_workers=10, migrant_workers=None)
    ] == ["migrant_workers"]


def test_the_main_reason_is_the_largest_not_the_first():
    # a plant at 100 from six factors, the country's tier first (issue 15)
    plant = site(
        "f:1",
        country="CN",
        xinjiang_reason="Shihezi",
        goods=("Polysilicon",),
        sectors=("polysilicon",),
        dprk_workers="unknown",
    )
    score = score_graph({"f:1": plant}, [], REF, V3).scores["f:1"]
    assert score.score == 100.0
    assert len(score.reasons) == 6
    assert score.reasons[0].factor == "tip_tier"
    assert main_reason(score.reasons).factor == "xinjiang"
    stored = [r.as_dict() for r in score.reasons]
    assert main_reason(stored)["factor"] == "xinjiang"  # as stored on an assessment
    assert [r["points"] for r in ranked(stored)] == sorted(
        (r["points"] for r in stored), reverse=True
    )
    # equal points: the engine's order decides; nothing scoring: no main reason
    tie = [Reason("a", "first", 10, ""), Reason("b", "second", 10, "")]
    assert main_reason(tie).evidence == "first"
    assert main_reason([Reason("tip_tier", "Tier 1", 0, "")]) is None
    assert main_reason([]) is None


def test_every_factor_has_words():
    for factor in [*FACTOR_KEYS, "dprk_workers_not_asked", "upstream", "presumption"]:
        assert factor in FACTOR_LABELS
        assert "_" not in factor_label(factor)
    assert factor_label("signal:identity_documents_retained") == (
        "Reported: Identity documents held by the employer"
    )
    assert factor_label("signal:new_code") == "Reported: new code"


def test_a_methodology_written_from_the_form_reads_back_the_same():
    text = methodology_yaml(methodology_document(V4), based_on=V4.label)
    again = parse_methodology(text)
    assert text.startswith("# Edited in chainproof's methodology form,\n# based on chainproof")
    assert (again.levels, again.decay_per_tier, again.factors, again.tip_points) == (
        V4.levels,
        V4.decay_per_tier,
        V4.factors,
        V4.tip_points,
    )
    assert again.signals == V4.signals


@st.composite
def chains(draw):
    """Worksites feeding products, some in Xinjiang or with North Korean workers."""
    sites = {
        f"f:{i}": site(
            f"f:{i}",
            country=draw(st.sampled_from(["CN", "IT", "MY", "RU", "TM"])),
            xinjiang_reason=draw(st.sampled_from(["", "", "", "Hotan"])),
            goods=draw(st.sampled_from([(), ("Cotton",), ("Polysilicon",)])),
            dprk_workers=draw(st.sampled_from(["none", "unknown", "not_asked", "present"])),
            activities=draw(st.sampled_from([("processing",), ("transport",)])),
        )
        for i in range(draw(st.integers(1, 8)))
    }
    products = {
        f"p:{i}": NodeFacts(node=f"p:{i}", kind="product", name=f"Product {i}")
        for i in range(draw(st.integers(2, 5)))
    }
    names = sorted(sites)
    edges = [
        Edge(a, b, "x")
        for a, b in draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names))))
        if a != b
    ]
    for product in products:
        for source in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)):
            edges.append(Edge(source, product, "y"))
    return {**sites, **products}, edges, sorted(products)


@pytest.mark.parametrize("version", sorted(METHODOLOGIES))
@settings(max_examples=60, deadline=None)
@given(chain=chains())
def test_a_product_where_a_presumption_applies_ranks_above_every_product_without_one(
    version, chain
):
    nodes, edges, products = chain
    result = score_graph(nodes, edges, REF, METHODOLOGIES[version], presumption_for=products)
    applies = [p for p in products if any(c.status == APPLIES for c in result.presumptions[p])]
    others = [p for p in products if p not in applies]
    for top in applies:
        assert result.scores[top].level == "critical"
        for other in others:
            assert result.scores[top].score > result.scores[other].score


def test_risk_from_upstream_is_the_main_reason_only_when_it_sets_the_score():
    own = [
        Reason("tip_tier", "Facility in CN; TIP 2025: Tier 3", 20, ""),
        Reason("dol_goods", "DOL List of Goods: Fish, CN", 20, ""),
        Reason("dprk_workers_unknown", "not ruled out", 20, ""),
        Reason("migrant_workers", "700 of 1200", 10, ""),
    ]
    weaker = Reason("upstream", "Upstream: ... (its own points are higher)", 43.35, "")
    # own points 70 are higher than the 43 carried in: the largest own reason is the main
    assert main_reason([*own, weaker]).factor == "tip_tier"
    assert ranked([*own, weaker])[0].factor == "tip_tier"
    stronger = Reason("upstream", "Upstream: Polysilicon from Shihezi", 85, "")
    assert main_reason([*own, stronger]) is stronger
    # a presumption that applies is why a product is at the top
    presumed = Reason("presumption", "presumption applies (UFLPA): ...", 15, "")
    assert main_reason([stronger, presumed]) is presumed


def test_equal_points_go_to_the_factor_with_more_points_in_all():
    reasons = [
        Reason("dol_goods", "DOL List of Goods: Garments, VN", 20, ""),
        Reason("dol_goods", "DOL List of Goods: Cotton, VN", 10, ""),
        Reason("signal:ilo_indicator_found", "Audit: debt bondage", 20, ""),
        Reason("signal:ilo_indicator_found", "Audit: retention of documents", 20, ""),
    ]
    assert main_reason(reasons).evidence == "Audit: debt bondage"
