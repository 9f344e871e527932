"""The questionnaire workbook sent back as LibreOffice's .ods or old Excel's .xls: built by
chainproof, filled, typed into and saved by a real headless LibreOffice, then uploaded
through the supplier portal over HTTP (CSRF enforced). The format is found from the bytes:
an .ods file named .xlsx is read as .ods."""

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from chainproof.fileformats.calamine_tables import is_ods
from chainproof.questionnaires.models import Attachment, QuestionnaireRequest
from tests.http.test_questionnaire_flow import _supplier_client, _upload, campaign  # noqa: F401
from tests.libreoffice import LibreOffice, convert_with_libreoffice, require_libreoffice
from tests.questionnaire_helpers import TYPED, fill, strt

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    require_libreoffice()
    with LibreOffice(tmp_path_factory.mktemp("libreoffice")) as running:
        yield running


def _portal(campaign):  # noqa: F811
    _, suppliers = campaign
    message = next(m for m in mail.outbox if m.to == [suppliers[0].contact_email])
    qr = QuestionnaireRequest.objects.get(supplier=suppliers[0])
    supplier, portal_url = _supplier_client(message)
    return qr, supplier, portal_url


def _saved_by_libreoffice(office, tmp_path, workbook, typed, cells, save_as):
    """The workbook filled with `typed` (openpyxl), then `cells` typed in LibreOffice as a
    person types them (saved as .xlsx), then converted by LibreOffice to `save_as`."""
    _, layout = strt()
    template = tmp_path / "filled.xlsx"
    template.write_bytes(fill(workbook, layout, typed))
    typed_in = office.fill(template, cells, tmp_path / "typed.xlsx")
    return convert_with_libreoffice(typed_in, save_as, tmp_path).read_bytes()


def _cell(question):
    _, layout = strt()
    ref = layout.cells[question]
    return ref.sheet, f"{ref.column}{ref.row}"


@pytest.mark.parametrize(
    ("save_as", "file_name", "typed_share", "content_type"),
    [
        ("ods", "lotus.ods", "12.5%", "application/vnd.oasis.opendocument.spreadsheet"),
        ("ods", "renamed.xlsx", "12.5%", "application/vnd.oasis.opendocument.spreadsheet"),
        ("xls", "lotus.xls", "12.5", "application/vnd.ms-excel"),
    ],
)
def test_a_workbook_saved_by_libreoffice_is_read_and_submitted(
    office,
    tmp_path,
    campaign,  # noqa: F811
    save_as,
    file_name,
    typed_share,
    content_type,
):
    qr, supplier, portal_url = _portal(campaign)
    page = supplier.get(portal_url).content.decode()
    assert 'accept=".xlsx,.ods,.xls,' in page
    workbook = supplier.get(f"/portal/requests/{qr.pk}/workbook.xlsx").content
    typed = {k: v for k, v in TYPED.items() if k not in ("overtime_share", "company_identifier")}
    cells = {_cell("overtime_share"): typed_share, _cell("company_identifier"): "0101234567"}
    data = _saved_by_libreoffice(office, tmp_path, workbook, typed, cells, save_as)
    if save_as == "ods":
        assert data.startswith(XLSX_MAGIC)
        assert is_ods(data)
    else:
        assert data.startswith(OLE_MAGIC)

    response = supplier.submit(portal_url, {"action": "workbook", "file": _upload(data, file_name)})
    assert response.status_code == 302, response.content.decode()[:3000]
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.source == "workbook"
    assert qr.answers["overtime_share"] == 12.5  # the .ods percentage read as 12.5%, not 0.125
    assert qr.answers["company_identifier"] == "0101234567"  # the text cell kept its zero
    assert qr.answers["grievances_last_year"] == 14
    assert qr.answers["signed_on"] == "2026-11-02"
    assert qr.answers["worksites"][0]["name"] == TYPED["worksites"][0]["name"]
    assert qr.answers["source_countries"] == ["US", "IN", "UZ"]
    kept = Attachment.objects.get(request=qr, kind="workbook")
    assert kept.file_name == file_name
    assert kept.content_type == content_type
    assert kept.size == len(data)


def test_a_formula_typed_into_an_answer_of_an_ods_workbook_is_refused_with_its_cell(
    office,
    tmp_path,
    campaign,  # noqa: F811
):
    qr, supplier, portal_url = _portal(campaign)
    workbook = supplier.get(f"/portal/requests/{qr.pk}/workbook.xlsx").content
    typed = {k: v for k, v in TYPED.items() if k != "grievances_last_year"}
    sheet, address = _cell("grievances_last_year")
    data = _saved_by_libreoffice(
        office, tmp_path, workbook, typed, {(sheet, address): "=10+4"}, "ods"
    )
    response = supplier.submit(
        portal_url, {"action": "workbook", "file": _upload(data, "lotus.ods")}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"lotus.ods {sheet}!{address}: expected a value typed in (formulas are not" in body
    assert not Attachment.objects.filter(request=qr).exists()
    qr.refresh_from_db()
    assert qr.status == "opened"
    assert "grievances_last_year" not in qr.answers


def test_a_file_that_is_no_workbook_is_refused_whatever_its_name(campaign):  # noqa: F811
    qr, supplier, portal_url = _portal(campaign)
    response = supplier.submit(
        portal_url,
        {"action": "workbook", "file": _upload(b"company_name,Lotus\n", "answers.ods")},
    )
    assert response.status_code == 400
    assert (
        "answers.ods: expected a workbook (.xlsx, .ods or .xls), found another kind of file"
        in response.content.decode()
    )
    assert not Attachment.objects.filter(request=qr).exists()


def test_the_hidden_sheet_survives_libreoffice(office, tmp_path, campaign):  # noqa: F811
    """The control: LibreOffice's .ods keeps the identification sheet the reader needs,
    hidden (an .ods sheet is hidden or not: Excel's 'very hidden' becomes hidden)."""
    qr, supplier, _ = _portal(campaign)
    workbook = supplier.get(f"/portal/requests/{qr.pk}/workbook.xlsx").content
    assert load_workbook(io.BytesIO(workbook))["_chainproof"].sheet_state == "veryHidden"
    data = _saved_by_libreoffice(office, tmp_path, workbook, {}, {}, "ods")
    from chainproof.fileformats.questionnaire_workbook import open_workbook, read_meta

    with open_workbook(data, "x.ods") as opened:
        meta = read_meta(opened)
    assert meta["request"] == qr.reference
    assert meta["questionnaire"] == "chainproof-strt"
