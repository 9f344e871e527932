"""Read-side queries: what is known before a supplier answers, a response laid out for
reading, campaign status counts and invitation emails, the roll-up, and the risk signals
accepted responses contribute. Nothing here writes."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from chainproof.domain.nodes import NodeKey
from chainproof.domain.questionnaire.answers import check, display, red_flags
from chainproof.domain.risk.facts import ReportedSignal
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.selectors import latest_for
from chainproof.questionnaires.models import (
    Attachment,
    Campaign,
    EmailPurpose,
    QuestionnaireRequest,
    Submission,
)
from chainproof.questionnaires.versions import definition
from chainproof.reference.selectors import country_names
from chainproof.suppliers.models import SupplierIdentifier

RED_FLAG_LABELS = {
    "dprk_nationals": "North Korean nationals",
    "worker_paid_recruitment_fees": "Workers paid recruitment fees",
    "identity_documents_retained": "Identity documents held",
    "no_forced_labor_policy": "No forced-labor policy",
    "wages_paid_to_third_party": "Wages paid to a third party",
    "no_grievance_mechanism": "No grievance mechanism",
    "no_audit": "No audit",
    "ilo_indicator_found": "Audit found forced-labor indicators",
}


def countries_for(organization_id: int) -> dict[str, str]:
    return country_names(organization_id)


def prefill(qr: QuestionnaireRequest) -> dict[str, Any]:
    """What chainproof already knows, for the declaration."""
    supplier = qr.supplier
    identifier = (
        SupplierIdentifier.objects.filter(supplier=supplier).values_list("value", flat=True).first()
    )
    known = {
        "supplier.legal_name": supplier.legal_name,
        "supplier.native_name": supplier.native_name,
        "supplier.country": supplier.country,
        "supplier.identifier": identifier or "",
    }
    questionnaire, _ = definition(qr.campaign.questionnaire)
    return {q.id: known[q.prefill] for q in questionnaire.ordered() if known.get(q.prefill)}


def current_answers(qr: QuestionnaireRequest) -> dict[str, Any]:
    return qr.answers or prefill(qr)


def answer_rows(
    qr: QuestionnaireRequest, language: str = "en", *, asked_in: str = ""
) -> list[dict[str, Any]]:
    """Each question with its answer as read, flags, issues and comments (for review and
    for the supplier's view of a returned request), the texts in `language`; with
    `asked_in`, each row also holds the question as the supplier read it in that language."""
    questionnaire, _ = definition(qr.campaign.questionnaire, language)
    asked = (
        definition(qr.campaign.questionnaire, asked_in)[0]
        if asked_in and asked_in != language
        else None
    )
    answers = qr.answers or {}
    checked = check(questionnaire, answers, countries=countries_for(qr.organization_id))
    flags: dict[str, list[str]] = {}
    for flag in red_flags(questionnaire, checked.values):
        flags.setdefault(flag.question, []).append(flag.answer)
    issues: dict[str, list[str]] = {}
    for issue in checked.issues:
        issues.setdefault(issue.question, []).append(str(issue).split(": ", 1)[-1])
    comments: dict[str, list[Any]] = {}
    for comment in qr.comments.select_related("author"):
        comments.setdefault(comment.question, []).append(comment)
    documents: dict[str, list[Attachment]] = {}
    for attachment in qr.attachments.filter(kind=Attachment.Kind.DOCUMENT):
        documents.setdefault(attachment.question, []).append(attachment)
    sections = []
    for section in questionnaire.sections:
        rows = []
        for question in section.questions:
            value = checked.values.get(question.id)
            rows.append(
                {
                    "question": question,
                    "asked": asked.questions[question.id].text if asked else "",
                    "value": value,
                    "shown": "" if question.type == "table" else display(question, value),
                    "table": value if question.type == "table" else None,
                    "flags": flags.get(question.id, []),
                    "issues": issues.get(question.id, []),
                    "missing": question.id in checked.missing,
                    "comments": comments.get(question.id, []),
                    "documents": documents.get(question.id, []),
                }
            )
        sections.append({"section": section, "rows": rows})
    return sections


def section_progress(qr: QuestionnaireRequest, language: str = "en") -> list[dict[str, Any]]:
    missing = set(qr.missing or [])
    wrong = {i["question"] for i in qr.issues or []}
    commented = Counter(qr.comments.values_list("question", flat=True))
    questionnaire, _ = definition(qr.campaign.questionnaire, language)
    answers = current_answers(qr)
    return [
        {
            "section": section,
            "answered": sum(1 for q in section.questions if q.id in answers),
            "total": len(section.questions),
            "missing": sum(1 for q in section.questions if q.id in missing),
            "wrong": sum(1 for q in section.questions if q.id in wrong),
            "comments": sum(commented[q.id] for q in section.questions),
        }
        for section in questionnaire.sections
    ]


def invitation_emails(requests: list[QuestionnaireRequest]) -> dict[int, OutboundEmail]:
    """The latest invitation email of each request (queued, sent or failed)."""
    return latest_for(
        QuestionnaireRequest, [qr.pk for qr in requests], purpose=EmailPurpose.INVITATION
    )


def status_counts(campaign: Campaign) -> dict[str, int]:
    """How many of the campaign's requests are in each status, in words. Reads the
    requests prefetched with the campaign (``prefetch_related("requests")``, as a list of
    campaigns does, so it costs no query per campaign), else one query."""
    counts: Counter[str] = Counter()
    for qr in campaign.requests.all():  # each request's campaign is this one, not re-read
        counts[qr.display_status] += 1
    return dict(counts)


# The states a list of requests across campaigns can be filtered by (the overview's
# figures link to them): key -> words.
REQUEST_STATES = {
    "outstanding": "outstanding (not yet submitted)",
    "overdue": "overdue (not submitted by the due date)",
    "to-review": "submitted, to review",
}


def requests_in_state(
    organization_id: int, state: str, *, today: date | None = None
) -> QuerySet[QuestionnaireRequest]:
    """Requests of the organization's open campaigns in one of ``REQUEST_STATES``
    (every request for an unknown state), the oldest due date first."""
    today = today or timezone.localdate()
    rows = QuestionnaireRequest.objects.filter(organization_id=organization_id)
    if state in REQUEST_STATES:
        rows = rows.filter(campaign__status=Campaign.Status.OPEN)
    if state == "outstanding":
        rows = rows.filter(status__in=QuestionnaireRequest.OPEN_STATUSES)
    elif state == "overdue":
        rows = rows.filter(
            status__in=QuestionnaireRequest.OPEN_STATUSES, campaign__due_date__lt=today
        )
    elif state == "to-review":
        rows = rows.filter(status=QuestionnaireRequest.Status.SUBMITTED)
    return rows.select_related("supplier", "campaign").order_by(
        "campaign__due_date", "supplier__legal_name", "pk"
    )


def risk_signals(organization_id: int) -> dict[NodeKey, list[ReportedSignal]]:
    """Signals from each supplier's latest accepted response (a newer accepted response
    replaces an older one)."""
    latest: dict[int, Submission] = {}
    for submission in (
        Submission.objects.filter(request__organization_id=organization_id, accepted=True)
        .select_related("request", "request__campaign", "questionnaire")
        .order_by("request__supplier_id", "-submitted_at", "-pk")
    ):
        latest.setdefault(submission.request.supplier_id, submission)
    found: dict[NodeKey, list[ReportedSignal]] = {}
    for supplier_id, submission in latest.items():
        questionnaire, _ = definition(submission.questionnaire)
        source = (
            f"questionnaire {submission.request.campaign.name}, submitted "
            f"{submission.submitted_at.date().isoformat()}"
        )
        for flag in red_flags(questionnaire, submission.answers):
            signal = flag.signal or FLAG_SIGNALS.get((flag.question, flag.flag), "")
            if signal:
                found.setdefault(NodeKey.supplier(supplier_id), []).append(
                    ReportedSignal(signal, f"{flag.text}: {flag.answer}", source)
                )
    return found


# Red flags that are risk signals although the questionnaire version that asks them names
# no signal (a stored version never changes; methodology 2 added the signal): a supplier
# that reports North Korean nationals in its own operations.
FLAG_SIGNALS = {("dprk_own_operations", "dprk_nationals"): "dprk_nationals_reported"}


def rollup(campaign: Campaign) -> dict[str, Any]:
    """Across a campaign: answer distribution per choice question, suppliers with red flags,
    and the response rate over time."""
    questionnaire, _ = definition(campaign.questionnaire)
    requests = list(campaign.requests.select_related("supplier", "campaign"))
    answered = [
        (qr, qr.answers) for qr in requests if qr.status in ("submitted", "accepted") and qr.answers
    ]
    distribution = []
    for question in questionnaire.ordered():
        if not question.choices:
            continue
        counts: Counter[str] = Counter()
        for _, answers in answered:
            value = answers.get(question.id)
            for picked in value if isinstance(value, list) else [value] if value else []:
                counts[display(question, picked)] += 1
        distribution.append(
            {
                "question": question,
                "counts": [(c.label, counts.get(c.label, 0)) for c in question.choices],
                "answered": sum(counts.values()),
            }
        )
    flagged = []
    for qr, answers in answered:
        flags = red_flags(questionnaire, answers)
        if flags:
            flagged.append(
                {
                    "request": qr,
                    "supplier": qr.supplier,
                    "flags": sorted({RED_FLAG_LABELS.get(f.code, f.code) for f in flags}),
                    "details": [f"{f.text}: {f.answer}" for f in flags],
                }
            )
    submitted_on = sorted(qr.submitted_at.date() for qr in requests if qr.submitted_at)
    timeline = []
    if requests:
        start = campaign.created_at.date()
        end = max([timezone.localdate(), *submitted_on])
        days = (end - start).days
        step = max(1, days // 20)
        day = start
        while day <= end:
            done = sum(1 for d in submitted_on if d <= day)
            timeline.append((day, done, round(100 * done / len(requests), 1)))
            day += timedelta(days=step)
    by_status: dict[str, int] = defaultdict(int)
    for qr in requests:
        by_status[qr.display_status] += 1
    return {
        "questionnaire": questionnaire,
        "requests": len(requests),
        "responses": len(answered),
        "rate": round(100 * len(answered) / len(requests), 1) if requests else 0.0,
        "by_status": dict(by_status),
        "distribution": distribution,
        "flagged": flagged,
        "timeline": timeline,
    }
