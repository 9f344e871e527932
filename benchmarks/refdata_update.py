"""Benchmark: how long an update of each reference list takes, end to end: fetched from a
local HTTP server on 127.0.0.1 (standing in for the publisher), parsed, validated, diffed
against the edition in force, and loaded as a new edition (with its audit event and the
queued re-screen and re-score).

Each list served is its bundled edition with a few changes (one entry removed, one value
changed, one entry added when the kind allows), in chainproof's CSV layout: the
publishers' own formats go through their parsers (reference/sources/) into the same flow,
so the timings after the parse are the same for them. Times are the median of --repeat
runs, each on a fresh edition name.

Run: .venv/bin/python benchmarks/refdata_update.py [--repeat 5 | --smoke]
(--smoke is one run of each list: every step in seconds, as CI runs it.)
Runs on a fresh temporary SQLite database and data directory unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import io
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from support import use_data_dir

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

FILES = {
    "tip_tiers": "tip_tier_placements.csv",
    "dol_goods": "ilab_tvpra_goods_list.csv",
    "cbp_wro_findings": "cbp_wro_findings.csv",
    "uflpa_entity_list": "uflpa_entity_list.csv",
    "ofac_sdn_dprk": "ofac_sdn_dprk.csv",
}
# The column each run changes in one entry (so every run is a new edition to load).
CHANGED = {
    "tip_tiers": "note",
    "dol_goods": "sector",
    "cbp_wro_findings": "remarks",
    "uflpa_entity_list": "aliases",
    "ofac_sdn_dprk": "alternate_names",
}


def serve(files: dict[str, bytes]) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path.lstrip("/"), b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def changed(path: Path, kind: str, run: int) -> bytes:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    rows = rows[1:]  # one removed
    column = CHANGED[kind]
    rows[0][column] = " | ".join(filter(None, [rows[0][column], f"benchmark run {run}"]))
    if kind == "ofac_sdn_dprk":
        rows.append({**rows[1], "ent_num": str(90_000_000 + run), "name": f"BENCH CORP {run}"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per list (median shown)")
    parser.add_argument("--smoke", action="store_true", help="one run per list (CI).")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 1
        print("smoke run: one update of each list")
    work = Path(tempfile.mkdtemp(prefix="chainproof-bench-refdata-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    if "DATABASE_URL" not in os.environ:
        (work / "data").mkdir()
        use_data_dir(work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from chainproof.reference.services import BUNDLED_DIR, bundled_datasets_load
    from chainproof.reference.updates import read_sources, update_check, update_load

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    print(f"database: {connection.vendor}; {args.repeat} run(s) per list; medians in ms")
    print(f"{'list':<20}{'rows':>6}{'fetch':>9}{'parse+check+diff':>18}{'load':>9}{'total':>9}")
    today = timezone.localdate()
    for kind, name in FILES.items():
        timings: dict[str, list[float]] = {"fetch": [], "check": [], "load": []}
        summary, rows = "", 0
        for run in range(args.repeat):
            server, base = serve({name: changed(BUNDLED_DIR / name, kind, run)})
            try:
                started = time.perf_counter()
                files = read_sources(kind, [base + name])
                fetched = time.perf_counter()
                plan = update_check(kind, files=files, today=today)
                checked = time.perf_counter()
                with transaction.atomic():
                    outcome = update_load(plan)
                loaded = time.perf_counter()
            finally:
                server.shutdown()
                server.server_close()
            timings["fetch"].append((fetched - started) * 1000)
            timings["check"].append((checked - fetched) * 1000)
            timings["load"].append((loaded - checked) * 1000)
            summary, rows = plan.diff.summary(), outcome.dataset.row_count
        median = {k: statistics.median(v) for k, v in timings.items()}
        total = sum(median.values())
        print(
            f"{kind:<20}{rows:>6}{median['fetch']:>9.1f}{median['check']:>18.1f}"
            f"{median['load']:>9.1f}{total:>9.1f}"
        )
        print(f"{'':<20}diff of the last run: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
