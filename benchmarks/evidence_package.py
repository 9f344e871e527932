"""Benchmark: build the evidence package of a detention case with 500 exhibits totalling
1 GB (the whole `package_build`: content gathered, PDF rendered, signed, every exhibit
streamed from the store into the ZIP and re-hashed, the ZIP stored under its hash), next to
`zip -0` of the same 500 stored files in the same run (target: within 1.5x of `zip`'s
time), with peak memory and the PDF's page count; then the PDF alone for a case whose
package runs to about 200 pages (target: rendered in under 30 s).

The exhibits are PDF-like files (a PDF header, then random bytes: nothing compresses, as
with scans) received and stored through the evidence locker (`file_receive`, then
`documents_create_many` as `chainproof evidence add` does), so the package reads them from
the blob store as it does in production. The organization's self-signed certificate is made
before the timing, as an organization that builds packages already has one. The PDF of
about 200 pages is long because of its exhibit index (many exhibits with long titles) and
its goods (many shipment lines with long descriptions, in the table and the summary). It
stays under 1,000 exhibits: on SQLite with Django 5.2 `package_content` fails past about
1,000 exhibits ("Expression tree is too large"; the prefetch of each version's blob becomes
one OR per blob).

Run: .venv/bin/python benchmarks/evidence_package.py [--exhibits 500 --megabytes 1024
     --pdf-exhibits 900 --pdf-lines 150 | --smoke] [--profile]
(--smoke is 5 exhibits of 20 KB and a PDF of a few pages: every step in seconds, as CI runs
it; its figures mean nothing. Where `zip` is not installed, Python's zipfile with
ZIP_STORED is the peer, and the output says so.)
Runs on a fresh temporary SQLite database and data directory unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import datetime as dt
import functools
import io
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

from evidence_store import PeakMemory  # the same sampler, from the benchmark beside this one
from support import use_data_dir

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

MIB = 1024 * 1024
BATCH = 50  # documents per bulk load, as `chainproof evidence add` takes them

RECORDS = (
    ("invoice", "Commercial invoice"),
    ("packing_list", "Packing list"),
    ("purchase_order", "Purchase order"),
    ("certificate_of_origin", "Certificate of origin"),
    ("production_record", "Spinning mill production log"),
    ("payroll_record", "Payroll register"),
    ("audit_report", "Social compliance audit report"),
    ("bill_of_lading", "Bill of lading"),
)
ISSUERS = (
    "Lanificio Valle Sessera S.p.A.",
    "Công ty TNHH Dệt May Phú Thịnh",
    "Ningbo Harbour Trading Co., Ltd. (宁波港贸易有限公司)",
    "Mediterranean Line",
    "Harbor Customs Brokerage",
)


def worker_peak() -> str:
    """The PDF worker process's peak resident memory (VmHWM), which the figures of this
    process do not include."""
    from chainproof.fileformats import pdf_worker

    pool = pdf_worker._pool
    pids = list(getattr(pool, "_processes", {}) or {}) if pool is not None else []
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return f"{max(peaks):.0f} MiB" if peaks else "not measured (no worker process)"


class Phases:
    """Seconds spent in named functions of `chainproof.cases.packages` while a build runs:
    each is replaced (for this process only) by a wrapper that adds up its time. A name the
    module no longer has is skipped; the rest of the build is reported as "other"."""

    # The PDF is drawn and signed in a worker process while package_write copies the
    # exhibits; package_write's seconds include waiting for it at the end.
    NAMES = (
        "package_content",
        "package_html",
        "signing_material",
        "package_write",
        "pdf_page_count",
    )

    def __init__(self, module: object) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        for name in self.NAMES:
            original = getattr(module, name, None)
            if callable(original):
                setattr(module, name, self._timed(name, original))

    def _timed(self, name: str, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed

    def reset(self) -> None:
        self.seconds.clear()


def pdf_like(size: int, rng: random.Random) -> bytes:
    """A file the locker takes as a PDF: the header, then random bytes (with no "/", so no
    PDF name such as /JS appears by chance and flags it), then the end-of-file marker."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    tail = b"\n%%EOF\n"
    body = rng.randbytes(max(0, size - len(head) - len(tail))).replace(b"/", b"-")
    return head + body + tail


