"""Due-diligence pages over HTTP with CSRF enforced: program records through their forms
(errors in the form's words, nothing stored), policy versions, the reasonable-care
assessment and its PDF, and every table exported to CSV and XLSX, read back."""

from __future__ import annotations

import csv
import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from chainproof.diligence.demo import demo_evidence_load
from chainproof.diligence.models import CareAssessment, EvidenceRequest, ProgramRecord
from chainproof.evidence.models import Document
from chainproof.suppliers.models import Supplier
from tests.csrf_client import CsrfClient
from tests.supply import load_demo


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    demo_evidence_load(organization=alice.organization, actor=alice.user)
    return alice


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_a_training_session_is_recorded_and_a_bad_one_says_why(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/diligence/program/training/")
    assert page.status_code == 200
    assert "Record a training session" in page.content.decode()

    bad = csrf_client.submit(
        "/diligence/program/training/",
        {"title": "Forced-labour awareness", "held_on": "next monday", "attendees": "many"},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Held on: expected a date (YYYY-MM-DD), found &#x27;next monday&#x27;" in body
    assert "Attendees: expected a whole number" in body
    assert "Audience: expected a value, found nothing" in body
    assert not ProgramRecord.objects.filter(title__startswith="Forced-labour awareness").exists()

    good = csrf_client.submit(
        "/diligence/program/training/",
        {
            "title": "Forced-labour awareness",
            "held_on": "2026-04-14",
            "audience": ["recruitment_staff", "suppliers"],
            "attendees": "38",
        },
        follow=True,
    )
    assert good.status_code == 200
    record = ProgramRecord.objects.get(title__startswith="Forced-labour awareness")
    assert record.values["audience"] == ["recruitment_staff", "suppliers"]
    listed = good.content.decode()
    assert "Recruitment staff, Suppliers" in listed  # labels, not codes

    exported = _csv(csrf_client.get("/diligence/program/training/?format=csv"))
    assert exported[0][:4] == ["Session", "Held on", "Audience", "Attendees"]
    assert len(exported) == 3  # the demo's session and this one, newest first
    assert exported[1][:4] == [
        "Forced-labour awareness",
        "2026-04-14",
        "Recruitment staff, Suppliers",
        "38",
    ]


def test_a_policy_gets_a_new_version_through_its_page(csrf_client, demo, victor):
    csrf_client.sign_in(demo)
    values = {
        "title": "Supplier code of conduct",
        "version": "3",
        "scope": ["forced_labor"],
        "approved_by": "Ana Ruiz",
        "approved_by_title": "Chief Executive",
        "approved_on": "2026-02-01",
    }
    csrf_client.submit("/diligence/program/policy/", values)
    first = ProgramRecord.objects.get(kind="policy", title="Supplier code of conduct, 3")
    url = f"/diligence/program/records/{first.pk}/"
    answer = csrf_client.submit(url, {**values, "version": "4"}, follow=True)
    assert "A newer version" not in answer.content.decode()
    newer = ProgramRecord.objects.get(supersedes=first)
    assert newer.values["version"] == "4"
    old_page = csrf_client.get(url).content.decode()
    assert "A newer version replaces this one" in old_page
    assert "Add a new version" not in old_page  # only the current version takes one

    viewer = CsrfClient()
    viewer.sign_in(victor)
    assert viewer.get(url).status_code == 200
    assert viewer.submit(url, {**values, "version": "5"}).status_code == 403


def test_the_reasonable_care_assessment_through_its_pages(csrf_client, demo, bob):
    csrf_client.sign_in(demo)
    in_progress = csrf_client.submit("/diligence/reasonable-care/", {}, follow=True)
    assert "An assessment is in progress: complete it first." in in_progress.content.decode()
    assessment = CareAssessment.objects.get(organization=demo.organization)  # the demo's
    documents = list(
        Document.objects.filter(organization=demo.organization).values_list("pk", flat=True)
    )
    url = f"/diligence/reasonable-care/{assessment.pk}/"
    saved = csrf_client.submit(
        url,
        {
            "question": "supplier_vetting",
            "answer": "yes",
            "narrative": "Every new supplier answers the questionnaire before the first order.",
            "owner": "Sourcing lead",
            "documents": " ".join(str(pk) for pk in documents[:2]),
        },
    )
    assert saved.status_code == 302
    answer = assessment.answers.get(question="supplier_vetting")
    assert sorted(answer.documents.values_list("pk", flat=True)) == sorted(documents[:2])
    wrong = csrf_client.submit(url, {"question": "supplier_vetting", "answer": "maybe"})
    assert wrong.status_code == 400
    assert "Expected one of yes, partly, no, na, found &#x27;maybe&#x27;" in wrong.content.decode()
    unknown_document = csrf_client.submit(
        url, {"question": "ilo_indicators", "answer": "yes", "documents": "999999999"}
    )
    assert "No document 999999999 in your organization" in unknown_document.content.decode()

    page = csrf_client.get(url).content.decode()
    assert "Not answered: Do you review the ILO indicators" in page
    pdf = csrf_client.get(f"{url}report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf.content)
    ).replace("\r\n", " ")
    assert "Every new supplier answers the questionnaire" in text

    other = CsrfClient()
    other.sign_in(bob)
    assert other.get(url).status_code == 404
    assert other.get(f"{url}report.pdf").status_code == 404


def test_audits_requests_and_documents_export_as_csv_and_xlsx(csrf_client, demo):
    csrf_client.sign_in(demo)
    audits = _csv(csrf_client.get("/diligence/audits/?format=csv"))
    assert audits[0][0] == "Date"
    assert len(audits) == 2  # the demo's audit
    assert audits[1][9] == "1"  # its overdue corrective action
    documents = _xlsx(csrf_client.get("/evidence/?format=xlsx"))
    assert documents[0][:3] == ("Document", "Title", "Type")
    assert len(documents) == 15  # the header and the demo's 14 documents
    assert all(len(row[9]) == 64 for row in documents[1:])  # each with its SHA-256
    found = _csv(csrf_client.get("/evidence/?q=payroll&format=csv"))
    assert 1 < len(found) < 15
    requests = _csv(csrf_client.get("/diligence/requests/?format=csv"))
    assert requests[0][0] == "Document asked for"


def test_document_numbers_typed_by_people_are_read_or_refused_never_a_crash(csrf_client, demo):
    """ "#15" is a document number; "abc" is an error that says so (it was a 500 on the
    audit form, and the program and checklist forms dropped it silently)."""
    csrf_client.sign_in(demo)
    supplier = Supplier.objects.get(organization=demo.organization, ref="S-VN-01")
    document = Document.objects.filter(organization=demo.organization).first()
    base = {
        "supplier": supplier.pk,
        "kind": "internal",
        "audit_date": "2026-06-01",
        "auditor": "Own team",
    }
    bad = csrf_client.submit("/diligence/audits/", {**base, "report": "abc"})
    assert bad.status_code == 400
    assert "Expected a document number such as 15, found &#x27;abc&#x27;" in bad.content.decode()
    good = csrf_client.submit("/diligence/audits/", {**base, "report": f"#{document.pk}"})
    assert good.status_code == 302
    training = {
        "title": "Supplier briefing",
        "held_on": "2026-04-14",
        "audience": ["suppliers"],
        "attendees": "9",
    }
    dropped = csrf_client.submit(
        "/diligence/program/training/", {**training, "documents": f"#{document.pk} abc"}
    )
    assert dropped.status_code == 400
    assert "Evidence documents: Expected a document number" in dropped.content.decode()
    future = csrf_client.submit(
        "/diligence/program/training/", {**training, "held_on": "2031-03-01"}
    )
    assert "Held on: expected a date not after today" in future.content.decode()
    kept = csrf_client.submit(
        "/diligence/program/training/", {**training, "documents": f"#{document.pk}"}
    )
    assert kept.status_code == 302
    record = ProgramRecord.objects.get(title__startswith="Supplier briefing")
    assert list(record.documents.all()) == [document]


def test_a_supplier_is_asked_once_per_document_and_the_category_follows_the_type(csrf_client, demo):
    csrf_client.sign_in(demo)
    supplier = Supplier.objects.get(organization=demo.organization, ref="S-CN-01")
    ask = {"supplier": supplier.pk, "record_type": "payroll_record", "due_date": "2030-01-31"}
    first = csrf_client.submit("/diligence/requests/", ask, follow=True)
    assert first.status_code == 200
    asked = EvidenceRequest.objects.get(supplier=supplier)
    assert asked.category == "dhs_wages"  # what a payroll record proves, not the first category
    assert "How and to whom wages are paid" in first.content.decode()
    again = csrf_client.submit("/diligence/requests/", ask)
    assert again.status_code == 400
    assert f"already asked for this (request {asked.pk}" in again.content.decode()
    assert 'value="2030-01-31"' in again.content.decode()  # what was typed is shown again
    assert EvidenceRequest.objects.filter(supplier=supplier).count() == 1
