"""Shipments (entries filed with CBP, or purchases still planned), their lines, detention
cases with their deadlines and tasks, the exhibits chosen for a case, and the evidence
packages built from it (immutable versions, kept byte for byte)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Shipment(models.Model):
    class Kind(models.TextChoices):
        ENTRY = "entry", "Entry filed with CBP"
        PLANNED = "planned", "Planned purchase"

    class Mode(models.TextChoices):
        OCEAN = "ocean", "Ocean"
        AIR = "air", "Air"
        TRUCK = "truck", "Truck"
        RAIL = "rail", "Rail"
        MAIL = "mail", "Mail or courier"
        OTHER = "other", "Other"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ENTRY)
    reference = models.CharField(max_length=64, help_text="Your own reference (PO, booking).")
    entry_number = models.CharField(max_length=13, blank=True)  # ABC-1234567-8
    importer_of_record = models.CharField(max_length=300, blank=True)
    filer = models.CharField(max_length=300, blank=True)
    port_code = models.CharField(max_length=4, blank=True)
    arrival_date = models.DateField(null=True, blank=True)
    importation_date = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, blank=True)
    carrier = models.CharField(max_length=200, blank=True)
    bill_of_lading = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-importation_date", "-arrival_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="shipment_reference_per_org"
            ),
            models.UniqueConstraint(
                fields=["organization", "entry_number"],
                condition=~Q(entry_number=""),
                name="shipment_entry_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.entry_number}" if self.entry_number else f"Shipment {self.reference}"


class ShipmentLine(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField()
    product = models.ForeignKey(
        "suppliers.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=300, blank=True)
    hts_code = models.CharField(max_length=13, blank=True)
    quantity = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=12, blank=True)
    value_usd = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    origin_country = models.CharField(max_length=2, blank=True)
    facility = models.ForeignKey(
        "suppliers.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    links = models.ManyToManyField("suppliers.SupplyLink", blank=True, related_name="+")

    class Meta:
        ordering = ["shipment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "number"], name="shipment_line_once")
        ]

    def __str__(self) -> str:
        return f"Line {self.number}: {self.description or self.product}"


class DetentionCase(models.Model):
    class Basis(models.TextChoices):
        # The same keys and words as the deadline rules (domain/cases/deadlines.py).
        WRO = "wro", "Section 307 Withhold Release Order"
        FINDING = "finding", "Section 307 Finding"
        CAATSA = "caatsa", "CAATSA section 321(b)"
        UFLPA = "uflpa", "UFLPA rebuttable presumption"

    class Status(models.TextChoices):
        DETAINED = "detained", "Detained"
        PREPARING = "preparing", "Preparing the response"
        SUBMITTED = "submitted", "Response submitted"
        RELEASED = "released", "Released"
        EXCLUDED = "excluded", "Excluded"
        PROTESTED = "protested", "Protested"
        EXPORTED = "exported", "Exported"
        ABANDONED = "abandoned", "Abandoned"
        SEIZED = "seized", "Seized"

    CLOSED = ("released", "exported", "abandoned", "seized")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField()  # the organization's case number, 1, 2, ...
    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="cases")
    lines = models.ManyToManyField(ShipmentLine, blank=True, related_name="cases")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DETAINED)
    notice_at = models.DateTimeField(help_text="When CBP's detention notice is dated.")
    cbp_reference = models.CharField(max_length=100, blank=True)
    port_code = models.CharField(max_length=4, blank=True)
    response_days = models.PositiveSmallIntegerField(null=True, blank=True)
    exclusion_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True)  # the executive summary, once edited
    summary_updated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-notice_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="case_number_per_org")
        ]

    def __str__(self) -> str:
        return f"Case {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


class DeadlineOverride(models.Model):
    """A date a person set instead of the computed one, with the reason (audited)."""

    case = models.ForeignKey(DetentionCase, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(max_length=40)
    due = models.DateField()
    reason = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "rule"], name="deadline_override_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.due}"


class ReminderSent(models.Model):
    """One reminder of one deadline at one offset, so it is sent once."""

    case = models.ForeignKey(DetentionCase, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    due = models.DateField()
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule", "due", "days_before"], name="deadline_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.days_before} days before {self.due}"


class CaseTask(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(DetentionCase, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.done_at is None
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )


class Exhibit(models.Model):
    """A locker document chosen for a case's package, in its place in the exhibit list."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(DetentionCase, on_delete=models.CASCADE, related_name="exhibits")
    document = models.ForeignKey("evidence.Document", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    included = models.BooleanField(default=True)
    redacted = models.BooleanField(default=False)
    redaction_reason = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document"], name="exhibit_once_per_case")
        ]

    def __str__(self) -> str:
        return f"Exhibit {self.position}: {self.document}"


class EvidencePackage(models.Model):
    """One built package: the ZIP (signed PDF, exhibits, manifest.json) in the blob store
    under its SHA-256, never changed; a new build is a new version."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(DetentionCase, on_delete=models.PROTECT, related_name="packages")
    version = models.PositiveIntegerField()
    zip_sha256 = models.CharField(max_length=64)
    zip_size = models.PositiveBigIntegerField()
    pdf_sha256 = models.CharField(max_length=64)
    package_sha256 = models.CharField(max_length=64)  # of the manifest's file list
    pdf_pages = models.PositiveIntegerField()
    exhibit_count = models.PositiveIntegerField()
    signer = models.CharField(max_length=300, blank=True)
    signer_fingerprint = models.CharField(max_length=64, blank=True)
    manifest = models.JSONField(default=dict)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(default=timezone.now)
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="package_version_once")
        ]

    def __str__(self) -> str:
        return f"Package {self.version} of {self.case}"

    @property
    def file_name(self) -> str:
        return f"case-{self.case.number}-package-{self.version}.zip"


class SigningCertificate(models.Model):
    """The organization's certificate for signing packages (a PKCS#12 bundle); its password
    is kept encrypted with a key derived from the installation's secret key."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    bundle = models.BinaryField()
    password_sealed = models.TextField()
    subject = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64)
    not_after = models.DateTimeField()
    self_signed = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(active=True), name="one_active_certificate"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class CalendarFeed(models.Model):
    """A secret address for one member's deadline calendar (ICS); revocable."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=8)  # the first characters, to tell feeds apart
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar {self.hint}…"
