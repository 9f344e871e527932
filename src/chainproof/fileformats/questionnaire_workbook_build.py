"""Writing the questionnaire as an Excel workbook: instructions, the declaration
pre-filled with what is known, question sheets with drop-down lists, the worksite table,
the countries sheet, a checker sheet whose formulas count the required answers still
missing while the supplier types, a hidden sheet of choice lists and a very hidden sheet
naming the questionnaire, version, campaign and request. Every cell written from user data
is a string cell; the only formulas are the checker's; the Declaration's text answers are
formatted as text, so an identifier typed there keeps its zeros and digits. Reading is in
``questionnaire_workbook.py``."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chainproof.domain.questionnaire.answers import is_blank
from chainproof.domain.questionnaire.cell_map import (
    LISTS_SHEET,
    META_SHEET,
    QUESTION_FIRST_ROW,
    TABLE_FIRST_ROW,
    CellMap,
    CellRef,
    sheet_of,
)
from chainproof.domain.questionnaire.definition import Choice, Question, Questionnaire
from chainproof.fileformats.cells import strings_only
from chainproof.fileformats.questionnaire_workbook import CHECKER_SHEET, META_MARK, country_label

# The number format "Text": a supplier's registration number (USCC 914401016189887654,
# DUNS 012345678, a tax id with a leading zero) typed into a General cell would become a
# number, its zeros and last digits lost. Every text answer of the identification sheet
# (the Declaration) is formatted so.
TEXT_FORMAT = "@"
TEXT_ANSWER_TYPES = ("text", "email")


@dataclass(frozen=True)
class WorkbookWords:
    """The workbook's own words (the questionnaire's come translated with it), in English
    unless the caller gives them in another language. `sheets` renames the sheets
    (English name -> this language's); the layout handed to ``build_workbook`` must name
    them the same way (``cell_map.translated_layout``)."""

    sheets: Mapping[str, str] = field(default_factory=dict)
    how_to: tuple[str, ...] = (
        "How to fill this workbook:",
        "1. Complete the Declaration sheet; it is pre-filled with what your customer already "
        "knows.",
        "2. Answer every question on the Questions sheet in the yellow cells of column C. Choose "
        "from the drop-down lists where there is one; for several answers separate them with |.",
        "3. List every worksite that makes the covered goods on the Worksites sheet, one per row.",
        "4. List countries on the Countries sheet, one per row (choose from the drop-down list).",
        "5. The Checker sheet counts the required answers still missing. Send the workbook back "
        "when it shows 0.",
        "Questions marked 'Only if' apply only for the answer named. Dates: YYYY-MM-DD. Type "
        "values, not formulas. Send supporting documents through the supplier portal, named as "
        "in the question.",
        "Do not rename sheets or move cells: the workbook is read cell by cell.",
    )
    declaration_title: str = "{title} - Declaration"
    answer_here: str = "Answer in the yellow cells of column C."
    headers: tuple[str, str, str, str] = ("No.", "Question", "Answer", "Notes")
    not_on_list_title: str = "Not on the list"
    not_on_list: str = "Choose one of the answers in the drop-down list."
    choose_country: str = "Choose a country from the list."
    type_number: str = "Type a number"
    type_number_range: str = "Type a number from {low} to {high}"
    type_date: str = "Type a date as YYYY-MM-DD."
    fill_table: str = "Fill in the {sheet} sheet."
    list_in: str = "List them in column {column} of the {sheet} sheet."
    several: str = "Several answers allowed, separated by |: "
    table_intro: str = "One row per worksite (up to {max_rows}). Columns marked * are required."
    countries_title: str = "Countries"
    countries_intro: str = "One country per row; choose from the drop-down list."
    required: str = "Required"
    only_if: str = "Only if {number} is {answers}"
    or_word: str = " or "
    date_note: str = "A date, YYYY-MM-DD"
    percentage_note: str = "A percentage, 0-100"
    document_note: str = "Type the file name of the document you send through the supplier portal"
    proof: str = "Proof expected: {text}"
    still_missing: str = "Required answers still missing:"
    checker_headers: tuple[str, str, str] = ("No.", "Question", "Status")
    rows_without: str = "{sheet} sheet: rows without {column} (required)"
    status_missing: str = "Missing"
    status_ok: str = "OK"
    status_not_needed: str = "Not needed"

    def sheet(self, english: str) -> str:
        return self.sheets.get(english, english)


ENGLISH = WorkbookWords()


def _display(question_choices: tuple[Choice, ...], value: Any) -> Any:
    if question_choices:
        picked = value if isinstance(value, list) else [value]
        labels = [next((c.label for c in question_choices if c.value == p), str(p)) for p in picked]
        return " | ".join(labels)
    return value


def _excel_text(text: str) -> str:
    return text.replace('"', '""')


def _is_empty_formula(cell: CellRef) -> str:
    return f"LEN(TRIM('{cell.sheet}'!{cell.column}{cell.row}))=0"


def build_workbook(
    questionnaire: Questionnaire,
    layout: CellMap,
    *,
    countries: Mapping[str, str],
    meta: Mapping[str, str],
    answers: Mapping[str, Any] | None = None,
    words: WorkbookWords = ENGLISH,
    note: str = "",
) -> bytes:
    """The workbook for one supplier; `answers` pre-fills (declaration facts, or a draft);
    `words` are the workbook's own texts and sheet names in the supplier's language; `note`
    is a line shown under the title of the instructions (what this copy holds)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    answers = answers or {}
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    answer_fill = PatternFill("solid", fgColor="FFF8DC")
    wrap = Alignment(wrap_text=True, vertical="top")
    country_labels = [country_label(c, n) for c, n in sorted(countries.items(), key=lambda i: i[1])]

    book = Workbook()
    intro = book.active
    intro.title = words.sheet("Instructions")
    intro["A1"] = questionnaire.title
    intro["A1"].font = title_font
    if note:
        intro["A2"] = note
        intro["A2"].font = bold
        intro["A2"].alignment = wrap
    lines = [questionnaire.summary, "", *words.how_to]
    for row, line in enumerate(lines, start=3):
        intro.cell(row=row, column=1, value=line).alignment = wrap
    intro.column_dimensions["A"].width = 110

    lists_sheet = book.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}

    def list_range(key: str, labels: list[str]) -> str:
        if key not in list_ranges:
            column = len(list_ranges) + 1
            for row, label in enumerate(labels, start=1):
                lists_sheet.cell(row=row, column=column, value=label)
            letter = lists_sheet.cell(row=1, column=column).column_letter
            list_ranges[key] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${max(1, len(labels))}"
        return list_ranges[key]

    validations: dict[str, Any] = {}

    def add_validation(ws: Any, key: str, build: Any, ref: str) -> None:
        vkey = f"{ws.title}:{key}"
        if vkey not in validations:
            validations[vkey] = build()
            ws.add_data_validation(validations[vkey])
        validations[vkey].add(ref)

    def choice_validation(ws: Any, key: str, choices: tuple[Choice, ...], ref: str) -> None:
        source = list_range(key, [c.label for c in choices])
        add_validation(
            ws,
            key,
            lambda: DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=words.not_on_list_title,
                error=words.not_on_list,
            ),
            ref,
        )

    def country_validation(ws: Any, ref: str) -> None:
        source = list_range("countries", country_labels)
        add_validation(
            ws,
            "countries",
            lambda: DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                error=words.choose_country,
            ),
            ref,
        )

    def number_validation(ws: Any, question: Question | Any, ref: str, pct: bool) -> None:
        low = 0 if pct else question.min
        high = 100 if pct else question.max
        key = f"number:{low}:{high}:{question.integer}"
        add_validation(
            ws,
            key,
            lambda: DataValidation(
                type="whole" if question.integer else "decimal",
                operator="between",
                formula1=str(-1e15 if low is None else low),
                formula2=str(1e15 if high is None else high),
                allow_blank=True,
                showErrorMessage=True,
                error=words.type_number_range.format(low=f"{low:g}", high=f"{high:g}")
                if low is not None and high is not None
                else words.type_number,
            ),
            ref,
        )

    def date_validation(ws: Any, ref: str) -> None:
        add_validation(
            ws,
            "date",
            lambda: DataValidation(
                type="date",
                operator="greaterThan",
                formula1="1",
                allow_blank=True,
                showErrorMessage=True,
                error=words.type_date,
            ),
            ref,
        )

    sheets: dict[str, Any] = {}
    for name in ("Declaration", "Questions"):
        ws = book.create_sheet(words.sheet(name))
        sheets[name] = ws
        ws["A1"] = (
            words.declaration_title.format(title=questionnaire.title)
            if name == "Declaration"
            else questionnaire.title
        )
        ws["A1"].font = title_font
        ws["A2"] = words.answer_here
        for col, text in enumerate(words.headers, start=1):
            ws.cell(row=QUESTION_FIRST_ROW - 1, column=col, value=text).font = bold
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 70
        ws.column_dimensions["C"].width = 40
        ws.column_dimensions["D"].width = 60
        ws.freeze_panes = f"A{QUESTION_FIRST_ROW}"

    # Rows follow default_layout; a custom layout only reads, it is never written.
    next_row = {sheets[n].title: QUESTION_FIRST_ROW for n in ("Declaration", "Questions")}
    for section in questionnaire.sections:
        ws = sheets[sheet_of(section.id)]
        title_row = next_row[ws.title]
        ws.cell(row=title_row, column=2, value=section.title).font = bold
        next_row[ws.title] += 1
        for question in section.questions:
            row = next_row[ws.title]
            next_row[ws.title] += 1
            ws.cell(row=row, column=1, value=question.number)
            ws.cell(row=row, column=2, value=question.text).alignment = wrap
            notes = _notes(questionnaire, question, words)
            if question.id in layout.tables:
                notes.insert(0, words.fill_table.format(sheet=layout.tables[question.id].sheet))
            elif question.id in layout.lists:
                ref = layout.lists[question.id]
                notes.insert(0, words.list_in.format(column=ref.column, sheet=ref.sheet))
            ws.cell(row=row, column=4, value="; ".join(notes)).alignment = wrap
            ref_cell = layout.cells.get(question.id)
            if ref_cell is None:
                continue
            cell = ws.cell(row=ref_cell.row, column=ref_cell.col_index)
            cell.fill = answer_fill
            cell.alignment = wrap
            given = answers.get(question.id)
            if not is_blank(given):
                if question.type == "country":
                    cell.value = country_label(str(given), countries.get(str(given), str(given)))
                elif question.type in ("multi_choice", "document") and isinstance(given, list):
                    cell.value = (
                        _display(question.choices, given)
                        if question.choices
                        else (" | ".join(given))
                    )
                else:
                    cell.value = _display(question.choices, given)
            coordinate = f"{ref_cell.column}{ref_cell.row}"
            if question.type in ("yes_no", "yes_no_unknown", "choice"):
                choice_validation(
                    ws,
                    question.id if question.type == "choice" else question.type,
                    question.choices,
                    coordinate,
                )
            elif question.type == "country":
                country_validation(ws, coordinate)
            elif question.type in ("number", "percentage"):
                number_validation(ws, question, coordinate, question.type == "percentage")
            elif question.type == "date":
                date_validation(ws, coordinate)
                cell.number_format = "yyyy-mm-dd"
            elif question.type in TEXT_ANSWER_TYPES and ws is sheets["Declaration"]:
                cell.number_format = TEXT_FORMAT
            if question.type in ("multi_choice",):
                cell.comment = Comment(
                    words.several + " | ".join(c.label for c in question.choices),
                    "chainproof",
                )

    for qid, table in layout.tables.items():
        question = questionnaire.questions[qid]
        ws = book.create_sheet(table.sheet)
        ws["A1"] = question.text
        ws["A1"].font = title_font
        ws["A2"] = words.table_intro.format(max_rows=table.max_rows)
        for column in question.columns:
            letter = table.columns[column.id]
            header = ws[f"{letter}{TABLE_FIRST_ROW - 1}"]
            header.value = column.label + (" *" if column.required else "")
            header.font = bold
            ws.column_dimensions[letter].width = 28
            span = f"{letter}{table.first_row}:{letter}{table.first_row + table.max_rows - 1}"
            if column.type in ("choice", "yes_no_unknown"):
                choice_validation(ws, f"{qid}.{column.id}", column.choices, span)
            elif column.type == "country":
                country_validation(ws, span)
            elif column.type == "number":
                number_validation(ws, column, span, False)
            elif column.type == "date":
                date_validation(ws, span)
        for number, row in enumerate(answers.get(qid) or [], start=1):
            for column in question.columns:
                value = row.get(column.id)
                if is_blank(value):
                    continue
                if column.type == "country":
                    value = country_label(str(value), countries.get(str(value), str(value)))
                elif column.choices:
                    value = _display(column.choices, value)
                ws[str(table.cell(number, column.id)).split("!")[1]] = value
        ws.freeze_panes = f"A{table.first_row}"

    if layout.lists:
        ws = book.create_sheet(words.sheet("Countries"))
        ws["A1"] = words.countries_title
        ws["A1"].font = title_font
        ws["A2"] = words.countries_intro
        for qid, ref in layout.lists.items():
            question = questionnaire.questions[qid]
            header = ws[f"{ref.column}{ref.first_row - 1}"]
            header.value = question.text + (" *" if question.required else "")
            header.font = bold
            header.alignment = wrap
            ws.column_dimensions[ref.column].width = 45
            country_validation(
                ws, f"{ref.column}{ref.first_row}:{ref.column}{ref.first_row + ref.max_rows - 1}"
            )
            for number, code in enumerate(answers.get(qid) or [], start=1):
                ws[f"{ref.column}{ref.first_row + number - 1}"] = country_label(
                    code, countries.get(code, code)
                )

    formulas = _checker(book, questionnaire, layout, words)

    meta_sheet = book.create_sheet(META_SHEET)
    meta_sheet.sheet_state = "veryHidden"
    rows = {
        "format": META_MARK,
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "layout": layout.name,
        **meta,
    }
    for row, (key, value) in enumerate(rows.items(), start=1):
        meta_sheet.cell(row=row, column=1, value=key)
        meta_sheet.cell(row=row, column=2, value=str(value))

    strings_only(book, formulas)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _notes(questionnaire: Questionnaire, question: Question, words: WorkbookWords) -> list[str]:
    notes = []
    if question.required:
        notes.append(words.required)
    if question.show_if is not None:
        source = questionnaire.questions[question.show_if.question]
        labels = [
            next((c.label for c in source.choices if c.value == v), v)
            for v in question.show_if.values
        ]
        notes.append(
            words.only_if.format(
                number=source.number,
                answers=words.or_word.join(repr(label) for label in labels),
            )
        )
    if question.type == "date":
        notes.append(words.date_note)
    if question.type == "percentage":
        notes.append(words.percentage_note)
    if question.type == "document":
        notes.append(words.document_note)
    if question.expects:
        notes.append(words.proof.format(text=question.expects))
    if question.help:
        notes.append(question.help)
    return notes


