"""`chainproof search-indexes`: the indexes for searches by part of a name, created again
(PostgreSQL, once its pg_trgm extension is installed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from chainproof.common.commands import fail
from chainproof.common.trigram import trigram_available, trigram_indexes_applied


class Command(BaseCommand):
    help = (
        "Create the indexes for searches by part of a name that a migration could not "
        "create because PostgreSQL's pg_trgm extension was missing (run it once an "
        "administrator has run CREATE EXTENSION pg_trgm). Indexes already there are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"Nothing to do on {connection.display_name}: these indexes are for PostgreSQL."
            )
            return
        indexes = trigram_indexes_applied(connection)
        with transaction.atomic(), connection.schema_editor() as editor:
            if not trigram_available(editor):
                fail(
                    "PostgreSQL's pg_trgm extension is not installed and this role may not "
                    "create it: ask the database's administrator to run CREATE EXTENSION "
                    "pg_trgm in this database, then run this command again."
                )
            for index in indexes:
                index.create(editor)
        names = ", ".join(index.name for index in indexes)
        self.stdout.write(f"Search indexes in place: {len(indexes)} ({names}).")
