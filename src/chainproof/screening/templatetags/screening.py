from __future__ import annotations

from typing import Any

from django import template

from chainproof.domain.countries import readable_name
from chainproof.domain.screening.entries import entry_standing, list_name, status_words
from chainproof.screening.models import ScreeningHit

register = template.Library()


@register.inclusion_tag("screening/_record_hits.html")
def screening_hits(record: Any, node_type: str) -> dict[str, Any]:
    """A record's screening history, for a page that fetched it through the access helper."""
    hits = ScreeningHit.objects.filter(
        organization_id=record.organization_id, node_type=node_type, node_id=record.pk
    )
    return {"hits": hits.order_by("-updated_at")[:20]}


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
