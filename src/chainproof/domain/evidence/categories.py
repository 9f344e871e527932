"""What a piece of evidence is evidence *of*, and what kind of record it is.

Two vocabularies, each with its source so a page can say where a category comes from:

- the 13 kinds of evidence in the DHS CAATSA 321(b) FAQs (March 2018) that an importer may
  present to rebut the North Korean labor presumption, and the four headings of CBP's
  UFLPA operational guidance for importers (June 2022);
- record types: what the document itself is (an invoice, a payroll record, an audit
  report), which says how it can prove a category.
"""

from __future__ import annotations

from dataclasses import dataclass

DHS_SOURCE = "DHS, CAATSA Title III Section 321(b) FAQs (March 2018)"
CBP_SOURCE = "CBP, UFLPA Operational Guidance for Importers (June 2022)"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    group: str  # "DHS CAATSA evidence" | "CBP UFLPA guidance"
    source: str
    number: int  # its place in its source's list


_DHS = (
    ("dhs_stakeholders", "Engagement with affected stakeholders (workers, unions)"),
    ("dhs_workforce", "Workforce composition at the worksite"),
    ("dhs_training", "Training on North Korean forced-labor prohibitions"),
    ("dhs_policy", "Policies on North Korean laborers and their implementation"),
    ("dhs_contracts", "Contracts stating the policy on North Korean forced labor"),
    ("dhs_production_units", "Published list of authorized production units"),
    ("dhs_wages", "How and to whom wages are paid"),
    ("dhs_agency_audits", "Recruitment agencies within third-party audits"),
    ("dhs_recruitment", "Authorized recruitment agencies or direct recruitment"),
    ("dhs_fee_structure", "Transparent recruitment fees verified by worker interviews"),
    ("dhs_fee_reimbursement", "Verified reimbursement of recruitment fees"),
    ("dhs_commitment", "Due-diligence commitment at the highest level"),
    ("dhs_impact_assessment", "Results of human-rights and labor impact assessments"),
)
_CBP = (
    ("cbp_due_diligence", "Due-diligence system information"),
    ("cbp_tracing", "Supply-chain tracing"),
    ("cbp_management", "Supply-chain management measures"),
    ("cbp_origin", "Evidence the goods are not from Xinjiang or not made with forced labor"),
)

CATEGORIES: tuple[Category, ...] = tuple(
    Category(code, label, "DHS CAATSA evidence", DHS_SOURCE, n)
    for n, (code, label) in enumerate(_DHS, start=1)
) + tuple(
    Category(code, label, "CBP UFLPA guidance", CBP_SOURCE, n)
    for n, (code, label) in enumerate(_CBP, start=1)
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}

RECORD_TYPES: tuple[tuple[str, str], ...] = (
    ("certificate_of_origin", "Certificate of origin"),
    ("importer_statement", "Importer's detailed statement"),
    ("purchase_order", "Purchase order"),
    ("invoice", "Invoice"),
    ("packing_list", "Packing list"),
    ("bill_of_lading", "Bill of lading"),
    ("production_record", "Production record"),
    ("payroll_record", "Payroll or wage record"),
    ("recruitment_record", "Recruitment record"),
    ("audit_report", "Audit report"),
    ("certificate", "Certificate"),
    ("contract", "Contract"),
    ("policy", "Policy"),
    ("training_material", "Training material"),
    ("photo", "Photo"),
    ("questionnaire_attachment", "Questionnaire attachment"),
    ("other", "Other"),
)
RECORD_TYPE_LABELS = dict(RECORD_TYPES)

# What a record type usually proves, so an upload can suggest categories and the
# readiness matrix can count a payroll record as wage evidence without a person tagging it.
SUGGESTED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "certificate_of_origin": ("cbp_origin", "cbp_tracing"),
    "importer_statement": ("cbp_origin",),
    "purchase_order": ("cbp_tracing",),
    "invoice": ("cbp_tracing",),
    "packing_list": ("cbp_tracing",),
    "bill_of_lading": ("cbp_tracing",),
    "production_record": ("cbp_tracing", "dhs_production_units"),
    "payroll_record": ("dhs_wages", "dhs_workforce"),
    "recruitment_record": ("dhs_recruitment", "dhs_fee_structure"),
    "audit_report": ("dhs_agency_audits", "cbp_management"),
    "contract": ("dhs_contracts",),
    "policy": ("dhs_policy", "dhs_commitment", "cbp_due_diligence"),
    "training_material": ("dhs_training",),
}

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("zh", "Chinese"),
    ("ko", "Korean"),
    ("vi", "Vietnamese"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("ja", "Japanese"),
    ("th", "Thai"),
    ("id", "Indonesian"),
    ("ms", "Malay"),
    ("tr", "Turkish"),
    ("ar", "Arabic"),
    ("pt", "Portuguese"),
    ("other", "Other"),
)


def category_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes in the order of their lists, duplicates dropped; an unknown code is a
    ValueError naming it and what is allowed."""
    unknown = [c for c in codes if c not in CATEGORY_BY_CODE]
    if unknown:
        raise ValueError(
            f"unknown evidence category {unknown[0]!r}; expected one of "
            + ", ".join(CATEGORY_BY_CODE)
        )
    wanted = set(codes)
    return [c.code for c in CATEGORIES if c.code in wanted]


def dhs_category(number: int) -> str:
    """The code of the DHS evidence category with this number in the DHS list (1-13), as
    questionnaire questions name them."""
    for category in CATEGORIES:
        if category.group == "DHS CAATSA evidence" and category.number == number:
            return category.code
    raise ValueError(f"no DHS evidence category {number} (expected 1 to 13)")
