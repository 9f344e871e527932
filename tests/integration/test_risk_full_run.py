"""The full re-score by connected component, from the database: the same assessments as
scoring the whole graph at once, unchanged components skipped, and a component whose
stored assessments were touched by anything else scored again."""

import gc

import pytest
from django.db import transaction
from django.utils import timezone

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.engine import score_graph
from chainproof.domain.risk.methodology import parse_methodology
from chainproof.risk.models import RiskAssessment, ScoredComponent
from chainproof.risk.services import methodology_in_use, risk_rescore, risk_score_all
from chainproof.risk.snapshot import build_snapshot, reference_facts
from chainproof.risk.storing import fingerprint_of
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import facility_save
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(alice, refdata):
    load_demo(alice.organization)
    return alice.organization


def _current(org):
    return {
        (a.node_type, a.node_id): a
        for a in RiskAssessment.objects.filter(organization=org, is_current=True)
    }


def _whole_graph_fingerprints(org):
    """What the run did before it was split: the whole graph scored at once."""
    on = timezone.localdate()
    version = methodology_in_use(org.pk)
    ref = reference_facts(org.pk, on)
    snap = build_snapshot(org.pk, on)
    result = score_graph(
        snap.nodes,
        snap.edges,
        ref,
        parse_methodology(version.content),
        presumption_for=snap.products,
    )
    editions = repr(sorted(result.editions.items()))
    return {
        (node.type_name, node.id): fingerprint_of(
            score,
            [p.as_dict() for p in result.presumptions.get(node, ())],
            list(result.sanctions_flags.get(node, ())),
            version.pk,
            editions,
            (result.engine, result.engine_version),
        )
        for node, score in result.scores.items()
    }


def _first_facility_reports_dprk_workers(org):
    """Change one facility so that its score changes; returns it."""
    facility = Facility.objects.filter(organization=org).order_by("pk").first()
    with transaction.atomic():
        facility_save(
            organization=org.pk,
            actor=None,
            facility=facility,
            data={"dprk_workers": "present", "dprk_worker_count": 4},
        )
    return facility


def test_scoring_by_component_stores_what_scoring_the_whole_graph_gives(org):
    first = risk_score_all(organization_id=org.pk, batch_nodes=1)  # one component at a time
    assert first["components"] > 1
    assert first["changed"] == first["nodes"] > 20
    stored = _current(org)
    assert {key: a.fingerprint for key, a in stored.items()} == _whole_graph_fingerprints(org)
    # The rows themselves say what the fingerprint covers.
    assert all(a.reasons and a.level and a.engine_version for a in stored.values())
    # Scored again in one batch: nothing differs, nothing is written.
    ScoredComponent.objects.filter(organization=org).delete()
    again = risk_score_all(organization_id=org.pk, batch_nodes=10_000)
    assert (again["changed"], again["skipped"]) == (0, 0)


def test_an_unchanged_graph_is_skipped_and_a_change_rescoring_only_its_component(org):
    first = risk_score_all(organization_id=org.pk)
    assert ScoredComponent.objects.filter(organization=org).count() == first["components"]
    second = risk_score_all(organization_id=org.pk)
    assert (second["changed"], second["skipped"]) == (0, second["nodes"])

    facility = _first_facility_reports_dprk_workers(org)
    third = risk_score_all(organization_id=org.pk)
    assert third["changed"] >= 1
    assert 0 < third["skipped"] < third["nodes"]  # the other components were left alone
    assert current_fp(org, facility) != ""
    assert _whole_graph_fingerprints(org) == {k: a.fingerprint for k, a in _current(org).items()}


def current_fp(org, facility):
    return RiskAssessment.objects.get(
        organization=org, node_type="facility", node_id=facility.pk, is_current=True
    ).fingerprint


