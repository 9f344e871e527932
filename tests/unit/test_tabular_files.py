"""Hostile and malformed spreadsheet files are refused before parsing."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from chainproof.domain.tabular import TableFileError, read_table, read_xlsx


def workbook_bytes(rows, title="suppliers"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_workbook_is_read_with_sheet_names_and_row_numbers():
    data = workbook_bytes([["ref", "legal_name"], ["S1", "Acme"], [None, None], ["S2", 42]])
    sheet = read_xlsx(data, "s.xlsx")[0]
    assert sheet.name == "suppliers"
    assert sheet.header == ["ref", "legal_name"]
    assert list(sheet.records) == [
        (2, {"ref": "S1", "legal_name": "Acme"}),
        (4, {"ref": "S2", "legal_name": "42"}),
    ]


def test_formulas_are_refused_not_evaluated():
    data = workbook_bytes([["ref", "legal_name"], ["S1", '=HYPERLINK("http://x","y")']])
    with pytest.raises(TableFileError) as info:
        read_xlsx(data, "s.xlsx")
    error = info.value.errors[0]
    assert (error.sheet, error.row, error.column) == ("suppliers", 2, "legal_name")
    assert "formulas are not accepted" in error.expected


def test_not_a_zip():
    with pytest.raises(TableFileError, match="Excel workbook"):
        read_xlsx(b"just some text", "s.xlsx")


def test_damaged_zip():
    with pytest.raises(TableFileError, match="damaged zip"):
        read_xlsx(b"PK\x03\x04" + b"\x00" * 100, "s.xlsx")


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableFileError, match="not one"):
        read_xlsx(buffer.getvalue(), "s.xlsx")


def test_macro_enabled_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(TableFileError, match="macro-enabled"):
        read_xlsx(buffer.getvalue(), "s.xlsm")


def test_zip_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000
    with pytest.raises(TableFileError, match="zip bomb"):
        read_xlsx(data, "bomb.xlsx")


def test_old_binary_excel_is_refused_with_advice():
    with pytest.raises(TableFileError, match=r"save it as \.xlsx"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "old.xls")


def test_csv_with_nul_bytes_is_refused():
    with pytest.raises(TableFileError, match="binary data"):
        read_table(b"ref,legal_name\nS1,Ac\x00me\n", "s.csv")


def test_csv_in_utf16_is_refused():
    with pytest.raises(TableFileError, match="UTF-8"):
        read_table("ref,legal_name\nS1,Acme\n".encode("utf-16"), "s.csv")
