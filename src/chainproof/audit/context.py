"""The request id of the work in progress, so audit events can name it."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("chainproof_request_id", default=None)


def current_request_id() -> str:
    value = _request_id.get()
    if value is None:
        value = f"proc-{uuid.uuid4().hex}"
        _request_id.set(value)
    return value


def set_request_id(value: str | None) -> object:
    return _request_id.set(value)


def reset_request_id(token: object) -> None:
    _request_id.reset(token)  # type: ignore[arg-type]
