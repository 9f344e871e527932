"""Rows sent by a second thread, a COPY statement per batch (``common.pg_copy``): what is
stored, and what happens when the server or the rows' producer fails."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from chainproof.bulk import insert_values
from chainproof.common import pg_copy
from chainproof.suppliers.models import Material

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COLUMNS = ["organization_id", "name", "normalized_name", "description", "created_at", "updated_at"]
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="rows go by a second thread on PostgreSQL only"
)


def _senders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "chainproof-copy"]


def _row(org_id: int, i: int) -> list[object]:
    # COPY's own markers inside the text: each row must arrive whole whatever its batch.
    return [org_id, f"Material {i:02d}", f"material {i:02d}", f"line\tone\n\\N {i}", NOW, NOW]


def test_rows_in_many_statements_are_stored_whole_and_in_order(alice, monkeypatch):
    monkeypatch.setattr(pg_copy, "STATEMENT_ROWS", 3)
    org = alice.organization
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        written = insert_values(
            Material, COLUMNS, (_row(org.pk, i) for i in range(10)), overlapped=True
        )
    assert written == 10
    stored = list(
        Material.objects.filter(organization=org)
        .order_by("pk")
        .values_list("name", "description", "created_at")
    )
    assert stored == [(f"Material {i:02d}", f"line\tone\n\\N {i}", NOW) for i in range(10)]
    copies = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("COPY")]
    if connection.vendor == "postgresql":
        assert len(copies) == 1  # logged once, as a single stream is
        assert any(q["sql"].startswith("SET CONSTRAINTS") for q in captured.captured_queries)
    assert not _senders()


@on_postgresql
def test_a_missing_key_in_a_later_statement_is_djangos_integrity_error_with_nothing_kept(
    alice, monkeypatch
):
    """Checked at commit otherwise, the organization's key is checked as each statement
    ends: the fourth batch's row naming no organization fails the write."""
    monkeypatch.setattr(pg_copy, "STATEMENT_ROWS", 3)
    org = alice.organization
    rows = [_row(org.pk, i) for i in range(12)]
    rows[10][0] = org.pk + 10_000  # no such organization
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_values(Material, COLUMNS, iter(rows), overlapped=True)
    assert not Material.objects.filter(organization=org).exists()
    assert not _senders()
    with transaction.atomic():  # the connection goes on
        assert insert_values(Material, COLUMNS, iter([_row(org.pk, 1)]), overlapped=True) == 1


def test_an_error_while_building_rows_stops_the_sending_thread_and_keeps_nothing(
    alice, monkeypatch
):
    monkeypatch.setattr(pg_copy, "STATEMENT_ROWS", 2)
    org = alice.organization

    def rows():
        for i in range(5):
            yield _row(org.pk, i)
        raise ValueError("the file ended early")

    with pytest.raises(ValueError, match="the file ended early"), transaction.atomic():
        insert_values(Material, COLUMNS, rows(), overlapped=True)
    assert not _senders()
    assert not Material.objects.filter(organization=org).exists()


def test_a_server_error_stops_the_producer_at_its_next_batch(alice, monkeypatch):
    """The sender fails on the first batch; the producer is not asked for every row."""
    monkeypatch.setattr(pg_copy, "STATEMENT_ROWS", 2)
    monkeypatch.setattr(pg_copy, "WAITING_BATCHES", 1)
    org = alice.organization
    asked = []
    taken = Material.objects.create(organization=org, name="Cotton", normalized_name="cotton")

    def rows():
        for i in range(10_000):
            asked.append(i)
            row = _row(org.pk, i)
            if i == 0:
                row[1:3] = [taken.name, taken.normalized_name]  # unique per organization
            yield row

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_values(Material, COLUMNS, rows(), overlapped=True)
    if connection.vendor == "postgresql":
        assert len(asked) < 100
    assert list(Material.objects.filter(organization=org)) == [taken]
    assert not _senders()


@on_postgresql
def test_keys_are_checked_at_commit_again_once_the_rows_are_written(alice):
    org = alice.organization
    with transaction.atomic():
        insert_values(Material, COLUMNS, iter([_row(org.pk, 1)]), overlapped=True)
        with connection.cursor() as cursor:
            # A row naming an organization that does not exist yet: refused only at commit.
            cursor.execute(
                "INSERT INTO suppliers_material (organization_id, name, normalized_name, "
                "description, dol_goods, high_scrutiny_sector, created_at, updated_at) "
                "VALUES (%s, 'Later', 'later', '', '[]', '', now(), now()) RETURNING id",
                [org.pk + 10_000],
            )
            (later,) = cursor.fetchone()
        Material.objects.filter(pk=later).delete()
    assert Material.objects.filter(organization=org).count() == 1
