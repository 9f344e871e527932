"""The supplier portal's side of a questionnaire answered once and reused: the answered
workbook to download, and the confirmation of a workbook answered for another request
(offered by the request page when such a workbook is uploaded; ``reuse.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chainproof.questionnaires import languages
from chainproof.questionnaires.answering import NotComplete
from chainproof.questionnaires.exporting import XLSX
from chainproof.questionnaires.portal import _own_request, supplier_membership
from chainproof.questionnaires.reuse import (
    answered_submission,
    answered_workbook_for,
    reuse_confirm,
)


@require_safe
def answered_workbook(request: HttpRequest, request_id: int) -> HttpResponse:
    """The supplier's submitted or accepted response as a workbook, to reuse elsewhere."""
    membership = supplier_membership(request)
    qr = _own_request(membership, request_id)
    if answered_submission(qr) is None:
        raise Http404(_("There is no submitted or accepted response to download yet."))
    language = languages.use_request_language(request, qr.language)
    response = HttpResponse(answered_workbook_for(qr, language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{qr.reference}-answered.xlsx"'
    return response


@require_POST
def reuse(request: HttpRequest, request_id: int) -> HttpResponse:
    """The supplier's answer to "use these answers for this request?": save as a draft,
    submit, or cancel (nothing stored)."""
    membership = supplier_membership(request)
    qr = _own_request(membership, request_id)
    languages.use_request_language(request, qr.language)
    choice = request.POST.get("choice", "")
    if choice == "cancel":
        messages.info(request, _("The workbook's answers were not used; nothing was stored."))
        return redirect("portal:request", request_id=qr.pk)
    if choice not in ("draft", "submit"):
        messages.error(request, _("Unknown action."))
        return redirect("portal:request", request_id=qr.pk)
    try:
        with transaction.atomic():
            submission = reuse_confirm(
                qr=qr,
                actor=request.user,
                token=request.POST.get("token", ""),
                submit=choice == "submit",
            )
    except NotComplete:
        messages.error(
            request,
            _("Not submitted: some required answers are missing; nothing was stored."),
        )
        return redirect("portal:request", request_id=qr.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("portal:request", request_id=qr.pk)
    if submission is not None:
        messages.success(request, _("The answers were reused and submitted. Thank you."))
    else:
        messages.success(
            request,
            _("The answers were reused and saved as a draft; check them below, then submit."),
        )
    return redirect("portal:request", request_id=qr.pk)
