"""Column sets for importing and exporting the supply chain (CSV and XLSX).

The same column sets drive validation, the downloadable templates (with a note for every
column) and the exports, so an exported file can be edited and imported again.

Values are read as spreadsheets write them (``chainproof.domain.values``): worker counts
"1,250", "ca. 380" or a range "1001-5000", dates "08.11.2024" or "21-Jan-19". A worker
range is kept as a range: the row's ``total_workers`` is the low figure and
``total_workers_max`` the high one (None for a single figure); the same for
``migrant_workers`` and ``dprk_worker_count``. :data:`TEXT_COLUMNS` names the columns
whose values are codes (identifiers, refs, postal and HTS codes) that a spreadsheet must
keep as text, :data:`DATE_COLUMNS` those read with the file's date order
(:func:`with_date_orders`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from chainproof.domain.hts import HtsError, normalize_hts
from chainproof.domain.records import (
    ACTIVITIES,
    FACILITY,
    FACILITY_KINDS,
    SCHEMES,
    SECTORS,
    SpecError,
    number_cell_note,
)
from chainproof.domain.tabular import (
    Column,
    ColumnSet,
    FieldError,
    Parser,
    boolean,
    code,
    country_code,
    decimal_number,
    list_column,
    many_of,
    one_of,
    short_text,
    text,
)
from chainproof.domain.values import (
    DATE_ORDERS,
    parse_date,
    parse_workers,
    several_counts,
    workers_text,
)


def hts_number_note(value: str) -> str | None:
    """Why an HTS code looks like a number a spreadsheet shortened, or None: a number cell
    drops the trailing zero of 6109.10 (-> 6109.1) and the leading zero of chapters 01-09
    (0101.21 -> 101.21), leaving an odd count of digits no HTS code has. Said from the
    text alone; the reader may call it too when it knows the cell held a number."""
    match = re.fullmatch(r"(\d+)(?:[.,](\d+))?", value.strip())
    if not match:
        return None
    head, tail = match.group(1), match.group(2) or ""
    if (len(head) + len(tail)) % 2 == 0:
        return None
    if len(head) == 3:
        guess = f"0{head}" + (f".{tail}" if tail else "")
    elif tail:
        guess = f"{head}.{tail}0"
    else:
        return None
    return (
        f"HTS {value.strip()} looks like a number a spreadsheet shortened ({guess}?): "
        "format the column as text"
    )


def hts(value: str) -> str:
    try:
        return normalize_hts(value)
    except HtsError as exc:
        note = hts_number_note(value)
        raise FieldError(f"{exc} ({note})" if note else str(exc)) from None


class CountAsWritten(tuple[int, int]):
    """(low, high) read from a cell that gave several values ('1001-5000|1500'), with the
    cell's text: the record keeps it, so nothing the file said is lost."""

    written = ""


def workers(value: str) -> tuple[int, int]:
    """A worker count as written: (low, high), equal for a single figure, the high end
    ``WORKERS_OPEN`` for an open range ("500+")."""
    count = parse_workers(value)
    if several_counts(value):
        kept = CountAsWritten(count)
        kept.written = value.strip()
        return kept
    return count


def written_date(order: str | None = None) -> Parser:
    """A date in a common written form; ``order`` ("DMY", "MDY", "YMD") is the file's order
    of day and month, None while it is not known (then a date that reads two ways is
    refused, asking for the order)."""
    if order not in (*DATE_ORDERS, None):
        raise ValueError(f"date order {order!r} is not one of {', '.join(DATE_ORDERS)}")

    def parse(value: str) -> Any:
        return parse_date(value, order)

    return parse


def identifier(scheme: str) -> Any:
    """A cell holding an identifier of one scheme, checked as every way in checks it."""

    def parse(value: str) -> str:
        try:
            return SCHEMES[scheme].normalise(value)
        except SpecError as exc:
            raise FieldError(exc.expected) from None

    return parse


def os_id(value: str) -> str:
    """A cell holding an Open Supply Hub ID (``domain.os_id``)."""
    try:
        return str(FACILITY.normalise({"os_id": value})["os_id"])
    except SpecError as exc:
        raise FieldError(exc.expected) from None


