"""The due-diligence program through its services: audits with findings mapped to ILO
indicators, corrective actions whose lateness raises the supplier's risk (and whose
verified completion lowers it again), evidence requests answered by the supplier, and the
rebuttal-readiness matrix of a product with its gaps."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.diligence.demo import demo_evidence_load
from chainproof.diligence.models import CorrectiveAction, EvidenceRequest
from chainproof.diligence.readiness import product_readiness, supplier_readiness
from chainproof.diligence.requests import (
    evidence_request_answer,
    evidence_request_create,
    evidence_request_decide,
    evidence_requests_remind,
)
from chainproof.diligence.services import (
    action_add,
    action_update,
    audit_create,
    finding_add,
    overdue_actions_flag,
)
from chainproof.evidence.documents import document_create
from chainproof.evidence.receiving import file_receive
from chainproof.outbox.models import OutboundEmail
from chainproof.risk.selectors import current_for
from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility, Product, Supplier
from tests.supply import load_demo


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    return alice


def _supplier(member, ref: str) -> Supplier:
    return Supplier.objects.get(organization=member.organization, ref=ref)


def _reasons(org_id: int, supplier: Supplier) -> dict[str, str]:
    """The signals reported on the supplier's own record, with what each says."""
    assessment = current_for(org_id, "supplier", supplier.pk)
    return {
        r["factor"].removeprefix("signal:"): r["evidence"]
        for r in assessment.reasons
        if r["factor"].startswith("signal:")
    }


def _proof(member, text: str):
    received = file_receive(io.BytesIO(text.encode()), "proof.txt")
    with transaction.atomic():
        return document_create(
            organization=member.organization, actor=member.user, received=received
        )


def test_an_overdue_corrective_action_raises_the_suppliers_risk_until_verified(demo):
    org = demo.organization
    supplier = _supplier(demo, "S-VN-01")
    today = timezone.localdate()
    with transaction.atomic():
        audit = audit_create(
            organization=org,
            actor=demo.user,
            supplier=supplier,
            kind="third_party",
            audit_date=today - timedelta(days=60),
            auditor="Veritas Social Audits",
            announced=False,
            covers_recruitment_agencies=True,
        )
        finding = finding_add(
            audit=audit,
            actor=demo.user,
            description="Recruitment fees of USD 1,200 charged to migrant workers",
            severity="high",
            ilo_indicators=[10],  # debt bondage
        )
        corrective = action_add(
            finding=finding,
            actor=demo.user,
            action="Reimburse the fees to every affected worker",
            owner="Supplier HR director",
            due_date=today + timedelta(days=10),
        )
    risk_score_all(organization_id=org.pk)
    before = current_for(org.pk, "supplier", supplier.pk)
    assert "corrective_action_overdue" not in _reasons(org.pk, supplier)
    assert "ilo_indicator_found" in _reasons(org.pk, supplier)

    assert overdue_actions_flag(today=today + timedelta(days=11)) == 1
    assert overdue_actions_flag(today=today + timedelta(days=12)) == 0  # flagged once
    with transaction.atomic():
        CorrectiveAction.objects.filter(pk=corrective.pk).update(due_date=today - timedelta(days=1))
    risk_score_all(organization_id=org.pk)
    late = current_for(org.pk, "supplier", supplier.pk)
    assert late.own_score > before.own_score
    assert "Reimburse the fees" in _reasons(org.pk, supplier)["corrective_action_overdue"]

    corrective.refresh_from_db()
    with pytest.raises(ValidationError, match="Name the document"), transaction.atomic():
        action_update(corrective=corrective, actor=demo.user, status="verified")
    proof = _proof(demo, "Bank transfers of the reimbursements, signed by 212 workers")
    with transaction.atomic():
        action_update(
            corrective=corrective, actor=demo.user, status="verified", verification=proof.pk
        )
    risk_score_all(organization_id=org.pk)
    after = current_for(org.pk, "supplier", supplier.pk)
    assert after.own_score < late.own_score
    assert "corrective_action_overdue" not in _reasons(org.pk, supplier)
    assert "ilo_indicator_found" not in _reasons(org.pk, supplier)  # remediated
    actions = set(AuditEvent.objects.filter(organization=org).values_list("action", flat=True))
    assert {"diligence.audit_created", "diligence.action_overdue", "diligence.action_updated"} <= (
        actions
    )


def test_audit_input_is_checked_with_the_field_named(demo, bob):
    supplier = _supplier(demo, "S-VN-01")
    load_demo(bob.organization)
    theirs = _supplier(bob, "S-VN-01")
    today = timezone.localdate()
    base = {
        "organization": demo.organization,
        "actor": demo.user,
        "supplier": supplier,
        "kind": "internal",
        "audit_date": today,
        "auditor": "Own team",
    }
    cases = [
        ({"kind": "friendly"}, "kind"),
        ({"audit_date": today + timedelta(days=3)}, "audit_date"),
        ({"audit_date": "last tuesday"}, "audit_date"),
        ({"auditor": "  "}, "auditor"),
        ({"supplier": theirs}, "supplier"),
        ({"report": 999_999}, "report"),
    ]
    for change, field in cases:
        with pytest.raises(ValidationError) as refused, transaction.atomic():
            audit_create(**{**base, **change})
        assert field in refused.value.message_dict, change


