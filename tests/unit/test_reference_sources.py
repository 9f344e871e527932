"""The parsers of the publishers' own formats (reference/sources), on the fixtures in
tests/data/official_formats: each publisher's edge cases, a changed layout refused with
what was expected and what was found, and every parsed edition valid in chainproof's own
layout (the same validation `datasets_load` applies)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chainproof.domain.refdata import get_kind, validate_dataset
from chainproof.domain.screening.entries import split_entities
from chainproof.fileformats.csv import read_csv
from chainproof.reference.sources import PARSERS, ParsedEdition, SourceFormatError, _common

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "official_formats"
TODAY = date(2026, 12, 6)


def files(*names: str, rename: dict[str, str] | None = None) -> dict[str, bytes]:
    rename = rename or {}
    return {rename.get(name, name): (FIXTURES / name).read_bytes() for name in names}


def parse(kind: str, *names: str, rename: dict[str, str] | None = None) -> ParsedEdition:
    return PARSERS[kind](files(*names, rename=rename), TODAY)


def valid_rows(edition: ParsedEdition) -> list[dict]:
    """The edition's CSV as `datasets_load` reads and validates it."""
    sheet = read_csv(edition.csv_bytes(), f"{edition.kind}.csv")
    return validate_dataset(get_kind(edition.kind), sheet, source=edition.source)


def by(rows: list[dict], key: str, value: str) -> dict:
    found = [row for row in rows if row[key] == value]
    assert len(found) == 1, (value, found)
    return found[0]


def test_every_publisher_has_a_registered_parser():
    assert set(PARSERS) == {
        "uflpa_entity_list",
        "ofac_sdn_dprk",
        "cbp_wro_findings",
        "dol_goods",
        "tip_tiers",
    }


# --- DHS UFLPA Entity List -----------------------------------------------------------------


def test_uflpa_page_sections_aliases_and_subsidiaries():
    edition = parse("uflpa_entity_list", "uflpa_entity_list.html")
    rows = edition.rows
    assert len(rows) == 10
    assert {r["section"] for r in rows} == {"i", "ii", "v"}  # (iv) has no table
    assert edition.as_of == date(2026, 1, 20)  # "Last Updated: 01/20/2026"
    assert edition.edition == "DHS page 2026-01-20"
    hoshine_like = by(rows, "entity_as_published", rows[0]["entity_as_published"])
    assert hoshine_like["primary_name"] == "Testfield Polysilicon (Hami) Co., Ltd and subsidiaries"
    assert hoshine_like["aliases"] == "Testfield Silicon (Hami) Co."
    corps = by(
        rows, "primary_name", "Example Regional Corps and its subordinate and affiliated entities"
    )
    assert corps["aliases"] == "ERC | Example Corps | The Corps"
    model = by(rows, "primary_name", "Model Textiles Co., Ltd.")
    # also known as (two) and formerly known as (one), in the order written
    assert model["aliases"] == "Model Spinning Co., Ltd. | Model Yarn | Old Model Cotton Co., Ltd."
    demo = by(rows, "primary_name", "Demo Transport Co. Ltd.")
    assert demo["aliases"] == "Demo Intermodal Co. | Demo United Transport Co."
    assert by(rows, "primary_name", "Zhuhai Q&R Digital Technology Co., Ltd.")["section"] == "ii"
    # one entity in two sections is two listings
    sample = [r for r in rows if r["primary_name"] == "Sample Hair Goods Co. Ltd."]
    assert sorted(r["section"] for r in sample) == ["i", "v"]
    assert rows[0]["section_description"].startswith("A list of entities in Xinjiang that mine")
    assert (
        by(rows, "primary_name", "Placeholder Cotton Logistics Co., Ltd.")["effective_date"]
        == "2024-05-17"
    )
    assert valid_rows(edition)


def test_uflpa_aliases_match_the_bundled_edition_split():
    """The bundled edition's aliases were split by hand from DHS's cells; the parser agrees on
    every cell but two, where it splits "A Co. and B Co." into two names."""
    import csv

    from chainproof.reference.services import BUNDLED_DIR
    from chainproof.reference.sources.dhs_uflpa import split_entity

    with (BUNDLED_DIR / "uflpa_entity_list.csv").open(encoding="utf-8") as handle:
        bundled = list(csv.DictReader(handle))
    assert bundled
    differ = [
        row
        for row in bundled
        if split_entity(row["entity_as_published"])
        != (row["primary_name"], [a for a in row["aliases"].split(" | ") if a])
    ]
    assert len(differ) == 2
    assert all(" and " in row["aliases"] for row in differ)


