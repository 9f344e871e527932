"""The web import reading a file as a new user sends it: a header with no rows and a PDF
named .csv are refused at upload; a workbook's sheet is named, the other sheets with rows
too, and another can be chosen; a formula holds back only its row, fixed in the browser;
an open worker range is shown as "500 or more"."""

from __future__ import annotations

import html
import io
import re

import pytest

from chainproof.audit.models import AuditEvent
from chainproof.blobs.configured import blob_store
from chainproof.suppliers.models import Facility, ImportBatch, ImportRow, Supplier
from tests.csrf_client import csrf_token_from
from tests.integration.test_import_reading import (
    FACTORIES,
    HYPERLINK,
    SUPPLIERS_WITH_A_FORMULA,
    workbook,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice, refdata):
    return alice


def _upload(client, content: bytes, name: str, entity="suppliers", **extra):
    upload = io.BytesIO(content)
    upload.name = name
    return client.submit("/suppliers/import/", {"entity": entity, "file": upload, **extra})


def _post(client, url: str, data: dict) -> object:
    page = client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token_from(page)})


def _confirm(client, batch: ImportBatch) -> object:
    url = f"/suppliers/imports/{batch.pk}/"
    page = client.get(url).content.decode()
    data = {}
    for index, header in enumerate(batch.header):
        match = re.search(
            rf'<select name="column-{index}".*?<option value="([^"]+)" selected', page, re.S
        )
        if header:
            data[f"column-{index}"] = match.group(1)
    return _post(client, url, data)


def test_a_header_without_rows_is_refused_at_upload(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(
        csrf_client, workbook({"Vendors": [["legal_name", "country"]]}), "vendors.xlsx"
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "could not be read; nothing was kept" in page
    assert "the file has a header row but no rows under it (sheet 'Vendors')" in page
    assert ImportBatch.objects.count() == 0


def test_a_pdf_named_csv_is_refused_at_upload_by_its_content(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(csrf_client, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "suppliers.csv")
    page = html.unescape(response.content.decode())
    assert "a PDF document, not a spreadsheet or CSV file" in page
    assert ImportBatch.objects.count() == 0


def test_the_sheet_read_is_named_and_another_sheet_can_be_chosen(csrf_client, member):
    csrf_client.sign_in(member)
    data = workbook(
        {"Overview": [["name", "country"], ["Head office", "DE"]], "Factories": FACTORIES}
    )
    response = _upload(csrf_client, data, "sites.xlsx", entity="facilities")
    assert response.status_code == 302
    first = ImportBatch.objects.get()
    assert (first.sheet, first.rows.count()) == ("Overview", 1)
    page = html.unescape(csrf_client.get(response["Location"]).content.decode())
    assert 'of the sheet <strong id="sheet-read">Overview</strong>' in page
    assert "Sheet 'Factories' also has 120 rows and was not read" in page
    assert '<option value="Factories">Factories</option>' in page

    assert 'name="action" value="sheet"' in page
    assert 'type="file"' not in page.split('id="choose-sheet"')[1].split("</form>")[0]

    # the form on the mapping page: the other sheet, read from the file already sent
    url = response["Location"]
    refused = csrf_client.post(url, {"action": "sheet", "sheet": "Factories"})
    assert refused.status_code == 403  # without the CSRF token
    chosen = _post(csrf_client, url, {"action": "sheet", "sheet": "Factories"})
    assert chosen.status_code == 302
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert chosen["Location"] == f"/suppliers/imports/{second.pk}/"
    assert (second.sheet, second.rows.count(), second.sha256) == ("Factories", 119, first.sha256)
    assert [name for name, _ in second.other_sheets] == ["Overview"]
    event = AuditEvent.objects.get(action="import.sheet_chosen")
    assert event.actor == member.user
    assert event.before == {"upload": first.pk, "sheet": "Overview"}
    assert event.after == {"upload": second.pk, "sheet": "Factories", "rows": 119}
    assert (first.sheet, first.rows.count()) == ("Overview", 1)  # the first upload as it was
    assert _confirm(csrf_client, second).status_code == 302
    _post(csrf_client, f"/suppliers/imports/{second.pk}/", {"action": "import"})
    assert Facility.objects.count() == 119


def test_a_sheet_switch_names_the_problem_when_the_sheet_or_the_file_is_not_there(
    csrf_client, member
):
    csrf_client.sign_in(member)
    data = workbook(
        {"Overview": [["name", "country"], ["Head office", "DE"]], "Factories": FACTORIES}
    )
    url = _upload(csrf_client, data, "sites.xlsx", entity="facilities")["Location"]
    batch = ImportBatch.objects.get()
    wrong = _post(csrf_client, url, {"action": "sheet", "sheet": "Nowhere"})
    assert wrong.status_code == 400
    assert (
        "Expected one of the other sheets with rows (Factories), found 'Nowhere'"
        in html.unescape(wrong.content.decode())
    )
    blob_store().delete(batch.sha256)  # an upload from before files were kept
    page = html.unescape(csrf_client.get(url).content.decode())
    assert 'type="file" name="file" id="other-sheet-file"' in page  # chosen once more
    gone = _post(csrf_client, url, {"action": "sheet", "sheet": "Factories"})
    assert gone.status_code == 400
    assert (
        "Expected the file kept with this upload (it is not kept: upload it again"
        in html.unescape(gone.content.decode())
    )
    assert ImportBatch.objects.count() == 1
    assert not AuditEvent.objects.filter(action="import.sheet_chosen").exists()


def test_a_sheet_the_workbook_does_not_have_is_refused_with_the_sheets_it_has(csrf_client, member):
    csrf_client.sign_in(member)
    data = workbook({"Overview": [["name", "country"], ["Head office", "DE"]]})
    response = _upload(csrf_client, data, "sites.xlsx", entity="facilities", sheet="Sites")
    page = html.unescape(response.content.decode())
    assert "a sheet of the workbook ('Overview')" in page
    assert ImportBatch.objects.count() == 0


def test_a_formula_reaches_review_as_a_problem_of_its_row_and_is_fixed_there(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(csrf_client, workbook({"Vendors": SUPPLIERS_WITH_A_FORMULA}), "v.xlsx")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert _confirm(csrf_client, batch).status_code == 302
    page = html.unescape(csrf_client.get(f"/suppliers/imports/{batch.pk}/").content.decode())
    assert "not a formula" in page
    assert HYPERLINK in page
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert Supplier.objects.count() == 2
    assert ImportRow.objects.get(line=2).state == ImportRow.State.PENDING

    _post(
        csrf_client,
        f"/suppliers/imports/{batch.pk}/",
        {"action": "edit", "row": "2", "field-website": "http://x.com"},
    )
    assert ImportRow.objects.get(line=2).problems == []
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert Supplier.objects.get(legal_name="Alpha Textiles Ltd").website == "http://x.com"


def test_an_open_worker_range_is_shown_as_500_or_more(csrf_client, member):
    from chainproof.suppliers.importing import run_import

    run_import(
        organization=member.organization,
        actor=member.user,
        entity="facilities",
        data=b"name,country,total_workers\nPlant A,CN,500+\n",
        file_name="sites.csv",
    )
    csrf_client.sign_in(member)
    site = Facility.objects.get()
    page = csrf_client.get(f"/suppliers/facilities/{site.pk}/").content.decode()
    assert '<dd id="total-workers">500 or more</dd>' in page
    listing = csrf_client.get("/suppliers/facilities/").content.decode()
    assert "500 or more" in listing
    api = csrf_client.api("get", f"/api/v1/facilities/{site.pk}")
    assert api.json()["workers_shown"] == "500 or more"
