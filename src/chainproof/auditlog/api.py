from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import audit_events_for, verify_organization_chain
from chainproof.common.api_inputs import Id, Pages

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    seq: int
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    created_at: datetime
    request_id: str
    prev_hash: str
    hash: str


class AuditFilters(Schema):
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None


class VerifyOut(Schema):
    chain: str
    ok: bool
    checked: int
    first_break: str | None


@router.get("/events", response=list[AuditEventOut], summary="Audit events (admins)")
@paginate(Pages)
def events(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.ADMIN)
    return audit_events_for(membership.organization_id, **filters.dict())


@router.get("/events/{event_id}", response=AuditEventOut, summary="One audit event (admins)")
def event(request: HttpRequest, event_id: Id) -> AuditEvent:
    membership = request.auth  # type: ignore[attr-defined]
    return get_for_member(membership, AuditEvent, minimum=Role.ADMIN, pk=event_id)


@router.get("/verify", response=VerifyOut, summary="Recompute your organization's hash chain")
def verify(request: HttpRequest) -> dict[str, Any]:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.ADMIN)
    result = verify_organization_chain(membership.organization_id)
    return {
        "chain": result.chain,
        "ok": result.ok,
        "checked": result.checked,
        "first_break": str(result.first_break) if result.first_break else None,
    }
