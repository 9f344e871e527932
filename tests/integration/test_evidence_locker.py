"""The evidence locker through its services, on local disk and on a real S3 server: files
checked by content and stored once per SHA-256, versions, links, review, search in any
script, verification that finds altered and missing files, legal holds and retention, and
expiry notices sent after commit."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.blobs import spool_dir
from chainproof.evidence import selectors
from chainproof.evidence.documents import (
    LinkTarget,
    document_create,
    document_delete,
    document_link_add,
    document_review,
    document_update,
    document_version_add,
)
from chainproof.evidence.expiry import documents_expire
from chainproof.evidence.models import Blob, Document, DocumentVersion
from chainproof.evidence.reading import versions_read
from chainproof.evidence.receiving import file_receive
from chainproof.evidence.retention import document_purge, legal_hold_place, legal_hold_release
from chainproof.evidence.verification import blobs_verify, problems_for
from chainproof.outbox.models import OutboundEmail
from chainproof.suppliers.models import Facility, Supplier
from tests import document_files
from tests.supply import load_demo


@pytest.fixture(params=["local", "s3"])
def store(request, settings, tmp_path):
    """The configured blob store, and a function that overwrites or removes stored bytes
    behind chainproof's back (as a disk fault or an intruder would)."""
    settings.MEDIA_ROOT = tmp_path / "files"
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_settings")

        def tamper(sha256: str, data: bytes | None) -> None:
            key = f"{s3.prefix}{sha256[:2]}/{sha256}"
            if data is None:
                s3.client.delete_object(Bucket=s3.bucket, Key=key)
            else:
                s3.client.put_object(Bucket=s3.bucket, Key=key, Body=data)

        def stored(sha256: str) -> bytes | None:
            key = f"{s3.prefix}{sha256[:2]}/{sha256}"
            try:
                return s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
            except s3.client.exceptions.NoSuchKey:
                return None
    else:
        settings.STORAGE_BACKEND = "local"

        def tamper(sha256: str, data: bytes | None) -> None:
            path = settings.MEDIA_ROOT / sha256[:2] / sha256
            if data is None:
                path.unlink()
            else:
                path.chmod(0o644)
                path.write_bytes(data)

        def stored(sha256: str) -> bytes | None:
            path = settings.MEDIA_ROOT / sha256[:2] / sha256
            return path.read_bytes() if path.exists() else None

    return type("Store", (), {"name": request.param, "tamper": tamper, "stored": stored})


def _add(member, data: bytes, name: str, **options) -> Document:
    received = file_receive(io.BytesIO(data), name)
    with transaction.atomic():
        return document_create(
            organization=member.organization, actor=member.user, received=received, **options
        )


def test_a_file_is_stored_under_its_hash_with_its_type_from_the_content(alice, store):
    data = document_files.text_pdf(1)
    document = _add(alice, data, "C:\\scans\\audit report.PDF", categories=["dhs_wages"])

    version = document.versions.get()
    sha256 = hashlib.sha256(data).hexdigest()
    assert version.blob.sha256 == sha256
    assert version.size == len(data) == version.blob.size
    assert version.original_name == "audit report.PDF"  # the path is dropped, the name kept
    assert version.extension == ".pdf"  # what the content is
    assert version.content_type == "application/pdf"
    assert version.uploaded_by == alice.user
    assert store.stored(sha256) == data
    assert document.title == "audit report"
    assert [c.code for c in document.categories.all()] == ["dhs_wages"]
    event = AuditEvent.objects.get(action="evidence.document_created")
    assert event.organization_id == alice.organization.pk
    assert sha256 in str(event.after)


def test_a_name_that_contradicts_the_content_is_refused(alice, store):
    with pytest.raises(
        ValidationError, match="the name says a text file, but the content is a PDF"
    ):
        _add(alice, document_files.text_pdf(1), "audit report.txt")
    assert Blob.objects.count() == 0


def test_the_same_bytes_twice_are_stored_once_and_linked_twice(alice, store):
    data = document_files.word_file()
    first = _add(alice, data, "policy.docx")
    second = _add(alice, data, "policy copy.docx")

    assert first.pk != second.pk
    assert Blob.objects.count() == 1
    assert DocumentVersion.objects.filter(blob=Blob.objects.get()).count() == 2


@pytest.mark.parametrize(
    ("make", "name", "reason"),
    [
        (document_files.windows_program, "invoice.pdf", "program"),
        (document_files.shell_script, "notes.txt", "program"),
        (document_files.pdf_with_zip_at_end, "report.pdf", ""),
        (document_files.word_zip_bomb, "contract.docx", ""),
    ],
)
def test_a_refused_file_leaves_nothing_behind(alice, store, settings, make, name, reason):
    before_spool = set(spool_dir().iterdir()) if spool_dir().exists() else set()
    data = make()
    with pytest.raises(ValidationError) as refused:
        _add(alice, data, name)

    message = " ".join(refused.value.messages)
    assert message.startswith(f"{name} is refused:")
    assert reason in message
    assert Document.objects.count() == 0
    assert Blob.objects.count() == 0
    assert store.stored(hashlib.sha256(data).hexdigest()) is None
    after_spool = set(spool_dir().iterdir()) if spool_dir().exists() else set()
    assert after_spool == before_spool


