"""Every cell written from user data is a string, never a formula: in CSV and XLSX
exports (lists included) and in the questionnaire workbook."""

import csv
import io
import zipfile

from openpyxl import load_workbook

from chainproof.common.exports import XLSX_CONTENT_TYPE, export_response
from chainproof.fileformats.cells import csv_cell, looks_like_formula
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from tests.questionnaire_helpers import countries, strt

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\r=y", '=HYPERLINK("http://x","y")']


def sheet_xml(data, part):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def test_every_formula_start_is_recognised():
    assert [looks_like_formula(v) for v in HOSTILE] == [True] * len(HOSTILE)
    assert [looks_like_formula(v) for v in ("Acme", "1+1", "", 5, None)] == [False] * 5


def test_csv_cells_are_neutralised_lists_after_joining():
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell(["=2+2", "x"]) == "'=2+2 | x"
    assert csv_cell(["a", "=b"]) == "a | =b"  # not at the start: no spreadsheet runs it
    assert csv_cell(None) == ""
    assert csv_cell(7) == 7


def test_an_xlsx_export_writes_hostile_text_as_string_cells():
    rows = [[value, [value, "x"], 5] for value in HOSTILE]
    response = export_response("xlsx", "suppliers", ["name", "aliases", "n"], rows)
    body = response.getvalue()
    xml = sheet_xml(body, "xl/worksheets/sheet1.xml")
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(body))["suppliers"]
    names = [sheet.cell(row=r, column=1) for r in range(2, len(HOSTILE) + 2)]
    assert names
    assert all(c.data_type == "s" for c in names)
    # An XML reader may normalise a carriage return to a line feed (the standard library
    # does, lxml does not): compare line ends alike.
    assert [c.value.replace("\r", "\n") for c in names] == [v.replace("\r", "\n") for v in HOSTILE]
    assert sheet.cell(row=2, column=2).value == "=1+1 | x"
    assert sheet.cell(row=2, column=3).value == 5


def test_a_csv_export_prefixes_hostile_text_and_joined_lists():
    response = export_response("csv", "suppliers", ["name", "aliases"], [["=1+1", ["=2+2", "x"]]])
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows == [["name", "aliases"], ["'=1+1", "'=2+2 | x"]]


def test_the_questionnaire_workbook_writes_user_data_as_strings():
    questionnaire, layout = strt()
    data = build_workbook(
        questionnaire,
        layout,
        countries=countries(),
        meta={"campaign": "=cmd|' /C calc'!A0", "request": "REQ-1"},
        answers={"company_name": '=HYPERLINK("http://x","y")', "company_address": "+1"},
    )
    book = load_workbook(io.BytesIO(data))
    name = layout.cells["company_name"]
    cell = book[name.sheet][f"{name.column}{name.row}"]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://x","y")')
    meta = {row[0].value: row[1] for row in book["_chainproof"].iter_rows()}
    assert (meta["campaign"].data_type, meta["campaign"].value) == ("s", "=cmd|' /C calc'!A0")
    formulas = [
        (ws.title, c.coordinate)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas
    assert {title for title, _ in formulas} == {"Checker"}


def _counted(total):
    """Rows 0..total-1 that count how many have been read."""
    read = {"rows": 0}

    def rows():
        for n in range(total):
            read["rows"] += 1
            yield [f"Supplier {n:06d}", f"{n:010d}", n]

    return read, rows()


def test_a_csv_export_is_sent_as_its_rows_are_read():
    read, rows = _counted(20_000)
    response = export_response("csv", "suppliers", ["name", "duns", "n"], rows)
    assert response.streaming
    pieces = iter(response.streaming_content)
    assert next(pieces) == "\ufeff".encode()
    first = next(pieces)
    assert read["rows"] < 20_000  # the first piece went out before the last row was read
    assert first.startswith(b'name,duns,n\r\nSupplier 000000,"0000000000",0\r\n')
    rest = b"".join(pieces)
    assert read["rows"] == 20_000
    lines = list(csv.reader(io.StringIO((first + rest).decode("utf-8"))))
    assert len(lines) == 20_001
    assert lines[-1] == ["Supplier 019999", "0000019999", "19999"]


def test_an_xlsx_export_is_sent_as_its_rows_are_read():
    read, rows = _counted(60_000)
    response = export_response("xlsx", "suppliers", ["name", "duns", "n"], rows)
    assert response.streaming
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    pieces = iter(response.streaming_content)
    first = next(pieces)
    assert first.startswith(b"PK")
    assert read["rows"] < 60_000  # the first piece went out before the last row was read
    body = first + b"".join(pieces)
    assert read["rows"] == 60_000
    sheet = load_workbook(io.BytesIO(body), read_only=True)["suppliers"]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 60_001
    assert values[2] == ("Supplier 000001", "0000000001", 1)  # the identifier kept as text
    assert values[-1] == ("Supplier 059999", "0000059999", 59999)
