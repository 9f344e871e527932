"""Read-side queries: campaign status counts, the roll-up, and the risk signals accepted
responses contribute."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from django.utils import timezone

from chainproof.domain.questionnaire.answers import display, red_flags
from chainproof.domain.risk.facts import ReportedSignal
from chainproof.questionnaires.models import Campaign, Submission
from chainproof.questionnaires.services import definition

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


def status_counts(campaign: Campaign) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for qr in campaign.requests.select_related("campaign"):
        counts[qr.display_status] += 1
    return dict(counts)


def risk_signals(organization_id: int) -> dict[str, list[ReportedSignal]]:
    """Signals from each supplier's latest accepted response (a newer accepted response
    replaces an older one)."""
    latest: dict[int, Submission] = {}
    for submission in (
        Submission.objects.filter(request__organization_id=organization_id, accepted=True)
        .select_related("request", "request__campaign", "questionnaire")
        .order_by("request__supplier_id", "-submitted_at", "-pk")
    ):
        latest.setdefault(submission.request.supplier_id, submission)
    found: dict[str, list[ReportedSignal]] = {}
    for supplier_id, submission in latest.items():
        questionnaire, _ = definition(submission.questionnaire)
        source = (
            f"questionnaire {submission.request.campaign.name}, submitted "
            f"{submission.submitted_at.date().isoformat()}"
        )
        for flag in red_flags(questionnaire, submission.answers):
            if flag.signal:
                found.setdefault(f"s:{supplier_id}", []).append(
                    ReportedSignal(flag.signal, f"{flag.text}: {flag.answer}", source)
                )
    return found


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
