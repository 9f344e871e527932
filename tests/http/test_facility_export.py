"""Facility worker ranges on the detail page and through an export and re-import; the
command-line export with custom attribute columns; country notes in the templates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import Facility, Supplier
from tests.supply import csv_bytes

pytestmark = pytest.mark.django_db

COUNTRY_NOTE = "Country: ISO code (CN, CHN) or name (China, Viet Nam, 中国)."


@pytest.fixture
def member(alice, refdata):
    return alice


def _import(member, entity: str, data: bytes, name: str = "f.csv"):
    return run_import(
        organization=member.organization,
        actor=member.user,
        entity=entity,
        data=data,
        file_name=name,
    )


def _plants(member) -> None:
    _import(
        member,
        "facilities",
        csv_bytes(
            "facilities",
            {
                "ref": "P-1",
                "name": "Plant Range",
                "country": "Viet Nam",
                "total_workers": "1001-5000",
            },
            {"ref": "P-2", "name": "Plant Single", "country": "CN", "total_workers": "1,250"},
            {"ref": "P-3", "name": "Plant Unknown", "country": "CN"},
        ),
    )


def test_a_worker_range_shows_in_words_on_the_facility_page(csrf_client, member):
    _plants(member)
    csrf_client.sign_in(member)
    shown = {}
    for facility in Facility.objects.filter(organization=member.organization):
        page = csrf_client.get(f"/suppliers/facilities/{facility.pk}/").content.decode()
        start = page.index('<dd id="total-workers">') + len('<dd id="total-workers">')
        shown[facility.name] = page[start : page.index("</dd>", start)]
    assert shown == {
        "Plant Range": "1,001 to 5,000",
        "Plant Single": "1,250",
        "Plant Unknown": "unknown",
    }


def test_the_facility_export_writes_a_range_and_imports_back_unchanged(csrf_client, member):
    _plants(member)
    csrf_client.sign_in(member)
    exported = csrf_client.get("/suppliers/facilities/?format=csv").getvalue().decode("utf-8-sig")
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert rows["P-1"]["total_workers"] == "1001-5000"
    assert rows["P-2"]["total_workers"] == "1250"
    assert rows["P-3"]["total_workers"] == ""

    report = _import(member, "facilities", exported.encode(), name="facilities.csv")
    assert (report.created, report.updated) == (0, 0), report.changes[:3]

    # the range comes back from the file: clear it in the database, import the export again
    Facility.objects.filter(name="Plant Range").update(total_workers=7, total_workers_max=None)
    report = _import(member, "facilities", exported.encode(), name="facilities.csv")
    assert report.updated == 1
    plant = Facility.objects.get(name="Plant Range")
    assert (plant.total_workers, plant.total_workers_max) == (1001, 5000)


def test_the_command_line_export_has_the_custom_attribute_columns(member, tmp_path):
    _import(
        member,
        "suppliers",
        csv_bytes("suppliers", {"ref": "S-1", "legal_name": "Acme Knit Ltd", "country": "CN"}),
    )
    Supplier.objects.filter(ref="S-1").update(attributes={"Sector": "Knit", "Buyer": "Ana"})
    out = tmp_path / "suppliers.csv"
    call_command(
        "export", "suppliers", "--organization", member.organization.slug, "--output", str(out)
    )
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][-2:] == ["attribute: Buyer", "attribute: Sector"]
    assert rows[1][-2:] == ["Ana", "Knit"]

    # the file goes back in: the attributes are read again from their columns
    Supplier.objects.filter(ref="S-1").update(attributes={})
    _import(member, "suppliers", out.read_bytes(), name="suppliers.csv")
    assert Supplier.objects.get(ref="S-1").attributes == {"Sector": "Knit", "Buyer": "Ana"}


@pytest.mark.parametrize(
    ("entity", "column"), [("suppliers", "country"), ("facilities", "country")]
)
def test_the_template_notes_say_a_country_may_be_a_code_or_a_name(
    csrf_client, member, entity, column
):
    csrf_client.sign_in(member)
    response = csrf_client.get(f"/suppliers/templates/{entity}.xlsx")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    header = [c.value for c in workbook[entity][1]]
    cell = workbook[entity].cell(row=1, column=header.index(column) + 1)
    assert COUNTRY_NOTE in cell.comment.text
    notes = {row[0]: row[2] for row in workbook["instructions"].iter_rows(values_only=True)}
    assert notes[column] == COUNTRY_NOTE
    assert "alpha-2" not in cell.comment.text
