"""The main list queries, as the selectors build them, are served by an index on
PostgreSQL: the organization filter and the list's order come from an index, so a page of
a list costs the same with a thousand rows or a million.

How the question is asked: ``SET enable_seqscan = off`` and ``SET enable_sort = off``
price sequential scans and explicit sorts out of the planner's choice (they stay possible,
at a prohibitive cost). The planner then takes an index that serves the filter and the
order whenever one exists; if none does, the plan still shows the Seq Scan or the Sort,
and the test names the query. Generating enough rows for the planner to prefer an index
on its own (tens of thousands per table) would take minutes and would test the planner's
cost model more than our indexes; what must hold is that the index exists and fits the
query. An Incremental Sort (the index gives the leading columns, the last tie-breaker
such as the primary key is sorted within equal values) counts as served by the index.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are checked on PostgreSQL (CI runs the suite there too); SQLite's "
    "planner and EXPLAIN differ",
)

BIG_TABLES = {
    "suppliers_supplier",
    "suppliers_facility",
    "risk_riskassessment",
    "screening_screeninghit",
    "audit_auditevent",
    "evidence_document",
}


def _nodes(plan: dict[str, Any]):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _plan(queryset) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        try:
            text = queryset.explain(format="json")
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    return list(_nodes(json.loads(text)[0]["Plan"]))


def _queries(org_id: int) -> dict[str, Any]:
    from chainproof.accounts.services import reset_requests_since
    from chainproof.audit.models import AuditEvent
    from chainproof.audit.selectors import audit_events_for
    from chainproof.evidence.selectors import documents_for
    from chainproof.risk.selectors import register
    from chainproof.screening.selectors import queue
    from chainproof.suppliers.models import Supplier
    from chainproof.suppliers.selectors import (
        SUPPLIER_SORTS,
        facility_list,
        supplier_list,
        supplier_search,
    )

    page = slice(0, 50)
    queries = {
        f"supplier list sorted by {sort}": supplier_list(org_id, sort=sort)[page]
        for sort in SUPPLIER_SORTS
    }
    queries.update(
        {
            # A search that matches many rows, listed as it is (search_narrowed)
            "supplier list, search": Supplier.objects.filter(
                supplier_search(org_id, "golden"), organization_id=org_id
            ).order_by(*SUPPLIER_SORTS["name"])[page],
            "supplier list, country": supplier_list(org_id, country="CN")[page],
            "supplier list, country sorted by country": supplier_list(
                org_id, country="CN", sort="country"
            )[page],
            "supplier list, risk level": supplier_list(org_id, risk="high")[page],
            "supplier list, count": supplier_list(org_id).order_by(),
            "facility list": facility_list(org_id)[page],
            "facility list, country": facility_list(org_id, country="CN")[page],
            "risk register": register(org_id)[page],
            "risk register, level": register(org_id, level="high")[page],
            "risk register, country": register(org_id, country="KP")[page],
            "risk register sorted by country": register(org_id, sort="country")[page],
            "risk register sorted by name": register(org_id, sort="name")[page],
            "screening hits to review": queue(org_id)[page],
            "audit log": audit_events_for(org_id)[page],
            "a record's history": audit_events_for(
                org_id, object_type="suppliers.supplier", object_id="1"
            )[page],
            "audit log, one action": audit_events_for(org_id, action="membership.created")[page],
            "audit log, one kind of record": audit_events_for(
                org_id, object_type="accounts.membership"
            )[page],
            "the last event of one action": AuditEvent.objects.filter(
                organization_id=org_id, action="screening.completed"
            ).order_by("-seq")[:1],
            "document list": documents_for(org_id)[page],
            "password resets asked for one address lately": reset_requests_since(
                "someone@example.com", datetime(2026, 1, 1, tzinfo=UTC)
            ),
        }
    )
    return queries


def test_main_list_queries_use_an_index_for_the_organization_and_the_order(alice):
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
    problems = []
    queries = _queries(alice.organization.pk)
    for name, queryset in queries.items():
        nodes = _plan(queryset)
        seq = sorted(
            n["Relation Name"]
            for n in nodes
            if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG_TABLES
        )
        sorts = [n for n in nodes if n["Node Type"] == "Sort"]
        indexed = [n.get("Index Name") for n in nodes if "Index Name" in n]
        if seq or sorts or not indexed:
            problems.append(
                f"{name}: sequential scan of {seq}, {len(sorts)} sort(s), indexes {indexed}"
            )
    assert len(queries) >= 15
    assert not problems, "\n".join(problems)


def _search_plan(queryset) -> list[dict[str, Any]]:
    """The plan of a search with sequential scans priced out."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            text = queryset.explain(format="json")
        finally:
            cursor.execute("RESET enable_seqscan")
    return list(_nodes(json.loads(text)[0]["Plan"]))


