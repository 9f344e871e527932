"""REST endpoints for the supply chain. Reads need the viewer role, writes the analyst role;
every object is fetched through the organization-scoped access helper."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from chainproof.accounts.access import api_member, get_for_member, scoped
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Count, Id, Pages
from chainproof.suppliers import services
from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink
from chainproof.suppliers.selectors import facility_list, product_chain, supplier_list

router = Router(tags=["supply chain"])

# A PATCH field left out of the body; the model field type refuses an explicit null.
_LEFT_OUT: Any = Field(None)


class IdentifierIO(BodyIn):
    scheme: str
    value: str
    label: str = ""


class SupplierOut(Schema):
    id: int
    ref: str
    legal_name: str
    native_name: str
    aliases: list[str]
    country: str
    website: str
    contact_email: str
    parent_id: int | None
    status: str
    owner: str | None  # the username of the member who owns the relationship
    tags: list[str]
    notes: str
    tier: int | None
    identifiers: list[IdentifierIO]
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj: Supplier) -> str | None:
        return obj.owner.get_username() if obj.owner else None

    @staticmethod
    def resolve_identifiers(obj: Supplier) -> list[dict[str, str]]:
        return [
            {"scheme": i.scheme, "value": i.value, "label": i.label} for i in obj.identifiers.all()
        ]


class SupplierIn(BodyIn):
    legal_name: str
    country: str
    ref: str = ""
    native_name: str = ""
    aliases: list[str] = []
    website: str = ""
    contact_email: str = ""
    parent_id: Id | None = None
    status: str = "active"
    owner: str | None = None
    tags: list[str] = []
    notes: str = ""
    identifiers: list[IdentifierIO] | None = None


class SupplierPatch(BodyIn):
    """Only the fields sent change. A field that cannot be empty in the record refuses an
    explicit null (send "" or [] to clear it); ``parent_id`` and ``owner`` take null."""

    legal_name: str = _LEFT_OUT
    country: str = _LEFT_OUT
    ref: str = _LEFT_OUT
    native_name: str = _LEFT_OUT
    aliases: list[str] = _LEFT_OUT
    website: str = _LEFT_OUT
    contact_email: str = _LEFT_OUT
    parent_id: Id | None = None
    status: str = _LEFT_OUT
    owner: str | None = None
    tags: list[str] = _LEFT_OUT
    notes: str = _LEFT_OUT
    identifiers: list[IdentifierIO] = _LEFT_OUT


class SupplierFilters(Schema):
    q: str = ""
    country: str = ""
    tier: str = ""
    status: str = ""
    risk: str = ""
    sort: str = "name"


class FacilityOut(Schema):
    id: int
    ref: str
    os_id: str
    name: str
    native_name: str
    kind: str
    supplier_id: int | None
    address: str
    city: str
    subdivision: str
    postal_code: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    activities: list[str]
    products_made: str
    total_workers: int | None
    workers_shown: str = Field(
        "", description="The number of workers in words: 1,250, 1,001 to 5,000, 500 or more."
    )
    migrant_workers: int | None
    dprk_workers: str
    dprk_worker_count: int | None
    figures_date: date | None
    in_xinjiang: bool
    xinjiang_reason: str
    tier: int | None
    notes: str


class FacilityIn(BodyIn):
    name: str
    country: str
    ref: str = ""
    os_id: str = Field("", max_length=40, description="Open Supply Hub ID, e.g. CN2019303BQ3FZP.")
    native_name: str = ""
    kind: str = "factory"
    supplier_id: Id | None = None
    address: str = ""
    city: str = ""
    subdivision: str = ""
    postal_code: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    activities: list[str] = []
    products_made: str = ""
    total_workers: Count | None = None
    migrant_workers: Count | None = None
    dprk_workers: str = "not_asked"
    dprk_worker_count: Count | None = None
    figures_date: date | None = None
    notes: str = ""


class FacilityFilters(Schema):
    q: str = ""
    country: str = ""
    tier: str = ""
    xinjiang: str = ""
    dprk: str = ""


class MaterialOut(Schema):
    id: int
    name: str
    description: str
    dol_goods: list[str]
    high_scrutiny_sector: str


class MaterialIn(BodyIn):
    name: str
    description: str = ""
    dol_goods: list[str] = []
    high_scrutiny_sector: str = ""


class InputIO(BodyIn):
    material_id: Id | None = None
    component_id: Id | None = None
    share: Decimal | None = None


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    description: str
    hts_code: str
    inputs: list[InputIO]

    @staticmethod
    def resolve_inputs(obj: Product) -> list[dict[str, Any]]:
        return [
            {"material_id": i.material_id, "component_id": i.component_id, "share": i.share}
            for i in obj.inputs.all()
        ]


class ProductIn(BodyIn):
    sku: str
    name: str
    description: str = ""
    hts_code: str = ""
    inputs: list[InputIO] | None = None


class LinkOut(Schema):
    id: int
    source_facility_id: int | None
    source_supplier_id: int | None
    source_unknown: bool
    target_facility_id: int | None
    target_supplier_id: int | None
    target_importer: bool
    product_id: int | None
    material_id: int | None
    valid_from: date | None
    valid_to: date | None
    evidence_refs: str
    notes: str


class LinkIn(BodyIn):
    source_facility_id: Id | None = None
    source_supplier_id: Id | None = None
    source_unknown: bool = False
    target_facility_id: Id | None = None
    target_supplier_id: Id | None = None
    target_importer: bool = False
    product_id: Id | None = None
    material_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    evidence_refs: str = ""
    notes: str = ""


class ChainNodeOut(Schema):
    node: str
    depth: int


class ChainOut(Schema):
    nodes: list[ChainNodeOut]
    edges: list[dict[str, Any]]
    unknown_upstream: list[dict[str, str]]


def _resolve(membership: Membership, data: dict[str, Any], fields: dict[str, Any]) -> None:
    """Turn *_id fields into objects of the member's organization (404 otherwise)."""
    for field, model in fields.items():
        key = f"{field}_id"
        if key in data:
            value = data.pop(key)
            data[field] = get_for_member(membership, model, pk=value) if value else None


