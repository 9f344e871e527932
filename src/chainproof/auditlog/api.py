from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import audit_events_for, verify_organization_chain
from chainproof.auditlog.verification import (
    VERIFY_INLINE_UP_TO,
    chain_verification_start,
    last_verification,
    verify_inline,
)
from chainproof.common.api_inputs import Id, Pages
from chainproof.jobs.api import JobOut

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
    # A trail too long to verify while the request waits: when the job that last
    # verified it as a whole finished, and its number (both empty when verified now).
    verified_at: datetime | None = None
    job: int | None = None


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


@router.get(
    "/verify",
    response=VerifyOut,
    summary="Recompute your organization's hash chain",
    description=(
        f"A chain of up to {VERIFY_INLINE_UP_TO:,} events is recomputed now. A longer one "
        "is recomputed by a background job (POST to this address starts it): its last "
        "result is returned, with when it finished; 409 when it never ran."
    ),
)
def verify(request: HttpRequest) -> dict[str, Any]:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.ADMIN)
    org_id = membership.organization_id
    if verify_inline(org_id):
        result = verify_organization_chain(org_id)
        return {
            "chain": result.chain,
            "ok": result.ok,
            "checked": result.checked,
            "first_break": str(result.first_break) if result.first_break else None,
        }
    last = last_verification(org_id).finished
    if last is None or not isinstance(last.result, dict):
        raise HttpError(
            409,
            "This audit trail is too long to verify while the request waits and has not "
            "been verified as a whole yet: POST /api/v1/audit/verify starts a verification.",
        )
    found = last.result
    return {
        "chain": found.get("chain", ""),
        "ok": bool(found.get("holds")),
        "checked": int(found.get("events_checked") or 0),
        "first_break": found.get("first_break") or None,
        "verified_at": last.finished_at,
        "job": last.pk,
    }


@router.post(
    "/verify",
    response={202: JobOut},
    summary="Verify your organization's whole hash chain in the background",
)
def verify_start(request: HttpRequest) -> Any:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.ADMIN)
    with transaction.atomic():
        job = chain_verification_start(organization=membership.organization, actor=membership.user)
    return Status(202, job)
