"""The compliance team's pages: campaigns, status, roll-up, and the review of responses."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role, scoped
from chainproof.accounts.roles import Role
from chainproof.blobs import BlobStoreUnavailable, blob_store, checked_chunks
from chainproof.common.paging import paginate
from chainproof.questionnaires import languages, selectors
from chainproof.questionnaires.campaigns import campaign_create, invitations_send
from chainproof.questionnaires.exporting import XLSX, rollup_xlsx, safe_file_name, workbooks_zip
from chainproof.questionnaires.models import (
    Attachment,
    Campaign,
    QuestionnaireRequest,
)
from chainproof.questionnaires.reuse import answered_submission, answered_workbook_for
from chainproof.questionnaires.review import (
    comment_add,
    request_accept,
    request_return,
    worksite_changes,
)
from chainproof.questionnaires.versions import definition, versions_sync
from chainproof.suppliers.models import Supplier

log = logging.getLogger(__name__)


def campaigns(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    rows = scoped(membership, Campaign).select_related("questionnaire").prefetch_related("requests")
    page = paginate(request, rows)
    for campaign in page["rows"]:
        campaign.counts = selectors.status_counts(campaign)
    return render(request, "questionnaires/campaigns.html", page)


def request_index(request: HttpRequest) -> HttpResponse:
    """Requests across campaigns, filtered by state (outstanding, overdue, to review)."""
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    state = request.GET.get("state", "")
    rows = selectors.requests_in_state(membership.organization_id, state)
    return render(
        request,
        "questionnaires/requests.html",
        {
            **paginate(request, rows),
            "state": state if state in selectors.REQUEST_STATES else "",
            "states": selectors.REQUEST_STATES,
        },
    )


# The new-campaign form lists at most this many suppliers (narrowed by its filters).
CANDIDATES_LISTED = 500


def _supplier_choices(membership: Any, params: dict[str, str]) -> tuple[list[Any], bool]:
    """The active suppliers the filters find, at most CANDIDATES_LISTED, and whether more
    match."""
    suppliers = scoped(membership, Supplier).filter(status=Supplier.Status.ACTIVE)
    if params.get("country"):
        suppliers = suppliers.filter(country=params["country"].upper())
    if params.get("tier"):
        suppliers = suppliers.filter(tier=params["tier"]) if params["tier"].isdigit() else suppliers
    if params.get("q"):
        suppliers = suppliers.filter(legal_name__icontains=params["q"])
    found = list(suppliers.order_by("legal_name", "pk")[: CANDIDATES_LISTED + 1])
    return found[:CANDIDATES_LISTED], len(found) > CANDIDATES_LISTED


def campaign_new(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ANALYST)
    versions = versions_sync()
    params = {k: request.GET.get(k, "").strip() for k in ("country", "tier", "q")}
    error = ""
    form = {"name": "", "due_date": "", "reminder_days": "7", "message": "", "version": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            version = next((v for v in versions if str(v.pk) == form["version"]), None)
            if version is None:
                raise ValidationError({"version": "Choose a questionnaire."})
            try:
                due = date.fromisoformat(form["due_date"])
            except ValueError:
                raise ValidationError(
                    {"due_date": f"Expected a date (YYYY-MM-DD), found {form['due_date']!r}."}
                ) from None
            ids = [int(i) for i in request.POST.getlist("suppliers") if i.isdigit()]
            with transaction.atomic():
                campaign = campaign_create(
                    organization_id=membership.organization_id,
                    actor=request.user,
                    name=form["name"],
                    questionnaire=version,
                    due_date=due,
                    supplier_ids=ids,
                    reminder_days=int(form["reminder_days"])
                    if form["reminder_days"].isdigit()
                    else 0,  # refused by the service with its range
                    message=form["message"],
                )
            messages.success(
                request, f"Campaign created for {campaign.requests.count()} suppliers."
            )
            return redirect("questionnaires:campaign", campaign_id=campaign.pk)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    candidates, more = _supplier_choices(membership, params)
    return render(
        request,
        "questionnaires/campaign_new.html",
        {
            "versions": versions,
            "suppliers": candidates,
            "more_suppliers": more,
            "params": params,
            "form": form,
            "error": error,
        },
        status=400 if error else 200,
    )


def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    membership = current_membership(request)
    campaign = get_for_member(membership, Campaign, pk=campaign_id)
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        with transaction.atomic():
            result = invitations_send(
                campaign=campaign,
                actor=request.user,
                base_url=settings.PUBLIC_BASE_URL,
                request_ids=[int(i) for i in request.POST.getlist("requests") if i.isdigit()]
                or None,
            )
        messages.success(
            request,
            f"Invitations queued for sending: {result['sent']}"
            + (
                f"; {result['no_email']} suppliers have no contact email"
                if result["no_email"]
                else ""
            ),
        )
        return redirect("questionnaires:campaign", campaign_id=campaign.pk)
    requests = campaign.requests.select_related("supplier", "campaign")
    status = request.GET.get("status", "")
    rows = [qr for qr in requests if not status or qr.display_status == status]
    emails = selectors.invitation_emails(rows)
    for qr in rows:
        qr.invitation_email = emails.get(qr.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "questionnaires/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "counts": selectors.status_counts(campaign),
            "status": status,
        },
    )


def campaign_rollup(request: HttpRequest, campaign_id: int) -> HttpResponse:
    membership = current_membership(request)
    campaign = get_for_member(membership, Campaign, pk=campaign_id)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(rollup_xlsx(campaign), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="rollup_{safe_file_name(campaign.name)}.xlsx"'
        )
        return response
    return render(
        request,
        "questionnaires/rollup.html",
        {"campaign": campaign, **selectors.rollup(campaign)},
    )


def campaign_workbooks(request: HttpRequest, campaign_id: int) -> HttpResponse:
    membership = current_membership(request)
    campaign = get_for_member(membership, Campaign, pk=campaign_id, minimum=Role.ANALYST)
    response = HttpResponse(workbooks_zip(campaign), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="workbooks_{safe_file_name(campaign.name)}.zip"'
    )
    return response


def request_review(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = current_membership(request)
    qr = get_for_member(
        membership,
        QuestionnaireRequest.objects.select_related("supplier", "campaign__questionnaire"),
        pk=request_id,
    )
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        action = request.POST.get("action", "")
        try:
            with transaction.atomic():
                if action == "comment":
                    comment_add(
                        qr=qr,
                        actor=request.user,
                        question=request.POST.get("question", ""),
                        text=request.POST.get("text", ""),
                    )
                    messages.success(request, "Comment added.")
                elif action == "return":
                    request_return(qr=qr, actor=request.user)
                    messages.success(request, "Returned to the supplier for correction.")
                elif action == "accept":
                    request_accept(
                        qr=qr,
                        actor=request.user,
                        apply_worksites=request.POST.get("apply_worksites") == "on",
                    )
                    messages.success(request, "Accepted; risk is being re-scored.")
                else:
                    raise ValidationError(f"Unknown action {action!r}.")
            return redirect("questionnaires:request", request_id=qr.pk)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    questionnaire, _ = definition(qr.campaign.questionnaire)
    # The question in English beside the answer as given, and the language it was read in.
    submission = qr.submissions.first()
    used = (submission.language if submission else "") or qr.language
    return render(
        request,
        "questionnaires/review.html",
        {
            "qr": qr,
            "questionnaire": questionnaire,
            "language_used": languages.name_of(used) if used else "",
            "asked_language": used,
            "sections": selectors.answer_rows(qr, asked_in=used),
            "changes": worksite_changes(qr) if qr.status == "submitted" else [],
            "submissions": qr.submissions.all()[:10],
            "workbooks": qr.attachments.filter(kind=Attachment.Kind.WORKBOOK),
            "answered": answered_submission(qr),
            "error": error,
        },
        status=400 if error else 200,
    )


def request_answered_workbook(request: HttpRequest, request_id: int) -> HttpResponse:
    """The submitted or accepted response as a workbook, as the supplier downloads it to
    reuse (in the language the supplier read the questions in)."""
    membership = current_membership(request)
    qr = get_for_member(
        membership,
        QuestionnaireRequest.objects.select_related("supplier", "campaign__questionnaire"),
        pk=request_id,
    )
    submission = answered_submission(qr)
    if submission is None:
        raise Http404("There is no submitted or accepted response to download yet.")
    language = languages.supported(submission.language or qr.language) or "en"
    response = HttpResponse(answered_workbook_for(qr, language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{qr.reference}-answered.xlsx"'
    return response


def _file_unavailable(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    message = f"{text} An administrator should verify the store."
    context = {"status": status, "title": title, "message": message}
    return render(request, "web/error.html", context, status=status)


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """A stored file, to the organization's members or to the supplier it belongs to."""
    membership = current_membership(request)
    files = Attachment.objects.select_related("request")
    minimum = Role.VIEWER
    if membership.role == Role.SUPPLIER:
        files = files.filter(request__supplier_id=membership.supplier_id or 0)
        minimum = Role.SUPPLIER
    attachment = get_for_member(membership, files, pk=attachment_id, minimum=minimum)
    # Streamed from the store and re-hashed on the way: altered content is never delivered
    # whole (the download breaks off before its end).
    try:
        content = checked_chunks(blob_store(), attachment.sha256)
    except FileNotFoundError:
        return _file_unavailable(request, 404, "Missing", "The stored file is missing.")
    except BlobStoreUnavailable as exc:
        log.error("attachment %s: %s", attachment.pk, exc)
        return _file_unavailable(request, 503, "Unavailable", "The file store cannot be reached.")
    response = StreamingHttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{safe_file_name(attachment.file_name)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
