"""Table exports shared by every list page and command: CSV or XLSX, never a live formula
(the cell rule is ``fileformats.cells``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from chainproof.fileformats.cells import csv_cell, xlsx_row


def safe_cell(value: Any) -> Any:
    """A value as an exported CSV cell: lists joined, then text a spreadsheet would run as
    a formula gets a leading apostrophe; None is empty."""
    return csv_cell(value)


def export_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The rows as a CSV or XLSX download."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(xlsx_row(sheet, headers))
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    response = HttpResponse(
        text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
