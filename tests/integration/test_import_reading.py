"""Reading a list file as a new user sends it (found by a new-user trial): a formula in one
cell holds back only its row; worker counts written as open ranges ("500+") or as Open
Supply Hub joins them ("1001-5000|1500"); a file with a header and no rows; a PDF or a
picture named .csv; a workbook whose rows are on another sheet. Through ``run_import``
and the ``chainproof import`` command."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from chainproof.common.exports import export_response
from chainproof.domain.values import WORKERS_OPEN
from chainproof.suppliers import exporting
from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.models import Facility, ImportBatch, ImportRow, Supplier

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x.com","x")'


@pytest.fixture
def acme(alice, refdata):
    return alice


def _import(org, entity, data, name="list.csv", **kw):
    return run_import(
        organization=org.organization,
        actor=org.user,
        entity=entity,
        data=data,
        file_name=name,
        **kw,
    )


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached_result(data: bytes, result: str) -> bytes:
    """The workbook with the result Excel would have stored for its (one) formula."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                text = content.decode()
                assert "</f><v></v>" in text
                text = re.sub(r'<c r="([A-Z]+[0-9]+)"><f>', r'<c r="\1" t="str"><f>', text)
                text = text.replace("</f><v></v>", f"</f><v>{result}</v>")
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


SUPPLIERS_WITH_A_FORMULA = [
    ["legal_name", "country", "website"],
    ["Alpha Textiles Ltd", "CN", HYPERLINK],
    ["Beta Garments Ltd", "VN", "https://beta.example"],
    ["Gamma Knit Ltd", "BD", ""],
]


# --- 1. a formula is a problem of its own row, never of the whole file ----------------------


def test_a_formula_holds_back_its_row_and_the_other_rows_import(acme):
    data = workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA})
    report = _import(acme, "suppliers", data, "vendors.xlsx", import_valid=True)
    assert report.created == 2
    assert report.pending == 1
    assert sorted(Supplier.objects.values_list("legal_name", flat=True)) == [
        "Beta Garments Ltd",
        "Gamma Knit Ltd",
    ]
    [problem] = report.problems
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Vendors", 2, "website")
    assert "formula" in problem["expected"]
    assert "type the value" in problem["expected"]
    assert problem["found"].startswith("=HYPERLINK(")
    row = ImportRow.objects.get()
    assert (row.line, row.formulas) == (2, {"3": HYPERLINK})


def test_without_import_valid_a_formula_is_a_row_problem_not_a_file_refusal(acme):
    data = workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA})
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", data, "vendors.xlsx")
    [error] = info.value.errors
    assert (error.sheet, error.row, error.column) == ("Vendors", 2, "website")
    assert info.value.rows_pending  # the command suggests --import-valid
    assert Supplier.objects.count() == 0


def test_a_formula_with_a_stored_result_shows_it_and_is_never_used(acme):
    data = with_cached_result(workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA}), "x")
    report = _import(acme, "suppliers", data, "vendors.xlsx", import_valid=True)
    [problem] = report.problems
    assert problem["found"] == f"{HYPERLINK} (the file's stored result: x)"
    assert not Supplier.objects.filter(legal_name="Alpha Textiles Ltd").exists()


def test_a_formula_in_a_column_left_out_is_no_problem(acme):
    data = workbook({"Vendors": [["legal_name", "country", "Check"], ["Alpha Ltd", "CN", "=1+1"]]})
    report = _import(acme, "suppliers", data, "vendors.xlsx", mapping="Check=ignore")
    assert (report.created, report.pending) == (1, 0)


def test_a_formula_fixed_in_review_imports_its_row(acme):
    from chainproof.suppliers.importing.pending import batch_check, batch_import, row_edit

    data = workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA})
    _import(acme, "suppliers", data, "vendors.xlsx", import_valid=True)
    batch = ImportBatch.objects.get()
    assert batch.sheet == "Vendors"
    row = batch.rows.get(line=2)
    row_edit(row, actor=acme.user, field="website", value="http://x.com")
    report = batch_check(batch)
    assert report.pending == 0
    batch_import(batch, actor=acme.user)
    assert Supplier.objects.get(legal_name="Alpha Textiles Ltd").website == "http://x.com"


def test_macros_still_refuse_the_whole_file(acme):
    data = workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA})
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", out.getvalue(), "vendors.xlsx", import_valid=True)
    assert "macro" in info.value.errors[0].found
    assert not info.value.rows_pending


