"""Concurrent writers: many people saving records at once, on SQLite or PostgreSQL.

Twenty threads (each with its own database connection, as waitress's threads have) save
suppliers and facilities through the services, each save in its own transaction with its
audit event and recomputation trigger, while a worker thread drains the jobs they queue.
Prints the saves per second and every error by kind; the goal is zero errors and an audit
chain that verifies afterwards.

Run: .venv/bin/python benchmarks/concurrent_writers.py [--writers 20 --saves 25 | --smoke]
On PostgreSQL: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python ...
(the database must exist; the benchmark adds its own organization and leaves it there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from collections import Counter

from support import use_data_dir


def setup() -> str | None:
    made = None
    if not os.environ.get("CHAINPROOF_DATA_DIR"):
        made = tempfile.mkdtemp(prefix="chainproof-bench-writers-")
        use_data_dir(made)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    import django

    django.setup()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--saves", type=int, default=25, help="saves per writer")
    parser.add_argument("--smoke", action="store_true", help="4 writers x 5 saves (CI)")
    options = parser.parse_args()
    if options.smoke:
        options.writers, options.saves = 4, 5
    made = setup()
    try:
        return run(options.writers, options.saves)
    finally:
        if made:
            shutil.rmtree(made, ignore_errors=True)


def run(writers: int, saves: int) -> int:
    from django.core.management import call_command
    from django.db import close_old_connections, connection, transaction

    from chainproof.accounts.services import organization_create
    from chainproof.audit.selectors import verify_organization_chain
    from chainproof.jobs.services import run_pending
    from chainproof.reference.services import bundled_datasets_load
    from chainproof.suppliers.services import facility_save, supplier_save

    call_command("migrate", verbosity=0)
    bundled_datasets_load()
    with transaction.atomic():
        org = organization_create(name=f"Writers bench {time.time_ns()}")
    errors: Counter[str] = Counter()
    done = Counter[str]()
    stop = threading.Event()
    lock = threading.Lock()

    def writer(number: int) -> None:
        try:
            for n in range(saves):
                try:
                    with transaction.atomic():
                        supplier = supplier_save(
                            organization=org.pk,
                            actor=None,
                            data={"legal_name": f"Writer {number} Co {n}", "country": "CN"},
                        )
                        facility_save(
                            organization=org.pk,
                            actor=None,
                            data={
                                "name": f"Writer {number} Plant {n}",
                                "country": "VN",
                                "supplier": supplier,
                            },
                        )
                    with lock:
                        done["saves"] += 1
                except Exception as exc:  # counted and reported, the run goes on
                    with lock:
                        errors[f"{type(exc).__name__}: {str(exc)[:80]}"] += 1
        finally:
            connection.close()

    def worker() -> None:
        try:
            while not stop.is_set():
                try:
                    ran = run_pending(limit=20)
                except Exception as exc:
                    with lock:
                        errors[f"worker {type(exc).__name__}: {str(exc)[:80]}"] += 1
                    ran = 0
                with lock:
                    done["jobs"] += ran
                close_old_connections()
                if not ran:
                    time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    background = threading.Thread(target=worker)
    started = time.perf_counter()
    background.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stop.set()
    background.join()
    done["jobs"] += run_pending()
    chain = verify_organization_chain(org.pk)
    vendor = connection.vendor
    total = writers * saves
    print(f"database: {vendor}; {writers} writers x {saves} saves (supplier + facility each)")
    print(
        f"saved {done['saves']} of {total} in {elapsed:.1f} s ({done['saves'] / elapsed:.0f}/s); "
        f"{done['jobs']} background jobs ran"
    )
    print(f"errors: {sum(errors.values())}")
    for kind, count in errors.most_common():
        print(f"  {count} x {kind}")
    print(f"audit chain: {'intact' if chain.ok else 'BROKEN: ' + str(chain.first_break)}")
    ok = not errors and chain.ok and done["saves"] == total
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
