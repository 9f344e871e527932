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
WORKERS_EXPECTED = (
    "a number of workers: a whole number (1250 or 1,250), a range (1001-5000) or an "
    "approximate number (ca. 380)"
)

# Words around a count that do not change it, casefolded. "380+" and "more than 380" are
# stored as 380, the number the source gives.
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
    "more than",
    "over",
    "at least",
    "mehr als",
    "plus de",
    "más de",
    "~",
    "≈",
    ">=",
    ">",
    "≥",
    "大约",
    "大約",
    "大概",
    "约",
    "約",
    "超过",
    "以上",
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
    "以上",
    "+",
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


def _strip_words(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in _APPROXIMATE:
            rest = text[len(word) :]
            if text.startswith(word) and not (word[-1].isascii() and rest[:1].isalpha()):
                text, changed = rest.strip(), True
        for word in _UNITS:
            if text.endswith(word):
                text, changed = text[: -len(word)].strip(), True
    return text


def _count(token: str) -> int:
    token = re.sub(r"[.,]0{1,2}$", "", token) if re.fullmatch(r"\d+[.,]0{1,2}", token) else token
    return int(re.sub(r"[,.' ]", "", token))


def parse_workers(text: str) -> tuple[int, int]:
    """(low, high) workers as written: '1,250' and '1.250' and '1 250' -> (1250, 1250),
    'ca. 380' and '约380人' and '380+' -> (380, 380), '1001-5000', '1,001 to 5,000' and
    '1000-5000人' -> (1001, 5000) / (1000, 5000). Decimals ('12.5') are refused."""
    if text.isascii() and text.isdigit() and len(text) <= 7:  # the common case, quickly
        return int(text), int(text)
    folded = _strip_words(_fold(text))
    if re.fullmatch(r"\d*[.,]\d+", folded) and not re.fullmatch(_NUMBER, folded):
        raise FieldError(f"a whole number of workers ({text.strip()} is not a whole number)")
    if re.fullmatch(_NUMBER, folded):
        low = high = _count(folded)
    elif match := _RANGE.fullmatch(folded):
        low, high = _count(match.group(1)), _count(match.group(2))
        if high < low:
            raise FieldError(
                f"a range of workers from the smaller number to the larger (found {low} to {high})"
            )
    else:
        raise FieldError(WORKERS_EXPECTED)
    if high > MAX_WORKERS:
        raise FieldError(f"a number of workers from 0 to {MAX_WORKERS:,}")
    return low, high


# --- dates -------------------------------------------------------------------------------

DMY, MDY, YMD = "DMY", "MDY", "YMD"
DATE_ORDERS = (DMY, MDY, YMD)
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
