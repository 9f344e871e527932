"""What keeps a supplier's answers from being accepted, as the supplier reads it: each
problem names the question by its number and text (in the supplier's language), says what
is wrong, and links to the question; problems are grouped by section, in the
questionnaire's order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from chainproof.domain.questionnaire.answers import Checked, Issue
from chainproof.domain.questionnaire.definition import Question, Questionnaire, Section


@dataclass(frozen=True)
class Problem:
    number: str
    text: str  # the question as the supplier reads it
    message: str  # what is wrong
    url: str  # the question on its section page


@dataclass
class SectionProblems:
    section: Section
    url: str
    problems: list[Problem] = field(default_factory=list)


_RANGE = re.compile(r"^a number from (?P<low>\S+) to (?P<high>\S+)$")
_AT_LEAST = re.compile(r"^a number of at least (?P<n>\S+)$")
_AT_MOST = re.compile(r"^a number of at most (?P<n>\S+)$")
_CHARS = re.compile(r"^at most (?P<n>[\d,]+) characters$")
_ENTRIES = re.compile(r"^at most (?P<n>[\d,]+) (entries|countries|rows)$")


def expected_words(expected: str, question: Question, column_id: str = "") -> str:
    """The domain's "expected ..." in the reader's language (English when not known)."""
    fixed = {
        "text": _("text"),
        "text without control characters": _("text without control characters"),
        "a number": _("a number"),
        "a whole number": _("a whole number"),
        "a percentage from 0 to 100": _("a percentage from 0 to 100"),
        "a date (YYYY-MM-DD)": _("a date (YYYY-MM-DD)"),
        "an email address": _("an email address"),
        "a table of rows": _("a table of rows"),
        "a row of cells": _("a row of cells"),
    }
    if expected in fixed:
        return fixed[expected]
    if match := _RANGE.match(expected):
        return _("a number from %(low)s to %(high)s") % match.groupdict()
    if match := _AT_LEAST.match(expected):
        return _("a number of at least %(n)s") % match.groupdict()
    if match := _AT_MOST.match(expected):
        return _("a number of at most %(n)s") % match.groupdict()
    if match := _CHARS.match(expected):
        return _("at most %(n)s characters") % match.groupdict()
    if match := _ENTRIES.match(expected):
        return _("at most %(n)s entries") % match.groupdict()
    if expected.endswith("(required)") and column_id:
        column = next((c for c in question.columns if c.id == column_id), None)
        if column is not None:
            return _("“%(column)s” (required)") % {"column": column.label}
    if expected.startswith(("one of ", "'")):
        choices = question.choices
        if column_id:
            column = next((c for c in question.columns if c.id == column_id), None)
            choices = column.choices if column else ()
        if question.must_be:
            label = next((c.label for c in choices if c.value == question.must_be), "")
            return f"“{label}”"
        if choices:
            return _("one of: %(choices)s") % {
                "choices": ", ".join(f"“{c.label}”" for c in choices)
            }
    if "country" in expected.lower():
        return _("a country from the list")
    return expected


def issue_message(issue: Issue, question: Question) -> str:
    """What is wrong with one answer, in the reader's language."""
    expected = expected_words(issue.expected, question, issue.column)
    where = ""
    if issue.row:
        column = next((c for c in question.columns if c.id == issue.column), None)
        where = (
            _("row %(row)s, “%(column)s”: ") % {"row": issue.row, "column": column.label}
            if column is not None
            else _("row %(row)s: ") % {"row": issue.row}
        )
    if issue.found:
        return where + _("expected %(expected)s, found “%(found)s”.") % {
            "expected": expected,
            "found": issue.found,
        }
    return where + _("expected %(expected)s.") % {"expected": expected}


def grouped(
    questionnaire: Questionnaire, checked: Checked, *, request_id: int, file_name: str = ""
) -> list[SectionProblems]:
    """Every issue and missing answer of `checked`, by section, in questionnaire order;
    an issue found in a workbook (`file_name`) also names its cell."""
    issues: dict[str, list[Issue]] = {}
    for issue in checked.issues:
        issues.setdefault(issue.question, []).append(issue)
    missing = set(checked.missing)
    groups = []
    for section in questionnaire.sections:
        url = reverse("portal:section", args=[request_id, section.id])
        group = SectionProblems(section, url)
        for question in section.questions:
            link = f"{url}#q-{question.id}"
            for issue in issues.get(question.id, []):
                message = issue_message(issue, question)
                if issue.where and file_name:
                    message = f"{file_name} {issue.where}: {message}"
                group.problems.append(Problem(question.number, question.text, message, link))
            if question.id in missing:
                message = (
                    _("Add at least %(n)s row.") % {"n": question.min_rows}
                    if question.type == "table" and question.min_rows
                    else _("Required: please answer.")
                )
                group.problems.append(Problem(question.number, question.text, message, link))
        if group.problems:
            groups.append(group)
    return groups
