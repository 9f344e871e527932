"""The Open Supply Hub ID checked as OS Hub checks it (domain/os_id.py)."""

from __future__ import annotations

import pytest

from chainproof.domain.os_id import normalise_os_id, os_id_check_character, os_id_problem
from chainproof.domain.records import FACILITY, SpecError


def test_a_real_os_id_passes_and_its_check_character_is_computed():
    assert os_id_problem("CN2019303BQ3FZP") is None
    assert os_id_check_character("CN2019303BQ3FZ") == "P"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("CN2019303BQ3FZQ", "should be P"),  # one character mistyped
        ("CN2019400BQ3FZP", "day 400"),
        ("CN2019303BQ3FZ", "15 characters"),
        ("CN2019303BQ3FUP", "15 characters"),  # U is not in Crockford's base 32
        ("C12019303BQ3FZP", "15 characters"),
    ],
)
def test_a_wrong_os_id_says_why(value, words):
    problem = os_id_problem(value)
    assert problem is not None
    assert words in problem


def test_the_facility_specification_stores_the_clean_form_and_refuses_bad_ones():
    assert normalise_os_id(" cn-2019303-bq3fz-p ") == "CN2019303BQ3FZP"
    assert FACILITY.normalise({"os_id": "cn 2019303 bq3fzp"})["os_id"] == "CN2019303BQ3FZP"
    assert FACILITY.normalise({"os_id": ""})["os_id"] == ""
    with pytest.raises(SpecError) as caught:
        FACILITY.normalise({"os_id": "CN2019303BQ3FZQ"})
    assert caught.value.field == "os_id"
