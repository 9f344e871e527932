"""The risk engine's version on every assessment: stored, part of the fingerprint (a new
version writes every assessment again, the same version nothing), and given to rows
stored before the field existed by the migration."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk import engine
from chainproof.risk.models import RiskAssessment
from chainproof.risk.services import risk_rescore, risk_score_all
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import facility_save
from tests.supply import load_demo


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def _current(org):
    return RiskAssessment.objects.filter(organization=org, is_current=True)


@pytest.mark.django_db
def test_every_assessment_stores_the_engine_and_its_version(demo):
    rows = list(_current(demo.organization))
    assert len(rows) > 20
    assert {(a.engine, a.engine_version) for a in rows} == {("chainproof-risk", "3")}
    assert (engine.ENGINE_NAME, engine.ENGINE_VERSION) == ("chainproof-risk", "3")
    assert rows[0].engine_label == "chainproof-risk v3"


@pytest.mark.django_db
def test_a_new_engine_version_rewrites_an_unchanged_network_once(demo, monkeypatch):
    org = demo.organization
    total = RiskAssessment.objects.filter(organization=org).count()
    same = risk_score_all(organization_id=org.pk)
    assert same["changed"] == 0
    assert RiskAssessment.objects.filter(organization=org).count() == total

    monkeypatch.setattr(engine, "ENGINE_VERSION", "4")
    bumped = risk_score_all(organization_id=org.pk)
    assert bumped["changed"] == bumped["nodes"] == total
    assert RiskAssessment.objects.filter(organization=org).count() == 2 * total
    assert set(_current(org).values_list("engine_version", flat=True)) == {"4"}
    retired = RiskAssessment.objects.filter(organization=org, is_current=False)
    assert set(retired.values_list("engine_version", flat=True)) == {"3"}
    # the numbers did not change, only what computed them
    now = {(a.node_type, a.node_id, a.score, a.level, a.fingerprint) for a in _current(org)}
    then = {(a.node_type, a.node_id, a.score, a.level, a.fingerprint) for a in retired}
    assert len(now) == total
    assert {row[:4] for row in now} == {row[:4] for row in then}
    assert not {row[4] for row in now} & {row[4] for row in then}

    again = risk_score_all(organization_id=org.pk)
    assert again["changed"] == 0
    assert RiskAssessment.objects.filter(organization=org).count() == 2 * total


@pytest.mark.django_db
def test_an_incremental_rescore_stores_the_version_it_runs_with(demo, monkeypatch):
    org = demo.organization
    mill = Facility.objects.get(organization=org, ref="F-IT-01")
    monkeypatch.setattr(engine, "ENGINE_VERSION", "4")
    with transaction.atomic():
        facility_save(
            organization=org.pk, actor=demo.user, facility=mill, data={"dprk_workers": "present"}
        )
    result = risk_rescore(organization_id=org.pk, changed={NodeKey.facility(mill.pk)})
    assert result["changed"] >= 3  # the mill, its company, the scarf
    bumped = _current(org).filter(engine_version="4")
    assert bumped.count() == result["changed"]
    assert bumped.filter(node_type="facility", node_id=mill.pk).exists()
    # records the change cannot reach keep the assessment (and version) they had
    assert _current(org).filter(engine_version="3").count() > 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_assessments_engine_version_1():
    before, after = [("risk", "0001_initial")], [("risk", "0002_engine_version")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    org = old.get_model("accounts", "Organization").objects.create(name="Old Co", slug="old-co")
    version = old.get_model("risk", "MethodologyVersion").objects.create(
        name="chainproof-default", version="1", content="", sha256="0" * 64
    )
    stored = old.get_model("risk", "RiskAssessment").objects.create(
        organization_id=org.pk,
        node_type="facility",
        node_id=1,
        node_name="Mill",
        score=Decimal("12.5"),
        own_score=Decimal("12.5"),
        level="low",
        methodology_id=version.pk,
        as_of=date(2026, 1, 1),
        fingerprint="0" * 64,
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        row = new.get_model("risk", "RiskAssessment").objects.get(pk=stored.pk)
        assert (row.engine, row.engine_version) == ("chainproof-risk", "1")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
