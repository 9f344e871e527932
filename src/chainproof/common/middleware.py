"""Query strings are text a person could type: a control character in a parameter's name or
value (a NUL above all, which PostgreSQL cannot hold even in a search) is refused before any
view runs, as a 400 that names the parameter, instead of failing deep in a database driver.

Bodies are checked where they are read: forms refuse NUL (Django's CharField), API schemas
validate their fields, and every stored text goes through the visible-text safety net.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse

from chainproof.common.errors import error_body

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _has_control(text: str) -> bool:
    return any((ord(ch) < 32 or ord(ch) == 127) and ch not in _ALLOWED_CONTROLS for ch in text)


def refused_parameter(request: HttpRequest) -> str | None:
    """The name of the first query parameter holding a control character, or None."""
    if _has_control(request.path):
        return "(the address)"
    for name, values in request.GET.lists():
        if _has_control(name) or any(_has_control(value) for value in values):
            return repr(name) if _has_control(name) else name
    return None


class QueryTextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = refused_parameter(request)
        if name is None:
            return self.get_response(request)
        message = f"The query parameter {name} holds a control character; remove it and retry."
        if request.path.startswith("/api/"):
            details = [{"field": name, "message": "control characters are not allowed"}]
            return JsonResponse(error_body(400, message, details), status=400)
        raise BadRequest(message)
