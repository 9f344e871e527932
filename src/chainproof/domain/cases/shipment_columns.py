"""The columns of a shipments file (CSV or XLSX): one row per entry line, the entry's own
columns repeated on each of its lines (an ERP or broker export looks like this). Rows
with the same ``reference`` are one shipment; its entry columns must agree between them.

The same column set validates an import, writes the downloadable template and the export.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chainproof.domain.cases.entries import EntryNumberError, entry_number_parse
from chainproof.domain.cases.ports import port_get
from chainproof.domain.supply_columns import COUNTRY_HELP, REF, hts
from chainproof.domain.tabular import (
    Column,
    ColumnSet,
    FieldError,
    country_code,
    decimal_number,
    iso_date,
    one_of,
    short_text,
    split_list,
    text,
    whole_number,
)

MODES = ("ocean", "air", "truck", "rail", "mail", "other")
KINDS = ("entry", "planned")
# The columns that describe the entry (the same on every line of a shipment).
SHIPMENT_FIELDS = (
    "kind",
    "entry_number",
    "importer_of_record",
    "filer",
    "port_code",
    "arrival_date",
    "importation_date",
    "mode",
    "carrier",
    "bill_of_lading",
)


def entry_number(value: str) -> str:
    try:
        return str(entry_number_parse(value))
    except EntryNumberError as exc:
        raise FieldError(exc.expected) from None


def port_code(value: str) -> str:
    port = port_get(value)
    if port is None:
        raise FieldError("a CBP port code of 4 digits from the bundled list, e.g. 2704")
    return port.code


def _link_numbers(value: str) -> list[int]:
    numbers = []
    for part in split_list("|")(value):
        cleaned = part.lstrip("#").strip()
        if not cleaned.isdigit():
            raise FieldError("supply-link numbers separated by |, e.g. 12 | 15")
        numbers.append(int(cleaned))
    return numbers


def _dates_in_order(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    arrival, imported = row.get("arrival_date"), row.get("importation_date")
    if arrival and imported and imported < arrival:
        return [
            (
                "importation_date",
                f"a date on or after the arrival date {arrival}",
                str(imported),
            )
        ]
    return []


def _planned_or_entry(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    if row.get("kind") == "entry" and not row.get("entry_number"):
        return [("entry_number", "an entry number for an entry filed with CBP", "nothing")]
    return []


SHIPMENT_LINES = ColumnSet(
    columns=(
        Column(
            "reference",
            REF,
            help="Your reference for the shipment (PO or booking); rows with the same "
            "reference are lines of one shipment.",
            example="PO-2026-0142",
        ),
        Column(
            "kind",
            one_of(*KINDS, case_insensitive=True),
            required=False,
            help="entry (filed with CBP) or planned (a purchase not yet shipped); "
            "entry when an entry number is given, planned otherwise.",
        ),
        Column(
            "entry_number",
            entry_number,
            required=False,
            help="CBP entry number: filer code, 7 digits, check digit.",
            example="ABC-1234567-8",
        ),
        Column("importer_of_record", short_text(300), required=False),
        Column("filer", short_text(300), required=False, help="Customs broker or filer."),
        Column("port_code", port_code, required=False, help="CBP port of entry, 4 digits."),
        Column("arrival_date", iso_date, required=False),
        Column("importation_date", iso_date, required=False, help="Date of importation."),
        Column("mode", one_of(*MODES, case_insensitive=True), required=False),
        Column("carrier", short_text(200), required=False),
        Column("bill_of_lading", short_text(64), required=False),
        Column("line", whole_number(1, 9999), help="Line number within the entry.", example="1"),
        Column("product_sku", REF, required=False, help="SKU of one of your products."),
        Column("description", short_text(300), required=False),
        Column("hts_code", hts, required=False, help="HTS code, 4 to 10 digits."),
        Column("quantity", decimal_number(Decimal(0), Decimal(10) ** 15, 3), required=False),
        Column("unit", short_text(12), required=False, help="e.g. pcs, kg, m2."),
        Column("value_usd", decimal_number(Decimal(0), Decimal(10) ** 13, 2), required=False),
        Column(
            "origin_country",
            country_code,
            required=False,
            help=COUNTRY_HELP.replace("Country", "Country of origin", 1),
        ),
        Column(
            "facility_ref",
            REF,
            required=False,
            help="ref of the worksite that made the goods (the manufacturer).",
        ),
        Column(
            "links",
            _link_numbers,
            required=False,
            is_list=True,
            help="Numbers of the supply links that produced the goods, separated by |; "
            "left empty, the links from the worksite to you for the product are used.",
        ),
        Column("notes", text, required=False),
    ),
    key=("reference", "line"),
    country_columns=("origin_country",),
    checks=(_dates_in_order, _planned_or_entry),
)
