"""Ad-hoc screening of any name, and the review queue's hits."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Id, Pages
from chainproof.domain.screening.matcher import ALGORITHM, VERSION
from chainproof.screening import selectors
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import hit_decide, list_index

router = Router(tags=["screening"])


class QualifierOut(Schema):
    reason: str
    delta: float


class MatchOut(Schema):
    score: float
    list_code: str
    entry_key: str
    entry_name: str
    entry_names: list[str]
    entry_country: str
    entry_status: str
    qualifiers: list[QualifierOut]
    explanation: str


class SearchOut(Schema):
    algorithm: str
    matches: list[MatchOut]


class HitOut(Schema):
    id: int
    node_type: str
    node_id: int
    node_name: str
    list_code: str
    entry_name: str
    entry_status: str
    score: Decimal
    explanation: str
    details: dict[str, Any]
    algorithm: str
    algorithm_version: str
    list_edition: str
    status: str
    reason: str
    reviewed_at: datetime | None


class HitFilters(Schema):
    status: str = "open"
    list_code: str = ""
    q: str = ""


class HitDecisionIn(BodyIn):
    status: str
    reason: str = ""


def _member(request: HttpRequest, minimum: str = Role.VIEWER) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, minimum)
    return membership


@router.get("/search", response=SearchOut, summary="Screen any name against every list")
def search(
    request: HttpRequest, name: str, country: str = "", address: str = "", limit: int = 10
) -> Any:
    membership = _member(request)
    index, _ = list_index(membership.organization_id)
    matches = index.screen(
        [name[:300]],
        country=country.upper()[:2],
        address=address[:500],
        threshold=0.3,
        limit=max(1, min(limit, 50)),
    )
    return {
        "algorithm": f"{ALGORITHM} v{VERSION}",
        "matches": [
            {
                "score": m.score,
                "list_code": m.entry.list_code,
                "entry_key": m.entry.key,
                "entry_name": m.entry_name,
                "entry_names": list(m.entry.names),
                "entry_country": m.entry.country,
                "entry_status": m.entry.status,
                "qualifiers": [{"reason": r, "delta": d} for r, d in m.qualifiers],
                "explanation": m.explanation(),
            }
            for m in matches
        ],
    }


@router.get("/hits", response=list[HitOut], summary="Screening hits (the review queue)")
@paginate(Pages)
def hits(request: HttpRequest, filters: Query[HitFilters]) -> Any:
    return selectors.queue(_member(request).organization_id, **filters.dict())


@router.post(
    "/hits/{hit_id}/decision",
    response=HitOut,
    summary="Confirm or dismiss a hit (a reason is required to dismiss)",
)
def decide(request: HttpRequest, hit_id: Id, payload: HitDecisionIn) -> ScreeningHit:
    membership = _member(request, Role.ANALYST)
    hit = get_for_member(membership, ScreeningHit, pk=hit_id)
    with transaction.atomic():
        return hit_decide(
            hit=hit, actor=membership.user, status=payload.status, reason=payload.reason
        )