def _condition_formula(questionnaire: Questionnaire, question: Question, layout: CellMap) -> str:
    condition = question.show_if
    if condition is None:
        return ""
    source = questionnaire.questions[condition.question]
    cell = layout.cells.get(source.id)
    if cell is None:
        return "TRUE"
    ref = f"'{cell.sheet}'!{cell.column}{cell.row}"
    labels = [next((c.label for c in source.choices if c.value == v), v) for v in condition.values]
    if source.type == "multi_choice":
        # FIND on upper case: case-blind like SEARCH, and understood by more spreadsheet engines.
        tests = [f'ISNUMBER(FIND("{_excel_text(label.upper())}",UPPER({ref})))' for label in labels]
    else:
        tests = [f'{ref}="{_excel_text(label)}"' for label in labels]
    parent = _condition_formula(questionnaire, source, layout)
    joined = f"OR({','.join(tests)})"
    return f"AND({parent},{joined})" if parent else joined


def _column_span(table: Any) -> Any:
    """The range of a table's column, by its id: 'Worksites'!B4:B203."""
    last_row = table.first_row + table.max_rows - 1

    def span(cid: str) -> str:
        letter = table.columns[cid]
        return f"'{table.sheet}'!{letter}{table.first_row}:{letter}{last_row}"

    return span


