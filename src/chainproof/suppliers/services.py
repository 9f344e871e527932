"""Writes to the supply chain. Every function runs inside the caller's transaction and
writes its audit event; validation errors are Django ValidationErrors naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.domain.geo import xinjiang_match
from chainproof.domain.hts import HtsError, normalize_hts
from chainproof.domain.names import normalize_name
from chainproof.domain.nodes import NodeKey
from chainproof.domain.records import FACILITY, LINK, MATERIAL, PRODUCT, SUPPLIER
from chainproof.jobs import recompute
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)
from chainproof.suppliers.validation import check_country, clean, clean_identifiers, owner_of

# The fields each way in may write, from the one specification per record kind.
SUPPLIER_FIELDS = SUPPLIER.fields
FACILITY_FIELDS = FACILITY.fields
MATERIAL_FIELDS = MATERIAL.fields
PRODUCT_FIELDS = PRODUCT.fields
LINK_FIELDS = LINK.fields

_check_country = check_country


def _same_org(obj: models.Model | None, organization_id: int, field: str) -> None:
    if obj is not None and getattr(obj, "organization_id", None) != organization_id:
        raise ValidationError({field: "Not found in your organization."})


def derive_supplier(supplier: Supplier) -> None:
    supplier.normalized_name = normalize_name(supplier.legal_name)


def derive_facility(facility: Facility) -> None:
    """Fields computed from others: the matching name and whether the site is in Xinjiang."""
    facility.normalized_name = normalize_name(facility.name)
    match = xinjiang_match(
        country=facility.country,
        subdivision=facility.subdivision,
        city=facility.city,
        address=" ".join(filter(None, [facility.address, facility.native_name])),
    )
    facility.in_xinjiang = match is not None
    facility.xinjiang_reason = str(match)[:300] if match else ""
    if facility.dprk_workers != Facility.DprkWorkers.PRESENT:
        facility.dprk_worker_count = facility.dprk_worker_count or None


def _refuse_duplicate(instance: Any, field: str, label: str) -> None:
    """One record per value of ``field`` in an organization."""
    value = getattr(instance, field)
    if (
        type(instance)
        ._default_manager.filter(organization_id=instance.organization_id, **{field: value})
        .exclude(pk=instance.pk)
        .exists()
    ):
        shown = field if field != "normalized_name" else "name"
        raise ValidationError({shown: f"{label} exists already."})


def _apply(instance: models.Model, data: dict[str, Any], fields: Iterable[str]) -> None:
    for name in (*fields, "text_warning"):  # the warning is derived from the names given
        if name in data:
            setattr(instance, name, data[name])


def _save_with_audit(
    instance: models.Model, *, actor: Any, action: str, before: Any, exclude: list[str]
) -> None:
    instance.updated_at = timezone.now()  # type: ignore[attr-defined]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    instance.save()
    audit_record(
        action=action,
        actor=actor,
        organization=instance.organization_id,  # type: ignore[attr-defined]
        obj=instance,
        before=before,
        after=snapshot(instance),
    )


# --- suppliers ---------------------------------------------------------------------------


def supplier_save(
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    supplier: Supplier | None = None,
    identifiers: list[dict[str, str]] | None = None,
) -> Supplier:
    """Create (supplier=None) or update a supplier; identifiers replace the existing ones."""
    org_id = getattr(organization, "pk", organization)
    data = clean(SUPPLIER, data)
    if "owner" in data:
        data["owner"] = owner_of(org_id, data["owner"])
    if identifiers is not None:
        identifiers = clean_identifiers(identifiers)
    before = snapshot(supplier) if supplier else None
    supplier = supplier or Supplier(organization_id=org_id)
    _apply(supplier, data, SUPPLIER_FIELDS)
    supplier.country = _check_country(org_id, supplier.country)
    _same_org(supplier.parent, org_id, "parent")
    if supplier.parent_id and supplier.pk and _creates_parent_cycle(supplier):
        raise ValidationError({"parent": "A supplier cannot be its own (grand)parent."})
    derive_supplier(supplier)
    if supplier.ref:
        _refuse_duplicate(supplier, "ref", f"A supplier with ref {supplier.ref!r}")
    _save_with_audit(
        supplier,
        actor=actor,
        action="supplier.created" if before is None else "supplier.updated",
        before=before,
        exclude=["organization", "owner", "parent", "normalized_name"],
    )
    if identifiers is not None:
        supplier_set_identifiers(supplier=supplier, actor=actor, identifiers=identifiers)
    recompute.supply_changed(
        org_id, [NodeKey.supplier(supplier.pk)], actor=actor, names_changed=True
    )
    return supplier


def _creates_parent_cycle(supplier: Supplier) -> bool:
    seen = {supplier.pk}
    current = supplier.parent
    while current is not None:
        if current.pk in seen:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def supplier_set_identifiers(
    *, supplier: Supplier, actor: Any, identifiers: list[dict[str, str]]
) -> None:
    before = [
        {"scheme": i.scheme, "value": i.value, "label": i.label} for i in supplier.identifiers.all()
    ]
    wanted = clean_identifiers(identifiers)
    if sorted(before, key=str) == sorted(wanted, key=str):
        return
    for item in wanted:
        clash = (
            SupplierIdentifier.objects.filter(
                organization_id=supplier.organization_id,
                scheme=item["scheme"],
                value=item["value"],
            )
            .exclude(supplier=supplier)
            .select_related("supplier")
            .first()
        )
        if clash:
            raise ValidationError(
                {
                    "identifiers": f"{item['scheme'].upper()} {item['value']} already belongs to "
                    f"{clash.supplier.legal_name}."
                }
            )
    supplier.identifiers.all().delete()
    SupplierIdentifier.objects.bulk_create(
        SupplierIdentifier(organization_id=supplier.organization_id, supplier=supplier, **item)
        for item in wanted
    )
    audit_record(
        action="supplier.identifiers_changed",
        actor=actor,
        organization=supplier.organization_id,
        obj=supplier,
        before=before,
        after=wanted,
    )


# --- facilities --------------------------------------------------------------------------


def facility_save(
    *, organization: Any, actor: Any, data: dict[str, Any], facility: Facility | None = None
) -> Facility:
    org_id = getattr(organization, "pk", organization)
    data = clean(FACILITY, data)
    before = snapshot(facility) if facility else None
    operator_before = facility.supplier_id if facility else None
    facility = facility or Facility(organization_id=org_id)
    workers_before = facility.total_workers
    _apply(facility, data, FACILITY_FIELDS)
    if "total_workers" in data and facility.total_workers != workers_before:
        facility.total_workers_max = None  # a number typed in replaces a range ("500+")
    facility.country = _check_country(org_id, facility.country)
    _same_org(facility.supplier, org_id, "supplier")
    unknown = [a for a in facility.activities if a not in Facility.ACTIVITIES]
    if unknown:
        raise ValidationError({"activities": f"Unknown activities: {', '.join(unknown)}."})
    if (
        facility.total_workers is not None
        and facility.migrant_workers is not None
        and facility.migrant_workers > (facility.total_workers_max or facility.total_workers)
    ):
        raise ValidationError({"migrant_workers": "More migrant workers than workers in total."})
    derive_facility(facility)
    if facility.ref:
        _refuse_duplicate(facility, "ref", f"A worksite with ref {facility.ref!r}")
    if facility.os_id:
        _refuse_duplicate(facility, "os_id", f"A worksite with OS ID {facility.os_id}")
    _save_with_audit(
        facility,
        actor=actor,
        action="facility.created" if before is None else "facility.updated",
        before=before,
        exclude=["organization", "supplier", "normalized_name"],
    )
    recompute.supply_changed(
        org_id,
        [NodeKey.facility(facility.pk)],
        actor=actor,
        names_changed=True,
        links_changed=operator_before != facility.supplier_id,  # tiers follow operators
    )
    return facility


# --- materials and products --------------------------------------------------------------


def material_save(
    *, organization: Any, actor: Any, data: dict[str, Any], material: Material | None = None
) -> Material:
    org_id = getattr(organization, "pk", organization)
    data = clean(MATERIAL, data)
    before = snapshot(material) if material else None
    material = material or Material(organization_id=org_id)
    _apply(material, data, MATERIAL_FIELDS)
    material.normalized_name = normalize_name(material.name)
    _refuse_duplicate(material, "normalized_name", f"A material named {material.name!r}")
    _save_with_audit(
        material,
        actor=actor,
        action="material.created" if before is None else "material.updated",
        before=before,
        exclude=["organization", "normalized_name"],
    )
    return material


def product_save(
    *, organization: Any, actor: Any, data: dict[str, Any], product: Product | None = None
) -> Product:
    org_id = getattr(organization, "pk", organization)
    data = clean(PRODUCT, data)
    before = snapshot(product) if product else None
    product = product or Product(organization_id=org_id)
    _apply(product, data, PRODUCT_FIELDS)
    if product.hts_code:
        try:
            product.hts_code = normalize_hts(product.hts_code)
        except HtsError as exc:
            raise ValidationError({"hts_code": f"Expected {exc}."}) from None
    _refuse_duplicate(product, "sku", f"A product with SKU {product.sku!r}")
    _save_with_audit(
        product,
        actor=actor,
        action="product.created" if before is None else "product.updated",
        before=before,
        exclude=["organization"],
    )
    return product


def product_set_inputs(
    *, product: Product, actor: Any, inputs: list[dict[str, Any]]
) -> list[ProductInput]:
    """Replace a product's bill of materials. Each input: material or component, share."""
    before = [_input_dict(i) for i in product.inputs.select_related("material", "component")]
    lines = []
    for item in inputs:
        material, component = item.get("material"), item.get("component")
        if (material is None) == (component is None):
            raise ValidationError({"inputs": "Each input is a material or a component product."})
        _same_org(material, product.organization_id, "inputs")
        _same_org(component, product.organization_id, "inputs")
        if component is not None and (component.pk == product.pk or _uses(component, product.pk)):
            raise ValidationError({"inputs": f"{component.sku} cannot contain {product.sku}."})
        lines.append(
            ProductInput(
                product=product, material=material, component=component, share=item.get("share")
            )
        )
    after = [_input_dict(i) for i in lines]
    if after == before:
        return list(product.inputs.all())
    product.inputs.all().delete()
    ProductInput.objects.bulk_create(lines)
    recompute.supply_changed(product.organization_id, [NodeKey.product(product.pk)], actor=actor)
    audit_record(
        action="product.inputs_changed",
        actor=actor,
        organization=product.organization_id,
        obj=product,
        before=before,
        after=after,
    )
    return lines


