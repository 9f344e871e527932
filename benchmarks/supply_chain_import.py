"""Benchmark: importing a large supply chain, listing suppliers, computing tiers.

Generates 50,000 suppliers, 100,000 facilities and 300,000 links (a realistic mix of
countries, several tiers deep, with a few cycles and unknown origins), imports them
through the same code path as `chainproof import` into a fresh SQLite database (or the
database in DATABASE_URL), then measures:

- the import of each file and in total (target: under 120 s);
- the supplier list page, p95 of 50 requests with varied search/filter/sort/page
  (target: under 200 ms);
- tier computation for the whole graph, from the database (target: under 10 s).

Run: .venv/bin/python benchmarks/supply_chain_import.py [--scale 0.1 | --smoke]
(--smoke is --scale 0.01: every step in seconds, as CI runs it; its figures mean nothing.)
"""

from __future__ import annotations

import argparse
import atexit
import csv
import io
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time

COUNTRIES = (
    ["CN"] * 30
    + ["VN"] * 8
    + ["BD"] * 8
    + ["IN"] * 10
    + ["MY"] * 4
    + ["TH"] * 4
    + ["ID"] * 4
    + ["PK"] * 4
    + ["TR"] * 3
    + ["MX"] * 4
    + ["US"] * 6
    + ["RU"] * 2
    + ["KR"] * 3
    + ["TW"] * 3
    + ["IT"] * 2
    + ["BR"] * 3
    + ["CD"] * 1
    + ["CL"] * 1
)
SUBDIVISIONS = {
    "CN": ["Guangdong", "Zhejiang", "Jiangsu", "Shandong", "Xinjiang", "Fujian"],
    "VN": ["Bac Ninh", "Binh Duong"],
    "IN": ["Tamil Nadu", "Gujarat"],
}
WORDS = [
    "Golden",
    "Harbour",
    "Eastern",
    "Pacific",
    "United",
    "Star",
    "Lotus",
    "River",
    "Summit",
    "Crown",
    "Jade",
    "Orient",
    "Delta",
    "Prime",
    "Sun",
    "Green",
]
TRADES = [
    "Textiles",
    "Garments",
    "Electronics",
    "Seafood",
    "Metals",
    "Plastics",
    "Solar",
    "Packaging",
    "Chemicals",
    "Foods",
    "Cotton",
    "Components",
]
FORMS = ["Co., Ltd.", "Ltd.", "Inc.", "JSC", "Pvt. Ltd.", "S.A. de C.V.", "Sdn. Bhd."]
MATERIALS = [
    "Scrap",
    "Cotton",
    "Yarn",
    "Fabric",
    "Polysilicon",
    "Wafer",
    "Cell",
    "Aluminium",
    "Steel",
    "PVC",
    "Cobalt",
    "Pollock",
    "Tomato paste",
    "Rubber",
    "Copper",
    "Glass",
    "Resin",
]


