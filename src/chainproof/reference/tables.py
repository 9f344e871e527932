"""How each reference dataset is shown as a table: columns, search fields and filters.

One generic view (views.table) serves every dataset from these declarations, and the
same declarations drive the CSV/XLSX export of what the user is looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from chainproof.reference.models import (
    Country,
    DprkLaborStatement,
    EntityAddress,
    EntityListEntry,
    GoodEntry,
    IloIndicator,
    TipPlacement,
    WroFinding,
)


@dataclass(frozen=True)
class Col:
    label: str
    value: Callable[[Any], Any]
    html: Callable[[Any], str] | None = None
    numeric: bool = False
    export_only: bool = False


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    field: str
    choices: Callable[[QuerySet[Any]], list[tuple[str, str]]] | None = None

    def apply(self, queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
        if self.field.startswith("@"):
            return _SPECIAL_FILTERS[self.field](queryset, value)
        return queryset.filter(**{self.field: value})


@dataclass(frozen=True)
class Table:
    slug: str
    kind: str
    title: str
    model: type[models.Model]
    columns: tuple[Col, ...]
    search: tuple[str, ...]
    filters: tuple[Filter, ...] = ()
    list_code: str = ""

    def rows(self, dataset_id: int) -> QuerySet[Any]:
        qs = self.model._default_manager.filter(dataset_id=dataset_id)
        if self.list_code:
            qs = qs.filter(list_code=self.list_code)
        return qs

    def search_q(self, text: str) -> Q:
        condition = Q()
        for field in self.search:
            condition |= Q(**{f"{field}__icontains": text})
        return condition


def _distinct(field: str) -> Callable[[QuerySet[Any]], list[tuple[str, str]]]:
    def choices(queryset: QuerySet[Any]) -> list[tuple[str, str]]:
        values = queryset.order_by(field).values_list(field, flat=True).distinct()
        return [(str(v), str(v)) for v in values if v not in ("", None)]

    return choices


def _fixed(*pairs: tuple[str, str]) -> Callable[[QuerySet[Any]], list[tuple[str, str]]]:
    return lambda _qs: list(pairs)


def _labor_filter(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    field = {"forced": "forced_labor", "child": "child_labor", "forced_child": "forced_child_labor"}
    return queryset.filter(**{field[value]: True}) if value in field else queryset.none()


def _program_filter(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    return queryset.filter(program_tags__contains=f";{value};")


def _program_choices(queryset: QuerySet[Any]) -> list[tuple[str, str]]:
    tags: set[str] = set()
    for programs in queryset.values_list("programs", flat=True):
        tags.update(programs)
    return [(t, t) for t in sorted(tags)]


_SPECIAL_FILTERS: dict[str, Callable[[QuerySet[Any], str], QuerySet[Any]]] = {
    "@labor": _labor_filter,
    "@program": _program_filter,
}


def tier_badge(code: str, label: str) -> str:
    return format_html('<span class="badge tier-{}">{}</span>', code, label)


def yes_no(value: bool) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', "yes" if value else "no", "yes" if value else "no"
    )


def country_link(iso2: str, label: str) -> str:
    if not iso2:
        return format_html("{}", label)
    return format_html(
        '<a href="{}">{}</a> <span class="muted">{}</span>',
        reverse("reference:country", args=[iso2]),
        label,
        iso2,
    )


def names_list(names: list[str]) -> str:
    if not names:
        return ""
    return format_html(
        '<span class="muted">a.k.a. {}</span>', format_html_join("; ", "{}", ((n,) for n in names))
    )


COUNTRIES = Table(
    slug="countries",
    kind="countries",
    title="Countries",
    model=Country,
    columns=(
        Col("Country", lambda r: r.name, lambda r: country_link(r.alpha2, r.name)),
        Col("Alpha-3", lambda r: r.alpha3),
        Col("Numeric", lambda r: r.numeric),
        Col("Region", lambda r: r.region),
        Col("Sub-region", lambda r: r.sub_region),
        Col("Status", lambda r: r.independence),
        Col("Code", lambda r: r.code_status),
    ),
    search=("name", "official_name", "alpha2", "alpha3"),
    filters=(
        Filter("region", "Region", "region", _distinct("region")),
        Filter("code_status", "Code status", "code_status", _distinct("code_status")),
    ),
)

TIP = Table(
    slug="tip",
    kind="tip_tiers",
    title="TIP tier placements",
    model=TipPlacement,
    columns=(
        Col("Report year", lambda r: r.report_year, numeric=True),
        Col(
            "Country",
            lambda r: r.country_name_source,
            lambda r: country_link(r.iso2, r.country_name_source),
        ),
        Col("Tier", lambda r: r.tier, lambda r: tier_badge(r.tier_code, r.tier)),
        Col("Coverage of that year", lambda r: r.year_coverage),
        Col("Note", lambda r: r.note),
    ),
    search=("country_name_source", "iso2"),
    filters=(
        Filter(
            "year",
            "Report year",
            "report_year",
            lambda qs: [
                (str(y), str(y))
                for y in qs.order_by("-report_year")
                .values_list("report_year", flat=True)
                .distinct()
            ],
        ),
        Filter(
            "tier",
            "Tier",
            "tier_code",
            _fixed(
                ("T1", "Tier 1"), ("T2", "Tier 2"), ("T2WL", "Tier 2 Watch List"), ("T3", "Tier 3")
            ),
        ),
        Filter("country", "Country", "iso2", _distinct("iso2")),
    ),
)

GOODS = Table(
    slug="goods",
    kind="dol_goods",
    title="DOL List of Goods",
    model=GoodEntry,
    columns=(
        Col("Good", lambda r: r.good),
        Col(
            "Country",
            lambda r: r.country_name_source,
            lambda r: country_link(r.iso2, r.country_name_source),
        ),
        Col("Sector", lambda r: r.sector),
        Col("Forced labor", lambda r: r.forced_labor, lambda r: yes_no(r.forced_labor)),
        Col("Child labor", lambda r: r.child_labor, lambda r: yes_no(r.child_labor)),
        Col(
            "Forced child labor",
            lambda r: r.forced_child_labor,
            lambda r: yes_no(r.forced_child_labor),
        ),
        Col(
            "Made from exploited input",
            lambda r: r.input_country_name if r.derived_from_exploited_input else "",
            lambda r: (
                format_html("input from {}", r.input_country_name)
                if r.derived_from_exploited_input
                else ""
            ),
        ),
    ),
    search=("good", "country_name_source", "iso2"),
    filters=(
        Filter(
            "labor",
            "Labor type",
            "@labor",
            _fixed(
                ("forced", "Forced labor"),
                ("child", "Child labor"),
                ("forced_child", "Forced child labor"),
            ),
        ),
        Filter("sector", "Sector", "sector", _distinct("sector")),
        Filter("country", "Country", "iso2", _distinct("iso2")),
        Filter(
            "derived",
            "Exploited input",
            "derived_from_exploited_input",
            _fixed(("True", "Downstream goods only"), ("False", "Direct goods only")),
        ),
    ),
)

WROS = Table(
    slug="wro",
    kind="cbp_wro_findings",
    title="CBP Withhold Release Orders and Findings",
    model=WroFinding,
    columns=(
        Col("Effective", lambda r: r.effective_date),
        Col("Type", lambda r: r.order_type),
        Col(
            "Country",
            lambda r: r.country_name_source,
            lambda r: country_link(r.iso2, r.country_name_source),
        ),
        Col(
            "Entity",
            lambda r: r.entity,
            lambda r: format_html("{}<br>{}", r.entity, names_list(r.aliases)),
        ),
        Col("Aliases", lambda r: r.aliases, export_only=True),
        Col("Merchandise", lambda r: r.merchandise),
        Col("Industry", lambda r: r.industry),
        Col("Status", lambda r: r.status),
    ),
    search=("search_text", "country_name_source"),
    filters=(
        Filter("type", "Type", "order_type", _fixed(("WRO", "WRO"), ("Finding", "Finding"))),
        Filter("status", "Status", "status", _distinct("status")),
        Filter("country", "Country", "iso2", _distinct("iso2")),
        Filter("industry", "Industry", "industry", _distinct("industry")),
    ),
)

UFLPA = Table(
    slug="uflpa",
    kind="uflpa_entity_list",
    title="UFLPA Entity List",
    model=EntityListEntry,
    list_code="uflpa",
    columns=(
        Col(
            "Entity",
            lambda r: r.primary_name,
            lambda r: format_html("{}<br>{}", r.primary_name, names_list(r.aliases)),
        ),
        Col("Aliases", lambda r: r.aliases, export_only=True),
        Col("Section", lambda r: r.section),
        Col("Effective", lambda r: r.effective_date),
        Col("As published", lambda r: r.as_published),
    ),
    search=("search_text",),
    filters=(Filter("section", "Section", "section", _distinct("section")),),
)

OFAC = Table(
    slug="ofac",
    kind="ofac_sdn_dprk",
    title="OFAC SDN: North Korea programs",
    model=EntityListEntry,
    list_code="ofac_sdn_dprk",
    columns=(
        Col("UID", lambda r: r.source_id, numeric=True),
        Col(
            "Name",
            lambda r: r.primary_name,
            lambda r: format_html("{}<br>{}", r.primary_name, names_list(r.aliases)),
        ),
        Col("Aliases", lambda r: r.aliases, export_only=True),
        Col("Type", lambda r: r.entity_type),
        Col("Programs", lambda r: r.programs, lambda r: ", ".join(r.programs)),
    ),
    search=("search_text", "source_id"),
    filters=(
        Filter("type", "Type", "entity_type", _distinct("entity_type")),
        Filter("program", "Program", "@program", _program_choices),
    ),
)

DPRK = Table(
    slug="dprk-labor",
    kind="dprk_overseas_labor",
    title="North Korean overseas labor: host countries",
    model=DprkLaborStatement,
    columns=(
        Col("Host", lambda r: r.host, lambda r: country_link(r.iso2, r.host)),
        Col("Sectors as stated", lambda r: r.sectors),
        Col("Excerpt", lambda r: r.excerpt),
        Col("TIP year", lambda r: r.tip_report_year, numeric=True),
        Col("First seen", lambda r: r.first_seen),
        Col("Last seen", lambda r: r.last_seen),
        Col("Note", lambda r: r.note),
    ),
    search=("host", "sectors", "excerpt", "iso2"),
    filters=(Filter("country", "Country", "iso2", _distinct("iso2")),),
)

ILO = Table(
    slug="ilo",
    kind="ilo_indicators",
    title="ILO indicators of forced labour",
    model=IloIndicator,
    columns=(
        Col("#", lambda r: r.number, numeric=True),
        Col("Indicator", lambda r: r.name),
        Col("Description (paraphrased)", lambda r: r.description),
    ),
    search=("name", "description"),
)

# Additional (partial) editions: the same rows as the kind they complete.
TIP_ADDITIONS = replace(
    TIP,
    slug="tip-additions",
    kind="tip_tiers_additions",
    title="TIP tier placements: additions for single countries",
)

DPRK_ADDITIONS = replace(
    DPRK,
    slug="dprk-labor-additions",
    kind="dprk_overseas_labor_additions",
    title="North Korean overseas labor: more statements",
)

OFAC_ADDRESSES = Table(
    slug="ofac-addresses",
    kind="ofac_sdn_dprk_addresses",
    title="OFAC SDN: North Korea programs, addresses",
    model=EntityAddress,
    columns=(
        Col("UID", lambda r: r.source_id, numeric=True),
        Col("Address", lambda r: r.address),
        Col("City, province, postal code", lambda r: r.city),
        Col(
            "Country",
            lambda r: r.country_name_source,
            lambda r: country_link(r.iso2, r.country_name_source) if r.iso2 else "",
        ),
        Col("Remarks", lambda r: r.remarks),
    ),
    search=("source_id", "address", "city", "country_name_source", "iso2"),
    filters=(Filter("country", "Country", "iso2", _distinct("iso2")),),
)

TABLES: dict[str, Table] = {
    t.slug: t
    for t in (
        COUNTRIES,
        TIP,
        GOODS,
        WROS,
        UFLPA,
        OFAC,
        DPRK,
        ILO,
        TIP_ADDITIONS,
        OFAC_ADDRESSES,
        DPRK_ADDITIONS,
    )
}
TABLE_FOR_KIND: dict[str, Table] = {t.kind: t for t in TABLES.values()}


def table_rows(spec: Table, dataset_id: int, q: str, params: dict[str, str]) -> QuerySet[Any]:
    """The rows of one edition matching a search text and the spec's filters."""
    rows = spec.rows(dataset_id)
    if q:
        rows = rows.filter(spec.search_q(q))
    for flt in spec.filters:
        value = (params.get(flt.param) or "").strip()
        if value:
            rows = flt.apply(rows, value)
    return rows
