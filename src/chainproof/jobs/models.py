"""Background jobs: rows in the database, claimed by workers (see ``jobs/services.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from chainproof.jobs.kinds import JobKind


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
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

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
    def public_error(self) -> str:
        """The error as a person may read it: jobs recorded before errors were written
        for people kept a traceback after the message; it is never shown."""
        message = self.error.split("\n\nTraceback", 1)[0].split("\nTraceback", 1)[0]
        return message.strip()

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_done else 0
        return min(100, round(100 * self.progress / self.total))
