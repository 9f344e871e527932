"""Shared helpers for questionnaire tests: the bundled definition, countries, and a
supplier who fills a workbook cell by cell with openpyxl."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from chainproof.domain.questionnaire.cell_map import CellMap, default_layout
from chainproof.domain.questionnaire.definition import Questionnaire, bundled_definitions

COUNTRIES_CSV = (
    Path(__file__).resolve().parent.parent / "src/chainproof/reference/data/countries.csv"
)


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["alpha2"]: row["name"] for row in csv.DictReader(handle)}


def strt() -> tuple[Questionnaire, CellMap]:
    questionnaire = next(q for q in bundled_definitions() if q.key == "chainproof-strt@1.0")
    return questionnaire, default_layout(questionnaire)


# A complete, clean set of answers as a supplier would type them (labels, not codes).
TYPED: dict[str, Any] = {
    "company_name": "Lotus Garment Co., Ltd.",
    "company_native_name": "莲花服装有限公司",
    "company_country": "Viet Nam (VN)",
    "company_address": "12 Nguyen Trai, Thanh Xuan, Hanoi",
    "company_identifier": "0101234567",
    "scope": "Only the goods named below",
    "scope_goods": "Cotton shirts 6205.20",
    "signer_name": "Nguyen Thi Lan",
    "signer_title": "Chief Executive",
    "signer_email": "lan@lotus.example",
    "signed_on": "2026-11-02",
    "certification": "Yes",
    "policy_forced_labor": "Yes",
    "policy_child_labor": "Yes",
    "policy_migrant_workers": "No",
    "policy_dprk": "Yes",
    "policy_employer_pays": "Unknown",
    "policy_leadership": "Yes",
    "policy_published": "Yes",
    "policy_document": "Lotus forced labour policy 2025.pdf",
    "knows_all_worksites": "Yes",
    "xinjiang_sourcing": "No",
    "recruitment_agencies": "Yes",
    "agencies_licensed": "Yes",
    "workers_pay_fees": "Yes",
    "fees_reimbursed": "Partly",
    "fee_structure_verified": "Contract review | Worker interviews",
    "recruitment_document": "Agency agreement.pdf",
    "contracts_own_language": "Yes",
    "documents_held": "No",
    "wages_paid_to": "Directly to each worker (bank account or cash against signature)",
    "wage_frequency": "Monthly",
    "deductions": "No",
    "overtime_voluntary": "Yes",
    "overtime_share": 12.5,
    "free_to_leave_housing": "Yes",
    "free_to_resign": "Yes",
    "dprk_own_operations": "No",
    "dprk_suppliers": "Unknown",
    "dprk_transport": "No",
    "dprk_screening": "Yes",
    "grievance_mechanism": "Yes",
    "grievance_channels": "Hotline or app | Union or worker committee",
    "grievances_last_year": 14,
    "stakeholder_engagement": "Yes",
    "training_staff": "Yes",
    "training_recruiters": "Yes",
    "training_suppliers": "No",
    "contracts_clause": "Yes",
    "contracts_flow_down": "Yes",
    "contracts_consequences": "No",
    "contract_sample": "Clause 14.pdf",
    "audits_done": "Third-party audit | Unannounced third-party audit",
    "audits_cover_agencies": "Yes",
    "audits_worker_interviews": "Yes",
    "last_audit_date": "2026-05-20",
    "audit_findings": "No",
    "audit_report": "SMETA 2026.pdf",
    "impact_assessment": "No",
    "remediation_process": "Yes",
    "remediation_cases": 3,
    "statements": "UK Modern Slavery Act",
    "statement_url": "https://lotus.example/msa",
    "comments": "Dormitory built 2024; 行 multi-script text kept as typed.",
    "operating_countries": ["Viet Nam (VN)", "Cambodia (KH)"],
    "source_countries": ["United States of America (US)", "IN", "Uzbekistan"],
    "worksites": [
        {
            "name": "Lotus Factory 1",
            "address": "Lot 5, Phu Nghia Industrial Park, Chuong My, Hanoi",
            "country": "Viet Nam (VN)",
            "parent_company": "Lotus Garment Co., Ltd.",
            "products": "Shirts",
            "total_workers": 820,
            "migrant_workers": 40,
            "dprk_nationals": "None",
        },
        {
            "name": "Lotus Sewing Subcontractor",
            "address": "Street 271, Phnom Penh",
            "country": "KH",
            "products": "Shirt assembly",
            "total_workers": 150,
            "migrant_workers": 0,
            "dprk_nationals": "Unknown",
        },
    ],
}


def fill(workbook: bytes, layout: CellMap, typed: dict[str, Any]) -> bytes:
    """Type answers into the cells the layout names, as a supplier would in Excel."""
    book = load_workbook(io.BytesIO(workbook))
    for qid, value in typed.items():
        if qid in layout.cells:
            ref = layout.cells[qid]
            book[ref.sheet][f"{ref.column}{ref.row}"] = value
        elif qid in layout.tables:
            table = layout.tables[qid]
            for number, row in enumerate(value, start=1):
                for cid, cell_value in row.items():
                    ref = table.cell(number, cid)
                    book[ref.sheet][f"{ref.column}{ref.row}"] = cell_value
        elif qid in layout.lists:
            ref_list = layout.lists[qid]
            for number, item in enumerate(value, start=1):
                ref = ref_list.cell(number)
                book[ref.sheet][f"{ref.column}{ref.row}"] = item
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sent_request(member, supplier_ref: str = "S-VN-01"):
    """A questionnaire request of a one-supplier campaign, sent (the demo supply chain of
    the member's organization is loaded first): what a supplier answers in the portal."""
    from datetime import date, timedelta

    from django.db import transaction

    from chainproof.questionnaires.campaigns import campaign_create
    from chainproof.questionnaires.models import QuestionnaireRequest
    from chainproof.questionnaires.versions import versions_sync
    from chainproof.suppliers.models import Supplier
    from tests.supply import load_demo

    load_demo(member.organization)
    supplier = Supplier.objects.get(organization=member.organization, ref=supplier_ref)
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
    qr.status = "sent"
    qr.save()
    return qr


def invited_with_draft(
    member, *, supplier_ref: str, email: str, campaign_name: str, left_open: tuple[str, ...]
):
    """A one-supplier campaign (the demo supply chain loaded first) whose request already
    holds a draft of every typed answer outside the ``left_open`` sections: what the browser
    tests leave for the supplier to answer in the portal. Returns (campaign, request)."""
    from datetime import date, timedelta

    from django.db import transaction

    from chainproof.domain.questionnaire.answers import check
    from chainproof.questionnaires.campaigns import campaign_create
    from chainproof.questionnaires.models import QuestionnaireRequest
    from chainproof.questionnaires.versions import definition, versions_sync
    from chainproof.suppliers.models import Supplier
    from tests.supply import load_demo

    load_demo(member.organization)
    supplier = Supplier.objects.get(organization=member.organization, ref=supplier_ref)
    supplier.contact_email = email
    supplier.save()
    version = versions_sync()[0]
    with transaction.atomic():
        campaign = campaign_create(
            organization_id=member.organization.pk,
            actor=member.user,
            name=campaign_name,
            questionnaire=version,
            due_date=date.today() + timedelta(days=30),
            supplier_ids=[supplier.pk],
        )
    qr = QuestionnaireRequest.objects.get(campaign=campaign)
    questionnaire, _ = definition(version)
    later = {k: v for k, v in TYPED.items() if questionnaire.questions[k].section not in left_open}
    qr.answers = {
        **check(questionnaire, later, countries=countries()).values,
        "company_name": supplier.legal_name,
        "company_country": supplier.country,
    }
    qr.save()
    return campaign, qr
