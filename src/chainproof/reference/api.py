"""Read endpoints for reference data. Each list takes ?dataset=ID or ?as_of=DATE to pick an
edition (default: the edition in force today), a search text ?q= and the filters shown."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from chainproof.accounts.access import get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import Id, Pages, Year
from chainproof.reference.models import Country, Dataset, TipPlacement
from chainproof.reference.selectors import current_dataset, visible_datasets
from chainproof.reference.tables import TABLES, table_rows

router = Router(tags=["reference data"])


class DatasetOut(Schema):
    id: int
    kind: str
    edition: str
    as_of: date
    source: str
    license: str
    notes: str
    file_name: str
    sha256: str
    row_count: int
    loaded_at: datetime
    public: bool

    @staticmethod
    def resolve_public(obj: Dataset) -> bool:
        return obj.organization_id is None


class Edition(Schema):
    dataset: Id | None = None
    as_of: date | None = None
    q: str = ""


class CountryOut(Schema):
    alpha2: str
    alpha3: str
    numeric: str
    name: str
    official_name: str
    region: str
    sub_region: str
    independence: str
    code_status: str


class TipOut(Schema):
    report_year: int
    iso2: str
    country_name_source: str
    tier: str
    tier_code: str
    year_coverage: str
    note: str


class CountryDetailOut(CountryOut):
    tip_history: list[TipOut]


class GoodOut(Schema):
    good: str
    sector: str
    iso2: str
    country_name_source: str
    child_labor: bool
    forced_labor: bool
    forced_child_labor: bool
    derived_from_exploited_input: bool
    input_country_iso2: str
    input_country_name: str


class WroOut(Schema):
    order_type: str
    effective_date: date
    iso2: str
    country_name_source: str
    status: str
    entity: str
    aliases: list[str]
    industry: str
    merchandise: str
    remarks: str


class EntityOut(Schema):
    list_code: str
    source_id: str
    primary_name: str
    aliases: list[str]
    entity_type: str
    section: str
    effective_date: date | None
    iso2: str
    programs: list[str]


class DprkOut(Schema):
    host: str
    iso2: str
    sectors: str
    excerpt: str
    tip_report_year: int | None
    first_seen: date | None
    last_seen: date | None
    note: str


class IloOut(Schema):
    number: int
    name: str
    description: str


def _member(request: HttpRequest) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    require_role(membership, Role.VIEWER)
    return membership


def _edition(membership: Membership, kind: str, edition: Edition) -> Dataset:
    if edition.dataset is not None:
        return get_for_member(
            membership, Dataset.objects.filter(kind=kind), include_shared=True, pk=edition.dataset
        )
    dataset = current_dataset(kind, membership.organization_id, on=edition.as_of)
    if dataset is None:
        raise Http404(f"No edition of {kind} is in force on {edition.as_of or 'this date'}.")
    return dataset


def _rows(request: HttpRequest, slug: str, edition: Edition, **filters: Any) -> Any:
    membership = _member(request)
    spec = TABLES[slug]
    dataset = _edition(membership, spec.kind, edition)
    params = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    return table_rows(spec, dataset.pk, edition.q.strip(), params)


@router.get("/datasets", response=list[DatasetOut], summary="Loaded dataset editions")
def datasets(request: HttpRequest, kind: str = "") -> Any:
    membership = _member(request)
    qs = visible_datasets(membership.organization_id)
    return qs.filter(kind=kind) if kind else qs


@router.get("/datasets/{dataset_id}", response=DatasetOut, summary="One dataset edition")
def dataset(request: HttpRequest, dataset_id: Id) -> Dataset:
    return get_for_member(_member(request), Dataset, include_shared=True, pk=dataset_id)


@router.get("/countries", response=list[CountryOut])
@paginate(Pages)
def countries(
    request: HttpRequest, edition: Query[Edition], region: str = "", code_status: str = ""
) -> Any:
    return _rows(request, "countries", edition, region=region, code_status=code_status)


@router.get("/countries/{iso2}", response=CountryDetailOut, summary="A country with TIP history")
def country(request: HttpRequest, iso2: str) -> dict[str, Any]:
    membership = _member(request)
    org_id = membership.organization_id
    countries_ds = current_dataset("countries", org_id)
    found = Country.objects.filter(dataset=countries_ds, alpha2=iso2.upper()).first()
    if found is None:
        raise Http404(f"No country with code {iso2!r}.")
    tip_ds = current_dataset("tip_tiers", org_id)
    history = TipPlacement.objects.filter(dataset=tip_ds, iso2=found.alpha2).order_by("report_year")
    return {**CountryOut.from_orm(found).dict(), "tip_history": list(history)}


@router.get("/tip-placements", response=list[TipOut])
@paginate(Pages)
def tip_placements(
    request: HttpRequest,
    edition: Query[Edition],
    country: str = "",
    year: Year | None = None,
    tier: str = "",
) -> Any:
    return _rows(request, "tip", edition, country=country.upper(), year=year, tier=tier)


@router.get("/goods", response=list[GoodOut], summary="DOL List of Goods")
@paginate(Pages)
def goods(
    request: HttpRequest,
    edition: Query[Edition],
    country: str = "",
    labor: str = "",
    sector: str = "",
) -> Any:
    return _rows(request, "goods", edition, country=country.upper(), labor=labor, sector=sector)


@router.get("/wro-findings", response=list[WroOut], summary="CBP WROs and Findings")
@paginate(Pages)
def wro_findings(
    request: HttpRequest,
    edition: Query[Edition],
    country: str = "",
    type: str = "",
    status: str = "",
) -> Any:
    return _rows(request, "wro", edition, country=country.upper(), type=type, status=status)


@router.get("/uflpa-entities", response=list[EntityOut], summary="UFLPA Entity List")
@paginate(Pages)
def uflpa_entities(request: HttpRequest, edition: Query[Edition], section: str = "") -> Any:
    return _rows(request, "uflpa", edition, section=section)


@router.get("/ofac-dprk", response=list[EntityOut], summary="OFAC SDN entries, DPRK programs")
@paginate(Pages)
def ofac_dprk(
    request: HttpRequest, edition: Query[Edition], type: str = "", program: str = ""
) -> Any:
    return _rows(request, "ofac", edition, type=type, program=program)


@router.get("/dprk-labor", response=list[DprkOut], summary="North Korean overseas labor")
@paginate(Pages)
def dprk_labor(request: HttpRequest, edition: Query[Edition], country: str = "") -> Any:
    return _rows(request, "dprk-labor", edition, country=country.upper())


@router.get("/ilo-indicators", response=list[IloOut], summary="ILO forced labour indicators")
@paginate(Pages)
def ilo_indicators(request: HttpRequest, edition: Query[Edition]) -> Any:
    return _rows(request, "ilo", edition)