# --- suppliers ---------------------------------------------------------------------------


@router.get("/suppliers", response=list[SupplierOut])
@paginate(Pages)
def suppliers(request: HttpRequest, filters: Query[SupplierFilters]) -> Any:
    membership = api_member(request)
    return supplier_list(membership.organization_id, **filters.dict()).prefetch_related(
        "identifiers"
    )


@router.get("/suppliers/{supplier_id}", response=SupplierOut)
def supplier(request: HttpRequest, supplier_id: Id) -> Supplier:
    return get_for_member(api_member(request), Supplier, pk=supplier_id)


@router.post("/suppliers", response={201: SupplierOut})
def supplier_create(request: HttpRequest, payload: SupplierIn) -> Status[Supplier]:
    membership = api_member(request, Role.ANALYST)
    data = payload.dict()
    identifiers = data.pop("identifiers")
    _resolve(membership, data, {"parent": Supplier})
    with transaction.atomic():
        created = services.supplier_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=data,
            identifiers=identifiers,
        )
    return Status(201, created)


@router.patch("/suppliers/{supplier_id}", response=SupplierOut)
def supplier_update(request: HttpRequest, supplier_id: Id, payload: SupplierPatch) -> Supplier:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Supplier, pk=supplier_id)
    data = payload.dict(exclude_unset=True)
    identifiers = data.pop("identifiers", None)
    _resolve(membership, data, {"parent": Supplier})
    with transaction.atomic():
        return services.supplier_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=data,
            supplier=existing,
            identifiers=identifiers,
        )


# --- facilities --------------------------------------------------------------------------


@router.get("/facilities", response=list[FacilityOut])
@paginate(Pages)
def facilities(request: HttpRequest, filters: Query[FacilityFilters]) -> Any:
    return facility_list(api_member(request).organization_id, **filters.dict())


@router.get("/facilities/{facility_id}", response=FacilityOut)
def facility(request: HttpRequest, facility_id: Id) -> Facility:
    return get_for_member(api_member(request), Facility, pk=facility_id)


@router.post("/facilities", response={201: FacilityOut})
def facility_create(request: HttpRequest, payload: FacilityIn) -> Status[Facility]:
    membership = api_member(request, Role.ANALYST)
    data = payload.dict()
    _resolve(membership, data, {"supplier": Supplier})
    with transaction.atomic():
        created = services.facility_save(
            organization=membership.organization_id, actor=membership.user, data=data
        )
    return Status(201, created)


@router.patch("/facilities/{facility_id}", response=FacilityOut)
def facility_update(request: HttpRequest, facility_id: Id, payload: FacilityIn) -> Facility:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Facility, pk=facility_id)
    data = payload.dict(exclude_unset=True)
    _resolve(membership, data, {"supplier": Supplier})
    with transaction.atomic():
        return services.facility_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=data,
            facility=existing,
        )


# --- materials and products --------------------------------------------------------------


@router.get("/materials", response=list[MaterialOut])
@paginate(Pages)
def materials(request: HttpRequest) -> Any:
    return scoped(api_member(request), Material)


@router.post("/materials", response={201: MaterialOut})
def material_create(request: HttpRequest, payload: MaterialIn) -> Status[Material]:
    membership = api_member(request, Role.ANALYST)
    with transaction.atomic():
        created = services.material_save(
            organization=membership.organization_id, actor=membership.user, data=payload.dict()
        )
    return Status(201, created)


