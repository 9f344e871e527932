"""A background job's status and result, for scripts that start work and wait for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from chainproof.accounts.access import api_member, get_for_member
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import Id
from chainproof.jobs.models import Job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str  # queued, running, succeeded or failed: whether the job ran
    # What came of it: the status, except that a job which ran but refused its input (a
    # file with problems; nothing was changed) is "rejected" rather than "succeeded".
    outcome: str
    outcome_label: str
    progress: int
    total: int | None
    message: str
    error: str  # a sentence for a person; never a traceback (the server's log has it)
    result: dict[str, Any] | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_error(obj: Job) -> str:
        return obj.public_error


@router.get("/jobs/{job_id}", response=JobOut, summary="A background job's status and result")
def job_detail(request: HttpRequest, job_id: Id) -> Any:
    return get_for_member(api_member(request), Job, minimum=Role.VIEWER, pk=job_id)
