"""Password reset by email (CSRF enforced): the link goes through the outbox to the
account's address, works once, resets the password, revokes the API tokens; requests
are throttled per address and answered the same for unknown addresses."""

import re

import pytest
from django.core import mail

from chainproof.accounts import services
from chainproof.accounts.models import ApiToken
from chainproof.audit.models import AuditEvent
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_send_due
from tests.csrf_client import CsrfClient

NEW_PASSWORD = "violet-Harbour-9034-mosaic"


@pytest.fixture
def alice_with_email(alice):
    alice.user.email = "alice@acme.example"
    alice.user.save()
    return alice


def _reset_link(body: str) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/[^\s/]+/[^\s/]+/)", body)
    assert match, body
    return match.group(1)


def test_a_forgotten_password_is_reset_through_an_emailed_link(csrf_client, alice_with_email):
    alice = alice_with_email
    csrf_client.sign_in(alice)
    made = csrf_client.submit("/accounts/tokens/", {"name": "ERP sync", "days": "90"})
    assert made.status_code == 200
    assert ApiToken.objects.filter(user=alice.user, revoked_at__isnull=True).count() == 1
    csrf_client.logout()

    login = csrf_client.get("/accounts/login/")
    assert b'href="/accounts/password/reset/"' in login.content
    asked = csrf_client.submit("/accounts/password/reset/", {"email": "Alice@Acme.example"})
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/password/reset/sent/"
    queued = OutboundEmail.objects.get(purpose="accounts.password_reset")
    assert queued.organization_id == alice.organization.pk
    assert AuditEvent.objects.filter(
        action="user.password_reset_requested", object_id=str(alice.user.pk)
    ).exists()
    email_send_due()
    message = mail.outbox[-1]
    assert message.to == ["alice@acme.example"]
    link = _reset_link(message.body)

    browser = CsrfClient()
    page = browser.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = browser.post(
        form_url,
        {
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "csrfmiddlewaretoken": re.search(
                rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content
            )
            .group(1)
            .decode(),
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/done/"
    assert CsrfClient().log_in("alice", NEW_PASSWORD).status_code == 302
    assert CsrfClient().log_in("alice", alice.password).status_code == 200  # old one refused
    assert AuditEvent.objects.filter(
        action="user.password_reset", object_id=str(alice.user.pk)
    ).exists()
    assert not ApiToken.objects.filter(user=alice.user, revoked_at__isnull=True).exists()
    # The link works once.
    used = CsrfClient().get(link, follow=True)
    assert b"Link not valid" in used.content


def test_reset_requests_are_throttled_per_address_and_answer_the_same(
    csrf_client, alice_with_email
):
    answers = set()
    for _ in range(services.RESET_EMAILS_PER_ADDRESS + 2):
        answered = CsrfClient().submit("/accounts/password/reset/", {"email": "alice@acme.example"})
        answers.add((answered.status_code, answered["Location"]))
    unknown = CsrfClient().submit("/accounts/password/reset/", {"email": "nobody@acme.example"})
    answers.add((unknown.status_code, unknown["Location"]))
    assert answers == {(302, "/accounts/password/reset/sent/")}
    assert (
        OutboundEmail.objects.filter(purpose="accounts.password_reset").count()
        == services.RESET_EMAILS_PER_ADDRESS
    )
    assert not OutboundEmail.objects.filter(to="nobody@acme.example").exists()
