"""The OpenAPI schema as clients may rely on it: every operation documents the error
responses it can give, all in the one error shape (``chainproof.api.errors``)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse

from chainproof.api.auth import BearerTokenAuth
from chainproof.api.schemas import ErrorOut
from chainproof.common.errors import error_body

# What any operation may answer besides its documented success.
_ERRORS = {
    "400": "Refused: a value does not fit the record (details name the field)",
    "401": "Not authenticated",
    "403": "Authenticated, but the role does not allow this",
    "404": "Not found in your organization",
    "413": "The request body is too large",
    "422": "The request does not match this schema (details name the field)",
}
_ERROR_REF = "#/components/schemas/ErrorOut"


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses and the error shape to an OpenAPI schema, in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.json_schema()
    for name, definition in error_schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components.setdefault("ErrorOut", error_schema)
    body = {"application/json": {"schema": {"$ref": _ERROR_REF}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # One key per status, as text: a status given both in `response` (200) and in
            # openapi_extra ("200") would be served twice, which Swagger UI refuses to read.
            responses = {str(status): r for status, r in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in _ERRORS.items():
                responses.setdefault(status, {"description": description, "content": body})
    return schema


def member_or_sign_in(view: Any) -> Any:
    """The docs and openapi.json: for a valid bearer token (a script fetching the schema)
    or a signed-in member; a browser without a session is sent to sign in."""
    signed_in = login_required(view)
    bearer = BearerTokenAuth()

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            if bearer(request) is None:
                body = error_body(401, "The bearer token is not valid.")
                response = JsonResponse(body, status=401)
                response["WWW-Authenticate"] = "Bearer"
                return response
            answer: HttpResponse = view(request, *args, **kwargs)
            return answer
        answer = signed_in(request, *args, **kwargs)
        return answer

    return wrapper
