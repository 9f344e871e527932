"""Supplier lists as people really have them: CSV files in the encodings and with the
separators Excel and other programs write, .ods and .xls workbooks (found by their bytes,
not their names), percentages as typed, long numbers in full, numeric cells marked."""

import io
import os
import shutil
import subprocess

import pytest
from openpyxl import Workbook

from chainproof.domain.tabular import TableFileError
from chainproof.fileformats.tables import read_raw_table, read_table
from tests.xlsx_files import add_cell_xml, workbook_bytes, zip_of

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and os.environ.get("CHAINPROOF_REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice (soffice) is not installed",
)


def converted(tmp_path, data, suffix, target):
    """``data`` saved as ``target`` ("ods", "xls") by LibreOffice, as a person would."""
    source = tmp_path / f"list{suffix}"
    source.write_bytes(data)
    subprocess.run(
        [
            SOFFICE or "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "out" / f"list.{target}").read_bytes()


def supplier_book():
    book = Workbook()
    sheet = book.active
    sheet.title = "Suppliers"
    sheet["A1"] = "Supplier list, March"
    sheet.append([])
    sheet.append(["ref", "legal_name", "share", "since", "duns"])
    sheet.append(["S1", "Société Générale du Textile", 0.12, None, 9.14401016189888e17])
    sheet["C4"].number_format = "0%"
    sheet.append(["S2", "Lotus", 0.125, None, 42])
    sheet["C5"].number_format = "0.0%"
    from datetime import date

    sheet["D4"] = date(2024, 1, 2)
    sheet["D4"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPECTED_ROWS = [
    ["Supplier list, March"],
    [],
    ["ref", "legal_name", "share", "since", "duns"],
    ["S1", "Société Générale du Textile", "12%", "2024-01-02", "914401016189888000"],
    ["S2", "Lotus", "12.5%", "", "42"],
]
EXPECTED_NUMERIC = {(4, 3), (4, 5), (5, 3), (5, 5)}


# --- CSV -------------------------------------------------------------------------------


def test_excel_unicode_text_is_utf16_with_tabs():
    data = "Lieferanten\n\nref\tlegal_name\nS1\tMüller & Söhne\nS2\t杭州纺织\n".encode("utf-16")
    table = read_raw_table(data, "list.txt")
    assert (table.encoding, table.delimiter) == ("UTF-16", "\t")
    assert table.rows == [
        ["Lieferanten"],
        [],
        ["ref", "legal_name"],
        ["S1", "Müller & Söhne"],
        ["S2", "杭州纺织"],
    ]
    assert "columns separated by tabs" in table.notes
    assert table.numeric == set()


def test_windows_1252_with_semicolons_and_title_rows_above_the_header():
    text = (
        "Lieferantenliste Façonnier Ç;;\r\n"
        "Stand: März 2026;;\r\n"
        "\r\n"
        "ref;legal_name;share\r\n"
        "S1;Société Générale;12,5\r\n"
        "S2;Çelik Döküm;7,25\r\n"
        "S3;Bücher, Straße & Co;3\r\n"
    )
    table = read_raw_table(text.encode("cp1252"), "lieferanten.csv")
    assert (table.encoding, table.delimiter) == ("Windows-1252", ";")
    assert table.rows[3:] == [
        ["ref", "legal_name", "share"],
        ["S1", "Société Générale", "12,5"],
        ["S2", "Çelik Döküm", "7,25"],
        ["S3", "Bücher, Straße & Co", "3"],
    ]
    assert table.rows[2] == []
    assert "read as Windows-1252 (guessed: not UTF-8; the bytes make Western European letters)" in (
        table.notes
    )
    assert "columns separated by semicolons" in table.notes
    sheet = read_table(text.encode("cp1252"), "lieferanten.csv")
    assert sheet.header == ["Lieferantenliste Façonnier Ç", "", ""]


def test_gb18030_chinese_names_are_read_as_chinese():
    text = "供应商编号,供应商名称,城市\nS1,杭州万事利丝绸有限公司,杭州\nS2,江苏阳光集团,江阴\nS3,鲁泰纺织股份有限公司,淄博\n"  # noqa: E501
    table = read_raw_table(text.encode("gb18030"), "供应商.csv")
    assert table.encoding == "GB18030"
    assert table.rows[2] == ["S2", "江苏阳光集团", "江阴"]
    assert any(n.startswith("read as GB18030") for n in table.notes)


def test_a_short_western_file_is_not_mistaken_for_chinese():
    data = "ref,name\nS1,Café Crème\nS2,Zürich Übersee\n".encode("cp1252")
    assert read_raw_table(data, "s.csv").rows[1:] == [
        ["S1", "Café Crème"],
        ["S2", "Zürich Übersee"],
    ]


def test_utf8_with_bom_and_exported_apostrophes():
    data = "\ufeffref,legal_name\nS1,'=not a formula\n".encode()
    table = read_raw_table(data, "s.csv")
    assert (table.encoding, table.delimiter, table.notes) == ("UTF-8 with BOM", ",", [])
    assert table.rows == [["ref", "legal_name"], ["S1", "=not a formula"]]


def test_pipes_between_columns_with_commas_in_the_names():
    data = b"Exported 2026-03-01\nref|legal_name|city\nS1|Acme, Inc.|Austin\nS2|Beta, Ltd|Leeds\n"
    table = read_raw_table(data, "s.csv")
    assert table.delimiter == "|"
    assert table.rows[2] == ["S1", "Acme, Inc.", "Austin"]
    assert table.rows[0] == ["Exported 2026-03-01"]
    assert "columns separated by pipes (|)" in table.notes


def test_binary_and_undecodable_files_are_refused_naming_the_byte():
    with pytest.raises(TableFileError, match="binary data"):
        read_raw_table(b"ref,legal_name\nS1,Ac\x00me\n", "s.csv")
    with pytest.raises(TableFileError, match=r"byte 0x81 at offset 15.*save the file as UTF-8"):
        read_raw_table(b"ref,legal_name\n\x81\x30\xff\x81,x\n", "s.csv")


def test_read_table_reads_sniffed_csv_too():
    data = "ref;legal_name\r\nS1;Müller\r\n".encode("cp1252")
    assert list(read_table(data, "s.csv").records) == [(2, {"ref": "S1", "legal_name": "Müller"})]


# --- XLSX ------------------------------------------------------------------------------


def test_xlsx_percentages_long_numbers_and_numeric_marks():
    table = read_raw_table(supplier_book(), "s.xlsx", sheet="suppliers")
    assert table.name == "Suppliers"
    assert table.rows == EXPECTED_ROWS
    assert table.numeric == EXPECTED_NUMERIC
    assert (table.encoding, table.delimiter) == ("", "")


def test_custom_percent_formats_and_quoted_percent_signs():
    data = workbook_bytes([["a", "b", "c"], [0.07, 0.3333, 5]])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    sheet["A2"].number_format = '0.00"pts"%'
    sheet["B2"].number_format = "0.00%"
    sheet["C2"].number_format = '0" %"'  # a quoted % shows the number as it is
    out = io.BytesIO()
    book.save(out)
    table = read_raw_table(out.getvalue(), "s.xlsx")
    assert table.rows[1] == ["7%", "33.33%", "5"]


def test_floating_point_noise_is_not_shown():
    data = add_cell_xml(
        workbook_bytes([["a"]]),
        '<row r="2"><c r="A2"><v>0.30000000000000004</v></c>'
        '<c r="B2"><v>1E-7</v></c><c r="C2"><v>1.5E+20</v></c></row>',
    )
    assert read_raw_table(data, "s.xlsx").rows[1] == ["0.3", "0.0000001", "150000000000000000000"]


def test_xlsx_formula_refused_with_its_cell():
    data = workbook_bytes([["ref", "legal_name"], ["S1", "=1+2"]])
    with pytest.raises(TableFileError) as info:
        read_raw_table(data, "s.xlsx")
    error = info.value.errors[0]
    assert (error.sheet, error.row, error.column, error.found) == ("suppliers", 2, "B", "=1+2")


# --- .ods and .xls ---------------------------------------------------------------------


@needs_soffice
def test_ods_written_by_libreoffice(tmp_path):
    data = converted(tmp_path, supplier_book(), ".xlsx", "ods")
    table = read_raw_table(data, "list.ods")
    assert table.name == "Suppliers"
    assert table.rows == EXPECTED_ROWS
    assert table.numeric == EXPECTED_NUMERIC
    renamed = read_raw_table(data, "list.xlsx")  # an .ods called .xlsx is still an .ods
    assert renamed.rows == EXPECTED_ROWS
    sheet = read_table(data, "list.xlsx")
    assert sheet.header == ["Supplier list, March"]


@needs_soffice
def test_xls_written_by_libreoffice(tmp_path):
    data = converted(tmp_path, supplier_book(), ".xlsx", "xls")
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    table = read_raw_table(data, "list.xls", sheet="SUPPLIERS")
    rows = [list(r) for r in table.rows]
    rows[3][2], rows[4][2] = "12%", "12.5%"  # .xls percent formats are not read
    assert rows == EXPECTED_ROWS
    assert table.numeric == EXPECTED_NUMERIC
    assert any("formula" in note for note in table.notes)
    assert read_raw_table(data, "renamed.csv").rows[2] == EXPECTED_ROWS[2]


@needs_soffice
def test_ods_formula_is_refused_with_its_cell(tmp_path):
    data = converted(tmp_path, workbook_bytes([["ref", "total"], ["S1", "=1+2"]]), ".xlsx", "ods")
    with pytest.raises(TableFileError) as info:
        read_raw_table(data, "list.ods")
    error = info.value.errors[0]
    assert (error.sheet, error.row, error.column, error.found) == ("suppliers", 2, "B", "=1+2")


@needs_soffice
def test_csv_named_xls_converted_from_csv_keeps_row_numbers(tmp_path):
    data = converted(tmp_path, b"\n\nref,name\nS1,Acme\n", ".csv", "ods")
    assert read_raw_table(data, "x.ods").rows == [[], [], ["ref", "name"], ["S1", "Acme"]]


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def ods_of(body, **extra):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
        + ODS_MIMETYPE
        + '"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'  # noqa: E501
        "</manifest:manifest>"
    )
    members = {"mimetype": ODS_MIMETYPE, "content.xml": content}
    return zip_of({**members, "META-INF/manifest.xml": manifest, **extra})


def test_hand_made_ods_with_percentages_booleans_and_repeats():
    cell = '<table:table-cell office:value-type="{}" office:value="{}"><text:p>x</text:p></table:table-cell>'  # noqa: E501
    body = (
        '<table:table table:name="Liste">'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        "<table:table-row>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        + cell.format("percentage", "0.125")
        + '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell>'  # noqa: E501
        + '<table:table-cell office:value-type="string"><text:p>Acme</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )
    table = read_raw_table(ods_of(body), "hand.xlsx")
    assert table.rows == [[], [], ["", "", "12.5%", "true", "Acme"]]
    assert table.numeric == {(3, 3)}


def test_ods_zip_bomb_is_refused_before_calamine_reads_it():
    filler = "<table:table-row/>" * 2_000_000
    data = ods_of(f'<table:table table:name="a">{filler}</table:table>')
    with pytest.raises(TableFileError, match="zip bomb"):
        read_raw_table(data, "bomb.ods")


def test_ods_values_far_apart_are_refused_before_calamine_reads_it():
    body = (
        '<table:table table:name="a"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="400000"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="150"/>'
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    with pytest.raises(TableFileError, match="area of at most") as info:
        read_raw_table(ods_of(body), "far.ods")
    assert "row 400,002" in str(info.value)


def test_ods_rows_beyond_the_bound_are_refused():
    body = (
        '<table:table table:name="a"><table:table-row table:number-rows-repeated="600000">'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )
    with pytest.raises(TableFileError, match="at most 500,000 rows"):
        read_raw_table(ods_of(body), "long.ods")


def test_password_protected_workbook_is_told_from_an_xls():
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(TableFileError, match="password-protected workbook"):
        read_raw_table(ole, "locked.xlsx")
    with pytest.raises(TableFileError, match=r"not a readable workbook.*save it as \.xlsx"):
        read_raw_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.xls")


def test_a_web_page_named_xls_is_refused():
    with pytest.raises(TableFileError, match="web page or XML file"):
        read_raw_table(b"<html><table><tr><td>x</td></tr></table></html>", "export.xls")
