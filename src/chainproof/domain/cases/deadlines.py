"""The deadlines a detention sets running, computed from the case's dates and a rules file.

The law changes, so the windows are data (``data/deadline_rules.yaml``): each rule names
the legal bases it applies to, what date it counts from, how long it runs, where it comes
from and since when. This module reads and checks that file (a bad file is refused with
the rule and field that are wrong), then turns a case's dates into dated deadlines with a
sentence each ("3 months after the date of importation (12 March 2026)").

Dates are counted the way the regulations count them: calendar months (a month after 31
January is the last day of February), calendar days, or business days that skip weekends
and US federal holidays (observed dates included, from the ``holidays`` package). A notice
is a moment; the day it starts a window is the day it was at the port of entry, so a
notice sent at 23:30 in Los Angeles on 3 March counts from 3 March although it was already
4 March in UTC.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

__all__ = [
    "COUNTS_FROM",
    "LEGAL_BASES",
    "OWNERS",
    "ROLLS",
    "UNITS",
    "CaseDates",
    "Deadline",
    "DeadlineRule",
    "RulesError",
    "add_business_days",
    "add_months",
    "days_left",
    "deadlines_compute",
    "local_date",
    "rules_load",
]

RULES_FILE = Path(__file__).parent.parent / "data" / "deadline_rules.yaml"

LEGAL_BASES: tuple[tuple[str, str], ...] = (
    ("wro", "Section 307 Withhold Release Order"),
    ("finding", "Section 307 Finding"),
    ("caatsa", "CAATSA section 321(b)"),
    ("uflpa", "UFLPA rebuttable presumption"),
)
BASIS_KEYS = tuple(key for key, _ in LEGAL_BASES)

# What a rule counts from, and the words a sentence uses for it.
COUNTS_FROM: tuple[tuple[str, str], ...] = (
    ("importation", "the date of importation"),
    ("notice", "the detention notice"),
    ("exclusion", "the exclusion decision"),
)
UNITS = ("months", "days", "business_days")
OWNERS = ("importer", "CBP")
ROLLS = ("none", "next_business_day")
_FIELDS = (
    "key",
    "label",
    "citation",
    "effective",
    "bases",
    "counts_from",
    "unit",
    "amount",
    "editable",
    "owner",
    "roll",
    "description",
)
_OPTIONAL = {"owner": "importer", "roll": "none"}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MAX_AMOUNT = 1000  # no window in these rules is longer than a few hundred days


class RulesError(ValueError):
    """A rules file that cannot be used; ``errors`` lists every problem, each naming the
    rule and the field."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    label: str
    citation: str
    effective: date
    bases: tuple[str, ...]
    counts_from: str  # importation | notice | exclusion
    unit: str  # months | days | business_days
    amount: int
    editable: bool  # the case may set its own window (CBP states it in the notice)
    description: str
    owner: str = "importer"  # importer | CBP (CBP's deadline, shown for information)
    roll: str = "none"  # none | next_business_day


@dataclass(frozen=True)
class CaseDates:
    """The dates of one case. A notice or exclusion may be a moment (a timezone-aware
    datetime: its date is taken at the port) or a plain date; a naive datetime is read as
    the port's local time. ``response_days`` is the window CBP set in its notice, if the
    notice says something other than the rule's default."""

    basis: str
    importation: date | None
    notice: datetime | date | None
    exclusion: datetime | date | None
    port_timezone: str = "America/New_York"
    response_days: int | None = None


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    citation: str
    due: date
    counts_from: str
    start: date
    explanation: str  # "3 months after the date of importation (12 March 2026)"
    owner: str
    days_left: int | None = None  # from ``today`` when one was given; negative once past


