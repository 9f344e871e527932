from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import audit_events_for, verify_organization_chain
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, label="Action starts with")
    object_type = forms.CharField(required=False, label="Object type")
    object_id = forms.CharField(required=False, label="Object id")
    actor = forms.CharField(required=False, label="Actor")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"})
    )


def log(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    form = AuditFilterForm(request.GET or None)
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
    actions = (
        AuditEvent.objects.filter(organization_id=membership.organization_id)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
    return render(
        request,
        "audit/log.html",
        {"form": form, "actions": actions, **paginate(request, events)},
    )


def detail(request: HttpRequest, event_id: int) -> HttpResponse:
    membership = current_membership(request)
    event = get_for_member(membership, AuditEvent, minimum=Role.ADMIN, pk=event_id)
    return render(request, "audit/detail.html", {"event": event})


def verify(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    result = verify_organization_chain(membership.organization_id)
    return render(request, "audit/verify.html", {"result": result})
