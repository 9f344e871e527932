"""Outbound email as people see it (CSRF enforced): the invitation status per supplier
on the campaign page, and the admin's outbox list with its retry button."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail

from chainproof.audit.models import AuditEvent
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from chainproof.outbox.models import OutboundEmail
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.models import Supplier
from tests.csrf_client import csrf_refused
from tests.supply import load_demo

REFUSED = "compliance1@supplier.example"


@pytest.fixture
def sent_campaign(csrf_client, alice, refdata, settings):
    """Two suppliers invited over HTTP; the mail server refuses the second."""
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    settings.TEST_REFUSED_RECIPIENTS = [REFUSED]
    load_demo(alice.organization)
    suppliers = list(
        Supplier.objects.filter(organization=alice.organization, ref__in=["S-VN-01", "S-CN-01"])
    )
    for n, supplier in enumerate(suppliers):
        supplier.contact_email = f"compliance{n}@supplier.example"
        supplier.save()
    csrf_client.sign_in(alice)
    created = csrf_client.submit(
        "/questionnaires/new/",
        {
            "name": "2026 apparel suppliers",
            "version": str(versions_sync()[0].pk),
            "due_date": (date.today() + timedelta(days=21)).isoformat(),
            "reminder_days": "7",
            "suppliers": [str(s.pk) for s in suppliers],
        },
    )
    url = created["Location"]
    assert csrf_client.submit(url, {}).status_code == 302
    assert Job.objects.filter(kind=JobKind.OUTBOX_SEND, status="queued").count() == 1
    assert mail.outbox == []
    run_pending()
    return url


def _status_cells(page):
    return re.findall(
        r'<td class="invitation-email">.*?>(Queued|Sent|Failed)</span>', page.content.decode()
    )


def test_the_campaign_page_shows_each_invitations_email_status(csrf_client, sent_campaign):
    page = csrf_client.get(sent_campaign)
    assert page.status_code == 200
    assert sorted(_status_cells(page)) == ["Failed", "Sent"]
    assert "SMTPRecipientsRefused" in page.content.decode()


def test_the_outbox_lists_filters_and_retries_failed_email(
    csrf_client, sent_campaign, alice, settings
):
    home = csrf_client.get("/")
    assert b'href="/outbox/"' in home.content
    listed = csrf_client.get("/outbox/")
    body = listed.content.decode()
    assert listed.status_code == 200
    assert body.count("<tr data-email=") == 2
    assert REFUSED in body
    assert "compliance0@supplier.example" in body
    assert "SMTPRecipientsRefused" in body
    failed_only = csrf_client.get("/outbox/?status=failed").content.decode()
    assert failed_only.count("<tr data-email=") == 1
    assert REFUSED in failed_only
    assert "compliance0@supplier.example" not in failed_only
    assert failed_only.count("Retry now") == 1

    failed = OutboundEmail.objects.get(to=REFUSED)
    settings.TEST_REFUSED_RECIPIENTS = []
    retried = csrf_client.submit(f"/outbox/{failed.pk}/retry/", from_page="/outbox/")
    assert retried.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "queued"
    assert AuditEvent.objects.filter(
        action="email.retry_requested", object_id=str(failed.pk), actor=alice.user
    ).exists()
    run_pending()
    assert mail.outbox[-1].to == [REFUSED]
    assert sorted(_status_cells(csrf_client.get(sent_campaign))) == ["Sent", "Sent"]
    # A sent message cannot be retried.
    again = csrf_client.submit(f"/outbox/{failed.pk}/retry/", from_page="/outbox/")
    assert again.status_code == 302
    assert len(mail.outbox) == 2


def test_only_the_organizations_admins_see_or_retry_its_email(
    csrf_client, sent_campaign, victor, bob
):
    failed = OutboundEmail.objects.get(to=REFUSED)
    csrf_client.sign_in(victor)
    assert csrf_client.get("/outbox/").status_code == 403
    refused = csrf_client.submit(f"/outbox/{failed.pk}/retry/", from_page="/")
    assert refused.status_code == 403
    assert not csrf_refused(refused)
    csrf_client.sign_in(bob)
    assert csrf_client.get("/outbox/").content.decode().count("<tr data-email=") == 0
    assert csrf_client.submit(f"/outbox/{failed.pk}/retry/", from_page="/").status_code == 404
    failed.refresh_from_db()
    assert failed.status == "failed"
    assert not AuditEvent.objects.filter(action="email.retry_requested").exists()


def test_an_admin_reads_a_message_with_its_personal_link_redacted(
    csrf_client, sent_campaign, victor, bob
):
    sent = OutboundEmail.objects.get(to="compliance0@supplier.example")
    delivered = next(m for m in mail.outbox if m.to == [sent.to])
    token = re.search(r"/portal/invite/([^\s/]+)/", delivered.body).group(1)
    assert token in sent.body  # the stored message is the message itself
    listed = csrf_client.get("/outbox/").content.decode()
    assert f'href="/outbox/{sent.pk}/"' in listed
    assert token not in listed
    page = csrf_client.get(f"/outbox/{sent.pk}/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert "/portal/invite/[redacted]/" in shown
    assert token not in shown
    assert sent.subject in shown
    csrf_client.sign_in(victor)
    assert csrf_client.get(f"/outbox/{sent.pk}/").status_code == 403
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/outbox/{sent.pk}/").status_code == 404
