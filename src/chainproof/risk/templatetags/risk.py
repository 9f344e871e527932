from __future__ import annotations

from typing import Any

from django import template

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
    return {
        "a": current_for(record.organization_id, node_type, record.pk),
        "node_type": node_type,
        "node_id": record.pk,
    }


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
