"""Benchmark: risk scoring of a large network.

Builds a network of 100,000 facilities (50,000 suppliers) and 300,000 links with a
realistic mix of countries (including sites in Xinjiang), goods mapped to the DOL List of
Goods and CBP high-priority sectors, and unknown North Korean worker status, imported
through the normal import path. Then measures, on SQLite (or DATABASE_URL):

- a full re-score from the database including writing every assessment (target <= 15 s),
  run in a child process so its peak memory is measured alone (target <= 600 MiB, flat in
  the graph's size: compare --scale 0.5 and 1);
- a second full re-score with nothing changed (nothing is written; target <= 8 s);
- re-scoring after one facility changes, only the affected downstream nodes (target < 1 s);
- a full re-score after those changes (only the changed component is scored again).

Each full run prints its wall time and its process CPU time: on a machine shared with
other work the CPU time is the steadier figure.

Run: .venv/bin/python benchmarks/risk_network.py [--scale 0.1 | --smoke] [--data-dir DIR]
(--smoke is --scale 0.01: every step in seconds, as CI runs it; its figures mean nothing.
--data-dir keeps the database there and reuses a network already built in it.)

With ``--workers 1,2,4`` it measures instead the full re-score split across that many
`chainproof worker` processes (jobs.services.job_split), each figure from the job's
queuing to its end, every assessment written each time. A full run splits by connected
component, and the network above is one component: this mode imports ``--networks``
separate networks of the same size in all instead (the same generator, refs kept apart),
and first times one process scoring them unsplit. Use it on PostgreSQL (DATABASE_URL);
the task backend is CHAINPROOF_TASKS_BACKEND's (the database by default).

Where a full re-score goes (issue 19; cProfile and /proc/self/status at --scale 0.3, 45,200
nodes of which 45,158 in one component, SQLite, before the changes of that issue):
- with every assessment written (10.5 s CPU): writing a third (JSON of reasons and checks,
  the text rule, executemany, commit), the engine two fifths (presumption checks, propagation,
  the upstream explanations, own points about equally), reading the graph a fifth,
  fingerprints and component digests the rest;
- with nothing changed (3.1 s CPU): reading the graph into facts over half, the component
  digests a fifth, the current assessments through the ORM a tenth, the components the rest;
  the cycle collector walking the run's records again and again made both grow faster
  than the graph (now off during a run);
- peak memory (305 MiB with writes, 251 without): 100 MiB of Django, up to 64 MiB of SQLite
  page cache (settings: cache_size), the facts and edges (about 40 MiB), and every node's
  score, reasons and findings kept until written (87 MiB at the engine's peak), plus a
  process-wide cache of every node's name (domain.names.core_name). Scores are now written
  as they are worked out and findings dropped once passed on; the graph's facts are still
  all read at once, so the peak still grows with the graph.
The peak this benchmark printed before was the importing parent's (``peak_mib``).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time

from support import peak_mib, use_data_dir

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "src"))

DOL = {
    "Cotton": ("Cotton", "cotton"),
    "Yarn": ("Cotton", "cotton"),
    "Fabric": ("Garments", "cotton"),
    "Polysilicon": ("Polysilicon", "polysilicon"),
    "Wafer": ("Polysilicon", "polysilicon"),
    "Cell": ("Solar Cells", "polysilicon"),
    "Aluminium": ("", "aluminum"),
    "Steel": ("", "steel"),
    "PVC": ("", "pvc"),
    "Cobalt": ("Cobalt Ore (heterogenite)", "batteries"),
    "Pollock": ("Fish", "seafood"),
    "Tomato paste": ("Tomatoes", "tomatoes"),
    "Rubber": ("Rubber", ""),
    "Copper": ("", ""),
    "Glass": ("", ""),
    "Resin": ("", ""),
    "Scrap": ("", ""),
}


def setup(data_dir: str | None, scale: float) -> None:
    if data_dir:
        use_data_dir(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    import django

    django.setup()


def materials_csv() -> bytes:
    from supply_chain_import import layout_csv

    return layout_csv(
        "materials",
        [
            {"name": name, "dol_goods": good, "high_scrutiny_sector": sector}
            for name, (good, sector) in DOL.items()
        ],
    )


def build(scale: float) -> int:
    from django.core.management import call_command
    from django.db import transaction
    from supply_chain_import import generate

    from chainproof.accounts.services import organization_create
    from chainproof.reference.services import bundled_datasets_load
    from chainproof.suppliers.importing import run_import

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    with transaction.atomic():
        org = organization_create(name=f"Risk bench {time.time_ns()}")
    files = generate(int(50_000 * scale), int(100_000 * scale), int(300_000 * scale), seed=11)
    files["materials"] = materials_csv()
    started = time.perf_counter()
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        run_import(
            organization=org,
            actor=None,
            entity=entity,
            data=files[entity],
            file_name=f"{entity}.csv",
        )
    print(
        f"setup: network imported in {time.perf_counter() - started:.1f} s "
        f"(not part of the targets)"
    )
    return org.pk


def separate_networks(scale: float, networks: int) -> dict[str, bytes]:
    """``networks`` networks that no link joins, of ``scale`` in all, as the import's files."""
    import csv
    import io
    import re

    from supply_chain_import import generate, layout_csv

    ref = re.compile(r"\b([SFP])(\d{3,6})\b")
    rows: dict[str, list[dict[str, object]]] = {}
    for n in range(networks):
        files = generate(
            int(50_000 * scale / networks),
            int(100_000 * scale / networks),
            int(300_000 * scale / networks),
            seed=11 + n,
        )
        for entity in ("suppliers", "facilities", "products", "links"):
            for row in csv.DictReader(io.StringIO(files[entity].decode("utf-8"))):
                row = {
                    key: ref.sub(rf"N{n}\1\2", value) if value else value
                    for key, value in row.items()
                }
                if entity == "suppliers":
                    row["legal_name"] = f"N{n} {row['legal_name']}"
                    row["duns"] = ""
                if entity == "products":
                    row["name"] = f"{row['name']} (network {n})"
                rows.setdefault(entity, []).append(row)
    found = {entity: layout_csv(entity, listed) for entity, listed in rows.items()}
    found["materials"] = materials_csv()
    return found


