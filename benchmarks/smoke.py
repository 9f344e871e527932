"""Run every benchmark in this folder at its small scale (`--smoke`), one after the other.

Every `benchmarks/*.py` except this file is a benchmark and must accept `--smoke`, so a
new benchmark is run here (and in CI) without being listed. Prints each one's output and
time; exits 1 when any of them fails. The figures of a smoke run mean nothing: this proves
the benchmarks still run end to end against the code as it is.

Run: .venv/bin/python benchmarks/smoke.py [name ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)
    if not found:
        raise SystemExit(f"no benchmark found in {HERE}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these (file names without .py)")
    args = parser.parse_args()
    selected = [p for p in benchmarks() if not args.names or p.stem in args.names]
    unknown = set(args.names) - {p.stem for p in selected}
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))}")
    results = []
    for path in selected:
        print(f"--- {path.name} --smoke", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(path), "--smoke"], check=False).returncode
        results.append((path.name, code, time.perf_counter() - started))
    print("\nbenchmark smoke runs:")
    for name, code, seconds in results:
        print(f"  {name:<28}{'ok' if code == 0 else f'FAILED (exit {code})':<18}{seconds:6.1f} s")
    print(f"  {'total':<28}{'':<18}{sum(r[2] for r in results):6.1f} s")
    return 1 if any(code for _, code, _ in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
