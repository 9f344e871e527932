"""CBP's reasonable-care questions on forced labor, as a checklist an importer answers about
its own program (``../shared/DOMAIN.md``, from CBP's guidance in seed 003), and the gaps a
set of answers leaves. Pure Python."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

SOURCE = (
    "U.S. Customs and Border Protection, reasonable care and forced labor: questions an "
    "importer should ask itself"
)


@dataclass(frozen=True)
class CareQuestion:
    code: str
    text: str


QUESTIONS: tuple[CareQuestion, ...] = (
    CareQuestion(
        "reliable_measures",
        "Do you have reliable measures to ensure your goods are not made, in whole or in "
        "part, with forced labor?",
    ),
    CareQuestion(
        "section_307_procedures",
        "Do you have reliable procedures to prevent imports that would violate Section 307 "
        "of the Tariff Act?",
    ),
    CareQuestion(
        "know_how_made",
        "Do you know how your goods are made, from raw material to finished good, by whom, "
        "where and under what labor conditions?",
    ),
    CareQuestion(
        "cbp_forced_labor_page",
        "Do you review CBP's forced-labor page (Withhold Release Orders and Findings)?",
    ),
    CareQuestion(
        "dol_list_of_goods",
        "Do you review the Department of Labor's List of Goods Produced by Child Labor or "
        "Forced Labor?",
    ),
    CareQuestion(
        "cbp_ruling",
        "Have you obtained a CBP ruling where the law is unclear, and do you follow it?",
    ),
    CareQuestion("internal_audits", "Do you conduct periodic internal audits of your suppliers?"),
    CareQuestion(
        "unannounced_audits",
        "Do you have periodic unannounced audits by independent third parties?",
    ),
    CareQuestion(
        "ilo_indicators",
        "Do you review the ILO indicators of forced labour and look for them in your supply chain?",
    ),
    CareQuestion(
        "supplier_vetting",
        "Do you vet new suppliers for forced labor (questionnaires or otherwise) before "
        "you buy from them?",
    ),
    CareQuestion(
        "contract_terms",
        "Do your contracts prohibit forced labor, with a time frame for corrective action "
        "and consequences such as termination?",
    ),
    CareQuestion(
        "social_compliance_system",
        "Do you run a transparent social-compliance system (for example DOL's Comply Chain steps)?",
    ),
    CareQuestion(
        "entry_documentation",
        "Do you keep your entry documentation and can you produce it when CBP asks?",
    ),
)
QUESTION_BY_CODE = {q.code: q for q in QUESTIONS}
ANSWERS = (
    ("yes", "Yes, in place"),
    ("partly", "Partly"),
    ("no", "No"),
    ("na", "Does not apply"),
)
ANSWER_LABELS = dict(ANSWERS)


@dataclass(frozen=True)
class CareAnswerState:
    """What is known of one question's answer."""

    answer: str  # "" when not answered
    narrative: str = ""
    evidence_count: int = 0
    owner: str = ""
    review_on: dt.date | None = None


@dataclass(frozen=True)
class CareGap:
    question: CareQuestion
    text: str


def gaps(answers: Mapping[str, CareAnswerState], *, today: dt.date) -> list[CareGap]:
    """Each question that does not yet show a working, evidenced practice, in words, in the
    checklist's order."""
    found: list[CareGap] = []
    for question in QUESTIONS:
        state = answers.get(question.code) or CareAnswerState("")
        short = question.text.removeprefix("Do you ").removeprefix("Have you ").rstrip("?")
        if not state.answer:
            found.append(CareGap(question, f"Not answered: {question.text}"))
        elif state.answer == "no":
            found.append(CareGap(question, f"Not in place: {short}."))
        elif state.answer == "partly":
            found.append(CareGap(question, f"Only partly in place: {short}."))
        elif state.answer == "yes" and state.evidence_count == 0:
            found.append(
                CareGap(question, f"Answered yes without evidence: link the documents ({short}).")
            )
        if state.answer in ("yes", "partly") and not state.owner:
            found.append(CareGap(question, f"No owner named for: {short}."))
        if state.review_on is not None and state.review_on < today:
            found.append(
                CareGap(question, f"Review was due on {state.review_on.isoformat()}: {short}.")
            )
    return found


def score(answers: Mapping[str, CareAnswerState]) -> int:
    """Percent of the applicable questions answered yes with evidence (partly counts half)."""
    applicable = [
        answers.get(q.code) or CareAnswerState("")
        for q in QUESTIONS
        if (answers.get(q.code) or CareAnswerState("")).answer != "na"
    ]
    if not applicable:
        return 0
    points = sum(
        1.0 if s.answer == "yes" and s.evidence_count else 0.5 if s.answer == "partly" else 0.0
        for s in applicable
    )
    return round(100 * points / len(applicable))
