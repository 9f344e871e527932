from datetime import date

import pytest

from chainproof.domain.refdata import (
    DOL_GOODS,
    TIP_TIERS,
    DatasetFileError,
    get_kind,
    validate_dataset,
)
from chainproof.domain.tabular import (
    MAX_ERRORS_REPORTED,
    FieldError,
    boolean,
    iso_date,
    whole_number,
)
from chainproof.fileformats.csv import read_csv


def validate_csv(kind, data, *, source, known_countries=None):
    """As the loader does: the file read by fileformats, the rows validated by the domain."""
    return validate_dataset(
        kind, read_csv(data, source), source=source, known_countries=known_countries
    )


KNOWN = {"CN", "KP", "RU", "US", "MY"}
TIP_HEADER = "report_year,country_name_source,iso2,iso3,tier,tier_code,source,year_coverage,note\n"


def tip_file(*rows: str) -> bytes:
    return (TIP_HEADER + "".join(r + "\n" for r in rows)).encode()


def errors_of(kind, data, known=KNOWN):
    with pytest.raises(DatasetFileError) as info:
        validate_csv(kind, data, source="f.csv", known_countries=known)
    return info.value


def test_valid_tip_file_is_parsed_to_typed_values():
    rows = validate_csv(
        TIP_TIERS,
        tip_file("2025,China,CN,CHN,Tier 3,T3,factbook,,", "2025,Korea North,KP,PRK,Tier 3,T3,,,"),
        source="tip.csv",
        known_countries=KNOWN,
    )
    assert rows[0]["report_year"] == 2025
    assert rows[0]["tier_code"] == "T3"
    assert rows[1]["iso2"] == "KP"
    assert rows[1]["source"] is None


def test_unknown_country_code_names_row_and_column():
    error = errors_of(
        TIP_TIERS, tip_file("2025,China,CN,CHN,Tier 3,T3,,,", "2025,Nowhere,ZZ,,Tier 1,T1,,,")
    )
    assert len(error.errors) == 1
    assert str(error.errors[0]) == (
        "row 3, column iso2: expected a country code in the countries data, found 'ZZ'"
    )


def test_bad_year_and_tier_are_each_reported():
    error = errors_of(TIP_TIERS, tip_file("20x5,China,CN,CHN,Tier 9,T3,,,"))
    columns = {e.column: e for e in error.errors}
    assert columns["report_year"].expected == "a whole number from 2000 to 2100"
    assert columns["tier"].found == "Tier 9"


def test_tier_code_must_agree_with_tier():
    error = errors_of(TIP_TIERS, tip_file("2025,China,CN,CHN,Tier 3,T1,,,"))
    assert error.errors[0].column == "tier_code"
    assert error.errors[0].expected == "T3 for Tier 3"


def test_duplicate_key_reports_both_rows():
    error = errors_of(
        TIP_TIERS, tip_file("2025,China,CN,,Tier 3,T3,,,", "2025,PRC,CN,,Tier 3,T3,,,")
    )
    assert error.errors[0].row == 3
    assert "row 2 has the same" in error.errors[0].expected


def test_missing_columns_are_named_in_the_header_error():
    data = b"report_year,iso2,tier\n2025,CN,Tier 3\n"
    error = errors_of(TIP_TIERS, data)
    assert error.errors[0].row == 1
    assert "country_name_source" in error.errors[0].column
    assert "tier_code" in error.errors[0].column


def test_wrong_number_of_cells_is_an_error():
    error = errors_of(TIP_TIERS, tip_file("2025,China,CN"))
    assert error.errors[0].expected == "9 cells"
    assert error.errors[0].found == "3 cells"


def test_non_utf8_file_is_refused_with_line_and_byte():
    data = tip_file("2025,China,CN,CHN,Tier 3,T3,,,") + "2025,Côte,CI,,Tier 2,T2,,,\n".encode(
        "latin-1"
    )
    error = errors_of(TIP_TIERS, data)
    assert error.errors[0].row == 3
    assert error.errors[0].expected == "UTF-8 text"
    assert "0xf4" in error.errors[0].found


def test_utf8_bom_is_accepted():
    rows = validate_csv(
        TIP_TIERS,
        b"\xef\xbb\xbf" + tip_file("2025,China,CN,,Tier 3,T3,,,"),
        source="f",
        known_countries=KNOWN,
    )
    assert len(rows) == 1


@pytest.mark.parametrize("data", [b"", b"   \n", TIP_HEADER.encode()])
def test_empty_file_or_header_only_is_refused(data):
    error = errors_of(TIP_TIERS, data)
    assert error.errors


def test_error_list_is_capped_but_total_is_kept():
    rows = [f"2025,X,Z{i % 10},,Tier 1,T1,,," for i in range(MAX_ERRORS_REPORTED + 50)]
    error = errors_of(TIP_TIERS, tip_file(*rows))
    assert len(error.errors) == MAX_ERRORS_REPORTED
    assert error.total == MAX_ERRORS_REPORTED + 50


def test_goods_booleans_and_optional_input_country():
    header = (
        "good,sector,country_name_source,iso2,region,child_labor,forced_labor,"
        "forced_child_labor,derived_from_exploited_input,input_country_name,input_country_iso2\n"
    )
    data = (
        header + "Cotton,Agriculture,China,CN,Asia,true,true,false,false,,\n"
        "Polysilicon,Manufacturing,Malaysia,MY,Asia,false,true,false,true,China,CN\n"
    ).encode()
    rows = validate_csv(DOL_GOODS, data, source="g.csv", known_countries=KNOWN)
    assert rows[0]["forced_labor"] is True
    assert rows[0]["input_country_iso2"] is None
    assert rows[1]["input_country_iso2"] == "CN"
    bad = (header + "Cotton,Agriculture,China,CN,Asia,maybe,true,false,false,,\n").encode()
    error = errors_of(DOL_GOODS, bad)
    assert (error.errors[0].column, error.errors[0].expected) == (
        "child_labor",
        "true or false (yes or no)",
    )


def test_cell_parsers():
    assert iso_date("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(FieldError):
        iso_date("29/02/2024")
    assert boolean("Yes") is True
    with pytest.raises(FieldError):
        boolean("perhaps")
    assert whole_number(1, 5)("5") == 5
    with pytest.raises(FieldError):
        whole_number(1, 5)("6")


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown dataset kind 'nope'"):
        get_kind("nope")
