"""Every page of the site opened twice as an administrator of one organization, the
second opening timed (the first loads the page's templates and code, as the page mix
warms up): the pages ``scale.py`` does not time over and over (forms, tabs, detail pages
of every kind of record), so that a page slow only at size is found (issue 19: every page
p95 <= 300 ms).

Routes come from the URL configuration; a path's ids are the organization's first record
of the kind (a route whose kind of record the organization has none of is left out, and
said). The API, signing out and links that carry their own secret are not pages. A
streamed download is timed to its first bytes (what a person waits for before it starts).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

# Not pages one opens: the API (timed by its own tests), signing out, links carrying their
# own token, and a background job's start (a GET that only shows a form is still crawled).
SKIP = re.compile(r"^(api/|accounts/logout|accounts/password/reset/<|portal/|cases/calendar/)")
SLUGS = {
    "node_type": "facility",
    "kind": "supplier",
    "section_id": "declaration",
    "fmt": "svg",
    "section": "training",
    "entity": "facilities",
}
# A parameter whose value depends on the route: (the route's start, its name) -> value.
BY_ROUTE = {("suppliers/templates/", "fmt"): "xlsx", ("diligence/program/", "kind"): "contract"}


def _samples(org_id: int) -> dict[str, Callable[[], Any]]:
    """A path parameter's name -> how to find the organization's first such record."""
    from chainproof.audit.models import AuditEvent
    from chainproof.cases.models import DetentionCase, Shipment
    from chainproof.diligence.models import Audit, EvidenceRequest, ProgramRecord
    from chainproof.evidence.models import Document
    from chainproof.jobs.models import Job
    from chainproof.questionnaires.models import Campaign
    from chainproof.reference.models import Dataset
    from chainproof.risk.models import RiskAssessment
    from chainproof.screening.models import ScreeningHit
    from chainproof.statements.models import Statement
    from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink

    def first(model: Any, **where: Any) -> Callable[[], Any]:
        return lambda: (
            model.objects.filter(**where).order_by("pk").values_list("pk", flat=True).first()
        )

    org = {"organization_id": org_id}
    return {
        "supplier_id": first(Supplier, **org),
        "facility_id": first(Facility, **org),
        "product_id": first(Product, **org),
        "material_id": first(Material, **org),
        "link_id": first(SupplyLink, **org),
        "node_id": first(Facility, **org),
        "job_id": first(Job, **org),
        "hit_id": first(ScreeningHit, **org),
        "campaign_id": first(Campaign, **org),
        "document_id": first(Document, **org),
        "audit_id": first(Audit, **org),
        "request_id": first(EvidenceRequest, **org),
        "record_id": first(ProgramRecord, **org),
        "assessment_id": first(RiskAssessment, **org),
        "shipment_id": first(Shipment, **org),
        "case_id": first(DetentionCase, **org),
        "statement_id": first(Statement, **org),
        "event_id": first(AuditEvent, **org),
        "dataset_id": first(Dataset),
        "iso2": lambda: "CN",
        "number": lambda: 1,
    }


def routes() -> list[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and not SKIP.match(route):
                found.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def crawl(client: Any, org_id: int) -> tuple[list[tuple[float, str, int]], list[str]]:
    """(milliseconds, address, status) of every page opened, slowest first; and the routes
    left out for want of a record to open."""
    samples = _samples(org_id)
    known: dict[str, Any] = {}
    opened: list[tuple[float, str, int]] = []
    left_out: list[str] = []

    from chainproof.reference.tables import OFAC

    def slug(route: str, name: str) -> str | None:
        for (start, param), value in BY_ROUTE.items():
            if route.startswith(start) and name == param:
                return value
        if route.startswith("reference/") and name == "slug":
            return OFAC.slug  # the longest list
        return SLUGS.get(name)

    def sample(name: str) -> Any:
        if name not in known:
            known[name] = samples[name]() if name in samples else None
        return known[name]

    for route in routes():
        params = re.findall(r"<(\w+):(\w+)>", route)
        missing = [
            n for c, n in params if not (c == "slug" and slug(route, n)) and sample(n) is None
        ]
        if missing:
            left_out.append(f"{route} (no {', '.join(missing)})")
            continue
        url = "/" + route
        for converter, name in params:
            value = (converter == "slug" and slug(route, name)) or str(sample(name))
            url = url.replace(f"<{converter}:{name}>", value, 1)
        client.get(url)  # its templates and code loaded
        started = time.perf_counter()
        response = client.get(url)
        opened.append(((time.perf_counter() - started) * 1000, url, response.status_code))
    opened.sort(reverse=True)
    return opened, left_out
