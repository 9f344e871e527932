"""The evidence locker: documents, their versions and the records they prove something
about, the stored contents (blobs) with their last verification, and legal holds.

Nothing here is ever overwritten: a new upload is a new version, a deletion is a
tombstone with a reason, and the bytes stay until an admin purges them after the
retention period, unless a legal hold covers the document.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from chainproof.domain.evidence.categories import CATEGORIES, LANGUAGES, RECORD_TYPES


class Blob(models.Model):
    """One stored content, shared by every version (of any organization) with the same
    bytes. Knows where it is and what its last verification found."""

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Not verified yet"
        OK = "ok", "Intact"
        MISSING = "missing", "Missing from the store"
        ALTERED = "altered", "Altered (the content no longer matches its SHA-256)"
        PURGED = "purged", "Purged"

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    stored_at = models.DateTimeField(default=timezone.now)
    backend = models.CharField(max_length=20)  # where it was stored first: local | s3
    verified_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.sha256[:12]}…"


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    record_type = models.CharField(max_length=40, choices=RECORD_TYPES, default="other")
    language = models.CharField(max_length=8, choices=LANGUAGES, blank=True)
    translation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translations"
    )
    issuer = models.CharField(max_length=300, blank=True)
    document_date = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_REVIEW)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    expiry_notice_sent_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # A tombstone: the document is gone from lists and searches, its record and bytes stay.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deletion_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["organization", "-created_at"], name="document_org_created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class DocumentCategory(models.Model):
    """What a document is evidence of (several categories each)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=40, choices=[(c.code, c.label) for c in CATEGORIES])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="evidence_category_once")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class DocumentVersion(models.Model):
    """One upload of a document: its bytes (by SHA-256), what they are, who sent them."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        DONE = "done", "Searchable"
        NO_TEXT = "none", "No text found"
        FAILED = "failed", "Could not be read"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="versions")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    warnings = models.JSONField(default=list, blank=True)  # active content flagged, etc.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    text_status = models.CharField(
        max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_method = models.CharField(max_length=20, blank=True)  # "text layer" | "ocr"
    text_error = models.CharField(max_length=300, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)  # its bytes removed from the store

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="evidence_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (version {self.number})"

    @property
    def sha256(self) -> str:
        return self.blob.sha256


class VersionText(models.Model):
    """The words of a version (text layer or OCR), kept apart so lists stay light."""

    version = models.OneToOneField(DocumentVersion, on_delete=models.CASCADE, related_name="text")
    text = models.TextField()
    truncated = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"text of {self.version_id}"


class DocumentLink(models.Model):
    """A record the document proves something about: a supplier, worksite, product,
    material, supply link or a questionnaire answer."""

    class Target(models.TextChoices):
        SUPPLIER = "supplier", "Supplier"
        FACILITY = "facility", "Worksite"
        PRODUCT = "product", "Product"
        MATERIAL = "material", "Material"
        LINK = "link", "Supply link"
        ANSWER = "answer", "Questionnaire answer"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()
    question = models.CharField(max_length=80, blank=True)  # for a questionnaire answer
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "target_type", "target_id", "question"],
                name="evidence_link_once",
            )
        ]
        indexes = [models.Index(fields=["organization", "target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.get_target_type_display()} {self.target_id}"


class LegalHold(models.Model):
    """Nothing under a hold may be purged: a document, or every document linked to a
    supplier (later: a detention case)."""

    class Target(models.TextChoices):
        DOCUMENT = "document", "Document"
        SUPPLIER = "supplier", "Supplier"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.BigIntegerField()
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]

    def __str__(self) -> str:
        return f"hold on {self.target_type} {self.target_id}"


class VerificationRun(models.Model):
    """One pass of re-hashing every stored blob (`chainproof evidence verify`, or the
    scheduled job)."""

    # None: every stored content (the daily run); else the contents of one organization's
    # documents (an admin's "verify now").
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=20)
    checked = models.PositiveIntegerField(default=0)
    intact = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    altered = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"sha256", "status"}]

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"verification {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def passed(self) -> bool:
        return self.finished_at is not None and not (self.missing or self.altered)
