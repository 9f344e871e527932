"""Benchmark: screening accuracy on the labelled sets, chainproof against nomenklatura.

Two labelled sets, each built and documented by a script in benchmarks/data/:
- easy: screening_eval.csv (build_screening_eval.py), the first set, reported by script pair
  as before: precision, recall and F1 at the threshold;
- hard: screening_hard.csv (build_screening_hard.py), issue 13's harder set in 15 categories,
  reported per category and overall: precision, recall and F1 at the threshold, the best F1
  over all thresholds above 0 (and where), recall at precision >= 0.95, the share of negatives
  flagged at the threshold, and the number of pairs a matcher raised an exception on
  (counted as errors and scored 0).

Matchers, all in the same run:
- chainproof-names v2, the frozen copy in benchmarks/baselines/chainproof_names_v2/;
- chainproof-names as the code is now (chainproof.domain.screening.matcher, labelled with its
  VERSION): by default the best pair of variants of the two names (names only), or with
  --path index through a one-entry ListIndex (ListIndex.build, then screen with the pair's
  countries, as the product screens; WRO strings are indexed as list "cbp_wro");
- nomenklatura logic-v2 and name-based, on FollowTheMoney entities (Person, LegalEntity, Vessel
  or Airplane as the pair's kind says; "FAMILY, Given" names are persons in the easy set) with
  the names and, where the hard set has them, the countries.

Run: .venv/bin/pip install 'nomenklatura>=4.17,<5' (the [bench] extra) and
.venv/bin/python benchmarks/screening_accuracy.py [--set easy|hard|both] [--path pair|index]
--smoke scores every 8th pair of each group of the easy set and every 16th of the hard set
(every group, as CI runs it; its figures mean nothing). Without nomenklatura only chainproof is
scored and the comparison is reported as skipped.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from baselines.chainproof_names_v2 import matcher as frozen_v2  # noqa: E402

from chainproof.domain.screening import matcher as current  # noqa: E402

PERSON = re.compile(r"^[A-Z][A-Za-z'-]*, [A-Z]")
SCHEMAS = {
    "person": "Person",
    "organization": "LegalEntity",
    "vessel": "Vessel",
    "airplane": "Airplane",
}
PRECISION_GOAL = 0.95


@dataclass(frozen=True)
class Pair:
    name_a: str
    name_b: str
    group: str  # script pair (easy set) or category (hard set)
    label: int
    kind: str = ""
    country_a: str = ""
    country_b: str = ""


Scorer = Callable[[Pair], float]


def read_easy() -> list[Pair]:
    with (HERE / "data" / "screening_eval.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Pair(r["name_a"], r["name_b"], r["script"], int(r["label"]))
            for r in csv.DictReader(handle)
        ]


def read_hard() -> list[Pair]:
    with (HERE / "data" / "screening_hard.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Pair(
                r["name_a"],
                r["name_b"],
                r["category"],
                int(r["label"]),
                r["kind"],
                r["country_a"],
                r["country_b"],
            )
            for r in csv.DictReader(handle)
        ]


# --- matchers -----------------------------------------------------------------------------


def pair_scorer(module) -> Scorer:  # type: ignore[no-untyped-def]
    """The best-scoring pair of variants of the two names (names only)."""

    def score(p: Pair) -> float:
        comparison = module.best_comparison(module.variants(p.name_a), module.variants(p.name_b))
        return comparison.score if comparison else 0.0

    return score


def index_scorer(module) -> Scorer:  # type: ignore[no-untyped-def]
    """The pair screened as the product screens: a one-entry index, the query's country."""

    def score(p: Pair) -> float:
        code = "cbp_wro" if p.group == "wro-components" else "eval"
        entry = module.ListEntry(
            key="entry", list_code=code, names=(p.name_b,), country=p.country_b
        )
        found = module.ListIndex.build([entry]).screen([p.name_a], country=p.country_a, limit=1)
        return found[0].score if found else 0.0

    return score


