"""Values as people and spreadsheets write them: worker counts, dates, percentages.

Each parser takes the text of one cell (or form field) and returns the typed value, or
raises :class:`~chainproof.domain.tabular.FieldError` saying in words what was expected
and, where the text shows it, what went wrong. Nothing is guessed: a date whose day and
month could be swapped needs the file's date order (given, or inferred from the other
values of its column with :func:`infer_date_order`), and "0.12" is 0.12 percent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from chainproof.domain.tabular import FieldError

# --- worker counts -----------------------------------------------------------------------

MAX_WORKERS = 10_000_000
# The high end of an open range ("500+", "more than 500": at least 500): stored in the same
# place as the high end of a range ("1001-5000"), one above any count a cell may give.
WORKERS_OPEN = MAX_WORKERS + 1
WORKERS_EXPECTED = (
    "a number of workers: a whole number (1250 or 1,250), a range (1001-5000), an open "
    "range (500+) or an approximate number (ca. 380)"
)

# Words around a count that do not change it, casefolded.
_APPROXIMATE = (
    "approximately",
    "approx.",
    "approx",
    "appr.",
    "about",
    "around",
    "roughly",
    "circa",
    "ca.",
    "ca",
    "c.",
    "est.",
    "etwa",
    "rund",
    "ungefähr",
    "environ",
    "env.",
    "aproximadamente",
    "aprox.",
    "aprox",
    "unos",
    "~",
    "≈",
    "大约",
    "大約",
    "大概",
    "约",
    "約",
)
# Words that make a count the low end of an open range: "more than 500", "500+" are
# "500 or more".
_AT_LEAST_BEFORE = (
    "more than",
    "over",
    "at least",
    "mehr als",
    "über",
    "plus de",
    "au moins",
    "más de",
    "mas de",
    "al menos",
    ">=",
    ">",
    "≥",
    "超过",
    "超過",
    "至少",
)
_AT_LEAST_AFTER = (
    "or more",
    "and more",
    "and above",
    "or above",
    "plus",
    "und mehr",
    "oder mehr",
    "et plus",
    "ou plus",
    "o más",
    "y más",
    "以上",
    "+",
)
_UNITS = (
    "workers",
    "worker",
    "employees",
    "employee",
    "staff",
    "people",
    "persons",
    "person",
    "pax",
    "heads",
    "mitarbeiter",
    "beschäftigte",
    "personnes",
    "salariés",
    "employés",
    "trabajadores",
    "empleados",
    "personas",
    "名员工",
    "名工人",
    "员工",
    "工人",
    "人",
    "名",
    "左右",
)
# A count: digits grouped in thousands by a comma, a dot (German), a space or an
# apostrophe (Swiss), or plain digits; a trailing ".0" is what a number cell writes.
_NUMBER = r"\d{1,3}(?:[,.' ]\d{3})+|\d+(?:[.,]0{1,2})?"
_RANGE = re.compile(
    rf"({_NUMBER})\s*(?:-|\u2013|\u2014|~|to|bis|à|a|hasta|至|到)\s*({_NUMBER})", re.IGNORECASE
)


def _fold(text: str) -> str:
    """Full-width digits and signs as ASCII, no-break and thin spaces as spaces, case folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def _strip_words(text: str) -> tuple[str, bool]:
    """The count without the words around it, and whether they make it open ("500+")."""
    changed, open_ended = True, False
    while changed:
        changed = False
        for word in (*_APPROXIMATE, *_AT_LEAST_BEFORE):
            rest = text[len(word) :]
            if text.startswith(word) and not (word[-1].isascii() and rest[:1].isalpha()):
                text, changed = rest.strip(), True
                open_ended |= word in _AT_LEAST_BEFORE
        for word in (*_UNITS, *_AT_LEAST_AFTER):
            before = text[: -len(word)]
            if text.endswith(word) and not (
                word[0].isascii() and word[0].isalpha() and before[-1:].isalpha()
            ):
                text, changed = before.strip(), True
                open_ended |= word in _AT_LEAST_AFTER
    return text, open_ended


