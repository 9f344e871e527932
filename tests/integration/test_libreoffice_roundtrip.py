"""Identifiers survive a spreadsheet: templates, the questionnaire workbook and exports are
filled and re-saved by a real LibreOffice (headless), typing as a person does, then read
back by openpyxl and by chainproof's own readers. Each check has its control: the same
typing into an unformatted cell, or the same CSV read without "Quoted field as text",
loses the zeros and digits, so these tests fail when the formatting is gone."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from chainproof.common.exports import export_response
from chainproof.fileformats.questionnaire_workbook import open_workbook, read_answers
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from chainproof.fileformats.tables import read_table
from chainproof.suppliers import exporting
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import SupplierIdentifier
from tests.libreoffice import LibreOffice, require_libreoffice
from tests.questionnaire_helpers import countries, strt

DUNS = "012345678"
USCC = "914401016189887001"  # a valid code (its check character is 1), all digits
TAX_ID = "0680046789"
POSTAL = "03550"
HTS = "6109.10"

SUPPLIER = {
    "ref": "00417",
    "legal_name": "Lotus Garment Co., Ltd.",
    "country": "VN",
    "duns": DUNS,
    "uscc": USCC,
    "tax_id": TAX_ID,
}
FACILITY = {"ref": "0042", "name": "Lotus Hanoi Sewing", "country": "VN", "postal_code": POSTAL}
PRODUCT = {"sku": "000123", "name": "Cotton tee", "hts_code": HTS}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    require_libreoffice()
    with LibreOffice(tmp_path_factory.mktemp("libreoffice")) as running:
        yield running


def _cells(entity, sheet, values, row=2):
    headers = exporting.headers(entity)
    return {
        (sheet, f"{get_column_letter(headers.index(name) + 1)}{row}"): text
        for name, text in values.items()
    }


def _typed_into(office, tmp_path, entity, data, values, sheet=None):
    template = tmp_path / f"{entity}-template.xlsx"
    template.write_bytes(data)
    out = tmp_path / f"{entity}-filled.xlsx"
    office.fill(template, _cells(entity, sheet or entity, values), out)
    return out.read_bytes()


def _row(data, entity, sheet=None):
    """Row 2 of the filled sheet: (openpyxl value, cell type) per column name."""
    ws = load_workbook(io.BytesIO(data))[sheet or entity]
    return {
        name: (ws.cell(row=2, column=index).value, ws.cell(row=2, column=index).data_type)
        for index, name in enumerate(exporting.headers(entity), start=1)
    }


@pytest.mark.parametrize(
    ("entity", "values"),
    [("suppliers", SUPPLIER), ("facilities", FACILITY), ("products", PRODUCT)],
)
def test_identifiers_typed_into_a_template_stay_text(office, tmp_path, entity, values):
    data = _typed_into(office, tmp_path, entity, exporting.template_workbook(entity), values)
    row = _row(data, entity)
    for name, typed in values.items():
        assert row[name] == (typed, "s"), f"{entity} column {name}: typed {typed!r}"
    table = read_table(data, f"{entity}.xlsx", sheet=entity)
    (row_number, read), *_ = list(table.records)
    assert row_number == 2
    assert {name: read[name] for name in values} == values


def test_the_control_typing_into_an_unformatted_workbook_loses_the_identifiers(office, tmp_path):
    """The same typing into General cells: what the templates prevent really happens."""
    losses = {}
    for entity, values in (("suppliers", SUPPLIER), ("facilities", FACILITY)):
        book = Workbook()
        book.active.title = entity
        book.active.append(exporting.headers(entity))
        buffer = io.BytesIO()
        book.save(buffer)
        data = _typed_into(office, tmp_path, entity, buffer.getvalue(), values)
        losses.update({(entity, name): _row(data, entity)[name] for name in values})
    assert losses["suppliers", "duns"] == (12345678, "n")
    assert losses["suppliers", "tax_id"] == (680046789, "n")
    assert losses["suppliers", "ref"] == (417, "n")
    assert losses["facilities", "postal_code"] == (3550, "n")
    assert losses["facilities", "ref"] == (42, "n")
    uscc, kind = losses["suppliers", "uscc"]
    assert kind == "n"
    assert str(uscc) != USCC  # 18 digits are more than a number holds


def test_a_template_filled_in_libreoffice_imports_the_identifiers_unchanged(
    office, tmp_path, alice, refdata
):
    data = _typed_into(
        office, tmp_path, "suppliers", exporting.template_workbook("suppliers"), SUPPLIER
    )
    report = run_import(
        organization=alice.organization,
        actor=alice.user,
        entity="suppliers",
        data=data,
        file_name="suppliers.xlsx",
    )
    assert report.created == 1
    stored = dict(
        SupplierIdentifier.objects.filter(organization=alice.organization).values_list(
            "scheme", "value"
        )
    )
    assert stored == {"duns": DUNS, "uscc": USCC, "tax_id": TAX_ID}


def _suppliers_export(fmt, alice):
    run_import(
        organization=alice.organization,
        actor=alice.user,
        entity="suppliers",
        data=_csv(exporting.headers("suppliers"), [SUPPLIER]),
        file_name="suppliers.csv",
    )
    return export_response(
        fmt,
        "suppliers",
        exporting.headers("suppliers"),
        exporting.supplier_rows(alice.organization.pk),
    ).getvalue()


def _csv(headers, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_an_xlsx_export_resaved_and_extended_in_libreoffice_keeps_identifiers(
    office, tmp_path, alice, refdata
):
    export = _suppliers_export("xlsx", alice)
    typed_below = {**SUPPLIER, "ref": "00418", "duns": "001234567", "legal_name": "Second"}
    sheet = load_workbook(io.BytesIO(export)).active.title
    source = tmp_path / "export.xlsx"
    source.write_bytes(export)
    out = tmp_path / "export-resaved.xlsx"
    office.fill(source, _cells("suppliers", sheet, typed_below, row=3), out)
    data = out.read_bytes()
    ws = load_workbook(io.BytesIO(data))[sheet]
    headers = exporting.headers("suppliers")
    for row, values in ((2, SUPPLIER), (3, typed_below)):
        for name in ("ref", "duns", "uscc", "tax_id"):
            cell = ws.cell(row=row, column=headers.index(name) + 1)
            assert (cell.value, cell.data_type) == (values[name], "s"), (row, name)


@pytest.mark.parametrize("quoted_as_text", [True, False])
def test_a_csv_export_resaved_by_libreoffice(office, tmp_path, alice, refdata, quoted_as_text):
    """With "Quoted field as text" the quoted identifiers come back unchanged; without it
    (the control) LibreOffice turns them into numbers."""
    export = tmp_path / "suppliers.csv"
    export.write_bytes(_suppliers_export("csv", alice))
    out = tmp_path / "suppliers-resaved.csv"
    office.resave_csv(export, out, quoted_as_text=quoted_as_text)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 1
    got = {name: rows[0][name] for name in ("ref", "duns", "uscc", "tax_id")}
    wanted = {name: SUPPLIER[name] for name in got}
    if quoted_as_text:
        assert got == wanted
    else:
        assert got["duns"] == "12345678"
        assert got["tax_id"] == "680046789"
        assert got["ref"] == "417"


def test_the_questionnaire_identification_answers_stay_text(office, tmp_path):
    questionnaire, layout = strt()
    built = build_workbook(questionnaire, layout, countries=countries(), meta={"request": "R1"})
    ident = layout.cells["company_identifier"]
    typed = {(ident.sheet, f"{ident.column}{ident.row}"): USCC}

    def fill(data, name):
        source = tmp_path / f"{name}.xlsx"
        source.write_bytes(data)
        out = tmp_path / f"{name}-filled.xlsx"
        office.fill(source, typed, out)
        filled = out.read_bytes()
        cell = load_workbook(io.BytesIO(filled))[ident.sheet][f"{ident.column}{ident.row}"]
        raw = read_answers(open_workbook(filled, f"{name}.xlsx"), layout).raw
        return cell.data_type, raw.get("company_identifier")

    assert fill(built, "questionnaire") == ("s", USCC)
    # The control: the same workbook with that cell's format back to General.
    book = load_workbook(io.BytesIO(built))
    book[ident.sheet][f"{ident.column}{ident.row}"].number_format = "General"
    general = io.BytesIO()
    book.save(general)
    kind, raw = fill(general.getvalue(), "questionnaire-general")
    assert kind == "n"
    assert raw != USCC


# --- the files as written (no LibreOffice needed) -------------------------------------------


def test_every_template_formats_its_identifier_columns_as_text_and_no_other():
    from chainproof.common.exports import is_identifier_column
    from chainproof.domain.supply_columns import COLUMN_SETS

    formatted = set()
    for entity in COLUMN_SETS:
        ws = load_workbook(io.BytesIO(exporting.template_workbook(entity)))[entity]
        for index, name in enumerate(exporting.headers(entity), start=1):
            text = ws.column_dimensions[get_column_letter(index)].number_format == "@"
            assert text == is_identifier_column(name), (entity, name)
            if text:
                formatted.add(name)
    assert {"duns", "lei", "uscc", "tax_id", "other_id", "postal_code", "hts_code"} <= formatted


def test_a_csv_export_quotes_the_identifier_fields_only():
    response = export_response(
        "csv",
        "production-units",
        ["Worksite (full name)", "Postal code", "Number of workers", "duns"],
        [["Lotus, Hanoi", POSTAL, 120, ""]],
    )
    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert lines == [
        "Worksite (full name),Postal code,Number of workers,duns",
        f'"Lotus, Hanoi","{POSTAL}",120,""',
    ]
    assert list(csv.reader(lines))[1] == ["Lotus, Hanoi", POSTAL, "120", ""]


def test_an_xlsx_export_writes_identifiers_as_text_cells():
    response = export_response("xlsx", "units", ["name", "postal_code"], [["Lotus", POSTAL]])
    ws = load_workbook(io.BytesIO(response.getvalue())).active
    assert ws.column_dimensions["B"].number_format == "@"
    assert ws.column_dimensions["A"].number_format == "General"
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].number_format) == (POSTAL, "s", "@")


def test_without_libreoffice_the_tests_skip_unless_it_is_required(monkeypatch):
    from tests import libreoffice

    monkeypatch.setattr(libreoffice, "SOFFICE", "chainproof-no-such-soffice")
    monkeypatch.delenv("CHAINPROOF_REQUIRE_LIBREOFFICE", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        libreoffice.require_libreoffice()
    monkeypatch.setenv("CHAINPROOF_REQUIRE_LIBREOFFICE", "1")
    with pytest.raises(pytest.fail.Exception, match="CHAINPROOF_REQUIRE_LIBREOFFICE=1"):
        libreoffice.require_libreoffice()
