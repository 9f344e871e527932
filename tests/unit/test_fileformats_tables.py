"""Tables from CSV and XLSX files: hostile and malformed files are refused before
parsing; sheets are read within bounds whatever they claim; formulas are refused."""

import io
import os
import tracemalloc
import zipfile

import pytest

from chainproof.domain.tabular import TableFileError
from chainproof.fileformats import tables, xlsx
from chainproof.fileformats.tables import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, read_table
from tests.xlsx_files import (
    add_cell_xml,
    members,
    rewrite,
    set_dimension,
    with_member,
    workbook_bytes,
    zip_of,
)


def read_xlsx(data, source):
    return tables.read_xlsx(tables.open_xlsx(data, source))


def test_workbook_is_read_with_sheet_names_and_row_numbers():
    data = workbook_bytes([["ref", "legal_name"], ["S1", "Acme"], [None, None], ["S2", 42]])
    sheet = read_xlsx(data, "s.xlsx")[0]
    assert sheet.name == "suppliers"
    assert sheet.header == ["ref", "legal_name"]
    assert list(sheet.records) == [
        (2, {"ref": "S1", "legal_name": "Acme"}),
        (4, {"ref": "S2", "legal_name": "42"}),
    ]


def test_dates_booleans_and_decimals_arrive_as_text():
    from datetime import date, datetime

    data = workbook_bytes(
        [
            ["valid_from", "when", "flag", "share"],
            [date(2026, 1, 2), datetime(2026, 1, 2, 13, 30), True, 12.5],
        ]
    )
    sheet = read_table(data, "links.xlsx")
    assert list(sheet.records) == [
        (
            2,
            {
                "valid_from": "2026-01-02",
                "when": "2026-01-02T13:30:00",
                "flag": "true",
                "share": "12.5",
            },
        )
    ]


def test_formulas_are_refused_not_evaluated():
    data = workbook_bytes([["ref", "legal_name"], ["S1", '=HYPERLINK("http://x","y")']])
    with pytest.raises(TableFileError) as info:
        read_xlsx(data, "s.xlsx")
    error = info.value.errors[0]
    assert (error.sheet, error.row, error.column) == ("suppliers", 2, "legal_name")
    assert "formulas are not accepted" in error.expected
    assert error.found == '=HYPERLINK("http://x","y")'


def test_a_formula_with_a_cached_value_is_refused_too():
    data = add_cell_xml(
        workbook_bytes([["ref", "legal_name"]]),
        '<row r="2"><c r="A2" t="str"><f>"S"&amp;1</f><v>S1</v></c></row>',
    )
    with pytest.raises(TableFileError) as info:
        read_table(data, "s.xlsx")
    assert [(e.row, e.column, e.found) for e in info.value.errors] == [(2, "ref", '="S"&1')]


def test_text_that_starts_with_equals_typed_as_text_is_text():
    data = add_cell_xml(
        workbook_bytes([["ref", "legal_name"]]),
        '<row r="2"><c r="A2" t="inlineStr"><is><t>=not a formula</t></is></c></row>',
    )
    assert list(read_table(data, "s.xlsx").records) == [
        (2, {"ref": "=not a formula", "legal_name": ""})
    ]


def test_a_stale_dimension_does_not_hide_rows():
    data = workbook_bytes([["ref", "legal_name"], ["S1", "A"], ["S2", "B"], ["S3", "C"]])
    data = set_dimension(data, "A1:B2")
    sheet = read_table(data, "s.xlsx")
    assert [n for n, _ in sheet.records] == [2, 3, 4]
    assert [r["ref"] for _, r in sheet.records] == ["S1", "S2", "S3"]


