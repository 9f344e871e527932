"""Questionnaire attachments are documents of the evidence locker: the data migration gives
every attachment stored before it a document (linked to the supplier and the answer, under
its question's DHS evidence categories, naming the same stored content), and every upload
since goes through the locker itself."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from chainproof.evidence.models import Blob, Document
from chainproof.questionnaires.answering import document_upload
from chainproof.questionnaires.models import Attachment
from tests import document_files
from tests.questionnaire_helpers import sent_request

BEFORE = [("questionnaires", "0001_initial"), ("evidence", "0001_initial")]
AFTER = [("questionnaires", "0002_attachment_document")]


@pytest.fixture
def request_sent(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    qr = sent_request(alice)
    return qr


def test_an_upload_is_a_locker_document_linked_to_supplier_and_answer(request_sent):
    qr = request_sent
    data = document_files.text_pdf(1)
    with transaction.atomic():
        attachment = document_upload(
            qr=qr, actor=None, question="policy_document", data=data, file_name="policy.pdf"
        )

    document = attachment.document
    assert document is not None
    assert document.record_type == "questionnaire_attachment"
    assert document.versions.get().blob.sha256 == attachment.sha256
    assert list(document.categories.values_list("code", flat=True)) == ["dhs_policy"]
    links = set(document.links.values_list("target_type", "target_id", "question"))
    assert links == {("supplier", qr.supplier_id, ""), ("answer", qr.pk, "policy_document")}
    assert Blob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_earlier_attachments_into_the_locker(request_sent):
    qr = request_sent
    data = b"Forced-labour policy, adopted 2026-01-10\n"
    with transaction.atomic():
        attachment = document_upload(
            qr=qr, actor=None, question="policy_document", data=data, file_name="policy.txt"
        )
    # As it was before the migration: an attachment and its bytes, no locker document.
    Attachment.objects.filter(pk=attachment.pk).update(document=None)
    Document.objects.all().delete()
    Blob.objects.all().delete()

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        executor.loader.build_graph()
        executor.migrate(AFTER)  # a second run finds nothing to move
    finally:  # the schema as the other tests expect it: every migration applied
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)

    attachment.refresh_from_db()
    document = attachment.document
    assert document is not None
    assert Document.objects.count() == 1
    version = document.versions.get()
    assert (version.blob.sha256, version.size, version.original_name) == (
        attachment.sha256,
        len(data),
        "policy.txt",
    )
    assert version.extension == ".txt"
    assert version.text_status == "pending"
    assert document.status == "in_review"
    assert document.title.startswith("Upload your forced-labor policy (")
    assert list(document.categories.values_list("code", flat=True)) == ["dhs_policy"]
    links = set(document.links.values_list("target_type", "target_id", "question"))
    assert links == {("supplier", qr.supplier_id, ""), ("answer", qr.pk, "policy_document")}
    assert f"REQ-{qr.pk}" in document.notes
