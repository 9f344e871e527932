"""Heartbeats for running jobs: one thread per process refreshes ``heartbeat_at`` of every
job running in it, every so often.

Without it a handler that runs longer than STALE_AFTER without reporting progress would
look abandoned, be run again by another worker and, in the end, be given up. One thread
for the process (started on first use) costs a job nothing to register.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)

_lock = threading.Lock()
_beating: dict[int, QuerySet[Any]] = {}
_tokens = itertools.count()
_state: dict[str, Any] = {"thread": None, "every": None}


@contextmanager
def heartbeat(rows: QuerySet[Any], *, every: timedelta) -> Iterator[None]:
    """Update ``heartbeat_at`` on the queryset ``rows`` about every ``every`` until the
    block ends (the shortest interval asked for applies to all)."""
    token = next(_tokens)
    with _lock:
        _beating[token] = rows
        _state["every"] = every if _state["every"] is None else min(every, _state["every"])
        thread = _state["thread"]
        if thread is None or not thread.is_alive():
            thread = threading.Thread(target=_beat_forever, name="job-heartbeat", daemon=True)
            _state["thread"] = thread
            thread.start()
    try:
        yield
    finally:
        with _lock:
            del _beating[token]


def _beat_forever() -> None:
    while True:
        time.sleep(_state["every"].total_seconds())
        with _lock:
            beating = list(_beating.values())
        if not beating:
            continue
        for rows in beating:
            try:
                rows.update(heartbeat_at=timezone.now())
            except Exception:  # a missed beat is retried; the job itself goes on
                log.exception("job heartbeat failed")
        connections.close_all()  # this thread's own connection: no idle session between beats
