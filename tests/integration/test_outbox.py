"""The outbox: questionnaire email is recorded with the change and sent by the worker
after commit; a refusing mail server leaves the message failed and the invitations
recorded, and a later attempt sends it."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_retry, email_send_due, retry_delay
from chainproof.questionnaires.campaigns import campaign_create, invitations_send
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.models import Supplier
from tests.supply import load_demo

BASE = "http://127.0.0.1:8000"
REFUSING = "tests.mail_backends.RefusingBackend"


@pytest.fixture
def campaign(alice, refdata):
    load_demo(alice.organization)
    suppliers = list(Supplier.objects.filter(organization=alice.organization).order_by("ref")[:3])
    assert len(suppliers) == 3
    for n, supplier in enumerate(suppliers):
        supplier.contact_email = f"contact{n}@supplier.example"
        supplier.save()
    with transaction.atomic():
        return campaign_create(
            organization_id=alice.organization.pk,
            actor=alice.user,
            name="Q4",
            questionnaire=versions_sync()[0],
            due_date=date.today() + timedelta(days=20),
            supplier_ids=[s.pk for s in suppliers],
        )


def _send_jobs():
    return Job.objects.filter(kind=JobKind.OUTBOX_SEND)


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(campaign, alice):
    class Abort(Exception):
        pass

    def invite_then_fail():
        with transaction.atomic():
            assert invitations_send(campaign=campaign, actor=alice.user, base_url=BASE)["sent"] == 3
            assert OutboundEmail.objects.count() == 3
            raise Abort

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks, pytest.raises(Abort):
        invite_then_fail()
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert not _send_jobs().exists()
    assert run_pending() == 0
    assert email_send_due() == {"sent": 0, "failed": 0, "left": 0}
    assert mail.outbox == []
    assert not QuestionnaireRequest.objects.filter(campaign=campaign, status="sent").exists()


def test_nothing_is_sent_before_commit_and_one_job_sends_everything(campaign, alice):
    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            invitations_send(campaign=campaign, actor=alice.user, base_url=BASE)
            assert not _send_jobs().exists()  # asked for on commit only
        assert mail.outbox == []
    assert _send_jobs().count() == 1  # three messages, one coalesced job
    assert mail.outbox == []  # the worker has not run yet
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"queued"}
    assert run_pending() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"contact{n}@supplier.example" for n in range(3)
    ]
    assert "/portal/invite/" in mail.outbox[0].body
    sent = list(OutboundEmail.objects.all())
    assert sent
    assert all(e.status == "sent" and e.attempts == 1 and e.sent_at for e in sent)
    assert AuditEvent.objects.filter(action="email.queued").count() == 3
    assert AuditEvent.objects.filter(action="email.sent").count() == 3
    assert _send_jobs().get().status == "succeeded"


def test_a_refusing_server_fails_one_message_and_a_later_attempt_sends_it(
    campaign, alice, settings
):
    settings.EMAIL_BACKEND = REFUSING
    settings.TEST_REFUSED_RECIPIENTS = ["contact1@supplier.example"]
    settings.EMAIL_MAX_ATTEMPTS = 3
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=BASE)
    run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contact0@supplier.example",
        "contact2@supplier.example",
    ]
    failed = OutboundEmail.objects.get(to="contact1@supplier.example")
    assert failed.status == "failed"
    assert failed.attempts == 1
    assert "SMTPRecipientsRefused" in failed.last_error
    assert "mailbox unavailable" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    event = AuditEvent.objects.get(action="email.failed", object_id=str(failed.pk))
    assert "SMTPRecipientsRefused" in event.after["error"]
    # Every invitation stays recorded, the refused one included.
    requests = list(QuestionnaireRequest.objects.filter(campaign=campaign))
    assert len(requests) == 3
    assert all(qr.status == "sent" and qr.token_hash for qr in requests)

    # Not due yet: nothing is tried again.
    assert email_send_due() == {"sent": 0, "failed": 0, "left": 0}
    # Due, still refused: the wait doubles.
    later = timezone.now() + timedelta(minutes=2)
    assert email_send_due(now=later)["failed"] == 1
    failed.refresh_from_db()
    assert failed.attempts == 2
    assert failed.next_attempt_at - timezone.now() > timedelta(minutes=1, seconds=50)
    # The server takes it now.
    settings.TEST_REFUSED_RECIPIENTS = []
    assert email_send_due(now=timezone.now() + timedelta(minutes=5))["sent"] == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 3, "")
    assert mail.outbox[-1].to == ["contact1@supplier.example"]
    assert len(mail.outbox) == 3


def test_a_message_is_given_up_after_the_maximum_attempts_and_retried_on_request(
    campaign, alice, settings
):
    settings.EMAIL_BACKEND = REFUSING
    settings.TEST_REFUSED_RECIPIENTS = ["contact0@supplier.example"]
    settings.EMAIL_MAX_ATTEMPTS = 2
    with transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=BASE)
    email_send_due()
    email_send_due(now=timezone.now() + timedelta(hours=1))
    refused = OutboundEmail.objects.get(to="contact0@supplier.example")
    assert (refused.status, refused.attempts, refused.next_attempt_at) == ("failed", 2, None)
    assert refused.given_up
    assert email_send_due(now=timezone.now() + timedelta(days=30))["failed"] == 0

    settings.TEST_REFUSED_RECIPIENTS = []
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        email_retry(message=refused, actor=alice.user)
    assert _send_jobs().filter(status="queued").count() == 1
    assert AuditEvent.objects.filter(
        action="email.retry_requested", object_id=str(refused.pk), actor=alice.user
    ).exists()
    run_pending()
    refused.refresh_from_db()
    assert refused.status == "sent"
    assert mail.outbox[-1].to == ["contact0@supplier.example"]


def test_retry_waits_double_each_time_up_to_six_hours():
    waits = [retry_delay(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=6)
    assert waits == sorted(waits)


def test_a_message_claimed_by_one_worker_is_not_sent_by_another(campaign, alice):
    from chainproof.outbox.services import _claim

    with transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=BASE)
    first = OutboundEmail.objects.order_by("pk").first()
    now = timezone.now()
    assert _claim(first.pk, now) is not None
    assert _claim(first.pk, now) is None  # the second worker finds it taken
    assert email_send_due(now=now)["sent"] == 2
    assert len(mail.outbox) == 2
