from datetime import date
from decimal import Decimal

import pytest

from chainproof.domain.tabular import FieldError
from chainproof.domain.values import (
    WORKERS_OPEN,
    ambiguous_dates,
    infer_date_order,
    parse_date,
    parse_percent,
    parse_workers,
)

# --- worker counts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1250", (1250, 1250)),
        ("1,250", (1250, 1250)),
        ("1.250", (1250, 1250)),  # German thousands
        ("1 250", (1250, 1250)),
        ("1\u00a0250", (1250, 1250)),  # no-break space, as French Excel writes it
        ("1'250", (1250, 1250)),  # Swiss
        ("ca. 380", (380, 380)),
        ("approx. 380", (380, 380)),
        ("~380", (380, 380)),
        ("about 380", (380, 380)),
        ("380+", (380, WORKERS_OPEN)),
        (">380", (380, WORKERS_OPEN)),
        ("1001-5000", (1001, 5000)),
        ("1001 \u2013 5000", (1001, 5000)),
        ("1,001 to 5,000", (1001, 5000)),
        ("100-200 workers", (100, 200)),
        ("250 employees", (250, 250)),
        ("约380人", (380, 380)),
        ("1000-5000人", (1000, 5000)),
        ("１２５０", (1250, 1250)),  # full-width digits
        ("380.0", (380, 380)),  # a number cell written back as text
        ("0", (0, 0)),
        ("10,000,000", (10_000_000, 10_000_000)),
    ],
)
def test_worker_counts_as_written(written, expected):
    assert parse_workers(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("12.5", "a whole number of workers (12.5 is not a whole number)"),
        ("1,5", "a whole number of workers (1,5 is not a whole number)"),
        ("many", "a number of workers: a whole number (1250 or 1,250), a range (1001-5000)"),
        ("-5", "a number of workers: a whole number"),
        ("5000-1001", "a range of workers from the smaller number to the larger (found 5000 to"),
        ("10,000,001", "a number of workers from 0 to 10,000,000"),
        ("1-20,000,000", "a number of workers from 0 to 10,000,000"),
    ],
)
def test_worker_counts_refused_say_what_was_expected(written, message):
    with pytest.raises(FieldError) as caught:
        parse_workers(written)
    assert message in caught.value.expected


# --- dates -------------------------------------------------------------------------------

NOV_8 = date(2024, 11, 8)
JAN_21 = date(2019, 1, 21)


@pytest.mark.parametrize(
    ("written", "order", "expected"),
    [
        ("2024-11-08", None, NOV_8),
        ("2024/11/08", None, NOV_8),
        ("2024-11-08 00:00:00", None, NOV_8),
        ("2024-11-08T10:00:00", None, NOV_8),
        ("2024-11-08T10:00:00.250+01:00", None, NOV_8),
        ("08.11.2024", "DMY", NOV_8),
        ("8.11.24", "DMY", NOV_8),
        ("08/11/2024", "DMY", NOV_8),
        ("11/08/2024", "MDY", NOV_8),
        ("08/11/2024", "MDY", date(2024, 8, 11)),
        ("25/11/2024", None, date(2024, 11, 25)),  # day above 12: only one reading
        ("11/25/2024", None, date(2024, 11, 25)),
        ("05.05.2024", None, date(2024, 5, 5)),  # day and month equal
        ("21-Jan-19", None, JAN_21),
        ("21 Jan 2019", None, JAN_21),
        ("Jan 21, 2019", None, JAN_21),
        ("21 January 2019", None, JAN_21),
        ("January 21st, 2019", None, JAN_21),
        ("Mon, 21 Jan 2019", None, JAN_21),
        ("2019年1月21日", None, JAN_21),
        ("2019년 1월 21일", None, JAN_21),
        ("21. Januar 2019", None, JAN_21),
        ("21 mars 2019", None, date(2019, 3, 21)),
        ("1er janvier 2019", None, date(2019, 1, 1)),
        ("21 de enero de 2019", None, JAN_21),
        ("21 Jan 2019", "MDY", JAN_21),  # a month name needs no order
        ("2024-11-08", "MDY", NOV_8),  # year first needs no order
    ],
)
def test_dates_as_written(written, order, expected):
    assert parse_date(written, order) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("01.01.69", date(2069, 1, 1)),
        ("01.01.70", date(1970, 1, 1)),
        ("31.12.99", date(1999, 12, 31)),
        ("31.12.00", date(2000, 12, 31)),
    ],
)
def test_two_digit_years_pivot_at_70(written, expected):
    assert parse_date(written, "DMY") == expected


def test_a_date_that_reads_two_ways_asks_for_the_order():
    with pytest.raises(FieldError) as caught:
        parse_date("08.11.2024", None)
    assert caught.value.expected == (
        "a date whose day and month order is known: 08.11.2024 could be 8 November or "
        "11 August; choose the date order for this file"
    )


