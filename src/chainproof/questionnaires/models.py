"""Questionnaire versions, campaigns, the request sent to each supplier, what suppliers
submit, reviewers' comments and the files that came with it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailPurpose(models.TextChoices):
    """What a message to a supplier contact is for (``OutboundEmail.purpose``)."""

    INVITATION = "questionnaire.invitation", "Invitation"
    REMINDER = "questionnaire.reminder", "Reminder"
    CORRECTIONS = "questionnaire.corrections", "Corrections requested"
    NEW_LINK = "questionnaire.new_link", "New link (asked for by the contact)"


class QuestionnaireVersion(models.Model):
    """A definition as shipped (or uploaded), stored whole so old responses keep reading."""

    key = models.CharField(max_length=120, unique=True)  # "chainproof-strt@1.0"
    questionnaire_id = models.CharField(max_length=80)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    document = models.JSONField()
    layout = models.JSONField()
    # Other workbook layouts this version can be read from (layout maps, data only).
    layouts = models.JSONField(default=list, blank=True)
    # The texts in other languages ({language: document}, data/translations): what the
    # supplier read. The English definition above stays the version's meaning.
    translations = models.JSONField(default=dict, blank=True)
    translations_sha256 = models.CharField(max_length=64, blank=True)  # of the above
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["questionnaire_id", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200)
    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT)
    due_date = models.DateField()
    reminder_days = models.PositiveSmallIntegerField(
        default=7, help_text="Remind suppliers who have not submitted every so many days."
    )
    message = models.TextField(blank=True, help_text="Added to the invitation email.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class QuestionnaireRequest(models.Model):
    """One supplier's questionnaire in one campaign, from invitation to acceptance."""

    class Status(models.TextChoices):
        NOT_SENT = "not_sent", _("Not sent")
        SENT = "sent", _("Sent")
        OPENED = "opened", _("Opened")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")

    OPEN_STATUSES = ("not_sent", "sent", "opened", "in_progress", "returned")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    supplier = models.ForeignKey(
        "suppliers.Supplier", on_delete=models.PROTECT, related_name="questionnaire_requests"
    )
    contact_email = models.EmailField(blank=True)
    # The contact's language (portal, emails, workbook), chosen by the contact in the
    # portal ("" = not known yet: emails in English and the country's language).
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_SENT)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # the current draft or submission
    issues = models.JSONField(default=list, blank=True)
    missing = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=10, blank=True)  # web | workbook
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["supplier__legal_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "supplier"], name="request_one_per_supplier_and_campaign"
            )
        ]
        indexes = [models.Index(fields=["organization", "status"], name="request_org_status")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.supplier} in {self.campaign}"

    @property
    def reference(self) -> str:
        return f"REQ-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.campaign.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        return str(_("Overdue")) if self.is_overdue else str(self.get_status_display())

    @property
    def editable_by_supplier(self) -> bool:
        return self.status in ("sent", "opened", "in_progress", "returned")


class Submission(models.Model):
    """What the supplier submitted, each time, as it was (a request may be returned and
    submitted again)."""

    request = models.ForeignKey(
        QuestionnaireRequest, on_delete=models.CASCADE, related_name="submissions"
    )
    questionnaire = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT)
    answers = models.JSONField()
    source = models.CharField(max_length=10)  # web | workbook
    language = models.CharField(max_length=10, blank=True)  # the language the supplier read
    workbook_sha256 = models.CharField(max_length=64, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    accepted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"submission {self.pk} of request {self.request_id}"


class ReviewComment(models.Model):
    request = models.ForeignKey(
        QuestionnaireRequest, on_delete=models.CASCADE, related_name="comments"
    )
    question = models.CharField(max_length=80)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment on {self.question}"


class Attachment(models.Model):
    """A file that came with a request: a supporting document for a question, or a returned
    workbook. It is a document of the evidence locker (``document``), linked to the
    supplier and to the answer, so the locker is the one store of files."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Supporting document"
        WORKBOOK = "workbook", "Returned workbook"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        QuestionnaireRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The same file as a document of the evidence locker (its one store of files).
    document = models.ForeignKey(
        "evidence.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "sha256": self.sha256, "size": self.size}