def _count(token: str) -> int:
    token = re.sub(r"[.,]0{1,2}$", "", token) if re.fullmatch(r"\d+[.,]0{1,2}", token) else token
    return int(re.sub(r"[,.' ]", "", token))


def parse_workers(text: str) -> tuple[int, int]:
    """(low, high) workers as written: '1,250' and '1.250' and '1 250' -> (1250, 1250),
    'ca. 380' and '约380人' -> (380, 380), '1001-5000', '1,001 to 5,000' and '1000-5000人'
    -> (1001, 5000) / (1000, 5000); an open range '500+', 'more than 500', '>500', 'over
    500', '500人以上' -> (500, WORKERS_OPEN). Several values joined with '|' (as Open Supply
    Hub writes '1001-5000|1500') give the most specific: a single number if there is one,
    else the narrowest range; two different single numbers ('250|300') are refused.
    Decimals ('12.5') are refused."""
    if text.isascii() and text.isdigit() and len(text) <= 7:  # the common case, quickly
        return int(text), int(text)
    if "|" in text:
        return _most_specific([_one_count(part) for part in text.split("|") if part.strip()])
    return _one_count(text)


def _most_specific(counts: list[tuple[int, int]]) -> tuple[int, int]:
    """The single number among several counts, else the narrowest range; two different
    single numbers disagree, and a person chooses (nothing is guessed)."""
    if not counts:
        raise FieldError(WORKERS_EXPECTED)
    singles = sorted({low for low, high in counts if low == high})
    if len(singles) > 1:
        raise FieldError(
            "one number of workers (the values joined with '|' give "
            + " and ".join(f"{n:,}" for n in singles)
            + ": type the one that is right)"
        )
    return min(counts, key=lambda c: (c[1] - c[0], counts.index(c)))


def _one_count(text: str) -> tuple[int, int]:
    folded, open_ended = _strip_words(_fold(text))
    if re.fullmatch(r"\d*[.,]\d+", folded) and not re.fullmatch(_NUMBER, folded):
        raise FieldError(f"a whole number of workers ({text.strip()} is not a whole number)")
    if re.fullmatch(_NUMBER, folded):
        low = high = _count(folded)
        if open_ended:
            high = WORKERS_OPEN
    elif match := _RANGE.fullmatch(folded):
        low, high = _count(match.group(1)), _count(match.group(2))
        if high < low:
            raise FieldError(
                f"a range of workers from the smaller number to the larger (found {low} to {high})"
            )
    else:
        raise FieldError(WORKERS_EXPECTED)
    if low > MAX_WORKERS or (high > MAX_WORKERS and high != WORKERS_OPEN):
        raise FieldError(f"a number of workers from 0 to {MAX_WORKERS:,}")
    return low, high


def workers_words(low: int | None, high: int | None = None) -> str:
    """A worker count for a person: '1,250', '1,001 to 5,000', '500 or more'; '' unknown."""
    if low is None:
        return ""
    if high == WORKERS_OPEN:
        return f"{low:,} or more"
    if high is not None and high != low:
        return f"{low:,} to {high:,}"
    return f"{low:,}"


def workers_text(low: int | None, high: int | None = None) -> str:
    """A worker count as an import reads it back: '1250', '1001-5000', '500+'; '' unknown."""
    if low is None:
        return ""
    if high == WORKERS_OPEN:
        return f"{low}+"
    if high is not None and high != low:
        return f"{low}-{high}"
    return str(low)


def several_counts(text: str) -> bool:
    """Whether a worker cell holds several values ('1001-5000|1500'), of which one is kept."""
    return "|" in text and sum(1 for part in text.split("|") if part.strip()) > 1


# --- dates -------------------------------------------------------------------------------

