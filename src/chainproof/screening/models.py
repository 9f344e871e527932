"""Watchlists of an organization's own, and screening hits with the analyst's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class WatchlistEntry(models.Model):
    """A name an organization screens against besides the government lists."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=300)
    aliases = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, blank=True)
    address = models.TextField(blank=True, help_text="Compared with the screened site's address.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScreeningSettings(models.Model):
    """An organization's screening choices (defaults come from the environment)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        help_text="Matches scoring at least this go to the review queue.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"screening threshold {round(float(self.threshold) * 100)}%"


class ScreeningHit(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To review"
        CONFIRMED = "confirmed", "Confirmed match"
        DISMISSED = "dismissed", "Dismissed"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    node_type = models.CharField(max_length=10)  # supplier | facility
    node_id = models.PositiveBigIntegerField()
    node_name = models.CharField(max_length=300)
    list_code = models.CharField(max_length=40)  # uflpa | ofac_sdn_dprk | cbp_wro | watchlist
    entry_key = models.CharField(max_length=80)
    entry_name = models.CharField(max_length=500)
    entry_names = models.JSONField(default=list)
    entry_country = models.CharField(max_length=2, blank=True)
    entry_status = models.CharField(
        max_length=60,
        blank=True,
        help_text='The entry\'s status as the list states it ("Inactive-Pending Litigation").',
    )
    score = models.DecimalField(max_digits=5, decimal_places=4)
    explanation = models.TextField()
    details = models.JSONField(
        default=dict,
        blank=True,
        help_text="The comparison as data (Match.details()): each name's words and parts, "
        "the words that agreed, the qualifiers; empty for hits found before it was kept.",
    )
    algorithm = models.CharField(max_length=40)
    algorithm_version = models.CharField(max_length=20)
    list_edition = models.CharField(max_length=200)
    names_fingerprint = models.CharField(max_length=64)
    entry_fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Not stored: what the list entry is, in words ("Vessel"), set for the review pages by
    # ``selectors.with_entry_kinds``.
    entry_kind_words: str = ""

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "node_type", "node_id", "entry_key"],
                name="hit_one_per_record_and_entry",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status", "-score"], name="hit_org_status_score")
        ]

    def __str__(self) -> str:
        alike = round(float(self.score) * 100)
        return f"{self.node_name} resembles {self.entry_name} ({alike}% alike)"