def test_the_command_line_imports_the_rows_around_a_formula(acme, tmp_path):
    path = tmp_path / "vendors.xlsx"
    path.write_bytes(workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA}))
    out = io.StringIO()
    call_command(
        "import",
        "suppliers",
        str(path),
        "--organization",
        acme.organization.slug,
        "--mapping",
        "auto",
        "--import-valid",
        stdout=out,
    )
    text = out.getvalue()
    assert "created 2" in text
    assert "1 kept pending" in text
    assert "row 2, column website: expected a value typed in, not a formula" in text


# --- 2. worker counts: open ranges, and several values joined with | -----------------------


def test_open_worker_ranges_are_kept_open_shown_and_exported_as_written(acme):
    data = (
        b"name,country,total_workers\n"
        b"Plant A,CN,500+\n"
        b"Plant B,CN,more than 500\n"
        b"Plant C,CN,>500\n"
        b"Plant D,CN,over 500\n"
        b"Plant E,CN,500\n"
        b"Plant F,CN,1001-5000\n"
    )
    report = _import(acme, "facilities", data)
    assert report.created == 6
    plants = {f.name: f for f in Facility.objects.all()}
    for name in "ABCD":
        site = plants[f"Plant {name}"]
        assert (site.total_workers, site.total_workers_max) == (500, WORKERS_OPEN)
        assert site.workers_shown == "500 or more"
    assert (plants["Plant E"].total_workers, plants["Plant E"].total_workers_max) == (500, None)
    assert plants["Plant E"].workers_shown == "500"
    assert plants["Plant F"].workers_shown == "1,001 to 5,000"

    written = {f.name: exporting.workers_written(f) for f in plants.values()}
    assert written["Plant A"] == written["Plant D"] == "500+"
    assert written["Plant E"] == 500
    assert written["Plant F"] == "1001-5000"


def test_an_exported_open_range_imports_back_unchanged(acme):
    _import(acme, "facilities", b"ref,name,country,total_workers\nP1,Plant A,CN,500+\n")
    org_id = acme.organization.pk
    response = export_response(
        "xlsx", "facilities", exporting.headers("facilities"), exporting.ROWS["facilities"](org_id)
    )
    body = response.getvalue()
    book = load_workbook(io.BytesIO(body))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    values = [c.value for c in sheet[2]]
    assert values[header.index("total_workers")] == "500+"
    report = _import(acme, "facilities", body, "export.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_open_supply_hub_workers_joined_with_a_pipe_keep_the_most_specific_and_the_text(acme):
    data = (
        b"name,country,number_of_workers\n"
        b"Plant A,CN,1001-5000|1500\n"
        b"Plant B,CN,1001-5000|5001-10000\n"
        b"Plant C,CN,1500\n"
        b"Plant D,CN,250|300\n"
    )
    report = _import(acme, "facilities", data, import_valid=True)
    assert (report.created, report.pending) == (3, 1)
    [problem] = report.problems
    assert problem["row"] == 5
    assert "250 and 300: type the one that is right" in problem["expected"]
    assert any(
        "2 worker counts gave several values" in n and "nothing is lost" in n for n in report.notes
    )
    plants = {f.name: f for f in Facility.objects.all()}
    assert (plants["Plant A"].total_workers, plants["Plant A"].total_workers_max) == (1500, None)
    assert plants["Plant A"].attributes["Total workers (as written)"] == "1001-5000|1500"
    assert (plants["Plant B"].total_workers, plants["Plant B"].total_workers_max) == (1001, 5000)
    assert plants["Plant B"].attributes["Total workers (as written)"] == "1001-5000|5001-10000"
    assert "Total workers (as written)" not in plants["Plant C"].attributes


# --- 3. a header row and nothing under it --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        ("list.csv", b"legal_name,country\n\n", "the file"),
        ("list.xlsx", workbook({"Vendors": [["legal_name", "country"]]}), "sheet 'Vendors'"),
    ],
)
def test_a_header_without_rows_is_refused_naming_the_sheet(acme, tmp_path, name, data, where):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as info:
        call_command("import", "suppliers", str(path), "--organization", acme.organization.slug)
    assert f"the file has a header row but no rows under it ({where})" in str(info.value)
    assert ImportBatch.objects.count() == 0


# --- 4. a document of another kind named .csv ---------------------------------------------


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"x" * 40, "a PNG image"),
        (b"\xff\xd8\xff\xe0" + b"JFIF" + b"a,b\n" * 10, "a JPEG image"),
        (_docx(), "a Word document (.docx)"),
    ],
)
def test_a_document_named_csv_is_refused_by_its_content(acme, tmp_path, data, what):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as info:
        call_command("import", "suppliers", str(path), "--organization", acme.organization.slug)
    assert f"{what}, not a spreadsheet or CSV file" in str(info.value)
    assert Supplier.objects.count() == 0


