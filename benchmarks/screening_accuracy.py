"""Benchmark: screening accuracy on the labelled set, chainproof against nomenklatura.

Reads benchmarks/data/screening_eval.csv (built and documented by
benchmarks/data/build_screening_eval.py) and scores every pair with:
- chainproof-names (this project), best variant pair, no country or identifiers;
- nomenklatura logic-v2 and name-based, on FollowTheMoney entities (Person for names
  written "FAMILY, Given", LegalEntity otherwise), the same names, nothing else.

Prints precision, recall and F1 at the threshold (default 0.70, chainproof's default),
overall and by script pair, for all three in the same run.

Run: .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/screening_accuracy.py
--smoke scores every 8th pair of each script and label (every group, in seconds, as CI
runs it; its figures mean nothing). Without nomenklatura only chainproof is scored and the
comparison is reported as skipped.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from chainproof.domain.screening.matcher import (  # noqa: E402
    ALGORITHM,
    VERSION,
    best_comparison,
    variants,
)

PERSON = re.compile(r"^[A-Z][A-Za-z'-]*, [A-Z]")


def chainproof_score(a: str, b: str) -> float:
    comparison = best_comparison(variants(a), variants(b))
    return comparison.score if comparison else 0.0


def nomenklatura_scorers() -> dict[str, object]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    scorers = {}
    counter = iter(range(10**9))
    for name in ("logic-v2", "name-based"):
        algorithm = get_algorithm(name)
        config = algorithm.default_config()

        def score(a: str, b: str, algorithm=algorithm, config=config) -> float:
            schema = "Person" if PERSON.match(a) or PERSON.match(b) else "LegalEntity"
            left, right = model.make_entity(schema), model.make_entity(schema)
            left.id, right.id = f"q{next(counter)}", f"r{next(counter)}"
            left.add("name", a)
            right.add("name", b)
            return float(algorithm.compare(left, right, config).score)

        scorers[name] = score
    return scorers


def metrics(rows: list[tuple[int, float]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for label, s in rows if label and s >= threshold)
    fp = sum(1 for label, s in rows if not label and s >= threshold)
    fn = sum(1 for label, s in rows if label and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def smoke_sample(pairs: list[tuple[str, str, str, int]]) -> list[tuple[str, str, str, int]]:
    """Every 8th pair of each script and label, so every group is still scored."""
    seen: dict[tuple[str, int], int] = defaultdict(int)
    sample = []
    for pair in pairs:
        group = (pair[2], pair[3])
        if seen[group] % 8 == 0:
            sample.append(pair)
        seen[group] += 1
    return sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.70)
    parser.add_argument(
        "--smoke", action="store_true", help="every 8th pair of each group, in seconds (CI)."
    )
    args = parser.parse_args()
    with (HERE / "data" / "screening_eval.csv").open(encoding="utf-8", newline="") as handle:
        pairs = [
            (r["name_a"], r["name_b"], r["script"], int(r["label"])) for r in csv.DictReader(handle)
        ]
    if args.smoke:
        pairs = smoke_sample(pairs)
        print(f"smoke run: {len(pairs)} pairs, every group; the figures mean nothing")
    scorers: dict[str, object] = {f"{ALGORITHM} v{VERSION}": chainproof_score}
    try:
        scorers.update({f"nomenklatura {k}": v for k, v in nomenklatura_scorers().items()})
    except ImportError:
        print(
            "COMPARISON SKIPPED: nomenklatura is not installed "
            "(.venv/bin/pip install -e '.[bench]'); chainproof only"
        )
    by_script: dict[str, int] = defaultdict(int)
    for _, _, script, label in pairs:
        by_script[f"{script} {'positive' if label else 'negative'}"] += 1
    print(
        f"{len(pairs)} labelled pairs: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_script.items()))
    )
    print(f"threshold {args.threshold:.2f}\n")
    print(f"{'matcher':<26}{'pairs':<14}{'precision':>10}{'recall':>9}{'F1':>8}")
    for label, scorer in scorers.items():
        scores: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for a, b, script, truth in pairs:
            value = scorer(a, b)  # type: ignore[operator]
            scores[script].append((truth, value))
            scores["all"].append((truth, value))
        for group in ("all", "latin-latin", "hanzi-latin", "hangul-latin"):
            assert scores[group], f"no {group} pairs"
            p, r, f = metrics(scores[group], args.threshold)
            print(f"{label:<26}{group:<14}{p:>10.3f}{r:>9.3f}{f:>8.3f}")
        cross = scores["hanzi-latin"] + scores["hangul-latin"]
        p, r, f = metrics(cross, args.threshold)
        print(f"{label:<26}{'cross-script':<14}{p:>10.3f}{r:>9.3f}{f:>8.3f}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
