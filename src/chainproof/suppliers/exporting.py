"""Exports in the import columns (so an export can be edited and imported again), the
templates with a note per column, and the list of authorized production units."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from chainproof.common.exports import TEXT_FORMAT, is_identifier_column
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.domain.values import workers_text
from chainproof.fileformats.cells import strings_only
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)


def _join(values: list[str]) -> str:
    return " | ".join(values)


EXPORT_CHUNK = 2000  # records read from the database at a time
ATTRIBUTE_PREFIX = "attribute: "  # custom attributes as columns; propose() maps them back
ATTRIBUTE_ENTITIES = ("suppliers", "facilities")


def attribute_keys(queryset: Any) -> list[str]:
    """The custom attribute keys present on the exported records, sorted."""
    keys: set[str] = set()
    for attributes in queryset.values_list("attributes", flat=True).iterator(
        chunk_size=EXPORT_CHUNK
    ):
        keys.update((attributes or {}).keys())
    return sorted(keys)


def export_table(
    entity: str, org_id: int, queryset: Any = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """The headers and rows of an export: the standard columns, then one column per
    custom attribute key present ("attribute: <key>"). ``queryset`` narrows the records
    (all of the organization's when None)."""
    if entity not in ATTRIBUTE_ENTITIES:
        return headers(entity), ROWS[entity](org_id, queryset)
    if queryset is None:
        model = Supplier if entity == "suppliers" else Facility
        queryset = model.objects.filter(organization_id=org_id)
    keys = attribute_keys(queryset)
    return (
        headers(entity) + [ATTRIBUTE_PREFIX + k for k in keys],
        (supplier_rows if entity == "suppliers" else facility_rows)(org_id, queryset, keys),
    )


def _attributes(record: Any, keys: list[str]) -> list[str]:
    own = record.attributes or {}
    return [str(own.get(k, "")) for k in keys]


def supplier_rows(
    org_id: int, queryset: Any = None, attribute_keys: list[str] | None = None
) -> Iterator[list[Any]]:
    """Suppliers as export rows, read a chunk at a time with their identifiers (so a list
    of any length is exported in the same memory)."""
    suppliers = (
        queryset if queryset is not None else Supplier.objects.filter(organization_id=org_id)
    ).select_related("parent", "owner")
    chunk: list[Supplier] = []
    for supplier in suppliers.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(supplier)
        if len(chunk) == EXPORT_CHUNK:
            yield from _supplier_chunk(org_id, chunk, attribute_keys or [])
            chunk = []
    yield from _supplier_chunk(org_id, chunk, attribute_keys or [])


def _supplier_chunk(
    org_id: int, suppliers: list[Supplier], attribute_keys: list[str]
) -> Iterator[list[Any]]:
    if not suppliers:
        return
    ids: dict[int, dict[str, str]] = defaultdict(dict)
    for sid, scheme, value, label in SupplierIdentifier.objects.filter(
        organization_id=org_id, supplier_id__in=[s.pk for s in suppliers]
    ).values_list("supplier_id", "scheme", "value", "label"):
        ids[sid][scheme] = f"{label}: {value}" if scheme == "other" else value
    for s in suppliers:
        own = ids.get(s.pk, {})
        yield [
            s.ref,
            s.legal_name,
            s.native_name,
            _join(s.aliases),
            s.country,
            s.website,
            s.contact_email,
            (s.parent.ref or s.parent.legal_name) if s.parent else "",
            s.status,
            s.owner.username if s.owner else "",
            _join(s.tags),
            s.notes,
            own.get("duns", ""),
            own.get("lei", ""),
            own.get("uscc", ""),
            own.get("tax_id", ""),
            own.get("other", ""),
            *_attributes(s, attribute_keys),
        ]


def workers_written(facility: Facility) -> int | str | None:
    """The number of workers as the import reads it: 1250, "1001-5000" for a range, "500+"
    for an open one."""
    low, high = facility.total_workers, facility.total_workers_max
    if low is not None and high is not None and high != low:
        return workers_text(low, high)
    return low


def facility_rows(
    org_id: int, queryset: Any = None, attribute_keys: list[str] | None = None
) -> Iterator[list[Any]]:
    facilities = (
        queryset if queryset is not None else Facility.objects.filter(organization_id=org_id)
    ).select_related("supplier")
    for f in facilities.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            f.ref,
            f.name,
            f.native_name,
            f.kind,
            (f.supplier.ref or f.supplier.legal_name) if f.supplier else "",
            f.address,
            f.city,
            f.subdivision,
            f.postal_code,
            f.country,
            f.latitude,
            f.longitude,
            _join(f.activities),
            f.products_made,
            workers_written(f),
            f.migrant_workers,
            f.dprk_workers,
            f.dprk_worker_count,
            f.figures_date,
            f.notes,
            f.os_id,
            *_attributes(f, attribute_keys or []),
        ]