def nomenklatura_scorers() -> dict[str, Scorer]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    scorers: dict[str, Scorer] = {}
    counter = iter(range(10**9))
    for name in ("logic-v2", "name-based"):
        algorithm = get_algorithm(name)
        config = algorithm.default_config()

        def score(p: Pair, algorithm=algorithm, config=config) -> float:  # type: ignore[no-untyped-def]
            person = PERSON.match(p.name_a) or PERSON.match(p.name_b)
            schema = SCHEMAS[p.kind] if p.kind else ("Person" if person else "LegalEntity")
            left, right = model.make_entity(schema), model.make_entity(schema)
            left.id, right.id = f"q{next(counter)}", f"r{next(counter)}"
            left.add("name", p.name_a)
            right.add("name", p.name_b)
            if p.country_a:
                left.add("country", p.country_a.lower())
            if p.country_b:
                right.add("country", p.country_b.lower())
            return float(algorithm.compare(left, right, config).score)

        scorers[f"nomenklatura {name}"] = score
    return scorers


def matchers(path: str) -> dict[str, Scorer]:
    make = index_scorer if path == "index" else pair_scorer
    found: dict[str, Scorer] = {
        f"chainproof v{frozen_v2.VERSION} frozen": make(frozen_v2),
        f"chainproof v{current.VERSION} now": make(current),
    }
    try:
        found.update(nomenklatura_scorers())
    except ImportError:
        print(
            "COMPARISON SKIPPED: nomenklatura is not installed "
            "(.venv/bin/pip install 'nomenklatura>=4.17,<5'); chainproof only"
        )
    return found


def run(scorer: Scorer, pairs: Sequence[Pair]) -> tuple[list[float], list[bool]]:
    """Scores, and which pairs raised (scored 0)."""
    scores, errors = [], []
    for p in pairs:
        try:
            scores.append(scorer(p))
            errors.append(False)
        except Exception:  # a crash is a result here: counted, reported and scored 0
            scores.append(0.0)
            errors.append(True)
    return scores, errors


# --- figures ------------------------------------------------------------------------------


