"""Build the labelled screening evaluation set: benchmarks/data/screening_eval.csv.

How the pairs are made (deterministic, seed 20261122):

Positives (label 1)
- alias groups: a list entry's primary name against each of its aliases (OFAC North Korea
  alternate names, UFLPA and CBP WRO/Finding aliases) -- Latin-Latin;
- realistic variants of list names: legal forms changed or abbreviated ("Co., Ltd." <->
  "Company Limited", "Corporation" <-> "Corp."), person names in the other order ("KIM, Jong
  Un" -> "Jong Un Kim"), one-letter typos, doubled spaces and punctuation, Chinese place
  names written without spaces ("Xinjiang Tianshan" -> "XinjiangTianshan") -- Latin-Latin;
- Hangul-Latin: North Korean officials on the OFAC list whose hangul spelling is well known
  (written here), and invented companies whose hangul names are written here and romanized
  with McCune-Reischauer (as OFAC writes Korean) by chainproof's romanizer;
- Hanzi-Latin: invented companies whose Chinese names are written here, against their
  pinyin romanization with an English legal form ("Hetian Lvzhou Fangzhi Co., Ltd."), the form
  such companies use in trade documents.

Hard negatives (label 0)
- different list entries that share generic words ("Korea ... Trading Corporation",
  "Xinjiang ... Co., Ltd.", "KIM, Yong Chol" vs "KIM, Kwang Chun");
- invented names built from list names with the distinctive word replaced.

Run: .venv/bin/python benchmarks/data/build_screening_eval.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "src" / "chainproof" / "reference" / "data"

from chainproof.domain.screening.translit import romanize_mr  # noqa: E402

KNOWN_HANGUL = {  # OFAC name: hangul (well-known spellings)
    "KIM, Jong Un": "김정은",
    "KIM, Yo Jong": "김여정",
    "CHOE, Ryong Hae": "최룡해",
    "RI, Pyong Chol": "리병철",
    "PAK, Jong Chon": "박정천",
    "KIM, Yong Chol": "김영철",
}

INVENTED_KOREAN = [  # hangul names of invented companies (not on any list)
    "대동강수산무역회사",
    "평양섬유합영회사",
    "청진광업개발회사",
    "함흥화학공업회사",
    "신의주물류회사",
    "원산해운회사",
    "개성봉제회사",
    "남포수산회사",
    "금강무역회사",
    "백두산기술회사",
    "묘향산광업회사",
    "칠보산수산회사",
    "룡성기계회사",
    "해방산무역회사",
    "만경대섬유회사",
    "송림제철회사",
    "강계정밀회사",
    "혜산광업회사",
    "사리원방직회사",
    "길주무역회사",
]
INVENTED_CHINESE = [  # (Chinese name of an invented company, distinctive pinyin, industry pinyin)
    ("和田绿洲纺织有限公司", "Hetian Lvzhou", "Fangzhi"),
    ("阿克苏金泉棉业有限公司", "Akesu Jinquan", "Mianye"),
    ("喀什丝路服装有限公司", "Kashi Silu", "Fuzhuang"),
    ("石河子天河硅业有限公司", "Shihezi Tianhe", "Guiye"),
    ("昌吉雪峰化工有限公司", "Changji Xuefeng", "Huagong"),
    ("哈密星光能源有限公司", "Hami Xingguang", "Nengyuan"),
    ("伊宁红旗农业有限公司", "Yining Hongqi", "Nongye"),
    ("库尔勒金沙贸易有限公司", "Kuerle Jinsha", "Maoyi"),
    ("吐鲁番葡萄食品有限公司", "Tulufan Putao", "Shipin"),
    ("乌鲁木齐天山铝业有限公司", "Wulumuqi Tianshan", "Lvye"),
    ("东莞华兴电子有限公司", "Dongguan Huaxing", "Dianzi"),
    ("宁波海通物流有限公司", "Ningbo Haitong", "Wuliu"),
    ("青岛蓝海水产有限公司", "Qingdao Lanhai", "Shuichan"),
    ("大连远洋渔业有限公司", "Dalian Yuanyang", "Yuye"),
    ("苏州锦绣丝绸有限公司", "Suzhou Jinxiu", "Sichou"),
    ("厦门金龙鞋业有限公司", "Xiamen Jinlong", "Xieye"),
    ("泉州恒安纺织有限公司", "Quanzhou Hengan", "Fangzhi"),
    ("无锡阳光光伏有限公司", "Wuxi Yangguang", "Guangfu"),
    ("合肥新源电池有限公司", "Hefei Xinyuan", "Dianchi"),
    ("洛阳中州钢铁有限公司", "Luoyang Zhongzhou", "Gangtie"),
]

LEGAL_SWAPS = [
    (r"\bCo\., Ltd\.?", "Company Limited"),
    (r"\bCompany Limited\b", "Co., Ltd."),
    (r"\bCorporation\b", "Corp."),
    (r"\bCORPORATION\b", "CORP"),
    (r"\bLimited\b", "Ltd"),
    (r"\bCompany\b", "Co."),
    (r"\bCOMPANY\b", "CO"),
    (r"\bInternational\b", "Intl"),
]


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 6:
        return name
    i = rng.choice(letters[2:])
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def legal_swap(name: str) -> str | None:
    for pattern, replacement in LEGAL_SWAPS:
        changed = re.sub(pattern, replacement, name)
        if changed != name:
            return changed
    return None


def main() -> int:
    rng = random.Random(20261122)
    pairs: list[tuple[str, str, str, int, str]] = []  # a, b, script, label, how

    def add(a: str, b: str, script: str, label: int, how: str) -> None:
        if a and b and a != b:
            pairs.append((a, b, script, label, how))

    ofac = read("ofac_sdn_dprk.csv")
    uflpa = read("uflpa_entity_list.csv")
    wro = read("cbp_wro_findings.csv")
    groups = []
    for row in ofac:
        aliases = [a.strip() for a in row["alternate_names"].split("|") if a.strip()]
        groups.append((row["name"], aliases, row["type"]))
    for row in uflpa:
        groups.append(
            (
                row["primary_name"],
                [a.strip() for a in row["aliases"].split("|") if a.strip()],
                "entity",
            )
        )
    for row in wro:
        groups.append(
            (row["entity"], [a.strip() for a in row["aliases"].split("|") if a.strip()], "entity")
        )

    for primary, aliases, _ in groups:
        for alias in aliases[:3]:
            add(alias, primary, "latin-latin", 1, "alias of the same entry")
    for primary, _, kind in rng.sample(groups, 250):
        swapped = legal_swap(primary)
        if swapped:
            add(swapped, primary, "latin-latin", 1, "legal form changed")
        add(typo(primary, rng), primary, "latin-latin", 1, "one-letter typo")
        if kind == "individual" and ", " in primary:
            family, given = primary.split(", ", 1)
            add(f"{given} {family.title()}", primary, "latin-latin", 1, "name order")
        add(
            "  ".join(primary.replace(",", " ,").split()),
            primary,
            "latin-latin",
            1,
            "spacing and punctuation",
        )
    for row in uflpa:
        words = row["primary_name"].split()
        if len(words) > 3 and words[0] == "Xinjiang":
            add(
                " ".join([words[0] + words[1], *words[2:]]),
                row["primary_name"],
                "latin-latin",
                1,
                "pinyin without spaces",
            )

    for latin, hangul in KNOWN_HANGUL.items():
        add(hangul, latin, "hangul-latin", 1, "official's name in hangul")
    for hangul in INVENTED_KOREAN:
        add(
            hangul,
            romanize_mr(hangul).replace("'", "").upper(),
            "hangul-latin",
            1,
            "invented company, McCune-Reischauer",
        )
    for chinese, place, industry in INVENTED_CHINESE:
        add(
            chinese,
            f"{place} {industry} Co., Ltd.",
            "hanzi-latin",
            1,
            "invented company, pinyin with English legal form",
        )
        add(
            chinese,
            f"{place.replace(' ', '')} {industry} Youxian Gongsi",
            "hanzi-latin",
            1,
            "invented company, pinyin only",
        )

    # Hard negatives: different entries sharing generic words.
    trading = [g[0] for g in groups if "TRADING" in g[0].upper()]
    xinjiang = [r["primary_name"] for r in uflpa if r["primary_name"].startswith("Xinjiang")]
    people = [g[0] for g in groups if g[2] == "individual"]
    for pool, count in ((trading, 120), (xinjiang, 120), (people, 160)):
        for _ in range(count):
            a, b = rng.sample(pool, 2)
            if a.upper() != b.upper():
                add(a, b, "latin-latin", 0, "different entries sharing generic words")
    for hangul, (other_hangul) in pairwise(INVENTED_KOREAN):
        add(
            hangul,
            romanize_mr(other_hangul).replace("'", "").upper(),
            "hangul-latin",
            0,
            "different invented companies",
        )
    for latin, hangul in KNOWN_HANGUL.items():
        other = rng.choice([p for p in people if p != latin])
        add(hangul, other, "hangul-latin", 0, "a different official")
    for (chinese, _, _), (_, place, industry) in pairwise(INVENTED_CHINESE):
        add(
            chinese,
            f"{place} {industry} Co., Ltd.",
            "hanzi-latin",
            0,
            "different invented companies",
        )

    unique = list(dict.fromkeys(pairs))
    with (HERE / "screening_eval.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name_a", "name_b", "script", "label", "how"])
        writer.writerows(unique)
    counts: dict[tuple[str, int], int] = {}
    for _, _, script, label, _ in unique:
        counts[(script, label)] = counts.get((script, label), 0) + 1
    print(
        f"{len(unique)} pairs: "
        + ", ".join(
            f"{s} {'positive' if lab else 'negative'} {n}" for (s, lab), n in sorted(counts.items())
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
