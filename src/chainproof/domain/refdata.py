"""Reference datasets: the columns of each kind and the validation of every row.

A file is read whole (``chainproof.fileformats``), validated whole here, and only then
handed to the database layer; a single bad row means nothing loads (see
chainproof.domain.tabular).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from chainproof.domain.tabular import (
    ISO2,
    Column,
    ColumnSet,
    RowError,
    Sheet,
    TableFileError,
    boolean,
    code,
    iso_date,
    list_column,
    one_of,
    text,
    validate_sheet,
    whole_number,
)

DatasetFileError = TableFileError

__all__ = [
    "KINDS",
    "DatasetFileError",
    "DatasetKind",
    "RowError",
    "get_kind",
    "trust_words",
    "validate_dataset",
]


@dataclass(frozen=True, kw_only=True)
class DatasetKind(ColumnSet):
    """A kind of reference dataset: its identity, title and columns."""

    code: str
    title: str
    description: str
    # What the list does not cover, in sentences a reader can act on; shown on the
    # reference pages beside the dataset.
    known_gaps: tuple[str, ...] = ()
    # For an additional (partial) edition: the kind whose rows it completes. Its rows never
    # replace the main kind's; they fill what the main kind lacks (see risk.snapshot).
    supplements: str = ""


# --- cross-column checks -----------------------------------------------------------------

TIER_CODES = {"Tier 1": "T1", "Tier 2": "T2", "Tier 2 Watch List": "T2WL", "Tier 3": "T3"}


def _tier_code_agrees(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    expected = TIER_CODES.get(row["tier"])
    if expected and row["tier_code"] != expected:
        return [("tier_code", f"{expected} for {row['tier']}", row["tier_code"])]
    return []


def _seen_dates_ordered(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    first, last = row.get("first_seen_date"), row.get("last_seen_date")
    if first and last and last < first:
        return [("last_seen_date", f"a date on or after {first}", last.isoformat())]
    return []


# --- the kinds ---------------------------------------------------------------------------

COUNTRIES = DatasetKind(
    code="countries",
    title="Countries (ISO 3166-1)",
    description="Country codes and names, with UN M49 region and sub-region.",
    columns=(
        Column("name", text),
        Column("official_name_en", text, required=False),
        Column("alpha2", ISO2),
        Column("alpha3", code(r"[A-Z]{3}", "a three-letter code (ISO 3166-1 alpha-3)")),
        Column("numeric", code(r"\d{3}", "a three-digit numeric code"), required=False),
        Column("region", text, required=False),
        Column("sub_region", text, required=False),
        Column("is_independent", text, required=False),
        Column("code_status", one_of("iso", "user-assigned", "withdrawn")),
    ),
    key=("alpha2",),
)

TIP_TIERS = DatasetKind(
    code="tip_tiers",
    title="TIP Report tier placements",
    description="US State Department Trafficking in Persons Report: tier of each country, "
    "by report year.",
    known_gaps=(
        "No full tier list for the report years 2016-2019 and 2021.",
        "2022 and 2024 list only Tier 2 Watch List and Tier 3: a country missing from those "
        "years is not known to be Tier 1 or Tier 2.",
        'A country missing for a year is unknown for that year, not "not ranked".',
        "Special Case is not coded for any year; the United States is not included for "
        "2001-2015; the Democratic Republic of the Congo has no 2023 row.",
    ),
    columns=(
        Column("report_year", whole_number(2000, 2100)),
        Column("country_name_source", text),
        Column("iso2", ISO2),
        Column("iso3", text, required=False),
        Column("tier", one_of(*TIER_CODES)),
        Column("tier_code", one_of(*TIER_CODES.values())),
        Column("source", text, required=False),
        Column("year_coverage", text, required=False),
        Column("note", text, required=False),
    ),
    key=("report_year", "iso2"),
    country_columns=("iso2",),
    checks=(_tier_code_agrees,),
)

DOL_GOODS = DatasetKind(
    code="dol_goods",
    title="DOL List of Goods Produced by Child Labor or Forced Labor",
    description="US Department of Labor (ILAB) TVPRA List: good and country pairs, with the "
    "kind of exploitation and, for downstream goods, the exploited input's country.",
    known_gaps=(
        "This is the 2022 edition of the list; the 2024 edition (204 goods from 82 countries "
        "and areas) was not available.",
        'The source has no "year added" field.',
    ),
    columns=(
        Column("good", text),
        Column("sector", text, required=False),
        Column("country_name_source", text),
        Column("iso2", ISO2),
        Column("region", text, required=False),
        Column("child_labor", boolean),
        Column("forced_labor", boolean),
        Column("forced_child_labor", boolean),
        Column("derived_from_exploited_input", boolean),
        Column("input_country_name", text, required=False),
        Column("input_country_iso2", ISO2, required=False),
    ),
    key=("good", "iso2", "input_country_iso2"),
    country_columns=("iso2", "input_country_iso2"),
)

CBP_WRO_FINDINGS = DatasetKind(
    code="cbp_wro_findings",
    title="CBP Withhold Release Orders and Findings",
    description="Section 307 orders: detention (WRO) or seizure (Finding) of named "
    "merchandise from named entities or countries.",
    known_gaps=(
        "A third party's parse of CBP's file: active and partially modified orders only; "
        "revoked orders are not included.",
        "Some orders of the official file may be missing (the official list has about 97 records).",
    ),
    columns=(
        Column("effective_date", iso_date),
        Column("country_name_source", text),
        Column("iso2", ISO2, required=False),
        Column("status", text),
        Column("type", one_of("WRO", "Finding")),
        Column("entity", text),
        list_column("aliases", "|", required=False),
        Column("industry", text, required=False),
        Column("merchandise", text),
        Column("remarks", text, required=False),
    ),
    country_columns=("iso2",),
)

UFLPA_ENTITY_LIST = DatasetKind(
    code="uflpa_entity_list",
    title="UFLPA Entity List",
    description="DHS list of entities under UFLPA section 2(d)(2)(B); goods they make are "
    "presumed made with forced labor.",
    known_gaps=(
        "The list as of the date of the DHS page it was read from; entities added later "
        "(e.g. on 3 August 2026) are not in this edition.",
        "Aliases were split from the published text on a best-effort basis.",
    ),
    columns=(
        Column("section", one_of("i", "ii", "iii", "iv", "v")),
        Column("section_description", text),
        Column("entity_as_published", text),
        Column("primary_name", text),
        list_column("aliases", "|", required=False),
        Column("effective_date_as_published", text, required=False),
        Column("effective_date", iso_date),
        Column("iso2", ISO2, required=False),
    ),
    key=("section", "primary_name"),
    country_columns=("iso2",),
)

OFAC_SDN_DPRK = DatasetKind(
    code="ofac_sdn_dprk",
    title="OFAC SDN list: North Korea programs",
    description="Specially Designated Nationals carrying a DPRK sanctions program tag, with "
    "their alternate names.",
    known_gaps=(
        "Only entries carrying a North Korea (DPRK) program tag.",
        "Addresses and countries come from a separate file, OFAC's address list, which may be "
        "up to about 2.5 months older than the names: addresses changed in between are not "
        "reflected.",
        "No remarks (dates of birth, identifiers) in this edition.",
    ),
    columns=(
        Column("ent_num", whole_number(1, 10**9)),
        Column("name", text),
        Column("type", one_of("entity", "individual", "vessel", "aircraft")),
        list_column("programs", ";"),
        list_column("dprk_programs", ";"),
        list_column("alternate_names", "|", required=False),
    ),
    key=("ent_num",),
)

DPRK_OVERSEAS_LABOR = DatasetKind(
    code="dprk_overseas_labor",
    title="North Korean overseas labor: host countries",
    description="Statements, from TIP Report summaries, that North Korean nationals work in "
    "a country or region. Incomplete by nature; organizations can add their own.",
    known_gaps=(
        "Incomplete by nature: only countries a source names; a country not listed is not "
        "known to be free of North Korean workers.",
        "The 2018 North Korea supply-chain advisory annex was not available.",
    ),
    columns=(
        Column("host_country_or_region", text),
        Column("iso2", ISO2, required=False),
        Column("sectors_as_stated", text, required=False),
        Column("excerpt_verbatim", text),
        Column("tip_report_year_tag", whole_number(2000, 2100), required=False),
        Column("factbook_file", text, required=False),
        Column("factbook_commit_first_seen", text, required=False),
        Column("first_seen_date", iso_date, required=False),
        Column("last_seen_date", iso_date, required=False),
        Column("note", text, required=False),
    ),
    country_columns=("iso2",),
    checks=(_seen_dates_ordered,),
)

# Additional (partial) editions: rows that fill gaps of a main kind, each with its evidence.

TRUST_LABELS = {
    "PRIMARY TEXT": "primary text: State Department narrative",
    "THIRD-PARTY EXCERPT": "third-party excerpt of the State Department narrative",
    "SECONDARY": "secondary source: news or third-party page",
}


def trust_words(note: str) -> str:
    """How far a row of an additional edition can be trusted, in words, from the label its
    ``note`` begins with ("SECONDARY ...; DERIVED ..." -> "secondary source: news or
    third-party page, derived"); "" when the note carries no label."""
    head = note.split("|", 1)[0].strip()
    for label, words in TRUST_LABELS.items():
        if head.upper().startswith(label):
            return words + (", derived" if "DERIVED" in head else "")
    return ""


def _trust_label_given(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    if trust_words(row.get("note") or ""):
        return []
    expected = "a note beginning with " + ", ".join(TRUST_LABELS)
    return [("note", expected, (row.get("note") or "")[:60])]


TIP_TIERS_ADDITIONS = DatasetKind(
    code="tip_tiers_additions",
    title="TIP Report tier placements: additions for single countries",
    description="Tier placements for single countries in years the main table lacks, each "
    "from one page about one country, with its evidence and a trust label. They fill gaps of "
    "the main table and never replace it.",
    supplements="tip_tiers",
    known_gaps=(
        "Not a tier list: each row comes from one page about one country. A country missing "
        'for a year is unknown for that year, not "not ranked".',
        "Only 13 countries, in 2016-2019, 2021, 2022 (Tier 2) and 2024 (Tier 2).",
        "Rows marked derived were inferred from a statement covering several years; secondary "
        "rows come from news or third-party pages, not the State Department's text.",
    ),
    columns=TIP_TIERS.columns,
    key=("report_year", "iso2"),
    country_columns=("iso2",),
    checks=(_tier_code_agrees, _trust_label_given),
)

OFAC_SDN_DPRK_ADDRESSES = DatasetKind(
    code="ofac_sdn_dprk_addresses",
    title="OFAC SDN list: North Korea programs, addresses",
    description="The addresses and countries OFAC's address file (ADD.CSV) gives for the "
    "North Korea entries, joined to them by OFAC's entry number.",
    supplements="ofac_sdn_dprk",
    known_gaps=(
        "May be up to about 2.5 months older than the name list: addresses changed in between "
        "are not reflected, and entries designated later have none.",
        "Many entries (most vessels) have only an empty address upstream.",
    ),
    columns=(
        Column("ent_num", whole_number(1, 10**9)),
        Column("name", text),
        Column("type", one_of("entity", "individual", "vessel", "aircraft")),
        list_column("dprk_programs", ";", required=False),
        Column("add_num", whole_number(1, 10**9)),
        Column("address", text, required=False),
        Column("city_state_province_postal", text, required=False),
        Column("country_name_source", text, required=False),
        Column("iso2", ISO2, required=False),
        Column("add_remarks", text, required=False),
    ),
    key=("ent_num", "add_num"),
    country_columns=("iso2",),
)

DPRK_OVERSEAS_LABOR_ADDITIONS = DatasetKind(
    code="dprk_overseas_labor_additions",
    title="North Korean overseas labor: more statements",
    description="Further statements that North Korean nationals work in a country, from TIP "
    "Report narratives and news reports of them; the source is in the note. They add to "
    "the main list.",
    supplements="dprk_overseas_labor",
    known_gaps=(
        "Kenya, Malaysia and Thailand come from one news article paraphrasing the 2021 TIP "
        "Report (secondary, no sector stated).",
        "One Russia row's report year is not shown by its source (probably 2024).",
    ),
    columns=DPRK_OVERSEAS_LABOR.columns,
    country_columns=("iso2",),
    checks=(_seen_dates_ordered,),
)

ILO_INDICATORS = DatasetKind(
    code="ilo_indicators",
    title="ILO indicators of forced labour",
    description="The eleven indicators of the ILO Special Action Programme to Combat Forced "
    "Labour (2012); descriptions are chainproof's paraphrases.",
    columns=(
        Column("indicator_number", whole_number(1, 99)),
        Column("indicator", text),
        Column("description_paraphrased", text),
    ),
    key=("indicator_number",),
)

KINDS: dict[str, DatasetKind] = {
    kind.code: kind
    for kind in (
        COUNTRIES,
        TIP_TIERS,
        DOL_GOODS,
        CBP_WRO_FINDINGS,
        UFLPA_ENTITY_LIST,
        OFAC_SDN_DPRK,
        DPRK_OVERSEAS_LABOR,
        ILO_INDICATORS,
        TIP_TIERS_ADDITIONS,
        OFAC_SDN_DPRK_ADDRESSES,
        DPRK_OVERSEAS_LABOR_ADDITIONS,
    )
}


def get_kind(code_: str) -> DatasetKind:
    try:
        return KINDS[code_]
    except KeyError:
        raise ValueError(
            f"unknown dataset kind {code_!r}; expected one of {', '.join(sorted(KINDS))}"
        ) from None


def validate_dataset(
    kind: DatasetKind,
    sheet: Sheet,
    *,
    source: str,
    known_countries: Collection[str] | None = None,
) -> list[dict[str, Any]]:
    """Validate a whole table as read from the file; return its rows or raise
    DatasetFileError."""
    rows = validate_sheet(kind, sheet, source=source, known_countries=known_countries)
    return [row for _, row in rows]
