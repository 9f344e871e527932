"""Entry numbers (CBP Form 7501): the Appendix E check digit, computed by hand here, and
the sentences a person reads when a number is mistyped."""

from __future__ import annotations

import pytest

from chainproof.domain.cases.entries import (
    EntryNumber,
    EntryNumberError,
    entry_check_digit,
    entry_number_parse,
)


@pytest.mark.parametrize(
    ("filer", "transaction", "digit"),
    [
        # Appendix E's worked example: B -> 2; 2760324527; doubled even positions
        # 7,0,2,5,7 -> 5,0,4,1,5 = 15; odd positions 2+6+3+4+2 = 17; 32 -> 8.
        ("B76", "0324527", "8"),
        # 1231234567: doubled 2,1,3,5,7 -> 4,2,6,1,5 = 18; odd 1+3+2+4+6 = 16; 34 -> 6.
        ("ABC", "1234567", "6"),
        # 1230000000: doubled 2 -> 4; odd 1+3 = 4; 8 -> 2.
        ("123", "0000000", "2"),
        # J = 1, S = 2, Z = 9 -> 1290000000: doubled 2 -> 4; odd 1+9 = 10; 14 -> 6.
        ("JSZ", "0000000", "6"),
        # 9999999999: doubled 9s -> 9 each = 45; odd 45; 90 -> 0.
        ("999", "9999999", "0"),
    ],
)
def test_check_digit_by_hand(filer, transaction, digit):
    assert entry_check_digit(filer, transaction) == digit


def test_letters_use_the_three_runs_of_the_table():
    # A-I, J-R and S-Z each restart: R is 9, S is 2 (not 1), so "R" and "I" agree and
    # "S" and "B" agree; a plain A=1..Z=26 reading would break both.
    for letters, digits in [("IRZ", "999"), ("AJB", "112"), ("SKT", "223"), ("ZZZ", "999")]:
        assert entry_check_digit(letters, "4815162") == entry_check_digit(digits, "4815162")
    assert entry_check_digit("S00", "0000000") != entry_check_digit("100", "0000000")


def test_parse_accepts_how_people_type_it():
    expected = EntryNumber("B76", "0324527", "8")
    for typed in ["B76-0324527-8", " b76 0324527 8 ", "B7603245278", "b76–0324527–8"]:
        assert entry_number_parse(typed) == expected
    assert str(expected) == "B76-0324527-8"


def test_a_wrong_check_digit_says_which_it_should_be():
    with pytest.raises(EntryNumberError) as caught:
        entry_number_parse("B76-0324527-3")
    assert str(caught.value) == "check digit should be 8, found 3 (the number may be mistyped)"


def test_every_single_digit_slip_is_caught():
    valid = "2760324527"
    tried = 0
    for position, original in enumerate(valid[3:], start=3):
        for digit in "0123456789":
            if digit == original:
                continue
            slipped = valid[:position] + digit + valid[position + 1 :]
            with pytest.raises(EntryNumberError, match="check digit should be"):
                entry_number_parse(f"{slipped[:3]}-{slipped[3:]}-8")
            tried += 1
    assert tried == 7 * 9


def test_swapped_neighbours_are_caught():
    with pytest.raises(EntryNumberError, match="check digit should be"):
        entry_number_parse("B76-0342527-8")


@pytest.mark.parametrize(
    "typed",
    ["AB-12", "B76-032452-8", "B76-03245277-8", "B7!-0324527-8", "B76-0324527-X", "", "   "],
)
def test_bad_shapes_say_what_was_expected(typed):
    with pytest.raises(EntryNumberError) as caught:
        entry_number_parse(typed)
    assert str(caught.value) == (
        "expected an entry number like B76-0324527-8 (filer code, 7 digits, check digit), "
        f"found {typed.strip()!r}"
    )


def test_check_digit_refuses_parts_of_the_wrong_shape():
    with pytest.raises(EntryNumberError, match="filer code of 3 letters or digits, found 'B7'"):
        entry_check_digit("B7", "0324527")
    with pytest.raises(EntryNumberError, match="7 digits, found '324527'"):
        entry_check_digit("B76", "324527")