def _checker(
    book: Any, questionnaire: Questionnaire, layout: CellMap, words: WorkbookWords
) -> set[tuple[str, str]]:
    """The checker sheet; returns the (sheet, cell) of every formula it holds."""
    from openpyxl.styles import Font

    ws = book.create_sheet(words.sheet(CHECKER_SHEET), 1)
    ws["A1"] = ws.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = words.still_missing
    ws["A2"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 7
    ws.column_dimensions["B"].width = 80
    ws.column_dimensions["C"].width = 14
    for col, text in enumerate(words.checker_headers, start=1):
        ws.cell(row=4, column=col, value=text).font = Font(bold=True)
    row = 5
    formulas: set[tuple[str, str]] = set()
    counts: list[str] = []  # cells holding a number of missing cells, added to the total
    for question in questionnaire.ordered():
        if not question.required:
            continue
        if question.id in layout.cells:
            cell = layout.cells[question.id]
            if question.must_be:
                label = next(c.label for c in question.choices if c.value == question.must_be)
                missing = f"'{cell.sheet}'!{cell.column}{cell.row}<>\"{_excel_text(label)}\""
            else:
                missing = _is_empty_formula(cell)
        elif question.id in layout.tables:
            # A row counts once any of its cells holds something (as the upload reads it),
            # and then each of its required cells left empty is missing, one by one.
            table = layout.tables[question.id]
            column_span = _column_span(table)
            started = "(" + "+".join(f"LEN(TRIM({column_span(c)}))" for c in table.columns) + ">0)"
            missing = f"SUMPRODUCT({started}*1)<{max(1, question.min_rows)}"
            condition = _condition_formula(questionnaire, question, layout)
            for column in question.columns:
                if not column.required or column.id not in table.columns:
                    continue
                empty = f"SUMPRODUCT({started}*(LEN(TRIM({column_span(column.id)}))=0))"
                count = f"IF({condition},{empty},0)" if condition else empty
                ws.cell(row=row, column=1, value=question.number)
                ws.cell(
                    row=row,
                    column=2,
                    value=words.rows_without.format(sheet=table.sheet, column=column.label),
                )
                ws.cell(row=row, column=3, value=f"={count}")
                formulas.add((ws.title, f"C{row}"))
                counts.append(f"C{row}")
                row += 1
        elif question.id in layout.lists:
            listed = layout.lists[question.id]
            last_row = listed.first_row + listed.max_rows - 1
            span = f"'{listed.sheet}'!{listed.column}{listed.first_row}:{listed.column}{last_row}"
            missing = f'COUNTIF({span},"<>")=0'
        else:
            continue
        missing_word, ok_word = _excel_text(words.status_missing), _excel_text(words.status_ok)
        status = f'IF({missing},"{missing_word}","{ok_word}")'
        condition = _condition_formula(questionnaire, question, layout)
        if condition:
            status = f'IF({condition},{status},"{_excel_text(words.status_not_needed)}")'
        ws.cell(row=row, column=1, value=question.number)
        ws.cell(row=row, column=2, value=question.text)
        ws.cell(row=row, column=3, value=f"={status}")
        formulas.add((ws.title, f"C{row}"))
        row += 1
    # Each count cell is added on its own: SUM skips a number some engines hand over as
    # an array's result.
    ws["C2"] = f'=COUNTIF(C5:C{max(5, row - 1)},"{_excel_text(words.status_missing)}")' + "".join(
        f"+{c}" for c in counts
    )
    ws["C2"].font = Font(bold=True)
    formulas.add((ws.title, "C2"))
    return formulas