def test_a_dimension_claiming_the_whole_sheet_costs_nothing():
    data = set_dimension(workbook_bytes([["ref"], ["S1"]]), "A1:XFD1048576")
    tracemalloc.start()
    sheet = read_table(data, "s.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert list(sheet.records) == [(2, {"ref": "S1"})]
    assert peak < 5 * 2**20


@pytest.mark.parametrize(
    ("ref", "found"),
    [("XFD1048576", "XFD1048576"), ("A1048576", "A1048576"), ("XFD1", "XFD1")],
)
def test_a_value_far_out_is_refused_naming_the_limit_with_bounded_memory(ref, found):
    data = workbook_bytes([["ref", "legal_name"], ["S1", "Acme"]], **{ref: "far away"})
    tracemalloc.start()
    with pytest.raises(TableFileError) as info:
        read_table(data, "s.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    error = info.value.errors[0]
    assert error.expected == (
        f"at most {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_COLUMNS:,} columns on the sheet suppliers"
    )
    assert error.found == f"a value in {found}"
    assert peak < 5 * 2**20


def test_styled_but_empty_cells_far_out_are_ignored():
    data = add_cell_xml(
        workbook_bytes([["ref"], ["S1"]]), '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    )
    assert list(read_table(data, "s.xlsx").records) == [(2, {"ref": "S1"})]


def test_a_cell_over_excels_limit_is_refused():
    data = add_cell_xml(
        workbook_bytes([["ref"]]),
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>',
    )
    with pytest.raises(TableFileError) as info:
        read_table(data, "s.xlsx")
    assert info.value.errors[0].expected == "cells of at most 32,767 characters"
    assert info.value.errors[0].found == "a longer one in suppliers!A2"


def test_an_upload_is_unzipped_and_checked_once(monkeypatch):
    opened = []
    real = zipfile.ZipFile

    def counting(*args, **kwargs):
        opened.append(args[0] if args else kwargs.get("file"))
        return real(*args, **kwargs)

    data = workbook_bytes([["ref", "legal_name"], ["S1", "Acme"]])
    monkeypatch.setattr(xlsx.zipfile, "ZipFile", counting)
    sheet = read_table(data, "s.xlsx", sheet="suppliers")
    assert list(sheet.records) == [(2, {"ref": "S1", "legal_name": "Acme"})]
    assert len(opened) == 1


def test_only_the_sheet_asked_for_is_read():
    data = workbook_bytes([["ref"], ["S1"]], title="notes")
    data = with_member(data, "xl/worksheets/sheet2.xml", "not even xml")
    # sheet2 is not listed in the workbook, so it is never parsed
    assert read_table(data, "s.xlsx").name == "notes"


def test_not_a_zip():
    with pytest.raises(TableFileError, match="Excel workbook"):
        read_xlsx(b"just some text", "s.xlsx")


def test_damaged_zip():
    with pytest.raises(TableFileError, match="damaged zip"):
        read_xlsx(b"PK\x03\x04" + b"\x00" * 100, "s.xlsx")


def test_zip_that_is_not_a_workbook():
    with pytest.raises(TableFileError, match="not one"):
        read_xlsx(zip_of({"hello.txt": "hi"}), "s.xlsx")


def test_macro_enabled_workbook_is_refused():
    data = zip_of(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": "<workbook/>",
            "xl/vbaProject.bin": b"\x00" * 10,
        }
    )
    with pytest.raises(TableFileError, match="macro-enabled"):
        read_xlsx(data, "s.xlsm")


def test_a_macro_content_type_is_refused_whatever_the_part_is_called():
    main = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    data = workbook_bytes([["ref"], ["S1"]])
    data = rewrite(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", main
        ),
    )
    assert main.encode() in members(data)["[Content_Types].xml"]
    assert not any("vba" in name.lower() for name in members(data))
    with pytest.raises(TableFileError, match="macro-enabled"):
        read_table(data, "s.xlsx")


def test_excel4_macro_sheets_are_refused():
    data = with_member(workbook_bytes([["ref"]]), "xl/macrosheets/sheet1.xml", "<xm:macrosheet/>")
    with pytest.raises(TableFileError, match="macro-enabled"):
        read_table(data, "s.xlsx")


def test_external_links_are_refused():
    data = with_member(
        workbook_bytes([["ref"]]), "xl/externalLinks/externalLink1.xml", "<externalLink/>"
    )
    with pytest.raises(TableFileError, match="external links"):
        read_table(data, "s.xlsx")


def test_a_document_type_declaration_is_refused():
    data = rewrite(
        workbook_bytes([["ref"], ["S1"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml,
    )
    with pytest.raises(TableFileError, match="document type declaration"):
        read_table(data, "s.xlsx")


def test_zip_bomb_is_refused_before_parsing():
    data = zip_of(
        {"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": b"\x00" * (50 * 2**20)}
    )
    assert len(data) < 200_000
    with pytest.raises(TableFileError, match="zip bomb"):
        read_xlsx(data, "bomb.xlsx")


def test_one_inflating_part_in_a_large_archive_is_refused():
    noise = os.urandom(3 * 2**20)  # incompressible: keeps the whole archive's ratio low
    parts = {
        **members(workbook_bytes([["ref"]])),
        "xl/media/image1.bin": noise,
        "xl/worksheets/sheet9.xml": b"<" * (3 * 2**20),
    }
    data = zip_of(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = [(m.file_size, m.compress_size) for m in archive.infolist()]
    assert sum(f for f, _ in sizes) / sum(c for _, c in sizes) < 10
    with pytest.raises(TableFileError, match="zip bomb"):
        read_table(data, "s.xlsx")


@pytest.mark.parametrize("name", ["old.xls", "locked.xlsx"])
def test_old_binary_or_password_protected_excel_is_refused_with_advice(name):
    with pytest.raises(TableFileError, match=r"save it as \.xlsx"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, name)


def test_csv_with_nul_bytes_is_refused():
    with pytest.raises(TableFileError, match="binary data"):
        read_table(b"ref,legal_name\nS1,Ac\x00me\n", "s.csv")


def test_csv_in_utf16_is_read():
    data = "ref,legal_name\nS1,Acme\n".encode("utf-16")
    assert list(read_table(data, "s.csv").records) == [(2, {"ref": "S1", "legal_name": "Acme"})]
