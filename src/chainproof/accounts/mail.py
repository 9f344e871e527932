"""How accounts' own messages (password reset) are queued. Accounts sits below the
outbox, so the outbox registers its ``email_queue`` here at start-up (``apps.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_queue: Callable[..., Any] | None = None


def mail_queue_register(queue: Callable[..., Any]) -> None:
    global _queue
    _queue = queue


def mail_queue(**message: Any) -> Any:
    """Queue one message in the caller's transaction (the outbox sends it after commit)."""
    if _queue is None:
        raise RuntimeError("No outbox registered: is chainproof.outbox in INSTALLED_APPS?")
    return _queue(**message)
