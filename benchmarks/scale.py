"""Benchmark: the whole platform at a given multiple of the supply-chain benchmark.

Scale 1 is 100,000 worksites, 50,000 suppliers, 300,000 links and 200 products; scale 10
is 1,000,000 worksites, 500,000 suppliers, 3,000,000 links and 2,000 products (issue 19's
goals for it on PostgreSQL, this machine: import <= 5 min, full re-score <= 3 min and
< 4 GB, screening <= 6 min, every page p95 <= 300 ms, exports at constant memory).

Steps, each timed, in one database (SQLite by default, or DATABASE_URL):
1. import the five files through the same path as `chainproof import`;
2. tiers of the whole graph;
3. a full risk re-score, and again with nothing changed (each in a child process, its
   peak memory measured alone), then an incremental re-score after one worksite changes;
4. screening of every supplier and worksite name against the bundled lists, split into
   batches of names that `--workers` worker processes (`chainproof worker`) run at once;
5. list and detail pages with realistic filters, sorts and searches (a common word, one
   record's number), p50/p95 over repeated requests (the supplier and worksite lists, the
   risk register, the audit log, the overview, a supplier's and a worksite's page, the
   forms with a menu of records and the menus' search);
6. every other page of the site opened (support/crawl.py), the second opening timed: the
   slowest listed;
7. the worksite list exported as CSV and as XLSX, streamed (child process: time, first
   bytes, size, peak memory).
Ends with one table of every figure.

Run: .venv/bin/python benchmarks/scale.py [--scale 10] [--smoke] [--data-dir DIR]
(--smoke is --scale 0.01, as CI runs it; its figures mean nothing. --data-dir keeps the
SQLite database there and reuses what was imported, skipping step 1; --reuse does the same
on DATABASE_URL; --steps pages,export runs only those steps.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

from support import peak_mib, run_split, setup_django

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

ORG_NAME = "Scale bench"
STEPS = ("tiers", "rescore", "incremental", "screen", "pages", "crawl", "export")
RESULTS: list[tuple[str, str, str]] = []  # (what, figure, goal)


def _record(what: str, figure: str, goal: str = "") -> None:
    RESULTS.append((what, figure, goal))
    print(f"{what}: {figure}" + (f" (goal {goal})" if goal else ""), flush=True)


def _setup(data_dir: str | None) -> None:
    setup_django(data_dir, prefix="chainproof-scale-")


def _child(step: str, org_id: int) -> None:
    """One measured step in a fresh process; prints 'RESULT seconds peak_mib detail'."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (every module imported before the clock starts)
    started = time.perf_counter()
    detail = ""
    if step == "rescore":
        from chainproof.risk.services import risk_score_all

        result = risk_score_all(organization_id=org_id)
        detail = f"{result['nodes']} nodes, {result['changed']} written"
    elif step in ("export", "export-xlsx"):
        from django.test import Client

        from chainproof.accounts.models import Membership

        client = Client()
        client.force_login(Membership.objects.filter(organization_id=org_id).first().user)
        fmt = "xlsx" if step == "export-xlsx" else "csv"
        response = client.get(f"/suppliers/facilities/?format={fmt}")
        assert response.streaming
        lines = size = 0
        first = 0.0
        for piece in response.streaming_content:
            first = first or time.perf_counter() - started
            lines += piece.count(b"\n")
            size += len(piece)
        response.close()
        detail = f"{size / 2**20:,.0f} MiB, first bytes after {first:.2f} s"
        if fmt == "csv":
            detail = f"{lines - 1:,} rows, " + detail
    else:
        raise SystemExit(f"unknown step {step}")
    seconds = time.perf_counter() - started
    print(f"RESULT {seconds:.2f} {peak_mib():.0f} {detail}")


def _in_child(step: str, org_id: int) -> tuple[float, float, str]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", step, str(org_id)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"step {step} failed:\n{result.stdout}\n{result.stderr}")
    _, seconds, peak, *detail = line.split()
    return float(seconds), float(peak), " ".join(detail)


