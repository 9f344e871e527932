"""Benchmark: parsing each reference list in its publisher's own format
(`chainproof.reference.sources`).

Times every parser on its fixture in `tests/data/official_formats/` (tiny), then on inputs
generated at the size each publisher's list has (or more): an SDN.CSV of 18,000 entries with
ALT.CSV and ADD.CSV (the real file holds about 15,000-19,000 entries, about 550 of them under
the North Korea programs), the same entries as sdn.xml, a UFLPA page of 300 listings in four
sections, a CBP page of 150 orders, a DOL List of Goods workbook of 600 rows and a TIP tier
table of 190 countries. Each parsed edition is checked against its kind's validation, as
`datasets_load` would do.

Run: .venv/bin/python benchmarks/refdata_parse.py [--smoke]
(--smoke generates a tenth of each size, so CI runs it in a second or two.)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainproof.settings")

FIXTURES = ROOT / "tests" / "data" / "official_formats"
TODAY = date(2026, 12, 6)
FIXTURE_FILES = {
    "uflpa_entity_list": ("uflpa_entity_list.html",),
    "ofac_sdn_dprk": ("SDN.CSV", "ALT.CSV", "ADD.CSV"),
    "ofac_sdn_dprk (xml)": ("sdn.xml",),
    "cbp_wro_findings": ("cbp_wro.html",),
    "dol_goods": ("dol_goods.xlsx",),
    "tip_tiers": ("tip_tiers.html",),
}
PROGRAMS = ("CUBA", "IRAN", "SDGT", "RUSSIA-EO14024", "UKRAINE-EO13662", "NPWMD", "IRAQ2", "SYRIA")
DPRK = ("DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA")
COUNTRIES = ("China", "Korea, North", "Russia", "Burma", "Namibia", "Turkey (Türkiye)", "Iran")


def _ofac(entries: int) -> dict[str, bytes]:
    sdn, alt, add = io.StringIO(), io.StringIO(), io.StringIO()
    xml = io.StringIO()
    xml.write('<?xml version="1.0" standalone="yes"?>\n<sdnList>\n')
    xml.write("<publshInformation><Publish_Date>11/20/2026</Publish_Date></publshInformation>\n")
    for n in range(1, entries + 1):
        north_korea = n % 33 == 0  # about 3%, as in OFAC's list
        programs = [DPRK[n % len(DPRK)], PROGRAMS[n % 8]] if north_korea else [PROGRAMS[n % 8]]
        kind = ("-0- ", '"individual"', '"vessel"', '"aircraft"')[n % 4 if n % 5 == 0 else 0]
        name = f"GENERATED ENTITY NUMBER {n} TRADING CORPORATION"
        remarks = f"\"Secondary sanctions risk: section {n}; a.k.a. 'GE{n}'.\""
        sdn.write(
            f'{n},"{name}",{kind},"{"] [".join(programs)}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
            f"{remarks}\r\n"
        )
        for a, alias_kind in enumerate(("aka", "fka", "nka")[: n % 4]):
            alt.write(f'{n},{n * 10 + a},"{alias_kind}","GENERATED ALIAS {n}-{a}",-0- \r\n')
        country = COUNTRIES[n % len(COUNTRIES)]
        add.write(f'{n},{n * 10},"Street {n}","City {n}","{country}",-0- \r\n')
        sdn_type = {"-0- ": "Entity", '"individual"': "Individual"}.get(
            kind, kind.strip('"').title()
        )
        xml.write(
            f"<sdnEntry><uid>{n}</uid><lastName>{name}</lastName><sdnType>{sdn_type}</sdnType>"
        )
        xml.write("<programList>" + "".join(f"<program>{p}</program>" for p in programs))
        xml.write("</programList><akaList>")
        for a, alias_kind in enumerate(("a.k.a.", "f.k.a.", "n.k.a.")[: n % 4]):
            xml.write(
                f"<aka><uid>{n * 10 + a}</uid><type>{alias_kind}</type>"
                f"<lastName>GENERATED ALIAS {n}-{a}</lastName></aka>"
            )
        xml.write(f"</akaList><addressList><address><uid>{n * 10}</uid><city>City {n}</city>")
        xml.write(f"<country>{country.replace('&', '&amp;')}</country></address></addressList>")
        xml.write("</sdnEntry>\n")
    xml.write("</sdnList>\n")
    return {
        "SDN.CSV": (sdn.getvalue() + "\x1a").encode("utf-8"),
        "ALT.CSV": (alt.getvalue() + "\x1a").encode("utf-8"),
        "ADD.CSV": (add.getvalue() + "\x1a").encode("utf-8"),
        "sdn.xml": xml.getvalue().encode("utf-8"),
    }


def _page(title: str, body: str) -> bytes:
    nav = "".join(f'<li><a href="/p{i}">Link {i}</a></li>' for i in range(300))
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title><script>var x = 1;</script></head>"
        f"<body><nav><ul>{nav}</ul></nav><main>{body}</main></body></html>"
    ).encode()


def _uflpa(listings: int) -> bytes:
    parts = []
    per_section = max(1, listings // 3)
    for section in ("i", "ii", "v"):
        parts.append(
            f"<p><strong>A list of entities of section ({section}) described at length for "
            f"the benchmark</strong><br><a href='#'>Section 2(d)(2)(B)({section})</a></p>"
            "<table><thead><tr><th>Name of Entity</th><th>Effective Date</th></tr></thead><tbody>"
        )
        for n in range(per_section):
            aliases = (
                f" (also known as Alias {section}{n} Co., Ltd.; and formerly known as "
                f"Old {section}{n} Co., Ltd.)"
                if n % 3 == 0
                else ""
            )
            parts.append(
                f"<tr><td>Generated {section} Entity {n} Co., Ltd.{aliases}</td>"
                "<td>January 15, 2025</td></tr>"
            )
        parts.append("</tbody></table>")
        if section == "ii":
            parts.append(
                "<p><strong>Exporters</strong><br><a href='#'>Section 2(d)(2)(B)(iv)</a></p>"
                "<p>None listed.</p>"
            )
    return _page("UFLPA Entity List", "".join(parts))


def _cbp(orders: int) -> bytes:
    statuses = ("Active", "Modified", "Revoked", "Inactive", "Partially Modified")
    rows = "".join(
        f"<tr><td>06/{1 + n % 28:02d}/2021</td><td>{COUNTRIES[n % 7]}</td>"
        f"<td>{statuses[n % 5]}</td><td>{'WRO' if n % 4 else 'Finding'}</td>"
        f"<td>Generated Factory {n} Co., Ltd.; Generated Farm {n}</td><td>Agriculture</td>"
        f"<td>Goods {n}</td><td></td></tr>"
        for n in range(orders)
    )
    head = (
        "<tr><th>Effective Date</th><th>Country</th><th>Status</th><th>WRO/Finding</th>"
        "<th>Entity</th><th>Industry</th><th>Merchandise</th><th>Remarks</th></tr>"
    )
    return _page("WRO", f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>")


def _dol(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026 List of Goods Produced by Child Labor or Forced Labor"])
    sheet.append(["Country/Area", "Good", "Sector", "Child Labor", "Forced Labor"])
    for n in range(rows):
        sheet.append([COUNTRIES[n % 7], f"Good {n}", "Agriculture", "X", "X" if n % 3 == 0 else ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tip(countries: int) -> bytes:
    import pycountry

    from chainproof.reference.sources._common import country_code

    # ISO's names, less the few a person would not write alone ("Congo" names two countries)
    names = [c.name for c in pycountry.countries if country_code(c.name)][:countries]
    tiers = ("Tier 1", "Tier 2", "Tier 2 Watch List", "Tier 3", "Special Case")
    rows = "".join(
        f"<tr><td>{name}</td><td>{tiers[n % 5]}</td></tr>" for n, name in enumerate(names)
    )
    return _page(
        "2026 Trafficking in Persons Report",
        f"<table><tr><th>Country</th><th>Tier</th></tr>{rows}</table>",
    )


def _run(kind: str, files: dict[str, bytes]) -> tuple[float, int, int]:
    from chainproof.domain.refdata import get_kind, validate_dataset
    from chainproof.fileformats.csv import read_csv
    from chainproof.reference.sources import PARSERS

    parser = PARSERS[kind.split(" ")[0]]
    started = time.perf_counter()
    edition = parser(files, TODAY)
    seconds = time.perf_counter() - started
    sheet = read_csv(edition.csv_bytes(), f"{edition.kind}.csv")
    rows = validate_dataset(get_kind(edition.kind), sheet, source=edition.source)
    assert len(rows) == len(edition.rows) > 0, kind
    return seconds, len(edition.rows), sum(len(v) for v in files.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tenth of each size")
    args = parser.parse_args()
    import django

    django.setup()
    scale = 10 if args.smoke else 1
    print("fixtures (tests/data/official_formats):")
    for kind, names in FIXTURE_FILES.items():
        files = {n: (FIXTURES / n).read_bytes() for n in names}
        seconds, rows, size = _run(kind, files)
        print(f"  {kind:<22}{rows:>7} rows {size / 1024:>9.1f} KB {seconds * 1000:>9.1f} ms")
    ofac = _ofac(18_000 // scale)
    generated = {
        "ofac_sdn_dprk": {k: v for k, v in ofac.items() if k.endswith(".CSV")},
        "ofac_sdn_dprk (xml)": {"sdn.xml": ofac["sdn.xml"]},
        "uflpa_entity_list": {"page.html": _uflpa(300 // scale)},
        "cbp_wro_findings": {"page.html": _cbp(150 // scale)},
        "dol_goods": {"goods.xlsx": _dol(600 // scale)},
        "tip_tiers": {"tip.html": _tip(190 // scale)},
    }
    print(f"generated{' (smoke: a tenth of each size)' if args.smoke else ''}:")
    for kind, files in generated.items():
        seconds, rows, size = _run(kind, files)
        print(f"  {kind:<22}{rows:>7} rows {size / 1024:>9.1f} KB {seconds * 1000:>9.1f} ms")
    print(
        f"  (OFAC: {18_000 // scale:,} SDN entries generated; the rows are the North Korea "
        "entries kept)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
