"""The questionnaire workbook both ways: real .xlsx files written, filled and read back."""

import io
import zipfile

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from chainproof.domain.questionnaire.cell_map import CellMapError, parse_layout
from chainproof.fileformats.questionnaire_workbook import (
    WorkbookRejected,
    check_workbook,
    open_workbook,
    read_meta,
)
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from tests.questionnaire_helpers import TYPED, countries, fill, strt

META = {"campaign": "2026-Q4 apparel", "request": "REQ-17", "supplier": "S-VN-02"}


@pytest.fixture(scope="module")
def blank():
    questionnaire, layout = strt()
    return build_workbook(
        questionnaire,
        layout,
        countries=countries(),
        meta=META,
        answers={"company_name": "Lotus Garment", "company_country": "VN"},
    )


def _check(data):
    questionnaire, layout = strt()
    return check_workbook(
        open_workbook(data, "lotus.xlsx"), questionnaire, layout, countries=countries()
    )


def test_the_workbook_has_every_part(blank):
    book = load_workbook(io.BytesIO(blank))
    assert book.sheetnames[:2] == ["Instructions", "Checker"]
    assert {"Declaration", "Questions", "Worksites", "Countries", "_lists", "_chainproof"} <= set(
        book.sheetnames
    )
    assert book["_lists"].sheet_state == "hidden"
    assert book["_chainproof"].sheet_state == "veryHidden"
    _, layout = strt()
    declaration = book["Declaration"]
    name = layout.cells["company_name"]
    assert declaration[f"{name.column}{name.row}"].value == "Lotus Garment"
    country = layout.cells["company_country"]
    assert declaration[f"{country.column}{country.row}"].value == "Vietnam (VN)"
    # Drop-down lists on choice answers, pointing at the hidden lists sheet.
    questions = book["Questions"]
    dprk = layout.cells["policy_dprk"]
    lists = [dv for dv in questions.data_validations.dataValidation if dv.type == "list"]
    assert any(f"{dprk.column}{dprk.row}" in str(dv.sqref) for dv in lists)
    assert all(dv.formula1.startswith("'_lists'!$") for dv in lists)
    worksites = book["Worksites"]
    assert worksites["H3"].value == "North Korean nationals working there *"
    assert worksites.data_validations.dataValidation
    # The checker counts what is missing with formulas the supplier sees update.
    checker = book["Checker"]
    assert checker["C2"].value.startswith("=COUNTIF(C5:C")
    formulas = [checker.cell(row=r, column=3).value for r in range(5, checker.max_row + 1)]
    goods = next(f for f in formulas if "Declaration'!C12" in f and "Only the goods" in f)
    assert goods.startswith("=IF(OR('Declaration'!C11=\"Only the goods named below\")")
    started = "(LEN(TRIM('Worksites'!A4:A203))+LEN(TRIM('Worksites'!B4:B203))+"
    assert any(f.startswith(f"=IF(SUMPRODUCT({started}") for f in formulas)


def test_the_checker_formulas_count_what_is_missing(blank, tmp_path):
    """Evaluated by a spreadsheet engine (pycel), as Excel would while the supplier types."""
    from pycel import ExcelCompiler

    questionnaire, layout = strt()

    def missing(typed):
        path = tmp_path / "book.xlsx"
        path.write_bytes(fill(blank, layout, typed))
        return ExcelCompiler(filename=str(path)).evaluate("Checker!C2")

    unconditional = [q for q in questionnaire.ordered() if q.required and q.show_if is None]
    # The blank workbook is pre-filled with two declaration answers.
    assert missing({}) == len(unconditional) - 2
    assert missing(TYPED) == 0
    partial = {**TYPED, "audits_done": "internal audit"}  # typed in lower case
    for question in ("scope_goods", "worksites", "audits_cover_agencies"):
        partial.pop(question)
    assert missing(partial) == 3
    assert missing({**TYPED, "certification": "No"}) == 1


@pytest.mark.parametrize(
    "row",
    [
        {"name": "Lotus Factory 2"},  # the issue: 0 missing on the sheet, 6 on upload
        {"address": "3 Tran Phu, Hanoi", "total_workers": 40},
        {**TYPED["worksites"][0], "products": "", "dprk_nationals": ""},
    ],
)
def test_the_checker_counts_a_worksite_rows_empty_required_cells_as_the_upload_does(
    blank, tmp_path, row
):
    """A worksite row started but not finished: the checker's count, evaluated by a
    spreadsheet engine, equals the problems the upload reports for it."""
    from pycel import ExcelCompiler

    questionnaire, layout = strt()
    typed = {**TYPED, "worksites": [row]}
    filled = fill(blank, layout, typed)
    path = tmp_path / "book.xlsx"
    path.write_bytes(filled)
    shown = ExcelCompiler(filename=str(path)).evaluate("Checker!C2")
    _, checked = _check(filled)
    required = [c for c in questionnaire.questions["worksites"].columns if c.required]
    empty = [c for c in required if c.id not in row or row[c.id] == ""]
    assert [i.row for i in checked.issues] == [1] * len(empty)
    assert checked.missing == []
    assert shown == len(checked.issues) == len(empty) > 0


