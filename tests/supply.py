"""Helpers for supply-chain tests: CSV text in the import layouts, and the demo chain."""

from __future__ import annotations

import csv
import io

from chainproof.domain.supply_columns import COLUMN_SETS


def csv_bytes(entity: str, *rows: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMN_SETS[entity].column_names))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def import_rows(member, entity: str, *rows: dict, **options):
    """Import ``rows`` (dicts in the import layout of ``entity``) as ``member``, through
    the same path as an uploaded CSV file."""
    from chainproof.suppliers.importing import run_import

    return run_import(
        organization=member.organization,
        actor=member.user,
        entity=entity,
        data=csv_bytes(entity, *rows),
        file_name=f"{entity}.csv",
        **options,
    )


def load_demo(organization):
    from chainproof.suppliers.demo import demo_supply_chain_load

    return demo_supply_chain_load(organization=organization)
