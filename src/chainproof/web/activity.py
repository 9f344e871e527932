"""Recent work in words for the overview: background jobs named by what they do (the
labels of ``JobKind``, as on the job pages) with their outcome and when, and audit events
as sentences in the audit log's own words (``auditlog.words``), never as codes."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from chainproof.audit.selectors import audit_events_for
from chainproof.auditlog.words import event_sentence
from chainproof.jobs.models import Job

# What each outcome of a job is called, and which moment of the job it dates.
_JOB_MOMENT = {
    "queued": ("waiting to start", "created_at"),
    "running": ("running", "started_at"),
    "succeeded": ("finished", "finished_at"),
    "failed": ("failed", "finished_at"),
    "rejected": ("refused its file", "finished_at"),
}


def ago(moment: object) -> str:
    """ "5 minutes ago" (the largest unit only), or "just now"."""
    if moment is None:
        return ""
    text = timesince(moment, timezone.now()).split(",")[0]  # type: ignore[arg-type]
    return "just now" if text.startswith("0\xa0") else f"{text} ago"


@dataclass(frozen=True)
class JobLine:
    text: str  # "Score every record: finished"
    outcome: str
    url: str
    when: object
    ago: str  # "5 minutes ago"


def recent_jobs(organization_id: int, limit: int = 6) -> list[JobLine]:
    lines = []
    # The parts of a split job are followed through it (its progress), not listed.
    jobs = Job.objects.filter(organization_id=organization_id, parent__isnull=True).order_by(
        "-created_at", "-pk"
    )
    for job in jobs[:limit]:
        words, field = _JOB_MOMENT.get(job.outcome, (job.outcome_label.lower(), "created_at"))
        when = getattr(job, field) or job.created_at
        lines.append(
            JobLine(
                text=f"{job.kind_label}: {words}",
                outcome=job.outcome,
                url=reverse("jobs:detail", args=[job.pk]),
                when=when,
                ago=ago(when),
            )
        )
    return lines


@dataclass(frozen=True)
class EventLine:
    text: str  # "Supplier created: Meghna Knitwear Ltd."
    actor: str
    when: object
    ago: str
    url: str


def recent_events(organization_id: int, limit: int = 8) -> list[EventLine]:
    events = list(audit_events_for(organization_id)[:limit])
    return [
        EventLine(
            text=event_sentence(e),
            actor=e.actor_label,
            when=e.created_at,
            ago=ago(e.created_at),
            url=reverse("audit:detail", args=[e.pk]),
        )
        for e in events
    ]