def _import(scale: float) -> int:
    from django.db import transaction
    from risk_network import materials_csv
    from supply_chain_import import generate

    from chainproof.accounts.services import membership_create, organization_create, user_create
    from chainproof.suppliers.importing import run_import

    with transaction.atomic():
        org = organization_create(name=ORG_NAME)
        user = user_create(
            username=f"scale{time.time_ns()}", password="bench password 2026!", organization=org
        )
        membership_create(organization=org, user=user, role="admin")
    sizes = (int(50_000 * scale), int(100_000 * scale), int(300_000 * scale))
    files = generate(*sizes, seed=11, n_products=max(1, int(200 * scale)))
    files["materials"] = materials_csv()
    total = 0.0
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        started = time.perf_counter()
        report = run_import(
            organization=org,
            actor=user,
            entity=entity,
            data=files[entity],
            file_name=f"{entity}.csv",
        )
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"  import {entity:<10} {report.rows:>10,} rows {elapsed:8.1f} s", flush=True)
    _record(
        "import (suppliers, worksites, links)",
        f"{total:.1f} s for {sum(sizes):,} rows",
        "<= 5 min at scale 10",
    )
    return org.pk


def _settings() -> str:
    """PostgreSQL's memory and checkpoint settings, which the figures at scale 10 depend on
    (README, "What to size"): shared_buffers and max_wal_size."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, unit FROM pg_settings "
            "WHERE name IN ('shared_buffers', 'max_wal_size') ORDER BY name"
        )
        shown = []
        for name, setting, unit in cursor.fetchall():
            size = int(setting) * {"8kB": 8192, "MB": 1 << 20, "kB": 1024}.get(unit or "", 1)
            shown.append(f"{name} {size / (1 << 20):,.0f} MB")
    return f" ({', '.join(shown)})"


def _database_size() -> str:
    """The whole database's size on disk (PostgreSQL: pg_database_size; SQLite: the file
    and its write-ahead log)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        path = str(connection.settings_dict["NAME"])
        size = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    return f"{size / 2**20:,.0f} MiB"


