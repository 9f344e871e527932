"""Figures about the supply chain as it stood at the end of the period: suppliers,
worksites and products on record, by country and tier; the goods at risk; where the risk
is highest and why."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import QuerySet
from django.utils import timezone

from chainproof.risk import selectors as risk
from chainproof.statements.figures import (
    Figure,
    Period,
    computes,
    country,
    listing,
    plural,
    table,
    url,
)
from chainproof.suppliers.models import Material, Product
from chainproof.suppliers.selectors import facility_list, supplier_list

TOP_COUNTRIES = 3
RISK_ROWS = 15
REASON_CHARS = 240
LEVEL_WORDS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
NODE_WORDS = {"supplier": "Supplier", "facility": "Worksite", "product": "Product"}


def period_end_moment(period: Period) -> dt.datetime:
    """The first moment after the period (records created before it were on record)."""
    after = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(after)


def _by_end(queryset: QuerySet, period: Period) -> QuerySet:  # type: ignore[type-arg]
    return queryset.filter(created_at__lt=period_end_moment(period))


def _tier_words(tier: int | None) -> str:
    if tier is None:
        return "Not yet linked to the chain"
    return "Tier 4 and beyond" if tier >= 4 else f"Tier {tier}"


@computes("structure")
def structure(period: Period) -> Figure:
    org = period.organization_id
    suppliers = _by_end(supplier_list(org), period)
    sites = _by_end(facility_list(org), period)
    products = _by_end(Product.objects.filter(organization_id=org), period)
    n_suppliers, n_sites, n_products = suppliers.count(), sites.count(), products.count()
    countries = {c for c in sites.values_list("country", flat=True) if c}
    tiers = [t for t in list(sites.values_list("tier", flat=True)) if t is not None]
    deepest = max(tiers, default=None)
    direct = suppliers.filter(tier=1).count()
    rows = [
        ("Suppliers", f"{n_suppliers:,}"),
        ("of which direct suppliers (tier 1)", f"{direct:,}"),
        ("Worksites", f"{n_sites:,}"),
        ("Countries of the worksites", f"{len(countries):,}"),
        ("Products", f"{n_products:,}"),
        ("Deepest tier mapped", f"Tier {deepest}" if deepest else "None mapped"),
    ]
    links = (
        url("suppliers:index"),
        url("suppliers:index", tier=1),
        url("suppliers:facilities"),
        url("suppliers:facilities"),
        url("suppliers:products"),
        url("suppliers:facilities", sort="-tier"),
    )
    if n_suppliers or n_sites:
        sentence = (
            f"At the end of the period our records held {plural(n_suppliers, 'supplier')} "
            f"({direct:,} direct), {plural(n_sites, 'worksite')} in "
            f"{plural(len(countries), 'country', 'countries')} and "
            f"{plural(n_products, 'product')}"
            + (f", mapped to tier {deepest} of the supply chain." if deepest else ".")
        )
    else:
        sentence = "No suppliers or worksites were on record at the end of the period."
    return Figure(
        key="structure",
        title="Our supply chain on record",
        sentence=sentence,
        table=table("Records at the end of the period", ("Records", "Number"), rows),
        row_links=links,
        links=(("Suppliers", url("suppliers:index")), ("Worksites", url("suppliers:facilities"))),
        value=n_suppliers,
    )


def _by_country(codes: list[str]) -> list[tuple[str, int]]:
    counts = Counter(code or "" for code in codes)
    return sorted(counts.items(), key=lambda item: (-item[1], country(item[0])))


@computes("suppliers_by_country")
def suppliers_by_country(period: Period) -> Figure:
    org = period.organization_id
    direct = _by_end(supplier_list(org, tier="1"), period)
    counted = _by_country(list(direct.values_list("country", flat=True)))
    total = sum(n for _, n in counted)
    top = [f"{country(code)} ({n})" for code, n in counted[:TOP_COUNTRIES]]
    if total:
        sentence = (
            f"We buy from {plural(total, 'direct supplier')} in "
            f"{plural(len(counted), 'country', 'countries')}"
            + (f"; most are in {listing(top)}." if len(counted) > 1 else f", in {top[0]}.")
        )
    else:
        sentence = "No direct suppliers were on record at the end of the period."
    return Figure(
        key="suppliers_by_country",
        title="Direct suppliers by country",
        sentence=sentence,
        table=table(
            "Direct suppliers (tier 1) by country",
            ("Country", "Direct suppliers"),
            [(country(code), f"{n:,}") for code, n in counted],
        ),
        row_links=tuple(url("suppliers:index", tier=1, country=code) for code, _ in counted),
        links=(("Direct suppliers", url("suppliers:index", tier=1)),),
        value=total,
    )


@computes("worksites_by_country")
def worksites_by_country(period: Period) -> Figure:
    sites = _by_end(facility_list(period.organization_id), period)
    counted = _by_country(list(sites.values_list("country", flat=True)))
    total = sum(n for _, n in counted)
    top = [f"{country(code)} ({n})" for code, n in counted[:TOP_COUNTRIES]]
    sentence = (
        f"The goods we buy are made at {plural(total, 'worksite')} we know of, in "
        f"{plural(len(counted), 'country', 'countries')}: chiefly {listing(top)}."
        if total
        else "No worksites were on record at the end of the period."
    )
    return Figure(
        key="worksites_by_country",
        title="Worksites by country",
        sentence=sentence,
        table=table(
            "Worksites by country",
            ("Country", "Worksites"),
            [(country(c), f"{n:,}") for c, n in counted],
        ),
        row_links=tuple(url("suppliers:facilities", country=code) for code, _ in counted),
        links=(("Worksites", url("suppliers:facilities")),),
        value=total,
    )


@computes("worksites_by_tier")
def worksites_by_tier(period: Period) -> Figure:
    sites = _by_end(facility_list(period.organization_id), period)
    counts: Counter[int | None] = Counter(
        None if t is None else min(t, 4) for t in sites.values_list("tier", flat=True)
    )
    order = sorted(counts, key=lambda t: 99 if t is None else t)
    beyond = sum(n for t, n in counts.items() if t is not None and t >= 2)
    total = sum(counts.values())
    sentence = (
        f"Of {plural(total, 'worksite')}, {counts.get(1, 0):,} supply us directly and "
        f"{beyond:,} sit further up the chain (tier 2 and beyond)."
        if total
        else "No worksites were on record, so no tiers were mapped."
    )
    return Figure(
        key="worksites_by_tier",
        title="Worksites by tier",
        sentence=sentence,
        table=table(
            "Worksites by tier of the supply chain",
            ("Tier", "Worksites"),
            [(_tier_words(t), f"{counts[t]:,}") for t in order],
        ),
        row_links=tuple(
            url("suppliers:facilities", tier="none" if t is None else t) for t in order
        ),
        links=(("Worksites", url("suppliers:facilities")),),
        value=total,
    )


@computes("high_risk_goods")
def high_risk_goods(period: Period) -> Figure:
    org = period.organization_id
    materials = _by_end(Material.objects.filter(organization_id=org), period)
    goods: Counter[str] = Counter()
    for listed in materials.values_list("dol_goods", flat=True):
        for good in listed or []:
            goods[str(good)] += 1
    rows = [(good, "Material on the List of Goods", f"{n:,}") for good, n in sorted(goods.items())]
    links = [url("suppliers:materials") for _ in rows]
    presumption = {}
    for status, words in (("applies", "a presumption applies"), ("may_apply", "may apply")):
        found = risk.register(
            org, node_type="product", presumption=risk.ANY_PRESUMPTION, status=status
        ).count()
        presumption[status] = found
        rows.append((f"Products where {words}", "Import presumption", f"{found:,}"))
        links.append(
            url(
                "risk:register",
                node_type="product",
                presumption=risk.ANY_PRESUMPTION,
                status=status,
            )
        )
    listed = sorted(goods)
    sentence = (
        f"Our materials include {plural(len(listed), 'good')} that the U.S. Department of "
        f"Labor lists as produced with forced or child labour in some countries "
        f"({listing(listed[:6])}); for {plural(presumption['applies'], 'product')} a U.S. import "
        f"presumption applies and for {presumption['may_apply']:,} more it may apply."
        if listed
        else "None of our materials is a good on the Department of Labor's List of Goods; "
        f"for {plural(presumption['applies'], 'product')} a U.S. import presumption applies."
    )
    return Figure(
        key="high_risk_goods",
        title="Goods at risk",
        sentence=sentence,
        table=table("Goods at risk", ("Good or products", "Why", "Number"), rows),
        row_links=tuple(links),
        links=(
            ("Materials", url("suppliers:materials")),
            ("Risk register", url("risk:register", node_type="product")),
        ),
        value=len(listed),
    )


def _reason(reasons: list[object]) -> str:
    texts = []
    for reason in reasons or []:
        if isinstance(reason, dict):
            evidence = str(reason.get("evidence") or "").strip()
            points = reason.get("points")
            if evidence:
                texts.append((float(points or 0), evidence))
    texts.sort(key=lambda item: -item[0])
    joined = "; ".join(text for _, text in texts[:2]) or "No reason recorded"
    return joined if len(joined) <= REASON_CHARS else joined[: REASON_CHARS - 1] + "…"


@computes("risk_highest")
def risk_highest(period: Period) -> Figure:
    org = period.organization_id
    counts = risk.level_counts(org)
    top = list(risk.register(org, level="critical")[:RISK_ROWS]) + list(
        risk.register(org, level="high")[:RISK_ROWS]
    )
    top = top[:RISK_ROWS]
    rows = [
        (
            a.node_name,
            NODE_WORDS.get(a.node_type, a.node_type),
            country(a.country) if a.country else "",
            LEVEL_WORDS.get(a.level, a.level),
            _reason(a.reasons),
        )
        for a in top
    ]
    critical, high = counts.get("critical", 0), counts.get("high", 0)
    countries = Counter(country(a.country) for a in top if a.country)
    where = [name for name, _ in countries.most_common(TOP_COUNTRIES)]
    if critical or high:
        sentence = (
            f"Our risk assessment puts {plural(critical, 'record')} at critical and "
            f"{high:,} at high risk of forced labour"
            + (f", chiefly in {listing(where)}" if where else "")
            + ". The reasons are shown for each."
        )
    else:
        sentence = "No supplier, worksite or product is assessed at high or critical risk."
    return Figure(
        key="risk_highest",
        title="Where the risk is highest, and why",
        sentence=sentence,
        table=table(
            "Records at critical and high risk (the current assessment)",
            ("Record", "Kind", "Country", "Risk", "Why"),
            rows,
        ),
        row_links=tuple(url("risk:node", a.node_type, a.node_id) for a in top),
        links=(
            ("Critical", url("risk:register", level="critical")),
            ("High", url("risk:register", level="high")),
        ),
        value=critical + high,
    )
