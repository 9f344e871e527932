"""The multi-tier supply chain: suppliers, facilities (worksites), products, materials,
and the links that say who supplies what to whom.

Tiers are computed from links (chainproof.domain.graph) and cached on suppliers and
facilities by graph.tiers_recompute, so lists can filter and sort by tier.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from chainproof.domain.values import workers_words


class OrgOwned(models.Model):
    # No index of its own: every table that inherits this has indexes (or unique
    # constraints) that start with the organization, which serve a lookup by organization
    # alone too; one index fewer to keep up on every row a large import writes.
    # The key is kept by the ORM (CASCADE when an organization is deleted), not checked by
    # the database row by row: every record is written by its services with the
    # organization of the membership acting, and a check could only have refused an
    # organization that does not exist, never another one's. PostgreSQL's check of this
    # key was a quarter of a link's checks (300,000 links: 6.65 s with it, 4.91 without;
    # 12 s of the links of a 1,000,000-worksite import). The risk assessments' rule too.
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Supplier(OrgOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    ref = models.CharField(
        max_length=64, blank=True, help_text="Your own code for this supplier (ERP vendor no.)."
    )
    legal_name = models.CharField(max_length=300)
    native_name = models.CharField(max_length=300, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2)
    website = models.CharField(max_length=300, blank=True)
    contact_email = models.EmailField(
        blank=True,
        help_text="Where questionnaire invitations go (the supplier's compliance contact).",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    # Found by (organization, name, country): supplier_org_norm; searched for part of a
    # name through the trigram index on PostgreSQL (migration 0012); never alone.
    normalized_name = models.CharField(max_length=300)
    # Set when a name arrived with invisible characters (they are removed before storing).
    # Columns of an imported list that have no field here, kept as the list had them
    # (header -> text): shown on the record's page and exported again.
    attributes = models.JSONField(default=dict, blank=True)
    text_warning = models.CharField(max_length=500, blank=True)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "ref"], condition=~Q(ref=""), name="supplier_ref_unique"
            )
        ]
        indexes = [
            # The list's default order, with the columns a search tests, so that a search
            # reads the index and the table only for the rows it shows.
            models.Index(
                fields=["organization", "legal_name", "id", "normalized_name", "ref"],
                name="supplier_org_name_search",
            ),
            # Filtered or sorted by country or tier, then in name order: the index gives
            # the page's order, no sort of every supplier in the country or tier; the
            # status is in it so that a count filtered by status too reads no table row.
            models.Index(
                fields=["organization", "country", "legal_name", "id", "status"],
                name="supplier_org_cty_name",
            ),
            models.Index(
                fields=["organization", "tier", "legal_name", "id", "status"],
                name="supplier_org_tier_name",
            ),
            models.Index(fields=["organization", "updated_at"], name="supplier_org_updated"),
            models.Index(
                fields=["organization", "normalized_name", "country"], name="supplier_org_norm"
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name


class SupplierIdentifier(models.Model):
    class Scheme(models.TextChoices):
        DUNS = "duns", "DUNS"
        LEI = "lei", "LEI"
        USCC = "uscc", "China Unified Social Credit Code"
        TAX_ID = "tax_id", "National tax id"
        OTHER = "other", "Other"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=64)
    label = models.CharField(max_length=60, blank=True, help_text="What an 'other' id is.")

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scheme", "value"], name="identifier_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.value}"


class Facility(OrgOwned):
    class Kind(models.TextChoices):
        FACTORY = "factory", "Factory"
        FARM = "farm", "Farm"
        MINE = "mine", "Mine"
        PROCESSING = "processing_plant", "Processing plant"
        VESSEL = "vessel", "Vessel"
        WAREHOUSE = "warehouse", "Warehouse"
        OTHER = "other", "Other"

    ACTIVITIES = (
        "mining",
        "farming",
        "fishing",
        "processing",
        "manufacturing",
        "assembly",
        "packaging",
        "transport",
    )

    class DprkWorkers(models.TextChoices):
        NONE = "none", "None (confirmed)"
        PRESENT = "present", "Present (count known)"
        UNKNOWN = "unknown", "Unknown (asked, not known)"
        NOT_ASKED = "not_asked", "Not yet asked"

    ref = models.CharField(max_length=64, blank=True, help_text="Your own code for this site.")
    os_id = models.CharField(
        "OS ID",
        max_length=15,
        blank=True,
        help_text="The site's Open Supply Hub ID, e.g. CN2019303BQ3FZP (opensupplyhub.org).",
    )
    name = models.CharField(max_length=300)
    native_name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FACTORY)
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.TextField(blank=True)
    city = models.CharField(max_length=120, blank=True)
    subdivision = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    activities = models.JSONField(default=list, blank=True)
    products_made = models.TextField(blank=True)
    total_workers = models.PositiveIntegerField(null=True, blank=True)
    # The upper end when the number of workers is known as a range (total_workers the lower).
    total_workers_max = models.PositiveIntegerField(null=True, blank=True)
    migrant_workers = models.PositiveIntegerField(null=True, blank=True)
    dprk_workers = models.CharField(
        max_length=10,
        choices=DprkWorkers.choices,
        default=DprkWorkers.NOT_ASKED,
        help_text="North Korean nationals at this worksite.",
    )
    dprk_worker_count = models.PositiveIntegerField(null=True, blank=True)
    figures_date = models.DateField(null=True, blank=True)
    in_xinjiang = models.BooleanField(default=False)
    xinjiang_reason = models.CharField(max_length=300, blank=True)
    # Read with the whole organization's worksites by an import; searched for part of a
    # name through the trigram index on PostgreSQL (migration 0012); never alone.
    normalized_name = models.CharField(max_length=300)
    # Set when a name arrived with invisible characters (they are removed before storing).
    # Columns of an imported list that have no field here, kept as the list had them
    # (header -> text): shown on the record's page and exported again.
    attributes = models.JSONField(default=dict, blank=True)
    text_warning = models.CharField(max_length=500, blank=True)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "ref"], condition=~Q(ref=""), name="facility_ref_unique"
            ),
            models.UniqueConstraint(
                fields=["organization", "os_id"],
                condition=~Q(os_id=""),
                name="facility_os_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="facility_org_name"),
            models.Index(fields=["organization", "country"], name="facility_org_country"),
            models.Index(fields=["organization", "tier"], name="facility_org_tier"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workers_shown(self) -> str:
        """The number of workers in words: '1,250', '1,001 to 5,000', '500 or more'."""
        return workers_words(self.total_workers, self.total_workers_max)


class Material(OrgOwned):
    class Sector(models.TextChoices):
        NONE = "", "—"
        COTTON = "cotton", "Cotton"
        TOMATOES = "tomatoes", "Tomatoes"
        POLYSILICON = "polysilicon", "Polysilicon"
        ALUMINUM = "aluminum", "Aluminum"
        PVC = "pvc", "PVC"
        STEEL = "steel", "Steel"
        BATTERIES = "batteries", "Batteries"
        TIRES = "tires", "Tires"
        SEAFOOD = "seafood", "Seafood"

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    dol_goods = models.JSONField(
        default=list, blank=True, help_text="Names of matching goods on the DOL List of Goods."
    )
    high_scrutiny_sector = models.CharField(
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text="CBP UFLPA high-priority sector, if any.",
    )
    normalized_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "normalized_name"], name="material_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Product(OrgOwned):
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    hts_code = models.CharField(max_length=13, blank=True)

    class Meta:
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sku"], name="product_sku_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductInput(models.Model):
    """A line of a product's bill of materials: a material or a component product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="inputs")
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.PROTECT, related_name="used_in"
    )
    component = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="used_in"
    )
    share = models.DecimalField(
        max_digits=6, decimal_places=3, null=True, blank=True, help_text="Percent, when known."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(material__isnull=False, component__isnull=True)
                | Q(material__isnull=True, component__isnull=False),
                name="input_is_material_or_component",
            )
        ]

    def __str__(self) -> str:
        return str(self.material or self.component)


