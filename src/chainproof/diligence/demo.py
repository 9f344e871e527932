"""The demo organization's evidence and audits, so a newcomer sees a filled readiness
matrix: the merino scarf's chain (Italy, New Zealand) nearly ready to rebut a detention,
with a few gaps left on purpose; and an unannounced audit of the Vietnamese garment
factory with findings, one corrective action overdue.

Every document is an invented plain-text record written here; nothing is real. Running it
again changes nothing (it stops when the organization holds any evidence already).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chainproof.diligence.models import Audit, ProgramRecord
from chainproof.diligence.program import (
    care_answer_save,
    care_assessment_start,
    program_record_save,
)
from chainproof.diligence.services import action_add, action_update, audit_create, finding_add
from chainproof.evidence.documents import LinkTarget, document_create, document_review
from chainproof.evidence.models import Document
from chainproof.evidence.receiving import file_receive
from chainproof.suppliers.models import Facility, Product, Supplier


@dataclass(frozen=True)
class DemoDocument:
    title: str
    record_type: str
    categories: tuple[str, ...]
    links: tuple[str, ...]  # supplier/worksite refs, product SKUs
    body: str
    accepted: bool = True
    valid_days: int | None = None  # valid until today + this many days


_SCARF = "APP-SCF-010"
DOCUMENTS = (
    DemoDocument(
        "Purchase orders and invoices, merino scarf 2026",
        "invoice",
        ("cbp_tracing",),
        (_SCARF, "F-IT-01"),
        "PO 9100000222 and invoices 2026-001 to 2026-044, Valle Sessera Knitting Mill.",
    ),
    DemoDocument(
        "ZQ certificate and bale numbers, Canterbury Merino Station",
        "certificate_of_origin",
        ("cbp_origin", "cbp_tracing"),
        (_SCARF, "F-NZ-01"),
        "ZQ Merino certificate; bales CMS-2026-0113 to CMS-2026-0190, shorn in Canterbury NZ.",
        valid_days=300,
    ),
    DemoDocument(
        "Yarn invoices, Filatura Biellese to Valle Sessera",
        "invoice",
        ("cbp_tracing",),
        ("F-IT-02",),
        "Yarn invoices FB-2026-17 to FB-2026-40; lot numbers match the bale list.",
    ),
    DemoDocument(
        "Payroll summary, Valle Sessera Knitting Mill, 2026-01 to 2026-06",
        "payroll_record",
        ("dhs_wages", "dhs_workforce"),
        ("F-IT-01",),
        "140 workers, 8 migrant workers; wages paid monthly by bank transfer to each worker.",
    ),
    DemoDocument(
        "Payroll summary, Filatura Biellese, 2026-01 to 2026-06",
        "payroll_record",
        ("dhs_wages", "dhs_workforce"),
        ("F-IT-02",),
        "90 workers; wages paid to each worker's own account; no deductions for recruitment.",
    ),
    DemoDocument(
        "Shearing team wage records, Canterbury Merino Station",
        "payroll_record",
        ("dhs_wages", "dhs_workforce"),
        ("F-NZ-01",),
        "35 staff and a contract shearing gang of 6; piece rates paid to each shearer.",
        valid_days=20,  # expires soon: a weak cell
    ),
    DemoDocument(
        "Direct hiring records, Valle Sessera and Filatura Biellese",
        "recruitment_record",
        ("dhs_recruitment", "dhs_fee_structure"),
        ("F-IT-01", "F-IT-02"),
        "All workers hired directly; no agencies; worker interviews confirm no fees paid.",
    ),
    DemoDocument(
        "Shearing contractor agreement, Canterbury Merino Station",
        "contract",
        ("dhs_recruitment",),
        ("F-NZ-01",),
        "Contract with the shearing contractor; fees paid by the station, not the shearers.",
        accepted=False,  # still in review: a weak cell
    ),
    DemoDocument(
        "Social audit 2026 covering labour agencies, Italian mills",
        "audit_report",
        ("dhs_agency_audits", "cbp_management"),
        ("F-IT-01", "F-IT-02", "S-IT-01", "S-IT-02"),
        "Third-party audit, March 2026: recruitment channels and agencies in scope; no findings.",
    ),
    DemoDocument(
        "Supplier code of conduct, signed by the three scarf suppliers",
        "policy",
        ("dhs_policy",),
        ("S-IT-01", "S-IT-02", "S-NZ-01"),
        "Prohibits forced, prison and North Korean labor anywhere in the supply chain.",
    ),
    DemoDocument(
        "Supply contracts with the forced-labor clauses",
        "contract",
        ("dhs_contracts",),
        ("S-IT-01", "S-IT-02", "S-NZ-01"),
        "Clauses: forced and North Korean labor prohibited, flow-down, 60-day corrective "
        "actions, termination right.",
    ),
    DemoDocument(
        "Training attendance, forced-labor awareness 2026",
        "training_material",
        ("dhs_training",),
        ("S-IT-01", "S-IT-02"),
        "Supplier managers trained 2026-02-12; slides and attendance list.",
    ),
    DemoDocument(
        "Farm assurance and grower management plan",
        "certificate",
        ("cbp_management",),
        ("S-NZ-01",),
        "Grower's management system for labour standards, reviewed yearly.",
    ),
    DemoDocument(
        "工资发放记录 Song Hong Garment 2026年3月",
        "payroll_record",
        ("dhs_wages",),
        ("F-VN-01",),
        "工资发放记录。本厂不使用劳务派遣工人。工资直接支付给工人本人。Wages paid to each "
        "worker's account.",
        accepted=False,
    ),
)


def _targets(organization_id: int, refs: tuple[str, ...]) -> list[LinkTarget]:
    targets = []
    for ref in refs:
        product = Product.objects.filter(organization_id=organization_id, sku=ref).first()
        facility = Facility.objects.filter(organization_id=organization_id, ref=ref).first()
        supplier = Supplier.objects.filter(organization_id=organization_id, ref=ref).first()
        if product is not None:
            targets.append(LinkTarget("product", product.pk))
        elif facility is not None:
            targets.append(LinkTarget("facility", facility.pk))
        elif supplier is not None:
            targets.append(LinkTarget("supplier", supplier.pk))
    return targets


def demo_evidence_load(*, organization: Any, actor: Any = None) -> dict[str, int]:
    """Store the demo documents and the demo audit (once)."""
    org = int(getattr(organization, "pk", organization))
    if Document.objects.filter(organization_id=org).exists():
        return {"documents": 0, "audits": 0, "program": 0}
    today = timezone.localdate()
    stored = 0
    for demo in DOCUMENTS:
        name = demo.title.split(",")[0].replace(" ", "-").lower()[:60] + ".txt"
        received = file_receive(io.BytesIO(f"{demo.title}\n\n{demo.body}\n".encode()), name)
        metadata: dict[str, Any] = {"title": demo.title, "record_type": demo.record_type}
        if demo.valid_days is not None:
            metadata["valid_until"] = today + dt.timedelta(days=demo.valid_days)
        with transaction.atomic():
            document = document_create(
                organization=org,
                actor=actor,
                received=received,
                metadata=metadata,
                categories=demo.categories,
                links=_targets(org, demo.links),
            )
            if demo.accepted:
                document_review(document=document, actor=actor, status="accepted")
        stored += 1
    return {
        "documents": stored,
        "audits": _demo_audit(org, actor, today),
        "program": _demo_program(org, actor, today),
    }


def _demo_audit(org: int, actor: Any, today: dt.date) -> int:
    supplier = Supplier.objects.filter(organization_id=org, ref="S-VN-01").first()
    facility = Facility.objects.filter(organization_id=org, ref="F-VN-01").first()
    if supplier is None or Audit.objects.filter(organization_id=org).exists():
        return 0
    with transaction.atomic():
        audit = audit_create(
            organization=org,
            actor=actor,
            supplier=supplier,
            kind="third_party",
            announced=False,
            audit_date=today - dt.timedelta(days=75),
            auditor="Mekong Social Compliance (invented)",
            facilities=[facility] if facility else [],
            covers_recruitment_agencies=True,
            scope="Unannounced visit; 40 worker interviews; the two labour agencies in Nam Dinh.",
        )
        fees = finding_add(
            audit=audit,
            actor=actor,
            description="Migrant workers paid recruitment fees of 18 to 25 million VND to an "
            "agency in Nghe An.",
            severity="high",
            ilo_indicators=[9, 2],
            facility=facility,
        )
        action_add(
            finding=fees,
            actor=actor,
            action="Reimburse every affected worker; move to employer-pays recruitment.",
            owner="Song Hong HR director",
            due_date=today - dt.timedelta(days=10),  # overdue
        )
        overtime = finding_add(
            audit=audit,
            actor=actor,
            description="Overtime above 300 hours a year for packing-line workers.",
            severity="medium",
            ilo_indicators=[11],
            facility=facility,
        )
        cap = action_add(
            finding=overtime,
            actor=actor,
            action="Second packing shift; overtime tracked weekly.",
            owner="Plant manager",
            due_date=today + dt.timedelta(days=45),
        )
        action_update(corrective=cap, actor=actor, status="in_progress")
    return 1


def _document_titled(org: int, start: str) -> list[int]:
    return list(
        Document.objects.filter(organization_id=org, title__startswith=start).values_list(
            "pk", flat=True
        )
    )


def _demo_program(org: int, actor: Any, today: dt.date) -> int:
    """A policy approved at the top, a training session, a supplier contract and a
    reasonable-care assessment in progress, half answered."""
    if ProgramRecord.objects.filter(organization_id=org).exists():
        return 0
    scarf_maker = Supplier.objects.filter(organization_id=org, ref="S-IT-01").first()
    with transaction.atomic():
        program_record_save(
            organization=org,
            actor=actor,
            kind="policy",
            values={
                "title": "Supplier code of conduct",
                "version": "2026-01",
                "scope": ["forced_labor", "dprk_labor", "recruitment_fees"],
                "approved_by": "Dana Whitfield (invented)",
                "approved_by_title": "Chief Executive Officer",
                "approved_on": (today - dt.timedelta(days=200)).isoformat(),
                "summary": "No forced, bonded or North Korean labor anywhere in our supply "
                "chain; employers pay every recruitment fee.",
            },
            documents=_document_titled(org, "Supplier code of conduct"),
        )
        program_record_save(
            organization=org,
            actor=actor,
            kind="training",
            values={
                "title": "Forced-labor awareness for buyers and suppliers",
                "held_on": (today - dt.timedelta(days=90)).isoformat(),
                "audience": ["own_staff", "suppliers"],
                "attendees": "46",
                "trainer": "Compliance team",
            },
            documents=_document_titled(org, "Training attendance"),
        )
        if scarf_maker is not None:
            program_record_save(
                organization=org,
                actor=actor,
                kind="contract",
                values={
                    "title": "Supply agreement with forced-labor clauses",
                    "signed_on": (today - dt.timedelta(days=150)).isoformat(),
                    "clauses": ["forced_labor", "dprk_labor", "flow_down", "termination"],
                },
                supplier=scarf_maker.pk,
                documents=_document_titled(org, "Supply contracts"),
            )
        assessment = care_assessment_start(organization=org, actor=actor)
        for question, answer, owner in (
            ("know_how_made", "partly", "Sourcing director"),
            ("dol_list_of_goods", "yes", "Compliance analyst"),
            ("unannounced_audits", "yes", "Compliance director"),
            ("contract_terms", "yes", "Legal counsel"),
            ("cbp_ruling", "no", ""),
        ):
            documents = {
                "unannounced_audits": _document_titled(org, "Social audit"),
                "contract_terms": _document_titled(org, "Supply contracts"),
            }.get(question, [])
            care_answer_save(
                assessment=assessment,
                actor=actor,
                question=question,
                answer=answer,
                owner=owner,
                documents=documents,
            )
    return 1