def metrics(rows: list[tuple[int, float]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for label, s in rows if label and s >= threshold)
    fp = sum(1 for label, s in rows if not label and s >= threshold)
    fn = sum(1 for label, s in rows if label and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def sweep(rows: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Best F1 over every threshold above 0 (the scores themselves; flagging every pair is
    no threshold), the threshold giving it, and the highest recall at a threshold whose
    precision is at least PRECISION_GOAL."""
    positives = sum(label for label, _ in rows)
    by_score: dict[float, list[int]] = defaultdict(list)
    for label, s in rows:
        by_score[s].append(label)
    best_f1, best_at, recall_at_goal = 0.0, 1.0, 0.0
    tp = fp = 0
    for s in sorted((s for s in by_score if s > 0), reverse=True):  # flag all scoring >= s
        tp += sum(by_score[s])
        fp += len(by_score[s]) - sum(by_score[s])
        precision = tp / (tp + fp)
        recall = tp / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best_f1, best_at = f1, s
        if precision >= PRECISION_GOAL:
            recall_at_goal = max(recall_at_goal, recall)
    return best_f1, best_at, recall_at_goal


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    best_f1: float
    best_at: float
    recall_at_goal: float
    negatives_flagged: float
    errors: int


def figures(rows: list[tuple[int, float]], errors: int, threshold: float) -> Figures:
    p, r, f = metrics(rows, threshold)
    best, at, goal = sweep(rows)
    negatives = [s for label, s in rows if not label]
    flagged = sum(1 for s in negatives if s >= threshold) / len(negatives) if negatives else 0.0
    return Figures(p, r, f, best, at, goal, flagged, errors)


# --- reports ------------------------------------------------------------------------------


def report_easy(pairs: list[Pair], scorers: dict[str, Scorer], threshold: float) -> None:
    """The first set's report, as it has always been printed."""
    by_script = Counter(f"{p.group} {'positive' if p.label else 'negative'}" for p in pairs)
    print(
        f"EASY SET (screening_eval.csv): {len(pairs)} labelled pairs: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_script.items()))
    )
    print(f"threshold {threshold:.2f}\n")
    print(f"{'matcher':<28}{'pairs':<14}{'precision':>10}{'recall':>9}{'F1':>8}")
    for label, scorer in scorers.items():
        scores, _ = run(scorer, pairs)
        groups: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for p, s in zip(pairs, scores, strict=True):
            groups[p.group].append((p.label, s))
            groups["all"].append((p.label, s))
        for group in ("all", "latin-latin", "hanzi-latin", "hangul-latin"):
            assert groups[group], f"no {group} pairs"
            pr, rc, f1 = metrics(groups[group], threshold)
            print(f"{label:<28}{group:<14}{pr:>10.3f}{rc:>9.3f}{f1:>8.3f}")
        pr, rc, f1 = metrics(groups["hanzi-latin"] + groups["hangul-latin"], threshold)
        print(f"{label:<28}{'cross-script':<14}{pr:>10.3f}{rc:>9.3f}{f1:>8.3f}\n")


def report_hard(pairs: list[Pair], scorers: dict[str, Scorer], threshold: float) -> None:
    categories = list(dict.fromkeys(p.group for p in pairs))
    results: dict[str, dict[str, Figures]] = {}
    for label, scorer in scorers.items():
        scores, errors = run(scorer, pairs)
        rows: dict[str, list[tuple[int, float]]] = defaultdict(list)
        failed: Counter[str] = Counter()
        for p, s, e in zip(pairs, scores, errors, strict=True):
            for group in (p.group, "all"):
                rows[group].append((p.label, s))
                failed[group] += e
        results[label] = {g: figures(rows[g], failed[g], threshold) for g in [*categories, "all"]}
    t = f"{threshold:.2f}".lstrip("0")
    counts = Counter((p.group, p.label) for p in pairs)
    print(f"HARD SET (screening_hard.csv): {len(pairs)} labelled pairs, threshold {threshold:.2f}")
    header = (
        f"  {'matcher':<28}{'P@' + t:>7}{'R@' + t:>7}{'F1@' + t:>8}{'best F1 (at)':>15}"
        f"{'R@P95':>7}{'neg>=' + t:>9}{'errors':>8}"
    )
    for group in [*categories, "all"]:
        pos = counts[(group, 1)] if group != "all" else sum(p.label for p in pairs)
        neg = counts[(group, 0)] if group != "all" else len(pairs) - pos
        print(f"\n{group} ({pos} positive, {neg} negative)")
        print(header)
        for label in scorers:
            f = results[label][group]
            print(
                f"  {label:<28}{f.precision:>7.3f}{f.recall:>7.3f}{f.f1:>8.3f}"
                f"{f.best_f1:>8.3f} "
                + (f"({f.best_at:.2f})" if f.best_f1 else "(none)")
                + f"{f.recall_at_goal:>7.3f}"
                f"{f.negatives_flagged:>9.3f}{f.errors:>8}"
            )
    for title, pick in (
        (f"F1 at {threshold:.2f}", lambda f: f"{f.f1:.3f}"),
        ("recall at precision >= 0.95", lambda f: f"{f.recall_at_goal:.3f}"),
        (f"share of negatives flagged at {threshold:.2f}", lambda f: f"{f.negatives_flagged:.3f}"),
    ):
        print(f"\nSUMMARY: {title} (errors in brackets where any)")
        names = list(scorers)
        print(f"  {'category':<20}" + "".join(f"{n[:24]:>26}" for n in names))
        for group in [*categories, "all"]:
            cells = []
            for n in names:
                f = results[n][group]
                cells.append(pick(f) + (f" ({f.errors})" if f.errors else ""))
            print(f"  {group:<20}" + "".join(f"{c:>26}" for c in cells))


def sample(pairs: list[Pair], every: int) -> list[Pair]:
    """Every n-th pair of each group and label, so every group is still scored."""
    seen: Counter[tuple[str, int]] = Counter()
    found = []
    for p in pairs:
        if seen[(p.group, p.label)] % every == 0:
            found.append(p)
        seen[(p.group, p.label)] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.70)
    parser.add_argument("--set", choices=("easy", "hard", "both"), default="both")
    parser.add_argument(
        "--path",
        choices=("pair", "index"),
        default="pair",
        help="score chainproof on the best variant pair (default) or through a one-entry index",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="a sample of every group, in seconds (CI)."
    )
    args = parser.parse_args()
    scorers = matchers(args.path)
    if args.smoke:
        print("smoke run: a sample of every group; the figures mean nothing")
    if args.set in ("easy", "both"):
        easy = read_easy()
        report_easy(sample(easy, 8) if args.smoke else easy, scorers, args.threshold)
    if args.set in ("hard", "both"):
        hard = read_hard()
        report_hard(sample(hard, 16) if args.smoke else hard, scorers, args.threshold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
