"""The XLSX file written as it is sent (fileformats/xlsx_stream.py), read back by
openpyxl, calamine and LibreOffice: every kind of value a list exports, identifier columns
as Text, text that looks like a formula as a string, a sheet name Excel accepts, the
archive's members followed by their sizes (it is written without going back), a wide
sheet with ZIP64 sizes, and rows past Excel's last refused."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from chainproof.fileformats import xlsx_stream
from chainproof.fileformats.xlsx_stream import column_letters, sheet_name, xlsx_pieces
from tests.libreoffice import convert_with_libreoffice, require_libreoffice

HEADERS = ["name", "ref", "workers", "share", "price", "active", "since", "checked", "note"]
ROW = [
    "Acme <Knit> & Co",
    "0012",
    250,
    0.5,
    Decimal("12.30"),
    True,
    dt.date(2026, 1, 2),
    dt.datetime(2026, 1, 2, 3, 4, 5),
    None,
]
HOSTILE = ["=1+1", "+SUM(A1)", "-2", "@cmd", " two  spaces ", "中文名 有限公司", ["=a", "b"]]


def _book(rows, headers=HEADERS, text=(1,), title="Worksites"):
    return b"".join(xlsx_pieces(title, headers, rows, text))


def test_values_of_every_kind_read_back_as_written():
    data = _book([ROW, HOSTILE[:-1]])
    sheet = load_workbook(io.BytesIO(data))["Worksites"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert [c.value for c in sheet[2]] == [
        "Acme <Knit> & Co",
        "0012",
        250,
        0.5,
        12.3,
        True,
        dt.datetime(2026, 1, 2),
        dt.datetime(2026, 1, 2, 3, 4, 5),
        None,
    ]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].number_format == "@"
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["H2"].number_format == "yyyy-mm-dd h:mm:ss"
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Worksites")
    assert calamine.to_python()[1][:3] == ["Acme <Knit> & Co", "0012", 250]


def test_text_is_never_a_formula_and_keeps_its_spaces_and_script():
    data = _book([HOSTILE], headers=[f"c{i}" for i in range(len(HOSTILE))], text=())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(data))["Worksites"]
    cells = list(sheet[2])
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    assert [c.value for c in cells] == [*HOSTILE[:-1], "=a | b"]


def test_identifier_columns_are_text_numbers_included():
    data = _book([["A", 12345678901234567890], ["B", 7]], headers=["name", "duns"], text=(1,))
    sheet = load_workbook(io.BytesIO(data))["Worksites"]
    assert [sheet["B2"].value, sheet["B3"].value] == ["12345678901234567890", "7"]
    assert sheet.column_dimensions["B"].number_format == "@"  # the whole column


def test_the_archive_is_written_without_going_back():
    data = _book([ROW] * 10)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        members = archive.infolist()
        assert [m.filename for m in members][-1] == "xl/worksheets/sheet1.xml"
        assert all(m.flag_bits & 0x08 for m in members)  # sizes after the data


def test_a_sheet_name_excel_accepts_and_column_letters():
    assert sheet_name("suppliers: CN/VN [2026]?") == "suppliers  CN VN  2026"
    assert sheet_name("") == "Sheet1"
    assert len(sheet_name("x" * 40)) == 31
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
    data = _book([ROW], title='a "quoted" / name')
    assert load_workbook(io.BytesIO(data)).sheetnames == ['a "quoted"   name']


def test_a_wide_sheet_gets_zip64_sizes_and_still_reads():
    headers = [f"column {i}" for i in range(40)]
    data = _book([list(range(40))] * 3, headers=headers, text=())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # The member's local header: its extra field starts with ZIP64's id (0x0001).
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 :][:4])
    extra_at = info.header_offset + 30 + name_length
    assert extra_length >= 4
    assert data[extra_at : extra_at + 2] == b"\x01\x00"
    sheet = load_workbook(io.BytesIO(data))["Worksites"]
    assert [c.value for c in sheet[4]] == list(range(40))


def test_rows_past_the_last_excel_holds_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "MAX_ROWS", 5)
    with pytest.raises(ValueError, match="more than 5 rows"):
        _book([ROW] * 5)  # with the header, 6 rows
    assert load_workbook(io.BytesIO(_book([ROW] * 4)))["Worksites"].max_row == 5


def test_libreoffice_reads_it(tmp_path):
    require_libreoffice()
    path = tmp_path / "streamed.xlsx"
    path.write_bytes(_book([ROW, HOSTILE[:2] + [""] * 7]))
    csv_path = convert_with_libreoffice(path, "csv", tmp_path)
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert lines[1].startswith("Acme <Knit> & Co,0012,250,0.5,12.3,TRUE,2026-01-02,")
    assert lines[2].startswith("=1+1,+SUM(A1)")
