"""The records of an importer's due-diligence program, as data: policies approved at the
highest level, training, supplier contracts and their clauses, stakeholder engagement,
worker interviews and recruitment-fee reimbursements (the DHS FAQs' evidence of a
program; ``../shared/DOMAIN.md``).

Each kind lists its fields; ``clean`` turns what a form, the API or a file sent into typed
values, or names every field that is wrong ("approved_on: expected a date (YYYY-MM-DD),
found 'last week'"). Pure Python: the diligence app stores the values as JSON beside the
record's supplier, worksite and evidence documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"  # text | long_text | date | count | amount | choice | choices
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    happened: bool = False  # a date of something done: never in the future


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # one record: "Training session"
    plural: str  # the list: "Training"
    fields: tuple[Field, ...]
    categories: tuple[str, ...]  # the evidence categories a record of this kind bears on
    title_from: tuple[str, ...]  # the fields its title is made of, in order
    about: str  # one sentence for the page
    needs_supplier: bool = False
    needs_facility: bool = False
    versioned: bool = False  # a new version keeps the old one (policies)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


AUDIENCES = (
    ("own_staff", "Own staff"),
    ("recruitment_staff", "Recruitment staff"),
    ("suppliers", "Suppliers"),
    ("subcontractors", "Subcontractors"),
)
CLAUSES = (
    ("forced_labor", "Forced-labor prohibition"),
    ("dprk_labor", "North Korean labor prohibition"),
    ("flow_down", "Flow-down to subcontractors"),
    ("corrective_action", "Corrective-action time frame"),
    ("termination", "Right to terminate"),
)
STAKEHOLDERS = (
    ("workers", "Workers"),
    ("unions", "Unions"),
    ("ngos", "NGOs and civil society"),
    ("governments", "Governments"),
    ("industry", "Industry initiatives"),
)
POLICY_SCOPES = (
    ("forced_labor", "Forced labor"),
    ("dprk_labor", "North Korean labor"),
    ("recruitment_fees", "Recruitment fees (employer pays)"),
    ("migrant_workers", "Migrant workers"),
    ("responsible_sourcing", "Responsible sourcing"),
)
YES_NO = (("yes", "Yes"), ("no", "No"))

KINDS: tuple[Kind, ...] = (
    Kind(
        "policy",
        "Policy",
        "Policies",
        (
            Field("title", "Title", required=True),
            Field("version", "Version", required=True, help="As printed on it: 2.1, 2026-01"),
            Field("scope", "Covers", "choices", required=True, choices=POLICY_SCOPES),
            Field("approved_by", "Approved by (senior officer)", required=True),
            Field(
                "approved_by_title", "Their position", required=True, help="e.g. Chief Executive"
            ),
            Field("approved_on", "Approved on", "date", required=True, happened=True),
            Field("summary", "What it commits to", "long_text"),
        ),
        ("dhs_policy", "dhs_commitment", "cbp_due_diligence"),
        ("title", "version"),
        "The commitment at the highest level: which policy, approved by whom and when.",
        versioned=True,
    ),
    Kind(
        "training",
        "Training session",
        "Training",
        (
            Field("title", "Session", required=True),
            Field("held_on", "Held on", "date", required=True, happened=True),
            Field("audience", "Audience", "choices", required=True, choices=AUDIENCES),
            Field("attendees", "Attendees", "count", required=True),
            Field("trainer", "Given by"),
            Field("topics", "Topics", "long_text"),
        ),
        ("dhs_training",),
        ("title", "held_on"),
        "Who was trained on forced-labor and North Korean labor prohibitions, and when.",
    ),
    Kind(
        "contract",
        "Supplier contract",
        "Supplier contracts",
        (
            Field("title", "Contract", required=True),
            Field("signed_on", "Signed on", "date", required=True, happened=True),
            Field("clauses", "Clauses it contains", "choices", required=True, choices=CLAUSES),
            Field("valid_until", "Valid until", "date"),
        ),
        ("dhs_contracts", "cbp_management"),
        ("title",),
        "Which forced-labor clauses each supplier has signed.",
        needs_supplier=True,
    ),
    Kind(
        "engagement",
        "Stakeholder engagement",
        "Stakeholder engagement",
        (
            Field("held_on", "Date", "date", required=True, happened=True),
            Field("stakeholder_type", "With", "choice", required=True, choices=STAKEHOLDERS),
            Field("stakeholder", "Who", required=True, help="The union, NGO or group of workers"),
            Field("topic", "Topic", required=True),
            Field("outcome", "Outcome", "long_text"),
        ),
        ("dhs_stakeholders",),
        ("stakeholder", "held_on"),
        "Conversations with workers, unions, NGOs and governments, and what came of them.",
    ),
    Kind(
        "interview",
        "Worker interviews",
        "Worker interviews",
        (
            Field("held_on", "Held on", "date", required=True, happened=True),
            Field("interviewed", "Workers interviewed", "count", required=True),
            Field("conducted_by", "Conducted by", required=True),
            Field(
                "fees_reported",
                "Workers reported paying recruitment fees",
                "choice",
                required=True,
                choices=YES_NO,
            ),
            Field("findings", "Findings", "long_text"),
        ),
        ("dhs_fee_structure", "dhs_stakeholders"),
        ("conducted_by", "held_on"),
        "Interviews that verify what workers paid to be recruited.",
        needs_facility=True,
    ),
    Kind(
        "reimbursement",
        "Fee reimbursement",
        "Fee reimbursements",
        (
            Field("paid_on", "Paid on", "date", required=True, happened=True),
            Field("workers", "Workers reimbursed", "count", required=True),
            Field("amount", "Total amount", "amount", required=True),
            Field("currency", "Currency", required=True, help="ISO code: USD, MYR"),
            Field("verified_by", "Verified by", required=True),
            Field("verification", "How it was verified", "long_text"),
        ),
        ("dhs_fee_reimbursement",),
        ("paid_on", "workers"),
        "Recruitment fees paid back to workers, and how the payment was verified.",
        needs_supplier=True,
    ),
)
KIND_BY_CODE = {k.code: k for k in KINDS}
MAX_TEXT = 300
MAX_LONG_TEXT = 10_000


class ProgramError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _one(field: Field, raw: Any, today: dt.date | None) -> Any:
    """One value, typed, or ValueError with the sentence that says what is wrong."""
    if field.type == "choices":
        given = raw if isinstance(raw, list | tuple) else str(raw).replace(",", " ").split()
        allowed = dict(field.choices)
        picked = [str(v).strip() for v in given if str(v).strip()]
        wrong = [v for v in picked if v not in allowed]
        if wrong:
            raise ValueError(f"expected some of {', '.join(allowed)}, found {wrong[0]!r}")
        return sorted(set(picked), key=list(allowed).index)
    text = str(raw).strip()
    if field.type == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected a date (YYYY-MM-DD), found {text!r}") from None
        if field.happened and today is not None and day > today:
            raise ValueError(f"expected a date not after today ({today.isoformat()}), found {text}")
        if day.year < 1950:
            raise ValueError(f"expected a date from 1950 on, found {text}")
        return day.isoformat()
    if field.type == "count":
        if not text.isdigit() or len(text) > 9:
            raise ValueError(f"expected a whole number, found {text!r}")
        return int(text)
    if field.type == "amount":
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"expected an amount such as 1250.00, found {text!r}") from None
        if not amount.is_finite() or amount < 0 or amount >= 10**12:
            raise ValueError(f"expected an amount from 0 to 999,999,999,999, found {text!r}")
        return str(amount.quantize(Decimal("0.01")))
    if field.type == "choice":
        if text not in dict(field.choices):
            raise ValueError(f"expected one of {', '.join(dict(field.choices))}, found {text!r}")
        return text
    limit = MAX_LONG_TEXT if field.type == "long_text" else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"expected at most {limit:,} characters, found {len(text):,}")
    return text


def _blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list | tuple):
        return not any(str(v).strip() for v in raw)
    return not str(raw).strip()


def clean(kind: Kind, raw: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
    """The record's values, typed; ProgramError naming every wrong field. With ``today``,
    the date of something done (held, approved, signed, paid) may not be later."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    unknown = sorted(set(raw) - set(kind.field_names))
    if unknown:
        errors[unknown[0]] = f"not a field of a {kind.label.lower()}"
    for field in kind.fields:
        given = raw.get(field.name)
        if _blank(given):
            if field.required:
                errors[field.name] = "expected a value, found nothing"
            continue
        try:
            values[field.name] = _one(field, given, today)
        except ValueError as exc:
            errors[field.name] = str(exc)
    if errors:
        raise ProgramError(errors)
    return values


def title_of(kind: Kind, values: Mapping[str, Any]) -> str:
    parts = [str(values[name]) for name in kind.title_from if values.get(name) not in (None, "")]
    return (", ".join(parts) or kind.label)[:MAX_TEXT]


def display(field: Field, value: Any) -> str:
    """A stored value in words: choice labels, not codes."""
    if value in (None, "", []):
        return ""
    labels = dict(field.choices)
    if field.type == "choices":
        return ", ".join(labels.get(v, str(v)) for v in value)
    if field.type == "choice":
        return labels.get(str(value), str(value))
    if field.type == "count":
        return f"{int(value):,}"
    return str(value)