# --- 5. the sheet read, the others named, a sheet chosen ----------------------------------

FACTORIES = [["name", "country"]] + [[f"Factory {n}", "CN"] for n in range(1, 120)]


def test_an_empty_first_sheet_reads_the_sheet_with_rows(acme):
    data = workbook({"Sheet1": [], "Factories": FACTORIES})
    report = _import(acme, "facilities", data, "sites.xlsx")
    assert report.created == 119
    assert "read the sheet 'Factories'" in report.notes


def test_other_sheets_with_rows_are_named_and_one_can_be_chosen(acme, tmp_path):
    data = workbook(
        {
            "Overview": [["name", "country"], ["Head office", "DE"]],
            "Factories": FACTORIES,
            "Empty": [],
        }
    )
    path = tmp_path / "sites.xlsx"
    path.write_bytes(data)
    slug = acme.organization.slug
    out = io.StringIO()
    call_command("import", "facilities", str(path), "--organization", slug, stdout=out)
    text = out.getvalue()
    assert "Read the sheet 'Overview'." in text
    assert "Sheet 'Factories' also has 120 rows and was not read." in text
    assert "Empty" not in text
    assert Facility.objects.count() == 1

    out = io.StringIO()
    call_command(
        "import",
        "facilities",
        str(path),
        "--organization",
        slug,
        "--sheet",
        "factories",
        stdout=out,
    )
    text = out.getvalue()
    assert "Read the sheet 'Factories'." in text
    assert "Sheet 'Overview' also has 2 rows and was not read." in text
    assert Facility.objects.count() == 120

    with pytest.raises(CommandError) as info:
        call_command("import", "facilities", str(path), "--organization", slug, "--sheet", "Nope")
    assert "expected a sheet of the workbook ('Overview', 'Factories', 'Empty')" in str(info.value)


def test_a_sheet_named_after_the_list_is_still_preferred(acme):
    data = workbook(
        {"Notes": [["Read me"]], "facilities": [["name", "country"], ["Plant A", "CN"]]}
    )
    report = _import(acme, "facilities", data, "template.xlsx")
    assert report.created == 1
    assert "sheet 'Notes' also has 1 row and was not read" in report.notes


def _libreoffice(tmp_path, source, kind: str):
    import shutil
    import subprocess

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / kind
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            kind,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / f"{source.stem}.{kind}").read_bytes()


def test_files_saved_by_libreoffice_sheets_and_formulas_with_their_results(acme, tmp_path):
    """LibreOffice stores each formula's result: the row is held back all the same, the
    result shown beside the formula; in .xlsx and .ods alike. An empty first sheet is
    passed over for the sheet with rows."""
    source = tmp_path / "sites.xlsx"
    rows = [["name", "country", "total_workers"], ["Plant A", "CN", "=200+300"]]
    rows += [[f"Plant {n}", "CN", "500+"] for n in "BC"]
    source.write_bytes(workbook({"Sheet1": [], "Factories": rows}))
    for kind in ("xlsx", "ods"):
        data = _libreoffice(tmp_path, source, kind)
        report = _import(acme, "facilities", data, f"sites.{kind}", import_valid=True, dry_run=True)
        assert (report.created, report.pending) == (2, 1), kind
        assert "read the sheet 'Factories'" in report.notes
        [problem] = report.problems
        assert (problem["sheet"], problem["row"], problem["column"]) == (
            "Factories",
            2,
            "total_workers",
        )
        assert problem["found"] == "=200+300 (the file's stored result: 500)", kind


def test_a_number_typed_in_the_form_replaces_an_open_range_and_the_same_number_keeps_it(acme):
    from django.db import transaction

    from chainproof.suppliers.services import facility_save

    _import(acme, "facilities", b"name,country,total_workers\nPlant A,CN,500+\n")
    site = Facility.objects.get()
    with transaction.atomic():
        facility_save(
            organization=acme.organization,
            actor=acme.user,
            data={"name": "Plant A", "country": "CN", "total_workers": 500, "migrant_workers": 700},
            facility=site,
        )
    site.refresh_from_db()
    assert (site.workers_shown, site.migrant_workers) == ("500 or more", 700)
    with transaction.atomic():
        facility_save(
            organization=acme.organization,
            actor=acme.user,
            data={"name": "Plant A", "country": "CN", "total_workers": 800},
            facility=site,
        )
    site.refresh_from_db()
    assert (site.total_workers, site.total_workers_max, site.workers_shown) == (800, None, "800")
