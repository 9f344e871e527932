"""Job pages and the jobs API tell the truth: a rejected file is "Rejected", never a green
"Succeeded"; a real import speaks in the past tense, a dry run in "would"; a job that
raises is "Failed" with a sentence, and its traceback goes to the log only."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.jobs.models import Job
from chainproof.jobs.services import HANDLERS, job_claim, job_enqueue, job_run, run_pending
from chainproof.suppliers.models import Supplier
from tests.supply import csv_bytes, load_demo

pytestmark = pytest.mark.django_db

SECRET_DIR = str(Path(__file__).parent)
_SERVER_PATH = re.compile(r"(?:/[\w.-]+){2,}\.py|/(?:srv|home|usr|work|tmp)/[\w.-]+")


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    return alice


def _upload(client, member, content, name="s.csv", dry_run=False):
    """Queue a file import as the API does, run it, and read its job page."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chainproof.suppliers.jobs import import_request

    with transaction.atomic():
        job = import_request(
            organization=member.organization,
            actor=member.user,
            entity="suppliers",
            upload=SimpleUploadedFile(name, content),
            dry_run=dry_run,
        )
    run_pending()
    job.refresh_from_db()
    return job, client.get(f"/jobs/{job.pk}/").content.decode()


def _badge(page: str) -> str:
    match = re.search(r'<span class="badge job-(\w+)" id="job-state">([^<]*)</span>', page)
    assert match, "the page shows no job status badge"
    return f"{match.group(1)}:{match.group(2)}"


def test_a_rejected_import_is_rejected_not_succeeded(csrf_client, demo):
    csrf_client.sign_in(demo)
    before = Supplier.objects.count()
    job, page = _upload(
        csrf_client,
        demo,
        csv_bytes(
            "suppliers",
            {"legal_name": "Okay", "country": "VN"},
            {"legal_name": "Bad", "country": "XX"},
        ),
    )
    assert job.status == "succeeded"  # the job itself ran; the file was refused
    assert _badge(page) == "rejected:Rejected"
    assert "Succeeded" not in page
    assert "Nothing was imported from s.csv: 1 problem." in page
    table = page.split('id="import-errors"', 1)[1]
    assert "<th>Sheet</th><th>Row</th><th>Column</th><th>Expected</th><th>Found</th>" in table
    assert "<code>XX</code>" in table
    assert 'id="import-summary"' not in page
    assert Supplier.objects.count() == before
    body = csrf_client.api("get", f"/api/v1/jobs/{job.pk}").json()
    assert (body["status"], body["outcome"], body["outcome_label"]) == (
        "succeeded",
        "rejected",
        "Rejected",
    )
    assert body["result"]["ok"] is False
    assert AuditEvent.objects.filter(action="job.rejected", object_id=str(job.pk)).exists()
    assert not AuditEvent.objects.filter(action="job.succeeded", object_id=str(job.pk)).exists()


def test_a_real_import_says_what_it_did_in_the_past_tense(csrf_client, demo):
    csrf_client.sign_in(demo)
    job, page = _upload(
        csrf_client,
        demo,
        csv_bytes(
            "suppliers",
            {"legal_name": "Jobco", "country": "VN"},
            {"legal_name": "Two", "country": "TH"},
        ),
    )
    assert _badge(page) == "succeeded:Succeeded"
    assert "Imported s.csv (2 rows)." in page
    assert "Created 2, updated 0, unchanged 0." in page
    assert "would" not in page.split('id="import-summary"', 1)[1]
    assert "to create" not in page
    assert "<td>created</td>" in page
    assert csrf_client.api("get", f"/api/v1/jobs/{job.pk}").json()["outcome"] == "succeeded"


def test_a_dry_run_says_what_it_would_do(csrf_client, demo):
    csrf_client.sign_in(demo)
    _job, page = _upload(
        csrf_client,
        demo,
        csv_bytes("suppliers", {"legal_name": "Dryco", "country": "VN"}),
        dry_run=True,
    )
    assert _badge(page) == "succeeded:Succeeded"
    assert "Dry run of s.csv (1 row): nothing was changed." in page
    assert "would create 1, would update 0" in page
    assert "<td>would create</td>" in page
    assert "Created" not in page
    assert not Supplier.objects.filter(legal_name="Dryco").exists()


