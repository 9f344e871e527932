"""Reads of statements: the list, the current text of each section, the figures a
statement shows (frozen with its approval, else computed from the record now)."""

from __future__ import annotations

from django.db.models import QuerySet

from chainproof.domain.statements.regimes import Regime, load_regimes
from chainproof.statements.figures import Figure, Period, figures_compute, figures_from_json
from chainproof.statements.models import Statement, StatementApproval, StatementSectionText


def statements_for(organization_id: int) -> QuerySet[Statement]:
    return Statement.objects.filter(organization_id=organization_id).select_related(
        "created_by", "previous"
    )


def regime_of(statement: Statement) -> Regime | None:
    """The statement's regime, or None when the regimes data no longer has it."""
    return load_regimes().get(statement.regime)


def regime_law(code: str) -> str:
    """The law a statement is made under, in words (the list's "Law" column)."""
    found = load_regimes().get(code)
    return found.law if found else "A law chainproof no longer knows"


def regime_figure_keys(chosen: Regime) -> list[str]:
    keys: list[str] = []
    for section in chosen.sections:
        keys += [k for k in section.figures if k not in keys]
    return keys


def active_approval(statement: Statement) -> StatementApproval | None:
    return (
        StatementApproval.objects.filter(statement=statement, withdrawn_at__isnull=True)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def current_texts(statement: Statement) -> dict[str, StatementSectionText]:
    """Each section's text: the version named by the active approval when the statement
    is approved, else the latest version."""
    approval = active_approval(statement) if statement.status != Statement.Status.DRAFT else None
    versions = StatementSectionText.objects.filter(statement=statement).select_related("author")
    if approval is not None:
        chosen = {
            v.section: v for v in versions.filter(pk__in=list(approval.section_versions.values()))
        }
        if chosen:
            return chosen
    found: dict[str, StatementSectionText] = {}
    for version in versions.order_by("section", "-number"):
        found.setdefault(version.section, version)
    return found


def section_history(statement: Statement, section: str) -> QuerySet[StatementSectionText]:
    return (
        StatementSectionText.objects.filter(statement=statement, section=section)
        .select_related("author")
        .order_by("-number")
    )


def statement_figures(statement: Statement) -> dict[str, Figure]:
    """The figures the statement shows: those stored with its approval when approved
    (the same forever), else computed from the record for its period now."""
    if statement.status != Statement.Status.DRAFT:
        approval = active_approval(statement)
        if approval is not None:
            return figures_from_json(approval.figures)
    chosen = regime_of(statement)
    if chosen is None:
        return {}
    period = Period(statement.organization_id, statement.period_start, statement.period_end)
    return figures_compute(period, regime_figure_keys(chosen))
