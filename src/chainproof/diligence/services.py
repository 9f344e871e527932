"""Writing audits, findings and corrective actions. Each write is audited and tells the
risk engine which records' reported signals changed (a finding with ILO indicators, an
overdue corrective action), so their scores and everything downstream are recomputed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.diligence.models import Audit, CorrectiveAction, Finding
from chainproof.domain.nodes import NodeKey
from chainproof.evidence.documents import document_number
from chainproof.evidence.models import Document
from chainproof.jobs.recompute import signals_changed
from chainproof.suppliers.models import Facility, Supplier

ILO_INDICATORS = range(1, 12)


def _org(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def _date(field: str, value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError({field: f"Expected a date (YYYY-MM-DD), found {value!r}."}) from None


def _text(field: str, value: Any, *, limit: int | None = None) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: "Expected a value, found nothing."})
    if limit and len(text) > limit:
        raise ValidationError({field: f"Expected at most {limit} characters, found {len(text)}."})
    return text


def _document(organization_id: int, document: Any, field: str) -> Document | None:
    if document in (None, ""):
        return None
    pk = document_number(document, field)
    found = Document.objects.filter(
        organization_id=organization_id, pk=pk, deleted_at__isnull=True
    ).first()
    if found is None:
        raise ValidationError({field: f"No document {pk} in your organization."})
    return found


def _nodes_of(finding: Finding) -> list[NodeKey]:
    if finding.facility_id:
        return [NodeKey.facility(finding.facility_id)]
    return [NodeKey.supplier(finding.audit.supplier_id)]


def audit_create(
    *,
    organization: Any,
    actor: Any,
    supplier: Supplier,
    kind: str,
    audit_date: Any,
    auditor: str,
    announced: bool = True,
    facilities: Iterable[Facility] = (),
    covers_recruitment_agencies: bool = False,
    scope: str = "",
    report: Any = None,
) -> Audit:
    org = _org(organization)
    if supplier.organization_id != org:
        raise ValidationError({"supplier": "No such supplier in your organization."})
    if kind not in Audit.Kind.values:
        raise ValidationError({"kind": f"Expected internal or third_party, found {kind!r}."})
    sites = list(facilities)
    strangers = [f for f in sites if f.organization_id != org]
    if strangers:
        raise ValidationError(
            {"facilities": f"No worksite {strangers[0].pk} in your organization."}
        )
    when = _date("audit_date", audit_date)
    if when > timezone.localdate():
        raise ValidationError({"audit_date": f"Expected a date not in the future, found {when}."})
    audit = Audit.objects.create(
        organization_id=org,
        supplier=supplier,
        kind=kind,
        announced=bool(announced),
        audit_date=when,
        auditor=_text("auditor", auditor, limit=200),
        covers_recruitment_agencies=bool(covers_recruitment_agencies),
        scope=str(scope or "").strip(),
        report=_document(org, report, "report"),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.facilities.set(sites)
    audit_record(
        action="diligence.audit_created",
        actor=actor,
        organization=org,
        obj=audit,
        after={**snapshot(audit), "facilities": [f.pk for f in sites]},
    )
    return audit


def finding_add(
    *,
    audit: Audit,
    actor: Any,
    description: str,
    severity: str,
    ilo_indicators: Iterable[Any] = (),
    facility: Facility | None = None,
) -> Finding:
    if severity not in Finding.Severity.values:
        raise ValidationError(
            {
                "severity": f"Expected one of {', '.join(Finding.Severity.values)}, "
                f"found {severity!r}."
            }
        )
    indicators: list[int] = []
    for value in ilo_indicators:
        text = str(value).strip()
        if not text.isdigit() or int(text) not in ILO_INDICATORS:
            raise ValidationError(
                {"ilo_indicators": f"Expected ILO indicator numbers 1 to 11, found {value!r}."}
            )
        indicators.append(int(text))
    if facility is not None and facility.organization_id != audit.organization_id:
        raise ValidationError({"facility": "No such worksite in your organization."})
    if (
        facility is not None
        and facility.supplier_id != audit.supplier_id
        and not audit.facilities.filter(pk=facility.pk).exists()
    ):
        raise ValidationError(
            {
                "facility": f"Expected a worksite of {audit.supplier} or one the audit "
                f"covered, found {facility.name}."
            }
        )
    finding = Finding.objects.create(
        organization_id=audit.organization_id,
        audit=audit,
        facility=facility,
        description=_text("description", description),
        severity=severity,
        ilo_indicators=sorted(set(indicators)),
    )
    audit_record(
        action="diligence.finding_added",
        actor=actor,
        organization=audit.organization_id,
        obj=finding,
        after=snapshot(finding),
    )
    if finding.ilo_indicators:
        signals_changed(audit.organization_id, _nodes_of(finding), actor=actor)
    return finding


def action_add(
    *, finding: Finding, actor: Any, action: str, owner: str, due_date: Any
) -> CorrectiveAction:
    due = _date("due_date", due_date)
    corrective = CorrectiveAction.objects.create(
        organization_id=finding.organization_id,
        finding=finding,
        action=_text("action", action),
        owner=_text("owner", owner, limit=200),
        due_date=due,
        overdue_since=timezone.localdate() if due < timezone.localdate() else None,
    )
    audit_record(
        action="diligence.action_added",
        actor=actor,
        organization=finding.organization_id,
        obj=corrective,
        after=snapshot(corrective),
    )
    if corrective.is_overdue():
        signals_changed(finding.organization_id, _nodes_of(finding), actor=actor)
    return corrective


def action_update(
    *,
    corrective: CorrectiveAction,
    actor: Any,
    status: str,
    verification: Any = None,
    due_date: Any = None,
) -> CorrectiveAction:
    """Move an action on; "verified" needs the document that proves it was done."""
    if status not in CorrectiveAction.Status.values:
        raise ValidationError(
            {
                "status": f"Expected one of {', '.join(CorrectiveAction.Status.values)}, "
                f"found {status!r}."
            }
        )
    before = snapshot(corrective, ["status", "due_date", "verification"])
    was_overdue = corrective.is_overdue()
    proof = _document(corrective.organization_id, verification, "verification")
    if status == CorrectiveAction.Status.VERIFIED:
        proof = proof or corrective.verification
        if proof is None:
            raise ValidationError(
                {"verification": "Name the document that proves the action was done."}
            )
        corrective.verified_by = actor if getattr(actor, "is_authenticated", False) else None
        corrective.verified_at = timezone.now()
    corrective.status = status
    corrective.verification = proof
    if due_date not in (None, ""):
        corrective.due_date = _date("due_date", due_date)
    corrective.overdue_since = (
        corrective.overdue_since or timezone.localdate() if corrective.is_overdue() else None
    )
    corrective.updated_at = timezone.now()
    corrective.save()
    audit_record(
        action="diligence.action_updated",
        actor=actor,
        organization=corrective.organization_id,
        obj=corrective,
        before=before,
        after=snapshot(corrective, ["status", "due_date", "verification"]),
    )
    if was_overdue != corrective.is_overdue() or status == CorrectiveAction.Status.VERIFIED:
        signals_changed(corrective.organization_id, _nodes_of(corrective.finding), actor=actor)
    return corrective


def overdue_actions_flag(*, today: dt.date | None = None) -> int:
    """Daily: actions that became overdue since the last check make their records' risk
    rise, once. Returns how many were found."""
    day = today or timezone.localdate()
    newly = CorrectiveAction.objects.filter(
        status__in=CorrectiveAction.OPEN_STATUSES, due_date__lt=day, overdue_since__isnull=True
    ).select_related("finding__audit")
    by_org: dict[int, set[NodeKey]] = {}
    found = 0
    for corrective in newly:
        corrective.overdue_since = day
        corrective.save(update_fields=["overdue_since"])
        audit_record(
            action="diligence.action_overdue",
            organization=corrective.organization_id,
            obj=corrective,
            after={"due_date": corrective.due_date, "owner": corrective.owner},
        )
        by_org.setdefault(corrective.organization_id, set()).update(_nodes_of(corrective.finding))
        found += 1
    for org, nodes in by_org.items():
        signals_changed(org, nodes)
    return found
