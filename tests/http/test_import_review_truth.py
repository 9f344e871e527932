"""The review step as a new user meets it (issue 14, found in a trial): the date order
chosen once for a batch, the same merge / keep-apart actions for a batch the command line
kept, every problem of a row at once in the file's own words, a page that says what was
imported and what is still pending, the ready and merged rows listed too, the rows-with-
problems file in the file's headers, plain mapping errors, full links from the command
line and who ran it, and worksites named by their supplier's ref or name."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.models import Facility, ImportBatch, ImportRow, Supplier
from tests.http.test_import_review import MESSY, _confirm, _post, _upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice, refdata):
    return alice


def _page(client, batch: ImportBatch) -> str:
    return client.get(f"/suppliers/imports/{batch.pk}/").content.decode()


def _suppliers(member, text: bytes) -> None:
    run_import(
        organization=member.organization,
        actor=member.user,
        entity="suppliers",
        data=text,
        file_name="suppliers.csv",
    )


# --- 1. the date order, once for the whole batch -------------------------------------------


SITES_WITH_DATES = (
    b"Site name,Land,figures_date\n"
    b"Plant A,CN,08.11.2024\n"
    b"Plant B,CN,03.04.2024\n"
    b"Plant C,CN,2024-05-06\n"
)


def test_the_date_order_is_chosen_once_and_every_date_of_the_batch_is_read_again(
    csrf_client, member
):
    csrf_client.sign_in(member)
    _upload(csrf_client, SITES_WITH_DATES, name="sites.csv", entity="facilities")
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)  # "Not set": the page must ask
    page = _page(csrf_client, batch)
    assert "2 rows have a date that could be read two ways" in page
    assert re.search(r'<form[^>]*id="date-order"', page)
    assert "day.month.year (08.11.2024 = 8 November)" in page
    url = f"/suppliers/imports/{batch.pk}/"

    refused = _post(csrf_client, url, {"action": "date_order", "date_order": "DDD"})
    assert refused.status_code == 302
    batch.refresh_from_db()
    assert batch.date_order == ""

    chosen = _post(csrf_client, url, {"action": "date_order", "date_order": "DMY"})
    assert chosen.status_code == 302
    batch.refresh_from_db()
    assert batch.date_order == "DMY"
    rows = list(batch.rows.all())
    assert rows
    assert all(r.problems == [] for r in rows)
    event = AuditEvent.objects.filter(action="import.date_order_chosen").get()
    assert event.before == {"date_order": "Not set (dates written as 2024-11-08, or no dates)"}
    assert event.after == {"date_order": "day.month.year (08.11.2024 = 8 November)"}
    page = _page(csrf_client, batch)
    assert "could be read two ways" not in page
    assert "Import the 3 ready rows" in page

    _post(csrf_client, url, {"action": "import"})
    dates = dict(Facility.objects.values_list("name", "figures_date"))
    assert {k: v.isoformat() for k, v in dates.items()} == {
        "Plant A": "2024-11-08",
        "Plant B": "2024-04-03",
        "Plant C": "2024-05-06",
    }


def test_the_command_line_takes_the_date_order_in_lower_case(member, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes(SITES_WITH_DATES)
    slug = member.organization.slug
    with pytest.raises(CommandError) as info:
        call_command("import", "facilities", str(path), "--organization", slug)
    assert "--date-order dmy (08.11.2024 is 8 November) or --date-order mdy" in str(info.value)
    out = io.StringIO()
    call_command(
        "import", "facilities", str(path), "--organization", slug, "--date-order", "mdy", stdout=out
    )
    assert Facility.objects.get(name="Plant A").figures_date.isoformat() == "2024-08-11"


# --- 2. the same actions for a batch the command line kept ---------------------------------


def test_a_likely_duplicate_the_command_line_kept_pending_can_be_merged_or_kept_apart(
    csrf_client, member, tmp_path
):
    path = tmp_path / "vendors.csv"
    path.write_bytes(
        b"ref,legal_name,country\nK-1,Hanoi Garment JSC,VN\nK-2,Hanoi Garment Ltd,VN\n"
        b"K-3,Saigon Knit JSC,VN\nK-4,Saigon Knit Ltd,VN\n"
    )
    call_command(
        "import",
        "suppliers",
        str(path),
        "--organization",
        member.organization.slug,
        "--import-valid",
        stdout=io.StringIO(),
    )
    batch = ImportBatch.objects.get()
    assert set(batch.rows.values_list("line", flat=True)) == {3, 5}
    csrf_client.sign_in(member)
    page = _page(csrf_client, batch)
    hanoi = Supplier.objects.get(ref="K-1")
    assert 'name="action" value="merge"' in page
    assert 'name="action" value="keep"' in page
    assert f"Merge with {hanoi}" in page
    # Before merging, the person sees what the stored record keeps.
    assert "it keeps the stored Ref K-3, the file says K-4." in page
    url = f"/suppliers/imports/{batch.pk}/"
    _post(csrf_client, url, {"action": "keep", "row": "3"})
    _post(csrf_client, url, {"action": "merge", "row": "5"})
    _post(csrf_client, url, {"action": "import"})
    assert Supplier.objects.filter(legal_name__startswith="Hanoi").count() == 2
    assert Supplier.objects.filter(legal_name__startswith="Saigon").count() == 1
    saigon = Supplier.objects.get(legal_name__startswith="Saigon")
    assert (saigon.ref, saigon.legal_name) == ("K-3", "Saigon Knit JSC")  # kept
    assert saigon.aliases == ["Saigon Knit Ltd"]  # the row's name is not lost
    merged = re.search(
        r'<details id="imported-rows">(.*?)</details>', _page(csrf_client, batch), re.S
    )
    assert merged, "the merged row is listed"
    assert (
        f'merged into <a href="/suppliers/{saigon.pk}/">{saigon}</a> '
        "(kept the stored Ref K-3, the file said K-4)"
    ) in merged.group(1)
    assert ImportRow.objects.get(batch=batch, line=5).state == ImportRow.State.MERGED
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE


# --- 3. every problem of a row at once -------------------------------------------------------


SITES_WITH_PROBLEMS = (
    b"Site name;Land;Operator;Workers\nPlant X;XX;Nobody Ltd;lots\nPlant Y;CN;A-1;120\n"
)


def test_every_problem_of_a_row_is_shown_at_once_in_the_files_columns_and_fixed_together(
    csrf_client, member
):
    _suppliers(member, b"ref,legal_name,country\nA-1,Alpha Co,CN\n")
    csrf_client.sign_in(member)
    _upload(csrf_client, SITES_WITH_PROBLEMS, name="sites.csv", entity="facilities")
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    row = ImportRow.objects.get(batch=batch, line=2)
    assert {p["column"] for p in row.problems} == {"country", "total_workers", "supplier"}
    page = _page(csrf_client, batch)
    problems = re.search(r'<tr id="row-2">.*?</tr>', page, re.S).group(0)
    for header, found in (("Land", "XX"), ("Workers", "lots"), ("Operator", "Nobody Ltd")):
        assert re.search(rf"<li>{header}: expected .*?, found “{found}”</li>", problems), header
    for name in ("country", "total_workers", "supplier"):
        assert f'name="field-{name}"' in problems
    _post(
        csrf_client,
        f"/suppliers/imports/{batch.pk}/",
        {
            "action": "edit",
            "row": "2",
            "field-country": "CN",
            "field-total_workers": "40",
            "field-supplier": "Alpha Co",
        },
    )
    row.refresh_from_db()
    assert row.problems == []
    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    plant = Facility.objects.get(name="Plant X")
    assert (plant.country, plant.total_workers, plant.supplier.ref) == ("CN", 40, "A-1")


# --- 4 and 5. the page tells the truth, and lists every row ---------------------------------


def test_after_an_import_the_page_says_what_was_imported_and_what_is_pending(csrf_client, member):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    url = f"/suppliers/imports/{batch.pk}/"
    _post(csrf_client, url, {"action": "import"})
    page = _page(csrf_client, batch)
    assert "Import the" not in page
    assert 'id="import-ready"' not in page
    assert "No row needs you" not in page
    assert "Imported</dt><dd>4 rows: 4 created, 0 updated, 0 unchanged; 2 merged into" in page
    assert "Pending (needs you)</dt><dd>1 row: 1 with a problem to fix" in page
    assert "Ready to import" not in page

    _post(csrf_client, url, {"action": "discard", "row": "6"})
    page = _page(csrf_client, batch)
    assert "No row needs you." in page
    assert "Pending (needs you)" not in page
    assert "Import the" not in page
    assert "Status: <strong>Imported</strong>" in page


def test_the_review_lists_the_ready_rows_and_the_rows_merged_into_a_stored_record(
    csrf_client, member
):
    _suppliers(member, b"ref,legal_name,country,duns\nS-9,Dhaka Knit Ltd,BD,987654321\n")
    stored = Supplier.objects.get()
    csrf_client.sign_in(member)
    content = (
        b"Firmenname;Land;DUNS\n"
        b"Shenzhen Bright Textiles;CN;\n"
        b"Hanoi Garment JSC;VN;\n"
        b"HANOI GARMENT JOINT STOCK COMPANY;VN;\n"
        b"Dhaka Knitting;BD;987654321\n"
    )
    _upload(csrf_client, content)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch)
    page = _page(csrf_client, batch)
    ready = re.search(r'<details id="ready-rows">(.*?)</details>', page, re.S)
    assert ready, "the ready rows are listed"
    assert "Ready to import (2)" in ready.group(1)
    assert "Shenzhen Bright Textiles" in ready.group(1)
    merged = re.search(r'<details id="merged-rows">(.*?)</details>', page, re.S)
    assert merged, "the merged rows are listed"
    assert "Merged (2)" in merged.group(1)
    assert "into row 3" in merged.group(1)
    assert f'href="/suppliers/{stored.pk}/"' in merged.group(1)
    assert "Dhaka Knitting" in merged.group(1)

    _post(csrf_client, f"/suppliers/imports/{batch.pk}/", {"action": "import"})
    page = _page(csrf_client, batch)
    done = re.search(r'<details id="imported-rows">(.*?)</details>', page, re.S)
    assert done
    shenzhen = Supplier.objects.get(legal_name="Shenzhen Bright Textiles")
    assert f'href="/suppliers/{shenzhen.pk}/"' in done.group(1)
    stored.refresh_from_db()  # the sure duplicate added to it, renamed nothing
    assert (stored.ref, stored.legal_name, stored.aliases) == (
        "S-9",
        "Dhaka Knit Ltd",
        ["Dhaka Knitting"],
    )


# --- 6. the rows with problems, in the file's own headers -----------------------------------


def test_the_problem_rows_file_speaks_the_files_headers_and_reuploads_with_its_mapping(
    csrf_client, member
):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY)
    batch = ImportBatch.objects.get()
    _confirm(csrf_client, batch, save_as="Einkauf list")
    url = f"/suppliers/imports/{batch.pk}/"
    _post(csrf_client, url, {"action": "edit", "row": "6", "field-legal_name": "Nowhere GmbH"})
    response = csrf_client.get(f"{url}problems.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == ["Row", *batch.header, "Problems"]
    line = dict(zip(header, rows[1], strict=True))
    assert line["Firmenname"] == "Nowhere GmbH"  # the edit made in review
    assert line["Problems"].startswith("Land: expected")
    assert "column country" not in line["Problems"]

    book = load_workbook(io.BytesIO(response.content))
    book.active.cell(row=2, column=header.index("Land") + 1, value="DE")
    buffer = io.BytesIO()
    book.save(buffer)
    _upload(csrf_client, buffer.getvalue(), name="fixed.xlsx", mapping="Einkauf list")
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    assert {h: t for h, t in again.mapping.items() if h in batch.mapping} == batch.mapping
    assert again.mapping["Problems"] == "ignore"
    _confirm(csrf_client, again)
    _post(csrf_client, f"/suppliers/imports/{again.pk}/", {"action": "import"})
    assert Supplier.objects.get(legal_name="Nowhere GmbH").country == "DE"


# --- 7. a mapping that cannot be used, in one plain sentence --------------------------------


@pytest.mark.parametrize(
    "mapping",
    ["Nowhere=legal_name", "Firmenname=colour", "no-such-mapping", "Firmenname=ignore"],
)
def test_a_mapping_that_cannot_be_used_is_said_in_one_plain_sentence(member, mapping):
    with pytest.raises(ImportFailed) as info:
        run_import(
            organization=member.organization,
            actor=member.user,
            entity="suppliers",
            data=MESSY,
            file_name="lieferanten.csv",
            mapping=mapping,
        )
    for error in info.value.errors:
        text = str(error)
        assert text.count("expected") == 1, text
        assert text.count("found") == 1, text
        assert "usable column mapping" not in text
        # what was found is a value of the file or of the command, never another sentence
        assert not re.search(r"\b(expected|found|needed|no column)\b", error.found), text


def test_a_mapping_that_does_not_fit_the_upload_is_said_on_the_columns_page(csrf_client, member):
    csrf_client.sign_in(member)
    _upload(csrf_client, MESSY, mapping="open-supply-hub")  # a mapping for worksites
    batch = ImportBatch.objects.get()
    assert batch.mapping["Firmenname"] == "legal_name"  # proposed instead
    page = _page(csrf_client, batch)
    assert (
        "The mapping &#x27;open-supply-hub&#x27; does not fit this file (expected a mapping "
        "for suppliers, found &#x27;open-supply-hub (a mapping for facilities)&#x27;)"
    ) in page


# --- 8. the command line's link, and who ran it ---------------------------------------------


def test_the_command_line_prints_a_full_link_and_the_list_says_who_ran_it(
    csrf_client, member, tmp_path, settings
):
    settings.PUBLIC_BASE_URL = "https://chainproof.example.com"
    path = tmp_path / "lieferanten.csv"
    path.write_bytes(MESSY)
    slug = member.organization.slug
    out = io.StringIO()
    call_command(
        "import", "suppliers", str(path), "--organization", slug, "--import-valid", stdout=out
    )
    batch = ImportBatch.objects.get()
    assert f"https://chainproof.example.com/suppliers/imports/{batch.pk}/" in out.getvalue()
    assert batch.origin == ImportBatch.Origin.COMMAND
    csrf_client.sign_in(member)
    index = csrf_client.get("/suppliers/imports/").content.decode()
    line = re.search(r"<tr><td><a[^>]*>lieferanten.csv</a>.*?</tr>", index, re.S).group(0)
    assert "the command line" in line
    assert "—" not in line
    assert '<td class="num">4</td>' in line  # imported by the run
    page = _page(csrf_client, batch)
    assert "Imported</dt><dd>4 rows: 4 created, 0 updated, 0 unchanged; 2 merged into" in page

    out = io.StringIO()
    call_command(
        "import",
        "suppliers",
        str(path),
        "--organization",
        slug,
        "--import-valid",
        "--as",
        member.user.username,
        stdout=out,
    )
    latest = ImportBatch.objects.order_by("-pk").first()
    assert latest.created_by == member.user
    with pytest.raises(CommandError, match="no member"):
        call_command(
            "import",
            "suppliers",
            str(path),
            "--organization",
            slug,
            "--as",
            "nobody",
            stdout=io.StringIO(),
        )


# --- 9. a worksite named by its supplier's ref in one row and its name in another -----------


def test_a_worksite_named_by_its_suppliers_ref_and_by_its_name_is_one_worksite(member):
    _suppliers(member, b"ref,legal_name,country\nA-1,Alpha Co,CN\nB-1,Beta Co,CN\n")
    data = (
        b"name,country,supplier\n"
        b"Main Factory,CN,A-1\n"
        b"Main Factory,CN,Alpha Co\n"
        b"Main Factory,CN,B-1\n"
    )
    report = run_import(
        organization=member.organization,
        actor=member.user,
        entity="facilities",
        data=data,
        file_name="sites.csv",
    )
    assert (report.created, report.merged, report.pending) == (2, 1, 0)
    assert report.duplicates[0]["row"] == 3
    assert report.duplicates[0]["of"] == 2
    assert set(Facility.objects.values_list("supplier__ref", flat=True)) == {"A-1", "B-1"}