def test_uflpa_changed_layout_is_refused_naming_the_columns():
    with pytest.raises(SourceFormatError) as caught:
        parse("uflpa_entity_list", "uflpa_entity_list_changed_layout.html")
    message = str(caught.value)
    assert "'Name of Entity'" in caught.value.expected
    assert "'Company'" in caught.value.found
    assert "'Date of Listing'" in caught.value.found
    assert message.startswith("DHS UFLPA Entity List page: expected")


def test_uflpa_page_without_section_tables_is_refused():
    page = b"<html><body><p>Page moved.</p><table><tr><td>x</td></tr></table></body></html>"
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["uflpa_entity_list"]({"uflpa.html": page}, TODAY)
    assert "none introduced by a UFLPA section" in caught.value.found


# --- OFAC SDN --------------------------------------------------------------------------------


def test_ofac_csv_files_keep_north_korea_entries_with_every_kind_of_alias():
    edition = parse("ofac_sdn_dprk", "SDN.CSV", "ALT.CSV", "ADD.CSV")
    rows = edition.rows
    numbers = {r["ent_num"] for r in rows}
    assert numbers == {"9001", "9002", "9003", "9004", "9005", "9006", "9008"}
    assert "36" not in numbers
    assert "9007" not in numbers
    komid = by(rows, "ent_num", "9001")
    assert komid["programs"] == "NPWMD;DPRK2"
    assert komid["dprk_programs"] == "DPRK2"
    # a.k.a., f.k.a. and n.k.a. all become alternate names
    assert komid["alternate_names"] == (
        "EXAMPLE MINING CORPORATION | OLD EXAMPLE MINING TRADING | NEW EXAMPLE MINING GROUP"
    )
    assert by(rows, "ent_num", "9002")["type"] == "entity"  # "-0- " is an entity
    assert by(rows, "ent_num", "9003")["type"] == "individual"
    assert by(rows, "ent_num", "9004")["type"] == "vessel"
    assert by(rows, "ent_num", "9006")["dprk_programs"] == "DPRK3;DPRK-NKSPEA"
    assert by(rows, "ent_num", "9008")["dprk_programs"] == "DPRK3"
    assert "aliases: 4 a.k.a., 2 f.k.a., 1 n.k.a." in edition.notes
    assert edition.as_of == TODAY  # the CSV files carry no date
    addresses = edition.related["ofac_sdn_dprk_addresses"]
    assert {a["ent_num"] for a in addresses} <= numbers
    namibia = by(addresses, "add_num", "203")
    assert namibia["iso2"] == "NA"  # Namibia's code, never an empty value
    empty = by(addresses, "add_num", "205")
    assert empty["country_name_source"] == ""
    assert empty["address"] == ""
    assert by(addresses, "add_num", "201")["iso2"] == "KP"
    assert valid_rows(edition)


def test_ofac_xml_reads_the_same_entries_and_the_publication_date():
    edition = parse("ofac_sdn_dprk", "sdn.xml")
    assert [r["ent_num"] for r in edition.rows] == ["9001", "9003", "9006"]
    assert edition.as_of == date(2026, 11, 20)
    csv_edition = parse("ofac_sdn_dprk", "SDN.CSV", "ALT.CSV", "ADD.CSV")
    for row in edition.rows:
        assert row == by(csv_edition.rows, "ent_num", row["ent_num"])
    assert by(edition.rows, "ent_num", "9003")["name"] == "KIM, Sample Chol"
    assert by(edition.related["ofac_sdn_dprk_addresses"], "add_num", "203")["iso2"] == "NA"
    assert valid_rows(edition)


def test_ofac_xml_with_a_document_type_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b"<sdnList><sdnEntry><uid>1</uid><lastName>&lol;</lastName></sdnEntry></sdnList>"
    )
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["ofac_sdn_dprk"]({"sdn.xml": bomb}, TODAY)
    assert "document type" in caught.value.expected


def test_ofac_changed_layout_is_refused_naming_the_row():
    with pytest.raises(SourceFormatError) as caught:
        parse(
            "ofac_sdn_dprk", "SDN_changed_layout.CSV", rename={"SDN_changed_layout.CSV": "SDN.CSV"}
        )
    assert "12 columns, no header row" in caught.value.expected
    assert "'ent_num'" in caught.value.found


def test_ofac_unknown_alias_kind_is_refused():
    alt = b'9001,1,"also",' + b'"X",-0- \r\n'
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["ofac_sdn_dprk"](
            {"SDN.CSV": (FIXTURES / "SDN.CSV").read_bytes(), "ALT.CSV": alt}, TODAY
        )
    assert "aka, fka or nka" in caught.value.expected
    assert "'also'" in caught.value.found