def test_meta_sheet_identifies_the_request(blank):
    meta = read_meta(open_workbook(blank, "lotus.xlsx"))
    assert meta["questionnaire"] == "chainproof-strt"
    assert meta["version"] == "1.0"
    assert meta["request"] == "REQ-17"
    plain = Workbook()
    out = io.BytesIO()
    plain.save(out)
    assert read_meta(open_workbook(out.getvalue(), "other.xlsx")) == {}


def test_round_trip_every_answer_arrives_intact(blank):
    questionnaire, layout = strt()
    filled = fill(blank, layout, TYPED)
    result, checked = _check(filled)
    assert checked.issues == []
    assert checked.missing == []
    expected = check(questionnaire, TYPED)
    assert checked.values == expected
    assert result.meta["campaign"] == "2026-Q4 apparel"
    assert result.warnings == []


def check(questionnaire, typed):
    from chainproof.domain.questionnaire.answers import check as check_answers

    return check_answers(questionnaire, typed, countries=countries()).values


def test_errors_name_sheet_and_cell(blank):
    _, layout = strt()
    wrong = {
        **TYPED,
        "signed_on": "next week",
        "grievances_last_year": "a dozen",
        "source_countries": ["IN", "Narnia"],
        "worksites": [{**TYPED["worksites"][0], "total_workers": "eight hundred"}],
    }
    _, checked = _check(fill(blank, layout, wrong))
    messages = [str(i) for i in checked.issues]
    signed = layout.cells["signed_on"]
    assert f"Declaration!C{signed.row}: expected a date (YYYY-MM-DD), found 'next week'" in messages
    grievances = layout.cells["grievances_last_year"]
    assert f"Questions!C{grievances.row}: expected a number, found 'a dozen'" in messages
    expected = "a country (its ISO code or its name) in the countries data"
    assert f"Countries!C5: expected {expected}, found 'Narnia'" in messages
    assert "Worksites!F4: expected a number, found 'eight hundred'" in messages


def test_a_formula_in_an_answer_cell_is_refused_naming_the_cell(blank):
    _, layout = strt()
    name = layout.cells["company_address"]
    filled = fill(blank, layout, {**TYPED, "company_address": '=HYPERLINK("http://x","y")'})
    result, checked = _check(filled)
    assert result.formula_cells == {f"Declaration!C{name.row}"}
    assert [str(i) for i in checked.issues] == [
        f"Declaration!C{name.row}: expected a value typed in (formulas are not accepted and "
        """never evaluated), found '=HYPERLINK("http://x","y")'"""
    ]
    assert "company_address" not in checked.values


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _with_member(data, name, content):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda b: b"name,country\nAcme,CN\n", "a workbook (.xlsx, .ods or .xls), found another"),
        (
            lambda b: "Fragebogen".encode("utf-16"),
            "a workbook (.xlsx, .ods or .xls), found another",
        ),
        (
            lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "expected an Excel 97-2003 workbook (.xls), found a file that cannot be read",
        ),
        (
            lambda b: b"\xd0\xcf\x11\xe0" + "EncryptedPackage".encode("utf-16-le"),
            "a password-protected workbook",
        ),
        (
            lambda b: _zip(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "META-INF/manifest.xml": "<manifest/>",
                    "content.xml": "<x/>" + " " * 33_000_000,
                }
            ),
            "at most 32 MiB uncompressed",
        ),
        (lambda b: b[: len(b) // 2], "a readable .xlsx archive"),
        (
            lambda b: _zip({"[Content_Types].xml": "<x/>", "xl/big.xml": "0" * 30_000_000}),
            "a zip bomb?",
        ),
        (lambda b: _with_member(b, "xl/vbaProject.bin", b"\x00" * 10), "a macro-enabled workbook"),
        (
            lambda b: _with_member(b, "xl/externalLinks/externalLink1.xml", "<externalLink/>"),
            "external links",
        ),
    ],
)
def test_hostile_files_are_rejected_with_a_reason(blank, make, reason):
    with pytest.raises(WorkbookRejected) as caught:
        _check(make(blank))
    assert reason in str(caught.value)


