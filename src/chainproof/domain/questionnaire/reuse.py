"""Answers given once, carried over to another request: what a workbook answered for
one request brings to a request that may ask another version of the questionnaire.

Three things are decided here, without reading any file or database:
- which answers the target version asks for (kept), which the file holds for questions or
  table columns the target no longer asks (dropped, listed), and which questions the target
  asks that the file's version did not (left unanswered, listed);
- the identification: every question the target pre-fills from what its customer knows
  of the supplier (``Question.prefill``: legal name, country, registration number) takes
  the target request's value where it knows one; the file's own answer stays otherwise;
- which of those re-bound answers actually change (shown to the supplier before it
  confirms).
Validation stays with ``answers.check`` against the target version, as for any answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chainproof.domain.questionnaire.answers import check, is_blank
from chainproof.domain.questionnaire.definition import Questionnaire


@dataclass(frozen=True)
class Dropped:
    """An answer in the file the target version does not ask for: a whole question, or
    one column of a table both versions ask."""

    question: str
    column: str = ""


@dataclass(frozen=True)
class Rebound:
    """An identification answer replaced by the target request's: the file's answer as
    typed ('' when the file left it empty) and the target's value as stored."""

    question: str
    in_file: Any
    here: Any


@dataclass(frozen=True)
class Carried:
    raw: dict[str, Any]  # the answers to check against the target, identification re-bound
    dropped: tuple[Dropped, ...]
    not_in_file: tuple[str, ...]  # target question ids the file's version does not ask
    rebound: tuple[Rebound, ...]


def carry_over(
    source: Questionnaire,
    target: Questionnaire,
    raw: Mapping[str, Any],
    *,
    known: Mapping[str, Any],
    countries: Mapping[str, str],
) -> Carried:
    """The file's raw answers (read with the `source` version's layout) for a request of
    the `target` version, whose pre-filled identification answers are `known`."""
    kept: dict[str, Any] = {}
    dropped: list[Dropped] = []
    for question in source.ordered():
        given = raw.get(question.id)
        if is_blank(given):
            continue
        here = target.questions.get(question.id)
        if here is None:
            dropped.append(Dropped(question.id))
            continue
        if here.type == "table" and question.type == "table" and isinstance(given, list):
            asked = {c.id for c in here.columns}
            gone = {
                column
                for row in given
                if isinstance(row, Mapping)
                for column, value in row.items()
                if column not in asked and not is_blank(value)
            }
            dropped += [Dropped(question.id, c.id) for c in question.columns if c.id in gone]
        kept[question.id] = given
    not_in_file = tuple(q.id for q in target.ordered() if q.id not in source.questions)
    identification = {
        q.id: known[q.id]
        for q in target.ordered()
        if q.prefill and q.id in known and not is_blank(known[q.id])
    }
    # The file's identification answers as values, to tell which re-binding changes one.
    as_read = check(
        target,
        {q: kept[q] for q in identification if q in kept},
        countries=countries,
    ).values
    rebound = tuple(
        Rebound(qid, kept.get(qid, ""), value)
        for qid, value in identification.items()
        if as_read.get(qid) != value
    )
    return Carried(
        raw={**kept, **identification},
        dropped=tuple(dropped),
        not_in_file=not_in_file,
        rebound=rebound,
    )
