from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.jobs.models import Job


def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's status; while it runs, HTMX polls the status panel every second."""
    membership = current_membership(request)
    job = get_for_member(membership, Job, minimum=Role.VIEWER, pk=job_id)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def start_and_follow(
    request: HttpRequest,
    start: Callable[..., Job],
    *,
    back: str,
    minimum: str = Role.ANALYST,
) -> HttpResponse:
    """A button that starts background work: on POST, call the service ``start``
    (``organization=``, ``actor=``) and show the job's progress; otherwise go ``back``."""
    membership: Membership = current_membership(request)
    require_role(membership, minimum)
    if request.method != "POST":
        return redirect(back)
    with transaction.atomic():
        job = start(organization=membership.organization, actor=request.user)
    return redirect("jobs:detail", job.pk)
