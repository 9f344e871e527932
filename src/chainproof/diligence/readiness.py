"""Rebuttal readiness of a product (every record upstream of it), a supplier (with its
worksites) or a worksite: the stored facts gathered for ``domain.evidence.readiness``."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from chainproof.domain.evidence.readiness import Evidence, Readiness, Record, assess
from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.evidence.models import DocumentLink, DocumentVersion
from chainproof.suppliers.models import Facility, Product, Supplier
from chainproof.suppliers.selectors import product_chain

_TARGET_TYPES: dict[NodeKind, str] = {
    NodeKind.SUPPLIER: str(DocumentLink.Target.SUPPLIER),
    NodeKind.FACILITY: str(DocumentLink.Target.FACILITY),
    NodeKind.PRODUCT: str(DocumentLink.Target.PRODUCT),
}


def _evidence(organization_id: int, keys: list[NodeKey]) -> dict[NodeKey, list[Evidence]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        if key.kind in _TARGET_TYPES:
            wanted[_TARGET_TYPES[key.kind]].add(key.id)
    links = (
        DocumentLink.objects.filter(organization_id=organization_id, document__deleted_at=None)
        .filter(target_type__in=list(wanted))
        .select_related("document")
        .prefetch_related("document__categories")
    )
    latest_integrity: dict[int, str] = {}
    for document_id, status in (
        DocumentVersion.objects.filter(document__organization_id=organization_id)
        .order_by("document_id", "number")
        .values_list("document_id", "blob__status")
    ):
        latest_integrity[document_id] = status  # the highest number wins
    kinds = {v: k for k, v in _TARGET_TYPES.items()}
    found: dict[NodeKey, list[Evidence]] = defaultdict(list)
    for link in links:
        if link.target_id not in wanted[link.target_type]:
            continue
        document = link.document
        found[NodeKey(kinds[link.target_type], link.target_id)].append(
            Evidence(
                document_id=document.pk,
                title=document.title,
                categories=tuple(c.code for c in document.categories.all()),
                status=document.status,
                valid_until=document.valid_until,
                integrity=latest_integrity.get(document.pk, "unverified"),
                self_declared=document.record_type == "questionnaire_attachment",
            )
        )
    return found


def _assess(organization_id: int, records: list[Record]) -> Readiness:
    return assess(
        records,
        _evidence(organization_id, [r.key for r in records]),
        today=timezone.localdate(),
        notice_days=settings.EVIDENCE_EXPIRY_NOTICE_DAYS,
    )


def _facility_record(f: Facility, tier: int | None = None) -> Record:
    return Record(NodeKey.facility(f.pk), "facility", f.name, f.country, tier or f.tier)


def _supplier_record(s: Supplier, tier: int | None = None) -> Record:
    return Record(NodeKey.supplier(s.pk), "supplier", s.legal_name, s.country, tier or s.tier)


def product_readiness(product: Product) -> Readiness:
    chain = product_chain(product)
    facility_ids = [k.id for k in chain.depth if k.kind is NodeKind.FACILITY]
    supplier_ids = [k.id for k in chain.depth if k.kind is NodeKind.SUPPLIER]
    facilities = Facility.objects.filter(pk__in=facility_ids).select_related("supplier")
    suppliers = {s.pk: s for s in Supplier.objects.filter(pk__in=supplier_ids)}
    records = [Record(NodeKey.product(product.pk), "product", product.name, "", None)]
    for facility in sorted(facilities, key=lambda f: (chain.depth[NodeKey.facility(f.pk)], f.pk)):
        facility_tier = chain.depth[NodeKey.facility(facility.pk)]
        if facility.supplier is not None and facility.supplier.pk not in suppliers:
            suppliers[facility.supplier.pk] = facility.supplier
        records.append(_facility_record(facility, facility_tier))
    for supplier in sorted(suppliers.values(), key=lambda s: (s.tier or 99, s.pk)):
        tier = chain.depth.get(NodeKey.supplier(supplier.pk))
        records.append(_supplier_record(supplier, tier))
    return _assess(product.organization_id, records)


def supplier_readiness(supplier: Supplier) -> Readiness:
    records = [_supplier_record(supplier)]
    records += [_facility_record(f) for f in supplier.facilities.order_by("pk")]
    return _assess(supplier.organization_id, records)


def facility_readiness(facility: Facility) -> Readiness:
    return _assess(facility.organization_id, [_facility_record(facility)])
