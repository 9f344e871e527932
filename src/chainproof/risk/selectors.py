"""Reads of risk assessments: the register, one node's current and past results, the map."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from chainproof.common.paging import PER_PAGE, search_narrowed
from chainproof.risk.models import GoodCount, LevelCount, LevelMonth, RiskAssessment

SORTS = {
    "-score": ("-score", "node_name"),
    "score": ("score", "node_name"),
    "name": ("node_name",),
    "country": ("country", "-score", "node_name"),
}
PRESUMPTION_FIELDS = {
    "caatsa_321b": "caatsa_status",
    "uflpa": "uflpa_status",
    "section_307": "section307_status",
}

ANY_PRESUMPTION = "any"
# A presumption's statuses from the strongest down.
PRESUMPTION_STRENGTH = ("applies", "may_apply", "does_not_apply")


def strongest_presumption(status: str) -> Q:
    """Records whose strongest presumption, over every regime, is ``status`` ("applies":
    at least one applies; "may_apply": one may apply and none applies); any status when
    empty: at least one regime was checked."""
    fields = list(PRESUMPTION_FIELDS.values())
    if status not in PRESUMPTION_STRENGTH:
        return ~Q(**dict.fromkeys(fields, ""))
    found = Q()
    for field in fields:
        found |= Q(**{field: status})
    for stronger in PRESUMPTION_STRENGTH[: PRESUMPTION_STRENGTH.index(status)]:
        for field in fields:
            found &= ~Q(**{field: stronger})
    return found


def register(
    organization_id: int,
    *,
    level: str = "",
    node_type: str = "",
    country: str = "",
    good: str = "",
    presumption: str = "",
    status: str = "",
    q: str = "",
    sort: str = "-score",
) -> QuerySet[RiskAssessment]:
    qs = RiskAssessment.objects.filter(organization_id=organization_id, is_current=True)
    if level:
        qs = qs.filter(level=level)
    if node_type:
        qs = qs.filter(node_type=node_type)
    if country:
        qs = qs.filter(country=country.upper())
    if good:
        qs = qs.filter(goods__icontains=good)
    if presumption in PRESUMPTION_FIELDS:
        field = PRESUMPTION_FIELDS[presumption]
        qs = qs.filter(**{field: status}) if status else qs.exclude(**{field: ""})
    elif presumption == ANY_PRESUMPTION:
        qs = qs.filter(strongest_presumption(status))
    if not q:
        return qs.order_by(*SORTS.get(sort, SORTS["-score"]), "pk")
    # By name: on PostgreSQL through the trigram index risk_current_name_trgm.
    found = qs.filter(node_name__icontains=q)
    if sort != "name":
        return search_narrowed(found.order_by(*SORTS.get(sort, SORTS["-score"]), "pk"))
    # Sorted by name, the rows found are sorted as they are (the order by an expression
    # keeps the database from walking the index by name): walking it from A would look for
    # them row by row, and names that hold the word searched for often sit together (a
    # search for "harbour" read 300,000 rows to reach the H's). When a search finds many
    # rows and a page of them comes early in the list, walking the index finds that page
    # at once where sorting every row found would not ("ltd": 800,000 rows found, sorted
    # in 0.6 s). With other filters the names are not read from the index alone: the rows
    # found are sorted.
    sorted_found = found.order_by(Concat("node_name", Value("")), "pk")
    narrowed = search_narrowed(sorted_found)
    filtered = any((level, node_type, country, good, presumption))
    if narrowed is not sorted_found or filtered:
        return narrowed
    start = _first_name_of_a_page(qs, q)
    if start is None:
        return narrowed
    # The index walked from the first name found (none before it holds the word).
    return found.filter(node_name__gte=start).order_by("node_name", "pk")


# How many names, from the first in the list's order, the database reads to tell whether a
# search that finds more than NARROW_UP_TO rows finds its first page among them. The names
# are read from the index risk_current_name alone, about 0.3 µs a name with PostgreSQL at
# a million records (500,000 names in 150 ms, about what sorting 100,000 rows found
# takes): a search whose first page is further pays that on top of the sort. "plant" at
# 1,502,000 records (a million rows found, the first after 313,000 names): 1.5 s sorted,
# 0.1 s read to its first page.
NAMES_WALKED = 500_000


def _first_name_of_a_page(qs: QuerySet[RiskAssessment], q: str) -> str | None:
    """The first name, in name order, that holds ``q`` among the rows of ``qs`` (the
    organization's current assessments), when a page of such names is among the first
    NAMES_WALKED; else None. Asked of the database, which stops at the page's last name:
    a word found all through the list answers after a few hundred names."""
    first = qs.order_by("node_name").values_list("node_name", flat=True)[:NAMES_WALKED]
    sql, params = first.query.sql_with_params()
    pattern = f"%{connection.ops.prep_for_like_query(q)}%"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT walked.node_name FROM ({sql}) walked "  # noqa: S608 (the ORM's own SQL)
            "WHERE UPPER(walked.node_name) LIKE UPPER(%s) ESCAPE '\\' LIMIT %s",
            (*params, pattern, PER_PAGE),
        )
        names = [name for (name,) in cursor.fetchall()]
    return names[0] if len(names) == PER_PAGE else None


def current_for(organization_id: int, node_type: str, node_id: int) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(
        organization_id=organization_id, node_type=node_type, node_id=node_id, is_current=True
    ).first()


def history_for(organization_id: int, node_type: str, node_id: int) -> QuerySet[RiskAssessment]:
    return (
        RiskAssessment.objects.filter(
            organization_id=organization_id, node_type=node_type, node_id=node_id
        )
        .select_related("methodology")
        .order_by("-computed_at", "-pk")
    )


def level_counts(organization_id: int, node_type: str = "") -> dict[str, int]:
    """How many current assessments are at each level (of one kind of record if
    ``node_type``), worst first, levels with none left out: read from the counts kept as
    assessments are written (``LevelCount``)."""
    kept = LevelCount.objects.filter(organization_id=organization_id)
    if node_type:
        kept = kept.filter(node_type=node_type)
    counts: dict[str, int] = defaultdict(int)
    for level, current in kept.values_list("level", "current"):
        counts[level] += current
    counts = {level: n for level, n in counts.items() if n}
    # worst first, as the register reads
    order = ("critical", "high", "medium", "low")
    return {
        level: counts[level]
        for level in sorted(counts, key=lambda lv: (order.index(lv) if lv in order else 9, lv))
    }


def level_counts_by_month(
    organization_id: int, ends: list[date], levels: tuple[str, ...]
) -> dict[str, list[int | None]]:
    """At each of ``ends`` (a month's last day, or today): how many records stood at each
    of ``levels``, as the counts kept month by month give them (``LevelMonth``: the
    counts as the month's last write left them); None before anything was scored."""
    stored: dict[date, dict[str, int]] = defaultdict(dict)
    for month, level, current in LevelMonth.objects.filter(
        organization_id=organization_id, month__lte=max(ends, default=date.min)
    ).values_list("month", "level", "current"):
        stored[month][level] = current
    months = sorted(stored)
    out: dict[str, list[int | None]] = {level: [] for level in levels}
    for end in ends:
        before = [month for month in months if month <= end]
        for level in levels:
            out[level].append(stored[before[-1]].get(level, 0) if before else None)
    return out


def heatmap(organization_id: int, levels: Sequence[str], max_goods: int = 18) -> dict[str, Any]:
    """Exposure by country and good: how many worksites, and the highest of ``levels``
    (lowest first) among them.

    The columns are one kind of thing: goods as the DOL List of Goods names them (the
    goods the organization's materials are marked with), so "Cotton" from India and from
    China sit in one column. Worksites whose goods are not on the list are counted apart.
    Read from the counts the assessments' writer keeps (``GoodCount``), not from every
    worksite's assessment.
    """
    from chainproof.suppliers.models import Material

    listed = {
        good.casefold(): good
        for goods in Material.objects.filter(organization_id=organization_id).values_list(
            "dol_goods", flat=True
        )
        for good in goods or ()
    }
    rank = {level: i for i, level in enumerate(levels)}
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    unlisted = 0
    counted = GoodCount.objects.filter(
        organization_id=organization_id, good__in=[*listed, GoodCount.NOT_LISTED], current__gt=0
    ).values_list("good", "country", "level", "current")
    for good, country, level, current in counted:
        if good == GoodCount.NOT_LISTED:
            unlisted += current
        else:
            cells[country, listed[good]][level] = current
    totals: dict[str, int] = defaultdict(int)
    for (_, good), by_level in cells.items():
        totals[good] += sum(by_level.values())
    goods = [g for g, _ in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:max_goods]]
    countries = sorted({c for c, g in cells if g in goods})
    rows = []
    for country in countries:
        row = []
        for good in goods:
            by_level = cells.get((country, good), {})
            top = max(by_level, key=lambda level: rank.get(level, -1), default="")
            row.append({"good": good, "count": sum(by_level.values()), "band": top})
        rows.append({"country": country, "cells": row})
    return {
        "goods": goods,
        "rows": rows,
        "unlisted": unlisted,
        "more_goods": max(0, len(totals) - len(goods)),
    }


def node_ids_at_level(organization_id: int, node_type: str, level: str) -> QuerySet[Any]:
    """Ids of the records of a type whose current assessment is at ``level``."""
    return RiskAssessment.objects.filter(
        organization_id=organization_id, node_type=node_type, is_current=True, level=level
    ).values("node_id")
