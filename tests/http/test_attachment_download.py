"""A questionnaire attachment is kept in the blob store and downloaded as a stream, on
local disk and on a real S3 server: intact content arrives whole, altered content never
does, and a missing file is a page that says so."""

from __future__ import annotations

import pytest
from django.db import transaction

from chainproof.blobs import BlobAltered, BlobStatus, blob_store
from chainproof.questionnaires.answering import document_upload
from tests.hostile_files import hostile_file
from tests.questionnaire_helpers import sent_request
from tests.s3_server import free_port


@pytest.fixture(params=["local", "s3"])
def stored_attachment(request, settings, tmp_path, alice, refdata):
    settings.MEDIA_ROOT = tmp_path / "files"
    if request.param == "s3":
        s3 = request.getfixturevalue("s3_settings")

        def tamper(sha256: str, data: bytes) -> None:
            key = f"{s3.prefix}{sha256[:2]}/{sha256}"
            s3.client.put_object(Bucket=s3.bucket, Key=key, Body=data)
    else:
        settings.STORAGE_BACKEND = "local"

        def tamper(sha256: str, data: bytes) -> None:
            (settings.MEDIA_ROOT / sha256[:2] / sha256).write_bytes(data)

    qr = sent_request(alice)
    file_name, data = hostile_file("portal_document", "clean.pdf")
    with transaction.atomic():
        attachment = document_upload(
            qr=qr, actor=None, question="policy_document", data=data, file_name=file_name
        )
    return attachment, data, tamper


def test_an_attachment_is_streamed_from_the_store(csrf_client, alice, stored_attachment):
    attachment, data, _ = stored_attachment
    store = blob_store()
    assert store.verify(attachment.sha256) is BlobStatus.OK
    assert attachment.size == len(data)
    csrf_client.sign_in(alice)
    url = f"/questionnaires/files/{attachment.pk}/"
    response = csrf_client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="clean.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"

    store.delete(attachment.sha256)
    missing = csrf_client.get(url)
    assert missing.status_code == 404
    assert "The stored file is missing" in missing.content.decode()


def test_an_altered_attachment_is_never_delivered_whole(csrf_client, alice, stored_attachment):
    attachment, data, tamper = stored_attachment
    altered = data.replace(b"%%EOF", b"%%EOX")
    assert altered != data
    tamper(attachment.sha256, altered)
    csrf_client.sign_in(alice)
    response = csrf_client.get(f"/questionnaires/files/{attachment.pk}/")
    assert response.status_code == 200  # the check can only end when the content has been read
    with pytest.raises(BlobAltered):
        b"".join(response.streaming_content)


def test_an_unreachable_store_is_a_page_that_says_so(
    csrf_client, alice, stored_attachment, settings
):
    attachment, _, _ = stored_attachment
    settings.STORAGE_BACKEND = "s3"
    settings.S3_BUCKET = "elsewhere"
    settings.S3_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"
    csrf_client.sign_in(alice)
    response = csrf_client.get(f"/questionnaires/files/{attachment.pk}/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "The file store cannot be reached" in page
    assert settings.S3_ENDPOINT_URL not in page  # the address is for the logs, not the page