# --- counting ------------------------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months; a day the target month lacks becomes its last day
    (31 January + 1 month = 28 or 29 February)."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    """US federal holidays of one year, observed dates included (4 July 2026, a Saturday,
    is observed on Friday 3 July)."""
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_business_day(d: date) -> bool:
    """Not a Saturday, a Sunday, or a US federal holiday (or its observed day)."""
    return d.weekday() < 5 and d not in _federal_holidays(d.year)


def add_business_days(d: date, n: int) -> date:
    """The ``n``-th business day after ``d`` (``d`` itself is not counted); 0 gives ``d``."""
    if n < 0:
        raise ValueError(f"expected a number of business days of 0 or more, found {n}")
    current = d
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def next_business_day(d: date) -> date:
    """``d`` if it is a business day, else the first business day after it."""
    current = d
    while not is_business_day(current):
        current += timedelta(days=1)
    return current


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"expected an IANA time zone such as America/Los_Angeles, found {tz!r}"
        ) from None


def local_date(value: datetime | date, tz: str) -> date:
    """The calendar date of ``value`` at a place whose time zone is ``tz``. An aware
    datetime is converted; a naive one is taken as already local; a date is itself."""
    zone = _zone(tz)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.date()
        return value.astimezone(zone).date()
    return value


def days_left(due: date, today: date) -> int:
    """Whole days from ``today`` to ``due``: 0 on the day, negative once it has passed."""
    return (due - today).days


def long_date(d: date) -> str:
    """12 March 2026: the form used in explanations, whatever the locale."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# --- the rules file ------------------------------------------------------------------------


def _text(value: Any, where: str, errors: list[str]) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: expected text, found {value!r}")
        return ""
    return " ".join(value.split())


