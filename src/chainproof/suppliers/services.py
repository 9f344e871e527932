"""Writes to the supply chain. Every function runs inside the caller's transaction and
writes its audit event; validation errors are Django ValidationErrors naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.domain.geo import xinjiang_match
from chainproof.domain.graph import IMPORTER, TierResult, compute_tiers
from chainproof.domain.hts import HtsError, normalize_hts
from chainproof.domain.names import normalize_name
from chainproof.jobs.services import job_enqueue
from chainproof.reference.selectors import known_country_codes
from chainproof.suppliers.models import (
    Facility,
    Material,
    Product,
    ProductInput,
    Supplier,
    SupplierIdentifier,
    SupplyLink,
)

SUPPLIER_FIELDS = (
    "ref",
    "legal_name",
    "native_name",
    "aliases",
    "country",
    "website",
    "contact_email",
    "parent",
    "status",
    "owner",
    "tags",
    "notes",
)
FACILITY_FIELDS = (
    "ref",
    "name",
    "native_name",
    "kind",
    "supplier",
    "address",
    "city",
    "subdivision",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "activities",
    "products_made",
    "total_workers",
    "migrant_workers",
    "dprk_workers",
    "dprk_worker_count",
    "figures_date",
    "notes",
)
MATERIAL_FIELDS = ("name", "description", "dol_goods", "high_scrutiny_sector")
PRODUCT_FIELDS = ("sku", "name", "description", "hts_code")
LINK_FIELDS = (
    "source_facility",
    "source_supplier",
    "source_unknown",
    "target_facility",
    "target_supplier",
    "target_importer",
    "product",
    "material",
    "valid_from",
    "valid_to",
    "evidence_refs",
    "notes",
)


def _check_country(organization_id: int, country: str, field: str = "country") -> str:
    code = (country or "").strip().upper()
    if code not in known_country_codes(organization_id):
        raise ValidationError({field: f"Unknown country code {country!r}."})
    return code


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
    for name in fields:
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


def risk_changed(
    organization_id: int, actor: Any, nodes: Iterable[str], *, names_changed: bool = False
) -> None:
    """Queue a re-score of what changed, and a re-screening when names may have changed
    (the risk and screening apps handle these jobs)."""
    wanted = sorted(set(nodes))
    if not wanted:
        return
    job_enqueue(
        kind="risk.rescore",
        organization=organization_id,
        actor=actor,
        params={"nodes": wanted},
        coalesce=True,
    )
    if names_changed:
        job_enqueue(
            kind="screening.screen",
            organization=organization_id,
            actor=actor,
            params={"nodes": wanted},
            coalesce=True,
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
    before = snapshot(supplier) if supplier else None
    supplier = supplier or Supplier(organization_id=org_id)
    _apply(supplier, data, SUPPLIER_FIELDS)
    supplier.country = _check_country(org_id, supplier.country)
    _same_org(supplier.parent, org_id, "parent")
    if supplier.parent_id and supplier.pk and _creates_parent_cycle(supplier):
        raise ValidationError({"parent": "A supplier cannot be its own (grand)parent."})
    derive_supplier(supplier)
    _save_with_audit(
        supplier,
        actor=actor,
        action="supplier.created" if before is None else "supplier.updated",
        before=before,
        exclude=["organization", "owner", "parent", "normalized_name"],
    )
    if identifiers is not None:
        supplier_set_identifiers(supplier=supplier, actor=actor, identifiers=identifiers)
    risk_changed(org_id, actor, [f"s:{supplier.pk}"], names_changed=True)
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
    wanted = [
        {"scheme": i["scheme"], "value": i["value"].strip(), "label": i.get("label", "")}
        for i in identifiers
        if i.get("value", "").strip()
    ]
    if sorted(before, key=str) == sorted(wanted, key=str):
        return
    for item in wanted:
        if item["scheme"] not in SupplierIdentifier.Scheme.values:
            raise ValidationError({"identifiers": f"Unknown identifier scheme {item['scheme']!r}."})
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
    before = snapshot(facility) if facility else None
    facility = facility or Facility(organization_id=org_id)
    _apply(facility, data, FACILITY_FIELDS)
    facility.country = _check_country(org_id, facility.country)
    _same_org(facility.supplier, org_id, "supplier")
    unknown = [a for a in facility.activities if a not in Facility.ACTIVITIES]
    if unknown:
        raise ValidationError({"activities": f"Unknown activities: {', '.join(unknown)}."})
    if (
        facility.total_workers is not None
        and facility.migrant_workers is not None
        and facility.migrant_workers > facility.total_workers
    ):
        raise ValidationError({"migrant_workers": "More migrant workers than workers in total."})
    derive_facility(facility)
    _save_with_audit(
        facility,
        actor=actor,
        action="facility.created" if before is None else "facility.updated",
        before=before,
        exclude=["organization", "supplier", "normalized_name"],
    )
    risk_changed(org_id, actor, [f"f:{facility.pk}"], names_changed=True)
    return facility


# --- materials and products --------------------------------------------------------------


def material_save(
    *, organization: Any, actor: Any, data: dict[str, Any], material: Material | None = None
) -> Material:
    org_id = getattr(organization, "pk", organization)
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
    risk_changed(product.organization_id, actor, [f"p:{product.pk}"])
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
    risk_changed(org_id, actor, _link_nodes(link))
    return link


def _link_nodes(link: SupplyLink) -> list[str]:
    """The nodes whose score a link can change: what it arrives at."""
    if link.target_importer:
        return [f"p:{link.product_id}"] if link.product_id else []
    if link.target_facility_id:
        return [f"f:{link.target_facility_id}"]
    return [f"s:{link.target_supplier_id}"] if link.target_supplier_id else []


def link_delete(*, link: SupplyLink, actor: Any) -> None:
    before = snapshot(link)
    nodes = _link_nodes(link)
    link_id, org_id, text = link.pk, link.organization_id, str(link)
    link.delete()
    risk_changed(org_id, actor, nodes)
    audit_record(
        action="link.deleted",
        actor=actor,
        organization=org_id,
        object_type="suppliers.supplylink",
        object_id=link_id,
        object_repr=text,
        before=before,
    )


# --- tiers -------------------------------------------------------------------------------


def node_of_source(link: SupplyLink) -> str | None:
    if link.source_facility_id:
        return f"f:{link.source_facility_id}"
    if link.source_supplier_id:
        return f"s:{link.source_supplier_id}"
    return None


def node_of_target(link: SupplyLink) -> str:
    if link.target_importer:
        return IMPORTER
    if link.target_facility_id:
        return f"f:{link.target_facility_id}"
    return f"s:{link.target_supplier_id}"


def active_links(organization_id: int, on: date | None = None) -> models.QuerySet[SupplyLink]:
    on = on or timezone.localdate()
    return in_force(SupplyLink.objects.filter(organization_id=organization_id), on)


def in_force(links: models.QuerySet[SupplyLink], on: date) -> models.QuerySet[SupplyLink]:
    """Links valid on a date (open-ended dates count as valid)."""
    return links.filter(
        models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on),
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on),
    )


def links_touching(
    organization_id: int, on: date, lookup: str, ids: list[int], *columns: str
) -> list[tuple[Any, ...]]:
    """Values of the links in force whose ``lookup`` column is one of ``ids``.

    Filtered on that column's own index; the organization is checked on each row, because
    with both conditions in SQL, SQLite prefers the organization index and scans the table.
    """
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        queryset = in_force(SupplyLink.objects.filter(**{lookup: ids[start : start + 500]}), on)
        rows += [
            row[1:]
            for row in queryset.values_list("organization_id", *columns)
            if row[0] == organization_id
        ]
    return rows


def graph_tiers(organization_id: int, on: date | None = None) -> TierResult:
    rows = active_links(organization_id, on).values_list(
        "source_facility_id",
        "source_supplier_id",
        "target_importer",
        "target_facility_id",
        "target_supplier_id",
    )
    edges = []
    for src_f, src_s, to_importer, tgt_f, tgt_s in rows.iterator(chunk_size=5000):
        if src_f is None and src_s is None:
            continue  # "unknown upstream" markers have no node
        source = f"f:{src_f}" if src_f is not None else f"s:{src_s}"
        target = IMPORTER if to_importer else (f"f:{tgt_f}" if tgt_f is not None else f"s:{tgt_s}")
        edges.append((source, target))
    operators = {
        f"f:{fid}": f"s:{sid}"
        for fid, sid in Facility.objects.filter(
            organization_id=organization_id, supplier__isnull=False
        )
        .values_list("pk", "supplier_id")
        .iterator(chunk_size=5000)
    }
    return compute_tiers(edges, operators=operators)


def tiers_recompute(*, organization_id: int) -> dict[str, Any]:
    """Recompute and store every supplier's and facility's tier. Derived data: not audited
    (the links it derives from are)."""
    result = graph_tiers(organization_id)
    changed = 0
    for model, prefix in ((Supplier, "s:"), (Facility, "f:")):
        current = dict(
            model.objects.filter(organization_id=organization_id).values_list("pk", "tier")
        )
        updates: dict[int | None, list[int]] = {}
        for pk, tier in current.items():
            new = result.tiers.get(f"{prefix}{pk}")
            if new is not None:
                new = min(new, 32767)
            if new != tier:
                updates.setdefault(new, []).append(pk)
        for tier, pks in updates.items():
            for start in range(0, len(pks), 900):
                model.objects.filter(pk__in=pks[start : start + 900]).update(tier=tier)
            changed += len(pks)
    return {
        "nodes_with_tier": len(result.tiers),
        "changed": changed,
        "cycles": [cycle[:20] for cycle in result.cycles[:50]],
        "cycle_count": len(result.cycles),
    }
