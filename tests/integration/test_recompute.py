"""The recomputation module: what a transaction changes is queued once, after it commits.

These tests commit for real (transactional tests), so the queuing is seen as it happens in
production: nothing while the transaction is open, one job per kind when it commits,
nothing at all when it rolls back.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from chainproof.domain.nodes import NodeKey, parse_all
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import facility_save, link_save, material_save, supplier_save
from tests.conftest import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member(refdata):
    return make_member("Recompute Imports", "rita", "admin")


def _jobs(org) -> Counter[str]:
    return Counter(Job.objects.filter(organization=org).values_list("kind", flat=True))


def _supplier(member, name="Harbor Co"):
    with transaction.atomic():
        supplier = supplier_save(
            organization=member.organization,
            actor=member.user,
            data={"legal_name": name, "country": "CN"},
        )
    Job.objects.all().delete()
    return supplier


def _save_site_then_fail(member, supplier, name):
    """A transaction that saves a site and then fails: it must leave nothing behind."""
    with transaction.atomic():
        facility_save(
            organization=member.organization,
            actor=member.user,
            data={"name": name, "country": "CN", "supplier": supplier},
        )
        raise RuntimeError("the caller gives up")


def test_five_facility_saves_in_one_transaction_queue_one_job_per_kind(member):
    supplier = _supplier(member)
    with transaction.atomic():
        sites = [
            facility_save(
                organization=member.organization,
                actor=member.user,
                data={"name": f"Plant {n}", "country": "CN", "supplier": supplier},
            )
            for n in range(5)
        ]
        assert not Job.objects.exists()  # nothing is queued before the commit
    counts = _jobs(member.organization)
    # A new site changes tiers (its operator), its score and its screening.
    assert counts == {
        JobKind.RISK_RESCORE: 1,
        JobKind.SCREENING_SCREEN: 1,
        JobKind.SUPPLIERS_TIERS: 1,
    }
    rescore = Job.objects.get(kind=JobKind.RISK_RESCORE)
    assert parse_all(rescore.params["nodes"]) == {NodeKey.of(site) for site in sites}
    screen = Job.objects.get(kind=JobKind.SCREENING_SCREEN)
    assert parse_all(screen.params["nodes"]) == {NodeKey.of(site) for site in sites}


def test_a_rolled_back_transaction_queues_nothing(member):
    supplier = _supplier(member)
    with pytest.raises(RuntimeError):
        _save_site_then_fail(member, supplier, "Never built")
    assert not Job.objects.exists()
    assert not Facility.objects.filter(name="Never built").exists()


def test_a_rolled_back_savepoint_drops_only_its_own_work(member):
    supplier = _supplier(member)
    with transaction.atomic():
        kept = facility_save(
            organization=member.organization,
            actor=member.user,
            data={"name": "Kept", "country": "CN", "supplier": supplier},
        )
        with pytest.raises(RuntimeError):
            _save_site_then_fail(member, supplier, "Dropped")  # a savepoint, rolled back
    rescore = Job.objects.get(kind=JobKind.RISK_RESCORE)
    assert parse_all(rescore.params["nodes"]) == {NodeKey.of(kept)}


def test_later_changes_join_the_waiting_job_and_a_waiting_full_run_covers_them(member):
    supplier = _supplier(member)
    first = NodeKey.supplier(supplier.pk)
    with transaction.atomic():
        recompute.supply_changed(member.organization, [first])
    with transaction.atomic():
        recompute.supply_changed(member.organization, [NodeKey.facility(999)])
    waiting = Job.objects.filter(kind=JobKind.RISK_RESCORE, status="queued")
    assert waiting.count() == 1
    assert parse_all(waiting.get().params["nodes"]) == {first, NodeKey.facility(999)}
    # Once claimed, a job takes no more nodes: the next change gets a job of its own.
    Job.objects.filter(kind=JobKind.RISK_RESCORE).update(status="running")
    with transaction.atomic():
        recompute.supply_changed(member.organization, [NodeKey.facility(1000)])
    assert Job.objects.filter(kind=JobKind.RISK_RESCORE, status="queued").count() == 1
    # A waiting full run already covers any partial one.
    Job.objects.all().delete()
    with transaction.atomic():
        recompute.scores_stale(member.organization)
        recompute.supply_changed(member.organization, [first])
    assert _jobs(member.organization) == {JobKind.RISK_SCORE_ALL: 1}


def test_links_and_names_decide_which_kinds_follow(member):
    supplier = _supplier(member)
    with transaction.atomic():
        site = facility_save(
            organization=member.organization,
            actor=member.user,
            data={"name": "Mill", "country": "CN", "supplier": supplier},
        )
    Job.objects.all().delete()
    with transaction.atomic():
        facility_save(
            organization=member.organization,
            actor=member.user,
            facility=site,
            data={"total_workers": 120},
        )
    # Same operator: no tier work; a save may rename, so screening follows.
    assert _jobs(member.organization) == {
        JobKind.RISK_RESCORE: 1,
        JobKind.SCREENING_SCREEN: 1,
    }
    Job.objects.all().delete()
    with transaction.atomic():
        steel = material_save(
            organization=member.organization, actor=member.user, data={"name": "Steel"}
        )
        link_save(
            organization=member.organization,
            actor=member.user,
            data={"source_facility": site, "target_importer": True, "material": steel},
        )
    counts = _jobs(member.organization)
    assert counts[JobKind.SUPPLIERS_TIERS] == 1
    assert counts[JobKind.SCREENING_SCREEN] == 0  # a link renames nothing


def test_new_reference_data_for_every_organization_queues_each_once(member):
    other = make_member("Second Importer", "sam", "admin")
    Job.objects.all().delete()
    with transaction.atomic():
        recompute.reference_changed(None, lists_changed=True)
        recompute.reference_changed(None, lists_changed=False)
    for org in (member.organization, other.organization):
        assert _jobs(org) == {JobKind.RISK_SCORE_ALL: 1, JobKind.SCREENING_SCREEN: 1}


def test_accepting_a_response_with_ten_worksites_queues_one_job_per_kind(member):
    from datetime import date, timedelta

    from chainproof.domain.questionnaire.answers import check
    from chainproof.questionnaires.campaigns import campaign_create
    from chainproof.questionnaires.models import QuestionnaireRequest, Submission
    from chainproof.questionnaires.review import request_accept
    from chainproof.questionnaires.versions import definition, versions_sync
    from tests.questionnaire_helpers import TYPED, countries

    supplier = _supplier(member, "Lotus Garment Co., Ltd.")
    with transaction.atomic():
        campaign = campaign_create(
            organization_id=member.organization.pk,
            actor=member.user,
            name="Q4",
            questionnaire=versions_sync()[0],
            due_date=date.today() + timedelta(days=10),
            supplier_ids=[supplier.pk],
        )
    qr = QuestionnaireRequest.objects.get(campaign=campaign)
    sites = [
        {**TYPED["worksites"][0], "name": f"Lotus Factory {n}", "address": f"Lot {n}, Hanoi"}
        for n in range(10)
    ]
    questionnaire, _ = definition(campaign.questionnaire)
    values = check(questionnaire, {**TYPED, "worksites": sites}, countries=countries()).values
    qr.answers, qr.status = values, "submitted"
    qr.save()
    Submission.objects.create(
        request=qr, questionnaire=campaign.questionnaire, answers=values, source="web"
    )
    Job.objects.all().delete()
    with transaction.atomic():
        request_accept(qr=qr, actor=member.user, apply_worksites=True)
    assert Facility.objects.filter(supplier=supplier).count() == 10
    assert _jobs(member.organization) == {
        JobKind.RISK_RESCORE: 1,
        JobKind.SCREENING_SCREEN: 1,
        JobKind.SUPPLIERS_TIERS: 1,
    }
    rescored = parse_all(Job.objects.get(kind=JobKind.RISK_RESCORE).params["nodes"])
    assert NodeKey.of(supplier) in rescored
    assert len(rescored) == 11  # the supplier and its ten new sites
