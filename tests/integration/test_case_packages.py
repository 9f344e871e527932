"""Evidence packages through the services, on both blob stores: exhibits streamed from an
S3 server over HTTP into the ZIP and the package stored there; a translation numbered and
placed beside its original; an excluded exhibit left out; a redaction stated with its
reason; a stored exhibit altered after upload stopping the build with nothing stored; and
shipments imported from a real XLSX workbook, a duplicated entry number refused."""

from __future__ import annotations

import io
import zipfile

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.blobs.configured import blob_store
from chainproof.cases.models import EvidencePackage, Shipment
from chainproof.cases.packages import package_build, package_pdf_bytes
from chainproof.cases.services import case_open, exhibit_add, exhibit_update
from chainproof.cases.shipment_import import shipments_import
from chainproof.cases.shipments import shipment_save
from chainproof.domain.cases.shipment_columns import SHIPMENT_LINES
from chainproof.evidence.documents import document_create
from chainproof.evidence.receiving import file_receive
from chainproof.fileformats.package_zip import package_verify
from chainproof.suppliers.importing.base import ImportFailed
from tests.supply import load_demo
from tests.xlsx_files import workbook_bytes


def _document(member, title, body, **extra):
    received = file_receive(io.BytesIO(body), f"{title}.txt")
    with transaction.atomic():
        return document_create(
            organization=member.organization,
            actor=member.user,
            received=received,
            metadata={"title": title, "record_type": "invoice", **extra.pop("metadata", {})},
            **extra,
        )


def _case(member):
    load_demo(member.organization)
    with transaction.atomic():
        shipment = shipment_save(
            organization=member.organization,
            actor=member.user,
            data={"reference": "PO-55", "entry_number": "B76-0324527-8", "port_code": "2709"},
            lines=[{"product_sku": "APP-TEE-001", "facility_ref": "F-BD-01"}],
        )
        return case_open(
            organization=member.organization,
            actor=member.user,
            shipment=shipment,
            basis="uflpa",
            notice_at="2026-03-03T23:30:00-08:00",
        )


def _build_and_check(case, member, tmp_path):
    original = _document(member, "Invoice 2026-17", b"Invoice 2026-17, 12,000 T-shirts")
    translation = _document(
        member,
        "Invoice 2026-17, English translation",
        b"Invoice 2026-17 (translation)",
        translation_of=original,
    )
    other = _document(member, "Packing list", b"Packing list, 400 cartons")
    dropped = _document(member, "Draft memo", b"not for filing")
    with transaction.atomic():
        # Added in another order: the translation still follows its original.
        exhibit_add(case=case, actor=member.user, documents=[translation, other, original, dropped])
        exhibits = {e.document_id: e for e in case.exhibits.all()}
        exhibit_update(exhibit=exhibits[dropped.pk], actor=member.user, included=False)
        exhibit_update(
            exhibit=exhibits[other.pk],
            actor=member.user,
            redacted=True,
            redaction_reason="Prices of a third party",
        )
    package = package_build(case=case, actor=member.user)
    numbers = {f["path"]: f["exhibit"] for f in package.manifest["files"]}
    assert sorted(numbers.values()) == ["", "1", "2", "2A"]
    assert package.exhibit_count == 3
    zip_path = tmp_path / "package.zip"
    with blob_store().open(package.zip_sha256) as stream:
        zip_path.write_bytes(stream.read())
    report = package_verify(zip_path)
    assert report.ok, report.problems
    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(package_pdf_bytes(package))).pages
    )
    assert "Redacted: Prices of a third party" in text
    assert "translation of exhibit 2" in text
    assert "Draft memo" not in text
    return package


def test_a_package_is_built_and_kept_on_the_s3_store(alice, refdata, s3_settings, tmp_path):
    case = _case(alice)
    package = _build_and_check(case, alice, tmp_path)
    listed = s3_settings.client.list_objects_v2(Bucket=s3_settings.bucket)
    keys = [item["Key"] for item in listed.get("Contents", [])]
    assert any(key.endswith(package.zip_sha256) for key in keys)