def material_rows(org_id: int, queryset: Any = None) -> Iterator[list[Any]]:
    materials = (
        queryset if queryset is not None else Material.objects.filter(organization_id=org_id)
    )
    for m in materials.iterator():
        yield [m.name, m.description, _join(m.dol_goods), m.high_scrutiny_sector]


def product_rows(org_id: int, queryset: Any = None) -> Iterator[list[Any]]:
    products = queryset if queryset is not None else Product.objects.filter(organization_id=org_id)
    boms: dict[int, list[str]] = defaultdict(list)
    for line in ProductInput.objects.filter(product__organization_id=org_id).select_related(
        "material", "component"
    ):
        if line.material is not None:
            name = line.material.name
        elif line.component is not None:
            name = f"sku:{line.component.sku}"
        else:
            continue
        share = "" if line.share is None else f"={line.share.normalize()}"
        boms[line.product_id].append(f"{name}{share}")
    for p in products.iterator():
        yield [p.sku, p.name, p.description, p.hts_code, _join(boms.get(p.pk, []))]


def link_rows(org_id: int, queryset: Any = None) -> Iterator[list[Any]]:
    links = (
        queryset if queryset is not None else SupplyLink.objects.filter(organization_id=org_id)
    ).select_related(
        "source_facility",
        "source_supplier",
        "target_facility",
        "target_supplier",
        "product",
        "material",
    )

    def ref(obj: Any, name_attr: str) -> str:
        return (obj.ref or getattr(obj, name_attr)) if obj else ""

    for link in links.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            ref(link.source_facility, "name"),
            ref(link.source_supplier, "legal_name"),
            "yes" if link.source_unknown else "",
            ref(link.target_facility, "name"),
            ref(link.target_supplier, "legal_name"),
            "yes" if link.target_importer else "",
            link.product.sku if link.product else "",
            link.material.name if link.material else "",
            link.valid_from,
            link.valid_to,
            link.evidence_refs,
            link.notes,
        ]


ROWS = {
    "suppliers": supplier_rows,
    "facilities": facility_rows,
    "materials": material_rows,
    "products": product_rows,
    "links": link_rows,
}


def headers(entity: str) -> list[str]:
    return list(COLUMN_SETS[entity].column_names)


PRODUCTION_UNIT_HEADERS = [
    "Worksite (full name)",
    "Name in native script",
    "Address",
    "City",
    "Province/state",
    "Postal code",
    "Country",
    "Operating company",
    "Parent company",
    "Products made",
    "Number of workers",
    "Figures as of",
]


def production_unit_rows(facilities: Any) -> Iterator[list[Any]]:
    """The DHS FAQ's 'published list of authorized production units and processing
    facilities': full names, worksite addresses, parent company, products, workers."""
    for f in facilities.select_related("supplier", "supplier__parent").order_by("country", "name"):
        supplier = f.supplier
        parent = supplier.parent if supplier else None
        yield [
            f.name,
            f.native_name,
            f.address,
            f.city,
            f.subdivision,
            f.postal_code,
            f.country,
            supplier.legal_name if supplier else "",
            parent.legal_name if parent else (supplier.legal_name if supplier else ""),
            f.products_made,
            workers_written(f),
            f.figures_date,
        ]


def template_workbook(entity: str) -> bytes:
    """An .xlsx template: the entity's sheet with its header, a note on each column, and an
    'instructions' sheet listing every column, whether it is required and its format.
    Identifier columns (common.exports.IDENTIFIER_COLUMNS) are formatted as text for the
    whole column, so what a person types there (012345678, 6109.10) stays as typed."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    columns = COLUMN_SETS[entity]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = entity
    bold = Font(bold=True)
    for index, column in enumerate(columns.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = bold
        if column.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        note = (column.help or "") + (" Required." if column.required else " Optional.")
        if column.example:
            note += f" Example: {column.example}"
        cell.comment = Comment(note.strip(), "chainproof")
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = max(14, len(column.name) + 4)
        if is_identifier_column(column.name):
            dimension.number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("instructions")
    notes.append(["column", "required", "what to enter", "example"])
    for cell in notes[1]:
        cell.font = bold
    for column in columns.columns:
        notes.append([column.name, "yes" if column.required else "no", column.help, column.example])
    notes.append([])
    notes.append(
        [
            "Import with: chainproof import " + entity + " FILE [--dry-run], or in the web "
            "app. One bad row rejects the whole file; nothing is half-imported."
        ]
    )
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["C"].width = 80
    strings_only(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
