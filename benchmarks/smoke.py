"""Run every benchmark in this folder at its small scale (`--smoke`).

Every `benchmarks/*.py` except this file is a benchmark and must accept `--smoke`, so a
new benchmark is run here (and in CI) without being listed. Prints each one's output and
time; exits 1 when any of them fails. The figures of a smoke run mean nothing: this proves
the benchmarks still run end to end against the code as it is. With `--jobs N`, N run at
once (each on a database of its own), each one's output printed whole when it ends.
On SQLite the database is migrated and loaded with the reference data once, and each
benchmark starts from a copy of it (``support.use_data_dir``).

Run: .venv/bin/python benchmarks/smoke.py [--jobs N] [name ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from support import TEMPLATE_ENV  # noqa: E402 (the folder above is on the path first)

PREPARE = (
    "import django; django.setup(); "
    "from django.core.management import call_command; call_command('migrate', verbosity=0); "
    "from chainproof.reference.services import bundled_datasets_load; bundled_datasets_load()"
)


def prepared_template() -> str | None:
    """A data folder migrated and loaded with the bundled reference data, for every
    benchmark to start from (None on PostgreSQL: each benchmark migrates its own)."""
    if os.environ.get("DATABASE_URL"):
        return None
    folder = tempfile.mkdtemp(prefix="chainproof-bench-template-")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PREPARE],
        env={
            **os.environ,
            "CHAINPROOF_DATA_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "chainproof.settings",
        },
        check=True,
    )
    print(f"--- a migrated database for every benchmark ({time.perf_counter() - started:.1f} s)")
    return folder


def benchmarks() -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)
    if not found:
        raise SystemExit(f"no benchmark found in {HERE}")
    return found


class _Running:
    """One benchmark running, its output (stdout and stderr together) in a temporary file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, str(path), "--smoke"], stdout=self.output, stderr=subprocess.STDOUT
        )

    def finish(self) -> tuple[str, int, float]:
        code = self.process.wait()
        seconds = time.perf_counter() - self.started
        self.output.seek(0)
        print(f"--- {self.path.name} --smoke ({seconds:.1f} s)", flush=True)
        sys.stdout.buffer.write(self.output.read())
        sys.stdout.flush()
        self.output.close()
        return self.path.name, code, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these (file names without .py)")
    parser.add_argument("--jobs", type=int, default=1, help="how many run at once (default 1)")
    args = parser.parse_args()
    selected = [p for p in benchmarks() if not args.names or p.stem in args.names]
    unknown = set(args.names) - {p.stem for p in selected}
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    os.environ.pop(TEMPLATE_ENV, None)  # never a folder named by the caller
    template = prepared_template()
    if template:
        os.environ[TEMPLATE_ENV] = template
    waiting = list(selected)
    running: list[_Running] = []
    results = []
    try:
        while waiting or running:
            while waiting and len(running) < max(1, args.jobs):
                running.append(_Running(waiting.pop(0)))
            ended = next((r for r in running if r.process.poll() is not None), None)
            if ended is None:
                time.sleep(0.1)
                continue
            running.remove(ended)
            results.append(ended.finish())
    finally:
        if template:
            shutil.rmtree(template, ignore_errors=True)
    print(f"\nbenchmark smoke runs ({max(1, args.jobs)} at once):")
    for name, code, seconds in sorted(results):
        print(f"  {name:<28}{'ok' if code == 0 else f'FAILED (exit {code})':<18}{seconds:6.1f} s")
    print(f"  {'wall time':<28}{'':<18}{time.perf_counter() - started:6.1f} s")
    return 1 if any(code for _, code, _ in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
