"""A case's deadlines: computed from the rules file (``domain/data/deadline_rules.yaml``)
from the case's dates in its port's time zone, with any date a person overrode (and why)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.cases.models import DeadlineOverride, DetentionCase
from chainproof.domain.cases.deadlines import (
    CaseDates,
    Deadline,
    DeadlineRule,
    days_left,
    deadlines_compute,
    rules_load,
)
from chainproof.domain.cases.ports import port_get

DEFAULT_TIMEZONE = "America/New_York"

_AFTER_RESPONSE = (
    "submitted",
    "released",
    "excluded",
    "protested",
    "exported",
    "abandoned",
    "seized",
)
_AFTER_EXCLUSION = ("released", "protested", "exported", "abandoned", "seized")
# A deadline is met (no longer counted down nor reminded) once the case reaches one of
# these states: proof or a response submitted, or the goods gone one way or another.
MET_BY: dict[str, tuple[str, ...]] = {
    "proof_of_admissibility": _AFTER_RESPONSE,
    "uflpa_response": _AFTER_RESPONSE,
    "abandonment": _AFTER_EXCLUSION,
    "protest": _AFTER_EXCLUSION,
}


@lru_cache(maxsize=1)
def rules() -> tuple[DeadlineRule, ...]:
    return rules_load()


def port_timezone(code: str) -> str:
    port = port_get(code) if code else None
    return port.timezone if port else DEFAULT_TIMEZONE


@dataclass(frozen=True)
class CaseDeadline:
    key: str
    label: str
    citation: str
    due: dt.date
    computed: dt.date
    explanation: str
    owner: str
    override_reason: str
    days_left: int
    met: bool = False

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)

    @property
    def urgency(self) -> str:
        if self.met:
            return "met"
        if self.days_left < 0:
            return "past"
        if self.days_left < 7:
            return "bad"
        if self.days_left < 21:
            return "warn"
        return "ok"


def case_dates(case: DetentionCase) -> CaseDates:
    shipment = case.shipment
    return CaseDates(
        basis=case.basis,
        importation=shipment.importation_date or shipment.arrival_date,
        notice=case.notice_at,
        exclusion=case.exclusion_at,
        port_timezone=port_timezone(case.port_code or shipment.port_code),
        response_days=case.response_days,
    )


def case_deadlines(case: DetentionCase, *, today: dt.date | None = None) -> list[CaseDeadline]:
    today = today or timezone.localdate()
    computed: list[Deadline] = deadlines_compute(case_dates(case), rules=rules())
    overrides = {o.rule: o for o in case.overrides.all()}
    out = []
    for d in computed:
        o = overrides.get(d.key)
        due = o.due if o else d.due
        out.append(
            CaseDeadline(
                key=d.key,
                label=d.label,
                citation=d.citation,
                due=due,
                computed=d.due,
                explanation=d.explanation,
                owner=d.owner,
                override_reason=o.reason if o else "",
                days_left=days_left(due, today),
                met=case.status in MET_BY.get(d.key, ()),
            )
        )
    return sorted(out, key=lambda d: d.due)


def next_deadline(case: DetentionCase, *, today: dt.date | None = None) -> CaseDeadline | None:
    """The nearest deadline of the importer's that is neither met nor passed."""
    upcoming = [
        d
        for d in case_deadlines(case, today=today)
        if d.owner == "importer" and d.days_left >= 0 and not d.met
    ]
    return upcoming[0] if upcoming else None


def deadline_override(
    *, case: DetentionCase, actor: Any, rule: str, due: Any, reason: str
) -> DeadlineOverride | None:
    """Set (or, with no date, clear) a deadline's date instead of the computed one."""
    known = {d.key: d for d in case_deadlines(case)}
    if rule not in known:
        raise ValidationError({"rule": f"Expected one of this case's deadlines, found {rule!r}."})
    existing = case.overrides.filter(rule=rule).first()
    before = (
        {"rule": rule, "due": existing.due.isoformat(), "reason": existing.reason}
        if existing
        else None
    )
    if due in (None, ""):
        if existing is None:
            return None
        existing.delete()
        audit_record(
            action="cases.deadline_restored",
            actor=actor,
            organization=case.organization_id,
            obj=case,
            before=before,
            after={"rule": rule, "due": known[rule].computed.isoformat()},
        )
        return None
    try:
        day = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due).strip())
    except ValueError:
        raise ValidationError({"due": f"Expected a date (YYYY-MM-DD), found {due!r}."}) from None
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Expected the reason for the new date, found nothing."})
    override, _ = DeadlineOverride.objects.update_or_create(
        case=case,
        rule=rule,
        defaults={
            "due": day,
            "reason": reason,
            "set_by": actor if getattr(actor, "is_authenticated", False) else None,
            "set_at": timezone.now(),
        },
    )
    audit_record(
        action="cases.deadline_overridden",
        actor=actor,
        organization=case.organization_id,
        obj=case,
        before=before,
        after={"rule": rule, "due": day.isoformat(), "reason": reason},
    )
    return override
