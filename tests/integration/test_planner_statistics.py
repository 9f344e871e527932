"""After a large import, tier computation or full re-score, the database's statistics of
the tables written are read again (ANALYZE) once the transaction commits, so the query
planner picks the right index at once (SQLite has no other way to learn them)."""

import time

import pytest
from django.db import connection, transaction

from chainproof import bulk_statistics
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import Supplier

pytestmark = pytest.mark.django_db(transaction=True)

SUPPLIERS = "ref,legal_name,country\n" + "".join(
    f"S-{i},Supplier number {i},{('CN', 'VN', 'TR')[i % 3]}\n" for i in range(30)
)


def _analysed(table):
    """Whether the table has planner statistics (SQLite: a row in sqlite_stat1;
    PostgreSQL: an ANALYZE recorded since the statistics were reset)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
            return cursor.fetchone()[0] > 0
        cursor.execute(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s", [table]
        )
        row = cursor.fetchone()
        return bool(row and row[0])


def _analysed_soon(table):
    """Whether the table is analysed, allowing PostgreSQL's statistics views a few
    seconds to report it (before version 15 they lag behind)."""
    for _ in range(50):
        if _analysed(table):
            return True
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        time.sleep(0.1)
    return False


def _forget_statistics(table):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            )
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT pg_stat_reset()")


def _import(member):
    return run_import(
        organization=member.organization,
        actor=member.user,
        entity="suppliers",
        data=SUPPLIERS.encode(),
        file_name="suppliers.csv",
    )


def test_a_large_import_has_the_tables_it_wrote_analysed_after_commit(alice, refdata, monkeypatch):
    table = Supplier._meta.db_table
    _forget_statistics(table)
    monkeypatch.setattr(bulk_statistics, "STATISTICS_AFTER_ROWS", 30)
    with transaction.atomic():
        assert _import(alice).created == 30
        assert not _analysed(table)  # not before the rows are committed
    assert _analysed_soon(table)


def test_a_small_import_leaves_the_statistics_to_the_database(alice, refdata, monkeypatch):
    table = Supplier._meta.db_table
    _forget_statistics(table)
    monkeypatch.setattr(bulk_statistics, "STATISTICS_AFTER_ROWS", 31)
    assert _import(alice).created == 30
    assert not _analysed(table)
