"""Questionnaire campaigns, requests, responses and answers over the API."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role, scoped
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Id, Pages, SmallCount
from chainproof.domain.questionnaire.answers import display, red_flags
from chainproof.questionnaires import selectors
from chainproof.questionnaires.campaigns import campaign_create, invitations_send
from chainproof.questionnaires.models import Campaign, QuestionnaireRequest, Submission
from chainproof.questionnaires.review import comment_add, request_accept, request_return
from chainproof.questionnaires.versions import definition, versions_sync

router = Router(tags=["questionnaires"])


class VersionOut(Schema):
    id: int
    key: str
    title: str
    version: str
    sha256: str


class CampaignOut(Schema):
    id: int
    name: str
    questionnaire: str
    due_date: date
    reminder_days: int
    status: str
    created_at: datetime
    counts: dict[str, int]


class CampaignIn(BodyIn):
    name: str
    questionnaire: str  # key, e.g. "chainproof-strt@1.0"
    due_date: date
    supplier_ids: list[Id]
    reminder_days: SmallCount = 7
    message: str = ""


class RequestOut(Schema):
    id: int
    reference: str
    campaign_id: int
    supplier_id: int
    supplier_name: str
    contact_email: str
    status: str
    overdue: bool
    sent_at: datetime | None
    opened_at: datetime | None
    submitted_at: datetime | None
    decided_at: datetime | None
    reminders_sent: int


class AnswerOut(Schema):
    question: str
    number: str
    section: str
    text: str
    value: Any
    display: str


class ResponseOut(Schema):
    request: RequestOut
    questionnaire: str
    source: str
    answers: list[AnswerOut]
    red_flags: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    missing: list[str]


class SubmissionOut(Schema):
    id: int
    questionnaire: str
    source: str
    workbook_sha256: str
    submitted_at: datetime
    accepted: bool
    answers: dict[str, Any]


class RequestFilters(Schema):
    status: str = ""
    campaign_id: Id | None = None
    supplier_id: Id | None = None


class ReviewDecisionIn(BodyIn):
    action: str  # accept | return
    apply_worksites: bool = False


class CommentIn(BodyIn):
    question: str
    text: str


def _member(request: HttpRequest, minimum: str = Role.VIEWER) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, minimum)
    return membership


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "questionnaire": campaign.questionnaire.key,
        "due_date": campaign.due_date,
        "reminder_days": campaign.reminder_days,
        "status": campaign.status,
        "created_at": campaign.created_at,
        "counts": selectors.status_counts(campaign),
    }


def _request_out(qr: QuestionnaireRequest) -> dict[str, Any]:
    return {
        "id": qr.pk,
        "reference": qr.reference,
        "campaign_id": qr.campaign_id,
        "supplier_id": qr.supplier_id,
        "supplier_name": qr.supplier.legal_name,
        "contact_email": qr.contact_email,
        "status": qr.status,
        "overdue": qr.is_overdue,
        "sent_at": qr.sent_at,
        "opened_at": qr.opened_at,
        "submitted_at": qr.submitted_at,
        "decided_at": qr.decided_at,
        "reminders_sent": qr.reminders_sent,
    }


@router.get("/versions", response=list[VersionOut], summary="Questionnaire versions")
def versions(request: HttpRequest) -> Any:
    _member(request)
    return versions_sync()


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns")
@paginate(Pages)
def campaigns(request: HttpRequest) -> Any:
    membership = _member(request)
    campaigns = scoped(membership, Campaign).select_related("questionnaire")
    return [_campaign_out(c) for c in campaigns.prefetch_related("requests")]


@router.post("/campaigns", response={201: CampaignOut}, summary="Create a campaign")
def campaign_new(request: HttpRequest, payload: CampaignIn) -> Any:
    membership = _member(request, Role.ANALYST)
    version = next((v for v in versions_sync() if v.key == payload.questionnaire), None)
    if version is None:
        raise ValidationError(
            {"questionnaire": f"Unknown questionnaire {payload.questionnaire!r}."}
        )
    with transaction.atomic():
        campaign = campaign_create(
            organization_id=membership.organization_id,
            actor=request.user,
            name=payload.name,
            questionnaire=version,
            due_date=payload.due_date,
            supplier_ids=payload.supplier_ids,
            reminder_days=payload.reminder_days,
            message=payload.message,
        )
    return Status(201, _campaign_out(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign")
def campaign(request: HttpRequest, campaign_id: Id) -> Any:
    return _campaign_out(get_for_member(_member(request), Campaign, pk=campaign_id))


@router.post(
    "/campaigns/{campaign_id}/invitations",
    response=dict[str, int],
    summary="Email invitations to suppliers not yet invited",
)
def campaign_invite(request: HttpRequest, campaign_id: Id) -> Any:
    membership = _member(request, Role.ANALYST)
    found = get_for_member(membership, Campaign, pk=campaign_id)
    with transaction.atomic():
        return invitations_send(
            campaign=found, actor=request.user, base_url=settings.PUBLIC_BASE_URL
        )


@router.get("/campaigns/{campaign_id}/rollup", response=dict[str, Any], summary="Roll-up")
def campaign_rollup(request: HttpRequest, campaign_id: Id) -> Any:
    found = get_for_member(_member(request), Campaign, pk=campaign_id)
    data = selectors.rollup(found)
    return {
        "requests": data["requests"],
        "responses": data["responses"],
        "rate": data["rate"],
        "by_status": data["by_status"],
        "distribution": [
            {"question": d["question"].id, "counts": dict(d["counts"])}
            for d in data["distribution"]
        ],
        "red_flags": [
            {"request": f["request"].pk, "supplier_id": f["supplier"].pk, "flags": f["flags"]}
            for f in data["flagged"]
        ],
        "timeline": [
            {"date": day.isoformat(), "responses": done, "rate": rate}
            for day, done, rate in data["timeline"]
        ],
    }


@router.get("/requests", response=list[RequestOut], summary="Requests to suppliers")
@paginate(Pages)
def requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    membership = _member(request)
    rows = scoped(membership, QuestionnaireRequest).select_related("supplier", "campaign")
    if filters.campaign_id:
        rows = rows.filter(campaign_id=filters.campaign_id)
    if filters.supplier_id:
        rows = rows.filter(supplier_id=filters.supplier_id)
    out = [_request_out(qr) for qr in rows]
    if filters.status == "overdue":
        return [r for r in out if r["overdue"]]
    return [r for r in out if not filters.status or r["status"] == filters.status]


def _get_request(request: HttpRequest, request_id: Id, minimum: str = Role.VIEWER) -> Any:
    return get_for_member(
        _member(request, minimum),
        QuestionnaireRequest.objects.select_related("supplier", "campaign__questionnaire"),
        pk=request_id,
    )


@router.get("/requests/{request_id}", response=RequestOut, summary="One request")
def request_one(request: HttpRequest, request_id: Id) -> Any:
    return _request_out(_get_request(request, request_id))


@router.get(
    "/requests/{request_id}/response",
    response=ResponseOut,
    summary="The current answers of a request, with flags and problems",
)
def request_response(request: HttpRequest, request_id: Id) -> Any:
    qr = _get_request(request, request_id)
    questionnaire, _ = definition(qr.campaign.questionnaire)
    answers = qr.answers or {}
    return {
        "request": _request_out(qr),
        "questionnaire": qr.campaign.questionnaire.key,
        "source": qr.source,
        "answers": [
            {
                "question": q.id,
                "number": q.number,
                "section": q.section,
                "text": q.text,
                "value": answers[q.id],
                "display": "" if q.type == "table" else display(q, answers[q.id]),
            }
            for q in questionnaire.ordered()
            if q.id in answers
        ],
        "red_flags": [
            {"question": f.question, "answer": f.answer, "code": f.code, "ilo": list(f.ilo)}
            for f in red_flags(questionnaire, answers)
        ]
        if qr.status in ("submitted", "accepted")
        else [],
        "issues": qr.issues,
        "missing": qr.missing,
    }


@router.get(
    "/requests/{request_id}/submissions",
    response=list[SubmissionOut],
    summary="Every submission of a request, as submitted",
)
def request_submissions(request: HttpRequest, request_id: Id) -> Any:
    qr = _get_request(request, request_id)
    return [
        {
            "id": s.pk,
            "questionnaire": s.questionnaire.key,
            "source": s.source,
            "workbook_sha256": s.workbook_sha256,
            "submitted_at": s.submitted_at,
            "accepted": s.accepted,
            "answers": s.answers,
        }
        for s in Submission.objects.filter(request=qr).select_related("questionnaire")
    ]


@router.post("/requests/{request_id}/comments", response={201: dict[str, Any]}, summary="Comment")
def request_comment(request: HttpRequest, request_id: Id, payload: CommentIn) -> Any:
    qr = _get_request(request, request_id, Role.ANALYST)
    with transaction.atomic():
        comment = comment_add(
            qr=qr, actor=request.user, question=payload.question, text=payload.text
        )
    return Status(201, {"id": comment.pk, "question": comment.question, "text": comment.text})


@router.post("/requests/{request_id}/decision", response=RequestOut, summary="Accept or return")
def request_decision(request: HttpRequest, request_id: Id, payload: ReviewDecisionIn) -> Any:
    qr = _get_request(request, request_id, Role.ANALYST)
    with transaction.atomic():
        if payload.action == "accept":
            request_accept(qr=qr, actor=request.user, apply_worksites=payload.apply_worksites)
        elif payload.action == "return":
            request_return(qr=qr, actor=request.user)
        else:
            raise ValidationError({"action": "Expected accept or return."})
    return _request_out(qr)
