"""A statement compared with the same regime's statement for the period before: per
section, the lines of text added and removed; per figure, the number then and now, and
each row of its table whose value changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from chainproof.statements.figures import Figure
from chainproof.statements.models import Statement
from chainproof.statements.selectors import current_texts, regime_of, statement_figures


@dataclass(frozen=True)
class FigureChange:
    title: str
    before: str
    after: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after


@dataclass(frozen=True)
class SectionChange:
    heading: str
    added: list[str]
    removed: list[str]
    figures: list[FigureChange]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.figures)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\n\n", "\n").split("\n") if line.strip()]


def _rows(figure: Figure | None) -> dict[str, str]:
    if figure is None:
        return {}
    return {row[0]: row[-1] for row in figure.table.rows if row}


def figure_change(before: Figure | None, after: Figure | None) -> FigureChange | None:
    old, new = _rows(before), _rows(after)
    rows = [
        (label, old.get(label, "none"), new.get(label, "none"))
        for label in list(new) + [k for k in old if k not in new]
        if old.get(label) != new.get(label)
    ]
    then = "" if before is None or before.value is None else f"{before.value:,}"
    now = "" if after is None or after.value is None else f"{after.value:,}"
    if then == now and not rows:
        return None
    shown = after or before
    title = shown.title if shown is not None else ""
    return FigureChange(title=title, before=then or "none", after=now or "none", rows=rows)


def statement_comparison(statement: Statement, previous: Statement) -> list[SectionChange]:
    chosen = regime_of(statement)
    if chosen is None:
        return []
    now_texts, then_texts = current_texts(statement), current_texts(previous)
    now_figures, then_figures = statement_figures(statement), statement_figures(previous)
    changes = []
    for section in chosen.sections:
        old = _lines(then_texts[section.key].text) if section.key in then_texts else []
        new = _lines(now_texts[section.key].text) if section.key in now_texts else []
        diff = list(difflib.ndiff(old, new))
        figures = [
            change
            for key in section.figures
            if (change := figure_change(then_figures.get(key), now_figures.get(key)))
        ]
        changes.append(
            SectionChange(
                heading=section.heading,
                added=[line[2:] for line in diff if line.startswith("+ ")],
                removed=[line[2:] for line in diff if line.startswith("- ")],
                figures=figures,
            )
        )
    return changes
