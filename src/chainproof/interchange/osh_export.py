"""Worksites in Open Supply Hub's list-upload format, to contribute them to the open map.

The columns OS Hub reads from a contributed list (CSV or XLSX, one facility a row):
``country``, ``name`` and ``address`` are required, ``lat`` and ``lng`` optional
(opensupplyhub/open-supply-hub ``src/django/api/constants.py``, ``CsvHeaderField``); the
extended fields it keeps from a list (``src/django/api/models/extended_field.py``:
``number_of_workers``, ``native_language_name``, ``facility_type``, ``processing_type``,
``product_type``, ``parent_company``) and ``sector``. The OS ID, when the worksite has one,
is the last column so a contribution names the facility OS Hub already lists.

Several values in one cell are separated by ``|`` as OS Hub reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chainproof.suppliers.exporting import workers_written
from chainproof.suppliers.models import Facility

OSH_HEADERS = (
    "country",
    "name",
    "address",
    "lat",
    "lng",
    "sector",
    "product_type",
    "facility_type",
    "processing_type",
    "number_of_workers",
    "parent_company",
    "native_language_name",
    "os_id",
)


def _address(f: Facility) -> str:
    parts = [f.address.replace("\n", ", "), f.city, f.subdivision, f.postal_code]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def osh_rows(organization_id: int) -> Iterator[list[Any]]:
    """One row per worksite, in OSH_HEADERS order. Values kept from an OS Hub download
    (its sector and types, as attributes) are written back as OS Hub had them."""
    kinds = dict(Facility.Kind.choices)
    facilities = (
        Facility.objects.filter(organization_id=organization_id)
        .select_related("supplier")
        .order_by("country", "name", "pk")
    )
    for f in facilities.iterator(chunk_size=2000):
        kept = f.attributes or {}
        yield [
            f.country,
            f.name,
            _address(f),
            f.latitude,
            f.longitude,
            kept.get("sector", ""),
            f.products_made.replace("\n", " ").strip(),
            kept.get("facility_type") or kinds.get(f.kind, f.kind),
            kept.get("processing_type") or "|".join(a.capitalize() for a in f.activities or []),
            workers_written(f),
            f.supplier.legal_name if f.supplier else kept.get("parent_company", ""),
            f.native_name,
            f.os_id,
        ]


def osh_file_name(organization: Any) -> str:
    return f"{organization.slug}-open-supply-hub-list"
