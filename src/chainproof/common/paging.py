"""Pagination shared by every list page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

PER_PAGE = 50


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