DMY, MDY, YMD = "DMY", "MDY", "YMD"
DATE_ORDERS = (DMY, MDY, YMD)
DATE_ORDER_WORDS = {
    "": "Not set (dates written as 2024-11-08, or no dates)",
    DMY: "day.month.year (08.11.2024 = 8 November)",
    MDY: "month/day/year (11/08/2024 = 8 November)",
    YMD: "year-month-day (2024-11-08 = 8 November)",
}
DATE_EXPECTED = "a date such as 2024-11-08, 08.11.2024, 8 Nov 2024 or Nov 8, 2024"
# How the problem of a date that could be read two ways begins (the review page asks for
# the file's date order once when it finds it).
DATE_ORDER_UNKNOWN = "a date whose day and month order is known"

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jänner jan enero ene",
        "february feb février fevrier févr fevr februar feber febrero",
        "march mar mars märz maerz marz marzo mär",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juin juni junio",
        "july jul juillet juil juli julio",
        "august aug août aout agosto ago",
        "september sep sept septembre september septiembre setiembre set",
        "october oct octobre oktober okt octubre",
        "november nov novembre noviembre",
        "december dec décembre decembre déc dezember dez diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_WEEKDAYS = frozenset(
    {
        *("monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu"),
        *("thur", "thurs", "friday", "fri", "saturday", "sat", "sunday", "sun"),
    }
)

# A time of day after a date ("2024-11-08 00:00:00", "2024-11-08T10:00:00Z", "8.11.2024
# 10:00 am"), dropped: the date is what is kept.
_TIME = re.compile(
    r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[ap]\.?m\.?)?(?:z|[+-]\d{2}:?\d{2})?)$"
)
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999 (the pivot Excel,
        # LibreOffice and POSIX strptime use).
        year += 2000 if year < 70 else 1900
    return year


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(
            f"a date that exists ({text} would be day {day} of month {month} of {year})"
        ) from None


def _clean(text: str) -> str:
    folded = _TIME.sub("", _fold(text))
    return folded.strip()


def _numeric_parts(folded: str) -> tuple[int, int, str] | None:
    match = _NUMERIC.fullmatch(folded)
    return (int(match.group(1)), int(match.group(2)), match.group(3)) if match else None


def parse_date(text: str, order: str | None = None) -> date:
    """A date written in one of the common forms. ``order`` ("DMY", "MDY", "YMD" or None)
    is the file's order of day and month for dates written in numbers only
    ("08/11/2024"); without it such a date is read only when it cannot be read two ways
    (a part above 12, or day and month equal)."""
    if order not in (*DATE_ORDERS, None):
        raise ValueError(f"date order {order!r} is not one of {', '.join(DATE_ORDERS)}")
    shown = text.strip()
    if len(shown) == 10 and shown[4] == "-" and shown[7] == "-" and shown.isascii():
        try:  # ISO 8601, the common case, quickly
            return date.fromisoformat(shown)
        except ValueError:
            pass
    folded = _clean(text)
    if match := _YEAR_FIRST.fullmatch(folded) or _CJK.fullmatch(folded):
        return _make(int(match.group(1)), int(match.group(2)), int(match.group(3)), shown)
    if parts := _numeric_parts(folded):
        first, second, year_text = parts
        year = _year(year_text)
        if order == DMY or (order != MDY and first > 12):
            if order == DMY and second > 12:
                raise FieldError(
                    f"a date in day-month-year order, the order of this file ({shown} has "
                    f"{second} as its month)"
                )
            return _make(year, second, first, shown)
        if order == MDY or second > 12 or first == second:
            if order == MDY and first > 12:
                raise FieldError(
                    f"a date in month-day-year order, the order of this file ({shown} has "
                    f"{first} as its month)"
                )
            return _make(year, first, second, shown)
        raise FieldError(
            f"{DATE_ORDER_UNKNOWN}: {shown} could be "
            f"{first} {_month_name(second)} or {second} {_month_name(first)}; choose the date "
            "order for this file"
        )
    if re.fullmatch(r"\d{5}(?:\.\d+)?", folded):
        raise FieldError(
            f"{DATE_EXPECTED} ({shown} looks like a spreadsheet's date serial number: format "
            "the column as a date or as text and type the date again)"
        )
    named = _named_month(folded, shown)
    if named is None:
        raise FieldError(DATE_EXPECTED)
    return named


_ENGLISH_MONTHS: tuple[str, ...] = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


def _month_name(month: int) -> str:
    return _ENGLISH_MONTHS[month - 1]


def _named_month(folded: str, shown: str) -> date | None:
    """'21 Jan 2019', '21-Jan-19', 'Jan 21, 2019', '21. Januar 2019', '21 de enero de
    2019', '1er janvier 2019', 'Fri, 8 Nov 2024'."""
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th|er|º|°)\b", r"\1", folded)
    tokens = [t for t in re.split(r"[\s,./\-]+", cleaned) if t and t != "de"]
    if tokens and tokens[0] in _WEEKDAYS:
        tokens = tokens[1:]
    if len(tokens) != 3:
        return None
    months = [i for i, t in enumerate(tokens) if t in _MONTHS]
    if len(months) != 1 or not all(t.isdigit() for i, t in enumerate(tokens) if i != months[0]):
        return None
    month = _MONTHS[tokens[months[0]]]
    if months[0] == 0:  # Jan 21, 2019
        day, year = tokens[1], tokens[2]
    elif months[0] == 1 and len(tokens[0]) == 4:  # 2019-Jan-21
        year, day = tokens[0], tokens[2]
    elif months[0] == 1:  # 21 Jan 2019
        day, year = tokens[0], tokens[2]
    else:
        return None
    if len(day) > 2 or len(year) not in (2, 4):
        return None
    return _make(_year(year), month, int(day), shown)


