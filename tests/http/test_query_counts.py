"""Every list page and every detail page of the web app costs the same number of SQL
queries whatever the number of rows it shows: each page is read with a small world, then
with the world grown (more records of the listed kind and of the kinds it shows beside
them, more related rows on the record a detail page shows), and the two counts must be
equal. A page that runs a query per row (an N+1) fails here with both counts and the
queries of the larger run.

The world is one organization of the access probes' world (``tests/api_world.py``), read
by its admin."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api_world import _seed
from tests.csrf_client import CsrfClient
from tests.supply import csv_bytes

GROWTH = 6  # records of each kind added; a per-row query would add at least this many

# (page, the world's id it names or None for a list page)
PAGES = [
    ("/", None),
    ("/suppliers/", None),
    ("/suppliers/{}/", "supplier_id"),
    ("/suppliers/facilities/", None),
    ("/suppliers/facilities/{}/", "facility_id"),
    ("/suppliers/products/", None),
    ("/suppliers/products/{}/", "product_id"),
    ("/suppliers/materials/", None),
    ("/suppliers/links/", None),
    ("/suppliers/imports/", None),
    ("/risk/", None),
    ("/risk/supplier/{}/", "supplier_id"),
    ("/screening/", None),
    ("/screening/hits/{}/", "hit_id"),
    ("/questionnaires/", None),
    ("/questionnaires/{}/", "campaign_id"),
    ("/questionnaires/requests/", None),
    ("/questionnaires/requests/{}/", "request_id"),
    ("/evidence/", None),
    ("/evidence/{}/", "document_id"),
    ("/diligence/audits/", None),
    ("/diligence/audits/{}/", "audit_id"),
    ("/diligence/requests/", None),
    ("/diligence/requests/{}/", "evidence_request_id"),
    ("/diligence/program/", None),
    ("/cases/", None),
    ("/cases/shipments/", None),
    ("/cases/shipments/{}/", "shipment_id"),
    ("/cases/{}/", "case_id"),
    ("/statements/", None),
    ("/statements/{}/", "statement_id"),
    ("/audit/", None),
    ("/audit/{}/", "event_id"),
    ("/jobs/{}/", "job_id"),
    ("/outbox/", None),
    ("/outbox/{}/", "email_id"),
]


def _url(page: str, key: str | None, ids: dict[str, list[int]]) -> str:
    return page.format(ids[key][0]) if key else page


def _grow(member, ids: dict[str, list[int]], start: int, count: int) -> None:
    """``count`` more of every kind (numbered from ``start``): suppliers (named like the
    screened ones, so they are hit too), worksites of the first supplier, links into and out
    of its first worksite, products and materials, documents linked to the first supplier,
    audits, evidence requests, campaign requests, shipments, statements, jobs and email."""
    from chainproof.cases.services import exhibit_add
    from chainproof.cases.shipments import shipment_save
    from chainproof.diligence.requests import evidence_request_create
    from chainproof.diligence.services import action_add, audit_create, finding_add
    from chainproof.evidence.documents import LinkTarget, document_create
    from chainproof.evidence.models import Document
    from chainproof.evidence.receiving import file_receive
    from chainproof.jobs.models import Job
    from chainproof.outbox.services import email_queue
    from chainproof.questionnaires.campaigns import campaign_create
    from chainproof.questionnaires.versions import versions_sync
    from chainproof.risk.services import risk_score_all
    from chainproof.screening.models import ScreeningHit
    from chainproof.screening.services import screen
    from chainproof.statements.services import statement_create
    from chainproof.suppliers.importing import run_import
    from chainproof.suppliers.models import Facility, Supplier

    org, actor = member.organization, member.user
    first = Supplier.objects.get(pk=ids["supplier_id"][0])
    worksite = Facility.objects.get(pk=ids["facility_id"][0])
    hit_names = list(
        ScreeningHit.objects.filter(organization=org, node_type="supplier")
        .values_list("node_name", flat=True)
        .distinct()
    ) or [first.legal_name]
    rows = range(start, start + count)
    files = {
        "suppliers": csv_bytes(
            "suppliers",
            *(
                {
                    "ref": f"S-GROW-{i}",
                    "legal_name": f"{hit_names[i % len(hit_names)]} Branch {i}",
                    "country": "CN",
                    "parent": first.ref,
                    "status": "active",
                    "tags": "grown|apparel",
                    "duns": f"{900000000 + i}",
                }
                for i in rows
            ),
        ),
        "facilities": csv_bytes(
            "facilities",
            *(
                {
                    "ref": f"F-GROW-{i}",
                    "name": f"Grown Works {i}",
                    "kind": "factory",
                    "supplier": first.ref,
                    "city": "Urumqi",
                    "subdivision": "Xinjiang",
                    "country": "CN",
                    "total_workers": "100",
                    "dprk_workers": "none",
                    "figures_date": "2026-01-01",
                }
                for i in rows
            ),
        ),
        "materials": csv_bytes("materials", *({"name": f"Grown fibre {i}"} for i in rows)),
        "products": csv_bytes(
            "products",
            *(
                {
                    "sku": f"GROW-{i}",
                    "name": f"Grown good {i}",
                    "hts_code": "6109.10.00.12",
                    "inputs": f"Grown fibre {i} | Cotton",
                }
                for i in rows
            ),
        ),
        "links": csv_bytes(
            "links",
            *(
                {
                    "from_facility": f"F-GROW-{i}",
                    "to_facility": worksite.ref,
                    "material": f"Grown fibre {i}",
                    "valid_from": "2025-01-01",
                }
                for i in rows
            ),
            *(
                {
                    "from_facility": worksite.ref,
                    "to_facility": f"F-GROW-{i}",
                    "material": "Cotton",
                    "valid_from": "2025-01-01",
                }
                for i in rows
            ),
            *(
                {
                    "from_supplier": f"S-GROW-{i}",
                    "to_supplier": first.ref,
                    "product_sku": f"GROW-{i}",
                    "valid_from": "2025-01-01",
                }
                for i in rows
            ),
        ),
    }
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        run_import(
            organization=org, actor=actor, entity=entity, data=files[entity], file_name="grow.csv"
        )
    screen(organization_id=org.pk, actor=actor)
    risk_score_all(organization_id=org.pk)
    today = timezone.localdate()
    grown = {
        int(s.ref.rsplit("-", 1)[1]): s
        for s in Supplier.objects.filter(organization=org, ref__startswith="S-GROW-")
    }
    for i in rows:
        received = file_receive(io.BytesIO(f"grown policy {i}\n".encode()), f"policy-{i}.txt")
        with transaction.atomic():
            document_create(
                organization=org,
                actor=actor,
                received=received,
                links=[LinkTarget("supplier", first.pk), LinkTarget("supplier", grown[i].pk)],
            )
            audit = audit_create(
                organization=org,
                actor=actor,
                supplier=first,
                kind="third_party",
                audit_date=today,
                auditor=f"Auditors {i}",
            )
            finding = finding_add(
                audit=audit,
                actor=actor,
                description=f"Finding {i}",
                severity="high",
                ilo_indicators=[7],
            )
            action_add(
                finding=finding,
                actor=actor,
                action=f"Fix {i}",
                owner="HR",
                due_date=today + timedelta(days=30),
            )
            evidence_request_create(
                organization=org,
                actor=actor,
                supplier=grown[i],
                category="dhs_wages",
                due_date=today + timedelta(days=30),
            )
            shipment_save(
                organization=org,
                actor=actor,
                data={"reference": f"PO-GROW-{i}", "importation_date": "2026-01-31"},
                lines=[{"product_sku": "APP-TEE-001"}, {"product_sku": f"GROW-{i}"}],
            )
            statement_create(
                organization=org,
                actor=actor,
                regime_code="uk_msa",
                period_start=f"{2010 + i}-01-01",
                period_end=f"{2010 + i}-12-31",
            )
            Job.objects.create(organization=org, kind="suppliers.tiers")
            email_queue(
                organization=org.pk,
                to=f"grown{i}@example.com",
                subject="Hello",
                body="Hello",
                purpose="test",
            )
    from chainproof.cases.models import DetentionCase

    with transaction.atomic():
        campaign_create(
            organization_id=org.pk,
            actor=actor,
            name=f"Grown survey {start}",
            questionnaire=versions_sync()[0],
            due_date=today + timedelta(days=30),
            supplier_ids=[grown[i].pk for i in rows],
        )
        case = DetentionCase.objects.get(pk=ids["case_id"][0])
        exhibit_add(
            case=case,
            actor=actor,
            documents=list(
                Document.objects.filter(organization=org).exclude(
                    pk__in=case.exhibits.values("document_id")
                )
            ),
        )


def _shape(sql: str) -> str:
    return re.sub(r"\d+", "N", sql)[:240]


def _counts(client: CsrfClient, urls: list[str]) -> dict[str, tuple[int, list[str]]]:
    counts = {}
    for url in urls:
        client.get(url)  # warm: per-process caches (reference data, templates) filled once
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = (len(captured), [q["sql"] for q in captured.captured_queries])
    return counts


@pytest.fixture
def measured(alice, refdata, settings, tmp_path):
    from chainproof.jobs.models import Job
    from chainproof.outbox.models import OutboundEmail
    from chainproof.outbox.services import email_queue
    from chainproof.statements.services import statement_create

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    ids = _seed(alice)
    org = alice.organization
    with transaction.atomic():
        email_queue(
            organization=org.pk,
            to="someone@example.com",
            subject="Hello",
            body="Hello",
            purpose="test",
        )
        statement = statement_create(
            organization=org,
            actor=alice.user,
            regime_code="uk_msa",
            period_start="2026-01-01",
            period_end="2026-12-31",
        )
    ids["statement_id"] = [statement.pk]
    ids["email_id"] = list(
        OutboundEmail.objects.filter(organization=org).values_list("pk", flat=True)
    )
    ids["job_id"] = list(Job.objects.filter(organization=org).values_list("pk", flat=True))
    urls = [_url(page, key, ids) for page, key in PAGES]
    client = CsrfClient()
    client.sign_in(alice)
    _grow(alice, ids, 0, 1)  # every kind of related row present once: no empty-list branch
    small = _counts(client, urls)
    _grow(alice, ids, 1, GROWTH)
    large = _counts(client, urls)
    return small, large


@pytest.mark.django_db
def test_no_page_runs_a_query_per_row(measured):
    small, large = measured
    grew = {url: (small[url][0], large[url][0]) for url in small if large[url][0] != small[url][0]}
    detail = "\n\n".join(
        f"{url}: {a} queries with the small world, {b} with the grown one; the extra ones:\n"
        + "\n".join(
            (Counter(map(_shape, large[url][1])) - Counter(map(_shape, small[url][1]))).elements()
        )
        for url, (a, b) in grew.items()
    )
    assert not grew, f"query counts that grow with the rows: {grew}\n\n{detail}"
    assert len(small) == len(PAGES)