def layout_csv(entity: str, rows: list[dict[str, object]]) -> bytes:
    """A file in the importer's own layout: its columns in its order, read from
    `chainproof.domain.supply_columns`, so a column added there is written empty here
    (never a hand-written header that drifts). A name the layout does not know, or a
    required column a row leaves out, stops the benchmark with the column's name."""
    from chainproof.domain.supply_columns import COLUMN_SETS

    layout = COLUMN_SETS[entity]
    required = {c.name for c in layout.columns if c.required}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=layout.column_names, restval="")
    writer.writeheader()
    for row in rows:
        unknown = row.keys() - set(layout.column_names)
        missing = required - row.keys()
        if unknown or missing:
            raise SystemExit(
                f"{entity}: the generator is out of step with the import layout: "
                f"unknown column(s) {sorted(unknown)}, required column(s) missing {sorted(missing)}"
            )
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def generate(
    n_suppliers: int, n_facilities: int, n_links: int, seed: int = 7, n_products: int = 200
) -> dict:
    rng = random.Random(seed)
    suppliers: list[dict[str, object]] = []
    facilities: list[dict[str, object]] = []
    supplier_country = []
    for i in range(n_suppliers):
        country = rng.choice(COUNTRIES)
        supplier_country.append(country)
        name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {i:06d} {rng.choice(FORMS)}"
        duns = f"{100000000 + i}" if i % 3 == 0 else ""
        suppliers.append(
            {
                "ref": f"S{i:06d}",
                "legal_name": name,
                "country": country,
                "status": "active",
                "tags": rng.choice(TRADES).lower(),
                "duns": duns,
            }
        )
    for j in range(n_facilities):
        owner = j % n_suppliers
        country = supplier_country[owner]
        subdivision = rng.choice(SUBDIVISIONS.get(country, [""]))
        facilities.append(
            {
                "ref": f"F{j:06d}",
                "name": f"Plant {j:06d} of S{owner:06d}",
                "kind": "factory",
                "supplier": f"S{owner:06d}",
                "address": f"{rng.randint(1, 999)} Industrial Road {j % 50}",
                "city": f"City {j % 300}",
                "subdivision": subdivision,
                "country": country,
                "activities": "manufacturing",
                "products_made": rng.choice(MATERIALS).lower(),
                "total_workers": rng.randint(20, 5000),
                "dprk_workers": rng.choice(["none", "unknown", "none", "none"]),
                "figures_date": "2026-01-01",
            }
        )
    materials: list[dict[str, object]] = [{"name": m} for m in MATERIALS]
    products: list[dict[str, object]] = [
        {
            "sku": f"P{k:03d}",
            "name": f"Finished good {k}",
            "hts_code": "6109.10.00.12",
            "inputs": " | ".join(rng.sample(MATERIALS, 3)),
        }
        for k in range(n_products)
    ]
    # Tiers: the first 2% of facilities ship to the importer; every other facility ships
    # to a facility of a lower index, so the graph is layered, several tiers deep.
    links: list[dict[str, object]] = []
    tier1 = max(1, n_facilities // 50)
    seen: set[tuple[object, ...]] = set()
    for j in range(tier1):
        links.append(
            {
                "from_facility": f"F{j:06d}",
                "to_importer": "yes",
                "product_sku": f"P{j % n_products:03d}",
                "valid_from": "2025-01-01",
                "evidence": "PO",
            }
        )
        seen.add((j, -1))
    while len(links) < n_links:
        source = rng.randrange(tier1, n_facilities)
        target = rng.randrange(0, max(1, source // 3))
        if source == target or (source, target) in seen:
            continue
        seen.add((source, target))
        if rng.random() < 0.01:
            material = rng.choice(MATERIALS)
            if ("unknown", target, material) in seen:
                continue
            seen.add(("unknown", target, material))
            links.append(
                {
                    "from_unknown": "yes",
                    "to_facility": f"F{target:06d}",
                    "material": material,
                    "valid_from": "2025-01-01",
                }
            )
            continue
        links.append(
            {
                "from_facility": f"F{source:06d}",
                "to_facility": f"F{target:06d}",
                "material": rng.choice(MATERIALS),
                "valid_from": "2025-01-01",
                "evidence": "invoice",
            }
        )
        if target >= tier1 and rng.random() < 0.0005 and (target, source) not in seen:
            seen.add((target, source))  # a link back (returns, rework) closes a real cycle
            links.append(
                {
                    "from_facility": f"F{target:06d}",
                    "to_facility": f"F{source:06d}",
                    "material": "Scrap",
                    "valid_from": "2025-01-01",
                }
            )
    return {
        "suppliers": layout_csv("suppliers", suppliers),
        "facilities": layout_csv("facilities", facilities),
        "materials": layout_csv("materials", materials),
        "products": layout_csv("products", products),
        "links": layout_csv("links", links),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Fraction of the full size (1.0 = 50k/100k/300k)."
    )
    parser.add_argument(
        "--smoke", action="store_true", help="--scale 0.01: every step in seconds (CI)."
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale = 0.01
    if "DATABASE_URL" not in os.environ:
        # Imported here: tests import this module's generator as benchmarks.supply_chain_import
        from support import use_data_dir

        data_dir = tempfile.mkdtemp(prefix="chainproof-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        use_data_dir(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    os.environ.setdefault("CHAINPROOF_ALLOWED_HOSTS", "testserver")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from chainproof.accounts.services import membership_create, organization_create, user_create
    from chainproof.reference.services import bundled_datasets_load
    from chainproof.suppliers.graph import tiers_recompute
    from chainproof.suppliers.importing import run_import
    from chainproof.suppliers.models import Facility, Supplier, SupplyLink

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    with transaction.atomic():
        org = organization_create(name=f"Bench {time.time_ns()}")
        user = user_create(
            username=f"bench{time.time_ns()}", password="bench password 2026!", organization=org
        )
        membership_create(organization=org, user=user, role="admin")

    n_s, n_f, n_l = (int(50_000 * args.scale), int(100_000 * args.scale), int(300_000 * args.scale))
    print(
        f"database: {connection.vendor}; generating {n_s:,} suppliers, {n_f:,} facilities, "
        f"{n_l:,} links"
    )
    files = generate(n_s, n_f, n_l)
    print("file sizes: " + ", ".join(f"{k} {len(v) / 1e6:.1f} MB" for k, v in files.items()))

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
        print(
            f"import {entity:<10} {report.rows:>8,} rows  {elapsed:7.1f} s  "
            f"({report.rows / elapsed:,.0f} rows/s)  created {report.created:,}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"IMPORT TOTAL {total:.1f} s (target < 120 s); peak memory (RSS) {peak:.0f} MiB")
    assert Supplier.objects.filter(organization=org).count() == n_s
    assert Facility.objects.filter(organization=org).count() == n_f
    assert SupplyLink.objects.filter(organization=org).count() == n_l

    started = time.perf_counter()
    again = run_import(
        organization=org,
        actor=user,
        entity="suppliers",
        data=files["suppliers"],
        file_name="suppliers.csv",
    )
    assert again.unchanged == n_s, (again.unchanged, n_s)
    print(
        f"re-import suppliers (all unchanged: {again.unchanged:,}) "
        f"{time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(user)
    queries = [
        {},
        {"q": "golden"},
        {"country": "CN"},
        {"tier": "2"},
        {"sort": "-tier"},
        {"q": "textiles", "country": "VN"},
        {"page": "400"},
        {"sort": "country"},
        {"status": "active", "tier": "3"},
        {"q": "S012345"},
    ]
    timings = []
    for i in range(50):
        started = time.perf_counter()
        response = client.get("/suppliers/", queries[i % len(queries)])
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"supplier list page: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
        f"max {timings[-1]:.0f} ms over 50 requests (target p95 < 200 ms)"
    )

    started = time.perf_counter()
    result = tiers_recompute(organization_id=org.pk)
    elapsed = time.perf_counter() - started
    assert result["nodes_with_tier"] > 0, result
    print(
        f"tier computation, whole graph: {elapsed:.1f} s (target < 10 s); "
        f"{result['nodes_with_tier']:,} nodes reach the importer, "
        f"{result['cycle_count']} cycle(s) reported"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    raise SystemExit(main())
