"""The demo organization's questionnaire campaigns, so a newcomer sees a roll-up and an
overview that are not empty: this year's campaign with responses accepted (one with red
flags), one returned for correction, one submitted and waiting for review, one half
answered and two not started; and an earlier campaign for raw-material suppliers, past its
due date, with one answer accepted and two overdue.

Everything goes through the services a person's clicks would call (campaign, invitations
through the outbox, drafts, submission, comments, review), each audited. The suppliers'
side is recorded without a signed-in contact. Invented data; running it again changes
nothing (it stops when the organization has any campaign).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chainproof.questionnaires.answering import draft_save, web_submit
from chainproof.questionnaires.campaigns import campaign_create, invitations_send
from chainproof.questionnaires.models import Campaign, QuestionnaireRequest, QuestionnaireVersion
from chainproof.questionnaires.review import comment_add, request_accept, request_return
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.models import Supplier

QUESTIONNAIRE = "chainproof-strt"


def _clean(
    name: str, country: str, signer: str, site: str, products: str, workers: int
) -> dict[str, Any]:
    """A complete response with nothing to flag, for one supplier."""
    return {
        "company_name": name,
        "company_country": country,
        "company_address": f"{site}, {country}",
        "scope": "company",
        "signer_name": signer,
        "signer_title": "Compliance Manager",
        "signer_email": "compliance@supplier.example",
        "signed_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "certification": "yes",
        "policy_forced_labor": "yes",
        "policy_child_labor": "yes",
        "policy_migrant_workers": "yes",
        "policy_dprk": "yes",
        "policy_employer_pays": "yes",
        "policy_leadership": "yes",
        "policy_published": "yes",
        "operating_countries": [country],
        "source_countries": [country],
        "knows_all_worksites": "yes",
        "xinjiang_sourcing": "no",
        "worksites": [
            {
                "name": f"{name} main plant",
                "address": site,
                "country": country,
                "products": products,
                "total_workers": workers,
                "migrant_workers": 0,
                "dprk_nationals": "none",
            }
        ],
        "recruitment_agencies": "no",
        "workers_pay_fees": "no",
        "contracts_own_language": "yes",
        "documents_held": "no",
        "wages_paid_to": "worker",
        "wage_frequency": "monthly",
        "deductions": "no",
        "overtime_voluntary": "yes",
        "free_to_leave_housing": "yes",
        "free_to_resign": "yes",
        "dprk_own_operations": "no",
        "dprk_suppliers": "no",
        "dprk_transport": "no",
        "dprk_screening": "yes",
        "grievance_mechanism": "yes",
        "grievance_channels": ["hotline", "union"],
        "grievances_last_year": 4,
        "stakeholder_engagement": "yes",
        "training_staff": "yes",
        "training_recruiters": "yes",
        "training_suppliers": "yes",
        "contracts_clause": "yes",
        "contracts_flow_down": "yes",
        "contracts_consequences": "yes",
        "audits_done": ["third_party"],
        "audits_cover_agencies": "yes",
        "audits_worker_interviews": "yes",
        "audit_findings": "no",
        "impact_assessment": "yes",
        "remediation_process": "yes",
        "remediation_cases": 0,
        "statements": ["none"],
    }


@dataclass(frozen=True)
class DemoResponse:
    ref: str  # the supplier's reference
    outcome: str  # accepted | returned | submitted | draft | not_started
    answers: dict[str, Any] = field(default_factory=dict)  # over the clean response
    comment: tuple[str, str] = ("", "")  # question, the reviewer's comment (returned)


def _response(supplier: Supplier, demo: DemoResponse) -> dict[str, Any]:
    base = _clean(
        supplier.legal_name,
        supplier.country,
        "Demo Signer",
        f"Industrial zone, {supplier.country}",
        "Goods supplied to the demo importer",
        250,
    )
    return {**base, **demo.answers}


THIS_YEAR = (
    DemoResponse("S-VN-01", "accepted"),
    DemoResponse(
        "S-BD-01",
        "accepted",
        {
            # Red flags the roll-up lists: recruitment fees paid by workers, passports held.
            "recruitment_agencies": "yes",
            "agencies_licensed": "yes",
            "workers_pay_fees": "yes",
            "fees_reimbursed": "partly",
            "fee_structure_verified": ["contract_review"],
            "documents_held": "yes",
        },
    ),
    DemoResponse(
        "S-MY-01",
        "returned",
        {"knows_all_worksites": "unknown", "xinjiang_sourcing": "unknown"},
        (
            "xinjiang_sourcing",
            "Please ask your wafer and polysilicon suppliers where their inputs come from "
            "and answer Yes or No; attach their declarations.",
        ),
    ),
    DemoResponse("S-CN-08", "submitted", {"overtime_voluntary": "no"}),
    DemoResponse("S-CN-02", "draft"),
    DemoResponse("S-IN-01", "not_started"),
    DemoResponse("S-KR-01", "not_started"),
)
EARLIER = (
    DemoResponse("S-US-01", "accepted"),
    DemoResponse("S-CN-04", "not_started"),
    DemoResponse("S-IN-02", "draft"),
)


def _version() -> QuestionnaireVersion | None:
    versions = [v for v in versions_sync() if v.questionnaire_id == QUESTIONNAIRE]
    return max(versions, key=lambda v: v.loaded_at, default=None)


def _play(qr: QuestionnaireRequest, demo: DemoResponse, actor: Any) -> None:
    """Take one request to its demo outcome through the services."""
    if demo.outcome == "not_started":
        return
    answers = _response(qr.supplier, demo)
    if demo.outcome == "draft":
        half = dict(list(answers.items())[: len(answers) // 3])
        draft_save(qr=qr, actor=None, answers=half)
        return
    draft_save(qr=qr, actor=None, answers=answers)
    web_submit(qr=qr, actor=None)
    qr.refresh_from_db()
    if demo.outcome == "accepted":
        request_accept(qr=qr, actor=actor)
    elif demo.outcome == "returned":
        question, text = demo.comment
        comment_add(qr=qr, actor=actor, question=question, text=text)
        request_return(qr=qr, actor=actor)


def _campaign(
    org: int,
    actor: Any,
    version: QuestionnaireVersion,
    *,
    name: str,
    due: dt.date,
    responses: tuple[DemoResponse, ...],
    as_of: dt.date | None = None,
) -> Campaign | None:
    suppliers = {
        s.ref: s
        for s in Supplier.objects.filter(organization_id=org, ref__in=[r.ref for r in responses])
    }
    chosen = [r for r in responses if r.ref in suppliers]
    if not chosen:
        return None
    campaign = campaign_create(
        organization_id=org,
        actor=actor,
        name=name,
        questionnaire=version,
        due_date=due,
        supplier_ids=[suppliers[r.ref].pk for r in chosen],
        message="Invented demo campaign: nothing is sent to a real supplier.",
        as_of=as_of,
    )
    invitations_send(campaign=campaign, actor=actor, base_url=settings.PUBLIC_BASE_URL)
    by_supplier = {qr.supplier_id: qr for qr in campaign.requests.select_related("supplier")}
    for demo in chosen:
        _play(by_supplier[suppliers[demo.ref].pk], demo, actor)
    return campaign


def demo_campaigns_load(*, organization: Any, actor: Any = None) -> list[Campaign]:
    """The demo's two campaigns (none when the organization has a campaign already or
    lacks the demo suppliers)."""
    org = int(getattr(organization, "pk", organization))
    if Campaign.objects.filter(organization_id=org).exists():
        return []
    version = _version()
    if version is None:
        return []
    today = timezone.localdate()
    made: list[Campaign] = []
    with transaction.atomic():
        for campaign in (
            _campaign(
                org,
                actor,
                version,
                name="Raw-material suppliers, forced-labor questionnaire",
                due=today - dt.timedelta(days=10),
                as_of=today - dt.timedelta(days=45),
                responses=EARLIER,
            ),
            _campaign(
                org,
                actor,
                version,
                name="Annual forced-labor questionnaire",
                due=today + dt.timedelta(days=21),
                responses=THIS_YEAR,
            ),
        ):
            if campaign is not None:
                made.append(campaign)
    return made
