"""Benchmark: exporting a million worksites (and half a million suppliers) as CSV and XLSX.

Fills a database with 1,000,000 worksites and 500,000 suppliers with a DUNS number each
(plain bulk inserts: this measures the export, not the import), then downloads each list
through its page (`/suppliers/facilities/?format=csv`, ...) in a child process, reading the
streamed body piece by piece as a browser would, and prints for each: the time, the rows per
second, the size, and the child's peak memory. The same downloads from a second
organization holding a tenth of the rows show whether memory is flat in the number of
rows: the goal is that a million-row export needs no more memory than a
hundred-thousand-row one (constant memory, streamed).

Run: .venv/bin/python benchmarks/export_stream.py [--scale 0.1 | --smoke] [--data-dir DIR]
(--smoke is --scale 0.001: every step in seconds, as CI runs it; its figures mean nothing.
--data-dir keeps the SQLite database there and reuses the rows already in it.)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

from support import setup_django

FULL_FACILITIES = 1_000_000
COUNTRIES = ["CN", "VN", "BD", "IN", "TR", "MX", "US", "MY", "TH", "ID"]


def _setup(data_dir: str | None) -> None:
    setup_django(data_dir, prefix="chainproof-bench-")


def _fill(slug: str, facilities: int) -> None:
    """An organization `slug` with `facilities` worksites and half as many suppliers."""
    from django.db import transaction

    from chainproof.accounts.models import Organization
    from chainproof.accounts.services import membership_create, organization_create, user_create
    from chainproof.bulk import insert_values, reserve_ids
    from chainproof.suppliers.models import Facility, Supplier, SupplierIdentifier

    if Organization.objects.filter(slug=slug).exists():
        return
    suppliers = max(1, facilities // 2)
    started = time.perf_counter()
    with transaction.atomic():
        org = organization_create(name=slug, slug=slug)
        user = user_create(username=slug, password="bench password 2026!", organization=org)
        membership_create(organization=org, user=user, role="admin")
        ids = reserve_ids(Supplier, suppliers)
        insert_values(
            Supplier,
            ["id", "organization_id", "ref", "legal_name", "country", "normalized_name"],
            (
                [
                    pk,
                    org.pk,
                    f"S{n:07d}",
                    f"Golden Harbour Textiles {n} Co., Ltd.",
                    COUNTRIES[n % 10],
                    f"golden harbour textiles {n}",
                ]
                for n, pk in enumerate(ids)
            ),
        )
        insert_values(
            SupplierIdentifier,
            ["organization_id", "supplier_id", "scheme", "value"],
            ([org.pk, pk, "duns", f"{n:09d}"] for n, pk in enumerate(ids)),
        )
        insert_values(
            Facility,
            ["organization_id", "ref", "name", "country", "city", "postal_code", "supplier_id"],
            (
                [
                    org.pk,
                    f"F{n:07d}",
                    f"Eastern Dyeing Mill No. {n}",
                    COUNTRIES[n % 10],
                    "Guangzhou",
                    f"{n % 100000:05d}",
                    ids[n % suppliers],
                ]
                for n in range(facilities)
            ),
        )
    print(
        f"filled {slug}: {facilities:,} worksites, {suppliers:,} suppliers "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def _child(slug: str, url: str) -> None:
    """Download `url` as the admin of `slug`; print seconds, bytes and peak memory."""
    from django.test import Client
    from django.urls import get_resolver

    from chainproof.accounts.models import User

    get_resolver().url_patterns  # noqa: B018 (every view imported before the clock starts)
    client = Client()
    client.force_login(User.objects.get(username=slug))
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.streaming, "the export is not streamed"
    size = lines = 0
    for piece in response.streaming_content:
        size += len(piece)
        lines += piece.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.3f} {size} {lines} {baseline:.0f} {peak:.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 worksites")
    parser.add_argument("--smoke", action="store_true", help="--scale 0.001 (CI)")
    parser.add_argument("--data-dir", help="keep (and reuse) the SQLite database here")
    parser.add_argument("--child", nargs=2, metavar=("SLUG", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup(args.data_dir)
    if args.child:
        _child(*args.child)
        return 0
    if args.smoke:
        args.scale = 0.001
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    large = max(10, int(FULL_FACILITIES * args.scale))
    small = max(1, large // 10)
    _fill(f"export-{large}", large)
    _fill(f"export-{small}", small)
    print(f"database: {connection.vendor}")
    print(f"{'export':<28} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'MB':>7} {'peak MiB':>9}")
    peaks: dict[tuple[str, int], float] = {}
    env = dict(os.environ)
    for path, label in (("/suppliers/facilities/", "worksites"), ("/suppliers/", "suppliers")):
        for fmt in ("csv", "xlsx"):
            for rows in (small, large):
                count = rows if label == "worksites" else max(1, rows // 2)
                result = subprocess.run(
                    [sys.executable, __file__, "--child", f"export-{rows}", f"{path}?format={fmt}"],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0:
                    print(result.stdout, result.stderr, file=sys.stderr)
                    return 1
                elapsed, size, lines, baseline, peak = result.stdout.split()[-5:]
                if fmt == "csv":
                    assert int(lines) == count + 1, (lines, count)
                seconds = float(elapsed)
                peaks[(f"{label} {fmt}", rows)] = float(peak)
                print(
                    f"{label + ' ' + fmt:<28} {count:>10,} {seconds:>8.1f} "
                    f"{count / seconds:>9,.0f} {int(size) / 1e6:>7.1f} {float(peak):>9.0f}"
                    f"  (before the request {float(baseline):.0f})",
                    flush=True,
                )
    for (name, rows), peak in peaks.items():
        if rows == large and (name, small) in peaks:
            print(
                f"memory, {name}: {large:,} vs {small:,} rows: "
                f"{peak / peaks[(name, small)]:.2f}x (1.00 = flat)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
