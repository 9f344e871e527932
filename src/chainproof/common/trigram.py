"""Searches for part of a name, served by an index on PostgreSQL.

A list's search box asks for records whose name *contains* the words typed
(``LIKE '%harbour%'``). A B-tree cannot serve that: on a million worksites every search
read every row (350-900 ms). PostgreSQL's ``pg_trgm`` extension indexes the three-letter
pieces of each text in a GIN index, so the same condition finds its rows through the
index, whatever the table's size.

``TrigramIndex`` is the migration operation that makes such an index. It is written for
PostgreSQL only and is not part of the models' state: SQLite has no such index (its
lists search by reading the table, which at its sizes is fast enough), and the
expressions must be exactly those Django writes for the lookups (``contains`` on a column
is ``"col"::text LIKE``; ``icontains`` and ``istartswith`` are ``UPPER("col"::text)
LIKE UPPER(...)``). If the extension cannot be created (a managed server that does not
offer it, a role without the right to create it), the migration says so and goes on: the
searches then give the same rows, only more slowly; once the extension is there,
``chainproof search-indexes`` creates the indexes of every migration applied.

A partial index (``condition``) also gets statistics on each expression (PostgreSQL 14
and later): the planner reads no statistics from a partial index, and without them it
took a word in every name ("plant", a million rows) for a rare one and sorted the million.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.db.migrations.operations.base import Operation

log = logging.getLogger(__name__)


def trigram_available(schema_editor: Any) -> bool:
    """Whether ``pg_trgm`` is installed in the database, creating it if it can."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a refusal is undone
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            log.warning(
                "pg_trgm could not be created (%s): searches for part of a name will read "
                "whole tables. Ask the database's administrator to run "
                "CREATE EXTENSION pg_trgm, then run chainproof search-indexes.",
                str(exc).strip().splitlines()[0],
            )
            return False
    return True


class TrigramIndex(Operation):
    """A GIN index of trigrams over ``expressions`` (SQL, one per indexed text) of
    ``table``, only where ``condition`` holds if one is given; PostgreSQL only."""

    reversible = True
    reduces_to_sql = False

    def __init__(self, name: str, table: str, expressions: list[str], condition: str = ""):
        self.name = name
        self.table = table
        self.expressions = list(expressions)
        self.condition = condition

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "name": self.name,
            "table": self.table,
            "expressions": self.expressions,
        }
        if self.condition:
            kwargs["condition"] = self.condition
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Nothing: the index is not part of the models' state (see the module)."""

    def sql(self, quote: Any) -> str:
        columns = ", ".join(f"{expression} gin_trgm_ops" for expression in self.expressions)
        where = f" WHERE {self.condition}" if self.condition else ""
        return (
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} "
            f"USING gin ({columns}){where}"
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql" or not trigram_available(schema_editor):
            return
        self.create(schema_editor)

    def create(self, schema_editor: Any) -> None:
        """The index (if missing) and its statistics, pg_trgm being installed."""
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        schema_editor.execute(self.sql(quote))
        if self.condition and connection.pg_version >= 140000:
            for number, expression in enumerate(self.expressions):
                schema_editor.execute(
                    f"CREATE STATISTICS IF NOT EXISTS {quote(self._statistics(number))} "
                    f"ON ({expression}) FROM {quote(self.table)}"
                )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(self.name)}")
            for number in range(len(self.expressions)):
                schema_editor.execute(
                    f"DROP STATISTICS IF EXISTS {quote(self._statistics(number))}"
                )

    def _statistics(self, number: int) -> str:
        return f"{self.name}_stat{number}"

    def describe(self) -> str:
        return f"Create the search index {self.name} on {self.table} (PostgreSQL)"

    @property
    def migration_name_fragment(self) -> str:
        return self.name.lower()


def trigram_indexes_applied(connection: Any) -> list[TrigramIndex]:
    """The search indexes of every migration applied to the database."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return [
        operation
        for key, migration in sorted(loader.graph.nodes.items())
        if key in loader.applied_migrations
        for operation in migration.operations
        if isinstance(operation, TrigramIndex)
    ]