def test_a_very_long_answer_is_an_error_not_a_crash(blank):
    _, layout = strt()
    _, checked = _check(fill(blank, layout, {**TYPED, "comments": "x" * 30_000}))
    assert [i.expected for i in checked.issues] == ["at most 4,000 characters"]


CUSTOMER_MAP = """
name: Acme customer sheet 2025
questionnaire: chainproof-strt
version: "1.0"
cells:
  company_name: Survey!B2
  company_country: Survey!B3
  policy_dprk: Survey!B5
  workers_pay_fees: Survey!B6
  signed_on: Survey!B8
tables:
  worksites:
    sheet: Sites
    first_row: 2
    max_rows: 50
    columns: {name: A, country: B, total_workers: C, dprk_nationals: D}
"""


def test_another_layout_is_read_by_writing_a_map_not_code():
    questionnaire, _ = strt()
    layout = parse_layout(yaml.safe_load(CUSTOMER_MAP), questionnaire)
    book = Workbook()
    survey = book.active
    survey.title = "Survey"
    for cell, value in {
        "B2": "Kapas Spinning",
        "B3": "IN",
        "B5": "Yes",
        "B6": "No",
        "B8": "2026-10-01",
    }.items():
        survey[cell] = value
    sites = book.create_sheet("Sites")
    sites.append(["Site", "Country", "Workers", "DPRK"])
    sites.append(["Mill 2", "India", 300, "None"])
    out = io.BytesIO()
    book.save(out)
    result, checked = check_workbook(
        open_workbook(out.getvalue(), "kapas.xlsx"), questionnaire, layout, countries=countries()
    )
    assert result.meta == {}
    assert checked.values["company_name"] == "Kapas Spinning"
    assert checked.values["policy_dprk"] == "yes"
    assert checked.values["worksites"] == [
        {"name": "Mill 2", "country": "IN", "total_workers": 300, "dprk_nationals": "none"}
    ]
    # Required columns the map leaves out are reported, with the cells the map knows.
    assert {(i.row, i.column) for i in checked.issues} == {
        (1, "address"),
        (1, "products"),
        (1, "migrant_workers"),
    }


def test_a_map_naming_unknown_questions_is_refused():
    questionnaire, _ = strt()
    with pytest.raises(CellMapError, match=r"cells\.favourite_colour"):
        parse_layout(
            {
                "questionnaire": "chainproof-strt",
                "version": "1.0",
                "cells": {"favourite_colour": "S!B2"},
            },
            questionnaire,
        )
    with pytest.raises(CellMapError, match="expected a cell such as"):
        parse_layout(
            {"questionnaire": "chainproof-strt", "version": "1.0", "cells": {"company_name": "B2"}},
            questionnaire,
        )


def test_a_value_far_outside_the_cell_map_is_passed_over_in_bounded_memory(blank):
    import tracemalloc

    questionnaire, layout = strt()
    book = load_workbook(io.BytesIO(fill(blank, layout, TYPED)))
    book["Questions"]["XFD1048576"] = "far away"
    out = io.BytesIO()
    book.save(out)
    tracemalloc.start()
    _, checked = _check(out.getvalue())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert checked.issues == []
    assert checked.values == check(questionnaire, TYPED)
    assert peak < 20 * 2**20


def test_meta_and_answers_come_from_one_opening(blank, monkeypatch):
    from chainproof.fileformats import xlsx

    _, layout = strt()
    filled = fill(blank, layout, TYPED)
    opened = []
    real = zipfile.ZipFile
    monkeypatch.setattr(xlsx.zipfile, "ZipFile", lambda *a, **k: opened.append(1) or real(*a, **k))
    archive = open_workbook(filled, "lotus.xlsx")
    assert read_meta(archive)["request"] == "REQ-17"
    _, checked = _check_archive(archive)
    assert checked.issues == []
    assert opened == [1]


def _check_archive(archive):
    questionnaire, layout = strt()
    return check_workbook(archive, questionnaire, layout, countries=countries())


def test_a_percentage_typed_as_12_percent_in_excel_is_stored_as_12(blank):
    """Excel stores "12%" typed in a cell as 0.12 with the format 0%: the answer is 12."""
    _, layout = strt()
    book = load_workbook(io.BytesIO(fill(blank, layout, TYPED)))
    ref = layout.cells["overtime_share"]
    cell = book[ref.sheet][f"{ref.column}{ref.row}"]
    cell.value = 0.12
    cell.number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    result, checked = _check(out.getvalue())
    assert result.raw["overtime_share"] == "12%"
    assert checked.values["overtime_share"] == 12
    assert str(checked.values["overtime_share"]) == "12"
    assert [i for i in checked.issues if i.question == "overtime_share"] == []
