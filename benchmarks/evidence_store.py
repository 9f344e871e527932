"""Benchmark: ingest 10,000 files totalling 2 GB into the evidence locker, then verify them
all; next to `sha256sum` on the same files in the same run (targets: verify within 1.2x of
`sha256sum`'s time, ingest within 2x), with peak memory, which must stay flat (not grow with
the size of a file).

Ingest is measured twice: the store alone (`file_receive`: spool while hashing, check by
content, publish under the hash) and the whole locker path (`file_receive` and
`document_create`: the document, its version, category and audit event written in one
transaction each). Verify is `blobs_verify`: every stored file re-hashed from the store and
its status recorded. `sha256sum` hashes the source files (for ingest) and the stored files
(for verify), so both sides read the same bytes. Half the bytes are in ten large files (about
100 MB each at full size) and half in small ones, so a reader that holds a file in memory
shows up as a peak that grows with the large files.

Run: .venv/bin/python benchmarks/evidence_store.py [--files 10000 --megabytes 2048 | --smoke]
(--smoke is 40 files, 8 MB: every step in seconds, as CI runs it; its figures mean nothing.)
Runs on a fresh temporary SQLite database and data directory unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import atexit
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from support import use_data_dir

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

MIB = 1024 * 1024
LARGE_FILES = 10


class PeakMemory:
    """The process's resident memory, sampled every 20 ms, with the peak of each phase."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def now() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.now())

    def phase(self) -> None:
        self.peak = self.now()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def generate(folder: Path, files: int, megabytes: int) -> list[Path]:
    """Text files of varied content: half the bytes in ten large ones, half in the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    large = min(LARGE_FILES, max(1, files // 4))
    half = megabytes * MIB // 2
    paths = []
    line = "Zhang Wei,劳务派遣,Công ty TNHH May Mặc,3650.50,2026-03-31,{n}\n"
    for n in range(large):
        path = folder / f"payroll-{n:02d}.csv"
        row = line.format(n=n).encode()
        chunk = row * (MIB // len(row))
        with path.open("wb") as out:
            out.write(f"name,agency,employer,amount,paid_on,batch {n}\n".encode())
            while (left := half // large - out.tell()) > 0:
                out.write(chunk[:left])
        paths.append(path)
    small = files - large
    each = max(1, half // max(small, 1))
    for n in range(small):
        path = folder / f"record-{n:05d}.txt"
        head = f"Record {n}: wage slip, worker {n * 7919 % 100_000}\n".encode()
        body = os.urandom(max(0, each - len(head)) // 2).hex().encode()[: each - len(head)]
        path.write_bytes(head + body)
        paths.append(path)
    return paths


def sha256sum(paths: list[Path]) -> float:
    """Seconds for `sha256sum` to hash the files (in batches, as xargs would)."""
    program = shutil.which("sha256sum") or "/usr/bin/sha256sum"
    started = time.perf_counter()
    for i in range(0, len(paths), 500):
        subprocess.run(
            [program, *map(str, paths[i : i + 500])], check=True, stdout=subprocess.DEVNULL
        )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=2048)
    parser.add_argument("--smoke", action="store_true", help="40 files, 8 MB (CI).")
    args = parser.parse_args()
    if args.smoke:
        args.files, args.megabytes = 40, 8
        print("smoke run: 40 files, 8 MB; the figures mean nothing")
    work = Path(tempfile.mkdtemp(prefix="chainproof-bench-evidence-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    if "DATABASE_URL" not in os.environ:
        (work / "data").mkdir()
        use_data_dir(work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")
    os.environ["CHAINPROOF_STORAGE"] = "local"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from chainproof.accounts.services import organization_create
    from chainproof.evidence.documents import document_create
    from chainproof.evidence.models import Document
    from chainproof.evidence.receiving import file_receive
    from chainproof.evidence.verification import blobs_verify

    settings.MEDIA_ROOT = work / "store"
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        org = organization_create(name=f"Bench {time.time_ns()}")

    started = time.perf_counter()
    paths = generate(work / "source", args.files, args.megabytes)
    total = sum(p.stat().st_size for p in paths)
    largest = max(p.stat().st_size for p in paths)
    print(
        f"database: {connection.vendor}; generated {len(paths):,} files, {total / 1e6:,.0f} MB "
        f"(largest {largest / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s (not timed)"
    )
    large_count = sum(1 for p in paths if p.suffix == ".csv")
    small_paths, large_paths = paths[large_count:], paths[:large_count]
    sha256sum(paths)  # once to warm the page cache, as the runs below find it
    source_sum = sha256sum(paths)

    memory = PeakMemory()
    baseline = PeakMemory.now()
    peaks = {}
    quiet = io.StringIO()
    started = time.perf_counter()
    for label, group in (("small files", small_paths), ("large files", large_paths)):
        memory.phase()
        call_command("evidence", "add", *map(str, group), organization=org.slug, stdout=quiet)
        peaks[label] = memory.peak
    ingest = time.perf_counter() - started
    stored_documents = Document.objects.filter(organization=org).count()

    # One transaction per file, as the upload page and the API store them (on copies with
    # one changed byte each: new hashes, nothing to skip).
    copies = work / "copies"
    copies.mkdir()
    per_file = []
    for path in small_paths[: max(1, len(small_paths) // 10)]:
        target = copies / f"single-{path.name}"
        shutil.copyfile(path, target)
        with target.open("r+b") as out:
            out.write(b"Y")
        per_file.append(target)
    sha256sum(per_file)
    per_file_sum = sha256sum(per_file)
    started = time.perf_counter()
    for path in per_file:
        with path.open("rb") as source:
            received = file_receive(source, path.name)
        with transaction.atomic():
            document_create(organization=org, actor=None, received=received)
    one_by_one = time.perf_counter() - started

    # The store alone, on copies with one changed byte each (new hashes, nothing to skip).
    sample = paths[: max(1, len(paths) // 10)]
    copy_paths = []
    for path in sample:
        target = copies / path.name
        shutil.copyfile(path, target)
        with target.open("r+b") as out:
            out.write(b"X")
        copy_paths.append(target)
    sha256sum(copy_paths)
    copies_sum = sha256sum(copy_paths)
    started = time.perf_counter()
    for path in copy_paths:
        with path.open("rb") as source:
            file_receive(source, path.name)
    store_only = time.perf_counter() - started

    stored = [p for p in settings.MEDIA_ROOT.glob("*/*") if p.is_file() and len(p.name) == 64]
    sha256sum(stored)  # warm the page cache for the stored files too
    stored_sum = sha256sum(stored)
    memory.phase()
    started = time.perf_counter()
    run = blobs_verify(organization=org)
    verify = time.perf_counter() - started
    verify_peak = memory.peak
    memory.stop()

    mb = total / 1e6
    copy_mb = sum(p.stat().st_size for p in copy_paths) / 1e6
    single_mb = sum(p.stat().st_size for p in per_file) / 1e6
    print(f"\n{'':<36}{'seconds':>9}{'MB/s':>9}{'vs sha256sum':>14}")
    print(f"{'sha256sum, source files':<36}{source_sum:9.2f}{mb / source_sum:9.0f}{'':>14}")
    print(
        f"{'ingest, chainproof evidence add':<36}{ingest:9.2f}{mb / ingest:9.0f}"
        f"{ingest / source_sum:13.2f}x  (target 2x)"
    )
    print(
        f"{'ingest, one transaction per file':<36}{one_by_one:9.2f}{single_mb / one_by_one:9.0f}"
        f"{one_by_one / per_file_sum:13.2f}x  ({len(per_file):,} small files)"
    )
    print(
        f"{'ingest, store alone (10% sample)':<36}{store_only:9.2f}{copy_mb / store_only:9.0f}"
        f"{store_only / copies_sum:13.2f}x"
    )
    print(f"{'sha256sum, stored files':<36}{stored_sum:9.2f}{mb / stored_sum:9.0f}{'':>14}")
    print(
        f"{'verify (blobs_verify)':<36}{verify:9.2f}{mb / verify:9.0f}"
        f"{verify / stored_sum:13.2f}x  (target 1.2x)"
    )
    print(
        f"\nfiles ingested: {len(paths):,} ({ingest / len(paths) * 1000:.1f} ms each); "
        f"verified {run.checked:,}: {run.intact:,} intact, {run.missing} missing, "
        f"{run.altered} altered"
    )
    print(
        f"peak memory above the start ({baseline / MIB:.0f} MiB): small files "
        f"{(peaks['small files'] - baseline) / MIB:+.0f} MiB, large files "
        f"({largest / MIB:.0f} MiB each) {(peaks['large files'] - baseline) / MIB:+.0f} MiB, "
        f"verify {(verify_peak - baseline) / MIB:+.0f} MiB"
    )
    if stored_documents != len(paths) or run.intact != run.checked:
        print("FAILED: not every stored file was verified intact")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
