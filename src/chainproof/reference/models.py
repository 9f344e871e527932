"""Versioned public reference datasets and their rows.

A Dataset is one edition of one kind of list, loaded from one file whose SHA-256 and
provenance it keeps. A new edition loads beside the old ones; which edition is current
is decided by as-of date (see selectors.current_dataset), so what was known on any past
date stays queryable. Datasets bundled with chainproof are global (no organization);
an organization's administrators can add editions visible to that organization only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Dataset(models.Model):
    kind = models.CharField(max_length=40)
    edition = models.CharField(max_length=120)
    as_of = models.DateField(help_text="The date the source describes the world as of.")
    source = models.TextField()
    license = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
        help_text="Empty for public datasets every organization sees.",
    )

    class Meta:
        ordering = ["kind", "-as_of", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "edition"],
                condition=Q(organization__isnull=True),
                name="dataset_global_edition_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "edition"],
                condition=Q(organization__isnull=False),
                name="dataset_org_edition_unique",
            ),
        ]
        indexes = [models.Index(fields=["kind", "as_of"], name="dataset_kind_asof")]

    def __str__(self) -> str:
        return f"{self.kind} {self.edition}"


class DatasetRow(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class Country(DatasetRow):
    alpha2 = models.CharField(max_length=2)
    alpha3 = models.CharField(max_length=3)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=300, blank=True)
    region = models.CharField(max_length=100, blank=True)
    sub_region = models.CharField(max_length=100, blank=True)
    independence = models.CharField(max_length=100, blank=True)
    code_status = models.CharField(max_length=20)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "alpha2"], name="country_code_per_dataset")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.alpha2})"


class TipPlacement(DatasetRow):
    report_year = models.PositiveSmallIntegerField()
    iso2 = models.CharField(max_length=2)
    country_name_source = models.CharField(max_length=200)
    tier = models.CharField(max_length=30)
    tier_code = models.CharField(max_length=4)
    source = models.TextField(blank=True)
    year_coverage = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-report_year", "iso2"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "report_year", "iso2"], name="tip_year_country_per_dataset"
            )
        ]
        indexes = [models.Index(fields=["dataset", "iso2"], name="tip_dataset_iso2")]

    def __str__(self) -> str:
        return f"{self.iso2} {self.report_year}: {self.tier}"


class GoodEntry(DatasetRow):
    good = models.CharField(max_length=200)
    sector = models.CharField(max_length=100, blank=True)
    iso2 = models.CharField(max_length=2)
    country_name_source = models.CharField(max_length=200)
    region = models.CharField(max_length=100, blank=True)
    child_labor = models.BooleanField()
    forced_labor = models.BooleanField()
    forced_child_labor = models.BooleanField()
    derived_from_exploited_input = models.BooleanField()
    input_country_iso2 = models.CharField(max_length=2, blank=True)
    input_country_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["good", "country_name_source"]
        indexes = [models.Index(fields=["dataset", "iso2"], name="good_dataset_iso2")]

    def __str__(self) -> str:
        return f"{self.good} ({self.iso2})"

    @property
    def labor_types(self) -> list[str]:
        kinds = []
        if self.forced_labor:
            kinds.append("forced labor")
        if self.child_labor:
            kinds.append("child labor")
        if self.forced_child_labor:
            kinds.append("forced child labor")
        return kinds


class WroFinding(DatasetRow):
    order_type = models.CharField(max_length=10)
    effective_date = models.DateField()
    iso2 = models.CharField(max_length=2, blank=True)
    country_name_source = models.CharField(max_length=200)
    status = models.CharField(max_length=60)
    entity = models.TextField()
    aliases = models.JSONField(default=list)
    industry = models.CharField(max_length=200, blank=True)
    merchandise = models.TextField()
    remarks = models.TextField(blank=True)
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_date"]

    def __str__(self) -> str:
        return f"{self.order_type} {self.effective_date}: {self.entity[:60]}"


class EntityListEntry(DatasetRow):
    """An entry of a government entity list (UFLPA Entity List, OFAC SDN North Korea)."""

    list_code = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40, blank=True)
    primary_name = models.TextField()
    aliases = models.JSONField(default=list)
    entity_type = models.CharField(max_length=20, blank=True)
    section = models.CharField(max_length=10, blank=True)
    section_description = models.TextField(blank=True)
    as_published = models.TextField(blank=True)
    effective_date = models.DateField(null=True, blank=True)
    iso2 = models.CharField(max_length=2, blank=True)
    programs = models.JSONField(default=list)
    program_tags = models.CharField(
        max_length=300, blank=True, help_text="';'-delimited copy of programs, for filtering."
    )
    search_text = models.TextField(blank=True)

    class Meta:
        ordering = ["primary_name"]
        indexes = [models.Index(fields=["dataset", "list_code"], name="entity_dataset_list")]

    def __str__(self) -> str:
        return self.primary_name[:100]


class EntityAddress(DatasetRow):
    """An address a list gives for one of its entries (OFAC's ADD.CSV), joined to the entry
    by the list's own entry number (``EntityListEntry.source_id``)."""

    list_code = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40)
    address_id = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    city = models.TextField(blank=True, help_text="City, state or province, postal code.")
    country_name_source = models.CharField(max_length=200, blank=True)
    iso2 = models.CharField(max_length=2, blank=True)
    remarks = models.TextField(blank=True)

    class Meta:
        ordering = ["source_id", "address_id"]
        indexes = [models.Index(fields=["dataset", "source_id"], name="address_dataset_source")]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.one_line or self.iso2}"

    @property
    def one_line(self) -> str:
        return ", ".join(p for p in (self.address, self.city, self.country_name_source) if p)


class DprkLaborStatement(DatasetRow):
    host = models.CharField(max_length=200)
    iso2 = models.CharField(max_length=2, blank=True)
    sectors = models.TextField(blank=True)
    excerpt = models.TextField()
    tip_report_year = models.PositiveSmallIntegerField(null=True, blank=True)
    source_file = models.CharField(max_length=200, blank=True)
    source_commit = models.CharField(max_length=64, blank=True)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["host", "first_seen"]

    def __str__(self) -> str:
        return f"{self.host}: {self.excerpt[:60]}"


class IloIndicator(DatasetRow):
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    description = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PendingUpdate(models.Model):
    """A new edition of a list, fetched or uploaded, parsed and validated, waiting for an
    administrator to load it or discard it; the diff against the edition in force when it
    was checked is kept with it (``diff``, see domain/refdata_diff.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        LOADED = "loaded", "Loaded"
        DISCARDED = "discarded", "Discarded"

    kind = models.CharField(max_length=40)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    edition = models.CharField(max_length=120)
    as_of = models.DateField()
    source = models.TextField()
    file_name = models.CharField(max_length=255)
    data = models.BinaryField(help_text="The rows in chainproof's CSV layout for the kind.")
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField()
    related = models.JSONField(
        default=list,
        blank=True,
        help_text="Editions of other kinds read from the same files (OFAC's addresses), each "
        "with its kind, file name, edition and rows as CSV text, loaded with the list.",
    )
    notes = models.TextField(blank=True)
    diff = models.JSONField()
    based_on = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    loaded = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.edition} ({self.status})"
