from __future__ import annotations

from typing import Any

from django import template

from chainproof.screening.models import ScreeningHit

register = template.Library()


@register.inclusion_tag("screening/_record_hits.html")
def screening_hits(record: Any, node_type: str) -> dict[str, Any]:
    """A record's screening history, for a page that fetched it through the access helper."""
    hits = ScreeningHit.objects.filter(
        organization_id=record.organization_id, node_type=node_type, node_id=record.pk
    )
    return {"hits": hits.order_by("-updated_at")[:20]}