def test_a_package_is_built_on_the_local_store(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    case = _case(alice)
    first = _build_and_check(case, alice, tmp_path)
    second = package_build(case=case, actor=alice.user)
    assert (first.version, second.version) == (1, 2)
    assert first.zip_sha256 != second.zip_sha256  # signed again, at another time
    first.refresh_from_db()
    assert first.manifest["package_sha256"] == first.package_sha256  # kept as built


def test_a_stored_exhibit_changed_after_upload_stops_the_build(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    case = _case(alice)
    document = _document(alice, "Certificate of origin", b"Certificate of origin, Gazipur")
    with transaction.atomic():
        exhibit_add(case=case, actor=alice.user, documents=[document])
    sha256 = document.versions.get().blob.sha256
    stored = next((tmp_path / "files").rglob(sha256))
    stored.chmod(0o644)
    stored.write_bytes(b"Certificate of origin, Xinjiang")
    with pytest.raises(ValidationError) as refused:
        package_build(case=case, actor=alice.user)
    assert "certificate-of-origin" in str(refused.value)
    assert not EvidencePackage.objects.filter(case=case).exists()


def test_shipments_are_imported_from_a_workbook_and_a_repeated_entry_is_refused(alice, refdata):
    load_demo(alice.organization)
    header = list(SHIPMENT_LINES.column_names)

    def row(**values):
        return [values.get(name) for name in header]

    good = workbook_bytes(
        [
            header,
            row(reference="PO-7", entry_number="B76-0324527-8", line=1, product_sku="APP-TEE-001"),
            row(reference="PO-7", entry_number="B76-0324527-8", line=2, product_sku="APP-SCF-010"),
        ],
        title="shipments",
    )
    report = shipments_import(
        organization=alice.organization, actor=alice.user, data=good, file_name="entries.xlsx"
    )
    assert (report.created, report.updated) == (1, 0)
    assert Shipment.objects.get(reference="PO-7").lines.count() == 2

    clash = workbook_bytes(
        [
            header,
            row(reference="PO-8", entry_number="B76-0324527-8", line=1, product_sku="APP-TEE-001"),
            row(reference="PO-9", entry_number="B76-0324527-8", line=1, product_sku="APP-TEE-001"),
        ],
        title="shipments",
    )
    with pytest.raises(ImportFailed) as failed:
        shipments_import(
            organization=alice.organization, actor=alice.user, data=clash, file_name="e.xlsx"
        )
    problems = [str(e) for e in failed.value.errors]
    assert any("entry_number" in p for p in problems), problems
    assert not Shipment.objects.filter(reference__in=["PO-8", "PO-9"]).exists()


def test_the_package_holds_the_exhibits_then_the_pdf_then_the_manifest(
    alice, refdata, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    case = _case(alice)
    document = _document(alice, "Bill of lading", b"MEDU4471208")
    with transaction.atomic():
        exhibit_add(case=case, actor=alice.user, documents=[document])
    package = package_build(case=case, actor=alice.user)
    with blob_store().open(package.zip_sha256) as stream, zipfile.ZipFile(stream) as archive:
        names = archive.namelist()
    assert names[0].startswith("exhibits/001-bill-of-lading")
    assert names[-2:] == ["package.pdf", "manifest.json"]


def test_an_exhibit_is_held_until_it_leaves_the_case_unfiled(alice, refdata, settings, tmp_path):
    from chainproof.cases.services import exhibit_remove
    from chainproof.evidence.models import LegalHold

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    case = _case(alice)
    filed = _document(alice, "Invoice filed", b"Invoice 1")
    unfiled = _document(alice, "Memo never filed", b"Memo")
    with transaction.atomic():
        exhibit_add(case=case, actor=alice.user, documents=[filed])
    package_build(case=case, actor=alice.user)
    with transaction.atomic():
        exhibit_add(case=case, actor=alice.user, documents=[unfiled])

    def held(document) -> bool:
        return LegalHold.objects.filter(
            target_type="document", target_id=document.pk, released_at__isnull=True
        ).exists()

    assert held(filed)
    assert held(unfiled)
    for exhibit in list(case.exhibits.all()):
        with transaction.atomic():
            exhibit_remove(exhibit=exhibit, actor=alice.user)
    assert held(filed)  # it is in package version 1
    assert not held(unfiled)


def test_a_notice_keeps_its_port_date_and_met_deadlines_stop_counting(alice, refdata):
    import datetime as dt

    from chainproof.cases.deadlines import case_deadlines, next_deadline
    from chainproof.cases.reminders import deadline_reminders_send
    from chainproof.cases.services import case_transition, case_update, notice_date

    alice.user.email = "alice@acme.example"
    alice.user.save()
    case = _case(alice)  # UFLPA, notice 2026-03-03 23:30 in Los Angeles (port 2709)
    assert notice_date(case) == dt.date(2026, 3, 3)
    due = {d.key: d.due for d in case_deadlines(case)}
    assert due["uflpa_response"] == dt.date(2026, 4, 2)
    with transaction.atomic():  # the details form sends the date shown, and an owner
        case_update(case=case, actor=alice.user, notice_at="2026-03-03", owner=alice.user)
    case.refresh_from_db()
    assert {d.key: d.due for d in case_deadlines(case)}["uflpa_response"] == dt.date(2026, 4, 2)

    with pytest.raises(ValidationError) as early:
        case_transition(case=case, actor=alice.user, status="submitted", when="2026-03-01")
    assert "on or after CBP's notice of 2026-03-03" in str(early.value)
    today = dt.date(2026, 3, 30)
    assert next_deadline(case, today=today).key == "uflpa_response"
    with transaction.atomic():
        case_transition(case=case, actor=alice.user, status="submitted", when="2026-03-20")
    case.refresh_from_db()
    response = next(d for d in case_deadlines(case, today=today) if d.key == "uflpa_response")
    assert response.met
    assert next_deadline(case, today=today) is None
    assert deadline_reminders_send(today=today) == 0


def test_the_page_header_of_the_pdf_prints_the_organization_as_written(
    alice, refdata, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    alice.organization.name = 'Smith & O\'Brien "Imports" </style>'
    alice.organization.save()
    case = _case(alice)
    document = _document(alice, "Bill of lading", b"MEDU4471208")
    with transaction.atomic():
        exhibit_add(case=case, actor=alice.user, documents=[document])
    package = package_build(case=case, actor=alice.user)
    text = pypdf.PdfReader(io.BytesIO(package_pdf_bytes(package))).pages[1].extract_text()
    assert 'Smith & O\'Brien "Imports" </style>' in text
    assert "&amp;" not in text
