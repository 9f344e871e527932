"""The mapping step: the header row found, columns proposed, mappings written by hand."""

import pytest

from chainproof.domain.import_mapping import (
    ATTRIBUTE,
    IGNORE,
    ColumnMapping,
    MappingError,
    find_header,
    mapped_records,
    mapping_from_columns,
    mapping_problems,
    parse_mapping,
    propose,
)
from chainproof.domain.tabular import WIDTH_MARK


def test_the_header_is_found_below_title_rows():
    rows = [
        ["Vendor master export", "", ""],
        ["Company code 1000", "Printed 08.11.2024", ""],
        [],
        ["Vendor", "Name 1", "Country"],
        ["0001", "Acme Ltd", "CN"],
    ]
    assert find_header(rows, "suppliers") == 3


def test_without_a_known_word_the_first_row_with_two_values_is_the_header():
    rows = [["A title"], ["col a", "col b"], ["1", "2"]]
    assert find_header(rows, "suppliers") == 1
    assert find_header([], "suppliers") == 0


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Name 1", "legal_name"),
        ("供应商名称 Supplier name", "legal_name"),
        ("国家", "country"),
        ("Land", "country"),
        ("País", "country"),
        ("Quốc gia", "country"),
        ("Ülke", "country"),
        ("D-U-N-S", "duns"),
        ("统一社会信用代码", "uscc"),
        ("Tax Number 1", "tax_id"),
        ("E-Mail", "contact_email"),
        ("legal_name", "legal_name"),
        ("LEGAL NAME *", "legal_name"),
    ],
)
def test_headers_in_many_languages_propose_their_field(header, field):
    assert propose([header], "suppliers").columns[header] == field


def test_each_field_is_proposed_once_except_those_that_join():
    mapping = propose(["Name", "Company", "Street", "Address", "Country"], "facilities")
    assert mapping.columns["Name"] == "name"
    assert mapping.columns["Country"] == "country"
    # both address columns fill the address, joined
    assert mapping.columns["Street"] == "address"
    assert mapping.columns["Address"] == "address"
    suppliers = propose(["Name", "Company name"], "suppliers")
    assert list(suppliers.columns.values()) == ["legal_name", IGNORE]


def test_known_extra_columns_are_kept_as_attributes_others_left_out():
    mapping = propose(["legal_name", "country", "Telephone", "Lucky number"], "suppliers")
    assert mapping.columns["Telephone"] == ATTRIBUTE
    assert mapping.columns["Lucky number"] == IGNORE
    assert mapping_problems(mapping, "suppliers") == []


def test_a_written_mapping_overrides_the_proposal():
    header = ["Firm", "Nation", "Name"]
    mapping = parse_mapping("Firm=legal_name; nation = country", header, "suppliers")
    assert mapping.columns == {"Firm": "legal_name", "Nation": "country", "Name": IGNORE}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Firm", "'Header=field'"),
        ("Nowhere=legal_name", "a column of the file"),
        ("Firm=colour", "a field of suppliers"),
    ],
)
def test_a_wrong_written_mapping_says_what_is_wrong(text, words):
    with pytest.raises(MappingError) as info:
        parse_mapping(text, ["Firm", "Nation"], "suppliers")
    assert words in str(info.value)


def test_mapping_problems_name_missing_and_doubled_fields():
    problems = mapping_problems(
        ColumnMapping({"A": "legal_name", "B": "legal_name", "C": "ignore"}), "suppliers"
    )
    assert any("Legal name is filled by 2 columns" in p for p in problems)
    assert any("no column is mapped to Country" in p for p in problems)
    assert mapping_problems(ColumnMapping({"A": "legal_name", "B": "country"}, "XYZ"), "suppliers")


def test_a_saved_mapping_matches_headers_case_and_punctuation_blind():
    mapping = mapping_from_columns(
        {"name 1": "legal_name", "LAND": "country"}, ["Name-1", "Land", "Notes"], "suppliers"
    )
    assert mapping.columns == {"Name-1": "legal_name", "Land": "country", "Notes": "notes"}


def test_records_carry_fields_attributes_and_numeric_cells():
    header = ["Name", "Country", "Street", "Street 2", "Phone", "DUNS", "Other"]
    mapping = ColumnMapping(
        {
            "Name": "name",
            "Country": "country",
            "Street": "address",
            "Street 2": "address",
            "Phone": ATTRIBUTE,
            "DUNS": "notes",
            "Other": IGNORE,
        }
    )
    rows = [
        (5, ["Plant", "CN", "1 Road", "Unit 2", "+86 1", "12345678", "x"]),
        (6, ["", "", "", "", "", "", ""]),
        (7, ["Plant 2", "CN", "", "", "", "", "", "surprise"]),
    ]
    records = list(mapped_records(header, rows, mapping, numeric={(5, 6)}))
    assert [r.line for r in records] == [5, 7]
    first = records[0]
    assert first.values == {
        "name": "Plant",
        "country": "CN",
        "address": "1 Road, Unit 2",
        "notes": "12345678",
    }
    assert first.attributes == {"Phone": "+86 1"}
    assert first.numeric == {"notes"}
    assert records[1].values == {WIDTH_MARK: "8"}


def test_german_turkish_and_bengali_headers_are_proposed():
    suppliers = propose(
        ["Lieferant", "Tedarikçi", "Land", "USt-IdNr.", "Straße", "PLZ", "Ort"], "suppliers"
    ).columns
    assert suppliers == {
        "Lieferant": "ref",
        "Tedarikçi": "legal_name",
        "Land": "country",
        "USt-IdNr.": "tax_id",
        "Straße": "attribute",
        "PLZ": "attribute",
        "Ort": "ignore",  # a city alone: shown as left out, kept on request
    }
    assert propose(["সরবরাহকারী", "দেশ"], "suppliers").columns["সরবরাহকারী"] == "legal_name"
    facilities = propose(["Tesis Adı", "Ülke", "os_id", "processing_type"], "facilities")
    assert facilities.columns == {
        "Tesis Adı": "name",
        "Ülke": "country",
        "os_id": "os_id",
        # Open Supply Hub's processing types are its own words, not chainproof's activities.
        "processing_type": "attribute",
    }
