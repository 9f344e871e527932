"""The figures a statement is pre-filled with, computed from the record for an organization
and a reporting period: each a table, one sentence in plain English, and the addresses of
the lists or records it was counted from.

Records with dates are counted in the period (questionnaires sent, audits held, corrective
actions opened and closed, training held, cases opened); records without one (suppliers,
worksites, products) as they stood at the end of the period: those created by then.
Counts use the apps' own selectors where a list page exists, so a figure is the number of
rows behind its link. The computations are in ``figures_supply.py``,
``figures_program.py`` and ``figures_outcomes.py``; this module holds the shape and the
registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from chainproof.domain.countries import readable_name
from chainproof.domain.statements.document import Table
from chainproof.domain.statements.figures import FIGURES


@dataclass(frozen=True)
class Period:
    organization_id: int
    start: dt.date
    end: dt.date

    def before(self) -> Period:
        """The period of the same length just before this one."""
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(self.organization_id, end - length, end)

    def words(self) -> str:
        return f"{_day(self.start)} to {_day(self.end)}"


@dataclass(frozen=True)
class Figure:
    """One computed figure. ``row_links`` holds, per row of the table, the address of the
    records that row counts (or ""); ``links`` the lists the whole figure was counted from."""

    key: str
    title: str
    sentence: str
    table: Table
    row_links: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    value: int | None = None  # the headline number, compared year on year
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "sentence": self.sentence,
            "table": {
                "caption": self.table.caption,
                "columns": list(self.table.columns),
                "rows": [list(row) for row in self.table.rows],
            },
            "row_links": list(self.row_links),
            "links": [list(link) for link in self.links],
            "value": self.value,
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        table = data.get("table") or {}
        return cls(
            key=str(data.get("key", "")),
            title=str(data.get("title", "")),
            sentence=str(data.get("sentence", "")),
            table=Table(
                caption=str(table.get("caption", "")),
                columns=tuple(str(c) for c in table.get("columns", ())),
                rows=tuple(tuple(str(c) for c in row) for row in table.get("rows", ())),
            ),
            row_links=tuple(str(u) for u in data.get("row_links", ())),
            links=tuple((str(a), str(b)) for a, b in data.get("links", ())),
            value=data.get("value"),
            extra=dict(data.get("extra") or {}),
        )


Compute = Callable[[Period], Figure]
_COMPUTE: dict[str, Compute] = {}


def computes(key: str) -> Callable[[Compute], Compute]:
    """Register the function that computes the figure ``key`` (a key of ``FIGURES``)."""
    if key not in FIGURES:
        raise KeyError(f"unknown figure {key!r}")

    def register(function: Compute) -> Compute:
        _COMPUTE[key] = function
        return function

    return register


def figure_compute(key: str, period: Period) -> Figure:
    _load()
    return _COMPUTE[key](period)


def figures_compute(period: Period, keys: list[str] | None = None) -> dict[str, Figure]:
    """Every figure (or those of ``keys``) for the period, by key, in ``FIGURES``' order."""
    _load()
    wanted = [k for k in FIGURES if keys is None or k in keys]
    return {key: _COMPUTE[key](period) for key in wanted}


def figures_json(figures: dict[str, Figure]) -> dict[str, Any]:
    return {key: figure.to_json() for key, figure in figures.items()}


def figures_from_json(data: dict[str, Any]) -> dict[str, Figure]:
    return {key: Figure.from_json(value) for key, value in data.items()}


def figures_sha256(data: dict[str, Any]) -> str:
    """The SHA-256 of the figures as stored (canonical JSON), kept with an approval."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load() -> None:
    # The computations register themselves when imported.
    from chainproof.statements import (  # noqa: F401
        figures_outcomes,
        figures_program,
        figures_supply,
    )


# --- helpers for the computations ----------------------------------------------------------


def url(name: str, *args: Any, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name, args=args) + ("?" + urlencode(query) if query else "")


def country(code: str) -> str:
    code = (code or "").strip().upper()
    return readable_name(code, "") if code else "Not known"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def listing(items: list[str]) -> str:
    """ "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def day(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return _day(value)
    try:
        return _day(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "no base"


def table(caption: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Table:
    return Table(caption=caption, columns=columns, rows=tuple(rows))