@pytest.fixture
def raising():
    def internal(job, progress):
        raise RuntimeError(f'Traceback: File "{SECRET_DIR}/secret.py", line 3: broken')

    def key(job, progress):
        return {}["missing_key"]

    def path_in_value_error(job, progress):
        raise ValueError(f"cannot open {SECRET_DIR}/upload.bin")

    HANDLERS["test.internal"] = internal
    HANDLERS["test.key"] = key
    HANDLERS["test.path"] = path_in_value_error
    yield
    for kind in ("test.internal", "test.key", "test.path"):
        del HANDLERS[kind]


@pytest.mark.parametrize("kind", ["test.internal", "test.key", "test.path"])
def test_a_job_that_raises_is_failed_without_a_traceback(csrf_client, demo, raising, caplog, kind):
    with transaction.atomic():
        job_enqueue(kind=kind, organization=demo.organization, actor=demo.user)
    with caplog.at_level(logging.ERROR, logger="chainproof.jobs.services"):
        job = job_run(job_claim())
    assert job.status == "failed"
    [record] = [r for r in caplog.records if r.getMessage() == f"job {job.pk} failed"]
    assert record.exc_info is not None  # the traceback is in the server's log
    csrf_client.sign_in(demo)
    page = csrf_client.get(f"/jobs/{job.pk}/").content.decode()
    body = csrf_client.api("get", f"/api/v1/jobs/{job.pk}").content.decode()
    assert _badge(page) == "failed:Failed"
    assert f"An internal error stopped the job (logged on the server as job {job.pk})." in page
    assert "start the job again" in page
    assert '"outcome": "failed"' in body.replace('":"', '": "')
    for text in (page, body):
        assert "Traceback" not in text
        assert ".py" not in text
        assert "missing_key" not in text
        assert SECRET_DIR not in text
        assert not _SERVER_PATH.search(text), _SERVER_PATH.search(text)


def test_a_handlers_message_for_people_is_shown_as_a_sentence(csrf_client, demo):
    def refused(job, progress):
        raise LookupError("the uploaded file is no longer stored; upload it again")

    HANDLERS["test.refused"] = refused
    try:
        with transaction.atomic():
            job_enqueue(kind="test.refused", organization=demo.organization, actor=demo.user)
        job = job_run(job_claim())
    finally:
        del HANDLERS["test.refused"]
    csrf_client.sign_in(demo)
    page = csrf_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "The uploaded file is no longer stored; upload it again." in page
    error = csrf_client.api("get", f"/api/v1/jobs/{job.pk}").json()["error"]
    assert error == "The uploaded file is no longer stored; upload it again."


def _finished_import(org, **extra):
    result = {
        "ok": True,
        "entity": "suppliers",
        "file_name": "list.xlsx",
        "dry_run": False,
        "rows": 10,
        "created": 5,
        "updated": 2,
        "unchanged": 3,
        "changes": [],
        **extra,
    }
    return Job.objects.create(
        organization=org, kind="suppliers.import", status="succeeded", result=result
    )


def test_rows_kept_for_review_are_shown_with_a_link_to_their_batch(csrf_client, demo):
    csrf_client.sign_in(demo)
    with_batch = _finished_import(demo.organization, pending=4, batch_id=17, duplicates=[1, 2])
    page = csrf_client.get(f"/jobs/{with_batch.pk}/").content.decode()
    assert "Created 5, updated 2, unchanged 3." in page
    assert "4 rows kept for review (not imported)." in page
    assert 'href="/suppliers/imports/17/"' in page
    assert "2 likely duplicates found (to review)." in page
    without_batch = _finished_import(demo.organization, pending=1)
    page = csrf_client.get(f"/jobs/{without_batch.pk}/").content.decode()
    assert "1 row kept for review (not imported)." in page
    assert "/suppliers/imports/" not in page
    plain = _finished_import(demo.organization)
    page = csrf_client.get(f"/jobs/{plain.pk}/").content.decode()
    assert "Created 5, updated 2, unchanged 3." in page
    assert "kept for review" not in page


def test_another_organizations_job_is_404_in_the_api(csrf_client, demo, bob):
    job = Job.objects.create(organization=demo.organization, kind="suppliers.tiers")
    csrf_client.sign_in(bob)
    assert csrf_client.api("get", f"/api/v1/jobs/{job.pk}").status_code == 404
