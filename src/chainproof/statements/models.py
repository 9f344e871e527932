"""Annual statements under the modern-slavery laws (UK, Australia, Canada, California) and
the readiness report for the EU Forced Labour Regulation: one per organization, regime and
reporting period; the analyst's text of each section, every edit kept as a version; and
the approval by the board or a named officer, which freezes the figures the statement
shows (computed once, stored with the approval, so the approved statement says the same
forever)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    regime = models.CharField(max_length=20)  # a code of domain/statements/regimes.py
    period_start = models.DateField()
    period_end = models.DateField()
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The statement it is compared with: the same regime's statement for the period before.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_on = models.DateField(null=True, blank=True)
    published_url = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "regime", "-pk"]
        indexes = [models.Index(fields=["organization", "regime", "period_end"])]

    def __str__(self) -> str:
        return self.title


class StatementSectionText(models.Model):
    """One version of one section's text; the highest number is the current one."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="texts")
    section = models.CharField(max_length=60)  # the regime section's key
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    drafted = models.BooleanField(default=False)  # written by chainproof from the figures
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["statement", "section", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "section", "number"], name="statement_text_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class StatementApproval(models.Model):
    """The approval of a statement by its governing body or a named officer. The figures
    as computed at approval, and the section texts' versions, are kept here; reopening the
    statement withdraws the approval (kept, with who withdrew it and why)."""

    class Approver(models.TextChoices):
        BOARD = "board", "The board (governing body)"
        OFFICER = "officer", "A named officer"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="approvals")
    approver = models.CharField(max_length=10, choices=Approver.choices)
    name = models.CharField(max_length=200)  # the person signing, or the body
    role = models.CharField(max_length=200)
    approved_on = models.DateField()
    figures = models.JSONField(default=dict)
    figures_sha256 = models.CharField(max_length=64)
    section_versions = models.JSONField(default=dict)  # section key -> StatementSectionText pk
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Approved by {self.name} on {self.approved_on}"