def test_size_limit_and_empty_file_are_refused_before_anything_is_stored(alice, store, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than the limit of 1,000 bytes"):
        _add(alice, b"x" * 1001, "big.txt")
    with pytest.raises(ValidationError, match="empty"):
        _add(alice, b"", "nothing.pdf")
    assert Blob.objects.count() == 0


def test_versions_number_up_and_keep_each_file(alice, store):
    document = _add(alice, b"Wage policy, first edition\n", "policy.txt")
    received = file_receive(io.BytesIO(b"Wage policy, second edition\n"), "policy-v2.txt")
    with transaction.atomic():
        version = document_version_add(document=document, actor=alice.user, received=received)

    assert version.number == 2
    same = file_receive(io.BytesIO(b"Wage policy, second edition\n"), "again.txt")
    with pytest.raises(ValidationError, match="is the current version already"):
        document_version_add(document=document, actor=alice.user, received=same)
    numbers = list(document.versions.order_by("number").values_list("number", "original_name"))
    assert numbers == [(1, "policy.txt"), (2, "policy-v2.txt")]
    assert Blob.objects.count() == 2


def test_links_and_review_are_checked_and_audited(alice, bob, store):
    load_demo(alice.organization)
    load_demo(bob.organization)
    mine = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    theirs = Supplier.objects.get(organization=bob.organization, ref="S-VN-01")
    document = _add(alice, b"Audit summary\n", "audit.txt", links=[LinkTarget("supplier", mine.pk)])

    refused = f"No supplier {theirs.pk} in your organization"
    with pytest.raises(ValidationError, match=refused), transaction.atomic():
        document_link_add(
            document=document, actor=alice.user, targets=[LinkTarget("supplier", theirs.pk)]
        )
    with pytest.raises(ValidationError), transaction.atomic():
        document_review(document=document, actor=alice.user, status="rejected")  # no reason
    with transaction.atomic():
        document_review(document=document, actor=alice.user, status="accepted")

    document.refresh_from_db()
    assert document.status == "accepted"
    assert document.reviewed_by == alice.user
    assert list(document.links.values_list("target_type", "target_id")) == [("supplier", mine.pk)]
    assert selectors.documents_linked_to(alice.organization.pk, "supplier", mine.pk).count() == 1
    assert selectors.documents_linked_to(bob.organization.pk, "supplier", mine.pk).count() == 0


def test_search_finds_words_inside_files_in_any_script_with_the_passage(alice, bob, store):
    pdf = _add(alice, document_files.text_pdf(1), "contract.pdf")
    _add(alice, "Lương tháng 3: Công ty TNHH May Mặc\n".encode(), "luong.txt")
    _add(bob, document_files.text_pdf(1), "theirs.pdf")
    versions_read(list(DocumentVersion.objects.values_list("pk", flat=True)))

    found = selectors.search(alice.organization.pk, "劳务派遣")
    assert [f.document.pk for f in found] == [pdf.pk]
    assert "劳务派遣" in found[0].passage
    vietnamese = selectors.search(alice.organization.pk, "May Mặc")
    assert {f.document.title for f in vietnamese} == {"contract", "luong"}
    assert selectors.search(alice.organization.pk, "임금")
    assert not selectors.search(alice.organization.pk, "nowhere-to-be-found")
    assert pdf.versions.get().text_method == "text layer"


def test_a_scan_is_read_by_ocr_and_found(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    scan = _add(alice, document_files.scan_png(), "payroll-scan.png")
    versions_read([scan.versions.get().pk])

    version = scan.versions.get()
    assert version.text_status == "done", version.text_error
    assert version.text_method == "ocr"
    assert [f.document.pk for f in selectors.search(alice.organization.pk, "Payroll")] == [scan.pk]


def test_verification_names_altered_and_missing_files_and_audits_them(alice, bob, store):
    good = _add(alice, b"Intact record\n", "intact.txt")
    altered = _add(alice, b"Signed audit report\n", "altered.txt")
    missing = _add(alice, b"Training roster\n", "missing.txt")
    _add(bob, b"Another organization's record\n", "theirs.txt")
    altered_sha = altered.versions.get().blob.sha256
    missing_sha = missing.versions.get().blob.sha256
    store.tamper(altered_sha, b"Signed audit report, edited\n")
    store.tamper(missing_sha, None)

    run = blobs_verify(organization=alice.organization, actor=alice.user)

    assert (run.checked, run.intact, run.altered, run.missing) == (3, 1, 1, 1)
    assert run.backend == store.name
    statuses = dict(Blob.objects.values_list("sha256", "status"))
    assert statuses[altered_sha] == "altered"
    assert statuses[missing_sha] == "missing"
    assert statuses[good.versions.get().blob.sha256] == "ok"
    assert {v.document.pk for v in problems_for(run, alice.organization.pk)} == {
        altered.pk,
        missing.pk,
    }
    assert problems_for(run, bob.organization.pk) == []
    problem = AuditEvent.objects.get(action="evidence.integrity_problem")
    assert problem.organization_id == alice.organization.pk
    assert {d["status"] for d in problem.after["documents"]} == {"altered", "missing"}


def test_deleting_is_a_tombstone_and_purging_waits_for_retention_and_holds(alice, store, settings):
    document = _add(alice, b"Recruitment contract\n", "contract.txt")
    sha256 = document.versions.get().blob.sha256
    with pytest.raises(ValidationError, match="reason"), transaction.atomic():
        document_delete(document=document, actor=alice.user, reason=" ")
    with pytest.raises(ValidationError, match="it is not deleted"):
        document_purge(document=document, actor=alice.user)
    with transaction.atomic():
        document_delete(document=document, actor=alice.user, reason="Uploaded to the wrong org")
    assert store.stored(sha256) is not None
    with pytest.raises(ValidationError, match="retention period"):
        document_purge(document=document, actor=alice.user)

    later = timezone.now() + timedelta(days=settings.EVIDENCE_RETENTION_DAYS + 1)
    with transaction.atomic():
        hold = legal_hold_place(
            organization=alice.organization,
            actor=alice.user,
            target_type="document",
            target_id=document.pk,
            reason="Detention case 2026-11",
        )
    with pytest.raises(ValidationError, match="legal hold on the document"):
        document_purge(document=document, actor=alice.user, now=later)
    with transaction.atomic():
        legal_hold_release(hold=hold, actor=alice.user)
        removed = document_purge(document=document, actor=alice.user, now=later)

    assert removed == 1
    assert store.stored(sha256) is None
    version = DocumentVersion.objects.get(document=document)
    assert version.purged_at is not None  # the record and its hash stay
    assert AuditEvent.objects.filter(action="evidence.hold_placed").count() == 1
    run = blobs_verify(organization=alice.organization)
    assert run.checked == 0  # purged content is not reported missing


def test_expired_documents_are_marked_and_owners_warned_once(alice, store, settings):
    today = timezone.localdate()
    alice.user.email = "alice@acme.example"
    alice.user.save()
    expired = _add(alice, b"Old certificate\n", "old.txt", metadata={"valid_until": today})
    soon = _add(
        alice,
        b"Certificate\n",
        "cert.txt",
        metadata={"valid_until": today + timedelta(days=10)},
    )
    _add(alice, b"Far\n", "far.txt", metadata={"valid_until": today + timedelta(days=300)})

    first = documents_expire(today=today + timedelta(days=1))
    second = documents_expire(today=today + timedelta(days=1))

    assert first == {"expired": 1, "announced": 1}
    assert second == {"expired": 0, "announced": 0}
    expired.refresh_from_db()
    assert expired.status == "expired"
    emails = list(OutboundEmail.objects.filter(purpose="evidence_expiry"))
    assert [e.to for e in emails] == ["alice@acme.example"]
    assert "in 9 days" in emails[0].subject
    assert soon.title in emails[0].subject


def test_metadata_errors_name_the_field_and_store_no_record(alice, store):
    with pytest.raises(ValidationError) as refused:
        _add(
            alice,
            b"A record\n",
            "record.txt",
            metadata={"valid_from": "2026-05-01", "valid_until": "2026-04-01"},
        )
    assert "valid_until" in refused.value.message_dict
    with pytest.raises(ValidationError, match="dhs_nothing"):
        _add(alice, b"A record\n", "record.txt", categories=["dhs_nothing"])
    assert Document.objects.count() == 0


def test_worksite_links_cover_facilities(alice, store):
    load_demo(alice.organization)
    facility = Facility.objects.filter(organization=alice.organization).first()
    document = _add(alice, b"Worker interviews\n", "interviews.txt")
    with transaction.atomic():
        added = document_link_add(
            document=document,
            actor=alice.user,
            targets=[LinkTarget("facility", facility.pk), LinkTarget("facility", facility.pk)],
        )
    assert added == 1
    assert selectors.documents_linked_to(alice.organization.pk, "facility", facility.pk).get() == (
        document
    )


def test_a_translation_names_its_original_in_the_same_organization(alice, bob, store):
    original = _add(alice, "工资支付记录 2026年3月\n".encode(), "wages-zh.txt")
    english = _add(alice, b"Wage payment record, March 2026\n", "wages-en.txt")
    theirs = _add(bob, b"Another organization's record\n", "theirs.txt")
    for given, refused in ((theirs.pk, "No document"), (english.pk, "cannot be the original")):
        with pytest.raises(ValidationError, match=refused), transaction.atomic():
            document_update(document=english, actor=alice.user, metadata={"translation_of": given})
    with transaction.atomic():
        document_update(
            document=english,
            actor=alice.user,
            metadata={"translation_of": original.pk, "language": "en"},
        )
    english.refresh_from_db()
    assert english.translation_of == original
    assert list(original.translations.all()) == [english]
    with pytest.raises(ValidationError, match="cannot be the original"), transaction.atomic():
        document_update(
            document=original, actor=alice.user, metadata={"translation_of": english.pk}
        )
    event = AuditEvent.objects.filter(action="evidence.document_updated").latest("seq")
    assert event.after["translation_of_id"] == original.pk
