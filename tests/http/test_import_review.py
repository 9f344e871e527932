"""The web import with a review step: upload, confirm the columns, review the rows, import
the ready ones, fix the rest; access by organization and role; the rows-with-problems file."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from chainproof.suppliers.models import ImportBatch, ImportRow, Supplier
from tests.csrf_client import csrf_refused, csrf_token_from

pytestmark = pytest.mark.django_db

# A list as a purchasing department keeps it: a title row, semicolons, German headers, a
# column chainproof has no field for (Sector: kept as an attribute), one it leaves out (Ort).
MESSY = (
    b"Lieferantenliste Einkauf 2024;;;;;\n"
    b";;;;;\n"
    b"Lieferant;Firmenname;Land;DUNS;Sector;Ort\n"
    b"K-001;Shenzhen Bright Textiles Co., Ltd.;CN;012345678;Textiles;Shenzhen\n"
    b"K-002;Hanoi Garment JSC;VN;;Apparel;Hanoi\n"
    b"K-003;Nowhere Trading;XX;;Apparel;Nowhere\n"
    b"K-004;Dhaka Knit Ltd;BD;;Knit;Dhaka\n"
    b"K-005;DHAKA KNIT LIMITED;BD;;;Dhaka\n"
    b"K-006;Lahore Cotton Mills;PK;;Cotton;Lahore\n"
    b"K-007;Lahore Cotton Mills Ltd.;PK;;;Lahore\n"
)


def _upload(client, content: bytes, name: str = "lieferanten.csv", entity="suppliers", **extra):
    upload = io.BytesIO(content)
    upload.name = name
    return client.submit("/suppliers/import/", {"entity": entity, "file": upload, **extra})


def _post(client, url: str, data: dict) -> object:
    page = client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf_token_from(page)})


def _confirm(client, batch: ImportBatch, **extra) -> object:
    """Send the mapping page back as shown (its preselected options)."""
    url = f"/suppliers/imports/{batch.pk}/"
    page = client.get(url).content.decode()
    data = {}
    for index, header in enumerate(batch.header):
        match = re.search(
            rf'<select name="column-{index}".*?<option value="([^"]+)" selected', page, re.S
        )
        if header:
            data[f"column-{index}"] = match.group(1)
    data.update(extra)
    return _post(client, url, data)


@pytest.fixture
def member(alice, refdata):
    return alice


def test_the_whole_flow_upload_map_review_import_fix_import(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(csrf_client, MESSY)
    assert response.status_code == 302
    batch = ImportBatch.objects.get(organization=member.organization)
    assert response["Location"] == f"/suppliers/imports/{batch.pk}/"
    assert batch.status == "mapping"
    assert Supplier.objects.filter(organization=member.organization).count() == 0

    page = csrf_client.get(response["Location"]).content.decode()
    assert "Step 1 of 2" in page
    assert "the header is row 3" in page.lower()  # what reading guessed, in words
    assert "day.month.year (08.11.2024 = 8 November)" in page
    for header, target in [
        ("Firmenname", "legal_name"),
        ("Land", "country"),
        ("Lieferant", "ref"),
        ("DUNS", "duns"),
        ("Sector", "attribute"),
        ("Ort", "ignore"),
    ]:
        index = batch.header.index(header)
        assert re.search(
            rf'name="column-{index}".*?<option value="{target}" selected', page, re.S
        ), header
    assert "<code>K-001</code>" in page  # sample values

    assert _confirm(csrf_client, batch, save_as="Einkauf list").status_code == 302
    batch.refresh_from_db()
    assert batch.status == "review"
    review = csrf_client.get(f"/suppliers/imports/{batch.pk}/").content.decode()
    # 7 rows: 1 bad (country XX), 2 merged into an earlier row, 4 ready to create.
    assert "Ready to import</dt><dd>4 (4 to create, 0 to update, 0 unchanged)" in review
    assert "To merge into a duplicate</dt><dd>2" in review
    assert "Pending (needs you)</dt><dd>1 row: 1 with a problem to fix" in review
    assert "Import the 4 ready rows" in review
    assert 'id="row-6"' in review  # the bad row, by its row number in the file
    assert "Land: expected" in review  # the problem in the file's own column
    assert "Kept as custom attributes</dt><dd>Sector" in review
    assert "Left out</dt><dd>Ort" in review

    done = _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert done.status_code == 302
    after = csrf_client.get(done["Location"]).content.decode()
    expected = "Imported: 4 created, 0 updated; 2 merged into a duplicate; 1 row stays pending."
    assert expected in after
    names = set(
        Supplier.objects.filter(organization=member.organization).values_list(
            "legal_name", flat=True
        )
    )
    assert names == {
        "Shenzhen Bright Textiles Co., Ltd.",
        "Hanoi Garment JSC",
        "Dhaka Knit Ltd",
        "Lahore Cotton Mills",
    }
    shenzhen = Supplier.objects.get(legal_name__startswith="Shenzhen")
    assert shenzhen.attributes == {"Sector": "Textiles"}
    assert ImportRow.objects.get(batch=batch, line=6).state == "pending"

    # fix the bad row's cell, then import again
    fixed = _post(
        csrf_client,
        f"/suppliers/imports/{batch.pk}/",
        {"action": "edit", "row": "6", "field-country": "DE"},
    )
    assert fixed.status_code == 302
    review = csrf_client.get(f"/suppliers/imports/{batch.pk}/").content.decode()
    assert "Import the 1 ready row" in review
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert Supplier.objects.get(legal_name="Nowhere Trading").country == "DE"
    batch.refresh_from_db()
    assert batch.status == "done"
    index = csrf_client.get("/suppliers/imports/").content.decode()
    assert "lieferanten.csv" in index
    assert "Imported" in index


def test_a_file_that_cannot_be_read_shows_the_problems_and_keeps_nothing(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(csrf_client, b"PK\x03\x04 not really a workbook", name="broken.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be read; nothing was kept" in page
    assert "Expected" in page
    assert not ImportBatch.objects.exists()


def test_wrong_upload_types_are_refused_by_the_form(csrf_client, member):
    csrf_client.sign_in(member)
    response = _upload(csrf_client, b"a,b\n", name="list.txt")
    assert "Expected a .csv, .xlsx, .ods or .xls file, found &#x27;list.txt&#x27;." in (
        response.content.decode()
    )
    assert not ImportBatch.objects.exists()


def test_a_mapping_without_a_required_field_is_refused_in_words(csrf_client, member):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    index = batch.header.index("Firmenname")
    response = _confirm(csrf_client, batch, **{f"column-{index}": "ignore"})
    assert response.status_code == 400
    assert "No column is mapped to Legal name (needed)" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "mapping"


def test_another_organization_gets_404_and_a_reader_cannot_act(csrf_client, member, victor, bob):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    url = f"/suppliers/imports/{batch.pk}/"

    csrf_client.sign_in(bob)
    assert csrf_client.get(url).status_code == 404
    assert csrf_client.get(f"{url}problems.xlsx").status_code == 404
    assert _post(csrf_client, "/suppliers/imports/", {}).status_code in (200, 405)
    token = csrf_token_from(csrf_client.get("/suppliers/"))
    refused = csrf_client.post(url, {"action": "import", "csrfmiddlewaretoken": token})
    assert refused.status_code == 404
    assert "lieferanten.csv" not in csrf_client.get("/suppliers/imports/").content.decode()

    csrf_client.sign_in(victor)
    page = csrf_client.get(url)
    assert page.status_code == 200
    assert "Import the" not in page.content.decode()
    refused = csrf_client.post(
        url, {"action": "import", "csrfmiddlewaretoken": csrf_token_from(page)}
    )
    assert refused.status_code == 403
    assert not csrf_refused(refused)
    assert Supplier.objects.count() == 0


def test_the_rows_with_problems_download_and_its_reupload(csrf_client, member):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    response = csrf_client.get(f"/suppliers/imports/{batch.pk}/problems.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["Row", *batch.header, "Problems"]
    assert len(rows) == 2
    line = rows[1]
    assert line[0].value == "6"
    assert line[1].value == "K-003"
    assert line[1].data_type == "s"
    assert line[1].number_format == "@"
    assert line[-1].value.startswith("Land: expected")  # the file's column, not the field
    assert "'XX'" in line[-1].value

    # the fixed file goes back in as a new list: Row and Problems are left out
    book = load_workbook(io.BytesIO(response.getvalue()))
    book.active["D2"] = "DE"
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(csrf_client, buffer.getvalue(), name="fixed.xlsx")
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert again.mapping["Row"] == "ignore"
    assert again.mapping["Problems"] == "ignore"
    assert again.mapping["Firmenname"] == "legal_name"
    _confirm(csrf_client, again)
    _post(csrf_client, f"/suppliers/imports/{again.pk}/", {"action": "import"})
    assert Supplier.objects.get(legal_name="Nowhere Trading").ref == "K-003"


def test_a_discarded_row_is_not_imported(csrf_client, member):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    gone = _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "discard", "row": "6"})
    assert gone.status_code == 302
    assert ImportRow.objects.get(batch=batch, line=6).state == "discarded"
    review = csrf_client.get(f"/suppliers/imports/{batch.pk}/").content.decode()
    assert "Discarded</dt><dd>1" in review
    assert "No row needs you." in review


def test_a_doubtful_duplicate_is_merged_or_kept_apart_by_a_person(csrf_client, member):
    csrf_client.sign_in(member)
    content = b"Lieferant;Firmenname;Land\nK-1;Hanoi Garment JSC;VN\nK-2;Hanoi Garment Ltd;VN\n"
    _upload(csrf_client, content)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    review = csrf_client.get(f"/suppliers/imports/{batch.pk}/").content.decode()
    assert "Likely the same as row 2" in review
    assert 'value="merge">Merge with row 2</button>' in review
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "keep", "row": "3"})
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert Supplier.objects.filter(legal_name__startswith="Hanoi").count() == 2


def test_custom_attributes_show_on_the_detail_page_and_survive_an_export_round_trip(
    csrf_client, member
):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    shenzhen = Supplier.objects.get(legal_name__startswith="Shenzhen")
    detail = csrf_client.get(f"/suppliers/{shenzhen.pk}/").content.decode()
    assert "Other details from imported lists" in detail
    assert "<dt>Sector</dt><dd>Textiles</dd>" in detail

    exported = csrf_client.get("/suppliers/?format=csv").getvalue().decode("utf-8-sig")
    header = exported.splitlines()[0].split(",")
    assert header[-1] == "attribute: Sector"
    Supplier.objects.filter(pk=shenzhen.pk).update(attributes={})
    _upload(csrf_client, exported.encode(), name="export.csv")
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert again.mapping["attribute: Sector"] == "attribute"
    _confirm(csrf_client, again)
    _post(csrf_client, f"/suppliers/imports/{again.pk}/", {"action": "import"})
    shenzhen.refresh_from_db()
    assert shenzhen.attributes == {"Sector": "Textiles"}


def test_a_number_the_spreadsheet_stored_is_confirmed_by_typing_it_again(csrf_client, member):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["legal_name", "country", "tax_id"])
    sheet.append(["Izmir Denim Sanayi", "TR", 1234567890])  # typed as a number in Excel
    buffer = io.BytesIO()
    book.save(buffer)
    csrf_client.sign_in(member)
    _upload(csrf_client, buffer.getvalue(), name="list.xlsx")
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    row = ImportRow.objects.get(batch=batch)
    assert "format the column as text" in str(row.problems)
    answer = _post(
        csrf_client,
        f"/suppliers/imports/{batch.pk}/",
        {
            "action": "edit",
            "row": str(row.line),
            "field-legal_name": "Izmir Denim Sanayi",
            "field-country": "TR",
            "field-tax_id": "1234567890",
        },
    )
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.edits == {"tax_id": "1234567890"}
    assert row.problems == []
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    assert Supplier.objects.get().identifiers.get().value == "1234567890"
