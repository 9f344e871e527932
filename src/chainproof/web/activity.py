"""Recent work in words for the overview: background jobs named by what they do (the
labels of ``JobKind``, as on the job pages) with their outcome and when, and audit events
as sentences ("Supplier created: Meghna Knitwear Ltd."), never as codes."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import audit_events_for
from chainproof.jobs.models import Job

# What each outcome of a job is called, and which moment of the job it dates.
_JOB_MOMENT = {
    "queued": ("waiting to start", "created_at"),
    "running": ("running", "started_at"),
    "succeeded": ("finished", "finished_at"),
    "failed": ("failed", "finished_at"),
    "rejected": ("refused its file", "finished_at"),
}

# The thing an audit event is about, by the first part of its action.
_SUBJECTS = {
    "api_token": "API token",
    "cases": "Detention case",
    "diligence": "Due diligence",
    "email": "Email",
    "evidence": "Evidence",
    "facility": "Worksite",
    "import": "Import",
    "job": "Background job",
    "link": "Supply link",
    "material": "Material",
    "membership": "Membership",
    "organization": "Organization",
    "product": "Product",
    "questionnaire": "Questionnaire",
    "reference": "Reference data",
    "risk": "Risk",
    "screening": "Screening",
    "supplier": "Supplier",
    "user": "User",
}

# Events whose generic wording would read poorly.
_PHRASES = {
    "job.enqueued": "queued",
    "job.failed": "failed",
    "job.reclaimed": "taken over by another worker",
    "job.extended": "extended",
    "job.succeeded": "finished",
    "job.rejected": "refused its file",
    "screening.completed": "Names screened against the lists",
    "risk.methodology_saved": "Risk methodology saved",
    "reference.dataset_loaded": "Reference dataset loaded",
    "questionnaire.accepted": "Questionnaire accepted",
    "questionnaire.returned": "Questionnaire returned for correction",
    "questionnaire.submitted": "Questionnaire submitted",
    "questionnaire.campaign_created": "Questionnaire campaign created",
    "questionnaire.invitation_sent": "Questionnaire invitation sent",
    "screening.hit_confirmed": "Screening hit confirmed as a match",
    "screening.hit_dismissed": "Screening hit dismissed",
    "cases.case_opened": "Detention case opened",
    "cases.package_built": "Evidence package built",
    "user.logged_in": "Signed in",
    "user.logged_out": "Signed out",
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
    jobs = Job.objects.filter(organization_id=organization_id).order_by("-created_at", "-pk")
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


def _words(action: str) -> str:
    if action in _PHRASES and not action.startswith("job."):
        return _PHRASES[action]
    subject, _, rest = action.partition(".")
    noun = _SUBJECTS.get(subject, subject.replace("_", " ").capitalize())
    verb = _PHRASES.get(action) or rest.replace("_", " ")
    return f"{noun} {verb}".strip()


def describe(event: AuditEvent, jobs: dict[str, Job]) -> str:
    """An audit event as a sentence a person reads."""
    words = _words(event.action)
    if event.action.startswith("job."):
        job = jobs.get(event.object_id)
        if job is not None:
            return f"{job.kind_label}: {_PHRASES.get(event.action, words)}"
        return words
    about = event.object_repr.strip()
    return f"{words}: {about}" if about else words


def recent_events(organization_id: int, limit: int = 8) -> list[EventLine]:
    events = list(audit_events_for(organization_id)[:limit])
    job_ids = [e.object_id for e in events if e.object_type == "jobs.job" and e.object_id]
    jobs = {
        str(j.pk): j
        for j in Job.objects.filter(
            organization_id=organization_id, pk__in=[i for i in job_ids if i.isdigit()]
        )
    }
    return [
        EventLine(
            text=describe(e, jobs),
            actor=e.actor_label,
            when=e.created_at,
            ago=ago(e.created_at),
            url=reverse("audit:detail", args=[e.pk]),
        )
        for e in events
    ]
