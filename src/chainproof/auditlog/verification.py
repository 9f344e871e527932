"""Verifying a large audit trail in the background.

Recomputing every link of an organization's chain takes about 37 us an event on this
project's machine: under a second for a small organization, minutes for one whose imports
left millions of events. A chain of up to ``VERIFY_INLINE_UP_TO`` events is verified while
its page is shown; a longer one by a job (``JobKind.AUDIT_VERIFY``), which an administrator
starts from the page and whose last result the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chainproof.audit.selectors import ChainVerification, chain_length
from chainproof.audit.services import chain_for
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue

# The longest chain verified while its page is shown (about 0.7 s).
VERIFY_INLINE_UP_TO = 20_000


def verify_inline(organization_id: int) -> bool:
    """Whether the organization's chain is short enough to verify while its page waits."""
    return chain_length(chain_for(organization_id)) <= VERIFY_INLINE_UP_TO


def verification_result(result: ChainVerification) -> dict[str, Any]:
    """A verification as plain values, a job's result."""
    checkpoints = result.checkpoints
    return {
        "chain": result.chain,
        # (not "ok": a job's result with "ok" false is a job that refused its input)
        "holds": result.ok,
        "events_checked": result.checked,
        "first_break": str(result.first_break) if result.first_break else "",
        "unkeyed_events": result.unkeyed,
        "checkpoints_matched": checkpoints.checked if checkpoints else 0,
        "checkpoint_problem": (checkpoints.problem or "") if checkpoints else "",
    }


@dataclass(frozen=True)
class LastVerification:
    """The last verification a job finished, and one still waiting or running."""

    finished: Job | None
    pending: Job | None

    @property
    def result(self) -> dict[str, Any] | None:
        return self.finished.result if self.finished else None

    @property
    def at(self) -> datetime | None:
        return self.finished.finished_at if self.finished else None


def last_verification(organization_id: int) -> LastVerification:
    jobs = Job.objects.filter(organization_id=organization_id, kind=JobKind.AUDIT_VERIFY)
    return LastVerification(
        finished=jobs.filter(status=Job.Status.SUCCEEDED).order_by("-finished_at", "-pk").first(),
        pending=jobs.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .order_by("-pk")
        .first(),
    )


def chain_verification_start(*, organization: Any, actor: Any) -> Job:
    """Queue a verification of the organization's whole audit trail (an admin's button);
    one already waiting is reused."""
    return job_enqueue(
        kind=JobKind.AUDIT_VERIFY, organization=organization, actor=actor, coalesce=True
    )
