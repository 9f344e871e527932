"""Risk scoring from the database: golden results on the demo chain, history,
incremental re-scoring, methodology versions, as-of editions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from chainproof.domain.nodes import NodeKey
from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from chainproof.risk.models import MethodologyVersion, RiskAssessment
from chainproof.risk.selectors import current_for
from chainproof.risk.services import methodology_save, risk_rescore, risk_score_all
from chainproof.suppliers.models import Facility, Product, Supplier
from chainproof.suppliers.services import facility_save
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    return alice


def _product(org, sku):
    product = Product.objects.get(organization=org, sku=sku)
    return current_for(org.pk, "product", product.pk)


def _checks(assessment):
    return {p["regime"]: p for p in assessment.presumptions}


def _reasons(assessment):
    return " | ".join(r["evidence"] for r in assessment.reasons)


def test_golden_seafood_processor_in_a_dprk_host_country(demo):
    org = demo.organization
    pollock = _product(org, "SEA-POL-200")
    assert pollock.level in ("high", "critical")
    assert "Yalu Seafood Processing Plant No. 3" in _reasons(pollock)
    caatsa = _checks(pollock)["caatsa_321b"]
    assert caatsa["status"] == "may_apply"
    assert any(
        "Yalu Seafood Processing Plant No. 3 (CN) are not ruled out" in r for r in caatsa["missing"]
    )
    plant = Facility.objects.get(organization=org, ref="F-CN-02")
    site = current_for(org.pk, "facility", plant.pk)
    factors = {r["factor"] for r in site.reasons}
    assert {"tip_tier", "dprk_host_country", "dprk_workers_unknown", "dol_goods"} <= factors
    assert site.level == "critical"


def test_golden_polysilicon_from_xinjiang(demo):
    org = demo.organization
    module = _product(org, "SOL-MOD-400")
    assert module.level in ("high", "critical")
    uflpa = _checks(module)["uflpa"]
    assert uflpa["status"] == "applies"
    assert "Tianshan Polysilicon Shihezi Plant (CN) is in Xinjiang" in uflpa["reasons"][0]
    shihezi = Facility.objects.get(organization=org, ref="F-CN-05")
    site = current_for(org.pk, "facility", shihezi.pk)
    assert site.level == "critical"
    assert any(r["factor"] == "xinjiang" and "Shihezi" in r["evidence"] for r in site.reasons)


def test_golden_lookalike_trader_is_critical_through_xinjiang_polysilicon(demo):
    org = demo.organization
    trader = Supplier.objects.get(organization=org, ref="S-CN-07")
    assessment = current_for(org.pk, "supplier", trader.pk)
    assert assessment.level == "critical"
    warehouse = Facility.objects.get(organization=org, ref="F-CN-08")
    site = current_for(org.pk, "facility", warehouse.pk)
    upstream = next(r for r in site.reasons if r["factor"] == "upstream")
    assert (
        "Polysilicon from Tianshan Polysilicon Shihezi Plant (CN), 1 tier up"
        in (upstream["evidence"])
    )
    assert "Worksite in Xinjiang" in upstream["evidence"]


def test_golden_clean_chain_is_low(demo):
    scarf = _product(demo.organization, "APP-SCF-010")
    assert scarf.level == "low"
    assert all(p["status"] == "does_not_apply" for p in scarf.presumptions)


def test_assessments_record_methodology_and_editions(demo):
    pollock = _product(demo.organization, "SEA-POL-200")
    assert str(pollock.methodology) == "chainproof-default v4"  # the latest bundled
    assert pollock.editions["tip_tiers"].startswith("TIP Reports 2001-2025")
    assert pollock.as_of


def test_rescoring_unchanged_inputs_writes_nothing_and_a_change_keeps_history(demo):
    org = demo.organization
    before = RiskAssessment.objects.filter(organization=org).count()
    again = risk_score_all(organization_id=org.pk)
    assert again["changed"] == 0
    assert RiskAssessment.objects.filter(organization=org).count() == before

    scarf_mill = Facility.objects.get(organization=org, ref="F-IT-01")
    with transaction.atomic():
        facility_save(
            organization=org.pk,
            actor=demo.user,
            facility=scarf_mill,
            data={"dprk_workers": "present", "dprk_worker_count": 3},
        )
    result = risk_rescore(organization_id=org.pk, changed={NodeKey.facility(scarf_mill.pk)})
    assert result["affected"] >= 3  # the mill, its company, the scarf
    scarf = Product.objects.get(organization=org, sku="APP-SCF-010")
    history = list(
        RiskAssessment.objects.filter(
            organization=org, node_type="product", node_id=scarf.pk
        ).order_by("computed_at")
    )
    assert len(history) == 2
    assert not history[0].is_current
    assert history[1].is_current
    assert history[1].score > history[0].score
    assert history[1].level == "critical"
    # presumptions need the whole upstream: the job queues a full run that updates them
    full = risk_score_all(organization_id=org.pk)
    assert full["changed"] >= 1
    assert _checks(current_for(org.pk, "product", scarf.pk))["caatsa_321b"]["status"] == ("applies")


def test_a_facility_edit_queues_a_rescore_job(demo, django_capture_on_commit_callbacks):
    org = demo.organization
    mill = Facility.objects.get(organization=org, ref="F-IT-02")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        facility_save(
            organization=org.pk, actor=demo.user, facility=mill, data={"dprk_workers": "unknown"}
        )
    assert Job.objects.filter(
        kind="risk.rescore", status="queued", params={"nodes": [f"f:{mill.pk}"]}
    ).exists()
    run_pending()
    assessment = current_for(org.pk, "facility", mill.pk)
    assert any(r["factor"] == "dprk_workers_unknown" for r in assessment.reasons)


def test_an_adjusted_methodology_is_a_new_version_used_from_then_on(demo):
    org = demo.organization
    bundled = MethodologyVersion.objects.get(organization__isnull=True, version="3")
    content = bundled.content.replace('version: "3"', 'version: "3-acme"').replace(
        "  xinjiang:                # worksite in the Xinjiang Uyghur Autonomous Region "
        "(UFLPA)\n    points: 80",
        "  xinjiang:                # worksite in the Xinjiang Uyghur Autonomous Region "
        "(UFLPA)\n    points: 10",
    )
    with transaction.atomic():
        version = methodology_save(
            organization=org, actor=demo.user, content=content, based_on=bundled
        )
    risk_score_all(organization_id=org.pk)
    shihezi = Facility.objects.get(organization=org, ref="F-CN-05")
    site = current_for(org.pk, "facility", shihezi.pk)
    assert site.methodology_id == version.pk
    assert next(r for r in site.reasons if r["factor"] == "xinjiang")["points"] == 10
    with pytest.raises(ValidationError, match="exists already"), transaction.atomic():
        methodology_save(organization=org, actor=demo.user, content=content, based_on=bundled)
    with pytest.raises(ValidationError, match="levels"), transaction.atomic():
        methodology_save(
            organization=org,
            actor=demo.user,
            based_on=bundled,
            content=content.replace("  high: 50", "  high: 5").replace('"3-acme"', '"4"'),
        )


def test_cli_score_and_as_of(demo, capsys):
    call_command("risk", "score", "--all", "--organization", demo.organization.slug)
    assert "records scored with chainproof-default v4" in capsys.readouterr().out
    call_command(
        "risk", "score", "--product", "SOL-MOD-400", "--organization", demo.organization.slug
    )
    out = capsys.readouterr().out
    assert "Monocrystalline solar module 400 W" in out
    assert "uflpa: applies" in out
    call_command(
        "risk", "score", "--all", "--as-of", "2024-01-01", "--organization", demo.organization.slug
    )
    out = capsys.readouterr().out
    assert "As of 2024-01-01 (not stored)" in out
    assert "dol_goods: 2022 TVPRA List" in out
    assert "cbp_wro_findings" not in out.split("editions:")[1].split("\n")[0]  # not yet out


def test_as_of_uses_the_tip_report_of_that_year(demo, refdata):
    from chainproof.risk.snapshot import reference_facts

    assert reference_facts(demo.organization.pk, date(2026, 11, 1)).tip["KP"][0] == 2025
    assert reference_facts(demo.organization.pk, date(2025, 12, 1)).tip["KP"][0] == 2025
    early = reference_facts(demo.organization.pk, date(2025, 9, 1))
    assert early.tip == {}  # the compiled TIP edition is as of 2025-09-29


def test_a_new_reference_edition_queues_a_rescore(demo, django_capture_on_commit_callbacks):
    from chainproof.reference.services import BUNDLED_DIR, DatasetFile, datasets_load

    data = (BUNDLED_DIR / "ilo_forced_labour_indicators.csv").read_bytes()
    Job.objects.filter(kind="risk.score_all").delete()
    with django_capture_on_commit_callbacks(execute=True):
        datasets_load(
            [
                DatasetFile(
                    kind="ilo_indicators",
                    file_name="ilo.csv",
                    data=data,
                    edition="ILO test",
                    as_of=date(2026, 1, 1),
                    source="test",
                )
            ],
            organization=demo.organization,
        )
    assert (
        Job.objects.filter(
            kind="risk.score_all", organization=demo.organization, status="queued"
        ).count()
        == 1
    )
