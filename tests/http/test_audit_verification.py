"""A long audit trail is verified in the background: the page and the API show the last
verification, an administrator starts one, and a broken link found by the job is shown."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from chainproof.audit.models import AuditEvent
from chainproof.audit.services import audit_record, chain_for
from chainproof.auditlog import verification
from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from tests.http.test_api import _token

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_trail(alice, monkeypatch):
    """Alice's trail, a few events longer than what the page verifies while it loads."""
    monkeypatch.setattr(verification, "VERIFY_INLINE_UP_TO", 3)
    with transaction.atomic():
        for step in range(6):
            audit_record(action="test.step", organization=alice.organization, after={"n": step})
    return AuditEvent.objects.filter(chain=chain_for(alice.organization.pk)).count()


def test_a_long_trail_is_verified_by_a_job_the_page_starts_and_then_shows(
    csrf_client, alice, long_trail
):
    csrf_client.sign_in(alice)
    page = csrf_client.get("/audit/verify/").content.decode()
    assert "has not been verified as a whole yet" in page
    assert "Verify the whole trail now" in page
    started = csrf_client.submit("/audit/verify/run/", from_page="/audit/verify/")
    assert started.status_code == 302
    job = Job.objects.get(kind="audit.verify", organization=alice.organization)
    assert started["Location"] == f"/jobs/{job.pk}/"
    waiting = csrf_client.get("/audit/verify/").content.decode()
    assert "waiting to run" in waiting
    assert "Verify the whole trail now" not in waiting
    assert run_pending() >= 1
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert job.result["events_checked"] >= long_trail
    held = csrf_client.get("/audit/verify/").content.decode()
    assert "The chain held when it was last verified" in held
    assert f"{job.result['events_checked']} events recomputed" in held
    # One event rewritten in SQL: the next verification finds it.
    target = AuditEvent.objects.filter(organization=alice.organization).order_by("seq")[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["mallory", target.pk]
        )
    csrf_client.submit("/audit/verify/run/", from_page="/audit/verify/")
    assert run_pending() >= 1
    broken = csrf_client.get("/audit/verify/").content.decode()
    assert "The chain was broken when it was last verified" in broken
    assert f"event {target.pk} (position {target.seq})" in broken
    # The job's own page says it in words
    last = Job.objects.filter(kind="audit.verify").order_by("-pk").first()
    words = csrf_client.get(f"/jobs/{last.pk}/").content.decode()
    assert "The audit trail holds" in words
    assert "Nothing was imported" not in words


def test_the_api_returns_the_last_verification_of_a_long_trail_and_starts_one(
    csrf_client, alice, long_trail
):
    token = _token(csrf_client, alice)["token"]
    never = csrf_client.api("get", "/api/v1/audit/verify", bearer=token)
    assert never.status_code == 409
    assert "POST /api/v1/audit/verify" in never.json()["error"]["message"]
    started = csrf_client.api("post", "/api/v1/audit/verify", bearer=token)
    assert started.status_code == 202
    assert started.json()["kind"] == "audit.verify"
    assert started.json()["status"] == "queued"
    again = csrf_client.api("post", "/api/v1/audit/verify", bearer=token)
    assert again.json()["id"] == started.json()["id"]  # one waiting job, not two
    assert run_pending() >= 1
    body = csrf_client.api("get", "/api/v1/audit/verify", bearer=token).json()
    assert body["ok"] is True
    assert body["checked"] >= long_trail
    assert body["job"] == started.json()["id"]
    assert body["verified_at"] is not None


def test_only_an_administrator_starts_a_verification(csrf_client, victor, long_trail):
    csrf_client.sign_in(victor)
    assert csrf_client.get("/audit/verify/").status_code == 403
    refused = csrf_client.submit("/audit/verify/run/", from_page="/")
    assert refused.status_code == 403
    assert not Job.objects.filter(kind="audit.verify").exists()
