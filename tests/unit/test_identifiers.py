"""Identifier schemes refuse values a spreadsheet changed, and say why."""

import pytest

from chainproof.domain.records import (
    SpecError,
    normalise_identifier,
    number_cell_note,
    uscc_check_character,
)

SCIENTIFIC = (
    "a number a spreadsheet wrote in scientific notation, which lost digits: format the "
    "column as text and type the identifier again"
)


@pytest.mark.parametrize(
    ("scheme", "value", "stored"),
    [
        ("duns", "012345678", "012345678"),
        ("duns", "01-234-5678", "012345678"),
        ("duns", "123456789.0", "123456789"),  # a number cell with nothing lost
        ("uscc", "91350100M000100Y43", "91350100M000100Y43"),
        ("uscc", "91110000802100433b", "91110000802100433B"),
        ("lei", "5493001KJTIIGC8Y1R12", "5493001KJTIIGC8Y1R12"),
        ("tax_id", "0680046789", "0680046789"),
        ("tax_id", "680046789.0", "680046789"),
        ("tax_id", "DE123456789", "DE123456789"),
        ("tax_id", "123456789012345", "123456789012345"),  # 15 digits: a number keeps them
        ("tax_id", "1234567890123456", "1234567890123456"),  # 16 digits, not ending in 0
        ("other", "VAT 1E5", "VAT 1E5"),
    ],
)
def test_identifiers_kept(scheme, value, stored):
    assert normalise_identifier(scheme, value) == stored


@pytest.mark.parametrize("scheme", ["duns", "lei", "uscc", "tax_id", "other"])
@pytest.mark.parametrize("value", ["9.14401016189888E+017", "9.14E+17", "1.2345E+8", "9,14E+17"])
def test_scientific_notation_is_refused_in_every_scheme(scheme, value):
    with pytest.raises(SpecError) as caught:
        normalise_identifier(scheme, value)
    assert f"{value} is {SCIENTIFIC}" in caught.value.expected
    assert caught.value.found == value


@pytest.mark.parametrize("scheme", ["uscc", "tax_id", "other"])
def test_an_18_digit_code_rounded_to_15_digits_is_refused(scheme):
    # 914401016189887654 typed into a number cell; its check character would even pass.
    with pytest.raises(SpecError) as caught:
        normalise_identifier(scheme, "914401016189888000")
    assert (
        "914401016189888000 has 18 digits, and a spreadsheet keeps only 15 digits of a "
        "number: the last digits became 000; format the column as text and type it again"
    ) in caught.value.expected


def test_a_rounded_code_whose_check_character_passes_is_still_refused():
    first17 = "91440101618988400"
    assert uscc_check_character(first17) == "0"  # the rounded value passes the check
    with pytest.raises(SpecError, match="the last digits became 000"):
        normalise_identifier("uscc", first17 + "0")


def test_the_binary_rounding_of_a_15_digit_number_is_refused():
    # A reader turning the stored float 9.14401016189887E+17 back into digits.
    assert str(int(9.14401016189887e17)) == "914401016189886976"
    with pytest.raises(SpecError) as caught:
        normalise_identifier("tax_id", "914401016189886976")
    assert "the last digits were changed by rounding" in caught.value.expected


@pytest.mark.parametrize(
    ("value", "zeros"),
    [("1234567890123450", "0"), ("12345678901234500", "00"), ("12345678901234500.0", "00")],
)
def test_16_and_17_digit_numbers_ending_in_zeros_are_refused(value, zeros):
    with pytest.raises(SpecError) as caught:
        normalise_identifier("tax_id", value)
    assert f"the last digits became {zeros}; format the column as text" in caught.value.expected


def test_a_20_digit_lei_of_digits_rounded_by_a_spreadsheet_is_refused():
    with pytest.raises(SpecError, match="has 20 digits"):
        normalise_identifier("lei", "54930012345678900000")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (
            "12345678",
            "DUNS 12345678 has 8 digits: a spreadsheet probably dropped a leading zero; "
            "format the column as text",
        ),
        ("12345678.0", "DUNS 12345678 has 8 digits: a spreadsheet probably dropped a leading"),
        ("1368083", "DUNS 1368083 has 7 digits: a spreadsheet probably dropped 2 leading zeros"),
        ("12", "DUNS 12 has 2 digits"),
    ],
)
def test_a_short_duns_says_a_spreadsheet_probably_dropped_zeros(value, reason):
    with pytest.raises(SpecError) as caught:
        normalise_identifier("duns", value)
    # The scheme's description stays first: forms and the API show it as before.
    assert caught.value.expected.startswith("a 9-digit DUNS number (")
    assert reason in caught.value.expected


def test_a_duns_that_is_not_a_number_gets_the_plain_message():
    with pytest.raises(SpecError) as caught:
        normalise_identifier("duns", "12345678X")
    assert caught.value.expected == "a 9-digit DUNS number"


def test_a_mistyped_uscc_check_character_is_named():
    with pytest.raises(SpecError) as caught:
        normalise_identifier("uscc", "91350100M000100Y44")
    assert caught.value.expected == (
        "an 18-character China Unified Social Credit Code (the last character of "
        "91350100M000100Y44 is its check character (GB 32100-2015) and should be 3: a "
        "character is mistyped)"
    )


def test_the_number_cell_note_for_codes_that_can_lose_leading_zeros():
    assert number_cell_note("tax_id", "680046789") == (
        "the Tax id cell held the number 680046789, and a spreadsheet drops leading zeros of "
        "numbers: format the column as text and check the value"
    )
    assert number_cell_note("postal_code", "3550").startswith("the postal code cell held")
    assert number_cell_note("tax_id", "DE123") is None