def test_assessments_changed_or_removed_by_anything_else_are_scored_again(org):
    risk_score_all(organization_id=org.pk)
    before = _current(org)
    facility = Facility.objects.filter(organization=org).order_by("pk").first()
    # An incremental re-score writes partial results (presumptions kept from the last
    # full run); a full run must not trust its digests for that component any more.
    with transaction.atomic():
        facility_save(
            organization=org.pk, actor=None, facility=facility, data={"name": "Renamed plant"}
        )
    assert risk_rescore(organization_id=org.pk, changed={NodeKey.facility(facility.pk)})["changed"]
    with transaction.atomic():
        facility_save(
            organization=org.pk,
            actor=None,
            facility=facility,
            data={"name": before[("facility", facility.pk)].node_name},
        )
    risk_rescore(organization_id=org.pk, changed={NodeKey.facility(facility.pk)})
    risk_score_all(organization_id=org.pk)
    assert {k: a.fingerprint for k, a in _current(org).items()} == _whole_graph_fingerprints(org)

    # A current assessment deleted outside the engine comes back on the next full run.
    victim = next(iter(before))
    RiskAssessment.objects.filter(organization=org, node_type=victim[0], node_id=victim[1]).delete()
    result = risk_score_all(organization_id=org.pk)
    assert result["changed"] == 1
    assert victim in _current(org)


def test_a_run_scores_without_the_cycle_collector_and_turns_it_back_on(org):
    seen = []
    risk_score_all(organization_id=org.pk, progress=lambda *_: seen.append(gc.isenabled()))
    assert seen
    assert not any(seen)
    assert gc.isenabled()

    def failing(*_):
        raise RuntimeError("progress failed")

    with pytest.raises(RuntimeError, match="progress failed"):
        risk_score_all(organization_id=org.pk, progress=failing)
    assert gc.isenabled()
    gc.disable()  # turned off by someone else: left off
    try:
        risk_score_all(organization_id=org.pk)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_stored_assessments_read_a_few_at_a_time_while_writing_only_what_changed(org, monkeypatch):
    from chainproof.risk import storing

    risk_score_all(organization_id=org.pk)
    _first_facility_reports_dprk_workers(org)
    ScoredComponent.objects.filter(organization=org).delete()  # every component scored
    monkeypatch.setattr(storing, "STORED_READ_NODES", 3)  # read three nodes' at a time
    result = risk_score_all(organization_id=org.pk)
    assert 1 <= result["changed"] < result["nodes"]  # the others compared equal: not written
    current = RiskAssessment.objects.filter(organization=org, is_current=True)
    assert current.count() == result["nodes"]  # each one it replaced is no longer current
    assert _whole_graph_fingerprints(org) == {k: a.fingerprint for k, a in _current(org).items()}


def test_current_assessments_read_by_range_or_by_list_are_those_asked_for(org, monkeypatch):
    """Ids close together are read as a range of the index (the others in it dropped),
    scattered ones by list: either way, exactly the nodes asked for."""
    from chainproof.risk.storing import current_of

    risk_score_all(organization_id=org.pk)
    stored = {
        NodeKey.of_type(a.node_type, a.node_id): (a.pk, a.fingerprint)
        for a in RiskAssessment.objects.filter(organization=org, is_current=True)
    }
    facilities = sorted(n for n in stored if n.type_name == "facility")
    assert len(facilities) >= 6
    every_other = facilities[::2]  # close together: one range, half of it dropped
    scattered = [*facilities[:2], NodeKey.facility(facilities[-1].id + 1_000_000)]
    mixed = [*every_other, *(n for n in stored if n.type_name == "supplier")]
    for asked in (facilities, every_other, scattered, mixed, []):
        expected = {n: stored[n] for n in asked if n in stored}
        assert current_of(org.pk, asked) == expected
    # An assessment no longer current is never read.
    first = facilities[0]
    RiskAssessment.objects.filter(pk=stored[first][0]).update(is_current=False)
    assert first not in current_of(org.pk, facilities)


def test_a_methodology_that_scored_assessments_cannot_be_deleted(org):
    """The assessments' keys are kept by the ORM, not the database: still refused."""
    from django.db.models import ProtectedError

    risk_score_all(organization_id=org.pk)
    used = RiskAssessment.objects.filter(organization=org).first().methodology
    with pytest.raises(ProtectedError), transaction.atomic():
        used.delete()
    assert RiskAssessment.objects.filter(organization=org, methodology=used).exists()