def test_ofac_without_north_korea_entries_is_refused():
    sdn = b'36,"X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["ofac_sdn_dprk"]({"sdn.csv": sdn}, TODAY)
    assert caught.value.found == "none of 1"


# --- CBP WROs and Findings -------------------------------------------------------------------


def test_cbp_page_statuses_multi_entity_texts_and_aliases():
    edition = parse("cbp_wro_findings", "cbp_wro.html")
    rows = edition.rows
    assert len(rows) == 9
    assert {r["status"] for r in rows} == {
        "Active",
        "Partially Modified",
        "Modified",
        "Revoked",
        "Inactive",
        "Inactive-Pending Litigation",
    }
    several = by(rows, "country_name_source", "Japan")
    assert several["entity"] == "Example Prison; Sample Kogyo Co., Ltd."  # kept whole
    assert split_entities(several["entity"]) == ("Example Prison", "Sample Kogyo Co., Ltd.")
    hair = by(rows, "effective_date", "2020-09-30")
    assert len(split_entities(hair["entity"])) == 2
    carpets = by(rows, "country_name_source", "Nepal")
    assert len(split_entities(carpets["entity"])) >= 4
    aka = by(rows, "effective_date", "1991-11-14")
    assert aka["entity"] == "Example Machinery"
    assert aka["aliases"] == "Golden Example Diesel Factory | Example 1st Prison"
    vessel = by(rows, "country_name_source", "Fishing Vessels")
    assert vessel["iso2"] == ""
    assert vessel["status"] == "Revoked"
    assert by(rows, "country_name_source", "Namibia")["iso2"] == "NA"
    assert {r["type"] for r in rows} == {"WRO", "Finding"}
    assert any("name several entities" in note for note in edition.notes)
    assert valid_rows(edition)


def test_cbp_csv_download_reads_the_same_columns():
    edition = parse("cbp_wro_findings", "cbp_wro.csv")
    page = parse("cbp_wro_findings", "cbp_wro.html")
    assert len(edition.rows) == 3
    for row in edition.rows[:2]:
        assert row == by(page.rows, "effective_date", row["effective_date"])
    # a quoted remark with a line break inside
    assert by(edition.rows, "status", "Revoked")["remarks"] == "Revoked 01/01/2024, see the notice."
    assert valid_rows(edition)


def test_cbp_changed_layout_is_refused_naming_the_columns():
    with pytest.raises(SourceFormatError) as caught:
        parse("cbp_wro_findings", "cbp_wro_changed_layout.html")
    assert "'Entity'" in caught.value.expected
    assert "'Manufacturer'" in caught.value.found


def test_cbp_unknown_status_is_refused_with_its_row():
    page = (
        (FIXTURES / "cbp_wro.html").read_bytes().replace(b"<td>Revoked</td>", b"<td>Seafood</td>")
    )
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["cbp_wro_findings"]({"cbp.html": page}, TODAY)
    assert "row 7" in caught.value.expected
    assert caught.value.found == "'Seafood'"


# --- DOL List of Goods -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dol_goods.xlsx", "dol_goods.csv"])
def test_dol_goods_flags_countries_and_the_exploited_input(name):
    edition = parse("dol_goods", name)
    rows = edition.rows
    assert edition.edition == "2026 TVPRA List"  # from the title row
    assert len(rows) == 8
    rubies = by(rows, "good", "Rubies")
    assert (rubies["child_labor"], rubies["forced_labor"], rubies["forced_child_labor"]) == (
        "true",
        "true",
        "true",
    )
    assert rubies["iso2"] == "MM"
    batteries = by(rows, "good", "Lithium-Ion Batteries")
    assert batteries["derived_from_exploited_input"] == "true"
    assert batteries["input_country_iso2"] == "CD"
    assert by(rows, "good", "Charcoal")["iso2"] == "NA"
    assert by(rows, "good", "Hazelnuts")["iso2"] == "TR"
    assert by(rows, "good", "Example Good")["iso2"] == "PS"
    assert by(rows, "good", "Tobacco")["iso2"] == "KG"
    validated = valid_rows(edition)
    assert by(validated, "good", "Charcoal")["iso2"] == "NA"


def test_dol_changed_layout_is_refused_naming_the_header():
    with pytest.raises(SourceFormatError) as caught:
        parse("dol_goods", "dol_goods_changed_layout.csv")
    assert "'Child Labor'" in caught.value.expected
    assert "'Child Labour (CL)'" in caught.value.found


