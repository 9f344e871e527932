"""Pagination and table exports shared by every list page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

PER_PAGE = 50
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    paginator = Paginator(items, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return {
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "query_without_page": f"{query}&" if query else "",
        "query_string": query,
    }


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in exported text (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return "" if value is None else value


def export_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The rows as a CSV or XLSX download."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_safe_cell(v) for v in row])
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
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    response = HttpResponse(
        text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
