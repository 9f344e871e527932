"""Personal invitation links (CSRF enforced): a link signs in only the supplier contact it
was made for, never an account that happens to carry the contact's email as its
username, in this organization or another."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from chainproof.accounts.models import Membership, User
from chainproof.audit.models import AuditEvent
from chainproof.jobs.services import run_pending
from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_send_due
from chainproof.questionnaires import contacts
from chainproof.questionnaires.campaigns import reminders_send
from chainproof.questionnaires.models import Campaign, QuestionnaireRequest
from chainproof.questionnaires.versions import versions_sync
from chainproof.suppliers.models import Supplier
from tests.conftest import make_member
from tests.csrf_client import CsrfClient, csrf_token_from
from tests.invitation_helpers import link_in, open_link, signed_in_user_id
from tests.supply import load_demo

DUE = date.today() + timedelta(days=21)


@pytest.fixture
def analyst(db, alice, refdata):
    """An analyst of Acme Imports (organization A), with the demo supply chain."""
    load_demo(alice.organization)
    return make_member("Acme Imports", "ana", "analyst")


def _invite(client: CsrfClient, analyst, email: str) -> tuple[QuestionnaireRequest, str]:
    """The analyst sets the supplier's contact email, creates a campaign and sends the
    invitation, all over HTTP; the worker sends it. Returns the request and the link."""
    supplier = Supplier.objects.get(organization=analyst.organization, ref="S-VN-01")
    client.sign_in(analyst)
    patched = client.api("patch", f"/api/v1/suppliers/{supplier.pk}", {"contact_email": email})
    assert patched.status_code == 200, patched.content
    created = client.submit(
        "/questionnaires/new/",
        {
            "name": "Takeover probe",
            "version": str(versions_sync()[0].pk),
            "due_date": DUE.isoformat(),
            "reminder_days": "7",
            "suppliers": [str(supplier.pk)],
        },
    )
    assert created.status_code == 302, created.content.decode()[:1000]
    assert client.submit(created["Location"], {}).status_code == 302
    run_pending()
    message = next(m for m in mail.outbox if m.to == [email])
    return QuestionnaireRequest.objects.get(supplier=supplier), link_in(message.body)


def _assert_a_fresh_contact(client: CsrfClient, qr: QuestionnaireRequest, not_user: User):
    user_id = signed_in_user_id(client)
    assert user_id is not None, "the link signed nobody in"
    assert user_id != not_user.pk
    memberships = list(Membership.objects.filter(user_id=user_id))
    assert [(m.organization_id, m.role, m.supplier_id) for m in memberships] == [
        (qr.organization_id, "supplier", qr.supplier_id)
    ]
    assert client.get("/suppliers/").status_code == 403  # a contact, not a member


def test_a_link_to_another_organizations_admin_username_does_not_sign_in_as_that_admin(
    csrf_client, analyst
):
    boss = make_member("Borealis Trading", "boss@borealis.example", "admin")
    before = list(Membership.objects.filter(user=boss.user).values_list("organization", "role"))
    qr, link = _invite(csrf_client, analyst, "boss@borealis.example")

    outsider = CsrfClient()
    opened = open_link(outsider, link)
    assert opened.status_code == 302
    assert opened["Location"] == f"/portal/requests/{qr.pk}/"
    _assert_a_fresh_contact(outsider, qr, boss.user)
    # B's admin gained nothing in A, and the link holder reaches nothing of B.
    after = list(Membership.objects.filter(user=boss.user).values_list("organization", "role"))
    assert after == before
    switched = outsider.submit(
        "/accounts/organization/", {"organization": str(boss.organization.pk)}, from_page="/portal/"
    )
    assert switched.status_code == 302
    assert outsider.get("/suppliers/").status_code == 403


def test_a_link_to_an_internal_members_username_does_not_sign_in_as_that_member(
    csrf_client, analyst
):
    vera = make_member("Acme Imports", "vera@acme.example", "analyst")
    qr, link = _invite(csrf_client, analyst, "vera@acme.example")

    outsider = CsrfClient()
    opened = open_link(outsider, link)
    assert opened.status_code == 302
    _assert_a_fresh_contact(outsider, qr, vera.user)
    assert Membership.objects.get(user=vera.user).role == "analyst"


def test_a_link_to_an_account_without_any_membership_creates_a_distinct_contact(
    csrf_client, analyst
):
    with_no_org = User.objects.create_user("root@ops.example", password="x" * 20)
    with_no_org.is_superuser = with_no_org.is_staff = True
    with_no_org.save()
    qr, link = _invite(csrf_client, analyst, "root@ops.example")
    outsider = CsrfClient()
    assert open_link(outsider, link).status_code == 302
    _assert_a_fresh_contact(outsider, qr, with_no_org)
    assert not Membership.objects.filter(user=with_no_org).exists()
    contact = User.objects.get(pk=signed_in_user_id(outsider))
    assert contact.email == "root@ops.example"
    assert not contact.is_staff
    assert not contact.is_superuser


def test_the_contact_a_link_created_is_signed_in_again_by_the_next_link(csrf_client, analyst):
    qr, link = _invite(csrf_client, analyst, "lan@lotus.example")
    first = CsrfClient()
    assert open_link(first, link).status_code == 302
    contact_id = signed_in_user_id(first)
    assert User.objects.get(pk=contact_id).username == "lan@lotus.example"
    resent = csrf_client.submit(f"/questionnaires/{qr.campaign_id}/", {"requests": [str(qr.pk)]})
    assert resent.status_code == 302
    run_pending()
    again = CsrfClient()
    assert open_link(again, link_in(mail.outbox[-1].body)).status_code == 302
    assert signed_in_user_id(again) == contact_id


def test_a_scanners_head_and_get_change_nothing_and_the_button_signs_in(csrf_client, analyst):
    qr, link = _invite(csrf_client, analyst, "lan@lotus.example")
    events = AuditEvent.objects.count()
    scanner = CsrfClient()
    assert scanner.head(link).status_code == 200
    page = scanner.get(link)
    assert page.status_code == 200
    assert b"Open the questionnaire" in page.content
    assert scanner.post(link, {}).status_code in (403, 405)  # no state change by the path
    qr.refresh_from_db()
    assert qr.status == "sent"
    assert qr.opened_at is None
    assert not User.objects.filter(email="lan@lotus.example").exists()
    assert AuditEvent.objects.count() == events
    assert signed_in_user_id(scanner) is None
    # The person presses the button: signed in, and the link still works afterwards.
    assert open_link(scanner, link)["Location"] == f"/portal/requests/{qr.pk}/"
    assert open_link(CsrfClient(), link).status_code == 302
    assert AuditEvent.objects.filter(action="questionnaire.invitation_opened").count() == 2


def test_reminders_resend_the_same_working_link(csrf_client, analyst):
    _, link = _invite(csrf_client, analyst, "lan@lotus.example")
    assert reminders_send(base_url="http://127.0.0.1:8000", today=DUE + timedelta(days=1)) == 1
    email_send_due()
    assert mail.outbox[-1].subject.startswith("Overdue:")
    assert link_in(mail.outbox[-1].body) == link
    assert open_link(CsrfClient(), link).status_code == 302


def _expire(qr: QuestionnaireRequest) -> None:
    """As if the campaign were long past due: its link expired 30 days after the due date."""
    due = date.today() - timedelta(days=40)
    Campaign.objects.filter(pk=qr.campaign_id).update(due_date=due)
    QuestionnaireRequest.objects.filter(pk=qr.pk).update(
        token_expires_at=timezone.now() - timedelta(days=10)
    )


def _new_link_page(client: CsrfClient, link: str):
    dead = client.get(link)
    assert dead.status_code == 410
    assert b"Send me a new link" in dead.content
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert f'name="token" value="{token}"'.encode() in dead.content
    return client.post(
        "/portal/invite/new/", {"token": token, "csrfmiddlewaretoken": csrf_token_from(dead)}
    )


def test_an_expired_link_offers_a_new_one_to_the_address_on_file(csrf_client, analyst):
    qr, link = _invite(csrf_client, analyst, "lan@lotus.example")
    _expire(qr)
    stranger = CsrfClient()
    assert open_link(stranger, link).status_code == 410
    assert signed_in_user_id(stranger) is None

    sent_before = len(mail.outbox)
    asked = _new_link_page(stranger, link)
    assert asked.status_code == 200
    email_send_due()
    assert len(mail.outbox) == sent_before + 1
    fresh = mail.outbox[-1]
    assert fresh.to == ["lan@lotus.example"]
    new_link = link_in(fresh.body)
    assert new_link != link
    assert open_link(CsrfClient(), new_link)["Location"] == f"/portal/requests/{qr.pk}/"
    resent = AuditEvent.objects.get(action="questionnaire.link_resent")
    assert resent.organization_id == qr.organization_id
    assert resent.after["to"] == "lan@lotus.example"

    # Asking again at once, or with a token nobody issued: the same answer, nothing sent.
    again = _new_link_page(CsrfClient(), link)
    unknown = _new_link_page(CsrfClient(), "/portal/invite/no-such-token-at-all/")
    email_send_due()
    assert len(mail.outbox) == sent_before + 1
    assert AuditEvent.objects.filter(action="questionnaire.link_resent").count() == 1
    assert again.status_code == unknown.status_code == asked.status_code
    assert _main(again.content) == _main(unknown.content) == _main(asked.content)
    assert b"Check your email" in asked.content


def test_new_links_are_rate_limited_per_request(csrf_client, analyst, monkeypatch):
    qr, link = _invite(csrf_client, analyst, "lan@lotus.example")
    _expire(qr)
    monkeypatch.setattr(contacts, "NEW_LINK_INTERVAL", timedelta(0))
    for _ in range(contacts.NEW_LINKS_PER_DAY + 3):
        # Each new link replaces the request's hash: point the old, expired one back.
        QuestionnaireRequest.objects.filter(pk=qr.pk).update(
            token_hash=contacts._token_hash(link.rstrip("/").rsplit("/", 1)[1]),
        )
        _expire(qr)
        assert _new_link_page(CsrfClient(), link).status_code == 200
    sent = OutboundEmail.objects.filter(purpose="questionnaire.new_link", related_id=str(qr.pk))
    assert sent.count() == contacts.NEW_LINKS_PER_DAY


def _main(content: bytes) -> bytes:
    """The page without what differs per response (the CSRF token)."""
    return re.sub(rb'value="[^"]+"', b"", content.split(b"<main", 1)[-1])
