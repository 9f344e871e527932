"""Pagination shared by every list page.

A list is counted only as far as it needs to be: up to COUNT_UP_TO rows, or to the page
after the one asked for when that is further. Beyond that the page says "more than 10,000
rows" and keeps a Next link, so a list of a million worksites costs one short count, not
a count of the million on every request (the export has every row)."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50
COUNT_UP_TO = 10_000


class CountedUpTo(Paginator):  # type: ignore[type-arg]
    """A Paginator whose count stops at ``limit`` + 1 rows (``capped`` is then True)."""

    def __init__(self, items: Any, per_page: int, limit: int) -> None:
        super().__init__(items, per_page)
        self.limit = limit
        self.capped = False

    @cached_property
    def count(self) -> int:
        items: Any = self.object_list
        if isinstance(items, QuerySet):
            counted = int(items.order_by()[: self.limit + 1].count())  # no sort to count
        else:
            counted = len(items)
        self.capped = counted > self.limit
        return min(counted, self.limit + 1)


# The furthest page a request may ask for (a larger number would be sent to the database as
# a row limit beyond its integers); further is the last page.
LAST_PAGE_ASKED = 1_000_000


def _number(raw: str | None) -> int:
    """The page asked for: 1 for anything that is not a whole number of at least 1."""
    try:
        return min(max(1, int(raw or 1)), LAST_PAGE_ASKED)
    except ValueError:
        return 1


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    wanted = _number(request.GET.get("page"))
    # Counted at least to the page after the one asked for, so it has a Next link.
    paginator = CountedUpTo(items, per_page, max(COUNT_UP_TO, (wanted + 1) * per_page))
    page_obj = paginator.get_page(wanted)
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return {
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "query_without_page": f"{query}&" if query else "",
        "query_string": query,
    }


def paginate_by_ids(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int = PER_PAGE
) -> dict[str, Any]:
    """``paginate`` for a list whose rows join other tables: the page is cut from the
    rows' ids, read in the list's order without the joins, then only the page's rows are
    read with them. SQLite otherwise joined every row before cutting the page (the supply
    links: 0.5 s at 300,000 links; 25 ms this way)."""
    context = paginate(request, queryset.values_list("pk", flat=True), per_page)
    ids = list(context["rows"])
    found = queryset.in_bulk(ids)
    context["rows"] = [found[pk] for pk in ids if pk in found]
    return context


# A search that matches no more rows than this is listed from its rows' ids (fetching
# more ids than this costs more than it saves: 10,000 took 70 ms at a million worksites).
NARROW_UP_TO = 2_000
# A search the planner expects to match more than this many times NARROW_UP_TO rows is
# not narrowed at all: the ids of a word in most names come from a trigram index that
# lists every row holding it before the first is returned ("plant" in a million of the
# risk register's 1.5 million names: 150-170 ms to learn that there were more than
# 2,000). The planner's guess (from the names its statistics sampled) only decides how
# the rows are found, never which.
EXPECTED_MANY_TIMES = 100


def expected_rows(queryset: QuerySet[Any]) -> float:
    """How many rows PostgreSQL's planner expects ``queryset`` to match (EXPLAIN: the
    query planned, not run); none for a query Django knows matches nothing (it is not
    sent, and explains as nothing)."""
    text = queryset.order_by().explain(format="json")
    return float(json.loads(text)[0]["Plan"]["Plan Rows"]) if text else 0.0


def search_narrowed(queryset: QuerySet[Any], limit: int | None = None) -> QuerySet[Any]:
    """``queryset`` (a list with a search in it) limited to the ids of its rows when no
    more than ``limit`` (default NARROW_UP_TO) match, else as it is.

    A search for a rare name asked for in the list's order invites the database to walk
    the order's index and test each row: it expects the matches spread through the
    table, finds two in a million and reads the million (0.8 s at a million worksites).
    The rows' ids, found first through the search's own index without an order, leave
    it a few rows to sort; a search that matches many rows finds a page of them early in
    that walk, and is left as it is. On PostgreSQL only: SQLite has no index for such a
    search and reads the table whatever the plan."""
    if connection.vendor != "postgresql":
        return queryset  # no index finds a search there: listing from ids would read twice
    limit = NARROW_UP_TO if limit is None else limit
    if expected_rows(queryset) > EXPECTED_MANY_TIMES * limit:
        return queryset  # surely many: finding the ids would read them all for nothing
    ids = list(queryset.order_by().values_list("pk", flat=True)[: limit + 1])
    if len(ids) > limit:
        return queryset
    return queryset.filter(pk__in=ids)
