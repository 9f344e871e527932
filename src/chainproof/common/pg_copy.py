"""COPY on PostgreSQL sent by a second thread, a few thousand rows per statement, while
the caller's thread builds the next rows.

A COPY's rows are parsed and indexed by the server as they arrive, but its foreign-key
checks run when the statement ends (or at commit, for a constraint checked at commit):
the caller waits for them and the server waits for the caller. Here the caller hands
rows over in batches; the sending thread runs one COPY per batch, so the server checks a
batch's keys while the caller builds the next one. A table's foreign keys checked at
commit are checked at each statement's end for the time of the write
(``keys_checked_per_statement``): the same checks, run beside the caller's work instead
of after it (2 s of a 28 s full re-score at 150,000 nodes were the commit's checks).

The rows must not need the database while they are built: the connection is the sending
thread's until the last batch is sent. The caller's thread gets the sending thread's
error, raised where it hands over its next batch or at the end.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

STATEMENT_ROWS = 2_000  # rows per COPY statement
WAITING_BATCHES = 4  # batches built ahead of the sending thread, at most


def copy_overlapped(cursor: Any, sql: str, rows: Iterable[Sequence[Any]]) -> int:
    """Send ``rows`` with ``sql`` (a ``COPY ... FROM STDIN``) through the psycopg cursor
    ``cursor``, one statement per STATEMENT_ROWS rows, from a second thread. Returns how
    many rows were sent; raises the first error of either thread."""
    batches: queue.Queue[list[Sequence[Any]] | None] = queue.Queue(maxsize=WAITING_BATCHES)
    failed: list[BaseException] = []

    def send() -> None:
        try:
            while (batch := batches.get()) is not None:
                with cursor.copy(sql) as stream:
                    for row in batch:
                        stream.write_row(row)
        except BaseException as exc:  # handed to the caller's thread
            failed.append(exc)
            while batches.get() is not None:  # the caller never waits on a full queue
                pass

    sender = threading.Thread(target=send, name="chainproof-copy", daemon=True)
    sender.start()
    count = 0
    try:
        for batch in _batches(rows, STATEMENT_ROWS):
            if failed:
                break
            batches.put(batch)
            count += len(batch)
    finally:
        batches.put(None)
        sender.join()
    if failed:
        raise failed[0]
    return count


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def keys_checked_per_statement(table: str) -> Iterator[None]:
    """The foreign keys of ``table`` that are checked at commit, checked at the end of each
    statement instead while the block runs (PostgreSQL's SET CONSTRAINTS; the pending checks
    of earlier statements run at once), then at commit again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' AND condeferred ORDER BY conname",
            [connection.ops.quote_name(table)],
        )
        names = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
        if names:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    yield
    if names:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")
