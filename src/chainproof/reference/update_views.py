"""The reference-data page's update flow, for administrators: check a list's official
source (or upload a file in its publisher's format), see the diff against the edition in
force, then load that edition or discard it. Editions loaded here belong to the
administrator's organization, as uploads on the page always have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.domain.refdata import KINDS
from chainproof.reference.forms import UpdateUploadForm
from chainproof.reference.models import PendingUpdate
from chainproof.reference.pending import (
    pending_create,
    pending_diff,
    pending_discard,
    pending_load,
)
from chainproof.reference.updates import (
    UpdateError,
    UpdatePlan,
    source_addresses,
    updatable_kinds,
    update_check,
)


def update_panel(membership: Membership) -> dict[str, Any]:
    """What the reference-data page shows administrators to keep the lists current."""
    if not membership.has_role(Role.ADMIN):
        return {}
    return {
        "sources": [
            {"kind": kind, "title": KINDS[kind].title, "addresses": source_addresses(kind)}
            for kind in updatable_kinds()
        ],
        "pending": PendingUpdate.objects.filter(
            organization=membership.organization, status=PendingUpdate.Status.PENDING
        )[:20],
    }


def _admin(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    return membership


def _checked(
    request: HttpRequest, membership: Membership, check: Callable[[], UpdatePlan]
) -> HttpResponse:
    """Store the checked edition and show its diff, or say what went wrong."""
    try:
        plan = check()
    except UpdateError as exc:
        messages.error(request, f"Nothing was changed. {exc}")
        for error in exc.errors[:10]:
            messages.error(request, str(error))
        return redirect("reference:index")
    if not plan.needs_loading:
        messages.info(
            request, f"{plan.title}: the source has no changes from the edition in force."
        )
        return redirect("reference:index")
    pending = pending_create(plan, organization=membership.organization, actor=request.user)
    return redirect("reference:update", pending.pk)


@require_POST
def update_check_view(request: HttpRequest, kind: str) -> HttpResponse:
    membership = _admin(request)
    if kind not in KINDS:
        raise Http404("No such list.")
    return _checked(
        request,
        membership,
        lambda: update_check(kind, organization=membership.organization),
    )


def update_upload(request: HttpRequest) -> HttpResponse:
    membership = _admin(request)
    form = UpdateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        files = {f.name: f.read() for f in form.cleaned_data["list_files"]}
        return _checked(
            request,
            membership,
            lambda: update_check(kind, files=files, organization=membership.organization),
        )
    return render(request, "reference/update_upload.html", {"form": form})


def update_detail(request: HttpRequest, pending_id: int) -> HttpResponse:
    membership = _admin(request)
    pending = get_for_member(membership, PendingUpdate, minimum=Role.ADMIN, pk=pending_id)
    diff = pending_diff(pending)
    return render(
        request,
        "reference/update.html",
        {
            "pending": pending,
            "kind": KINDS.get(pending.kind),
            "diff": diff,
            "sections": diff.sections(limit=None),
            "notes": [n for n in pending.notes.splitlines() if n],
        },
    )


@require_POST
def update_decide(request: HttpRequest, pending_id: int) -> HttpResponse:
    membership = _admin(request)
    pending = get_for_member(membership, PendingUpdate, minimum=Role.ADMIN, pk=pending_id)
    try:
        if request.POST.get("decision") == "load":
            dataset = pending_load(pending, actor=request.user)
            messages.success(
                request,
                f"Loaded {dataset.row_count} rows as {dataset.edition!r}; screening and "
                "scores are being recomputed.",
            )
            return redirect("reference:dataset", dataset.pk)
        pending_discard(pending, actor=request.user)
    except UpdateError as exc:
        messages.error(request, str(exc))
        return redirect("reference:update", pending.pk)
    messages.info(request, "The update was discarded; nothing was loaded.")
    return redirect("reference:index")
