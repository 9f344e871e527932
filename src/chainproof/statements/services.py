"""Writing statements: a new draft pre-filled from the record, an edit of one section's
text (a new version each time), the approval that freezes the figures, reopening an
approved statement, and marking it published. Each write is audited in the caller's
transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.domain.statements.regimes import Regime, load_regimes, regime
from chainproof.statements.drafting import first_draft
from chainproof.statements.figures import Period, figures_compute, figures_json, figures_sha256
from chainproof.statements.models import Statement, StatementApproval, StatementSectionText
from chainproof.statements.selectors import active_approval, current_texts, regime_figure_keys

MAX_TEXT = 30_000
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2200, 12, 31)
MAX_PERIOD_DAYS = 731  # two years: a statement covers a financial year


def _org(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _date(field: str, label: str, value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(
            {field: f"{label}: expected a date (YYYY-MM-DD), found {str(value or '')!r}."}
        ) from None


def _regime(code: str) -> Regime:
    try:
        return regime(str(code or ""))
    except ValueError:
        names = ", ".join(r.short_title for r in load_regimes().values())
        raise ValidationError(
            {"regime": f"Choose one of the statements chainproof drafts ({names})."}
        ) from None


def statement_create(
    *,
    organization: Any,
    actor: Any,
    regime_code: str,
    period_start: Any,
    period_end: Any,
    title: str = "",
) -> Statement:
    """A draft statement for the period, each section pre-filled with a first draft
    written from the figures; linked to the same regime's statement for the period
    before, if there is one, for comparison."""
    org = _org(organization)
    chosen = _regime(regime_code)
    start = _date("period_start", "Start of the period", period_start)
    end = _date("period_end", "End of the period", period_end)
    for field, label, value in (
        ("period_start", "Start of the period", start),
        ("period_end", "End of the period", end),
    ):
        if not EARLIEST <= value <= LATEST:
            raise ValidationError(
                {
                    field: f"{label}: expected a date between {EARLIEST.year} and {LATEST.year}, "
                    f"found {value}."
                }
            )
    if end < start:
        raise ValidationError(
            {"period_end": f"The period ends ({end}) before it starts ({start})."}
        )
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError(
            {
                "period_end": "A statement covers one financial year: at most two years, "
                f"found {(end - start).days + 1} days."
            }
        )
    title = " ".join(str(title or "").split())[:300] or (
        f"{chosen.title}, {start:%-d %B %Y} to {end:%-d %B %Y}"
    )
    previous = (
        Statement.objects.filter(organization_id=org, regime=chosen.code, period_end__lt=start)
        .order_by("-period_end", "-pk")
        .first()
    )
    statement = Statement.objects.create(
        organization_id=org,
        regime=chosen.code,
        period_start=start,
        period_end=end,
        title=title,
        previous=previous,
        created_by=_person(actor),
    )
    figures = figures_compute(Period(org, start, end), regime_figure_keys(chosen))
    for section in chosen.sections:
        StatementSectionText.objects.create(
            statement=statement,
            section=section.key,
            number=1,
            text=first_draft(chosen, section, figures),
            drafted=True,
            author=_person(actor),
        )
    audit_record(
        action="statements.statement_created",
        actor=actor,
        organization=org,
        obj=statement,
        after={
            "regime": chosen.code,
            "regime_title": chosen.title,
            "period": f"{start} to {end}",
            "previous": previous.pk if previous else None,
            "sections": [s.key for s in chosen.sections],
        },
    )
    return statement


def _must_be_draft(statement: Statement, doing: str) -> None:
    if statement.status != Statement.Status.DRAFT:
        raise ValidationError(
            f"This statement is {statement.get_status_display().lower()}: to {doing}, "
            "reopen it first (the approval is kept in its history)."
        )


def statement_section_save(
    *, statement: Statement, actor: Any, section: str, text: str
) -> StatementSectionText | None:
    """A new version of one section's text; None when the text is unchanged."""
    _must_be_draft(statement, "edit it")
    chosen = _regime(statement.regime)
    if section not in {s.key for s in chosen.sections}:
        raise ValidationError({"section": f"This statement has no section {section!r}."})
    text = str(text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": f"Expected at most {MAX_TEXT:,} characters, found {len(text):,}."}
        )
    before = current_texts(statement).get(section)
    if before is not None and before.text == text:
        return None
    number = (
        StatementSectionText.objects.filter(statement=statement, section=section).aggregate(
            n=Max("number")
        )["n"]
        or 0
    ) + 1
    version = StatementSectionText.objects.create(
        statement=statement, section=section, number=number, text=text, author=_person(actor)
    )
    statement.updated_at = timezone.now()
    statement.save(update_fields=["updated_at"])
    audit_record(
        action="statements.section_edited",
        actor=actor,
        organization=statement.organization_id,
        obj=statement,
        before={"section": section, "version": number - 1, "text": before.text if before else ""},
        after={
            "section": section,
            "heading": chosen.section(section).heading,
            "version": number,
            "text": text,
        },
    )
    return version