def _choice(value: Any, allowed: Iterable[str], where: str, errors: list[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        errors.append(f"{where}: expected one of {', '.join(options)}, found {value!r}")
        return ""
    return str(value)


def _date(value: Any, where: str, errors: list[str]) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(f"{where}: expected a date (YYYY-MM-DD), found {value!r}")
    return date.min


def _rule(body: Mapping[Any, Any], name: str, errors: list[str]) -> DeadlineRule:
    """One rule, typed; every problem is appended to ``errors`` as "<name>, field X: ..."."""
    start = len(errors)
    for field in body:
        if field not in _FIELDS:
            errors.append(f"{name}, field {field!r}: unknown field; expected {', '.join(_FIELDS)}")
    missing = [f for f in _FIELDS if f not in body and f not in _OPTIONAL]
    for field in missing:
        errors.append(f"{name}, field {field!r}: missing")
    if len(errors) > start:
        return _PLACEHOLDER

    def at(field: str) -> str:
        return f"{name}, field {field!r}"

    bases_raw = body["bases"]
    bases: tuple[str, ...] = ()
    if not isinstance(bases_raw, list) or not bases_raw:
        errors.append(
            f"{at('bases')}: expected a list of legal bases from {', '.join(BASIS_KEYS)}, "
            f"found {bases_raw!r}"
        )
    else:
        bases = tuple(_choice(b, BASIS_KEYS, at("bases"), errors) for b in bases_raw)
        known = [b for b in bases if b]
        if len(set(known)) != len(known):
            errors.append(f"{at('bases')}: a basis is listed twice in {bases_raw!r}")
    amount = body["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        errors.append(
            f"{at('amount')}: expected a whole number from 1 to {MAX_AMOUNT}, found {amount!r}"
        )
        amount = 0
    editable = body["editable"]
    if not isinstance(editable, bool):
        errors.append(f"{at('editable')}: expected true or false, found {editable!r}")
        editable = False
    return DeadlineRule(
        key=str(body["key"]),
        label=_text(body["label"], at("label"), errors),
        citation=_text(body["citation"], at("citation"), errors),
        effective=_date(body["effective"], at("effective"), errors),
        bases=bases,
        counts_from=_choice(
            body["counts_from"], (k for k, _ in COUNTS_FROM), at("counts_from"), errors
        ),
        unit=_choice(body["unit"], UNITS, at("unit"), errors),
        amount=amount,
        editable=editable,
        description=_text(body["description"], at("description"), errors),
        owner=_choice(body.get("owner", _OPTIONAL["owner"]), OWNERS, at("owner"), errors),
        roll=_choice(body.get("roll", _OPTIONAL["roll"]), ROLLS, at("roll"), errors),
    )


_PLACEHOLDER = DeadlineRule("", "", "", date.min, (), "", "", 0, False, "")


def rules_load(text: str | None = None) -> tuple[DeadlineRule, ...]:
    """The deadline rules from YAML ``text``, or chainproof's own file when ``text`` is
    None. Every rule and field is checked; a bad file raises RulesError listing each
    problem by rule and field ("rule 'protest' (rule 4), field 'unit': expected one of
    months, days, business_days, found 'weeks'")."""
    if text is None:
        return _default_rules()
    return _parse(text)


@lru_cache(maxsize=1)
def _default_rules() -> tuple[DeadlineRule, ...]:
    return _parse(RULES_FILE.read_text(encoding="utf-8"))


def _parse(text: str) -> tuple[DeadlineRule, ...]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError([f"not valid YAML: {exc}"]) from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RulesError(["expected a mapping with a list of rules under 'rules:'"])
    errors: list[str] = []
    rules: list[DeadlineRule] = []
    seen: set[str] = set()
    for number, body in enumerate(document["rules"], start=1):
        if not isinstance(body, dict):
            errors.append(f"rule {number}: expected a mapping of fields, found {body!r}")
            continue
        key = body.get("key")
        if not isinstance(key, str) or not key.strip():
            errors.append(f"rule {number}, field 'key': expected a short name, found {key!r}")
            continue
        name = f"rule {key!r} (rule {number})"
        if key in seen:
            errors.append(f"{name}, field 'key': {key!r} is used by an earlier rule")
        seen.add(key)
        rules.append(_rule(body, name, errors))
    if not rules and not errors:
        errors.append("rules: expected at least one rule")
    if errors:
        raise RulesError(errors)
    return tuple(rules)


# --- a case's deadlines --------------------------------------------------------------------


def _start(dates: CaseDates, counts_from: str) -> date | None:
    if counts_from == "importation":
        return dates.importation
    value = dates.notice if counts_from == "notice" else dates.exclusion
    return None if value is None else local_date(value, dates.port_timezone)


def _span(unit: str, amount: int) -> str:
    words = {
        "months": ("month", "months"),
        "days": ("day", "days"),
        "business_days": ("business day", "business days"),
    }[unit]
    return f"{amount} {words[0] if amount == 1 else words[1]}"


def _counted(unit: str, start: date, amount: int) -> date:
    if unit == "months":
        return add_months(start, amount)
    if unit == "business_days":
        return add_business_days(start, amount)
    return start + timedelta(days=amount)


def deadlines_compute(
    dates: CaseDates,
    *,
    rules: Sequence[DeadlineRule] | None = None,
    today: date | None = None,
) -> list[Deadline]:
    """The deadlines of a case, soonest first: the rules for its legal basis that were in
    effect on their start date (effective on or before it) and whose start date the case
    knows. A rule the case may edit takes the case's ``response_days`` when it has one."""
    if dates.basis not in BASIS_KEYS:
        raise ValueError(
            f"expected a legal basis from {', '.join(BASIS_KEYS)}, found {dates.basis!r}"
        )
    if dates.response_days is not None and (
        isinstance(dates.response_days, bool) or not 1 <= dates.response_days <= MAX_AMOUNT
    ):
        raise ValueError(
            f"expected a response period of 1 to {MAX_AMOUNT} days, found {dates.response_days!r}"
        )
    _zone(dates.port_timezone)  # a bad zone is an error even when no date needs it
    phrases = dict(COUNTS_FROM)
    found: list[Deadline] = []
    for rule in rules_load() if rules is None else rules:
        if dates.basis not in rule.bases:
            continue
        start = _start(dates, rule.counts_from)
        if start is None or rule.effective > start:
            continue
        amount = rule.amount
        note = ""
        if rule.editable and dates.response_days is not None:
            amount = dates.response_days
            note = ", as set in CBP's notice"
        counted = _counted(rule.unit, start, amount)
        due = next_business_day(counted) if rule.roll == "next_business_day" else counted
        explanation = (
            f"{_span(rule.unit, amount)} after {phrases[rule.counts_from]} "
            f"({long_date(start)}){note}"
        )
        if due != counted:
            explanation += f", moved from {long_date(counted)} to the next business day"
        found.append(
            Deadline(
                key=rule.key,
                label=rule.label,
                citation=rule.citation,
                due=due,
                counts_from=rule.counts_from,
                start=start,
                explanation=explanation,
                owner=rule.owner,
                days_left=None if today is None else days_left(due, today),
            )
        )
    found.sort(key=lambda d: (d.due, d.key))
    return found
