"""Test configuration: a throw-away data directory, named test users per role, and the
one test client (CSRF enforced; pytest-django's non-enforcing clients are refused).

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


# CI runs the suite twice, on SQLite then on PostgreSQL; on the second pass
# (CHAINPROOF_TESTS_SECOND_DATABASE=1) a test that reads no database proves nothing new, so it
# is deselected there: tests/unit without database access (pytest-django refuses them any), and
# tests marked same_on_every_database (their subprocesses use no database, or an SQLite file
# of their own whatever the suite runs on), and tests marked markup_only (axe-core on every
# page: what a page is made of does not depend on the database it was read from).
_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
_UNIT = os.path.join(os.path.dirname(__file__), "unit") + os.sep


def _reads_no_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("same_on_every_database") or item.get_closest_marker("markup_only"):
        return True
    uses_database = item.get_closest_marker("django_db") or _DATABASE_FIXTURES.intersection(
        getattr(item, "fixturenames", ())
    )
    return str(item.path).startswith(_UNIT) and not uses_database


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CHAINPROOF_TESTS_SECOND_DATABASE") != "1":
        return
    dropped = [item for item in items if _reads_no_database(item)]
    config.hook.pytest_deselected(items=dropped)
    items[:] = [item for item in items if item not in dropped]


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
    """The test client of every HTTP test: CSRF enforced, browser-like helpers
    (tests/csrf_client.py)."""
    from tests.csrf_client import CsrfClient

    return CsrfClient()


_USE_CSRF_CLIENT = (
    "pytest-django's {name!r} fixture does not enforce CSRF; use the 'csrf_client' fixture "
    "(tests/csrf_client.py), or CsrfClient() for a second browser"
)


@pytest.fixture
def client():
    """Refused: pytest-django's client skips CSRF checks."""
    pytest.fail(_USE_CSRF_CLIENT.format(name="client"), pytrace=False)


@pytest.fixture
def admin_client():
    """Refused: pytest-django's admin_client skips CSRF checks."""
    pytest.fail(_USE_CSRF_CLIENT.format(name="admin_client"), pytrace=False)


@pytest.fixture
def async_client():
    """Refused: pytest-django's async_client skips CSRF checks."""
    pytest.fail(_USE_CSRF_CLIENT.format(name="async_client"), pytrace=False)


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a real S3 server (moto_server, tests/s3_server.py) for the whole run."""
    from tests.s3_server import moto_server

    with moto_server() as endpoint:
        yield endpoint


@dataclass
class S3Bucket:
    endpoint: str
    bucket: str
    prefix: str
    client: object  # a boto3 S3 client of its own, to look at or tamper with objects


@pytest.fixture
def s3_settings(s3_endpoint, settings):
    """A fresh, empty bucket on the test S3 server, and the settings that make it the
    blob store (STORAGE_BACKEND="s3") for this test."""
    import uuid

    import boto3

    bucket = f"chainproof-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGE_BACKEND = "s3"
    settings.S3_BUCKET = bucket
    settings.S3_ENDPOINT_URL = s3_endpoint
    settings.S3_REGION = "us-east-1"
    settings.S3_ACCESS_KEY_ID = "testing"
    settings.S3_SECRET_ACCESS_KEY = "testing"
    settings.S3_PREFIX = "test/blobs/"
    return S3Bucket(endpoint=s3_endpoint, bucket=bucket, prefix="test/blobs/", client=client)


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server (tests/redis_server.py) for the whole run: its URL."""
    from tests.redis_server import redis_server

    with redis_server() as url:
        yield url


@dataclass
class TasksBackend:
    name: str  # "database" or "rq"
    env: dict[str, str]  # what a worker process needs to use it


@pytest.fixture(params=["database", "rq"])
def tasks_backend(request, settings):
    """Each job backend in turn (jobs/tasks.py): this process enqueues through it, and the
    worker processes a test starts receive through it (``env``). RQ's Redis is emptied
    first."""
    if request.param == "database":
        yield TasksBackend("database", {"CHAINPROOF_TASKS_BACKEND": "database"})
        return
    url = request.getfixturevalue("redis_url")
    import redis

    with redis.Redis.from_url(url) as connection:
        connection.flushdb()
    queue = settings.TASKS_QUEUE
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {queue: {"URL": url, "DEFAULT_TIMEOUT": -1}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    yield TasksBackend("rq", {"CHAINPROOF_TASKS_BACKEND": "rq", "CHAINPROOF_REDIS_URL": url})