def statement_approve(
    *,
    statement: Statement,
    actor: Any,
    approver: str,
    name: str,
    role: str,
    approved_on: Any,
) -> StatementApproval:
    """Record the approval; the figures are computed now and stored with it, so the
    approved statement shows them from then on, whatever the record says later."""
    _must_be_draft(statement, "approve it again")
    chosen = _regime(statement.regime)
    errors: dict[str, str] = {}
    if approver not in StatementApproval.Approver.values:
        errors["approver"] = "Say who approved it: the board or a named officer."
    name = " ".join(str(name or "").split())[:200]
    role = " ".join(str(role or "").split())[:200]
    if not name:
        errors["name"] = "Name the person (or the body) who approved the statement."
    if not role:
        errors["role"] = "Give their role, e.g. Director, or Chief Executive Officer."
    if errors:
        raise ValidationError(errors)
    day = _date("approved_on", "Date of approval", approved_on)
    if day > timezone.localdate():
        raise ValidationError({"approved_on": f"The date of approval ({day}) is in the future."})
    figures = figures_json(
        figures_compute(
            Period(statement.organization_id, statement.period_start, statement.period_end),
            regime_figure_keys(chosen),
        )
    )
    versions = {key: text.pk for key, text in current_texts(statement).items()}
    approval = StatementApproval.objects.create(
        statement=statement,
        approver=approver,
        name=name,
        role=role,
        approved_on=day,
        figures=figures,
        figures_sha256=figures_sha256(figures),
        section_versions=versions,
        recorded_by=_person(actor),
    )
    statement.status = Statement.Status.APPROVED
    statement.updated_at = timezone.now()
    statement.save(update_fields=["status", "updated_at"])
    audit_record(
        action="statements.statement_approved",
        actor=actor,
        organization=statement.organization_id,
        obj=statement,
        before={"status": "draft"},
        after={
            "status": "approved",
            "approved_by": f"{approval.get_approver_display()}: {name}, {role}",
            "approved_on": day.isoformat(),
            "figures_sha256": approval.figures_sha256,
            "section_versions": versions,
            "approval_required": chosen.approval.who if chosen.approval.required else "",
        },
    )
    return approval


def statement_reopen(*, statement: Statement, actor: Any, reason: str) -> Statement:
    """Back to a draft: the approval is withdrawn (kept, with who and why), the figures are
    computed from the record again until the next approval."""
    if statement.status == Statement.Status.DRAFT:
        raise ValidationError("This statement is already a draft.")
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the approved statement is reopened."})
    approval = active_approval(statement)
    before = statement.status
    if approval is not None:
        approval.withdrawn_at = timezone.now()
        approval.withdrawn_by = _person(actor)
        approval.withdrawn_reason = reason[:2000]
        approval.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    statement.status = Statement.Status.DRAFT
    statement.published_on = None
    statement.published_url = ""
    statement.updated_at = timezone.now()
    statement.save(update_fields=["status", "published_on", "published_url", "updated_at"])
    audit_record(
        action="statements.statement_reopened",
        actor=actor,
        organization=statement.organization_id,
        obj=statement,
        before={"status": before, "approval": approval.pk if approval else None},
        after={"status": "draft", "reason": reason[:2000]},
    )
    return statement


def statement_publish(
    *, statement: Statement, actor: Any, published_on: Any, published_url: str = ""
) -> Statement:
    if statement.status != Statement.Status.APPROVED:
        raise ValidationError("Only an approved statement is published; approve it first.")
    day = _date("published_on", "Date published", published_on)
    address = str(published_url or "").strip()[:500]
    if address and not address.startswith(("https://", "http://")):
        raise ValidationError(
            {"published_url": f"Expected a web address (https://...), found {address!r}."}
        )
    statement.status = Statement.Status.PUBLISHED
    statement.published_on = day
    statement.published_url = address
    statement.updated_at = timezone.now()
    statement.save(update_fields=["status", "published_on", "published_url", "updated_at"])
    audit_record(
        action="statements.statement_published",
        actor=actor,
        organization=statement.organization_id,
        obj=statement,
        before={"status": "approved"},
        after={"status": "published", "published_on": day.isoformat(), "address": address},
    )
    return statement
