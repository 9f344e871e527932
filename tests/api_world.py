"""Two organizations with the demo supply chain, screened, scored and with a campaign each,
and the ids of every kind of object of each: the ground the API probes walk.

``ids[org][param]`` lists the ids a path parameter named ``param`` can take in that
organization (``supplier_id``, ``hit_id``...), so a probe can put another organization's
ids into every URL.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tests.supply import load_demo


@dataclass
class World:
    token: str  # a bearer token of organization A's admin
    token_id: int
    ids: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # "a"/"b" -> param -> ids

    def all_ids(self, org: str) -> set[tuple[str, int]]:
        return {(p, i) for p, values in self.ids[org].items() for i in values}


def _seed(member) -> dict[str, list[int]]:
    from chainproof.accounts.services import api_token_create
    from chainproof.audit.models import AuditEvent
    from chainproof.cases.models import DetentionCase, Shipment
    from chainproof.cases.packages import package_build
    from chainproof.diligence.models import (
        Audit,
        CareAssessment,
        CorrectiveAction,
        EvidenceRequest,
        Finding,
        ProgramRecord,
    )
    from chainproof.evidence.documents import document_create
    from chainproof.evidence.models import Document
    from chainproof.evidence.receiving import file_receive
    from chainproof.jobs.models import Job
    from chainproof.questionnaires.campaigns import campaign_create
    from chainproof.questionnaires.models import Campaign, QuestionnaireRequest
    from chainproof.questionnaires.versions import versions_sync
    from chainproof.risk.services import risk_score_all
    from chainproof.screening.models import ScreeningHit
    from chainproof.screening.services import screen
    from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink

    org = member.organization
    load_demo(org)
    screen(organization_id=org.pk, actor=member.user)
    risk_score_all(organization_id=org.pk)
    suppliers = list(Supplier.objects.filter(organization=org).values_list("pk", flat=True))
    with transaction.atomic():
        campaign_create(
            organization_id=org.pk,
            actor=member.user,
            name=f"{org.name} survey",
            questionnaire=versions_sync()[0],
            due_date=timezone.localdate() + timedelta(days=30),
            supplier_ids=suppliers[:3],
        )
        spare = api_token_create(membership=member.membership, name="spare").token
    received = file_receive(io.BytesIO(f"{org.name} wage policy\n".encode()), "policy.txt")
    with transaction.atomic():
        document_create(organization=org, actor=member.user, received=received)
        _seed_diligence(member, Supplier.objects.get(pk=suppliers[0]))
        case = _seed_case(member)
    package_build(case=case, actor=member.user)
    from chainproof.suppliers.importing.pending import batch_open
    from chainproof.suppliers.models import ImportBatch

    batch_open(
        organization_id=org.pk,
        actor=member.user,
        entity="suppliers",
        data=f"legal_name,country\n{org.name} Mill,XX\n".encode(),
        file_name="list.csv",
    )

    def pks(model, **extra):
        return list(model.objects.filter(organization=org, **extra).values_list("pk", flat=True))

    products = pks(Product)
    Job.objects.create(organization=org, kind="suppliers.tiers")
    return {
        "supplier_id": suppliers,
        "facility_id": pks(Facility),
        "product_id": products,
        "material_id": pks(Material),
        "link_id": pks(SupplyLink),
        "hit_id": pks(ScreeningHit),
        "campaign_id": pks(Campaign),
        "request_id": pks(QuestionnaireRequest),
        "event_id": pks(AuditEvent)[:20],
        "token_id": [spare.pk],
        "document_id": pks(Document),
        "audit_id": pks(Audit),
        "finding_id": pks(Finding),
        "action_id": pks(CorrectiveAction),
        "evidence_request_id": pks(EvidenceRequest),
        "record_id": pks(ProgramRecord),
        "assessment_id": pks(CareAssessment),
        "node_id": suppliers + products,
        "shipment_id": pks(Shipment),
        "case_id": pks(DetentionCase),
        "job_id": pks(Job),
        "batch_id": pks(ImportBatch),
        "package_version": [1],
    }


def _seed_case(member):
    """A shipment with one line and a detention case on it, the organization's documents
    as its exhibits."""
    from chainproof.cases.services import case_open, exhibit_add
    from chainproof.cases.shipments import shipment_save
    from chainproof.evidence.models import Document

    org, actor = member.organization, member.user
    shipment = shipment_save(
        organization=org,
        actor=actor,
        data={"reference": f"PO-{org.pk}", "importation_date": "2026-01-31"},
        lines=[{"product_sku": "APP-TEE-001"}],
    )
    case = case_open(
        organization=org, actor=actor, shipment=shipment, basis="wro", notice_at="2026-02-10"
    )
    exhibit_add(case=case, actor=actor, documents=list(Document.objects.filter(organization=org)))
    return case


def _seed_diligence(member, supplier) -> None:
    """An audit with a finding and a corrective action, an evidence request, a program
    record and a reasonable-care assessment."""
    from chainproof.diligence.program import care_assessment_start, program_record_save
    from chainproof.diligence.requests import evidence_request_create
    from chainproof.diligence.services import action_add, audit_create, finding_add

    today = timezone.localdate()
    org, actor = member.organization, member.user
    audit = audit_create(
        organization=org,
        actor=actor,
        supplier=supplier,
        kind="third_party",
        audit_date=today,
        auditor=f"{org.name} auditors",
    )
    finding = finding_add(
        audit=audit, actor=actor, description="Passports held", severity="high", ilo_indicators=[7]
    )
    action_add(
        finding=finding,
        actor=actor,
        action="Return passports",
        owner="HR",
        due_date=today + timedelta(days=30),
    )
    evidence_request_create(
        organization=org,
        actor=actor,
        supplier=supplier,
        category="dhs_wages",
        due_date=today + timedelta(days=30),
    )
    program_record_save(
        organization=org,
        actor=actor,
        kind="training",
        values={
            "title": f"{org.name} training",
            "held_on": "2026-03-01",
            "audience": ["suppliers"],
            "attendees": "12",
        },
    )
    care_assessment_start(organization=org, actor=actor)


def seed_world(alice, bob) -> World:
    from chainproof.accounts.services import api_token_create

    world_ids = {"a": _seed(alice), "b": _seed(bob)}
    with transaction.atomic():
        created = api_token_create(membership=alice.membership, name="probe")
    for org, ids in world_ids.items():
        assert all(ids.values()), f"organization {org} lacks objects: {ids}"
    return World(token=created.plaintext, token_id=created.token.pk, ids=world_ids)
