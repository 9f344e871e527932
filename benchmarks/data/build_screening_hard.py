"""Build the hard screening evaluation set: benchmarks/data/screening_hard.csv.

Issue 13 found the first set (build_screening_eval.py) too easy and too close to the code.
This set is built for the classes of names the issue lists, each pair labelled by hand:
1 when both names are the same entity, 0 when they are different entities. It uses neither
chainproof's matcher nor its transliteration: every Chinese character, pinyin syllable, hangul
syllable, Hepburn reading and English rendering is written in the tables of
benchmarks/data/screening_hard/ (no pypinyin either), and the Cyrillic romanizations come
from tables written there from the published systems. Nothing is random: the same run gives
the same file.

Columns: name_a (the supplier-side query), name_b (a name as a list carries it or, for
invented entities, as a list would write it), category, label, note (how the pair was made
and, for real entries, how the identity was established), kind (person, organization,
vessel or airplane: the FollowTheMoney schema other matchers are given), country_a and
country_b (ISO codes where the pair implies them, else empty).

Sources: list names come from the bundled lists in src/chainproof/reference/data/ (UFLPA
Entity List, OFAC SDN North Korea, CBP WROs and Findings; provenance in PROVENANCE.md there,
copies of /work/shared/data/). Where a pair's list side must be a name those lists carry,
the builder checks it is. Invented names are made to look like real ones (place + brand +
industry + legal form for Chinese companies; OFAC-style "FAMILY, Given" for persons).

Categories (positives and negatives kept about even in each):
- chinese-shapes: invented Chinese companies written without spaces in every shape: place +
  brand + industry + legal form; brand first with the place in full-width brackets; stock-style
  short name (brand + industry) against the full registered name; branch offices (分公司, part of
  the company); traditional characters; with and without a province prefix; typed with spaces.
  The list side is list-style: pinyin brand as one word ("Jinquan"), English industry words,
  English legal forms, places spelled conventionally (Aksu, Kashgar, Urumqi, Hotan, Korla) or in
  pinyin. Negatives: same place and industry with a different brand; a brand one syllable away
  whose pinyin differs (homophones are left out: a romanized list cannot tell them apart);
  short names of such brands; the same brand word in another place and industry.
- chinese-real: list entries whose Chinese name is established (listed companies' registered
  names and stock short names with their exchange codes, names reported with a WRO or listing,
  or names the list renders word for word), where the pinyin of the brand is a token the list
  carries; the note says how. "Hoshine" is not pinyin, so 合盛 meets only its alias
  "Hesheng". Negatives: invented companies of the same place and industry whose brand differs
  in pinyin, real unlisted companies (Tianshan Cement), and another listed entry of the city.
- generic-tails: different companies sharing a long generic tail ("... International
  Economic Business Co., Ltd.", "... CREDIT BANK", "... GENERAL TRADING CORPORATION"), the
  distinctive word differing; positives with the tail abbreviated or reordered.
- city-names: different companies of the same city or province whose brands are a syllable
  apart ("Hubei Qishun" / "Hubei Qirun"); positives with the place dropped, added or spelled
  otherwise (Kashi/Kashgar, Hetian/Hotan, Lop/Luopu), mostly the lists' own aliases.
- vessel-numbers: vessels, aircraft, units, prisons and camps of one series whose numbers
  differ (SOUTH HILL 2 / SOUTH HILL 5, both listed; Unit 61398 / Unit 61486); positives with the
  number written otherwise ("SOUTH HILL-2", "South Hill No. 2", "RUNGRA 2").
- korean-persons: OFAC persons against their names written another way (family name first
  without a comma, Western order, capitals, hyphens, one word, other spellings of a syllable:
  Ri/Lee/Rhee, Jong/Chong, Pak/Park, Chol/Cheol, keyboard slips in syllables of 3-4 letters);
  negatives: pairs of listed persons differing in one given-name syllable, invented persons one
  syllable away, given syllables swapped, and given name Rim (림) against Im (임) (the
  family-name rule Rim/Lim is for family names).
- hangul: hangul names of listed organizations (KOMID, Korea Tangun, Daesong Bank, Air Koryo...)
  and persons (well-known hangul where it exists, otherwise hangul that reads as the list
  spelling) against the list names; negatives: another organization one word away (often
  another listed one), a person sharing the family name and one syllable.
- dotted-legal: legal forms written with dots from many countries (S.A. de C.V., L.L.C., Pte.
  Ltd., S.R.L., Ltda., A.Ş., PT ... Tbk., Co., Ltd., GmbH & Co. KG, S.p.A., OOO, JSC, Cong Ty TNHH,
  Sdn. Bhd., Bhd., Pvt. Ltd., (Pty) Ltd, S.A.R.L., B.V., K.K., s.r.o., d.o.o., Sp. z o.o., Inc.)
  against the same company written without dots, another way or without the form; negatives:
  unrelated companies sharing only the form. Real list names included (PROFINET L.L.C. vs
  PROFINET PTE. LTD., FORTUNA OOO vs FORTUNA LIMITED LIABILITY COMPANY, Kingtom Aluminio SRL).
- legal-abbrev: abbreviated vs spelled-out legal forms in many languages (AG/Aktiengesellschaft,
  OAO/Open Joint Stock Company, ZAO/CJSC, PAO/PJSC, AO/JSC, OOO/LLC and their Russian spellings,
  SARL/Société à responsabilité limitée, Ltda/Limitada, AŞ/Anonim Şirketi, Cong ty TNHH/Company
  Limited, BV, Sp. z o.o., AB, Oy, A/S, Sdn Bhd, K.K., PLC, PCL) and the Russian forms in Cyrillic;
  negatives: different companies whose names share a word, same form written two ways.
- initials-acronyms: dotted or spaced initials (A.B.C. Company / ABC Company), letters in another
  order as negatives (C.B.A. / A.B.C.), acronyms against their expansions as the lists carry them
  (KOMID, XPCC, RGB, KPA, MSS, DPRK...), acronyms against another organization with the same
  initials or an unrelated listed one as negatives.
- short-typos: one keyboard slip (neighbouring key, dropped, doubled or swapped letter) in a
  distinctive word of 4-6 letters of a list name; names written with a space inside ("MI RIM" /
  "MIRIM"); negatives: different short names one or two letters apart (MIRA / MIKA). A one-letter
  difference between two real words cannot be told from a slip by spelling alone; the negatives
  avoid keyboard neighbours, so a slip model can separate them.
- cyrillic: Cyrillic names of OFAC persons and companies (and invented Ukrainian, Kazakh,
  Serbian and Mongolian companies) against the list names; invented persons against their
  names in BGN/PCGN, ICAO 9303, German, French or scholarly romanization; negatives: same
  surname with another given name, same given names with another surname, companies sharing a
  word.
- japanese: kanji and kana names of persons and companies against Hepburn (list-style, long
  vowels dropped), country JP on both sides; negatives include kanji names one character apart
  that read the same in pinyin but not in Japanese (高石早苗 / 高市早苗, 市川 / 石川, 今井 / 金井).
- mixed-script: names with a Han run and a separate run of another script (中国 ABC, 工厂 A,
  株式会社 テクマシュ, "JA Solar 东海晶澳...") against their romanized forms; chainproof-names v2
  raises IndexError on these (counted as errors by the benchmark).
- wro-components: one entity of a list string that names several (a CBP WRO such as "Fuchu
  Prison; Union Kogyo Co., Ltd.", or a UFLPA entry as published with its aliases inside) against
  the whole string; negatives: names that share words with the components but are none of them
  (including mixtures such as "Fuchu Kogyo Co., Ltd.").

Run: .venv/bin/python benchmarks/data/build_screening_hard.py
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import astuple, fields
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from screening_hard import (  # noqa: E402
    chinese,
    cyrillic,
    japanese,
    korean,
    latin,
    legal,
    lists,
    wro,
)
from screening_hard.common import Pair  # noqa: E402

OUT = HERE / "screening_hard.csv"


def build() -> list[Pair]:
    listed = lists.load()
    names = listed.names
    people = listed.ofac_people()
    groups = [
        chinese.chinese_shapes(),
        chinese.chinese_real(names),
        latin.generic_tails(),
        latin.city_names(names),
        latin.vessel_numbers(),
        korean.korean_persons(people),
        korean.hangul(people, names),
        legal.dotted_legal(),
        legal.legal_abbrev(),
        latin.initials_acronyms(),
        latin.short_typos(),
        cyrillic.cyrillic(),
        japanese.japanese(),
        japanese.mixed_script(),
        wro.wro_components(names),
    ]
    pairs: list[Pair] = []
    seen: dict[tuple[str, str], int] = {}
    for group in groups:
        for pair in group:
            key = (pair.name_a, pair.name_b)
            if key in seen:
                assert seen[key] == pair.label, f"labelled both ways: {key}"
                continue  # the same pair made twice counts once
            assert pair.name_a != pair.name_b, f"a name against itself: {key}"
            seen[key] = pair.label
            pairs.append(pair)
    return pairs


def main() -> int:
    pairs = build()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f.name for f in fields(Pair)])
        writer.writerows(astuple(p) for p in pairs)
    counts = Counter((p.category, p.label) for p in pairs)
    for category in dict.fromkeys(p.category for p in pairs):
        positives, negatives = counts[(category, 1)], counts[(category, 0)]
        print(f"{category:<20}{positives:>5} positive{negatives:>5} negative")
    print(f"{len(pairs)} pairs written to {OUT.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
