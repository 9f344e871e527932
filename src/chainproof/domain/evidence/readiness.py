"""Rebuttal readiness: could we answer a detention today?

For the records upstream of a product (or one supplier or worksite), each evidence
category a rebuttal needs from that kind of record is one cell, and each cell is

- **covered**: an accepted document of that category, current (not expired), whose stored
  file passed its last verification or has not been checked yet;
- **weak**: a document exists but is not accepted yet, is only the supplier's own
  declaration (a questionnaire attachment), expires within the notice period, or its file
  failed verification;
- **missing**: nothing.

The score is the share of cells covered, with weak cells counting half (method stated with
the result, so a reader knows what the number means). Gaps are sentences a person can act
on, each naming the record, its tier and country, the category, and since when it has
been missing when an earlier document expired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from chainproof.domain.evidence.categories import CATEGORY_BY_CODE
from chainproof.domain.nodes import NodeKey

METHOD = (
    "Each evidence category a rebuttal needs from each record counts once: covered (an "
    "accepted, current document whose file is intact) counts 1, weak (unreviewed, the "
    "supplier's own declaration, expiring within {days} days, or a file that failed "
    "verification) counts 0.5, missing counts 0. The score is the total over the number of "
    "cells, as a percentage."
)

# What a rebuttal asks of each kind of record (DHS CAATSA FAQs; CBP UFLPA guidance).
EXPECTED: dict[str, tuple[str, ...]] = {
    "facility": (
        "dhs_workforce",
        "dhs_wages",
        "dhs_recruitment",
        "dhs_fee_structure",
        "dhs_agency_audits",
        "cbp_tracing",
    ),
    "supplier": (
        "dhs_policy",
        "dhs_contracts",
        "dhs_training",
        "cbp_management",
    ),
    "product": ("cbp_tracing", "cbp_origin"),
}

# The evidence as a person names what is missing ("No wage-payment records for ...").
GAP_NOUNS: dict[str, str] = {
    "dhs_stakeholders": "record of engagement with workers or unions",
    "dhs_workforce": "workforce composition records",
    "dhs_training": "training records on North Korean forced-labor prohibitions",
    "dhs_policy": "policy on North Korean labor",
    "dhs_contracts": "contract clauses on North Korean forced labor",
    "dhs_production_units": "published list of authorized production units",
    "dhs_wages": "wage-payment records",
    "dhs_agency_audits": "audit covering recruitment agencies",
    "dhs_recruitment": "recruitment records (agencies or direct hiring)",
    "dhs_fee_structure": "recruitment-fee records verified by worker interviews",
    "dhs_fee_reimbursement": "verified fee reimbursements",
    "dhs_commitment": "senior-level due-diligence commitment",
    "dhs_impact_assessment": "impact assessment results",
    "cbp_due_diligence": "due-diligence system information",
    "cbp_tracing": "supply-chain tracing records",
    "cbp_management": "supply-chain management measures",
    "cbp_origin": "proof of origin outside Xinjiang",
}


class Standing(StrEnum):
    COVERED = "covered"
    WEAK = "weak"
    MISSING = "missing"


@dataclass(frozen=True)
class Record:
    key: NodeKey
    kind: str  # facility | supplier | product
    name: str
    country: str = ""
    tier: int | None = None

    def describe(self) -> str:
        kind = {"facility": "worksite"}.get(self.kind, self.kind)
        where = ", ".join(
            part for part in (f"tier {self.tier}" if self.tier else "", self.country) if part
        )
        return f"{kind} {self.name}" + (f" ({where})" if where else "")


@dataclass(frozen=True)
class Evidence:
    """What readiness needs to know of one document linked to a record."""

    document_id: int
    title: str
    categories: tuple[str, ...]
    status: str  # draft | in_review | accepted | rejected | expired
    valid_until: dt.date | None
    integrity: str  # unverified | ok | missing | altered | purged
    self_declared: bool = False


@dataclass(frozen=True)
class Cell:
    record: Record
    category: str
    standing: Standing
    documents: tuple[int, ...]  # the documents that count, best first
    why: str  # for a weak cell: what makes it weak


@dataclass(frozen=True)
class Gap:
    record: Record
    category: str
    text: str


@dataclass
class Readiness:
    records: list[Record]
    categories: list[str]
    cells: dict[tuple[NodeKey, str], Cell] = field(default_factory=dict)
    score: float = 0.0
    method: str = ""
    gaps: list[Gap] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = {s.value: 0 for s in Standing}
        for cell in self.cells.values():
            counted[cell.standing.value] += 1
        return counted


def _judge(evidence: Evidence, today: dt.date, notice_days: int) -> tuple[Standing, str] | None:
    """How much one document counts (None: not at all)."""
    if evidence.status in ("rejected", "expired") or evidence.integrity == "purged":
        return None
    if evidence.valid_until is not None and evidence.valid_until < today:
        return None
    if evidence.integrity in ("missing", "altered"):
        return Standing.WEAK, f"the stored file of {evidence.title!r} is {evidence.integrity}"
    if evidence.status != "accepted":
        return Standing.WEAK, f"{evidence.title!r} is not accepted yet"
    if evidence.self_declared:
        return Standing.WEAK, f"{evidence.title!r} is the supplier's own declaration"
    if evidence.valid_until is not None and (evidence.valid_until - today).days <= notice_days:
        return Standing.WEAK, f"{evidence.title!r} expires on {evidence.valid_until.isoformat()}"
    return Standing.COVERED, ""


def assess(
    records: Iterable[Record],
    evidence: Mapping[NodeKey, Iterable[Evidence]],
    *,
    today: dt.date,
    notice_days: int = 30,
) -> Readiness:
    ordered = list(dict.fromkeys(records))
    categories = list(
        dict.fromkeys(code for record in ordered for code in EXPECTED.get(record.kind, ()))
    )
    result = Readiness(
        records=ordered, categories=categories, method=METHOD.format(days=notice_days)
    )
    points = 0.0
    for record in ordered:
        held = list(evidence.get(record.key, ()))
        for category in EXPECTED.get(record.kind, ()):
            relevant = [e for e in held if category in e.categories]
            judged = [(e, _judge(e, today, notice_days)) for e in relevant]
            counting = [(e, j) for e, j in judged if j is not None]
            covered = [e for e, j in counting if j[0] is Standing.COVERED]
            if covered:
                cell = Cell(
                    record, category, Standing.COVERED, tuple(e.document_id for e in covered), ""
                )
                points += 1
            elif counting:
                cell = Cell(
                    record,
                    category,
                    Standing.WEAK,
                    tuple(e.document_id for e, _ in counting),
                    "; ".join(j[1] for _, j in counting),
                )
                points += 0.5
            else:
                cell = Cell(record, category, Standing.MISSING, (), "")
                result.gaps.append(Gap(record, category, _gap_text(record, category, relevant)))
            result.cells[(record.key, category)] = cell
    total = len(result.cells)
    result.score = round(100 * points / total, 1) if total else 0.0
    return result


def _gap_text(record: Record, category: str, lapsed: list[Evidence]) -> str:
    noun = GAP_NOUNS.get(category) or CATEGORY_BY_CODE[category].label.lower()
    ended = [e.valid_until for e in lapsed if e.valid_until is not None]
    since = f" since {max(ended).isoformat()}" if ended else ""
    current = "current " if ended else ""
    return f"No {current}{noun} for {record.describe()}{since}."
