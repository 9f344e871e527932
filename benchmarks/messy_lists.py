"""Benchmark: importing supplier lists as people really have them.

Imports each messy list of `tests/data/messy_supplier_lists/` (an ERP vendor-master
export in Windows-1252 with semicolons and title rows, a spreadsheet kept for years with a
bilingual header and Chinese names, an Open Supply Hub download) through the same code
path as `chainproof import KIND FILE --mapping M --import-valid`, each into a fresh
organization, and scores the result against the answer key (`truth.json`):

- rows imported without a hand edit after the mapping is confirmed (goal: at least 95%);
- true duplicates found (rows of one true group merged together or held as likely
  duplicates of each other) vs missed, and rows wrongly linked to another company;
- the rows that needed a hand edit and were held pending (they must not be imported).

Run: .venv/bin/python benchmarks/messy_lists.py [--smoke]
(the lists are small: --smoke runs the same and is accepted so CI can run every benchmark.)
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from support import use_data_dir

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "messy_supplier_lists"


def _pairs(groups: list[set[int]]) -> set[frozenset[int]]:
    return {frozenset((a, b)) for g in groups for a in g for b in g if a < b}


def _clusters(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return {x: find(x) for x in list(parent)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="the same run (the lists are small)")
    parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        data_dir = tempfile.mkdtemp(prefix="chainproof-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
        use_data_dir(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from chainproof.accounts.services import membership_create, organization_create, user_create
    from chainproof.reference.services import bundled_datasets_load
    from chainproof.suppliers.importing import run_import
    from chainproof.suppliers.models import Facility, ImportRow, Supplier

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    truth = json.loads((DATA / "truth.json").read_text(encoding="utf-8"))
    totals = {"rows": 0, "imported": 0, "pairs": 0, "found": 0, "wrong": 0}
    failed = False
    print(
        f"{'file':<28} {'rows':>5} {'imported':>9} {'pending':>8} {'no edit':>8} "
        f"{'dup pairs':>9} {'found':>6} {'missed':>6} {'wrong':>6} {'hand-edit rows held':>20} "
        f"{'time':>6}"
    )
    for spec in truth["files"]:
        with transaction.atomic():
            org = organization_create(name=f"Messy {spec['file']} {time.time_ns()}")
            user = user_create(
                username=f"messy{time.time_ns()}", password="messy lists 2026!", organization=org
            )
            membership_create(organization=org, user=user, role="admin")
        mapping = spec["mapping"]
        if isinstance(mapping, dict):
            mapping = ";".join(f"{k}={v}" for k, v in mapping.items())
        else:
            mapping = mapping.replace("_", "-")
        started = time.perf_counter()
        report = run_import(
            organization=org,
            actor=user,
            entity=spec["entity"],
            data=(DATA / spec["file"]).read_bytes(),
            file_name=spec["file"],
            mapping=mapping,
            import_valid=True,
        )
        elapsed = time.perf_counter() - started
        pending_lines = set(
            ImportRow.objects.filter(batch_id=report.batch_id).values_list("line", flat=True)
        )
        rows = report.rows
        imported = rows - len(pending_lines)
        # duplicates: rows linked by a merge or held as a likely duplicate of another row
        edges = [(d["row"], d["of"]) for d in report.duplicates if d["of"]]
        cluster = _clusters(edges)
        true_groups = [set(g["rows"]) for g in spec["duplicate_groups"]]
        true_pairs = _pairs(true_groups)
        found = {
            p
            for p in true_pairs
            if all(r in cluster for r in p) and len({cluster[r] for r in p}) == 1
        }
        group_of = {r: i for i, g in enumerate(true_groups) for r in g}
        wrong = sum(1 for a, b in edges if group_of.get(a, -a) != group_of.get(b, -b))
        held = {h["row"] for h in spec["needs_hand_edit"]}
        held_ok = len(held & pending_lines)
        stored = (
            (Supplier if spec["entity"] == "suppliers" else Facility)
            .objects.filter(organization=org)
            .count()
        )
        print(
            f"{spec['file']:<28} {rows:>5} {imported:>9} {len(pending_lines):>8} "
            f"{imported / rows:>7.1%} {len(true_pairs):>9} {len(found):>6} "
            f"{len(true_pairs) - len(found):>6} {wrong:>6} {held_ok:>9} of {len(held):<8} "
            f"{elapsed:>5.1f}s"
        )
        print(f"    {stored} records stored; {report.merged} rows merged into a duplicate row")
        for problem in report.problems:
            if problem["row"] not in held:
                print(
                    f"    held, not in the key: row {problem['row']} {problem['column']}: "
                    f"expected {problem['expected'][:110]}, found {problem['found']!r}"
                )
        totals["rows"] += rows
        totals["imported"] += imported
        totals["pairs"] += len(true_pairs)
        totals["found"] += len(found)
        totals["wrong"] += wrong
        failed |= held_ok != len(held)
    share = totals["imported"] / totals["rows"]
    print(
        f"ALL: {totals['imported']} of {totals['rows']} rows imported without a hand edit "
        f"({share:.1%}; goal >= 95%); duplicate pairs found {totals['found']} of "
        f"{totals['pairs']} ({totals['found'] / max(1, totals['pairs']):.1%}), "
        f"wrongly linked {totals['wrong']}"
    )
    if failed:
        print("FAILED: a row that needs a hand edit was imported", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
