from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import EntityHit
from chainproof.screening.models import ScreeningHit


def risk_hits(organization_id: int) -> dict[NodeKey, list[EntityHit]]:
    """Open and confirmed hits, for the risk engine (dismissed hits say nothing), each with
    its entry's status: the methodology weighs a hit on an inactive entry less."""
    found: dict[NodeKey, list[EntityHit]] = defaultdict(list)
    rows = ScreeningHit.objects.filter(
        organization_id=organization_id,
        status__in=(ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED),
    ).values_list(
        "node_type",
        "node_id",
        "list_code",
        "entry_name",
        "status",
        "list_edition",
        "score",
        "entry_status",
    )
    for node_type, node_id, list_code, entry, status, edition, score, entry_status in rows:
        found[NodeKey.of_type(node_type, node_id)].append(
            EntityHit(
                list_code,
                entry,
                confirmed=status == ScreeningHit.Status.CONFIRMED,
                edition=edition,
                detail=f"name score {float(score):.2f}",
                status=entry_status,
            )
        )
    return dict(found)


def queue(
    organization_id: int,
    *,
    status: str = "open",
    list_code: str = "",
    min_score: float | None = None,
    q: str = "",
) -> QuerySet[ScreeningHit]:
    hits = ScreeningHit.objects.filter(organization_id=organization_id)
    if status:
        hits = hits.filter(status=status)
    if list_code:
        hits = hits.filter(list_code=list_code)
    if min_score is not None:
        hits = hits.filter(score__gte=min_score)
    if q:
        hits = hits.filter(node_name__icontains=q) | hits.filter(entry_name__icontains=q)
    return hits.order_by("-score", "pk")


def counts(organization_id: int) -> dict[str, int]:
    return {
        row["status"]: row["n"]
        for row in ScreeningHit.objects.filter(organization_id=organization_id)
        .values("status")
        .annotate(n=Count("pk"))
    }
