"""Cell maps: which workbook cell holds which answer, per questionnaire version.

(Stored as a version's "layout"; the functions keep that word: ``parse_layout``,
``default_layout``, ``pick_layout``.)

A map is data (YAML or a dict): single answers by cell ("Declaration!C12"), tables by
sheet, first row and a column letter per table column, lists (countries) by sheet, column
and first row. chainproof's own workbook has a map derived from the definition; another
layout (a customer's own sheet, another STRT edition) is read by writing its map.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from chainproof.domain.cellrefs import column_index, column_letter
from chainproof.domain.questionnaire.definition import Questionnaire

META_SHEET = "_chainproof"
LISTS_SHEET = "_lists"
CELL = re.compile(r"^(?P<sheet>[^!]+)!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>[0-9]{1,7})$")
ANSWER_COLUMN = "C"
QUESTION_FIRST_ROW = 5
TABLE_FIRST_ROW = 4


class CellMapError(ValueError):
    pass


@dataclass(frozen=True)
class CellRef:
    sheet: str
    column: str
    row: int

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}"

    @property
    def col_index(self) -> int:
        return column_index(self.column)


@dataclass(frozen=True)
class TableRef:
    sheet: str
    first_row: int
    max_rows: int
    columns: dict[str, str]  # column id -> letter

    def cell(self, row: int, column_id: str) -> CellRef:
        """Row is 1-based within the table."""
        return CellRef(self.sheet, self.columns[column_id], self.first_row + row - 1)


@dataclass(frozen=True)
class ListRef:
    sheet: str
    column: str
    first_row: int
    max_rows: int

    def cell(self, row: int) -> CellRef:
        return CellRef(self.sheet, self.column, self.first_row + row - 1)


@dataclass(frozen=True)
class CellMap:
    """Where each answer of one questionnaire version sits in a workbook."""

    name: str
    questionnaire: str
    version: str
    cells: dict[str, CellRef] = field(default_factory=dict)
    tables: dict[str, TableRef] = field(default_factory=dict)
    lists: dict[str, ListRef] = field(default_factory=dict)

    def where(self, question: str, row: int = 0, column: str = "") -> str:
        if question in self.cells:
            return str(self.cells[question])
        if question in self.tables and row and column:
            table = self.tables[question]
            if column in table.columns:
                return str(table.cell(row, column))
            return f"{table.sheet} row {table.first_row + row - 1} ({column}: no column here)"
        if question in self.tables:
            return f"{self.tables[question].sheet} (table)"
        if question in self.lists:
            ref = self.lists[question]
            return str(ref.cell(row)) if row else f"{ref.sheet}!{ref.column}"
        return question

    def sheets(self) -> set[str]:
        return (
            {c.sheet for c in self.cells.values()}
            | {t.sheet for t in self.tables.values()}
            | {li.sheet for li in self.lists.values()}
        )

    def as_document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "questionnaire": self.questionnaire,
            "version": self.version,
            "cells": {q: str(c) for q, c in self.cells.items()},
            "tables": {
                q: {
                    "sheet": t.sheet,
                    "first_row": t.first_row,
                    "max_rows": t.max_rows,
                    "columns": dict(t.columns),
                }
                for q, t in self.tables.items()
            },
            "lists": {
                q: {
                    "sheet": li.sheet,
                    "column": li.column,
                    "first_row": li.first_row,
                    "max_rows": li.max_rows,
                }
                for q, li in self.lists.items()
            },
        }


def _cell(text: Any, where: str) -> CellRef:
    found = CELL.match(str(text))
    if not found:
        raise CellMapError(f"{where}: expected a cell such as Declaration!C12, found {text!r}")
    return CellRef(found["sheet"].strip("'"), found["col"], int(found["row"]))


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise CellMapError(f"{where}: expected a positive whole number, found {value!r}")
    return value


def _letter(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{1,3}", value):
        raise CellMapError(f"{where}: expected a column letter, found {value!r}")
    return value


def parse_layout(document: Any, questionnaire: Questionnaire) -> CellMap:
    """A checked map: every question it names exists and has the right shape."""
    if not isinstance(document, dict):
        raise CellMapError("expected a mapping with name, questionnaire, version and cells")
    if (document.get("questionnaire"), str(document.get("version"))) != (
        questionnaire.id,
        questionnaire.version,
    ):
        raise CellMapError(
            f"this map is for {document.get('questionnaire')}@{document.get('version')}, "
            f"not {questionnaire.key}"
        )
    cells, tables, lists = {}, {}, {}
    for qid, text in (document.get("cells") or {}).items():
        question = questionnaire.questions.get(qid)
        if question is None or question.type in ("table",):
            raise CellMapError(f"cells.{qid}: not a single-answer question of {questionnaire.key}")
        cells[qid] = _cell(text, f"cells.{qid}")
    for qid, doc in (document.get("tables") or {}).items():
        question = questionnaire.questions.get(qid)
        if question is None or question.type != "table" or not isinstance(doc, dict):
            raise CellMapError(f"tables.{qid}: not a table question of {questionnaire.key}")
        columns = {
            str(k): _letter(v, f"tables.{qid}.columns.{k}") for k, v in doc["columns"].items()
        }
        unknown = set(columns) - {c.id for c in question.columns}
        if unknown:
            raise CellMapError(f"tables.{qid}.columns: {sorted(unknown)} are not columns")
        tables[qid] = TableRef(
            str(doc["sheet"]),
            _int(doc.get("first_row"), f"tables.{qid}.first_row"),
            _int(doc.get("max_rows"), f"tables.{qid}.max_rows"),
            columns,
        )
    for qid, doc in (document.get("lists") or {}).items():
        question = questionnaire.questions.get(qid)
        if question is None or not isinstance(doc, dict):
            raise CellMapError(f"lists.{qid}: not a question of {questionnaire.key}")
        lists[qid] = ListRef(
            str(doc["sheet"]),
            _letter(doc.get("column"), f"lists.{qid}.column"),
            _int(doc.get("first_row"), f"lists.{qid}.first_row"),
            _int(doc.get("max_rows"), f"lists.{qid}.max_rows"),
        )
    return CellMap(
        str(document.get("name") or "unnamed"),
        questionnaire.id,
        questionnaire.version,
        cells,
        tables,
        lists,
    )


LAYOUTS_DIR = Path(__file__).parent / "data" / "layouts"


def bundled_layout_documents() -> list[dict[str, Any]]:
    """Every extra layout map shipped with chainproof (YAML documents, unchecked)."""
    found = []
    for path in sorted(LAYOUTS_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise CellMapError(f"{path.name}: expected a mapping")
        found.append(document)
    return found


def pick_layout(sheet_names: list[str], layouts: list[CellMap]) -> CellMap | None:
    """The first layout whose sheets are all in the workbook."""
    present = set(sheet_names)
    return next((layout for layout in layouts if layout.sheets() <= present), None)


def sheet_of(section_id: str) -> str:
    return "Declaration" if section_id == "declaration" else "Questions"


def default_layout(questionnaire: Questionnaire) -> CellMap:
    """chainproof's own workbook: the declaration and the questions one per row (answer in
    column C) with a title row per section, tables and country lists on their own sheets."""
    cells: dict[str, CellRef] = {}
    tables: dict[str, TableRef] = {}
    lists: dict[str, ListRef] = {}
    next_row = {"Declaration": QUESTION_FIRST_ROW, "Questions": QUESTION_FIRST_ROW}
    list_column = 1
    for section in questionnaire.sections:
        sheet = sheet_of(section.id)
        next_row[sheet] += 1  # the section's title row
        for question in section.questions:
            row = next_row[sheet]
            next_row[sheet] += 1
            if question.type == "table":
                tables[question.id] = TableRef(
                    "Worksites" if question.id == "worksites" else question.id[:31],
                    TABLE_FIRST_ROW,
                    question.max_rows,
                    {c.id: column_letter(i) for i, c in enumerate(question.columns, start=1)},
                )
            elif question.type == "countries":
                lists[question.id] = ListRef(
                    "Countries", column_letter(list_column), TABLE_FIRST_ROW, question.max_rows
                )
                list_column += 2
            else:
                cells[question.id] = CellRef(sheet, ANSWER_COLUMN, row)
    return CellMap(
        f"chainproof {questionnaire.version}",
        questionnaire.id,
        questionnaire.version,
        cells,
        tables,
        lists,
    )


def translated_layout(layout: CellMap, names: Mapping[str, str]) -> CellMap:
    """The same cells on sheets renamed (English name -> another language's), for
    chainproof's workbook written in the supplier's language; the name stays the same."""
    if not names:
        return layout

    def sheet(name: str) -> str:
        return names.get(name, name)

    return replace(
        layout,
        cells={q: replace(c, sheet=sheet(c.sheet)) for q, c in layout.cells.items()},
        tables={q: replace(t, sheet=sheet(t.sheet)) for q, t in layout.tables.items()},
        lists={q: replace(li, sheet=sheet(li.sheet)) for q, li in layout.lists.items()},
    )


# The former names, kept for branches written before the rename.
LayoutMap = CellMap
LayoutError = CellMapError
