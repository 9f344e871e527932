from __future__ import annotations

from typing import Any

from django import template

from chainproof.domain.risk.gaps import site_gaps
from chainproof.domain.risk.labels import factor_label as _factor_label
from chainproof.domain.risk.labels import main_reason as _main_reason
from chainproof.domain.risk.labels import ranked
from chainproof.risk.selectors import current_for

register = template.Library()

REGIME_LABELS = {
    "caatsa_321b": "CAATSA 321(b): North Korean labor",
    "uflpa": "UFLPA: Xinjiang and the Entity List",
    "section_307": "Section 307: WROs and Findings",
}


@register.inclusion_tag("risk/_badge.html")
def risk_badge(record: Any, node_type: str) -> dict[str, Any]:
    """The current score of a record the page already fetched through the access helper."""
    assessment = current_for(record.organization_id, node_type, record.pk)
    return {
        "a": assessment,
        "main": _main_reason(assessment.reasons) if assessment else None,
        "node_type": node_type,
        "node_id": record.pk,
    }


@register.inclusion_tag("risk/_gaps.html")
def facility_gaps(facility: Any) -> dict[str, Any]:
    """What nobody has asked about a worksite yet: gaps to close, not points."""
    return {
        "gaps": site_gaps(
            dprk_workers=facility.dprk_workers,
            total_workers=facility.total_workers,
            migrant_workers=facility.migrant_workers,
        ),
        "facility": facility,
    }


@register.filter
def factor_label(factor: str) -> str:
    """A factor in words ("dprk_workers_unknown" -> "North Korean workers not ruled out")."""
    return _factor_label(str(factor))


@register.filter
def main_reason(reasons: Any) -> Any:
    """The reason with the most points: the one a person reads first."""
    return _main_reason(reasons or [])


@register.filter
def largest_first(reasons: Any) -> list[Any]:
    return ranked(reasons or [])


@register.inclusion_tag("risk/_presumptions.html")
def presumptions(record: Any) -> dict[str, Any]:
    assessment = current_for(record.organization_id, "product", record.pk)
    checks = []
    for check in assessment.presumptions if assessment else []:
        checks.append({**check, "label": REGIME_LABELS.get(check["regime"], check["regime"])})
    return {"a": assessment, "checks": checks}


@register.filter
def regime_label(code: str) -> str:
    return REGIME_LABELS.get(code, code)


STATUS_WORDS = {
    "applies": "applies",
    "may_apply": "may apply",
    "does_not_apply": "does not apply",
    "rebutted": "rebutted",
}


@register.filter
def presumption_words(status: str) -> str:
    """A presumption's status in words ("may_apply" -> "may apply")."""
    return STATUS_WORDS.get(status, status.replace("_", " "))


@register.filter
def dataset_title(kind: str) -> str:
    """A reference dataset by its title ("cbp_wro_findings" -> "CBP Withhold Release
    Orders and Findings")."""
    from chainproof.reference.tables import TABLE_FOR_KIND

    table = TABLE_FOR_KIND.get(str(kind))
    return table.title if table else str(kind).replace("_", " ").capitalize()
