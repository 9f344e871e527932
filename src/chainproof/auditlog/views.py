from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import (
    audit_events_for,
    log_choices,
    verify_organization_chain,
)
from chainproof.auditlog.verification import (
    VERIFY_INLINE_UP_TO,
    chain_verification_start,
    last_verification,
    verify_inline,
)
from chainproof.auditlog.words import action_sentence, type_words
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate
from chainproof.jobs.views import start_and_follow


class AuditFilterForm(forms.Form):
    # A select in words; any text is still accepted (an address may carry a prefix such as
    # "membership." to filter every action of a kind).
    action = forms.CharField(required=False, label="What happened", widget=forms.Select)
    object_type = forms.CharField(required=False, label="Kind of record", widget=forms.Select)
    object_id = forms.CharField(required=False, label="Record number")
    actor = forms.CharField(required=False, label="Actor")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actions: list[str], types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices in words; the stored code is the value (a code typed into the address
        # still filters, as a prefix, when it names a known action).
        in_words = sorted(((a, action_sentence(a)) for a in actions), key=lambda c: c[1])
        self.fields["action"].widget.choices = [("", "Anything"), *in_words]
        kinds = sorted(((t, type_words(t)) for t in types if t), key=lambda c: c[1])
        self.fields["object_type"].widget.choices = [("", "Any"), *kinds]


def log(request: HttpRequest) -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    actions, types = log_choices(membership.organization_id)
    form = AuditFilterForm(request.GET or None, actions=actions, types=types)
    filters: dict[str, str | date | None] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = audit_events_for(membership.organization_id, **filters)  # type: ignore[arg-type]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            "audit-log",
            [
                "seq",
                "time",
                "actor",
                "action",
                "object type",
                "object id",
                "object",
                "request id",
                "hash",
            ],
            (
                [
                    e.seq,
                    e.created_at.isoformat(),
                    e.actor_label,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    e.request_id,
                    e.hash,
                ]
                for e in events.iterator()
            ),
        )
    return render(request, "audit/log.html", {"form": form, **paginate(request, events)})


def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    membership = current_membership(request)
    event = get_for_member(membership, AuditEvent, minimum=Role.ADMIN, pk=event_id)
    return render(request, "audit/detail.html", {"event": event})


def verify(request: HttpRequest) -> HttpResponse:
    """A short chain verified now; a long one by a job: its last result, and a button."""
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    org_id = membership.organization_id
    if verify_inline(org_id):
        result = verify_organization_chain(org_id)
        return render(request, "audit/verify.html", {"result": result})
    return render(
        request,
        "audit/verify.html",
        {"last": last_verification(org_id), "inline_up_to": f"{VERIFY_INLINE_UP_TO:,}"},
    )


def verify_run(request: HttpRequest) -> HttpResponse:
    return start_and_follow(
        request, chain_verification_start, back="audit:verify", minimum=Role.ADMIN
    )