def test_dol_unknown_mark_and_unknown_country_are_refused():
    text = (FIXTURES / "dol_goods.csv").read_text(encoding="utf-8")
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["dol_goods"](
            {
                "g.csv": text.replace(
                    "Brazil,Açaí Berries,Agriculture,X", "Brazil,Açaí Berries,Agriculture,maybe"
                ).encode()
            },
            TODAY,
        )
    assert "row 3, Child Labor" in caught.value.expected
    assert "'maybe'" in caught.value.found
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["dol_goods"]({"g.csv": text.replace("Brazil,", "Atlantis,").encode()}, TODAY)
    assert caught.value.found == "'Atlantis'"


def test_dol_file_in_windows_1252_is_read():
    text = (
        (FIXTURES / "dol_goods.csv")
        .read_text(encoding="utf-8")
        .replace("Turkey (Türkiye)", "Türkiye")
    )
    edition = PARSERS["dol_goods"]({"goods.csv": text.encode("cp1252")}, TODAY)
    assert by(edition.rows, "good", "Açaí Berries")["iso2"] == "BR"
    assert by(edition.rows, "good", "Hazelnuts")["iso2"] == "TR"


# --- State Department TIP tiers --------------------------------------------------------------


def test_tip_table_tiers_special_cases_and_spellings():
    edition = parse("tip_tiers", "tip_tiers.html")
    rows = edition.rows
    assert len(rows) == 9
    assert {r["report_year"] for r in rows} == {"2026"}  # from the page's title
    assert by(rows, "country_name_source", "Korea, North")["iso2"] == "KP"
    assert by(rows, "country_name_source", "Burma")["iso2"] == "MM"
    namibia = by(rows, "iso2", "NA")
    assert namibia["tier"] == "Tier 2"
    assert namibia["iso3"] == "NAM"
    watch = by(rows, "country_name_source", "Thailand")
    assert (watch["tier"], watch["tier_code"]) == ("Tier 2 Watch List", "T2WL")
    assert by(rows, "country_name_source", "Turkey (Türkiye)")["iso2"] == "TR"
    # Special Cases are named in the notes, never loaded as a tier
    assert not {"LY", "SO", "YE"} & {r["iso2"] for r in rows}
    assert any("Special Case(s) not loaded" in n and "Libya" in n for n in edition.notes)
    validated = valid_rows(edition)
    assert by(validated, "iso2", "NA")["report_year"] == 2026


def test_tip_page_with_one_table_per_tier_heading():
    edition = parse("tip_tiers", "tip_tiers_by_heading.html")
    table = parse("tip_tiers", "tip_tiers.html")
    rows = {r["iso2"]: (r["report_year"], r["tier"]) for r in edition.rows}
    assert rows.pop("US") == ("2026", "Tier 1")
    assert rows == {r["iso2"]: (r["report_year"], r["tier"]) for r in table.rows}
    assert any("Libya, Somalia, Yemen" in note for note in edition.notes)
    assert valid_rows(edition)


def test_tip_changed_layout_is_refused_naming_the_columns():
    with pytest.raises(SourceFormatError) as caught:
        parse("tip_tiers", "tip_tiers_changed_layout.html")
    assert caught.value.expected.startswith("a table with the columns 'Country' and 'Tier'")
    assert "'Placement'" in caught.value.found


def test_tip_unknown_tier_is_refused():
    page = (FIXTURES / "tip_tiers.html").read_bytes().replace(b"Tier 2 Watch List", b"Tier 4")
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["tip_tiers"]({"tip.html": page}, TODAY)
    assert caught.value.found == "'Tier 4'"


# --- bounds shared by every parser -----------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_an_oversized_file_is_refused_unread(kind, monkeypatch):
    monkeypatch.setattr(_common, "MAX_SOURCE_BYTES", 100)
    name = {"ofac_sdn_dprk": "SDN.CSV", "dol_goods": "big.csv"}.get(kind, "page.html")
    with pytest.raises(SourceFormatError) as caught:
        PARSERS[kind]({name: b"x" * 1000}, TODAY)
    assert "at most" in caught.value.expected


@pytest.mark.parametrize(
    ("kind", "names"),
    [("ofac_sdn_dprk", ("SDN.CSV",)), ("cbp_wro_findings", ("cbp_wro.html",))],
)
def test_too_many_rows_are_refused(kind, names, monkeypatch):
    monkeypatch.setattr(_common, "MAX_SOURCE_ROWS", 5)
    with pytest.raises(SourceFormatError) as caught:
        parse(kind, *names)
    assert caught.value.expected == "at most 5 rows"


def test_no_file_and_a_binary_file_are_refused():
    with pytest.raises(SourceFormatError):
        PARSERS["tip_tiers"]({}, TODAY)
    with pytest.raises(SourceFormatError) as caught:
        PARSERS["tip_tiers"]({"tip.html": b"\x00\x01\x02" * 50}, TODAY)
    assert "binary" in str(caught.value)
