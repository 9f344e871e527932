"""Every account and membership, however it is created, writes its audit event: here the
supplier contact an invitation link creates on first use."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from chainproof.accounts.models import Membership, User
from chainproof.audit.models import AuditEvent
from chainproof.domain.hashing import sha256_bytes
from chainproof.questionnaires.models import Campaign, QuestionnaireRequest, QuestionnaireVersion
from chainproof.suppliers.models import Supplier
from tests.csrf_client import CsrfClient
from tests.invitation_helpers import open_link
from tests.supply import load_demo


@pytest.fixture
def invited(alice, refdata):
    """A request sent to a supplier contact, with a known link token (set up with the ORM
    so the test reads the same before and after the services moved)."""
    load_demo(alice.organization)
    call_command("questionnaires", "versions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    campaign = Campaign.objects.create(
        organization=alice.organization,
        name="Q4",
        questionnaire=QuestionnaireVersion.objects.first(),
        due_date=date.today() + timedelta(days=10),
    )
    token = "a-link-token-for-the-test"
    qr = QuestionnaireRequest.objects.create(
        organization=alice.organization,
        campaign=campaign,
        supplier=supplier,
        contact_email="Lan@Lotus.example",
        status="sent",
        token_hash=sha256_bytes(token.encode()),
        token_expires_at=timezone.now() + timedelta(days=1),
    )
    return qr, token


def test_opening_an_invitation_link_audits_the_new_account_and_membership(csrf_client, invited):
    qr, token = invited
    opened = open_link(csrf_client, f"/portal/invite/{token}/")
    assert opened.status_code == 302
    user = User.objects.get(username="lan@lotus.example")
    membership = Membership.objects.get(user=user, organization_id=qr.organization_id)
    assert membership.role == "supplier"
    assert membership.supplier_id == qr.supplier_id
    assert not user.has_usable_password()
    created = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert created.organization_id == qr.organization_id
    assert created.after["username"] == "lan@lotus.example"
    joined = AuditEvent.objects.get(action="membership.created", object_id=str(membership.pk))
    assert joined.organization_id == qr.organization_id
    assert joined.after["role"] == "supplier"
    assert joined.after["supplier_id"] == qr.supplier_id


def test_a_second_link_for_the_same_contact_creates_nothing_new(csrf_client, invited):
    qr, token = invited
    assert open_link(csrf_client, f"/portal/invite/{token}/").status_code == 302
    again = "another-link-token-for-the-test"
    qr.refresh_from_db()
    qr.token_hash = sha256_bytes(again.encode())
    qr.save()
    assert open_link(CsrfClient(), f"/portal/invite/{again}/").status_code == 302
    assert (
        AuditEvent.objects.filter(action="user.created", object_repr="lan@lotus.example").count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(
            action="membership.created", organization_id=qr.organization_id, after__role="supplier"
        ).count()
        == 1
    )
