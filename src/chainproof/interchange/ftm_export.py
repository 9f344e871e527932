"""An organization's supply chain as FollowTheMoney entities, one JSON object a line
(``.ftm.json``), for OpenSanctions tooling (nomenklatura, yente) and Aleph.

Every entity is built through the library (``model.make_entity``) and checked with its own
validation (``ftm_schema.checked``) before it is written; an entity the library refuses
stops the export with its id. Ids are readable and stable:
``chainproof-<organization slug>-<kind>-<record id>``. The mapping is in ``ftm_schema``
and in ``docs/interchange.md``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from chainproof.interchange.ftm_schema import (
    IMPORTER,
    OPERATOR_ROLE,
    OSH_URL,
    PARENT_ROLE,
    SCHEME_PROPERTIES,
    SUPPLY_ROLE,
    UNKNOWN_ORIGIN,
    WORKSITE,
    checked,
    entity_id,
    id_prefix,
    item_summary,
)
from chainproof.suppliers.models import Facility, Supplier, SupplierIdentifier, SupplyLink

CHUNK = 1000


@dataclass(frozen=True)
class _Ids:
    prefix: str

    def supplier(self, pk: int) -> str:
        return entity_id(self.prefix, "supplier", pk)

    def worksite(self, pk: int) -> str:
        return entity_id(self.prefix, "worksite", pk)

    @property
    def importer(self) -> str:
        return f"{self.prefix}-importer"

    @property
    def unknown(self) -> str:
        return f"{self.prefix}-unknown-origin"


def _entity(schema: str, entity_id_: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id_
    return proxy


def _put(proxy: EntityProxy, prop: str, values: Any) -> None:
    """Add values, each cleaned by the property's type; a value the type cannot read
    (an e-mail address without @) is left out rather than written wrongly."""
    items = values if isinstance(values, list | tuple) else [values]
    for value in items:
        if value in (None, ""):
            continue
        proxy.add(prop, str(value), quiet=True)


def _names(proxy: EntityProxy, name: str, native: str, aliases: list[str]) -> None:
    _put(proxy, "name", name)
    if native and native != name:
        _put(proxy, "name", native)  # a second name: the name in the local script
    _put(proxy, "alias", [a for a in aliases if a not in (name, native)])


def organization_entities(organization: Any) -> Iterator[dict[str, Any]]:
    """Every entity of the organization's supply chain, as validated JSON dicts."""
    org_id = organization.pk
    ids = _Ids(id_prefix(organization.slug))
    importer = _entity("Company", ids.importer)
    _put(importer, "name", organization.name)
    _put(importer, "keywords", IMPORTER)
    _put(importer, "summary", "The importer whose supply chain this is.")
    yield checked(importer)
    yield from _supplier_entities(org_id, ids)
    yield from _worksite_entities(org_id, ids)
    yield from _link_entities(org_id, ids)


def _supplier_entities(org_id: int, ids: _Ids) -> Iterator[dict[str, Any]]:
    identifiers: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for sid, scheme, value in SupplierIdentifier.objects.filter(organization_id=org_id).values_list(
        "supplier_id", "scheme", "value"
    ):
        identifiers[sid].append((scheme, value))
    suppliers = Supplier.objects.filter(organization_id=org_id).order_by("pk")
    for s in suppliers.iterator(chunk_size=CHUNK):
        company = _entity("Company", ids.supplier(s.pk))
        _names(company, s.legal_name, s.native_name, s.aliases or [])
        _put(company, "country", s.country)
        _put(company, "website", s.website)
        _put(company, "email", s.contact_email)
        _put(company, "keywords", s.tags or [])
        _put(company, "notes", s.notes)
        if s.status == Supplier.Status.INACTIVE:
            _put(company, "status", "inactive")
        for scheme, value in sorted(identifiers.get(s.pk, [])):
            _put(company, SCHEME_PROPERTIES[scheme], value)
        yield checked(company)
        if s.parent_id:
            ownership = _entity("Ownership", entity_id(ids.prefix, "parent", s.pk))
            _put(ownership, "owner", ids.supplier(s.parent_id))
            _put(ownership, "asset", ids.supplier(s.pk))
            _put(ownership, "role", PARENT_ROLE)
            yield checked(ownership)