def parse_bom(value: str) -> list[dict[str, Any]]:
    """'Cotton=95 | Elastane=5 | sku:TRIM-01' -> [{'name': 'Cotton', 'share': 95}, ...]."""
    lines = []
    for part in value.split("|"):
        part = part.strip()
        if not part:
            continue
        name, _, share = part.partition("=")
        name = name.strip()
        if not name:
            raise FieldError("inputs as 'material=share | sku:COMPONENT' (share optional)")
        item: dict[str, Any] = {"name": name, "share": None}
        if share.strip():
            try:
                item["share"] = decimal_number(Decimal(0), Decimal(100), 3)(share.strip())
            except FieldError:
                raise FieldError("a share from 0 to 100 after '='") from None
        lines.append(item)
    return lines


def _other_id(value: str) -> dict[str, str]:
    label, sep, ident = value.partition(":")
    if not sep or not label.strip() or not ident.strip():
        raise FieldError("'label: value', e.g. 'VAT: DE123456789'")
    return {"label": label.strip()[:60], "value": ident.strip()[:64]}


def _one_source(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    given = [c for c in ("from_facility", "from_supplier") if row.get(c)]
    if row.get("from_unknown"):
        given.append("from_unknown")
    if len(given) != 1:
        return [
            (
                "from_facility",
                "exactly one of from_facility, from_supplier, from_unknown=yes",
                ", ".join(given) or "none",
            )
        ]
    return []


def _one_target(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    given = [c for c in ("to_facility", "to_supplier") if row.get(c)]
    if row.get("to_importer"):
        given.append("to_importer")
    if len(given) != 1:
        return [
            (
                "to_facility",
                "exactly one of to_facility, to_supplier, to_importer=yes",
                ", ".join(given) or "none",
            )
        ]
    return []


def _one_item(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    given = [c for c in ("product_sku", "material") if row.get(c)]
    if len(given) != 1:
        return [("product_sku", "exactly one of product_sku, material", ", ".join(given) or "none")]
    return []


def _dates_ordered(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    start, end = row.get("valid_from"), row.get("valid_to")
    if start and end and end < start:
        return [("valid_to", f"a date on or after valid_from ({start})", end.isoformat())]
    return []


WORKER_COLUMNS = ("total_workers", "migrant_workers", "dprk_worker_count")


def _worker_ranges(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Spread each (low, high) worker count over two row keys: ``<column>`` the low figure
    and ``<column>_max`` the high one, None for a single figure. The first check of the
    facilities, so that the checks after it and the planner see whole numbers."""
    for name in WORKER_COLUMNS:
        value = row.get(name)
        low, high = value if isinstance(value, tuple) else (value, value)
        row[name] = low
        row[f"{name}_max"] = high if high != low else None
        if isinstance(value, CountAsWritten):
            row[f"{name}{WRITTEN_SUFFIX}"] = value.written
    return []


# A worker cell that gave several values keeps its text in the row under this suffix
# ("total_workers_written"), for the record's attributes.
WRITTEN_SUFFIX = "_written"


def _shown(row: dict[str, Any], name: str) -> str:
    return workers_text(row.get(name), row.get(f"{name}_max"))


def _workers_consistent(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Migrant workers cannot outnumber all workers: for ranges, the fewest migrants
    against the most workers (1001-5000 workers of whom 800-1200 migrants is consistent)."""
    problems = []
    total, migrant = row.get("total_workers"), row.get("migrant_workers")
    total_high = row.get("total_workers_max") or total
    if total_high is not None and migrant is not None and migrant > total_high:
        problems.append(
            (
                "migrant_workers",
                f"at most total_workers ({_shown(row, 'total_workers')})",
                _shown(row, "migrant_workers"),
            )
        )
    count, status = row.get("dprk_worker_count"), row.get("dprk_workers")
    if count and status in ("none",):
        problems.append(
            (
                "dprk_worker_count",
                "empty or 0 when dprk_workers is none",
                _shown(row, "dprk_worker_count"),
            )
        )
    return problems


_DPRK_ANSWERS = one_of("none", "present", "unknown", "not_asked", case_insensitive=True)


def _dprk_workers(value: str) -> str:
    """'not asked', 'Not yet asked' and 'not_asked' are the same answer."""
    words = "_".join(value.replace("-", " ").split()).casefold()
    return str(_DPRK_ANSWERS({"not_yet_asked": "not_asked"}.get(words, words)))


def _coordinates_paired(row: dict[str, Any]) -> list[tuple[str, str, str]]:
    if (row.get("latitude") is None) != (row.get("longitude") is None):
        return [("longitude", "latitude and longitude together", "only one of them")]
    return []


NAME = short_text(300)
REF = short_text(64)
# What a country cell takes (chainproof.domain.countries reads codes and names alike).
COUNTRY_HELP = "Country: ISO code (CN, CHN) or name (China, Viet Nam, 中国)."

SUPPLIERS = ColumnSet(
    columns=(
        Column(
            "ref",
            REF,
            required=False,
            help="Your own code for the supplier; matches on re-import.",
            example="V-10023",
        ),
        Column("legal_name", NAME, help="Full legal name.", example="Acme Textiles Co., Ltd."),
        Column(
            "native_name",
            NAME,
            required=False,
            help="Name in its own script.",
            example="艾克美纺织有限公司",
        ),
        list_column("aliases", "|", required=False, help="Other names, separated by |."),
        Column("country", country_code, help=COUNTRY_HELP, example="CN"),
        Column(
            "website",
            code(
                r"(?i)(https?://)?[^\s/@=\"'<>()]+\.[^\s\"'<>]{2,300}",
                "a web address such as www.example.com (a formula or text is not one)",
            ),
            required=False,
            example="www.supplier.example",
        ),
        Column(
            "contact_email",
            code(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an email address"),
            required=False,
            help="Where questionnaire invitations go.",
            example="compliance@supplier.example",
        ),
        Column("parent", NAME, required=False, help="ref or legal name of the parent company."),
        Column(
            "status",
            one_of("active", "inactive", case_insensitive=True),
            required=False,
            help="active (default) or inactive.",
        ),
        Column(
            "owner",
            short_text(150),
            required=False,
            help="Username of the person at your company who owns the relationship.",
        ),
        list_column("tags", "|", required=False, help="Labels, separated by |."),
        Column("notes", text, required=False),
        Column("duns", identifier("duns"), required=False, example="123456789"),
        Column("lei", identifier("lei"), required=False),
        Column("uscc", identifier("uscc"), required=False),
        Column("tax_id", identifier("tax_id"), required=False, help="National tax id."),
        Column("other_id", _other_id, required=False, help="'label: value'."),
    ),
    key=("ref",),
    country_columns=("country",),
    zero_sensitive=("tax_id", "other_id"),
    number_note=number_cell_note,
)

FACILITIES = ColumnSet(
    columns=(
        Column("ref", REF, required=False, help="Your own code for the worksite."),
        Column("name", NAME, help="Full name of the worksite."),
        Column("native_name", NAME, required=False),
        Column(
            "kind",
            one_of(*FACILITY_KINDS, case_insensitive=True),
            required=False,
            help="One of " + ", ".join(FACILITY_KINDS) + ".",
        ),
        Column(
            "supplier",
            NAME,
            required=False,
            help="ref or legal name of the supplier that operates it.",
        ),
        Column("address", text, required=False, help="Street address lines."),
        Column("city", short_text(120), required=False),
        Column("subdivision", short_text(120), required=False, help="Province or state."),
        Column("postal_code", short_text(20), required=False),
        Column("country", country_code, help=COUNTRY_HELP),
        Column("latitude", decimal_number(Decimal(-90), Decimal(90)), required=False),
        Column("longitude", decimal_number(Decimal(-180), Decimal(180)), required=False),
        Column(
            "activities",
            many_of(ACTIVITIES),
            required=False,
            is_list=True,
            help="Separated by |: " + ", ".join(ACTIVITIES) + ".",
        ),
        Column("products_made", text, required=False),
        Column(
            "total_workers",
            workers,
            required=False,
            help="A number (1250), or a range (1001-5000) when only a range is known.",
        ),
        Column("migrant_workers", workers, required=False, help="A number or a range."),
        Column(
            "dprk_workers",
            _dprk_workers,
            required=False,
            help="North Korean nationals on site: none, present, unknown (asked, not known) "
            "or not asked (the default when empty: nobody has asked yet).",
        ),
        Column("dprk_worker_count", workers, required=False),
        Column(
            "figures_date",
            written_date(),
            required=False,
            help="Date of the worker figures, e.g. 2024-11-08.",
        ),
        Column("notes", text, required=False),
        Column(
            "os_id",
            os_id,
            required=False,
            help="The Open Supply Hub ID (OS ID), e.g. CN2019303BQ3FZP, when the site is listed.",
            example="CN2019303BQ3FZP",
        ),
    ),
    key=("ref",),
    country_columns=("country",),
    zero_sensitive=("postal_code",),
    number_note=number_cell_note,
    checks=(_worker_ranges, _workers_consistent, _coordinates_paired),
)

MATERIALS = ColumnSet(
    columns=(
        Column("name", short_text(200), help="e.g. cotton, polysilicon, aluminum."),
        Column("description", text, required=False),
        list_column(
            "dol_goods",
            "|",
            required=False,
            help="Matching good names on the DOL List of Goods, separated by |.",
        ),
        Column(
            "high_scrutiny_sector",
            one_of(*SECTORS, case_insensitive=True),
            required=False,
            help="CBP high-priority sector: " + ", ".join(SECTORS) + ".",
        ),
    ),
    key=("name",),
)

PRODUCTS = ColumnSet(
    columns=(
        Column("sku", REF, help="Your product code."),
        Column("name", NAME),
        Column("description", text, required=False),
        Column(
            "hts_code",
            hts,
            required=False,
            help="HTSUS code, 4 to 10 digits.",
            example="6109.10.00.12",
        ),
        Column(
            "inputs",
            parse_bom,
            required=False,
            is_list=True,
            help="Bill of materials: 'material=share' or 'sku:COMPONENT=share', separated "
            "by |. Shares are percent and optional.",
        ),
    ),
    key=("sku",),
)

LINKS = ColumnSet(
    columns=(
        Column("from_facility", NAME, required=False, help="ref or name of the shipping site."),
        Column(
            "from_supplier",
            NAME,
            required=False,
            help="ref or legal name, when the shipping site is not known.",
        ),
        Column(
            "from_unknown",
            boolean,
            required=False,
            help="yes when the origin of this input is not known.",
        ),
        Column("to_facility", NAME, required=False),
        Column("to_supplier", NAME, required=False),
        Column("to_importer", boolean, required=False, help="yes when shipped to you."),
        Column("product_sku", REF, required=False),
        Column("material", short_text(200), required=False),
        Column("valid_from", written_date(), required=False),
        Column("valid_to", written_date(), required=False),
        Column(
            "evidence",
            text,
            required=False,
            help="Purchase orders, invoices, bills of lading proving the link.",
        ),
        Column("notes", text, required=False),
    ),
    checks=(_one_source, _one_target, _one_item, _dates_ordered),
)

COLUMN_SETS: dict[str, ColumnSet] = {
    "suppliers": SUPPLIERS,
    "facilities": FACILITIES,
    "materials": MATERIALS,
    "products": PRODUCTS,
    "links": LINKS,
}

# Columns whose values are codes, never numbers: a spreadsheet must keep them as text
# (templates format them so; a reader that finds a number there says so).
TEXT_COLUMNS: dict[str, frozenset[str]] = {
    "suppliers": frozenset({"ref", "parent", "duns", "lei", "uscc", "tax_id", "other_id"}),
    "facilities": frozenset({"ref", "supplier", "postal_code", "os_id"}),
    "materials": frozenset(),
    "products": frozenset({"sku", "hts_code"}),
    "links": frozenset(
        {"from_facility", "from_supplier", "to_facility", "to_supplier", "product_sku"}
    ),
}

# Columns of dates, read with the date order of their file (see with_date_orders).
DATE_COLUMNS: dict[str, frozenset[str]] = {
    "suppliers": frozenset(),
    "facilities": frozenset({"figures_date"}),
    "materials": frozenset(),
    "products": frozenset(),
    "links": frozenset({"valid_from", "valid_to"}),
}


def with_date_orders(spec: ColumnSet, orders: Mapping[str, str | None]) -> ColumnSet:
    """The column set with the named date columns read in the given order ("DMY", "MDY",
    "YMD" or None), e.g. the order :func:`chainproof.domain.values.infer_date_order`
    found in each column of a file, or the one the person chose."""
    return replace(
        spec,
        columns=tuple(
            replace(column, parse=written_date(orders[column.name]))
            if column.name in orders
            else column
            for column in spec.columns
        ),
    )