def _leave_only_trigram_indexes(tables: list[str]) -> None:
    """Drop every other index of ``tables`` that is not unique (the test's transaction
    puts them back): on a test's few rows the planner would rather filter what an index
    of the organization gives; what must hold is that the search itself has an index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = x.relam "
            "WHERE t.relname = ANY(%s) AND NOT i.indisunique AND am.amname <> 'gin'",
            [tables],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")


def test_searches_for_part_of_a_name_are_served_by_the_trigram_indexes(alice):
    """A search for words inside a name (LIKE '%...%') is found through the GIN trigram
    index of its table, every part of the search's OR included (one part no index
    serves and PostgreSQL reads the whole table)."""
    from chainproof.risk.models import RiskAssessment
    from chainproof.suppliers.models import Facility, Supplier
    from chainproof.suppliers.selectors import facility_search, supplier_search

    org_id = alice.organization.pk
    _leave_only_trigram_indexes(["suppliers_supplier", "suppliers_facility", "risk_riskassessment"])
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
    suppliers = Supplier.objects.filter(organization_id=org_id)
    facilities = Facility.objects.filter(organization_id=org_id)
    searches = {
        "suppliers, words of a name": suppliers.filter(supplier_search(org_id, "harbour textiles")),
        "suppliers, the start of a ref": suppliers.filter(supplier_search(org_id, "S-CN-9")),
        "suppliers, a name in another script": suppliers.filter(
            supplier_search(org_id, "金色港湾")
        ),
        "worksites, words of a name or a city": facilities.filter(facility_search("dyeing")),
        "worksites, a name in another script": facilities.filter(facility_search("金色港湾")),
        # as risk.selectors.register searches
        "risk register, a name": RiskAssessment.objects.filter(
            organization_id=org_id, is_current=True, node_name__icontains="harbour"
        ),
    }
    problems = []
    for name, queryset in searches.items():
        nodes = _search_plan(queryset.order_by())
        used = {n.get("Index Name") for n in nodes if n["Node Type"] == "Bitmap Index Scan"}
        seq = [n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"]
        if seq or not used or not all(index.endswith("_trgm") for index in used):
            problems.append(f"{name}: indexes {sorted(used)}, sequential scans {seq}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_query_no_index_serves(alice):
    """The same check on an order no index serves (the supplier's notes) reports a sort:
    the assertions above can fail."""
    from chainproof.suppliers.models import Supplier

    nodes = _plan(Supplier.objects.filter(organization=alice.organization).order_by("notes")[:50])
    assert any(n["Node Type"] == "Sort" for n in nodes)


@pytest.mark.parametrize(
    ("column", "index"), [("action", "audit_org_action"), ("object_type", "audit_org_type")]
)
def test_the_audit_logs_filters_skip_through_an_index_from_one_value_to_the_next(
    alice, column, index
):
    """The actions and kinds of record the log offers are read one value at a time from
    the indexes that start with the organization, never by reading its events."""
    from chainproof.audit.selectors import log_choice_query

    org_id = alice.organization.pk
    with connection.cursor() as cursor:
        # On a test's few rows the planner may take any index and filter: the others that
        # are not unique are dropped (the test's transaction puts them back).
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = 'audit_auditevent'::regclass AND NOT indisunique "
            "AND indexrelid::regclass::text <> %s",
            [index],
        )
        for (other,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {other}")
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            # ANALYZE: the step that finds each next value is planned as the query runs
            # (a plain EXPLAIN leaves it out)
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + log_choice_query(column), [org_id, org_id]
            )
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
    nodes = list(_nodes((plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]))
    scans = [n for n in nodes if n.get("Relation Name") == "audit_auditevent"]
    assert len(scans) == 2  # the first value, then each next one
    assert not [n for n in scans if n["Node Type"] == "Seq Scan"]
    assert {n["Index Name"] for n in nodes if "Index Name" in n} == {index}


def test_a_searchs_page_of_ids_in_name_order_is_read_from_an_index_alone(alice):
    """The supplier list's search and the risk register's search sorted by name read their
    page's ids from the index that holds the names searched, without the rows (walking
    it testing each name: the rows read for each name made it five times slower)."""
    from chainproof.risk.models import RiskAssessment
    from chainproof.suppliers.models import Supplier
    from chainproof.suppliers.selectors import SUPPLIER_SORTS, supplier_search

    org_id = alice.organization.pk
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")
    queries = {
        # as supplier_list searches when more than a few rows are found
        "supplier list, a search": (
            Supplier.objects.filter(organization_id=org_id)
            .filter(supplier_search(org_id, "golden"))
            .order_by(*SUPPLIER_SORTS["name"])
            .values_list("pk", flat=True)[:50],
            "supplier_org_name_search",
        ),
        # as risk.selectors.register walks the name index from the first name found
        "risk register, a search by name walked": (
            RiskAssessment.objects.filter(
                organization_id=org_id,
                is_current=True,
                node_name__icontains="plant",
                node_name__gte="Plant",
            )
            .order_by("node_name", "pk")
            .values_list("pk", flat=True)[:50],
            "risk_current_name",
        ),
    }
    for name, (queryset, index) in queries.items():
        used = {(n["Node Type"], n.get("Index Name")) for n in _plan(queryset) if "Index Name" in n}
        assert ("Index Only Scan", index) in used, (name, used)
