"""Supplier lists as people have them: the mapping step, rows sorted into ready, merged and
pending, the dry run agreeing with the real run, and the command line (issue 14)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chainproof.suppliers.importing import ImportFailed, run_import
from chainproof.suppliers.importing.pending import (
    batch_check,
    batch_import,
    batch_map,
    batch_open,
    row_decide,
    row_discard,
    row_edit,
)
from chainproof.suppliers.models import (
    Facility,
    ImportBatch,
    ImportMapping,
    ImportRow,
    Supplier,
    SupplierIdentifier,
)

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data" / "messy_supplier_lists"


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


def _state():
    return (
        Supplier.objects.count(),
        SupplierIdentifier.objects.count(),
        ImportBatch.objects.count(),
        ImportRow.objects.count(),
    )


ERP = (
    "Vendor master export;;;;\r\n"
    "Company code 1000; printed 08.11.2024;;;\r\n"
    ";;;;\r\n"
    "Vendor;Name 1;Land;D-U-N-S;Telephone\r\n"
    "0001;ÇALIK DENIM TEKSTIL AS;Türkiye;012345678;+90 1\r\n"
    "0002;Huafu Dyeing Co., Ltd.;P.R.C.;;\r\n"
    "0003;Huafu Dyeing Company Limited;CHN;;+86 2\r\n"
    "0004;Sunrise Garments;Korea;;\r\n"
    "0005;Dhaka Knit Ltd;BGD;87654321;\r\n"
).encode("cp1252")


def test_a_vendor_export_maps_itself_and_import_valid_keeps_the_rest_pending(acme):
    report = _import(acme, "suppliers", ERP, "vendors.csv", import_valid=True)
    assert report.header_row == 4
    assert any("Windows-1252" in note for note in report.notes)
    assert any("semicolon" in note for note in report.notes)
    assert "Name 1=legal_name" in report.mapping
    assert "Land=country" in report.mapping
    assert report.attributes == ["Telephone"]
    # row 7 is the same company as row 6 once "Co., Ltd." and "Company Limited" read alike
    assert report.created == 2
    assert report.merged == 1
    assert report.pending == 2
    stored = {s.legal_name: s for s in Supplier.objects.all()}
    assert set(stored) == {"ÇALIK DENIM TEKSTIL AS", "Huafu Dyeing Co., Ltd."}
    assert stored["ÇALIK DENIM TEKSTIL AS"].country == "TR"
    assert stored["ÇALIK DENIM TEKSTIL AS"].attributes == {"Telephone": "+90 1"}
    assert stored["Huafu Dyeing Co., Ltd."].country == "CN"
    assert "Huafu Dyeing Company Limited" in stored["Huafu Dyeing Co., Ltd."].aliases
    assert stored["Huafu Dyeing Co., Ltd."].attributes == {"Telephone": "+86 2"}
    pending = {r.line: r for r in ImportRow.objects.filter(batch_id=report.batch_id)}
    assert set(pending) == {8, 9}
    assert "names two" in pending[8].problems[0]["expected"]  # Korea: South or North?
    assert "leading zero" in pending[9].problems[0]["expected"]  # DUNS of 8 digits
    assert pending[9].cells[1] == "Dhaka Knit Ltd"  # kept as the file had it


def test_the_dry_run_reports_exactly_what_the_real_run_does(acme):
    before = _state()
    dry = _import(acme, "suppliers", ERP, "vendors.csv", import_valid=True, dry_run=True)
    assert _state() == before
    real = _import(acme, "suppliers", ERP, "vendors.csv", import_valid=True)
    for name in ("rows", "created", "updated", "unchanged", "merged", "pending", "problems"):
        assert getattr(dry, name) == getattr(real, name), name


def test_without_import_valid_one_problem_refuses_the_file_and_keeps_nothing(acme):
    before = _state()
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", ERP, "vendors.csv")
    assert _state() == before
    assert {e.row for e in info.value.errors} == {8, 9}
    assert {e.column for e in info.value.errors} == {"Land", "D-U-N-S"}  # the file's columns


@pytest.mark.parametrize("dry_run", [True, False])
def test_two_new_rows_with_one_duns_never_crash_the_import(acme, dry_run):
    """Defect 1: the dry run said '2 created', the real run crashed on the unique index."""
    data = (
        b"legal_name,country,duns\n"
        b"Golden Star Textiles,CN,123456789\n"
        b"Pacific Rubber Works,MY,123456789\n"
    )
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", data, dry_run=dry_run)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "legal_name")]
    assert "same DUNS 123456789, but in different countries" in info.value.errors[0].expected
    report = _import(acme, "suppliers", data, dry_run=dry_run, import_valid=True)
    assert (report.created, report.pending) == (1, 1)
    assert SupplierIdentifier.objects.count() == (0 if dry_run else 1)


def test_a_mapping_written_by_hand_or_saved_by_name(acme):
    data = b"Partner,Staat,Workers\nAcme Ltd,Viet Nam,1250\n"
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", data)
    assert "a column for Legal name, Country (needed)" in info.value.errors[0].expected
    assert info.value.errors[0].found == "Partner, Staat, Workers"
    report = _import(acme, "suppliers", data, mapping="Partner=legal_name;Staat=country")
    assert report.created == 1
    assert Supplier.objects.get().country == "VN"
    ImportMapping.objects.create(
        organization=acme.organization,
        name="our erp",
        entity="suppliers",
        columns={"partner": "legal_name", "STAAT": "country", "workers": "attribute"},
    )
    again = _import(acme, "suppliers", data, mapping="our erp")
    assert again.unchanged == 0
    assert again.updated == 1
    assert Supplier.objects.get().attributes == {"Workers": "1250"}
    with pytest.raises(ImportFailed) as info:
        _import(acme, "suppliers", data, mapping="nobody's mapping")
    assert "our erp" in info.value.errors[0].expected  # the mappings there are
    assert info.value.errors[0].found == "nobody's mapping"


def test_worker_counts_and_dates_as_written(acme):
    data = (
        b"name,country,total_workers,figures_date\n"
        b'Plant A,CN,"1,250",08.11.2024\n'
        b"Plant B,CN,1001-5000,21.01.2024\n"
        b"Plant C,CN,ca. 380,05.03.2024\n"
    )
    report = _import(acme, "facilities", data)
    assert report.created == 3
    plants = {f.name: f for f in Facility.objects.all()}
    assert (plants["Plant A"].total_workers, plants["Plant A"].total_workers_max) == (1250, None)
    assert (plants["Plant B"].total_workers, plants["Plant B"].total_workers_max) == (1001, 5000)
    assert plants["Plant C"].total_workers == 380
    # 21.01 shows the column is day first, so 05.03 is 5 March
    assert plants["Plant C"].figures_date.isoformat() == "2024-03-05"


def test_dates_whose_order_cannot_be_told_are_asked_for(acme):
    data = b"name,country,figures_date\nPlant A,CN,08.11.2024\n"
    with pytest.raises(ImportFailed) as info:
        _import(acme, "facilities", data)
    assert "choose the date order" in info.value.errors[0].expected
    report = _import(acme, "facilities", data, date_order="MDY")
    assert report.created == 1
    assert Facility.objects.get().figures_date.isoformat() == "2024-08-11"


def test_the_open_supply_hub_download_imports_through_its_shipped_mapping(acme):
    report = _import(
        acme,
        "facilities",
        (DATA / "osh_facilities.csv").read_bytes(),
        "osh.csv",
        mapping="open-supply-hub",
        import_valid=True,
    )
    truth = next(f for f in _truth()["files"] if f["file"] == "osh_facilities.csv")
    held = {h["row"] for h in truth["needs_hand_edit"]}
    assert {p["row"] for p in report.problems} == held
    assert report.created + report.merged == truth["data_rows"] - len(held)
    site = Facility.objects.exclude(attributes={}).first()
    assert site is not None
    assert "sector" in site.attributes


def _truth():
    return json.loads((DATA / "truth.json").read_text(encoding="utf-8"))


def test_the_command_line_imports_the_valid_rows_and_exits_zero(acme, tmp_path):
    path = tmp_path / "vendors.csv"
    path.write_bytes(ERP)
    slug = acme.organization.slug
    with pytest.raises(CommandError) as info:
        call_command("import", "suppliers", str(path), "--organization", slug)
    assert "nothing was imported" in str(info.value)
    out = io.StringIO()
    call_command(
        "import", "suppliers", str(path), "--organization", slug, "--import-valid", stdout=out
    )
    text = out.getvalue()
    assert "The header is row 4" in text
    assert "created 2" in text
    assert "1 merged" in text
    assert "2 kept pending" in text
    assert f"/suppliers/imports/{ImportBatch.objects.get().pk}/" in text


def test_a_batch_is_reviewed_fixed_and_imported_in_steps(acme):
    org, user = acme.organization, acme.user
    batch = batch_open(
        organization_id=org.pk, actor=user, entity="suppliers", data=ERP, file_name="v.csv"
    )
    assert batch.status == ImportBatch.Status.MAPPING
    assert batch.rows.count() == 5
    assert batch.mapping["Name 1"] == "legal_name"
    assert batch_map(batch, actor=user, columns={"Name 1": "legal_name"}) == [
        "no column is mapped to Country (needed)"
    ]
    problems = batch_map(batch, actor=user, columns=batch.mapping, save_as="Vendor master")
    assert problems == []
    assert ImportMapping.objects.get(name="Vendor master").columns["Land"] == "country"
    before = Supplier.objects.count()
    report = batch_check(batch)
    assert (report.created, report.merged, report.pending) == (2, 1, 2)
    assert Supplier.objects.count() == before
    first = batch_import(batch, actor=user)
    assert (first.created, first.pending) == (2, 2)
    rows = {r.line: r for r in batch.rows.all()}
    assert rows[5].state == "imported"
    assert rows[7].state == "merged"
    row_edit(rows[8], actor=user, field="country", value="South Korea")
    row_discard(rows[9], actor=user)
    second = batch_import(batch, actor=user)
    assert (second.created, second.pending) == (1, 0)
    assert Supplier.objects.get(legal_name="Sunrise Garments").country == "KR"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.rows.get(line=9).state == "discarded"
    with pytest.raises(ValueError, match="merge or keep"):
        row_decide(rows[8], actor=user, decision="maybe")


def test_worksites_are_duplicates_only_under_one_supplier(acme):
    _import(acme, "suppliers", b"ref,legal_name,country\nA,Alpha Co,CN\nB,Beta Co,CN\n")
    data = (
        b"name,country,supplier\n"
        b"Main Factory,CN,A\n"
        b"Main Factory,CN,B\n"
        b"Main Factory Ltd,CN,A\n"
        b"Plant 1,CN,A\n"
        b"Plant 2,CN,A\n"
    )
    report = _import(acme, "facilities", data)
    assert report.merged == 1  # row 4 is row 2 written with a legal form
    assert report.created == 4
    assert Facility.objects.filter(name="Main Factory").count() == 2
    again = _import(acme, "facilities", data)
    assert again.created == 0
    assert again.merged == 1


def test_a_queued_import_takes_the_same_mapping_and_keeps_pending_rows(acme):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from chainproof.jobs.services import run_pending
    from chainproof.suppliers.jobs import import_request

    with transaction.atomic():
        job = import_request(
            organization=acme.organization,
            actor=acme.user,
            entity="suppliers",
            upload=SimpleUploadedFile("vendors.csv", ERP),
            dry_run=False,
            mapping="Name 1=legal_name;Land=country",
            import_valid=True,
        )
    run_pending()
    job.refresh_from_db()
    assert job.result["ok"] is True
    assert (job.result["created"], job.result["merged"], job.result["pending"]) == (2, 1, 2)
    assert ImportRow.objects.filter(batch_id=job.result["batch_id"]).count() == 2
