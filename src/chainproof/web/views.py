from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chainproof.reference.selectors import visible_datasets
from chainproof.web import activity, overview
from chainproof.web.charts import Bar, Series, bar_chart, line_chart

LEVEL_WORDS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}


def dashboard(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership and membership.role == "supplier":
        return redirect("portal:home")
    context: dict[str, Any] = {"datasets": [], "recent_events": []}
    if membership:
        org_id = membership.organization_id
        context["datasets"] = visible_datasets(org_id).order_by("kind", "-as_of")
        context["groups"] = overview.headline(org_id)
        levels = overview.risk_distribution(org_id)
        context["levels"] = [(LEVEL_WORDS[row.level], row) for row in levels]
        context["levels_chart"] = bar_chart(
            [Bar(LEVEL_WORDS[row.level], row.count, f"bar-{row.level}") for row in levels],
            ident="chart-risk-levels",
            title="Records by current risk level",
        )
        found = overview.trends(org_id)
        context["months"] = found["months"]
        context["trends"] = [
            {
                "trend": trend,
                "chart": line_chart(
                    found["months"],
                    [Series(name, values, marker) for name, values, marker in trend.series],
                    ident=trend.ident,
                    title=trend.title,
                    unit=trend.unit,
                    ceiling=trend.ceiling,
                ),
                "rows": [
                    (month, [values[i] for _, values, _ in trend.series])
                    for i, month in enumerate(found["months"])
                ],
            }
            for trend in found["trends"]
        ]
        context["jobs"] = activity.recent_jobs(org_id)
        if membership.has_role("admin"):
            context["recent_events"] = activity.recent_events(org_id)
    return render(request, "web/dashboard.html", context)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else ""
    return _error(request, 400, "Bad request", message or "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You may not do this."
    return _error(request, 403, "Not allowed", message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, "Not found", "There is nothing here, or it is not in your organization."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error_500.html", status=500)
