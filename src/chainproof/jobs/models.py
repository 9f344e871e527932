"""Background jobs: rows in the database, claimed by workers (see ``jobs/services.py``)."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from chainproof.jobs.kinds import JobKind
from chainproof.jobs.results import (
    ImportSummary,
    import_summary,
    rejected_heading,
    result_facts,
)

# What gives away an error written for programmers: a traceback, a source file, a path on
# the server (POSIX with two or more parts, or a Windows drive).
_INTERNAL = re.compile(
    r"Traceback \(most recent call last\)|\bFile \"|\.py\b|"
    r"(?:^|[\s'\"(=:])/(?:[\w.@+-]+/)+[\w.@+-]*|\b[A-Za-z]:\\"
)


def looks_internal(message: str) -> bool:
    """Whether ``message`` shows the inside of the server (and so is never shown)."""
    return bool(_INTERNAL.search(message))


def internal_error_message(job_id: int | None) -> str:
    """What a person is told when the error itself is for the server's log only."""
    logged = f" (logged on the server as job {job_id})" if job_id else ""
    return (
        f"An internal error stopped the job{logged}. Nothing was changed; try again, and "
        "tell your administrator if it happens again."
    )


def as_sentence(message: str) -> str:
    """``message`` starting with a capital and ending with a full stop."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?" else f"{message}."


# The outcome shown for a job that ran but refused its input (see Job.outcome).
OUTCOME_REJECTED = "rejected"


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Refreshed while the job runs; a running job silent for STALE_AFTER lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the job was last handed to the task backend (jobs/tasks.py); a job waiting long
    # after that is handed again (its task may be lost: job_sweep).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A part of a larger job split across workers (``jobs.services.job_split``): the job
    # people follow is the parent, which finishes when its last part ends.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        # What a person reads wherever a job is named (the audit trail, the overview).
        return f"{self.kind_label} (job {self.pk})"

    @property
    def kind_label(self) -> str:
        """What the job does, in words."""
        try:
            return JobKind(self.kind).label
        except ValueError:
            return self.kind

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def is_rejected(self) -> bool:
        """The job ran to the end but refused its input (a file with problems): its
        handler returned ``"ok": False``. Nothing was changed."""
        return (
            self.status == self.Status.SUCCEEDED
            and isinstance(self.result, dict)
            and self.result.get("ok") is False
        )

    @property
    def outcome(self) -> str:
        """The status as a person should understand it: ``status`` with "rejected" told
        apart from "succeeded" (the stored status stays "succeeded": the job itself ran)."""
        return OUTCOME_REJECTED if self.is_rejected else str(self.status)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def public_error(self) -> str:
        """The error as a person may read it, as a sentence. Jobs recorded before errors
        were written for people kept a traceback after the message: it is never shown, and
        a message that still names server files is replaced by the general one."""
        message = self.error.split("\n\nTraceback", 1)[0].split("\nTraceback", 1)[0].strip()
        if not message:
            return ""
        if looks_internal(message):
            return internal_error_message(self.pk)
        return as_sentence(message)

    @property
    def import_summary(self) -> ImportSummary | None:
        """An import's result in words (``None`` for other jobs and rejected files)."""
        result = self.result
        if self.is_rejected or not isinstance(result, dict) or not result.get("entity"):
            return None
        return import_summary(result)

    @property
    def result_facts(self) -> list[tuple[str, str]]:
        """The result's figures with labels in words, for the job page."""
        return result_facts(self.result)

    @property
    def rejected_heading(self) -> str:
        """ "Nothing was imported from s.csv: 3 problems." for a rejected file."""
        if not self.is_rejected or not isinstance(self.result, dict):
            return ""
        file_name = self.params.get("file_name", "") if isinstance(self.params, dict) else ""
        return rejected_heading(self.result, str(file_name))

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_done else 0
        return min(100, round(100 * self.progress / self.total))


OUTCOME_LABELS = {**dict(Job.Status.choices), OUTCOME_REJECTED: "Rejected"}
