"""Forms for editing the supply chain by hand. They only parse input; services validate
against the organization's data and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from chainproof.accounts.models import User
from chainproof.domain.records import COLUMN_SCHEMES
from chainproof.suppliers.models import Facility, Material, Product, Supplier
from chainproof.suppliers.picker_fields import LinkEndField, RecordSelect
from chainproof.suppliers.picking import PickKind


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", "|").split("|") if part.strip()]


class OrgForm(forms.Form):
    """A form whose choice fields are limited to one organization's records."""

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        for form_field in self.fields.values():  # pickers list and check this one's records
            if isinstance(form_field.widget, RecordSelect):
                form_field.widget.organization_id = organization_id
            if isinstance(form_field, LinkEndField):
                form_field.organization_id = organization_id
        self.limit()

    def limit(self) -> None:
        return None


class SupplierForm(OrgForm):
    legal_name = forms.CharField(max_length=300)
    native_name = forms.CharField(
        max_length=300, required=False, help_text="Name in its own script, e.g. Chinese characters."
    )
    ref = forms.CharField(max_length=64, required=False, label="Your reference")
    country = forms.CharField(max_length=100, help_text="Code or name, e.g. CN or China.")
    aliases = forms.CharField(required=False, help_text="Other names, separated by |.")
    website = forms.CharField(max_length=300, required=False)
    contact_email = forms.EmailField(required=False, help_text="Questionnaire invitations go here.")
    parent = forms.ModelChoiceField(
        queryset=Supplier.objects.none(),
        required=False,
        widget=RecordSelect(PickKind.SUPPLIER, empty_label="none"),
        help_text="The group this supplier belongs to, if it is one of your suppliers.",
    )
    status = forms.ChoiceField(choices=Supplier.Status.choices)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="username",
        help_text="Who at your company owns the relationship.",
    )
    tags = forms.CharField(required=False, help_text="Separated by |.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    duns = forms.CharField(max_length=9, required=False, label="DUNS")
    lei = forms.CharField(max_length=20, required=False, label="LEI")
    uscc = forms.CharField(max_length=18, required=False, label="USCC (China)")
    tax_id = forms.CharField(max_length=64, required=False, label="Tax id")

    def limit(self) -> None:
        self.fields["parent"].queryset = Supplier.objects.filter(  # type: ignore[attr-defined]
            organization_id=self.organization_id
        )
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organization_id=self.organization_id
        ).order_by("username")

    def data_for_service(self) -> tuple[dict[str, Any], list[dict[str, str]]]:
        data = dict(self.cleaned_data)
        identifiers = [{"scheme": scheme, "value": data.pop(scheme)} for scheme in COLUMN_SCHEMES]
        data["country"] = data["country"].strip()  # read by check_country
        data["aliases"] = _split(data["aliases"])
        data["tags"] = _split(data["tags"])
        return data, identifiers

    @staticmethod
    def initial_for(supplier: Supplier) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(supplier, name)
            for name in (
                "legal_name",
                "native_name",
                "ref",
                "country",
                "website",
                "contact_email",
                "status",
                "notes",
            )
        }
        initial["parent"] = supplier.parent_id
        initial["owner"] = supplier.owner.get_username() if supplier.owner else None
        initial["aliases"] = " | ".join(supplier.aliases)
        initial["tags"] = " | ".join(supplier.tags)
        for identifier in supplier.identifiers.all():
            if identifier.scheme != "other":
                initial[identifier.scheme] = identifier.value
        return initial


