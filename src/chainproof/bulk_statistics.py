"""The database's query planner told to look again at tables a bulk write changed a lot
(imports, tiers, the full re-score): its statistics read again once the write commits."""

from __future__ import annotations

from django.db import connection, models, transaction

# From how many rows written at once the tables' statistics are read again (see
# statistics_refresh_after).
STATISTICS_AFTER_ROWS = 10_000


def statistics_refresh(*models_: type[models.Model]) -> None:
    """Have the database's query planner look at these tables again (ANALYZE). After a
    bulk write of hundreds of thousands of rows the planner otherwise still believes what
    it saw before: SQLite, never analysed, takes an organization's id for a selective
    condition and reads every link of the organization for one supplier's page (0.2 s
    where its own index takes 1 ms); PostgreSQL waits for autovacuum, if it runs.
    SQLite samples at most 1,000 rows of each index (milliseconds); PostgreSQL samples
    its default 30,000 rows of each table."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit = 1000")
        for model in models_:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def statistics_refresh_after(rows: int, *models_: type[models.Model]) -> None:
    """Refresh the statistics of ``models_`` once the current transaction commits, when
    ``rows`` (how many rows it wrote to them) is at least STATISTICS_AFTER_ROWS."""
    if rows >= STATISTICS_AFTER_ROWS and models_:
        # robust: the rows are committed whatever happens; a failed ANALYZE (a lock
        # timeout) is logged, never raised to the import or job that wrote them.
        transaction.on_commit(lambda: statistics_refresh(*models_), robust=True)
