"""Facility, link, supplier and product columns read values as spreadsheets write them."""

from datetime import date

import pytest

from chainproof.domain.supply_columns import (
    COLUMN_SETS,
    DATE_COLUMNS,
    FACILITIES,
    LINKS,
    PRODUCTS,
    SUPPLIERS,
    TEXT_COLUMNS,
    hts_number_note,
    with_date_orders,
)
from chainproof.domain.tabular import Sheet, TableFileError, validate_sheet


def _rows(spec, *records):
    header = list(spec.column_names)
    sheet = Sheet("", header, [(n + 2, r) for n, r in enumerate(records)])
    return [row for _, row in validate_sheet(spec, sheet, source="t.csv")]


def _errors(spec, *records):
    with pytest.raises(TableFileError) as caught:
        _rows(spec, *records)
    return [str(e) for e in caught.value.errors]


def test_worker_counts_as_written_and_ranges_kept_as_ranges():
    single, spread = _rows(
        FACILITIES,
        {"name": "A", "country": "CN", "total_workers": "1,250", "migrant_workers": "ca. 300"},
        {
            "name": "B",
            "country": "CN",
            "total_workers": "1001-5000",
            "migrant_workers": "800 - 1200",
            "dprk_worker_count": "0",
        },
    )
    assert (single["total_workers"], single["total_workers_max"]) == (1250, None)
    assert (single["migrant_workers"], single["migrant_workers_max"]) == (300, None)
    assert (single["dprk_worker_count"], single["dprk_worker_count_max"]) == (None, None)
    assert (spread["total_workers"], spread["total_workers_max"]) == (1001, 5000)
    assert (spread["migrant_workers"], spread["migrant_workers_max"]) == (800, 1200)
    assert spread["dprk_worker_count"] == 0


def test_migrants_are_checked_against_the_most_workers_a_range_allows():
    # 1500-2000 migrants may be fewer than 1001-5000 workers: consistent.
    [row] = _rows(
        FACILITIES,
        {"name": "A", "country": "CN", "total_workers": "1001-5000", "migrant_workers": "4000"},
    )
    assert row["migrant_workers"] == 4000
    errors = _errors(
        FACILITIES,
        {"name": "A", "country": "CN", "total_workers": "100-200", "migrant_workers": "250-300"},
    )
    assert errors == [
        "row 2, column migrant_workers: expected at most total_workers (100-200), found '250-300'"
    ]


def test_a_dprk_count_with_status_none_is_shown_as_written():
    errors = _errors(
        FACILITIES,
        {"name": "A", "country": "KP", "dprk_workers": "none", "dprk_worker_count": "10-20"},
    )
    assert errors == [
        "row 2, column dprk_worker_count: expected empty or 0 when dprk_workers is none, "
        "found '10-20'"
    ]


def test_a_decimal_worker_count_is_refused_at_its_cell():
    errors = _errors(FACILITIES, {"name": "A", "country": "CN", "total_workers": "12.5"})
    assert errors == [
        "row 2, column total_workers: expected a whole number of workers (12.5 is not a "
        "whole number), found '12.5'"
    ]


def test_dates_read_in_the_order_of_their_file():
    record = {"from_supplier": "S", "to_importer": "yes", "material": "cotton"}
    rows = [
        {**record, "valid_from": "08.11.2024", "valid_to": "21-Jan-25"},
        {**record, "valid_from": "2024-11-08T00:00:00", "valid_to": "25.12.2024"},
    ]
    errors = _errors(LINKS, *rows)
    assert errors == [
        "row 2, column valid_from: expected a date whose day and month order is known: "
        "08.11.2024 could be 8 November or 11 August; choose the date order for this file, "
        "found '08.11.2024'"
    ]
    day_first = with_date_orders(LINKS, {"valid_from": "DMY", "valid_to": "DMY"})
    first, second = _rows(day_first, *rows)
    assert (first["valid_from"], first["valid_to"]) == (date(2024, 11, 8), date(2025, 1, 21))
    assert (second["valid_from"], second["valid_to"]) == (date(2024, 11, 8), date(2024, 12, 25))
    month_first = with_date_orders(LINKS, {"valid_from": "DMY", "valid_to": "MDY"})
    assert _errors(month_first, *rows) == [
        "row 3, column valid_to: expected a date in month-day-year order, the order of this "
        "file (25.12.2024 has 25 as its month), found '25.12.2024'"
    ]