class FacilityForm(OrgForm):
    name = forms.CharField(max_length=300)
    native_name = forms.CharField(max_length=300, required=False)
    ref = forms.CharField(max_length=64, required=False, label="Your reference")
    os_id = forms.CharField(
        max_length=40,
        required=False,
        label="OS ID",
        help_text="The site's Open Supply Hub ID, e.g. CN2019303BQ3FZP, if it is listed there.",
    )
    kind = forms.ChoiceField(choices=Facility.Kind.choices)
    supplier = forms.ModelChoiceField(
        queryset=Supplier.objects.none(),
        required=False,
        label="Operated by",
        widget=RecordSelect(PickKind.SUPPLIER, empty_label="not known"),
    )
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    city = forms.CharField(max_length=120, required=False)
    subdivision = forms.CharField(max_length=120, required=False, label="Province / state")
    postal_code = forms.CharField(max_length=20, required=False)
    country = forms.CharField(max_length=100, help_text="Code or name, e.g. VN or Viet Nam.")
    latitude = forms.DecimalField(required=False, min_value=Decimal(-90), max_value=Decimal(90))
    longitude = forms.DecimalField(required=False, min_value=Decimal(-180), max_value=Decimal(180))
    activities = forms.MultipleChoiceField(
        choices=[(a, a) for a in Facility.ACTIVITIES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    products_made = forms.CharField(required=False)
    total_workers = forms.IntegerField(required=False, min_value=0)
    migrant_workers = forms.IntegerField(required=False, min_value=0)
    dprk_workers = forms.ChoiceField(
        choices=Facility.DprkWorkers.choices, label="North Korean nationals on site"
    )
    dprk_worker_count = forms.IntegerField(
        required=False, min_value=0, label="How many North Korean nationals"
    )
    figures_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Worker figures as of"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def limit(self) -> None:
        self.fields["supplier"].queryset = Supplier.objects.filter(  # type: ignore[attr-defined]
            organization_id=self.organization_id
        )

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["country"] = data["country"].strip()  # read by check_country
        return data


class MaterialForm(OrgForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    dol_goods = forms.CharField(
        required=False,
        label="DOL List of Goods names",
        help_text="Separated by |, e.g. Cotton | Garments.",
    )
    high_scrutiny_sector = forms.ChoiceField(choices=Material.Sector.choices, required=False)

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["dol_goods"] = _split(data["dol_goods"])
        return data


class ProductForm(OrgForm):
    sku = forms.CharField(max_length=64, label="SKU")
    name = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    hts_code = forms.CharField(
        max_length=20,
        required=False,
        label="HTS code",
        help_text="4 to 10 digits, e.g. 6109.10.00.12.",
    )
    inputs = forms.CharField(
        required=False,
        label="Bill of materials",
        help_text="Materials and component SKUs separated by |, each with an optional share "
        "in percent: Cotton=95 | Elastane=5 | sku:TRIM-01",
    )

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class LinkForm(OrgForm):
    """A supply link: where the goods come from and where they go, each chosen in one
    control (a worksite, a supplier whose worksite is unknown, or origin unknown / us)."""

    # Each one-control field stands for these fields of the record (and of the service).
    COVERS = {
        "source": ("source_facility", "source_supplier", "source_unknown"),
        "target": ("target_facility", "target_supplier", "target_importer"),
    }
    source = LinkEndField(
        PickKind.SOURCE,
        ("unknown", "Origin unknown"),
        label="From",
        help_text="A worksite; a supplier whose worksite is unknown; or unknown.",
    )
    target = LinkEndField(
        PickKind.TARGET,
        ("importer", "Us (the importer)"),
        label="To",
        help_text="A worksite, a supplier, or us (the importer).",
    )
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        required=False,
        widget=RecordSelect(PickKind.PRODUCT, empty_label="none"),
    )
    material = forms.ModelChoiceField(
        queryset=Material.objects.none(),
        required=False,
        widget=RecordSelect(PickKind.MATERIAL, empty_label="none"),
    )
    valid_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    evidence_refs = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Evidence (PO, invoice, bill of lading)",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = dict(kwargs.pop("initial", None) or {})
        # A link to this page may preselect an end by its record (?target_facility=12).
        for end, (facility, supplier, _) in self.COVERS.items():
            if initial.get(facility):
                initial.setdefault(end, f"f:{initial[facility]}")
            elif initial.get(supplier):
                initial.setdefault(end, f"s:{initial[supplier]}")
        super().__init__(*args, initial=initial, **kwargs)

    @classmethod
    def initial_keys(cls) -> set[str]:
        """The query parameters that may preselect a field (an end by its record too)."""
        return {*cls.base_fields, *(n for names in cls.COVERS.values() for n in names)}

    def limit(self) -> None:
        org = self.organization_id
        for name, model in (("product", Product), ("material", Material)):
            self.fields[name].queryset = model.objects.filter(  # type: ignore[attr-defined]
                organization_id=org
            )

    def _end(self, name: str) -> dict[str, Any]:
        facility, supplier, other = self.COVERS[name]
        value = self.cleaned_data.get(name) or ""
        out: dict[str, Any] = {
            facility: None,
            supplier: None,
            other: value in ("unknown", "importer"),
        }
        kind, _, pk = value.partition(":")
        if kind == "f":
            out[facility] = Facility.objects.get(organization_id=self.organization_id, pk=pk)
        elif kind == "s":
            out[supplier] = Supplier.objects.get(organization_id=self.organization_id, pk=pk)
        return out

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.COVERS}
        return {**data, **self._end("source"), **self._end("target")}


IMPORT_KINDS = [
    ("suppliers", "Suppliers"),
    ("facilities", "Facilities (worksites)"),
    ("materials", "Materials"),
    ("products", "Products"),
    ("links", "Supply links"),
]
IMPORT_SUFFIXES = (".csv", ".xlsx", ".ods", ".xls")


class ImportForm(forms.Form):
    """An upload for review: the kind of list, the file, and how its columns are read."""

    entity = forms.ChoiceField(choices=IMPORT_KINDS, label="What the file holds")
    file = forms.FileField(
        help_text="CSV (any common encoding and delimiter), .xlsx, .ods or .xls. "
        "Title rows above the header are skipped."
    )
    mapping = forms.CharField(
        required=False,
        label="Columns",
        help_text="'auto' proposes a mapping from the headers; or name a saved or shipped "
        "mapping. You confirm the columns on the next page.",
        widget=forms.Select(),
    )
    sheet = forms.CharField(
        required=False,
        max_length=200,
        label="Sheet (workbooks only)",
        help_text="Leave empty to read the sheet named after what the file holds, else the "
        "first sheet with values; the next page names the sheet read and any other sheet "
        "with rows.",
    )

    def __init__(
        self,
        *args: Any,
        max_bytes: int,
        mappings: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["mapping"].widget.choices = [
            ("auto", "Proposed from the file's headers"),
            *(mappings or []),
        ]
        self.known_mappings = {"auto", *(name for name, _ in mappings or [])}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {self.max_bytes:,}."
            )
        name = upload.name.lower()
        if not name.endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(
                f"Expected a .csv, .xlsx, .ods or .xls file, found {upload.name!r}."
            )
        return upload

    def clean_mapping(self) -> str:
        chosen = (self.cleaned_data.get("mapping") or "auto").strip()
        if chosen not in self.known_mappings:
            raise forms.ValidationError(
                f"Expected 'auto' or a saved or shipped mapping, found {chosen!r}."
            )
        return chosen
