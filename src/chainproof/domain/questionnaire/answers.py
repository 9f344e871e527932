"""Answers: parsed from what a person typed (in the browser or a workbook cell) into typed
values, checked against the definition, and read for red flags and risk signals.

Values as stored (JSON): yes/no/choice -> the choice value; multi_choice, countries,
document -> list of str; number/percentage -> int or float; date -> "YYYY-MM-DD";
text/email/country -> str; table -> list of {column id: value}.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chainproof.domain.countries import CountryError, resolve_country
from chainproof.domain.questionnaire.definition import Choice, Column, Question, Questionnaire

MULTI_SEPARATORS = re.compile(r"\s*[|;\n]\s*")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AnswerError(ValueError):
    def __init__(self, expected: str, found: Any) -> None:
        super().__init__(expected)
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class Issue:
    """An answer that cannot be accepted: which question (and table row/column), what was
    expected and what was found. `where` is filled in by whoever knows the place (a
    workbook cell, a form field)."""

    question: str
    expected: str
    found: str
    row: int = 0  # 1-based row of a table, 0 otherwise
    column: str = ""
    where: str = ""

    def __str__(self) -> str:
        place = self.where or self.question + (f" row {self.row} {self.column}" if self.row else "")
        found = f", found {self.found!r}" if self.found else ""
        return f"{place}: expected {self.expected}{found}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "row": self.row,
            "column": self.column,
            "where": self.where,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass(frozen=True)
class RedFlag:
    question: str
    answer: str
    signal: str
    flag: str
    ilo: tuple[int, ...]
    text: str  # the question, for people

    @property
    def code(self) -> str:
        return self.signal or self.flag


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _shown(found: Any) -> str:
    text = found if isinstance(found, str) else repr(found)
    return text if len(text) <= 80 else text[:77] + "..."


def _clean_text(raw: Any, max_length: int) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | date):
        raise AnswerError("text", raw)
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if CONTROL.search(text):
        raise AnswerError("text without control characters", text)
    if len(text) > max_length:
        raise AnswerError(f"at most {max_length:,} characters", f"{len(text):,} characters")
    return text


def _pick(choices: tuple[Choice, ...], raw: Any) -> str:
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    text = str(raw).strip().casefold()
    for choice in choices:
        if text in (choice.value.casefold(), choice.label.casefold()):
            return choice.value
    for choice in choices:
        if any(text == alias.casefold() for alias in choice.aliases):
            return choice.value
    if text in ("y", "n") and {c.value for c in choices} >= {"yes", "no"}:
        return "yes" if text == "y" else "no"
    raise AnswerError("one of " + ", ".join(repr(c.label) for c in choices), raw)


def _number(raw: Any, low: float | None, high: float | None, integer: bool, *, pct: bool) -> Any:
    if isinstance(raw, bool):
        raise AnswerError("a number", raw)
    value: float
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if pct and text.endswith("%"):
            text = text[:-1]
        try:
            value = float(text)
        except ValueError:
            raise AnswerError("a percentage from 0 to 100" if pct else "a number", raw) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise AnswerError("a number", raw)
    if pct:
        low, high = 0.0, 100.0
    if integer and not value.is_integer():
        raise AnswerError("a whole number", raw)
    if (low is not None and value < low) or (high is not None and value > high):
        if pct:
            expected = "a percentage from 0 to 100"
        elif low is not None and high is not None:
            expected = f"a number from {_fmt(low)} to {_fmt(high)}"
        elif low is not None:
            expected = f"a number of at least {_fmt(low)}"
        else:
            expected = f"a number of at most {_fmt(high)}"
        raise AnswerError(expected, raw)
    return int(value) if value.is_integer() else value


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if value.is_integer() else str(value)


def _date(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    try:
        return date.fromisoformat(
            text[:10] if len(text) > 10 and text[10] in "T " else text
        ).isoformat()
    except ValueError:
        raise AnswerError("a date (YYYY-MM-DD)", raw) from None


def _country(raw: Any, countries: Mapping[str, str]) -> str:
    """A country given as a code, a name or a drop-down label "China (CN)", read as every
    other path reads one (chainproof.domain.countries)."""
    try:
        return resolve_country(str(raw), countries)
    except CountryError as exc:
        raise AnswerError(exc.expected, raw) from None


def _split(raw: Any) -> list[Any]:
    if isinstance(raw, list | tuple):
        return [r for r in raw if not is_blank(r)]
    return [p for p in MULTI_SEPARATORS.split(str(raw)) if p.strip()]


def parse_value(
    kind: str,
    raw: Any,
    *,
    choices: tuple[Choice, ...] = (),
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    max_length: int = 2000,
    countries: Mapping[str, str] = {},
) -> Any:
    """One answer (not blank) as its stored value, or AnswerError."""
    if kind in ("yes_no", "yes_no_unknown", "choice"):
        return _pick(choices, raw)
    if kind == "multi_choice":
        picked = [_pick(choices, part) for part in _split(raw)]
        return list(dict.fromkeys(picked))
    if kind in ("number", "percentage"):
        return _number(raw, low, high, integer, pct=kind == "percentage")
    if kind == "date":
        return _date(raw)
    if kind == "email":
        text = _clean_text(raw, 254)
        if not EMAIL.match(text):
            raise AnswerError("an email address", raw)
        return text
    if kind == "country":
        return _country(raw, countries)
    if kind == "countries":
        return list(dict.fromkeys(_country(part, countries) for part in _split(raw)))
    if kind == "document":
        return [_clean_text(part, 300) for part in _split(raw)]
    return _clean_text(raw, max_length)


def _parse_for(item: Question | Column, raw: Any, countries: Mapping[str, str]) -> Any:
    """An answer to a question, or a table cell of a column, parsed by its definition."""
    return parse_value(
        item.type,
        raw,
        choices=item.choices,
        low=item.min,
        high=item.max,
        integer=item.integer,
        max_length=item.max_length,
        countries=countries,
    )


def visible(question: Question, values: Mapping[str, Any]) -> bool:
    """Whether the question applies, given the answers so far."""
    condition = question.show_if
    if condition is None:
        return True
    answer = values.get(condition.question)
    picked = answer if isinstance(answer, list) else [answer]
    return any(p in condition.values for p in picked)


@dataclass
class Checked:
    values: dict[str, Any]
    issues: list[Issue]
    missing: list[str]  # required questions that apply and are unanswered

    @property
    def complete(self) -> bool:
        return not self.issues and not self.missing


def check(
    questionnaire: Questionnaire,
    raw: Mapping[str, Any],
    *,
    countries: Mapping[str, str],
) -> Checked:
    """Parse every answer given, then list what is wrong and what is still missing.

    Answers to questions that do not apply (their condition is not met) are dropped, so
    a changed answer upstream never leaves stale answers behind.
    """
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    for question in questionnaire.ordered():
        given = raw.get(question.id)
        if is_blank(given) or not visible(question, values):
            continue
        if question.type == "table":
            rows, row_issues = _check_table(question, given, countries)
            issues += row_issues
            if rows:
                values[question.id] = rows
            continue
        if question.type == "countries" and isinstance(given, list):
            codes, list_issues = _check_countries(question, given, countries)
            issues += list_issues
            if codes and not list_issues:
                values[question.id] = codes
            continue
        try:
            value = _parse_for(question, given, countries)
        except AnswerError as exc:
            issues.append(Issue(question.id, exc.expected, _shown(exc.found)))
            continue
        if question.type in ("countries", "multi_choice", "document") and (
            len(value) > question.max_rows
        ):
            issues.append(
                Issue(question.id, f"at most {question.max_rows} entries", str(len(value)))
            )
            continue
        if question.must_be and value != question.must_be:
            choice = question.choice(question.must_be)
            issues.append(
                Issue(question.id, repr(choice.label if choice else question.must_be), str(given))
            )
            continue
        values[question.id] = value
    missing = [
        q.id
        for q in questionnaire.ordered()
        if q.required
        and q.id not in values
        and visible(q, values)
        and not any(i.question == q.id for i in issues)
    ]
    for q in questionnaire.ordered():
        if q.type == "table" and q.id in values and len(values[q.id]) < q.min_rows:
            missing.append(q.id)
    return Checked(values, issues, missing)


def _check_countries(
    question: Question, given: list[Any], countries: Mapping[str, str]
) -> tuple[list[str], list[Issue]]:
    """A list of countries, one per row: errors name the row."""
    codes: list[str] = []
    issues: list[Issue] = []
    if len(given) > question.max_rows:
        return [], [Issue(question.id, f"at most {question.max_rows} countries", str(len(given)))]
    for number, item in enumerate(given, start=1):
        if is_blank(item):
            continue
        try:
            codes.append(_country(item, countries))
        except AnswerError as exc:
            issues.append(Issue(question.id, exc.expected, _shown(exc.found), row=number))
    return list(dict.fromkeys(codes)), issues


def _check_table(
    question: Question, given: Any, countries: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[Issue]]:
    if not isinstance(given, list):
        return [], [Issue(question.id, "a table of rows", _shown(given))]
    if len(given) > question.max_rows:
        return [], [Issue(question.id, f"at most {question.max_rows} rows", str(len(given)))]
    rows: list[dict[str, Any]] = []
    issues: list[Issue] = []
    for number, raw_row in enumerate(given, start=1):
        if not isinstance(raw_row, Mapping):
            issues.append(Issue(question.id, "a row of cells", _shown(raw_row), row=number))
            continue
        if all(is_blank(raw_row.get(c.id)) for c in question.columns):
            continue
        row: dict[str, Any] = {}
        for column in question.columns:
            cell = raw_row.get(column.id)
            if is_blank(cell):
                if column.required:
                    issues.append(
                        Issue(question.id, f"{column.label} (required)", "", number, column.id)
                    )
                continue
            try:
                row[column.id] = _parse_for(column, cell, countries)
            except AnswerError as exc:
                issues.append(
                    Issue(question.id, exc.expected, _shown(exc.found), number, column.id)
                )
        rows.append(row)
    return rows, issues


def red_flags(questionnaire: Questionnaire, values: Mapping[str, Any]) -> list[RedFlag]:
    """Every answer whose meaning is a risk signal or a red flag, table cells included."""
    found: list[RedFlag] = []
    for question in questionnaire.ordered():
        value = values.get(question.id)
        if value is None:
            continue
        if question.type == "table":
            for number, row in enumerate(value, start=1):
                for column in question.columns:
                    choice = next(
                        (c for c in column.choices if c.value == row.get(column.id)), None
                    )
                    if choice is not None and choice.outcome.is_red_flag:
                        found.append(
                            RedFlag(
                                question.id,
                                f"row {number} {column.label}: {choice.label}",
                                choice.outcome.signal,
                                choice.outcome.flag,
                                choice.outcome.ilo,
                                question.text,
                            )
                        )
            continue
        for picked in value if isinstance(value, list) else [value]:
            choice = question.choice(str(picked)) if question.choices else None
            if choice is not None and choice.outcome.is_red_flag:
                found.append(
                    RedFlag(
                        question.id,
                        choice.label,
                        choice.outcome.signal,
                        choice.outcome.flag,
                        choice.outcome.ilo,
                        question.text,
                    )
                )
    return found


def ilo_indicators(questionnaire: Questionnaire, values: Mapping[str, Any]) -> dict[int, list[str]]:
    """ILO indicator number -> the questions whose answers evidence it."""
    found: dict[int, list[str]] = {}
    for question in questionnaire.ordered():
        value = values.get(question.id)
        if value is None or not question.choices:
            continue
        for picked in value if isinstance(value, list) else [value]:
            choice = question.choice(str(picked))
            for number in choice.outcome.ilo if choice else ():
                found.setdefault(number, []).append(question.id)
    return found


def display(question: Question, value: Any) -> str:
    """An answer as a person reads it (labels, not codes)."""
    if value is None:
        return ""
    if question.choices:
        picked = value if isinstance(value, list) else [value]
        labels = [(question.choice(str(p)) or Choice(str(p), str(p))).label for p in picked]
        return "; ".join(labels)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
