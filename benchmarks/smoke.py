"""Run every benchmark in this folder at its small scale (`--smoke`).

Every `benchmarks/*.py` except this file is a benchmark and must accept `--smoke`, so a
new benchmark is run here (and in CI) without being listed. Prints each one's output and
time; exits 1 when any of them fails. The figures of a smoke run mean nothing: this proves
the benchmarks still run end to end against the code as it is. With `--jobs N`, N run at
once (each on a database of its own), each one's output printed whole when it ends.

Run: .venv/bin/python benchmarks/smoke.py [--jobs N] [name ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


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
    waiting = list(selected)
    running: list[_Running] = []
    results = []
    while waiting or running:
        while waiting and len(running) < max(1, args.jobs):
            running.append(_Running(waiting.pop(0)))
        ended = next((r for r in running if r.process.poll() is not None), None)
        if ended is None:
            time.sleep(0.1)
            continue
        running.remove(ended)
        results.append(ended.finish())
    print(f"\nbenchmark smoke runs ({max(1, args.jobs)} at once):")
    for name, code, seconds in sorted(results):
        print(f"  {name:<28}{'ok' if code == 0 else f'FAILED (exit {code})':<18}{seconds:6.1f} s")
    print(f"  {'wall time':<28}{'':<18}{time.perf_counter() - started:6.1f} s")
    return 1 if any(code for _, code, _ in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