def _optional_reference(to: type[models.Model], related_name: str) -> Any:
    """A reference many links leave empty (each end is a facility or a supplier; a link
    carries a product or a material): indexed only where given, in SupplyLink.Meta."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        db_index=False,
    )


class SupplyLink(OrgOwned):
    """Who supplies what to whom, between which dates, and the record that proves it."""

    source_facility = _optional_reference(Facility, "links_out")
    source_supplier = _optional_reference(Supplier, "links_out")
    source_unknown = models.BooleanField(
        default=False, help_text="The origin of this input is not known (unknown upstream)."
    )
    target_facility = _optional_reference(Facility, "links_in")
    target_supplier = _optional_reference(Supplier, "links_in")
    target_importer = models.BooleanField(default=False)
    product = _optional_reference(Product, "links")
    material = _optional_reference(Material, "links")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    evidence_refs = models.TextField(
        blank=True, help_text="Purchase orders, invoices, bills of lading that prove the link."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        source_facility__isnull=False,
                        source_supplier__isnull=True,
                        source_unknown=False,
                    )
                    | Q(
                        source_facility__isnull=True,
                        source_supplier__isnull=False,
                        source_unknown=False,
                    )
                    | Q(
                        source_facility__isnull=True,
                        source_supplier__isnull=True,
                        source_unknown=True,
                    )
                ),
                name="link_has_one_source",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        target_facility__isnull=False,
                        target_supplier__isnull=True,
                        target_importer=False,
                    )
                    | Q(
                        target_facility__isnull=True,
                        target_supplier__isnull=False,
                        target_importer=False,
                    )
                    | Q(
                        target_facility__isnull=True,
                        target_supplier__isnull=True,
                        target_importer=True,
                    )
                ),
                name="link_has_one_target",
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=False, material__isnull=True)
                | Q(product__isnull=True, material__isnull=False),
                name="link_carries_product_or_material",
            ),
        ]
        # A link names either a facility or a supplier at each end, and either a product
        # or a material: each of these columns is empty in many links, and its indexes
        # hold only the links where it is not (a lookup by value, and the database's own
        # foreign-key checks, only ever look for links that name one). A large import
        # then keeps up about half the index entries per link.
        indexes = [
            *(
                models.Index(
                    fields=[column], condition=Q(**{f"{column}__isnull": False}), name=name
                )
                for column, name in (
                    ("source_facility", "link_source_facility"),
                    ("source_supplier", "link_source_supplier"),
                    ("target_facility", "link_target_facility"),
                    ("target_supplier", "link_target_supplier"),
                    ("product", "link_product"),
                    ("material", "link_material"),
                )
            ),
            # Whole (not partial): it is also the index of every link of an organization.
            models.Index(fields=["organization", "target_facility"], name="link_org_tfac"),
            models.Index(
                fields=["organization", "target_supplier"],
                condition=Q(target_supplier__isnull=False),
                name="link_org_tsup",
            ),
            models.Index(
                fields=["organization", "product"],
                condition=Q(product__isnull=False),
                name="link_org_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_label} → {self.target_label}: {self.item_label}"

    @property
    def source_label(self) -> str:
        if self.source_unknown:
            return "unknown origin"
        return str(self.source_facility or self.source_supplier)

    @property
    def target_label(self) -> str:
        return (
            "importer"
            if self.target_importer
            else str(self.target_facility or self.target_supplier)
        )

    @property
    def item_label(self) -> str:
        return str(self.product.name if self.product else self.material)


class ImportMapping(OrgOwned):
    """A column mapping saved by name for the next file of the same layout."""

    name = models.CharField(max_length=100)
    entity = models.CharField(max_length=20)
    columns = models.JSONField(default=dict)  # header -> field, "attribute" or "ignore"
    date_order = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="import_mapping_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(OrgOwned):
    """One uploaded list under review: its header, the mapping confirmed, and its rows
    (``ImportRow``) until each is imported or discarded. Nothing of it is lost: rows with
    problems stay pending here until fixed."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Columns to confirm"
        REVIEW = "review", "Rows to review"
        DONE = "done", "Imported"

    class Origin(models.TextChoices):
        WEB = "web", "uploaded on the web"
        COMMAND = "command", "the command line"
        JOB = "job", "a background import"

    entity = models.CharField(max_length=20)
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAPPING)
    sheet = models.CharField(max_length=200, blank=True)  # the workbook's sheet read
    other_sheets = models.JSONField(default=list)  # [name, rows] of the sheets not read
    header = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=1)
    mapping = models.JSONField(default=dict)
    date_order = models.CharField(max_length=3, blank=True)
    keep_attributes = models.BooleanField(default=True)
    notes = models.JSONField(default=list)  # what reading guessed, in words
    summary = models.JSONField(default=dict)  # the last check's counts, and what was imported
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.WEB)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.entity})"


class ImportRow(models.Model):
    """One row of an uploaded list, as the file had it, with the edits made in review."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        IMPORTED = "imported", "Imported"
        MERGED = "merged", "Merged into a duplicate"
        DISCARDED = "discarded", "Discarded"

    class Decision(models.TextChoices):
        NONE = "", "Not decided"
        MERGE = "merge", "Merge with the likely duplicate"
        KEEP = "keep", "Keep apart"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()  # the row number in the file
    cells = models.JSONField(default=list)  # as read, aligned with the batch's header
    numeric = models.JSONField(default=list)  # 1-based columns whose cell held a number
    # 1-based column (as text) -> the formula its cell held (never evaluated; a problem)
    formulas = models.JSONField(default=dict)
    edits = models.JSONField(default=dict)  # field -> text typed in review
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decision = models.CharField(max_length=5, choices=Decision.choices, blank=True, default="")
    problems = models.JSONField(default=list)  # the last check's problems (RowError dicts)
    outcome = models.CharField(max_length=300, blank=True)  # what the last check or import did
    # The stored record the row updates, was merged into, or created (after the import).
    record_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="import_row_line")]

    def __str__(self) -> str:
        return f"row {self.line}"
