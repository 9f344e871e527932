"""Benchmark: screening throughput, chainproof against nomenklatura logic-v2.

Screens generated supplier names (default 100,000; a realistic mix of Latin company names,
Chinese and Korean names, and a few list look-alikes) against every bundled list entry
(UFLPA, OFAC North Korea with aliases, CBP WRO/Finding entities), end to end on one core:
variants, candidate retrieval from the index, scoring and explanation (target: at least
2,500 names per second); then again with a 10,000-entry organization watchlist added to the
index. Then times nomenklatura logic-v2's compare on a sample of the same
candidate pairs and reports the ratio of time per pair.

Run: .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/screening_speed.py
--smoke is --names 2000 --sample 200 (every step in seconds, as CI runs it; its figures mean
nothing). Without nomenklatura only chainproof is timed and the ratio is reported as skipped.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
DATA = HERE.parent / "src" / "chainproof" / "reference" / "data"

from supply_chain_import import TRADES, WORDS  # noqa: E402

from chainproof.domain.screening.matcher import (  # noqa: E402
    ALGORITHM,
    VERSION,
    ListEntry,
    ListIndex,
    best_comparison,
    variants,
)

PLACES = [
    "Shenzhen",
    "Ningbo",
    "Dongguan",
    "Xiamen",
    "Hanoi",
    "Dhaka",
    "Chennai",
    "Penang",
    "Izmir",
    "Puebla",
    "Busan",
    "Osaka",
    "Qingdao",
    "Dalian",
    "Karachi",
]
FORMS = ["Co., Ltd.", "Ltd.", "Inc.", "JSC", "Pvt. Ltd.", "S.A. de C.V.", "Sdn. Bhd.", "LLC"]
HANZI = "华兴海通金泉天河星光红旗雪峰锦绣恒安阳光中州新源丝路蓝海远洋"
HANZI_TRADES = ["纺织", "服装", "电子", "贸易", "化工", "光伏", "铝业", "食品"]
HANGUL = "대동평양청진함흥원산개성남포금강백두묘향룡성해방송림강계혜산"
HANGUL_TRADES = ["무역", "수산", "광업", "기술", "해운"]


def list_entries() -> list[ListEntry]:
    def read(name: str) -> list[dict[str, str]]:
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    entries = []
    for i, row in enumerate(read("uflpa_entity_list.csv")):
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        entries.append(
            ListEntry(f"uflpa:{i}", "uflpa", (row["primary_name"], *aliases), row["iso2"])
        )
    for row in read("ofac_sdn_dprk.csv"):
        aliases = [a.strip() for a in row["alternate_names"].split("|") if a.strip()]
        entries.append(
            ListEntry(f"ofac:{row['ent_num']}", "ofac_sdn_dprk", (row["name"], *aliases))
        )
    for i, row in enumerate(read("cbp_wro_findings.csv")):
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        entries.append(ListEntry(f"wro:{i}", "cbp_wro", (row["entity"], *aliases), row["iso2"]))
    return entries


def generate(count: int, entries: list[ListEntry], seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    names = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.75:
            names.append(
                f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(TRADES)} "
                f"{i % 997} {rng.choice(FORMS)}"
            )
        elif roll < 0.87:
            names.append("".join(rng.sample(HANZI, 4)) + rng.choice(HANZI_TRADES) + "有限公司")
        elif roll < 0.95:
            names.append("".join(rng.sample(HANGUL, 4)) + rng.choice(HANGUL_TRADES) + "회사")
        else:  # a look-alike of a listed name
            name = rng.choice(rng.choice(entries).names)
            names.append(name.replace("Co.", "Company").replace("e", "a", 1))
    return names


def watchlist(count: int, seed: int) -> list[ListEntry]:
    """An organization's own watchlist: invented companies and persons in the same mix of
    scripts as the screened names (a few with an alias), none of them a bundled entry."""
    rng = random.Random(seed)
    found = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.6:
            name = (
                f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} "
                f"{rng.choice(TRADES)} {rng.choice(FORMS)}"
            )
        elif roll < 0.8:
            name = "".join(rng.sample(HANZI, 4)) + rng.choice(HANZI_TRADES) + "有限公司"
        elif roll < 0.9:
            name = "".join(rng.sample(HANGUL, 4)) + rng.choice(HANGUL_TRADES) + "회사"
        else:
            family = rng.choice(["KIM", "RI", "PAK", "CHOE", "JONG", "HAN", "O", "SO"])
            given = " ".join(rng.choice(SYLLABLES) for _ in range(2))
            name = f"{family}, {given}"
        aliases = (name.upper(),) if rng.random() < 0.2 else ()
        found.append(ListEntry(f"watchlist:{i}", "watchlist", (name, *aliases)))
    return found


SYLLABLES = ["Chol", "Il", "Song", "Hyok", "Nam", "Kwang", "Yong", "Su", "Myong", "Hui", "Jin"]


def screen_all(index: ListIndex, names: list[str], label: str) -> float:
    started = time.perf_counter()
    hits = 0
    for name in names:
        hits += bool(index.screen([name], threshold=0.7))
    elapsed = time.perf_counter() - started
    assert hits > 0, "no generated look-alike was hit"
    rate = len(names) / elapsed
    print(
        f"{ALGORITHM} v{VERSION} against {label}: {len(names):,} names in {elapsed:.1f} s = "
        f"{rate:,.0f} names/s on one core ({hits:,} with a hit >= 0.70)"
    )
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument(
        "--sample", type=int, default=3_000, help="candidate pairs timed with nomenklatura logic-v2"
    )
    parser.add_argument(
        "--watchlist", type=int, default=10_000, help="entries of the organization's watchlist"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="--names 2000 --sample 200 --watchlist 1000, in seconds (CI).",
    )
    args = parser.parse_args()
    if args.smoke:
        args.names, args.sample, args.watchlist = 2_000, 200, 1_000
        print("smoke run: 2,000 names, 200 pairs; the figures mean nothing")
    entries = list_entries()
    started = time.perf_counter()
    index = ListIndex.build(entries)
    print(
        f"index: {len(entries)} list entries, "
        f"{sum(len(v) for v in index.name_variants.values()):,} name variants, built in "
        f"{time.perf_counter() - started:.1f} s"
    )
    names = generate(args.names, entries)

    rate = screen_all(index, names, "the bundled lists")
    watch = watchlist(args.watchlist, seed=11)
    started = time.perf_counter()
    larger = ListIndex.build([*entries, *watch])
    print(
        f"index with a {len(watch):,}-entry watchlist: {len(entries) + len(watch):,} entries, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    larger_rate = screen_all(larger, names, f"the bundled lists + {len(watch):,} watchlist")
    print(
        f"throughput with the watchlist / without: {larger_rate / rate:.2f} "
        f"(target >= 2,500 names/s for both)"
    )

    pairs = []
    rng = random.Random(9)
    for name in rng.sample(names, min(len(names), args.sample * 2)):
        for _key, entry_name in index.candidates(variants(name))[:3]:
            pairs.append((name, entry_name))
        if len(pairs) >= args.sample:
            break
    pairs = pairs[: args.sample]
    assert pairs, "no candidate pairs to time"
    started = time.perf_counter()
    for name, entry_name in pairs:
        best_comparison(variants(name), variants(entry_name))
    ours = (time.perf_counter() - started) / len(pairs)
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        print(
            f"per candidate pair ({len(pairs):,} pairs): chainproof {ours * 1e6:.0f} us; "
            "COMPARISON SKIPPED: nomenklatura is not installed "
            "(.venv/bin/pip install -e '.[bench]'), no ratio"
        )
        return 0
    algorithm = get_algorithm("logic-v2")
    config = algorithm.default_config()
    entities = []
    for i, (name, entry_name) in enumerate(pairs):
        left, right = model.make_entity("LegalEntity"), model.make_entity("LegalEntity")
        left.id, right.id = f"q{i}", f"r{i}"
        left.add("name", name)
        right.add("name", entry_name)
        entities.append((left, right))
    started = time.perf_counter()
    for left, right in entities:
        algorithm.compare(left, right, config)
    theirs = (time.perf_counter() - started) / len(entities)
    print(
        f"per candidate pair ({len(pairs):,} pairs): chainproof {ours * 1e6:.0f} us, "
        f"nomenklatura logic-v2 {theirs * 1e6:.0f} us; ratio logic-v2/chainproof "
        f"{theirs / ours:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