def _input_dict(line: ProductInput) -> dict[str, Any]:
    return {
        "material": line.material.name if line.material else None,
        "component": line.component.sku if line.component else None,
        "share": str(line.share) if line.share is not None else None,
    }


def _uses(product: Product, wanted_pk: int, depth: int = 0) -> bool:
    if depth > 20:
        return True
    for line in product.inputs.filter(component__isnull=False).select_related("component"):
        if line.component is None:
            continue
        if line.component_id == wanted_pk or _uses(line.component, wanted_pk, depth + 1):
            return True
    return False


# --- links -------------------------------------------------------------------------------


def link_save(
    *, organization: Any, actor: Any, data: dict[str, Any], link: SupplyLink | None = None
) -> SupplyLink:
    org_id = getattr(organization, "pk", organization)
    data = clean(LINK, data)
    before = snapshot(link) if link else None
    link = link or SupplyLink(organization_id=org_id)
    _apply(link, data, LINK_FIELDS)
    for field in (
        "source_facility",
        "source_supplier",
        "target_facility",
        "target_supplier",
        "product",
        "material",
    ):
        _same_org(getattr(link, field), org_id, field)
    sources = sum(
        [
            link.source_facility_id is not None,
            link.source_supplier_id is not None,
            bool(link.source_unknown),
        ]
    )
    targets = sum(
        [
            link.target_facility_id is not None,
            link.target_supplier_id is not None,
            bool(link.target_importer),
        ]
    )
    if sources != 1:
        raise ValidationError(
            {"source": "Give exactly one source: a facility, a supplier, or 'origin unknown'."}
        )
    if targets != 1:
        raise ValidationError(
            {"target": "Give exactly one target: a facility, a supplier, or the importer."}
        )
    if (link.product_id is None) == (link.material_id is None):
        raise ValidationError({"item": "A link carries a product or a material."})
    if link.valid_from and link.valid_to and link.valid_to < link.valid_from:
        raise ValidationError({"valid_to": "Ends before it starts."})
    _save_with_audit(
        link,
        actor=actor,
        action="link.created" if before is None else "link.updated",
        before=before,
        exclude=[
            "organization",
            "source_facility",
            "source_supplier",
            "target_facility",
            "target_supplier",
            "product",
            "material",
        ],
    )
    recompute.supply_changed(org_id, _link_nodes(link), actor=actor, links_changed=True)
    return link


def _link_nodes(link: SupplyLink) -> list[NodeKey]:
    """The nodes whose score a link can change: what it arrives at."""
    if link.target_importer:
        return [NodeKey.product(link.product_id)] if link.product_id else []
    if link.target_facility_id:
        return [NodeKey.facility(link.target_facility_id)]
    return [NodeKey.supplier(link.target_supplier_id)] if link.target_supplier_id else []


def link_delete(*, link: SupplyLink, actor: Any) -> None:
    before = snapshot(link)
    nodes = _link_nodes(link)
    link_id, org_id, text = link.pk, link.organization_id, str(link)
    link.delete()
    recompute.supply_changed(org_id, nodes, actor=actor, links_changed=True)
    audit_record(
        action="link.deleted",
        actor=actor,
        organization=org_id,
        object_type="suppliers.supplylink",
        object_id=link_id,
        object_repr=text,
        before=before,
    )
