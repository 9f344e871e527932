"""Audits of suppliers and worksites, what they found (mapped to the ILO indicators of
forced labour) and the corrective actions that answer each finding."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class Audit(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal"
        THIRD_PARTY = "third_party", "Third-party"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="audits"
    )
    facilities = models.ManyToManyField("suppliers.Facility", blank=True, related_name="audits")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    announced = models.BooleanField(default=True)
    audit_date = models.DateField()
    auditor = models.CharField(max_length=200)
    covers_recruitment_agencies = models.BooleanField(default=False)
    scope = models.TextField(blank=True)
    report = models.ForeignKey(
        "evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-audit_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} audit of {self.supplier} on {self.audit_date}"


class Finding(models.Model):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    facility = models.ForeignKey(
        "suppliers.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    ilo_indicators = models.JSONField(default=list, blank=True)  # numbers 1-11
    severity = models.CharField(max_length=10, choices=Severity.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class CorrectiveAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done, to verify"
        VERIFIED = "verified", "Verified"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    verification = models.ForeignKey(
        "evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # The day the daily check first found it overdue (so risk is re-scored once, that day).
    overdue_since = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.action[:80]

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not done by its due date (done but not yet verified is not overdue)."""
        return self.status in self.OPEN_STATUSES and self.due_date < (today or timezone.localdate())


class EvidenceRequest(models.Model):
    """A specific document asked of a supplier ("payroll records for worksite X, 2026-01 to
    2026-06"), answered in the supplier portal; what the supplier uploads lands in the
    evidence locker linked to the supplier (and worksite) and to this request."""

    class Status(models.TextChoices):
        OPEN = "open", "Asked"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="evidence_requests"
    )
    facility = models.ForeignKey(
        "suppliers.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=40)
    record_type = models.CharField(max_length=40, default="other")
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    documents = models.ManyToManyField("evidence.Document", blank=True, related_name="+")
    reviewer_comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status in (self.Status.OPEN, self.Status.RETURNED) and self.due_date < (
            today or timezone.localdate()
        )


class ProgramRecord(models.Model):
    """One record of the importer's due-diligence program: a policy version, a training
    session, a supplier contract, a stakeholder meeting, worker interviews or a fee
    reimbursement. Its fields are described by kind in ``domain/evidence/program.py``; the
    documents that prove it are in the evidence locker."""

    class Kind(models.TextChoices):
        POLICY = "policy", "Policy"
        TRAINING = "training", "Training session"
        CONTRACT = "contract", "Supplier contract"
        ENGAGEMENT = "engagement", "Stakeholder engagement"
        INTERVIEW = "interview", "Worker interviews"
        REIMBURSEMENT = "reimbursement", "Fee reimbursement"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    values = models.JSONField(default=dict)
    supplier = models.ForeignKey(
        "suppliers.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        "suppliers.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    documents = models.ManyToManyField("evidence.Document", blank=True, related_name="+")
    # A policy's earlier version stays; the new one names it.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "kind"])]

    def __str__(self) -> str:
        return self.title


class CareAssessment(models.Model):
    """The organization's own program assessed against CBP's reasonable-care questions on
    forced labor, at one time; past assessments stay as its history."""

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        COMPLETED = "completed", "Completed"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CareAnswer(models.Model):
    assessment = models.ForeignKey(CareAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=40)
    answer = models.CharField(max_length=10, blank=True)
    narrative = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    review_on = models.DateField(null=True, blank=True)
    documents = models.ManyToManyField("evidence.Document", blank=True, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="care_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer or 'unanswered'}"