def short_title(n: int) -> str:
    kind = RECORDS[n % len(RECORDS)][1]
    return f"{kind} {n + 1:04d} PO-9100{n:06d} lot {n * 37 % 1000:03d}"


def long_title(n: int) -> str:
    """About 250 characters, as a title typed by an analyst who names everything."""
    kind = RECORDS[n % len(RECORDS)][1]
    issuer = ISSUERS[n % len(ISSUERS)].split(" (")[0]
    text = (
        f"{kind} {n + 1:05d} for purchase order PO-9100{n:06d}, lot {n * 37 % 1000:03d}: "
        f"merino wool yarn spun by {issuer} from greasy wool bought at the Biella auction, "
        f"with the mill's batch log, the dyehouse's lot card and the carrier's weight note "
        f"for container MEDU{4471208 + n:07d}"
    )
    return text[:250]


def load_documents(*, org, sizes: list[int], title, seed: int) -> tuple[list, list[str]]:
    """Receive and store one file per size through the locker, as `evidence add` does:
    `file_receive` each, then `documents_create_many` a batch at a time (same record type
    and issuer within a batch; each title from its file name)."""
    from django.db import transaction

    from chainproof.evidence.bulk_load import documents_create_many
    from chainproof.evidence.receiving import file_receive

    rng = random.Random(seed)
    documents = []
    stored: list[str] = []
    for start in range(0, len(sizes), BATCH):
        received = []
        for n in range(start, min(start + BATCH, len(sizes))):
            data = pdf_like(sizes[n], rng)
            received.append(file_receive(io.BytesIO(data), f"{title(n)}.pdf"))
            stored.append(received[-1].sha256)
        record_type = RECORDS[(start // BATCH) % len(RECORDS)][0]
        issuer = ISSUERS[(start // BATCH) % len(ISSUERS)]
        with transaction.atomic():
            documents += documents_create_many(
                organization=org,
                actor=None,
                received=received,
                metadata={
                    "record_type": record_type,
                    "issuer": issuer,
                    "document_date": (
                        dt.date(2025, 1, 1) + dt.timedelta(days=start // BATCH)
                    ).isoformat(),
                },
            )
    return documents, stored


def line_description(n: int) -> str:
    """About 280 characters, as a broker's full description of the goods on a line."""
    text = (
        f"Line {n + 1}: merino wool scarves, knitted, style {n + 1:03d}, 70 x 180 cm, "
        "100% extra-fine merino wool of 18.5 micron bought greasy at the Biella auction, "
        "scoured and combed in Italy, spun and dyed by the mill, knitted and finished at the "
        f"maker's works; cartons {n * 40 + 1} to {n * 40 + 40} of the bill of lading"
    )
    return text[:280]


def open_case(*, org, exhibits: list, lines: int = 3):
    """A shipment held under the UFLPA with its lines, a case on it, the documents as its
    exhibits, and the organization's signing certificate."""
    from django.db import transaction
    from django.utils import timezone

    from chainproof.cases.models import DetentionCase
    from chainproof.cases.services import case_open, exhibit_add
    from chainproof.cases.shipments import shipment_save
    from chainproof.cases.signing import certificate_generate

    today = timezone.localdate()
    imported = today - dt.timedelta(days=16)
    with transaction.atomic():
        shipment = shipment_save(
            organization=org,
            actor=None,
            data={
                "reference": "PO-9100000222",
                "entry_number": "CPF-2026114-1",
                "importer_of_record": "Bench Importer Inc.",
                "filer": "Harbor Customs Brokerage",
                "port_code": "4601",
                "arrival_date": (imported - dt.timedelta(days=1)).isoformat(),
                "importation_date": imported.isoformat(),
                "mode": "ocean",
                "carrier": "Mediterranean Line",
                "bill_of_lading": "MEDU4471208",
            },
            lines=[
                {
                    "description": line_description(n),
                    "hts_code": "6117100010",
                    "quantity": "2400",
                    "unit": "pcs",
                    "value_usd": "38400",
                    "origin_country": "IT",
                }
                for n in range(lines)
            ],
        )
        case = case_open(
            organization=org,
            actor=None,
            shipment=shipment,
            basis=DetentionCase.Basis.UFLPA,
            notice_at=(today - dt.timedelta(days=9)).isoformat(),
            cbp_reference="UFLPA-NWK-2026-0071",
        )
        exhibit_add(case=case, actor=None, documents=exhibits)
        certificate_generate(organization=org, actor=None)
    return case


def zip_peer(paths: list[Path], target: Path) -> tuple[str, float, float]:
    """`zip -0 -q` of the files into ``target`` (Python's zipfile with ZIP_STORED where zip
    is not installed): its name, its seconds, and the seconds of an fsync of its output."""
    program = shutil.which("zip")
    started = time.perf_counter()
    if program:
        names = "\n".join(str(p) for p in paths) + "\n"
        subprocess.run(
            [program, "-0", "-q", "-j", str(target), "-@"],
            input=names.encode(),
            check=True,
        )
        label = "zip -0 -q"
    else:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
            for path in paths:
                zf.write(path, arcname=path.name)
        label = "zipfile ZIP_STORED (no zip)"
    zipped = time.perf_counter() - started
    started = time.perf_counter()
    with target.open("rb") as handle:
        os.fsync(handle.fileno())
    return label, zipped, time.perf_counter() - started


def read_all(paths: list[Path]) -> None:
    """Read the files once so that the runs timed below find them in the page cache."""
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(MIB):
                pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibits", type=int, default=500)
    parser.add_argument("--megabytes", type=int, default=1024, help="all exhibits, MiB")
    parser.add_argument(
        "--pdf-exhibits", type=int, default=900, help="exhibits of the long PDF (~200 pages)"
    )
    parser.add_argument("--pdf-lines", type=int, default=150, help="its shipment lines")
    parser.add_argument("--smoke", action="store_true", help="5 exhibits of 20 KB (CI).")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one more build (cProfile)."
    )
    args = parser.parse_args()
    if args.smoke:
        args.exhibits, args.megabytes, args.pdf_exhibits, args.pdf_lines = 5, 0, 12, 3
        print("smoke run: 5 exhibits of 20 KB, a PDF of 12 exhibits; the figures mean nothing")
    work = Path(tempfile.mkdtemp(prefix="chainproof-bench-package-"))
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
    from chainproof.blobs.configured import blob_store
    from chainproof.cases import packages
    from chainproof.cases.package_content import package_content
    from chainproof.fileformats.html_pdf import pdf_page_count

    settings.MEDIA_ROOT = work / "store"
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        org = organization_create(name="Bench Importer")
        org_pdf = organization_create(name="Bench Importer PDF")

    # 1. The package of a case with many large exhibits, next to zip.
    started = time.perf_counter()
    each = 20_000 if args.smoke else args.megabytes * MIB // args.exhibits
    documents, hashes = load_documents(
        org=org, sizes=[each] * args.exhibits, title=short_title, seed=1
    )
    case = open_case(org=org, exhibits=documents)
    store = blob_store()
    stored = [Path(store.path(sha256)) for sha256 in hashes]  # type: ignore[attr-defined]
    total = sum(p.stat().st_size for p in stored)
    print(
        f"database: {connection.vendor}; {len(stored):,} exhibits stored through the locker, "
        f"{total / 1e6:,.0f} MB ({each / 1e6:.2f} MB each), case and certificate made in "
        f"{time.perf_counter() - started:.1f} s (not timed)"
    )

    # A server starts its PDF worker process once (cases/packages.py draws and signs the
    # PDF there while the exhibits are copied): a one-exhibit package first, so the figure
    # below is the steady state; the first build's cost is printed.
    with transaction.atomic():
        org_warm = organization_create(name="Bench Importer warm-up")
    warm_documents, _ = load_documents(org=org_warm, sizes=[2_000], title=short_title, seed=3)
    warm_case = open_case(org=org_warm, exhibits=warm_documents)
    started = time.perf_counter()
    packages.package_build(case=warm_case, actor=None)
    print(
        f"first package of this process (1 exhibit; starts the PDF worker process): "
        f"{time.perf_counter() - started:.2f} s"
    )

    phases = Phases(packages)
    memory = PeakMemory()
    read_all(stored)
    baseline = PeakMemory.now()
    memory.phase()
    cpu_started = time.process_time()
    started = time.perf_counter()
    package = packages.package_build(case=case, actor=None)
    build = time.perf_counter() - started
    build_cpu = time.process_time() - cpu_started
    build_peak = memory.peak
    build_phases = dict(phases.seconds)

    peer_zip = work / "peer.zip"
    label, zipped, zip_fsync = zip_peer(stored, peer_zip)
    peer_size = peer_zip.stat().st_size
    peer_zip.unlink()

    # 2. The PDF alone, for a case whose package runs to about 200 pages.
    started = time.perf_counter()
    documents, _ = load_documents(
        org=org_pdf, sizes=[2_000] * args.pdf_exhibits, title=long_title, seed=2
    )
    long_case = open_case(org=org_pdf, exhibits=documents, lines=args.pdf_lines)
    print(
        f"long PDF: {len(documents):,} exhibits with titles of about 250 characters, "
        f"{args.pdf_lines} shipment lines of about 280 characters, made in "
        f"{time.perf_counter() - started:.1f} s (not timed)"
    )
    memory.phase()
    started = time.perf_counter()
    content = package_content(long_case)
    gather = time.perf_counter() - started
    files = packages._exhibit_files(content)
    started = time.perf_counter()
    packages.package_html(content, files)
    html_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pdf = packages.package_pdf(long_case, content, files)
    render = time.perf_counter() - started
    pdf_peak = memory.peak
    memory.stop()
    pages = pdf_page_count(pdf)

    mb = total / 1e6
    print(f"\n{'':<40}{'seconds':>9}{'MB/s':>9}{'vs zip':>10}")
    print(f"{label + ', stored files':<40}{zipped:9.2f}{mb / zipped:9.0f}{'':>10}")
    print(
        f"{label + ', then fsync of the ZIP':<40}{zipped + zip_fsync:9.2f}"
        f"{mb / (zipped + zip_fsync):9.0f}{(zipped + zip_fsync) / zipped:9.2f}x"
    )
    print(
        f"{'package_build (PDF, sign, ZIP, store)':<40}{build:9.2f}{mb / build:9.0f}"
        f"{build / zipped:9.2f}x  (target 1.5x)"
    )
    print(
        f"  CPU time of the build in this process {build_cpu:.2f} s; within it (wall "
        "seconds; the PDF is drawn and signed in the worker process while package_write "
        "copies the exhibits, and package_write waits for it at the end):"
    )
    for name, seconds in build_phases.items():
        print(f"    {name:<36}{seconds:9.2f}")
    print(
        f"    {'other (store put, database, audit)':<36}{build - sum(build_phases.values()):9.2f}"
    )
    print(
        f"\npackage v{package.version}: {package.exhibit_count:,} exhibits, "
        f"{package.zip_size / 1e6:,.0f} MB ZIP ({label} wrote {peer_size / 1e6:,.0f} MB), "
        f"PDF of {package.pdf_pages} pages"
    )
    print(
        f"peak memory of the build above the start ({baseline / MIB:.0f} MiB): "
        f"{(build_peak - baseline) / MIB:+.0f} MiB (exhibits {each / MIB:.1f} MiB each); "
        f"ru_maxrss of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
        f" MiB; peak of the PDF worker process {worker_peak()}"
    )
    print(
        f"\nlong PDF ({len(files):,} exhibits): {pages} pages rendered in {render:.2f} s "
        f"(target 30 s; {render / pages * 1000:.0f} ms a page), of which HTML {html_seconds:.2f} s;"
        f" content gathered in {gather:.2f} s before; {len(pdf) / 1e6:.1f} MB; peak memory "
        f"{(pdf_peak - baseline) / MIB:+.0f} MiB"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        packages.package_build(case=case, actor=None)
        profiler.disable()
        print("\nprofile of a second build (cumulative, top 25):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        print("profile of a second build (own time, top 20):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(20)

    if package.exhibit_count != args.exhibits or package.zip_size < total or pages < 1:
        print("FAILED: the package does not hold every exhibit")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
