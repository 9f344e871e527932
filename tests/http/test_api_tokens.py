"""API tokens: they expire, die with a password change, an admin can revoke anyone's in the
organization, and supplier contacts get none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.models import ApiToken
from chainproof.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


def _token(client, member, **body):
    client.sign_in(member)
    response = client.api(
        "post", "/api/v1/tokens", {"name": "ci", **body}, from_page="/accounts/tokens/"
    )
    client.logout()
    return response


def test_a_token_expires_and_then_fails(csrf_client, alice):
    created = _token(csrf_client, alice, days=30).json()
    stored = ApiToken.objects.get(pk=created["id"])
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)
    assert csrf_client.api("get", "/api/v1/me", bearer=created["token"]).status_code == 200
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert csrf_client.api("get", "/api/v1/me", bearer=created["token"]).status_code == 401
    assert created["status"] == "active"


def test_an_unlisted_lifetime_is_refused(csrf_client, alice):
    response = _token(csrf_client, alice, days=10000)
    assert response.status_code == 400
    assert "30, 90, 365" in response.json()["error"]["message"] + str(
        response.json()["error"].get("details")
    )


def test_a_password_change_revokes_the_users_tokens(csrf_client, alice):
    created = _token(csrf_client, alice).json()
    csrf_client.sign_in(alice)
    changed = csrf_client.submit(
        "/accounts/password/",
        {
            "old_password": alice.password,
            "new_password1": "a new and long passphrase 77",
            "new_password2": "a new and long passphrase 77",
        },
    )
    assert changed.status_code == 302
    csrf_client.logout()  # the bearer alone, not the session, must be refused
    assert csrf_client.api("get", "/api/v1/me", bearer=created["token"]).status_code == 401
    token = ApiToken.objects.get(pk=created["id"])
    assert token.revoked_reason == "password changed"
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()


def test_an_admin_revokes_another_members_token_and_an_analyst_cannot(csrf_client, alice):
    carol = make_member("Acme Imports", "carol", "analyst")
    dave = make_member("Acme Imports", "dave", "analyst")
    carols = _token(csrf_client, carol).json()
    # Another analyst cannot revoke it: to them it does not exist.
    dave_token = _token(csrf_client, dave).json()["token"]
    refused = csrf_client.api("delete", f"/api/v1/tokens/{carols['id']}", bearer=dave_token)
    assert refused.status_code == 404
    # The admin sees it on the tokens page and revokes it.
    csrf_client.sign_in(alice)
    page = csrf_client.get("/accounts/tokens/")
    assert b"organization-tokens" in page.content
    assert b"carol" in page.content
    revoked = csrf_client.submit(
        f"/accounts/tokens/{carols['id']}/revoke/", from_page="/accounts/tokens/"
    )
    assert revoked.status_code == 302
    csrf_client.logout()
    assert csrf_client.api("get", "/api/v1/me", bearer=carols["token"]).status_code == 401


def test_supplier_contacts_have_no_tokens(csrf_client, alice, refdata):
    from chainproof.accounts.services import api_token_create, membership_create, user_create
    from chainproof.suppliers.models import Supplier
    from tests.supply import load_demo

    load_demo(alice.organization)
    lotus = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    with transaction.atomic():
        user = user_create(username="lan", password=PASSWORD, organization=alice.organization)
        membership = membership_create(
            organization=alice.organization, user=user, role="supplier", supplier=lotus
        )
    csrf_client.force_login(user)
    assert csrf_client.get("/accounts/tokens/").status_code == 403
    assert csrf_client.api("get", "/api/v1/tokens").status_code in (401, 403)
    # Nor through the service.
    with pytest.raises(PermissionDenied):
        api_token_create(membership=membership, name="sneaky")


def test_a_token_a_supplier_contact_made_before_this_rule_no_longer_acts(
    csrf_client, alice, refdata
):
    from chainproof.accounts.services import membership_create, user_create
    from chainproof.accounts.tokens import issue_token
    from chainproof.suppliers.models import Supplier
    from tests.supply import load_demo

    load_demo(alice.organization)
    lotus = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    with transaction.atomic():
        user = user_create(username="lan", password=PASSWORD, organization=alice.organization)
        membership_create(
            organization=alice.organization, user=user, role="supplier", supplier=lotus
        )
    issued = issue_token()
    ApiToken.objects.create(
        user=user,
        organization=alice.organization,
        name="made before",
        prefix=issued.prefix,
        key_hash=issued.key_hash,
    )
    assert csrf_client.api("get", "/api/v1/me", bearer=issued.plaintext).status_code == 401
