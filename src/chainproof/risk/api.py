"""Risk assessments and presumption results."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import Id, Pages
from chainproof.domain.risk.labels import factor_label, main_reason, ranked
from chainproof.risk import selectors
from chainproof.risk.views import NODE_MODELS

router = Router(tags=["risk"])


class AssessmentOut(Schema):
    id: int
    node_type: str
    node_id: int
    node_name: str
    country: str
    score: Decimal
    own_score: Decimal
    level: str
    reasons: list[dict[str, Any]]
    main_reason: dict[str, Any] | None
    presumptions: list[dict[str, Any]]
    sanctions_flags: list[str]
    methodology: str
    editions: dict[str, str]
    engine: str
    engine_version: str
    as_of: date
    computed_at: datetime
    is_current: bool

    @staticmethod
    def resolve_methodology(obj: Any) -> str:
        return str(obj.methodology)

    @staticmethod
    def resolve_reasons(obj: Any) -> list[dict[str, Any]]:
        """Largest first, each with its factor in words beside the id."""
        return [{**r, "label": factor_label(r["factor"])} for r in ranked(obj.reasons)]

    @staticmethod
    def resolve_main_reason(obj: Any) -> dict[str, Any] | None:
        top = main_reason(obj.reasons)
        return {**top, "label": factor_label(top["factor"])} if top else None


class RegisterFilters(Schema):
    level: str = ""
    node_type: str = ""
    country: str = ""
    good: str = ""
    presumption: str = ""
    status: str = ""
    q: str = ""
    sort: str = "-score"


def _member(request: HttpRequest) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.VIEWER)
    return membership


@router.get("/assessments", response=list[AssessmentOut], summary="The risk register")
@paginate(Pages)
def assessments(request: HttpRequest, filters: Query[RegisterFilters]) -> Any:
    membership = _member(request)
    return selectors.register(membership.organization_id, **filters.dict()).select_related(
        "methodology"
    )


@router.get(
    "/{node_type}/{node_id}",
    response=list[AssessmentOut],
    summary="A record's assessments, current first, then its history",
)
def node_history(request: HttpRequest, node_type: str, node_id: Id) -> Any:
    membership = _member(request)
    model = NODE_MODELS.get(node_type)
    if model is None:
        raise Http404(f"Unknown record type {node_type!r}; expected supplier, facility or product.")
    get_for_member(membership, model, pk=node_id)
    return list(selectors.history_for(membership.organization_id, node_type, node_id)[:50])


@router.get(
    "/products/{product_id}/presumptions",
    response=dict[str, Any],
    summary="CAATSA 321(b), UFLPA and Section 307 checks for a product",
)
def product_presumptions(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    membership = _member(request)
    get_for_member(membership, NODE_MODELS["product"], pk=product_id)
    current = selectors.current_for(membership.organization_id, "product", product_id)
    if current is None:
        raise Http404("This product has not been scored yet.")
    return {
        "product_id": product_id,
        "presumptions": current.presumptions,
        "sanctions_flags": current.sanctions_flags,
        "computed_at": current.computed_at,
        "methodology": str(current.methodology),
        "engine": current.engine,
        "engine_version": current.engine_version,
    }
