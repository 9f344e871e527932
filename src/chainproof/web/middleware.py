"""Response headers every page gets: a strict Content-Security-Policy (everything from
chainproof itself, no inline script or style, no framing) and no caching of what a signed-in
person, an API client or an export receives."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        private = (
            bool(getattr(user, "is_authenticated", False))
            or request.path.startswith("/api/")
            or "attachment" in response.headers.get("Content-Disposition", "")
        )
        if private:
            response.headers["Cache-Control"] = "no-store"
        return response
