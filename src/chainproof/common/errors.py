"""The one JSON error shape of the API, for the few places that answer before the API's own
exception handlers run (middleware, the schema views):
``{"error": {"status", "code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def error_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message,
            "details": details or [],
        }
    }
