"""Figures about the due-diligence work done in the period: policies in force, supplier
questionnaires, screening, audits and their findings, corrective actions, remediation,
training, detentions by customs, and effectiveness against the period before."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from chainproof.audit.selectors import audit_events_for
from chainproof.diligence import selectors as diligence
from chainproof.diligence.models import Audit, CorrectiveAction, Finding, ProgramRecord
from chainproof.domain.evidence.program import AUDIENCES, POLICY_SCOPES
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.screening.models import ScreeningHit
from chainproof.statements.figures import (
    Figure,
    Period,
    computes,
    day,
    listing,
    percent,
    plural,
    table,
    url,
)
from chainproof.statements.figures_supply import period_end_moment

AUDIENCE_WORDS = dict(AUDIENCES)
SCOPE_WORDS = dict(POLICY_SCOPES)


def _start_moment(period: Period) -> dt.datetime:
    return period_end_moment(Period(period.organization_id, period.start, period.start)) - (
        dt.timedelta(days=1)
    )


def in_period(field: str, period: Period) -> dict[str, Any]:
    """A filter on a date-time field: within the period, both days included."""
    return {f"{field}__gte": _start_moment(period), f"{field}__lt": period_end_moment(period)}


def _date_in(value: Any, period: Period) -> bool:
    try:
        when = dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return period.start <= when <= period.end


def _program(period: Period, kind: str, date_field: str) -> list[ProgramRecord]:
    records = ProgramRecord.objects.filter(organization_id=period.organization_id, kind=kind)
    found = [r for r in records if _date_in(r.values.get(date_field), period)]
    return sorted(found, key=lambda r: (str(r.values.get(date_field)), r.pk))


@computes("policies_in_force")
def policies_in_force(period: Period) -> Figure:
    policies = [
        p
        for p in ProgramRecord.objects.filter(
            organization_id=period.organization_id, kind=ProgramRecord.Kind.POLICY
        ).select_related("superseded_by")
        if str(p.values.get("approved_on", "")) <= period.end.isoformat()
        and (
            not hasattr(p, "superseded_by")
            or str(p.superseded_by.values.get("approved_on", "")) > period.end.isoformat()
        )
    ]
    rows = [
        (
            str(p.values.get("title") or p.title),
            str(p.values.get("version", "")),
            ", ".join(SCOPE_WORDS.get(s, s) for s in p.values.get("scope") or []),
            f"{p.values.get('approved_by', '')}, {p.values.get('approved_by_title', '')}".strip(
                ", "
            ),
            day(p.values.get("approved_on")),
        )
        for p in policies
    ]
    if policies:
        first = policies[0].values
        named = (
            f"{first.get('title', '')} (version {first.get('version', '')}), approved by "
            f"{first.get('approved_by', '')}, {first.get('approved_by_title', '')}, "
            f"on {day(first.get('approved_on'))}"
        )
        sentence = (
            f"Our policy {named}, was in force at the end of the period."
            if len(policies) == 1
            else f"{plural(len(policies), 'policy', 'policies')} on forced labour were in "
            f"force at the end of the period, among them {named}."
        )
    else:
        sentence = "No policy on forced labour was recorded as in force at the end of the period."
    return Figure(
        key="policies_in_force",
        title="Policies in force",
        sentence=sentence,
        table=table(
            "Policies in force at the end of the period",
            ("Policy", "Version", "Covers", "Approved by", "Approved on"),
            rows,
        ),
        row_links=tuple(url("diligence:program_record", p.pk) for p in policies),
        links=(("Policies", url("diligence:program_kind", "policy")),),
        value=len(policies),
    )


@computes("questionnaires")
def questionnaires(period: Period) -> Figure:
    sent = QuestionnaireRequest.objects.filter(
        organization_id=period.organization_id, **in_period("sent_at", period)
    )
    total = sent.count()
    answered = sent.filter(submitted_at__isnull=False).count()
    accepted = sent.filter(status=QuestionnaireRequest.Status.ACCEPTED).count()
    campaigns = sent.values("campaign").distinct().count()
    rows = [
        ("Questionnaires sent to suppliers", f"{total:,}"),
        ("Answered (submitted)", f"{answered:,}"),
        ("Accepted after review", f"{accepted:,}"),
        ("Response rate", percent(answered, total)),
    ]
    sentence = (
        f"We sent {plural(total, 'forced-labour questionnaire')} to suppliers in "
        f"{plural(campaigns, 'campaign')}; {answered:,} were answered "
        f"({percent(answered, total)}) and {accepted:,} accepted after review."
        if total
        else "We sent no supplier questionnaires in the period."
    )
    link = url("questionnaires:requests")
    return Figure(
        key="questionnaires",
        title="Supplier questionnaires",
        sentence=sentence,
        table=table("Questionnaires sent in the period", ("Measure", "Number"), rows),
        row_links=(link, link, link, ""),
        links=(("Questionnaires", link), ("Campaigns", url("questionnaires:campaigns"))),
        value=total,
        extra={"answered": answered, "rate": round(100 * answered / total) if total else None},
    )


@computes("screening")
def screening(period: Period) -> Figure:
    org = period.organization_id
    runs = list(
        audit_events_for(org, action="screening.completed", since=period.start, until=period.end)
    )
    names = max((int((e.after or {}).get("records") or 0) for e in runs), default=0)
    hits = ScreeningHit.objects.filter(organization_id=org, **in_period("created_at", period))
    status = Counter(hits.values_list("status", flat=True))
    total = sum(status.values())
    rows = [
        ("Screening runs", f"{len(runs):,}"),
        ("Names screened (largest run)", f"{names:,}"),
        ("Possible matches found", f"{total:,}"),
        ("Confirmed as the listed entity", f"{status.get('confirmed', 0):,}"),
        ("Dismissed after review", f"{status.get('dismissed', 0):,}"),
        ("Still to review", f"{status.get('open', 0):,}"),
    ]
    sentence = (
        f"We screened up to {plural(names, 'supplier and worksite name')} against the U.S. "
        f"and sanctions lists in {plural(len(runs), 'run')}; "
        f"{plural(total, 'possible match', 'possible matches')} "
        f"were found, {status.get('confirmed', 0):,} confirmed and "
        f"{status.get('dismissed', 0):,} dismissed after review."
        if runs or total
        else "No screening against the lists was recorded in the period."
    )
    return Figure(
        key="screening",
        title="Screening against the lists",
        sentence=sentence,
        table=table("Screening in the period", ("Measure", "Number"), rows),
        row_links=(
            "",
            "",
            url("screening:queue", status=""),
            url("screening:queue", status="confirmed"),
            url("screening:queue", status="dismissed"),
            url("screening:queue", status="open"),
        ),
        links=(("Screening hits", url("screening:queue")),),
        value=total,
    )


def _audits(period: Period) -> list[Audit]:
    return list(
        diligence.audits_for(period.organization_id).filter(
            audit_date__gte=period.start, audit_date__lte=period.end
        )
    )


@computes("audits_by_kind")
def audits_by_kind(period: Period) -> Figure:
    audits = _audits(period)
    counts: dict[str, Counter[bool]] = defaultdict(Counter)
    for audit in audits:
        counts[audit.get_kind_display()][audit.announced] += 1
    rows = [
        (kind, f"{c[True]:,}", f"{c[False]:,}", f"{c[True] + c[False]:,}")
        for kind, c in sorted(counts.items())
    ]
    unannounced = sum(c[False] for c in counts.values())
    third = sum(1 for a in audits if a.kind == Audit.Kind.THIRD_PARTY)
    agencies = sum(1 for a in audits if a.covers_recruitment_agencies)
    sentence = (
        f"We audited {plural(len({a.supplier_id for a in audits}), 'supplier')} "
        f"{'once' if len(audits) == 1 else plural(len(audits), 'time')} in the period: "
        f"{third:,} by third parties, "
        f"{unannounced:,} unannounced, {agencies:,} covering recruitment agencies."
        if audits
        else "No audits of suppliers or worksites were held in the period."
    )
    return Figure(
        key="audits_by_kind",
        title="Audits by kind",
        sentence=sentence,
        table=table(
            "Audits held in the period", ("Kind", "Announced", "Unannounced", "Total"), rows
        ),
        row_links=tuple(url("diligence:audits") for _ in rows),
        links=tuple((str(a), url("diligence:audit", a.pk)) for a in audits[:20])
        or (("Audits", url("diligence:audits")),),
        value=len(audits),
    )


def _findings(period: Period) -> list[Finding]:
    return list(
        Finding.objects.filter(
            organization_id=period.organization_id,
            audit__audit_date__gte=period.start,
            audit__audit_date__lte=period.end,
        ).select_related("audit")
    )


@computes("findings_by_indicator")
def findings_by_indicator(period: Period) -> Figure:
    findings = _findings(period)
    by: Counter[int] = Counter()
    audit_of: dict[int, int] = {}
    for finding in findings:
        for number in finding.ilo_indicators or []:
            if str(number).isdigit() and int(number) in diligence.ILO_NAMES:
                by[int(number)] += 1
                audit_of.setdefault(int(number), finding.audit_id)
    order = sorted(by, key=lambda n: (-by[n], n))
    rows = [(diligence.ILO_NAMES[n], f"{by[n]:,}") for n in order]
    named = [f"{diligence.ILO_NAMES[n].lower()} ({by[n]})" for n in order[:3]]
    sentence = (
        f"The audits found {plural(len(findings), 'issue')}; those pointing to forced labour "
        f"were, by the ILO's indicators, chiefly {listing(named)}."
        if order
        else (
            f"The audits found {plural(len(findings), 'issue')}, "
            "none an ILO indicator of forced labour."
            if findings
            else "No audit findings were recorded in the period."
        )
    )
    return Figure(
        key="findings_by_indicator",
        title="Findings by ILO indicator of forced labour",
        sentence=sentence,
        table=table(
            "Audit findings by ILO indicator of forced labour",
            ("ILO indicator", "Findings"),
            rows,
        ),
        row_links=tuple(url("diligence:audit", audit_of[n]) for n in order),
        links=(("Audits", url("diligence:audits")),),
        value=sum(by.values()),
        extra={"findings": len(findings)},
    )


def _actions(period: Period) -> dict[str, int]:
    org = period.organization_id
    actions = CorrectiveAction.objects.filter(organization_id=org)
    opened = actions.filter(**in_period("created_at", period)).count()
    closed = actions.filter(
        status=CorrectiveAction.Status.VERIFIED, **in_period("verified_at", period)
    ).count()
    overdue = (
        actions.filter(created_at__lt=period_end_moment(period), due_date__lt=period.end)
        .exclude(verified_at__lt=period_end_moment(period))
        .exclude(status__in=(CorrectiveAction.Status.DONE, CorrectiveAction.Status.VERIFIED))
        .count()
    )
    return {"opened": opened, "closed": closed, "overdue": overdue}


@computes("corrective_actions")
def corrective_actions(period: Period) -> Figure:
    counts = _actions(period)
    rows = [
        ("Opened in the period", f"{counts['opened']:,}"),
        ("Closed (verified) in the period", f"{counts['closed']:,}"),
        ("Overdue at the end of the period", f"{counts['overdue']:,}"),
    ]
    sentence = (
        f"We opened {plural(counts['opened'], 'corrective action')} with suppliers and closed "
        f"{counts['closed']:,} after verifying the fix; {counts['overdue']:,} "
        f"{'was' if counts['overdue'] == 1 else 'were'} overdue at the end of the period."
    )
    link = url("diligence:audits")
    return Figure(
        key="corrective_actions",
        title="Corrective actions",
        sentence=sentence,
        table=table("Corrective actions", ("Measure", "Number"), rows),
        row_links=(link, link, link),
        links=(("Audits and corrective actions", link),),
        value=counts["opened"],
        extra=counts,
    )


def _amount(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


@computes("remediation")
def remediation(period: Period) -> Figure:
    paid = _program(period, ProgramRecord.Kind.REIMBURSEMENT, "paid_on")
    workers = sum(int(r.values.get("workers") or 0) for r in paid)
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for record in paid:
        amounts[str(record.values.get("currency", "")).upper()] += _amount(
            record.values.get("amount")
        )
    money = [f"{currency} {total:,.2f}".strip() for currency, total in sorted(amounts.items())]
    closed = _actions(period)["closed"]
    rows = [
        (
            day(r.values.get("paid_on")),
            f"{int(r.values.get('workers') or 0):,}",
            f"{str(r.values.get('currency', '')).upper()} {_amount(r.values.get('amount')):,.2f}",
            str(r.values.get("verified_by", "")),
        )
        for r in paid
    ]
    sentence = (
        f"Recruitment fees were paid back to {plural(workers, 'worker')} "
        f"({listing(money)}) in {plural(len(paid), 'reimbursement')}, and "
        f"{plural(closed, 'corrective action')} were completed and verified."
        if paid
        else f"No recruitment-fee reimbursements were recorded in the period; "
        f"{plural(closed, 'corrective action')} were completed and verified."
    )
    return Figure(
        key="remediation",
        title="Remediation",
        sentence=sentence,
        table=table(
            "Recruitment fees reimbursed in the period",
            ("Paid on", "Workers", "Amount", "Verified by"),
            rows,
        ),
        row_links=tuple(url("diligence:program_record", r.pk) for r in paid),
        links=(("Fee reimbursements", url("diligence:program_kind", "reimbursement")),),
        value=workers,
        extra={"reimbursements": len(paid), "closed_actions": closed},
    )


@computes("training")
def training(period: Period) -> Figure:
    sessions = _program(period, ProgramRecord.Kind.TRAINING, "held_on")
    attendees = sum(int(r.values.get("attendees") or 0) for r in sessions)
    audiences: Counter[str] = Counter()
    for session in sessions:
        for audience in session.values.get("audience") or []:
            audiences[AUDIENCE_WORDS.get(audience, audience)] += 1
    rows = [
        (
            str(s.values.get("title") or s.title),
            day(s.values.get("held_on")),
            ", ".join(AUDIENCE_WORDS.get(a, a) for a in s.values.get("audience") or []),
            f"{int(s.values.get('attendees') or 0):,}",
        )
        for s in sessions
    ]
    sentence = (
        f"We held {plural(len(sessions), 'training session')} on forced labour, attended by "
        f"{plural(attendees, 'person', 'people')}; audiences: "
        f"{listing([a.lower() for a in sorted(audiences)])}."
        if sessions
        else "No training on forced labour was recorded in the period."
    )
    return Figure(
        key="training",
        title="Training",
        sentence=sentence,
        table=table(
            "Training held in the period", ("Session", "Held on", "Audience", "Attendees"), rows
        ),
        row_links=tuple(url("diligence:program_record", s.pk) for s in sessions),
        links=(("Training", url("diligence:program_kind", "training")),),
        value=len(sessions),
        extra={"attendees": attendees},
    )
