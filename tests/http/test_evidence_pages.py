"""The evidence locker over HTTP with CSRF enforced: uploads from the page (several files,
one answer per file), download and preview headers, altered and missing files, roles and
organizations, the REST API with a token, the evidence panel on a supplier's page, and a
supplier answering an evidence request in the portal."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.models import User
from chainproof.accounts.services import api_token_create, membership_create
from chainproof.audit.models import AuditEvent
from chainproof.blobs import BlobAltered
from chainproof.diligence.models import EvidenceRequest
from chainproof.diligence.requests import evidence_request_create
from chainproof.evidence.models import Document, DocumentVersion
from chainproof.suppliers.models import Supplier
from tests import document_files
from tests.csrf_client import CsrfClient, csrf_token_from
from tests.supply import load_demo


@pytest.fixture
def locker(settings, tmp_path, alice, refdata):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    return settings.MEDIA_ROOT


@pytest.fixture
def s3_locker(s3_settings, settings, tmp_path, alice, refdata):
    settings.MEDIA_ROOT = tmp_path / "files"  # the spool folder only
    load_demo(alice.organization)
    return s3_settings


def _file(data: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _upload_json(client: CsrfClient, *files: tuple[bytes, str], **fields):
    """What the drop area sends: one request per file, JSON back."""
    token = csrf_token_from(client.get("/evidence/"))
    answers = []
    for data, name in files:
        answers.append(
            client.post(
                "/evidence/upload/",
                {"file": _file(data, name), "csrfmiddlewaretoken": token, **fields},
                HTTP_ACCEPT="application/json",
            )
        )
    return answers


def test_two_files_uploaded_from_the_page_are_listed_with_their_hashes(csrf_client, alice, locker):
    csrf_client.sign_in(alice)
    pdf = document_files.text_pdf(1)
    sheet = document_files.workbook_file()
    page = csrf_client.submit(
        "/evidence/upload/",
        {
            "file": [_file(pdf, "wage policy.pdf"), _file(sheet, "payroll march.xlsx")],
            "categories": ["dhs_wages"],
        },
        from_page="/evidence/",
        follow=True,
    )

    assert page.status_code == 200
    text = page.content.decode()
    for data in (pdf, sheet):
        assert hashlib.sha256(data).hexdigest() in text  # said in the confirmation
    assert "wage policy" in text
    assert "payroll march" in text
    assert Document.objects.filter(organization=alice.organization).count() == 2
    codes = [list(d.categories.values_list("code", flat=True)) for d in Document.objects.all()]
    assert codes == [["dhs_wages"], ["dhs_wages"]]


def test_the_drop_area_gets_one_answer_per_file_and_a_bad_file_stores_nothing(
    csrf_client, alice, locker
):
    csrf_client.sign_in(alice)
    good, bad = _upload_json(
        csrf_client,
        (b"Recruitment fee reimbursement ledger\n", "ledger.txt"),
        (document_files.windows_program(), "scan.pdf"),
    )

    assert good.status_code == 201
    result = good.json()["results"][0]
    assert result["sha256"] == hashlib.sha256(b"Recruitment fee reimbursement ledger\n").hexdigest()
    assert result["url"] == f"/evidence/{result['id']}/"
    assert bad.status_code == 400
    assert bad.json()["results"][0]["error"].startswith("scan.pdf is refused:")
    assert Document.objects.count() == 1
    duplicate = _upload_json(csrf_client, (b"Recruitment fee reimbursement ledger\n", "copy.txt"))
    assert duplicate[0].json()["results"][0]["duplicate"] is True


def test_download_and_preview_are_streamed_with_safe_headers(csrf_client, alice, locker):
    csrf_client.sign_in(alice)
    png = document_files.scan_png()
    (answer,) = _upload_json(csrf_client, (png, "站点照片.png"))
    document_id = answer.json()["results"][0]["id"]

    download = csrf_client.get(f"/evidence/{document_id}/versions/1/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in download["Content-Disposition"]  # the Chinese name kept
    assert download["X-Content-Type-Options"] == "nosniff"
    preview = csrf_client.get(f"/evidence/{document_id}/versions/1/preview/")
    assert preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"].startswith("inline")
    assert "sandbox" in preview["Content-Security-Policy"]
    detail = csrf_client.get(f"/evidence/{document_id}/")
    assert hashlib.sha256(png).hexdigest() in detail.content.decode()


def test_download_from_an_s3_store_is_whole_and_an_altered_object_breaks_off(
    csrf_client, alice, s3_locker
):
    csrf_client.sign_in(alice)
    original = b"Bank transfer records of the reimbursements\n" * 30_000
    (answer,) = _upload_json(csrf_client, (original, "transfers.txt"))
    document_id = answer.json()["results"][0]["id"]
    download = csrf_client.get(f"/evidence/{document_id}/versions/1/download/")
    assert b"".join(download.streaming_content) == original

    sha256 = hashlib.sha256(original).hexdigest()
    s3_locker.client.put_object(
        Bucket=s3_locker.bucket,
        Key=f"{s3_locker.prefix}{sha256[:2]}/{sha256}",
        Body=original.replace(b"Bank", b"Fake"),
    )
    altered = csrf_client.get(f"/evidence/{document_id}/versions/1/download/")
    received: list[bytes] = []
    with pytest.raises(BlobAltered):
        received.extend(altered.streaming_content)
    assert len(b"".join(received)) < len(original)


def test_an_altered_file_is_never_delivered_whole_and_a_missing_one_says_so(
    csrf_client, alice, locker
):
    csrf_client.sign_in(alice)
    original = b"Signed CAP evidence\n" * 5000
    (answer,) = _upload_json(csrf_client, (original, "cap.txt"))
    document_id = answer.json()["results"][0]["id"]
    sha256 = hashlib.sha256(original).hexdigest()
    path = locker / sha256[:2] / sha256
    path.chmod(0o644)
    path.write_bytes(original.replace(b"Signed", b"Forged"))

    download = csrf_client.get(f"/evidence/{document_id}/versions/1/download/")
    received: list[bytes] = []
    with pytest.raises(BlobAltered):
        received.extend(download.streaming_content)
    assert len(b"".join(received)) < len(original)  # broken off before its end

    path.unlink()
    missing = csrf_client.get(f"/evidence/{document_id}/versions/1/download/")
    assert missing.status_code == 404
    assert "The stored file is missing" in missing.content.decode()


def test_other_organizations_get_404_and_viewers_cannot_upload(
    csrf_client, alice, bob, victor, locker
):
    csrf_client.sign_in(alice)
    (answer,) = _upload_json(csrf_client, (b"Training roster\n", "roster.txt"))
    document_id = answer.json()["results"][0]["id"]

    intruder = CsrfClient()
    intruder.sign_in(bob)
    for url in (
        f"/evidence/{document_id}/",
        f"/evidence/{document_id}/versions/1/download/",
        f"/evidence/{document_id}/versions/1/preview/",
        f"/api/v1/evidence/documents/{document_id}",
        f"/api/v1/evidence/documents/{document_id}/versions/1/content",
    ):
        assert intruder.get(url).status_code == 404, url
    refused = intruder.submit(
        f"/evidence/{document_id}/",
        {"action": "delete", "reason": "x"},
        from_page="/evidence/",
    )
    assert refused.status_code == 404
    assert f"/evidence/{document_id}/" not in intruder.get("/evidence/?q=roster").content.decode()

    viewer = CsrfClient()
    viewer.sign_in(victor)
    assert viewer.get(f"/evidence/{document_id}/versions/1/download/").status_code == 200
    denied = _upload_json(viewer, (b"Anything\n", "a.txt"))
    assert denied[0].status_code == 403
    assert Document.objects.count() == 1


def test_the_document_page_records_review_links_and_deletion(csrf_client, alice, locker):
    csrf_client.sign_in(alice)
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    (answer,) = _upload_json(csrf_client, (b"Worker interview notes\n", "interviews.txt"))
    document_id = answer.json()["results"][0]["id"]
    url = f"/evidence/{document_id}/"

    linked = csrf_client.submit(
        url, {"action": "link", "link_type": "supplier", "link_id": "supplier:S-VN-01"}
    )
    assert linked.status_code == 302
    empty_reason = csrf_client.submit(url, {"action": "review", "status": "rejected"})
    assert empty_reason.status_code == 400
    accepted = csrf_client.submit(url, {"action": "review", "status": "accepted"}, follow=True)
    assert "Accepted" in accepted.content.decode()
    supplier_page = csrf_client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "interviews" in supplier_page  # the evidence panel of the supplier
    deleted = csrf_client.submit(url, {"action": "delete", "reason": "Duplicate upload"})
    assert deleted.status_code == 302
    document = Document.objects.get(pk=document_id)
    assert document.deletion_reason == "Duplicate upload"
    actions = set(
        AuditEvent.objects.filter(object_id=str(document_id)).values_list("action", flat=True)
    )
    assert {"evidence.document_created", "evidence.document_reviewed"} <= actions
    assert "evidence.document_deleted" in actions


def test_the_api_stores_lists_searches_and_downloads_with_a_token(csrf_client, alice, bob, locker):
    token = api_token_create(membership=alice.membership, name="script").plaintext
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    data = "Lương tháng 3 đã trả đủ\n".encode()
    created = csrf_client.post(
        "/api/v1/evidence/documents",
        {"file": _file(data, "luong.txt"), "categories": "dhs_wages", "language": "vi"},
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["categories"] == ["dhs_wages"]
    assert body["versions"][0]["sha256"] == hashlib.sha256(data).hexdigest()

    listed = csrf_client.get("/api/v1/evidence/documents", **auth).json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    content = csrf_client.get(f"/api/v1/evidence/documents/{body['id']}/versions/1/content", **auth)
    assert b"".join(content.streaming_content) == data
    refused = csrf_client.post(
        "/api/v1/evidence/documents",
        {"file": _file(document_files.shell_script(), "run.txt")},
        **auth,
    )
    assert refused.status_code == 400
    assert "run.txt is refused" in refused.content.decode()
    patched = csrf_client.patch(
        f"/api/v1/evidence/documents/{body['id']}",
        '{"valid_until": "2030-01-01", "title": "Payroll March"}',
        content_type="application/json",
        **auth,
    )
    assert patched.json()["title"] == "Payroll March"
    english = csrf_client.post(
        "/api/v1/evidence/documents",
        {"file": _file(b"Wages for March paid in full\n", "wages-en.txt"), "language": "en"},
        **auth,
    ).json()
    translated = csrf_client.patch(
        f"/api/v1/evidence/documents/{english['id']}",
        f'{{"translation_of": {body["id"]}}}',
        content_type="application/json",
        **auth,
    )
    assert translated.json()["translation_of"] == body["id"]
    bad_date = csrf_client.patch(
        f"/api/v1/evidence/documents/{body['id']}",
        '{"valid_from": "2031-01-01"}',
        content_type="application/json",
        **auth,
    )
    assert bad_date.status_code in (400, 422)
    other = api_token_create(membership=bob.membership, name="theirs").plaintext
    theirs = csrf_client.get(
        f"/api/v1/evidence/documents/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert theirs.status_code == 404
    assert DocumentVersion.objects.count() == 2


def test_a_supplier_answers_an_evidence_request_in_the_portal(csrf_client, alice, bob, locker):
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    supplier.contact_email = "hr@lotus.example"
    supplier.save()
    with transaction.atomic():
        asked = evidence_request_create(
            organization=alice.organization,
            actor=alice.user,
            supplier=supplier,
            category="dhs_wages",
            record_type="payroll_record",
            due_date=timezone.localdate() + timedelta(days=14),
        )
        other = evidence_request_create(
            organization=alice.organization,
            actor=alice.user,
            supplier=Supplier.objects.get(organization=alice.organization, ref="S-CN-01"),
            category="dhs_policy",
            due_date=timezone.localdate() + timedelta(days=14),
        )
        user = User.objects.create_user("lotus-hr", password="x" * 24)
        membership_create(
            organization=alice.organization, user=user, role="supplier", supplier=supplier
        )
    portal = CsrfClient()
    portal.force_login(user)
    home = portal.get("/portal/").content.decode()
    assert asked.title in home
    assert other.title not in home
    assert portal.get(f"/portal/evidence/{other.pk}/").status_code == 404

    refused = portal.submit(
        f"/portal/evidence/{asked.pk}/",
        {"file": _file(document_files.windows_program(), "payroll.pdf")},
    )
    assert refused.status_code == 400
    sent = portal.submit(
        f"/portal/evidence/{asked.pk}/",
        {"file": _file(b"Payroll March: 212 workers paid in full\n", "payroll.txt")},
        follow=True,
    )
    assert "payroll.txt sent" in sent.content.decode()
    asked.refresh_from_db()
    assert asked.status == EvidenceRequest.Status.SUBMITTED
    document = asked.documents.get()
    assert [c.code for c in document.categories.all()] == ["dhs_wages"]
    assert document.links.filter(target_type="supplier", target_id=supplier.pk).exists()
    assert portal.get(f"/evidence/{document.pk}/").status_code in (403, 404)
