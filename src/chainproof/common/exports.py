"""Table exports shared by every list page and command: CSV or XLSX, never a live formula
(the cell rule is ``fileformats.cells``), and identifiers kept as typed.

A spreadsheet reads 012345678 as the number 12345678, 914401016189887654 as
9.14401016189888E+17 and 6109.10 as 6109.1, and saves them so. The columns named in
IDENTIFIER_COLUMNS are therefore written as text: in XLSX files as string cells formatted
as Text ("@"), the whole column formatted so (a row typed in later stays text too); in CSV
files quoted, so a spreadsheet that reads quoted fields as text (LibreOffice's "Quoted field
as text") keeps them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponseBase, StreamingHttpResponse

from chainproof.fileformats.cells import csv_cell
from chainproof.fileformats.xlsx_stream import xlsx_pieces

# The columns of the import templates and exports that hold identifiers and codes, by
# column name (a header such as "Postal code" counts as postal_code): suppliers (ref, parent,
# duns, lei, uscc, tax_id, other_id), facilities (ref, supplier, postal_code, os_id), products
# (sku, hts_code), links (the refs and SKU they name, evidence_refs), shipments
# (reference, entry_number, port_code, bill_of_lading, product_sku, hts_code, facility_ref)
# and phone numbers.
IDENTIFIER_COLUMNS = (
    "ref",
    "parent",
    "duns",
    "lei",
    "uscc",
    "tax_id",
    "other_id",
    "identifier",
    "supplier",
    "postal_code",
    "os_id",
    "sku",
    "hts_code",
    "from_facility",
    "from_supplier",
    "to_facility",
    "to_supplier",
    "product_sku",
    "evidence_refs",
    "reference",
    "entry_number",
    "port_code",
    "bill_of_lading",
    "facility_ref",
    "phone",
    "contact_phone",
)

TEXT_FORMAT = "@"  # the number format "Text" in Excel and LibreOffice


def is_identifier_column(name: Any) -> bool:
    """Whether a column, by its name or header, holds identifiers to keep as text."""
    return str(name).strip().lower().replace(" ", "_") in IDENTIFIER_COLUMNS


def identifier_positions(headers: Sequence[Any]) -> list[int]:
    """The (0-based) positions of the identifier columns among `headers`."""
    return [index for index, name in enumerate(headers) if is_identifier_column(name)]


def safe_cell(value: Any) -> Any:
    """A value as an exported CSV cell: lists joined, then text a spreadsheet would run as
    a formula gets a leading apostrophe; None is empty."""
    return csv_cell(value)


def _csv_field(value: Any, quote: bool) -> str:
    """One CSV field as csv.writer writes it (minimal quoting), quoted when `quote`."""
    text = "" if value is None else str(value)
    if quote or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(values: Sequence[Any], quoted: set[int]) -> str:
    fields = [_csv_field(v, i in quoted) for i, v in enumerate(values)]
    if fields == [""]:
        fields = ['""']  # a lone empty field, quoted as csv.writer does
    return ",".join(fields) + "\r\n"


# A CSV download is sent in pieces of about this many characters; an XLSX file is written
# as it is sent too (``fileformats.xlsx_stream``: the archive's pieces go out as they are
# compressed). Either way an export of a million rows needs no more memory than one of a
# thousand, and its first bytes leave before its last row is read.
CSV_PIECE = 64 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponseBase:
    """The rows as a CSV or XLSX download, streamed (``rows`` is read once, as it is
    sent or written); identifier columns as text (module docstring). Read the body with
    ``response.getvalue()`` or ``response.streaming_content``."""
    if fmt == "xlsx":
        response = StreamingHttpResponse(
            xlsx_pieces(filename, headers, rows, identifier_positions(headers)),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = StreamingHttpResponse(
        csv_pieces(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def csv_pieces(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file in pieces of UTF-8 (with a byte-order mark, so Excel reads it as
    UTF-8); identifier fields quoted even when empty, every other field as csv.writer
    writes it."""
    text_columns = set(identifier_positions(headers))
    first = io.StringIO()
    csv.writer(first).writerow([csv_cell(h) for h in headers])
    piece = [first.getvalue()]
    size = len(piece[0])
    yield "\ufeff".encode()
    for row in rows:
        line = _csv_line([csv_cell(v) for v in row], text_columns)
        piece.append(line)
        size += len(line)
        if size >= CSV_PIECE:
            yield "".join(piece).encode("utf-8")
            piece, size = [], 0
    if piece:
        yield "".join(piece).encode("utf-8")


def _pieces(response: HttpResponseBase) -> Iterator[bytes]:
    """The body of an export a command writes. Its temporary file is closed here, not by
    ``response.close()``: that sends ``request_finished``, which would close the command's
    database connection (and a test's transaction with it)."""
    stream = getattr(response, "file_to_stream", None)
    try:
        if response.streaming:
            yield from response.streaming_content  # type: ignore[attr-defined]
        else:
            yield response.content  # type: ignore[attr-defined]
    finally:
        if stream is not None:
            stream.close()


def write_export(response: HttpResponseBase, output: str) -> None:
    """Write an export's body to the file ``output`` piece by piece (commands); an
    ``OSError`` is left to the caller to put in words."""
    with open(output, "wb") as destination:
        for piece in _pieces(response):
            destination.write(piece)


def export_text(response: HttpResponseBase) -> Iterator[str]:
    """A CSV export's text piece by piece, without the byte-order mark (standard output)."""
    for piece in _pieces(response):
        text = piece.decode("utf-8")
        yield text.removeprefix("\ufeff")
