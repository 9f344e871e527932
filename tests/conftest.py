"""Test configuration: a throw-away data directory, and named test users per role.

Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import pytest


def pytest_configure(config: pytest.Config) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "chainproof.settings"
    os.environ["CHAINPROOF_DATA_DIR"] = tempfile.mkdtemp(prefix="chainproof-test-")
    os.environ.setdefault("SECRET_KEY", "test-secret-" + "k" * 60)
    from django.conf import settings

    settings.DATABASES  # noqa: B018  (loads the settings so pytest-django sets Django up)
    # Hashing cost is not under test; the hasher chosen in production stays the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the bundled reference data once into the test database."""
    from chainproof.reference.services import bundled_datasets_load

    with django_db_blocker.unblock():
        bundled_datasets_load()


@pytest.fixture
def refdata(db):
    """The bundled reference data (reloaded if a transactional test flushed it)."""
    from chainproof.reference.services import bundled_datasets_load

    return {o.dataset.kind: o.dataset for o in bundled_datasets_load()}


@dataclass
class Member:
    user: object
    organization: object
    membership: object
    password: str


PASSWORD = "correct horse battery staple 42"


def make_member(org_name: str, username: str, role: str):
    from django.db import transaction

    from chainproof.accounts.models import Organization, User
    from chainproof.accounts.services import membership_create, organization_create, user_create

    with transaction.atomic():
        org = Organization.objects.filter(name=org_name).first() or organization_create(
            name=org_name
        )
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=PASSWORD, organization=org
        )
        membership = membership_create(organization=org, user=user, role=role)
    return Member(user=user, organization=org, membership=membership, password=PASSWORD)


@pytest.fixture
def alice(db):
    """Admin of Acme Imports."""
    return make_member("Acme Imports", "alice", "admin")


@pytest.fixture
def victor(db, alice):
    """Viewer in Acme Imports."""
    return make_member("Acme Imports", "victor", "viewer")


@pytest.fixture
def bob(db):
    """Admin of Borealis Trading, another organization."""
    return make_member("Borealis Trading", "bob", "admin")


@pytest.fixture
def csrf_client():
    from django.test import Client

    return Client(enforce_csrf_checks=True)