def _pages(org_id: int, repeats: int) -> None:
    from django.test import Client

    from chainproof.accounts.models import Membership
    from chainproof.suppliers.models import Facility, Supplier

    client = Client()
    client.force_login(Membership.objects.filter(organization_id=org_id).first().user)
    rng = random.Random(3)
    supplier_ids = list(
        Supplier.objects.filter(organization_id=org_id).values_list("pk", flat=True)[:2000]
    )
    facility_ids = list(
        Facility.objects.filter(organization_id=org_id).values_list("pk", flat=True)[:2000]
    )
    pages = {
        "supplier list": lambda: rng.choice(
            [
                "/suppliers/",
                "/suppliers/?country=CN&sort=-risk",
                "/suppliers/?tier=2&sort=name",
                "/suppliers/?q=golden",
                f"/suppliers/?q={rng.randint(0, 500_000):06d}",  # one supplier's number
                f"/suppliers/?page={rng.randint(2, 40)}",
            ]
        ),
        "worksite list": lambda: rng.choice(
            [
                "/suppliers/facilities/",
                "/suppliers/facilities/?country=VN",
                "/suppliers/facilities/?q=dyeing",
                f"/suppliers/facilities/?q=plant+{rng.randint(0, 999_999):06d}",
                f"/suppliers/facilities/?page={rng.randint(2, 40)}",
            ]
        ),
        "risk register": lambda: rng.choice(
            [
                "/risk/",
                "/risk/?level=high",
                "/risk/?node_type=facility&country=CN&sort=-score",
                "/risk/?presumption=uflpa",
                "/risk/?q=harbour&sort=name",
                "/risk/?q=plant&sort=name",  # every worksite, far down the list by name
                f"/risk/?q={rng.randint(0, 999_999):06d}",
                "/risk/?sort=name",
            ]
        ),
        "audit log": lambda: rng.choice(
            [
                "/audit/",
                "/audit/?action=facility.created",
                "/audit/?object_type=suppliers.supplier",
                f"/audit/?object_type=suppliers.facility&object_id={rng.choice(facility_ids)}",
                f"/audit/?page={rng.randint(2, 40)}",
            ]
        ),
        "forms (a menu of suppliers or worksites)": lambda: rng.choice(
            [
                "/suppliers/new/",
                "/suppliers/facilities/new/",
                f"/suppliers/facilities/{rng.choice(facility_ids)}/edit/",
                "/suppliers/links/new/",
                "/diligence/audits/",
                "/diligence/requests/",
                "/diligence/program/contract/",
                "/diligence/program/interview/",
                "/cases/allegation/",
            ]
        ),
        "record search (the menus' lookup)": lambda: rng.choice(
            [
                "/suppliers/lookup/supplier/?q=golden",
                f"/suppliers/lookup/supplier/?q={rng.randint(0, 500_000):06d}",
                "/suppliers/lookup/facility/?q=dyeing",
                f"/suppliers/lookup/source/?q=plant+{rng.randint(0, 999_999):06d}",
                "/suppliers/lookup/target/?q=harbour",
                "/suppliers/lookup/product/?q=a",
            ]
        ),
        "overview": lambda: "/",
        "supplier page": lambda: f"/suppliers/{rng.choice(supplier_ids)}/",
        "worksite page": lambda: f"/suppliers/facilities/{rng.choice(facility_ids)}/",
    }
    for name, url in pages.items():
        client.get(url())  # warm: the first request imports the views
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url())
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        _record(
            f"page: {name}",
            f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms",
            "p95 <= 300 ms",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 worksites")
    parser.add_argument("--smoke", action="store_true", help="--scale 0.01 (CI)")
    parser.add_argument("--data-dir", help="keep (and reuse) the SQLite database here")
    parser.add_argument("--repeats", type=int, default=40, help="requests per page")
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes that screen (default 2)"
    )
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help=f"which of the steps after the import to run (default all: {','.join(STEPS)})",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip the import: use the organization an earlier run imported into this database",
    )
    parser.add_argument("--child", nargs=2, metavar=("STEP", "ORG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup(args.data_dir)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    if args.smoke:
        args.scale, args.repeats = 0.01, 5
    from django.core.management import call_command
    from django.db import connection

    from chainproof.accounts.models import Organization
    from chainproof.reference.services import bundled_datasets_load

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    print(
        f"database: {connection.vendor}{_settings()}; scale {args.scale}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        flush=True,
    )
    steps = [step.strip() for step in args.steps.split(",") if step.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        raise SystemExit(f"no such step: {', '.join(sorted(unknown))} (steps: {STEPS})")
    reuse = args.reuse or args.data_dir
    existing = Organization.objects.filter(name=ORG_NAME).last() if reuse else None
    if existing is None:
        org_id = _import(args.scale)
        _record("database size after the import", _database_size())
    else:
        org_id = existing.pk
    if "tiers" in steps:
        _tiers(org_id)
    if "rescore" in steps:
        _rescore(org_id)
    if "incremental" in steps:
        _incremental(org_id)
    if "screen" in steps:
        _screen(org_id, args.scale, args.workers)
    if "pages" in steps:
        _maintained()
        _pages(org_id, args.repeats)
        connection.close()
    if "crawl" in steps:
        _crawl(org_id)
        connection.close()
    if "export" in steps:
        for step, words in (("export", "CSV"), ("export-xlsx", "XLSX")):
            seconds, peak, detail = _in_child(step, org_id)
            _record(
                f"worksite list exported as {words}, streamed",
                f"{seconds:.1f} s, peak {peak:,.0f} MiB ({detail})",
                "constant memory",
            )

    print(f"\n{'what':<50} {'figure':<55} goal")
    for what, figure, goal in RESULTS:
        print(f"{what:<50} {figure:<55} {goal}")
    return 0


def _crawl(org_id: int) -> None:
    from django.test import Client
    from support.crawl import crawl

    from chainproof.accounts.models import Membership

    client = Client(raise_request_exception=False)
    client.force_login(Membership.objects.filter(organization_id=org_id).first().user)
    client.get("/")  # warm
    opened, left_out = crawl(client, org_id)
    slow = [(ms, url, status) for ms, url, status in opened if ms > 300]
    failed = [(url, status) for _, url, status in opened if status >= 500]
    _record(
        "every other page, opened (second opening timed)",
        f"{len(opened)} pages, {len(slow)} over 300 ms, {len(failed)} failed; slowest: "
        + ", ".join(f"{url} {ms:,.0f} ms" for ms, url, _ in opened[:5]),
        "p95 <= 300 ms",
    )
    for ms, url, status in opened[:25]:
        print(f"  {ms:9,.0f} ms  {status}  {url}", flush=True)
    for url, status in failed:
        print(f"  failed: {status} {url}", flush=True)
    if left_out:
        print(f"  not opened (the organization has no such record): {len(left_out)}", flush=True)


def _tiers(org_id: int) -> None:
    from django.db import connection

    from chainproof.suppliers.graph import tiers_recompute

    started = time.perf_counter()
    tiers = tiers_recompute(organization_id=org_id)
    _record(
        "tiers, whole graph",
        f"{time.perf_counter() - started:.1f} s ({tiers['nodes_with_tier']:,} nodes with a tier, "
        f"{tiers['cycle_count']:,} cycles)",
    )
    connection.close()


def _rescore(org_id: int) -> None:
    for label in ("full re-score", "full re-score, nothing changed"):
        seconds, peak, detail = _in_child("rescore", org_id)
        _record(
            label,
            f"{seconds:.1f} s, peak {peak:,.0f} MiB ({detail})",
            "<= 3 min and < 4 GB at scale 10",
        )


def _incremental(org_id: int) -> None:
    from django.db import connection, transaction

    from chainproof.domain.nodes import NodeKey
    from chainproof.risk.services import risk_rescore
    from chainproof.suppliers.models import Facility
    from chainproof.suppliers.services import facility_save

    facility = Facility.objects.filter(organization_id=org_id).order_by("pk")[5]
    with transaction.atomic():
        facility_save(
            organization=org_id,
            actor=None,
            facility=facility,
            data={"dprk_workers": "present", "dprk_worker_count": 3},
        )
    started = time.perf_counter()
    result = risk_rescore(organization_id=org_id, changed={NodeKey.facility(facility.pk)})
    _record(
        "incremental re-score after one worksite changes",
        f"{time.perf_counter() - started:.2f} s ({result['affected']:,} nodes affected)",
        "< 1 s",
    )
    connection.close()


def _screen(org_id: int, scale: float, workers: int) -> None:
    from django.db import connection

    from chainproof.jobs.kinds import JobKind

    names = int(150_000 * scale)  # suppliers and worksites
    figures = run_split(
        JobKind.SCREENING_SCREEN,
        org_id,
        workers,
        part_records=min(20_000, max(100, names // (4 * workers))),
    )
    result = figures["result"]
    _record(
        f"screening of every name, {workers} worker process(es)",
        f"{figures['wall']:.1f} s ({result['records']:,} records, {result['new_hits']:,} hits, in "
        f"{figures['parts']} parts, run by {figures['by']} worker(s); workers' CPU "
        f"{figures['cpu']:.0f} s)",
        "<= 6 min at scale 10 with two workers",
    )
    connection.close()


def _maintained() -> None:
    """On a PostgreSQL server whose autovacuum is off (as on the machine these figures were
    first taken on), VACUUM (ANALYZE) what the steps before wrote, as autovacuum does on a
    server with its default settings: otherwise the pages are timed on tables that were
    never analysed, with the dead rows of every update still in them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return
        started = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
    _record("VACUUM (ANALYZE), autovacuum being off", f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
