"""Reading audits and what they mean for risk: open findings with ILO indicators and
overdue corrective actions become reported signals on the audited worksite (or supplier)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from chainproof.diligence.models import Audit, CorrectiveAction, Finding
from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import ReportedSignal

ILO_NAMES = {
    1: "Abuse of vulnerability",
    2: "Deception",
    3: "Restriction of movement",
    4: "Isolation",
    5: "Physical and sexual violence",
    6: "Intimidation and threats",
    7: "Retention of identity documents",
    8: "Withholding of wages",
    9: "Debt bondage",
    10: "Abusive working and living conditions",
    11: "Excessive overtime",
}


def audits_for(organization_id: int, *, supplier_id: int | None = None) -> QuerySet[Audit]:
    audits = Audit.objects.filter(organization_id=organization_id)
    if supplier_id is not None:
        audits = audits.filter(supplier_id=supplier_id)
    return audits.select_related("supplier", "report").prefetch_related(
        "facilities",
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("facility").prefetch_related("actions"),
        ),
    )


def overdue_actions(
    organization_id: int, today: dt.date | None = None
) -> QuerySet[CorrectiveAction]:
    day = today or timezone.localdate()
    return (
        CorrectiveAction.objects.filter(
            organization_id=organization_id,
            status__in=CorrectiveAction.OPEN_STATUSES,
            due_date__lt=day,
        )
        .select_related("finding__audit__supplier", "finding__facility")
        .order_by("due_date", "pk")
    )


def _node(finding: Finding) -> NodeKey:
    if finding.facility_id:
        return NodeKey.facility(finding.facility_id)
    return NodeKey.supplier(finding.audit.supplier_id)


def _remediated(finding: Finding) -> bool:
    actions = list(finding.actions.all())
    return bool(actions) and all(a.status == CorrectiveAction.Status.VERIFIED for a in actions)


def risk_signals(organization_id: int) -> dict[NodeKey, list[ReportedSignal]]:
    """Signals for the risk engine (registered as a provider in apps.py)."""
    today = timezone.localdate()
    found: dict[NodeKey, list[ReportedSignal]] = {}
    findings = (
        Finding.objects.filter(organization_id=organization_id)
        .select_related("audit", "audit__supplier")
        .prefetch_related("actions")
    )
    for finding in findings:
        audit = finding.audit
        source = f"{audit.get_kind_display().lower()} audit {audit.audit_date.isoformat()}"
        node = _node(finding)
        if finding.ilo_indicators and not _remediated(finding):
            names = ", ".join(ILO_NAMES.get(n, str(n)) for n in finding.ilo_indicators)
            found.setdefault(node, []).append(
                ReportedSignal(
                    "ilo_indicator_found",
                    f"Audit by {audit.auditor} found {names}: {finding.description[:120]}",
                    source,
                )
            )
        for action in finding.actions.all():
            if action.is_overdue(today):
                found.setdefault(node, []).append(
                    ReportedSignal(
                        "corrective_action_overdue",
                        f"Corrective action due {action.due_date.isoformat()} not done: "
                        f"{action.action[:100]} (owner {action.owner})",
                        source,
                    )
                )
    return found
