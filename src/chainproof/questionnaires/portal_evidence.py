"""The supplier portal's evidence requests: a supplier contact sees the documents its own
supplier is asked for, and uploads them; each upload lands in the evidence locker."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chainproof.accounts.access import get_for_member
from chainproof.accounts.roles import Role
from chainproof.diligence.models import EvidenceRequest
from chainproof.diligence.requests import evidence_request_answer
from chainproof.evidence.receiving import file_receive
from chainproof.questionnaires.portal import checked_upload, supplier_membership


def evidence_request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = supplier_membership(request)
    asked = get_for_member(
        membership,
        EvidenceRequest.objects.select_related("facility").filter(
            supplier_id=membership.supplier_id or 0
        ),
        pk=request_id,
        minimum=Role.SUPPLIER,
    )
    error = ""
    if request.method == "POST":
        try:
            upload = checked_upload(request, "file")
            if upload is None:
                raise ValidationError(_("Choose a file."))
            received = file_receive(upload, upload.name or "unnamed")
            if received.warnings:
                raise ValidationError(
                    f"{received.original_name}: "
                    + " ".join(received.warnings)
                    + " "
                    + _("Send a plain PDF (print it).")
                )
            with transaction.atomic():
                evidence_request_answer(request=asked, actor=request.user, received=received)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(
                request, _("%(name)s sent. Thank you.") % {"name": received.original_name}
            )
            return redirect("portal:evidence", request_id=asked.pk)
    return render(
        request,
        "questionnaires/portal_evidence.html",
        {
            "asked": asked,
            "sent": asked.documents.order_by("-pk"),
            "open": asked.status in (EvidenceRequest.Status.OPEN, EvidenceRequest.Status.RETURNED),
            "error": error,
        },
        status=400 if error else 200,
    )