def _worksite_entities(org_id: int, ids: _Ids) -> Iterator[dict[str, Any]]:
    kinds = dict(Facility.Kind.choices)
    facilities = Facility.objects.filter(organization_id=org_id).order_by("pk")
    for f in facilities.iterator(chunk_size=CHUNK):
        site = _entity("Company", ids.worksite(f.pk))
        _names(site, f.name, f.native_name, [])
        _put(site, "keywords", WORKSITE)
        _put(site, "classification", kinds.get(f.kind, f.kind))
        _put(site, "sector", [a.capitalize() for a in f.activities or []])
        _put(site, "country", f.country)
        _put(site, "description", f.products_made)
        _put(site, "notes", f.notes)
        if f.os_id:
            _put(site, "sourceUrl", OSH_URL + f.os_id)
        place = _address(f, entity_id(ids.prefix, "address", f.pk))
        if place is not None:
            _put(site, "address", place.first("full"))
            site.add("addressEntity", place.id)
            yield checked(place)
        yield checked(site)
        if f.supplier_id:
            control = _entity("Control", entity_id(ids.prefix, "operator", f.pk))
            _put(control, "controller", ids.supplier(f.supplier_id))
            _put(control, "controlled", site.id)
            _put(control, "role", OPERATOR_ROLE)
            _put(control, "controlType", "operates the worksite")
            yield checked(control)


def _address(f: Facility, address_id: str) -> EntityProxy | None:
    parts = [f.address.replace("\n", ", "), f.city, f.subdivision, f.postal_code]
    full = ", ".join(p.strip() for p in parts if p and p.strip())
    if not full and f.latitude is None:
        return None
    place = _entity("Address", address_id)
    _put(place, "full", full or f"{f.name}, {f.country}")
    _put(place, "street", f.address)
    _put(place, "city", f.city)
    _put(place, "region", f.subdivision)
    _put(place, "postalCode", f.postal_code)
    _put(place, "country", f.country)
    for prop, value in (("latitude", f.latitude), ("longitude", f.longitude)):
        if value is not None:  # as stored: cleaning would round to two decimals
            place.add(prop, str(value), cleaned=True)
    return place


def _link_entities(org_id: int, ids: _Ids) -> Iterator[dict[str, Any]]:
    links = (
        SupplyLink.objects.filter(organization_id=org_id)
        .select_related("product", "material")
        .order_by("pk")
    )
    unknown_written = False
    for link in links.iterator(chunk_size=CHUNK):
        if link.source_unknown and not unknown_written:
            unknown = _entity("LegalEntity", ids.unknown)
            _put(unknown, "name", "Unknown origin")
            _put(unknown, "keywords", UNKNOWN_ORIGIN)
            _put(unknown, "summary", "Inputs whose origin is not known.")
            unknown_written = True
            yield checked(unknown)
        edge = _entity("UnknownLink", entity_id(ids.prefix, "link", link.pk))
        if link.source_unknown:
            _put(edge, "subject", ids.unknown)
        elif link.source_facility_id:
            _put(edge, "subject", ids.worksite(link.source_facility_id))
        else:
            _put(edge, "subject", ids.supplier(link.source_supplier_id))  # type: ignore[arg-type]
        if link.target_importer:
            _put(edge, "object", ids.importer)
        elif link.target_facility_id:
            _put(edge, "object", ids.worksite(link.target_facility_id))
        else:
            _put(edge, "object", ids.supplier(link.target_supplier_id))  # type: ignore[arg-type]
        _put(edge, "role", SUPPLY_ROLE)
        if link.product is not None:
            _put(edge, "summary", item_summary(sku=link.product.sku, name=link.product.name))
        elif link.material is not None:
            _put(edge, "summary", item_summary(name=link.material.name))
        _put(edge, "startDate", link.valid_from)
        _put(edge, "endDate", link.valid_to)
        _put(edge, "recordId", [r.strip() for r in link.evidence_refs.splitlines() if r.strip()])
        _put(edge, "description", link.notes)
        yield checked(edge)


def ftm_lines(organization: Any) -> Iterator[bytes]:
    """The export as lines of UTF-8 JSON, for streaming."""
    for data in organization_entities(organization):
        yield (json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def ftm_file_name(organization: Any) -> str:
    return f"{organization.slug}-supply-chain.ftm.json"
