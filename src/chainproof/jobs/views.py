from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chainproof.accounts.access import current_membership, get_for_member
from chainproof.accounts.roles import Role
from chainproof.jobs.models import Job


def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job's status; while it runs, HTMX polls the status panel every second."""
    membership = current_membership(request)
    job = get_for_member(membership, Job, minimum=Role.VIEWER, pk=job_id)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})
