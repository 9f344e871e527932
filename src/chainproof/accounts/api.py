from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status

from chainproof.accounts import services
from chainproof.accounts.access import get_for_member, require_role, scoped
from chainproof.accounts.models import ApiToken
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Count, Id

router = Router(tags=["accounts"])


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    is_demo: bool


class MeOut(Schema):
    username: str
    email: str
    role: str
    organization: OrganizationOut


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    status: str


class TokenIn(BodyIn):
    name: str
    days: Count | None = None  # 30, 90 or 365; the instance default when left out


class TokenCreatedOut(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="Who the request acts as")
def me(request: HttpRequest) -> dict[str, object]:
    membership = request.auth  # type: ignore[attr-defined]
    return {
        "username": membership.user.username,
        "email": membership.user.email,
        "role": membership.role,
        "organization": membership.organization,
    }


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens in this organization")
def tokens_list(request: HttpRequest) -> object:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.VIEWER)
    return scoped(membership, ApiToken).filter(user=membership.user)


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create a token (shown once)")
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    membership = request.auth  # type: ignore[attr-defined]
    with transaction.atomic():
        created = services.api_token_create(
            membership=membership, name=payload.name, days=payload.days
        )
    token = created.token
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": created.plaintext})


@router.delete(
    "/tokens/{token_id}",
    response=TokenOut,
    summary="Revoke a token (your own; an admin may revoke any in the organization)",
)
def tokens_revoke(request: HttpRequest, token_id: Id) -> ApiToken:
    membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.VIEWER)
    tokens = ApiToken.objects.all()
    if not membership.has_role(Role.ADMIN):
        tokens = tokens.filter(user=membership.user)
    token = get_for_member(membership, tokens, pk=token_id)
    with transaction.atomic():
        return services.api_token_revoke(token=token, actor=membership.user)