def test_the_facility_figures_date_takes_written_dates():
    [row] = _rows(FACILITIES, {"name": "A", "country": "CN", "figures_date": "8 Nov 2024"})
    assert row["figures_date"] == date(2024, 11, 8)


def test_date_and_text_columns_name_real_columns():
    assert set(DATE_COLUMNS) == set(COLUMN_SETS) == set(TEXT_COLUMNS)
    for kind, spec in COLUMN_SETS.items():
        assert DATE_COLUMNS[kind] <= set(spec.column_names), kind
        assert TEXT_COLUMNS[kind] <= set(spec.column_names), kind
    assert {"duns", "lei", "uscc", "tax_id"} <= TEXT_COLUMNS["suppliers"]
    assert "postal_code" in TEXT_COLUMNS["facilities"]
    assert "hts_code" in TEXT_COLUMNS["products"]


def test_a_short_duns_in_a_file_says_why():
    errors = _errors(SUPPLIERS, {"legal_name": "Acme", "country": "US", "duns": "12345678"})
    assert errors == [
        "row 2, column duns: expected a 9-digit DUNS number (DUNS 12345678 has 8 digits: a "
        "spreadsheet probably dropped a leading zero; format the column as text and type the "
        "number again), found '12345678'"
    ]


@pytest.mark.parametrize(
    ("value", "note"),
    [
        (
            "6109.1",
            "HTS 6109.1 looks like a number a spreadsheet shortened (6109.10?): format "
            "the column as text",
        ),
        ("101.21", "HTS 101.21 looks like a number a spreadsheet shortened (0101.21?)"),
        ("6109.1000", None),  # 8 digits: a valid code
        ("610910", None),
        ("6109.10.00", None),
    ],
)
def test_hts_shortened_by_a_spreadsheet(value, note):
    found = hts_number_note(value)
    assert found == note if note is None else note in found


def test_an_hts_code_shortened_by_a_spreadsheet_is_refused_with_the_reason():
    errors = _errors(PRODUCTS, {"sku": "T1", "name": "Tee", "hts_code": "6109.1"})
    assert errors == [
        "row 2, column hts_code: expected an HTS code of 4, 6, 8 or 10 digits, e.g. "
        "6109.10.00.12 (dots optional) (HTS 6109.1 looks like a number a spreadsheet "
        "shortened (6109.10?): format the column as text), found '6109.1'"
    ]


@pytest.mark.parametrize("written", ["yes", "Y", "x", "✓", "ja", "Sí", "oui", "evet", "có", "是"])
def test_yes_as_lists_write_it(written):
    from chainproof.domain.tabular import boolean

    assert boolean(written) is True


@pytest.mark.parametrize("written", ["no", "N", "nein", "non", "hayır", "không", "否"])
def test_no_as_lists_write_it(written):
    from chainproof.domain.tabular import boolean

    assert boolean(written) is False


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("www.example.com", True),
        ("https://acme.example/about", True),
        ("acme.com.cn", True),
        ('=HYPERLINK("http://evil.example","click")', False),  # a formula kept as text
        ("see contract", False),
    ],
)
def test_a_website_is_a_web_address(written, read):
    from chainproof.domain.supply_columns import COLUMN_SETS
    from chainproof.domain.tabular import FieldError

    website = next(c for c in COLUMN_SETS["suppliers"].columns if c.name == "website")
    if read:
        assert website.parse(written) == written
    else:
        with pytest.raises(FieldError, match="a web address"):
            website.parse(written)