@pytest.mark.parametrize(
    ("written", "order", "message"),
    [
        (
            "11/25/2024",
            "DMY",
            "a date in day-month-year order, the order of this file "
            "(11/25/2024 has 25 as its month)",
        ),
        (
            "25/11/2024",
            "MDY",
            "a date in month-day-year order, the order of this file "
            "(25/11/2024 has 25 as its month)",
        ),
        ("31.02.2024", "DMY", "a date that exists (31.02.2024 would be day 31 of month 2 of 2024)"),
        ("2024-02-30", None, "a date that exists"),
        (
            "43486",
            None,
            "43486 looks like a spreadsheet's date serial number: format the "
            "column as a date or as text",
        ),
        ("next monday", None, "a date such as 2024-11-08, 08.11.2024, 8 Nov 2024 or Nov 8, 2024"),
        ("Jan 2019", None, "a date such as 2024-11-08"),
        ("08/11/2024", "YMD", "choose the date order for this file"),
    ],
)
def test_dates_refused_say_why(written, order, message):
    with pytest.raises(FieldError) as caught:
        parse_date(written, order)
    assert message in caught.value.expected


def test_an_unknown_order_is_a_programming_error():
    with pytest.raises(ValueError, match="date order 'DM'"):
        parse_date("2024-11-08", "DM")


@pytest.mark.parametrize(
    ("column", "order"),
    [
        (["08.11.2024", "25.11.2024", ""], "DMY"),
        (["11/08/2024", "11/25/2024"], "MDY"),
        (["2024-11-08", "2019年1月21日"], "YMD"),
        (["08.11.2024", "09.11.2024"], None),  # every value reads two ways
        (["25/11/2024", "11/25/2024"], None),  # the values disagree
        (["2024-11-08", "08.11.2024"], None),
        (["21 Jan 2019"], None),
        ([], None),
    ],
)
def test_the_date_order_of_a_column(column, order):
    assert infer_date_order(column) == order


def test_ambiguous_dates_are_listed_for_the_question():
    column = ["08.11.2024", "25.11.2024", "2024-11-08", "05.05.2024", "21 Jan 2019", ""]
    assert ambiguous_dates(column) == ["08.11.2024"]
    assert ambiguous_dates(column, infer_date_order(column)) == []
    assert ambiguous_dates(["2024-11-08", "21 Jan 2019"]) == []


# --- percentages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12%", Decimal("12")),
        ("12 %", Decimal("12")),
        ("12", Decimal("12")),
        ("12.5%", Decimal("12.5")),
        ("12,5 %", Decimal("12.5")),
        ("0.12", Decimal("0.12")),  # never read as 12: a bare number is already percent
        ("0,125", Decimal("0.125")),
        ("1,250%", Decimal("1250")),
        ("1.250,5 %", Decimal("1250.5")),
        ("１２％", Decimal("12")),
        ("12 percent", Decimal("12")),
        ("-3%", Decimal("-3")),
    ],
)
def test_percent_as_written(written, expected):
    assert parse_percent(written) == expected


@pytest.mark.parametrize("written", ["twelve", "12%%", "%", "1e5", "NaN", "12 % 3"])
def test_percent_refused(written):
    with pytest.raises(FieldError) as caught:
        parse_percent(written)
    assert caught.value.expected == "a percentage such as 12%, 12 % or 12.5"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("500+", (500, WORKERS_OPEN)),
        ("more than 500", (500, WORKERS_OPEN)),
        (">500", (500, WORKERS_OPEN)),
        ("> 500", (500, WORKERS_OPEN)),
        ("over 500", (500, WORKERS_OPEN)),
        ("at least 500", (500, WORKERS_OPEN)),
        ("500 or more", (500, WORKERS_OPEN)),
        ("1,000+ workers", (1000, WORKERS_OPEN)),
        ("500人以上", (500, WORKERS_OPEN)),
        ("超过500人", (500, WORKERS_OPEN)),
        ("mehr als 500", (500, WORKERS_OPEN)),
        ("ca. 500", (500, 500)),  # approximate, not open
        ("1001-5000|1500", (1500, 1500)),  # Open Supply Hub: the single number
        ("1500|1001-5000", (1500, 1500)),
        ("1001-5000|5001-10000", (1001, 5000)),  # else the narrowest range
        ("1001-5000|", (1001, 5000)),
        ("1500|1500", (1500, 1500)),
    ],
)
def test_open_ranges_and_several_values(written, expected):
    assert parse_workers(written) == expected


def test_two_different_numbers_joined_with_a_pipe_are_asked_about():
    with pytest.raises(FieldError) as caught:
        parse_workers("250|300")
    assert "250 and 300: type the one that is right" in caught.value.expected


@pytest.mark.parametrize(
    ("low", "high", "words", "text"),
    [
        (None, None, "", ""),
        (1250, None, "1,250", "1250"),
        (1250, 1250, "1,250", "1250"),
        (1001, 5000, "1,001 to 5,000", "1001-5000"),
        (500, WORKERS_OPEN, "500 or more", "500+"),
    ],
)
def test_worker_counts_shown_and_written_back(low, high, words, text):
    from chainproof.domain.values import workers_text, workers_words

    assert workers_words(low, high) == words
    assert workers_text(low, high) == text
    if text:
        back = parse_workers(text)
        assert back == (low, high if high is not None else low)