@router.patch("/materials/{material_id}", response=MaterialOut)
def material_update(request: HttpRequest, material_id: Id, payload: MaterialIn) -> Material:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Material, pk=material_id)
    with transaction.atomic():
        return services.material_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=payload.dict(exclude_unset=True),
            material=existing,
        )


@router.get("/products", response=list[ProductOut])
@paginate(Pages)
def products(request: HttpRequest, q: str = "") -> Any:
    qs = scoped(api_member(request), Product).prefetch_related("inputs")
    return qs.filter(name__icontains=q) | qs.filter(sku__icontains=q) if q else qs


@router.get("/products/{product_id}", response=ProductOut)
def product(request: HttpRequest, product_id: Id) -> Product:
    return get_for_member(api_member(request), Product, pk=product_id)


def _save_product(membership: Membership, payload: ProductIn, existing: Product | None) -> Product:
    data = payload.dict(exclude_unset=existing is not None)
    inputs = data.pop("inputs", None)
    with transaction.atomic():
        saved = services.product_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=data,
            product=existing,
        )
        if inputs is not None:
            lines = []
            for item in inputs:
                line = dict(item)
                _resolve(membership, line, {"material": Material, "component": Product})
                lines.append(line)
            services.product_set_inputs(product=saved, actor=membership.user, inputs=lines)
    return saved


@router.post("/products", response={201: ProductOut})
def product_create(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    return Status(201, _save_product(api_member(request, Role.ANALYST), payload, None))


@router.patch("/products/{product_id}", response=ProductOut)
def product_update(request: HttpRequest, product_id: Id, payload: ProductIn) -> Product:
    membership = api_member(request, Role.ANALYST)
    return _save_product(membership, payload, get_for_member(membership, Product, pk=product_id))


@router.get(
    "/products/{product_id}/chain",
    response=ChainOut,
    summary="A product's upstream map, tier by tier, with unknown-origin gaps",
)
def product_chain_view(request: HttpRequest, product_id: Id) -> dict[str, Any]:
    chain = product_chain(get_for_member(api_member(request), Product, pk=product_id))
    return {
        "nodes": [
            {"node": str(n), "depth": d}
            for n, d in sorted(chain.depth.items(), key=lambda x: (x[1], x[0]))
        ],
        "edges": [
            {
                "source": str(e.source),
                "target": str(e.target),
                "item": str(e.item),
                "link_id": e.ref,
            }
            for e in chain.edges
        ],
        "unknown_upstream": [
            {"into": str(node) if node else "", "item": str(item)} for node, item in chain.gaps
        ],
    }


# --- links -------------------------------------------------------------------------------


_LINK_REFS = {
    "source_facility": Facility,
    "source_supplier": Supplier,
    "target_facility": Facility,
    "target_supplier": Supplier,
    "product": Product,
    "material": Material,
}


@router.get("/links", response=list[LinkOut])
@paginate(Pages)
def links(request: HttpRequest, facility_id: Id | None = None) -> Any:
    qs = scoped(api_member(request), SupplyLink)
    if facility_id is not None:
        qs = qs.filter(source_facility_id=facility_id) | qs.filter(target_facility_id=facility_id)
    return qs


@router.get("/links/{link_id}", response=LinkOut)
def link(request: HttpRequest, link_id: Id) -> SupplyLink:
    return get_for_member(api_member(request), SupplyLink, pk=link_id)


@router.patch("/links/{link_id}", response=LinkOut)
def link_update(request: HttpRequest, link_id: Id, payload: LinkIn) -> SupplyLink:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, SupplyLink, pk=link_id)
    data = payload.dict(exclude_unset=True)
    _resolve(membership, data, _LINK_REFS)
    with transaction.atomic():
        saved = services.link_save(
            organization=membership.organization_id, actor=membership.user, data=data, link=existing
        )
    return saved


@router.post("/links", response={201: LinkOut})
def link_create(request: HttpRequest, payload: LinkIn) -> Status[SupplyLink]:
    membership = api_member(request, Role.ANALYST)
    data = payload.dict()
    _resolve(membership, data, _LINK_REFS)
    with transaction.atomic():
        created = services.link_save(
            organization=membership.organization_id, actor=membership.user, data=data
        )
    return Status(201, created)


@router.delete("/links/{link_id}", response={204: None})
def link_remove(request: HttpRequest, link_id: Id) -> Status[None]:
    membership = api_member(request, Role.ANALYST)
    link = get_for_member(membership, SupplyLink, pk=link_id)
    with transaction.atomic():
        services.link_delete(link=link, actor=membership.user)
    return Status(204, None)