def build_separate(scale: float, networks: int) -> int:
    from django.db import transaction

    from chainproof.accounts.services import organization_create
    from chainproof.reference.services import bundled_datasets_load
    from chainproof.suppliers.importing import run_import

    bundled_datasets_load()
    with transaction.atomic():
        org = organization_create(name=f"Risk bench {networks} networks {time.time_ns()}")
    files = separate_networks(scale, networks)
    started = time.perf_counter()
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        run_import(
            organization=org, actor=None, entity=entity, data=files[entity], file_name=entity
        )
    print(f"setup: {networks} networks imported in {time.perf_counter() - started:.1f} s")
    return org.pk


def _forget_scores(org_id: int) -> None:
    from chainproof.risk.models import RiskAssessment, ScoredComponent

    RiskAssessment.objects.filter(organization_id=org_id).delete()
    ScoredComponent.objects.filter(organization_id=org_id).delete()


def split_runs(org_id: int, counts: list[int], networks: int) -> None:
    """The full re-score by 1, 2, 4... worker processes, every assessment written."""
    from support import quiet_queued_jobs, run_split

    from chainproof.jobs.kinds import JobKind
    from chainproof.risk.services import risk_score_all

    # What the import queued (tiers, screening, a first scoring) is left out: tiers are
    # worked out by the first scoring below.
    print(f"setup: {quiet_queued_jobs()} job(s) the import queued left out")
    _forget_scores(org_id)
    cpu = time.process_time()
    result = risk_score_all(organization_id=org_id)
    print(
        f"one process, not split: {result['seconds']:.1f} s (CPU "
        f"{time.process_time() - cpu:.1f} s) for {result['nodes']:,} nodes in "
        f"{result['components']:,} components, {result['changed']:,} assessments written"
    )
    part = max(1, -(-result["nodes"] // networks))
    for count in counts:
        _forget_scores(org_id)
        figures = run_split(JobKind.RISK_SCORE_ALL, org_id, count, part, timeout=1800)
        print(
            f"{count} worker process(es): {figures['wall']:.1f} s from queuing to the end, "
            f"{figures['parts']} parts ({figures['busy']:.1f} s of part work, run by "
            f"{figures['by']} worker(s)), {figures['result']['changed']:,} assessments "
            f"written; CPU of the workers, start to stop, {figures['cpu']:.1f} s; load "
            f"average {os.getloadavg()[0]:.1f}"
        )


def score_child(org_id: int) -> None:
    """Run in a fresh process: one full scoring, then report time and peak memory."""
    from chainproof.risk.services import risk_score_all

    cpu = time.process_time()
    result = risk_score_all(organization_id=org_id)
    cpu = time.process_time() - cpu
    print(
        f"FULL {result['seconds']} {result['nodes']} {result['changed']} {peak_mib():.0f} "
        f"{cpu:.1f} {result['skipped']} {result['components']}"
    )


def full_run(org_id: int, data_dir: str | None, scale: float, label: str) -> int:
    """A full re-score in a child process; prints its figures, returns how many were written."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--child-score", str(org_id), "--scale", str(scale)]
        + (["--data-dir", data_dir] if data_dir else []),
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("FULL "))
    _, seconds, nodes, changed, peak, cpu, skipped, parts = line.split()
    assert int(nodes) > 0, line
    print(
        f"{label}: {float(seconds):.1f} s (CPU {float(cpu):.1f} s) for {int(nodes):,} nodes "
        f"in {int(parts):,} component(s), {int(skipped):,} skipped, {int(changed):,} "
        f"assessments written; peak memory {peak} MiB "
        f"(wall {time.perf_counter() - started:.1f} s with process start)"
    )
    return int(changed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--smoke", action="store_true", help="--scale 0.01: every step in seconds (CI)."
    )
    parser.add_argument("--child-score", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--workers",
        help="Measure the full re-score split across this many worker processes, e.g. 1,2,4.",
    )
    parser.add_argument(
        "--networks",
        type=int,
        default=8,
        help="With --workers: how many separate networks make the graph (default 8).",
    )
    parser.add_argument(
        "--data-dir", help="Keep the database in this directory; reuse a network built there."
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale = 0.01
    if args.child_score:
        setup(args.data_dir, args.scale)
        score_child(args.child_score)
        return 0

    data_dir = args.data_dir
    if "DATABASE_URL" not in os.environ and data_dir is None:
        data_dir = tempfile.mkdtemp(prefix="chainproof-risk-bench-")
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    setup(data_dir, args.scale)
    from django.core.management import call_command
    from django.db import connection, transaction

    from chainproof.accounts.models import Organization

    call_command("migrate", verbosity=0)

    print(
        f"database: {connection.vendor}; scale {args.scale} "
        f"({int(100_000 * args.scale):,} facilities, {int(300_000 * args.scale):,} links); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    if args.workers:
        counts = [int(n) for n in args.workers.split(",")]
        org_id = build_separate(args.scale, args.networks)
        split_runs(org_id, counts, args.networks)
        return 0
    built = args.data_dir and Organization.objects.filter(name__startswith="Risk bench").first()
    org_id = built.pk if built else build(args.scale)
    if built:  # a network reused: its first run writes every assessment again too
        _forget_scores(org_id)
    connection.close()

    written = full_run(
        org_id, data_dir, args.scale, "full re-score, first run (targets <= 15 s, <= 600 MiB)"
    )
    assert written > 0
    written = full_run(
        org_id, data_dir, args.scale, "full re-score, nothing changed (target <= 8 s)"
    )
    assert written == 0

    from chainproof.domain.nodes import NodeKey
    from chainproof.risk.services import risk_rescore
    from chainproof.suppliers.models import Facility
    from chainproof.suppliers.services import facility_save

    for label, ref_index in (
        ("a deep-tier facility", int(90_000 * args.scale)),
        ("a mid-tier facility", int(20_000 * args.scale)),
        ("a tier-1 facility", 5),
    ):
        facility = Facility.objects.get(organization_id=org_id, ref=f"F{ref_index:06d}")
        with transaction.atomic():
            facility_save(
                organization=org_id,
                actor=None,
                facility=facility,
                data={"dprk_workers": "present", "dprk_worker_count": 7},
            )
        started = time.perf_counter()
        result = risk_rescore(organization_id=org_id, changed={NodeKey.facility(facility.pk)})
        elapsed = time.perf_counter() - started
        assert result["affected"] > 0, result
        print(
            f"re-score after {label} changes: {elapsed:.2f} s, {result['affected']:,} "
            f"affected node(s), {result['changed']:,} assessment(s) written (target < 1 s)"
        )
    connection.close()
    full_run(org_id, data_dir, args.scale, "full re-score after those three changes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
