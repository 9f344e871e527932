"""Stored methodologies and risk assessments (with history)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MethodologyVersion(models.Model):
    """One version of a methodology, as text. Bundled versions have no organization."""

    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_use = models.BooleanField(
        default=False, help_text="The version this organization scores with."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                condition=Q(organization__isnull=True),
                name="methodology_bundled_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "name", "version"],
                condition=Q(organization__isnull=False),
                name="methodology_org_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RiskAssessment(models.Model):
    class NodeType(models.TextChoices):
        SUPPLIER = "supplier", "Supplier"
        FACILITY = "facility", "Facility"
        PRODUCT = "product", "Product"

    # No index of its own: every index below starts with it. The two keys of this table
    # are kept by the ORM (CASCADE, PROTECT), not by the database: assessments are written
    # only by the engine (risk.storing), a million and a half at a time, with keys it has
    # just read, and the database's check of each key at commit took a tenth of a full
    # re-score at that size (30 s of 298 at scale 10).
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    node_type = models.CharField(max_length=10, choices=NodeType.choices)
    node_id = models.PositiveBigIntegerField()
    node_name = models.CharField(max_length=300)
    country = models.CharField(max_length=2, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    own_score = models.DecimalField(max_digits=5, decimal_places=2)
    level = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    presumptions = models.JSONField(default=list, blank=True)
    sanctions_flags = models.JSONField(default=list, blank=True)
    goods = models.JSONField(default=list, blank=True)
    caatsa_status = models.CharField(max_length=16, blank=True)
    uflpa_status = models.CharField(max_length=16, blank=True)
    section307_status = models.CharField(max_length=16, blank=True)
    methodology = models.ForeignKey(
        MethodologyVersion, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    editions = models.JSONField(default=dict)
    engine = models.CharField(max_length=40, help_text="The risk engine that computed this.")
    engine_version = models.CharField(max_length=20)
    as_of = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    fingerprint = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-computed_at"]
        indexes = [
            models.Index(
                fields=["organization", "node_type", "node_id", "is_current"],
                name="risk_node_current",
            ),
            # The register's indexes hold current assessments only (the history stays out),
            # so both databases match "is_current" in the query to them.
            # Its default order (highest score first, then by name) read straight from the
            # index: ties on the score run to a hundred thousand nodes.
            models.Index(
                fields=["organization", "-score", "node_name"],
                condition=models.Q(is_current=True),
                name="risk_current_score_name",
            ),
            # Sorted by name (a search by name looks here once it has found many rows). The
            # id as the last column: a page's ids read from the index alone in the list's
            # order, a search tested on each name without reading its row (PostgreSQL).
            models.Index(
                fields=["organization", "node_name", "id"],
                condition=models.Q(is_current=True),
                name="risk_current_name",
            ),
            # Filtered by country in the same order, or sorted by country: a country with
            # few records (North Korea) is found without reading the others (a million
            # assessments read in 0.6 s without it).
            models.Index(
                fields=["organization", "country", "-score", "node_name"],
                condition=models.Q(is_current=True),
                name="risk_current_country",
            ),
            # Filtered by level, in the same order; the records at a level (the overview's
            # suppliers at critical risk) read from this index alone (PostgreSQL).
            models.Index(
                fields=["organization", "level", "-score", "node_name"],
                include=["node_type", "node_id"],
                condition=models.Q(is_current=True),
                name="risk_current_level",
            ),
            # Filtered by a presumption: only the few assessments where it is in question.
            *(
                models.Index(
                    fields=["organization", "-score", "node_name"],
                    condition=models.Q(is_current=True) & ~models.Q(**{status: ""}),
                    name=f"risk_current_{status}",
                )
                for status in ("caatsa_status", "uflpa_status", "section307_status")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node_type} {self.node_id}: {self.score} ({self.level})"

    @property
    def engine_label(self) -> str:
        return f"{self.engine} v{self.engine_version}"

    @property
    def node_key(self) -> str:
        return f"{self.node_type[0]}:{self.node_id}"

    @property
    def main_reason(self) -> dict[str, Any] | None:
        """The reason with the most points (not the first): what a person reads first."""
        from chainproof.domain.risk.labels import main_reason

        top: dict[str, Any] | None = main_reason(self.reasons)
        return top

    def presumption(self, regime: str) -> dict[str, object] | None:
        return next((p for p in self.presumptions if p.get("regime") == regime), None)


class ScoredComponent(models.Model):
    """A connected part of an organization's supply graph as the last full run left it: the
    digest of its inputs and of the assessments stored for its nodes. A full run skips a
    component whose digest it finds here (nothing to recompute, nothing to write).
    Derived data, replaced by every full run."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64)
    nodes = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["organization", "digest"], name="risk_component_digest")]

    def __str__(self) -> str:
        return f"{self.nodes} node(s): {self.digest[:12]}"


class LevelCount(models.Model):
    """How many current assessments of an organization's records of a kind are at a level
    (suppliers at critical risk: as many as the supplier list filtered by that level,
    every supplier having one current assessment). Kept by the one
    module that writes assessments (``risk/storing.py``), in the transaction that writes
    them, so that the register and the overview read a few rows instead of counting a
    million (a third of a second at a million worksites, on every view)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    node_type = models.CharField(max_length=10, choices=RiskAssessment.NodeType.choices)
    level = models.CharField(max_length=10)
    current = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "node_type", "level"], name="risk_level_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_type} {self.level}: {self.current}"


class LevelMonth(models.Model):
    """The counts by level as they stood at the end of a month (as the month's last
    write left them; this month: as they stand). The overview's trend reads these
    instead of replaying every assessment ever written (three million rows, 16 s, at a
    million worksites)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(help_text="The month's first day.")
    level = models.CharField(max_length=10)
    current = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "level"], name="risk_level_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%b %Y} {self.level}: {self.current}"


class GoodCount(models.Model):
    """How many current assessments of an organization's worksites in a country, at a
    level, name a good (the good as the assessment names it, case folded): the heat map
    of countries by goods reads these few rows instead of every worksite's assessment
    (8 s at a million worksites). The good "" counts the worksites none of whose goods
    was a good the organization's materials are marked with (the DOL List) when they were
    scored. Kept like ``LevelCount``, in the same transactions, by ``risk/storing.py``;
    counted again at the end of every full run."""

    NOT_LISTED = ""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    good = models.CharField(max_length=300)
    country = models.CharField(max_length=2)
    level = models.CharField(max_length=10)
    current = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "good", "country", "level"],
                name="risk_good_count_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.good or '(not listed)'} in {self.country}, {self.level}: {self.current}"
