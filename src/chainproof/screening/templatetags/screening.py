from __future__ import annotations

from typing import Any

from django import template

from chainproof.accounts.roles import Role, role_at_least
from chainproof.domain.countries import readable_name
from chainproof.domain.screening.entries import (
    entry_kind_words,
    entry_standing,
    list_name,
    status_words,
)
from chainproof.screening.models import ScreeningHit
from chainproof.screening.selectors import (
    explanation_in_words,
    last_screened_at,
    with_entry_kinds,
)

register = template.Library()


@register.inclusion_tag("screening/_record_hits.html", takes_context=True)
def screening_hits(context: Any, record: Any, node_type: str) -> dict[str, Any]:
    """A record's screening history, for a page that fetched it through the access helper;
    "not screened yet" until a screening has run since the record was added."""
    hits = ScreeningHit.objects.filter(
        organization_id=record.organization_id, node_type=node_type, node_id=record.pk
    )
    found = with_entry_kinds(hits.order_by("-updated_at")[:20])
    last_run = last_screened_at(record.organization_id)
    membership = context.get("membership")
    return {
        "hits": found,
        "screened": bool(found) or (last_run is not None and last_run >= record.created_at),
        "may_screen": membership is not None and role_at_least(membership.role, Role.ANALYST),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def record_kind(node_type: str) -> str:
    """A screened record's type in words: a facility is a "worksite"."""
    return {"facility": "worksite"}.get(str(node_type), str(node_type))


@register.filter
def explanation_words(text: str) -> str:
    """A hit's one-line explanation with its country codes named."""
    return explanation_in_words(str(text or ""))


@register.filter
def kind_words(kind: str) -> str:
    """A list entry's kind as a label ("Vessel"); "" for an entity."""
    return entry_kind_words(str(kind or ""))


@register.filter
def list_label(code: str) -> str:
    """A screening list by its name ("cbp_wro" reads "CBP Withhold Release Orders and
    Findings")."""
    return list_name(str(code))


@register.filter
def entry_status_words(status: str) -> str:
    """A list entry's status in words ("inactive (pending litigation)")."""
    return status_words(str(status or ""))


@register.filter
def entry_in_force(status: str) -> str:
    """How far the entry is in force: "in force", "inactive" or "modified"."""
    return entry_standing(str(status or ""))


@register.filter
def country_words(code: str) -> str:
    """A country code by its name and code ("China (CN)")."""
    code = str(code or "").upper()
    name = readable_name(code, "") if code else ""
    return f"{name} ({code})" if name and name != code else code


@register.filter
def similarity(score: float | None) -> str:
    """A match score as the threshold is read and typed: 0.834 -> "83%"."""
    if score is None:
        return ""
    return f"{round(float(score) * 100)}%"