def test_a_finding_names_a_worksite_of_the_supplier_audited_or_one_the_audit_covered(demo):
    supplier = _supplier(demo, "S-VN-01")
    own = Facility.objects.filter(organization=demo.organization, supplier=supplier).first()
    others = Facility.objects.filter(organization=demo.organization).exclude(supplier=supplier)
    covered, elsewhere = others[0], others[1]
    assert own is not None
    with transaction.atomic():
        audit = audit_create(
            organization=demo.organization,
            actor=demo.user,
            supplier=supplier,
            kind="internal",
            audit_date=timezone.localdate(),
            auditor="Own team",
            facilities=[covered],
        )
    events = AuditEvent.objects.filter(action="diligence.finding_added").count()
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        finding_add(
            audit=audit,
            actor=demo.user,
            description="Fees charged",
            severity="high",
            facility=elsewhere,
        )
    assert elsewhere.name in refused.value.message_dict["facility"][0]
    assert not audit.findings.exists()
    for site in (own, covered):
        with transaction.atomic():
            finding = finding_add(
                audit=audit, actor=demo.user, description="Fees", severity="high", facility=site
            )
        assert finding.facility_id == site.pk
    assert AuditEvent.objects.filter(action="diligence.finding_added").count() == events + 2


def test_an_evidence_request_is_answered_reviewed_returned_and_reminded(demo):
    org = demo.organization
    supplier = _supplier(demo, "S-CN-01")
    supplier.contact_email = "compliance@supplier.example"
    supplier.save()
    facility = Facility.objects.filter(organization=org, supplier=supplier).first()
    today = timezone.localdate()
    with transaction.atomic():
        asked = evidence_request_create(
            organization=org,
            actor=demo.user,
            supplier=supplier,
            facility=facility,
            category="dhs_wages",
            record_type="payroll_record",
            period_from="2026-01-01",
            period_to="2026-06-30",
            due_date=today + timedelta(days=21),
        )
    assert asked.title.startswith("How and to whom wages are paid")
    assert "2026-01 to 2026-06" in asked.title
    sent = OutboundEmail.objects.get(purpose="evidence_request")
    assert sent.to == "compliance@supplier.example"
    assert f"/portal/evidence/{asked.pk}/" in sent.body

    received = file_receive(io.BytesIO(b"Payroll January to June\n"), "payroll.txt")
    with transaction.atomic():
        evidence_request_answer(request=asked, actor=None, received=received)
    with pytest.raises(ValidationError, match="Say what is missing"), transaction.atomic():
        evidence_request_decide(request=asked, actor=demo.user, accept=False)
    with transaction.atomic():
        evidence_request_decide(
            request=asked, actor=demo.user, accept=False, comment="June is missing."
        )
    asked.refresh_from_db()
    assert asked.status == EvidenceRequest.Status.RETURNED
    document = asked.documents.get()
    assert document.status == "rejected"
    assert {(link.target_type, link.target_id) for link in document.links.all()} == {
        ("supplier", supplier.pk),
        ("facility", facility.pk),
    }

    EvidenceRequest.objects.filter(pk=asked.pk).update(due_date=today - timedelta(days=1))
    assert evidence_requests_remind() == 1
    assert evidence_requests_remind() == 0  # once a week, not at every run
    with pytest.raises(ValidationError, match="from today on"), transaction.atomic():
        evidence_request_create(
            organization=org,
            actor=demo.user,
            supplier=supplier,
            category="dhs_wages",
            due_date=today - timedelta(days=1),
        )


def test_readiness_of_the_demo_scarf_shows_covered_weak_and_missing_with_gaps(demo):
    demo_evidence_load(organization=demo.organization, actor=demo.user)
    scarf = Product.objects.get(organization=demo.organization, sku="APP-SCF-010")

    readiness = product_readiness(scarf)

    standings = {cell.standing.value for cell in readiness.cells.values()}
    assert standings == {"covered", "weak", "missing"}
    assert 0 < readiness.score < 100
    assert "%" in readiness.method or "score" in readiness.method.lower()  # the method stated
    assert readiness.gaps
    assert all(gap.text[0].isupper() for gap in readiness.gaps)
    kinds = {gap.record.kind for gap in readiness.gaps}
    assert "facility" in kinds

    bare = _supplier(demo, "S-CN-05")
    assert supplier_readiness(bare).score < readiness.score