def infer_date_order(values: Iterable[str]) -> str | None:
    """The order of day and month in a column of dates: "DMY" when some value written in
    numbers has a first part above 12 (and none a second part above 12), "MDY" the other
    way round, "YMD" when every value is written year first; None when no value settles
    it or the values disagree (ask the person). Values that are not dates are ignored."""
    day_first = month_first = other = False
    year_first = 0
    for value in dict.fromkeys(values):  # the answer depends only on the distinct values
        folded = _clean(value)
        if not folded:
            continue
        if _YEAR_FIRST.fullmatch(folded) or _CJK.fullmatch(folded):
            year_first += 1
            continue
        parts = _numeric_parts(folded)
        if parts is None:
            other = True
            continue
        first, second, _ = parts
        day_first |= first > 12
        month_first |= second > 12
        other = True
    if day_first != month_first:
        return DMY if day_first else MDY
    if year_first and not other:
        return YMD
    return None


def ambiguous_dates(values: Iterable[str], order: str | None = None) -> list[str]:
    """The values :func:`parse_date` cannot read with this order because their day and
    month could be swapped (for the question to the person; empty: nothing to ask)."""
    found = []
    for value in values:
        folded = _clean(value)
        parts = _numeric_parts(folded) if folded else None
        if parts and order not in (DMY, MDY):
            first, second, _ = parts
            if first <= 12 and second <= 12 and first != second:
                found.append(value.strip())
    return found


# --- percentages -------------------------------------------------------------------------

PERCENT_EXPECTED = "a percentage such as 12%, 12 % or 12.5"


def parse_percent(text: str) -> Decimal:
    """Percent as written: '12%', '12 %', '12', '12.5%', '12,5 %' -> 12, 12, 12, 12.5,
    12.5. A bare number is already percent: '0.12' is 0.12 percent, never 12 (a reader
    that knows the cell was formatted as percent writes '12%')."""
    folded = _fold(text)
    folded = re.sub(r"\s*(?:%|percent|per cent|pct\.?|prozent|por ciento|pour cent)$", "", folded)
    folded = folded.replace(" ", "")
    if re.fullmatch(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?", folded):
        number = folded.replace(",", "")
    elif re.fullmatch(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+,\d+", folded):
        number = folded.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d*,\d+", folded):
        number = folded.replace(",", ".")
    else:
        number = folded
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", number):
        raise FieldError(PERCENT_EXPECTED)
    try:
        return Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise FieldError(PERCENT_EXPECTED) from None
