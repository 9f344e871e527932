"""The organization admin's view of outbound email: status, attempts, errors, a retry
for failed messages, and each message with its secret links redacted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.paging import paginate
from chainproof.common.redaction import redact_links
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.selectors import emails_for
from chainproof.outbox.services import email_retry


def outbox(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    status = request.GET.get("status", "")
    if status not in OutboundEmail.Status.values:
        status = ""
    return render(
        request,
        "outbox/list.html",
        {
            "status": status,
            "statuses": OutboundEmail.Status.choices,
            **paginate(request, emails_for(membership.organization_id, status=status)),
        },
    )


def message(request: HttpRequest, email_id: int) -> HttpResponse:
    """One message as it was queued, with the links that sign people in redacted: an
    admin sees what was sent, never a working invitation or password-reset link."""
    membership = current_membership(request)
    email = get_for_member(membership, OutboundEmail, pk=email_id, minimum=Role.ADMIN)
    return render(
        request, "outbox/message.html", {"email": email, "body": redact_links(email.body)}
    )


@require_POST
def retry(request: HttpRequest, email_id: int) -> HttpResponse:
    membership = current_membership(request)
    message = get_for_member(membership, OutboundEmail, pk=email_id, minimum=Role.ADMIN)
    try:
        with transaction.atomic():
            email_retry(message=message, actor=request.user)
        messages.success(request, f"The message to {message.to} will be sent again shortly.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("outbox:list")
