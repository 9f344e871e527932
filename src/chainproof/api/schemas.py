from __future__ import annotations

from ninja import Schema


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[dict[str, str]]


class ErrorOut(Schema):
    error: ErrorBody
