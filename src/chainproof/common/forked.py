"""Work done by a forked copy of this process while this one goes on: for a pure
computation over data already in memory (the presumption checks of a large graph) that
would otherwise wait for the rest of the run on a machine with a core to spare.

The child shares the parent's memory until either writes to it (copy on write), computes,
sends its result back pickled through a pipe and ends without running any clean-up of
the parent's (``os._exit``: the database connection, open files and threads stay the
parent's). It must not touch the database, files or locks. If the child cannot be
started or fails, the parent computes the result itself: the answer is the same, only
later.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def alongside(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` in a forked child; returns the function that waits for its result
    (or, if the child could not give one, computes it here)."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return work
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> T:
        with os.fdopen(read_end, "rb") as found:
            data = found.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            found_result: T = pickle.loads(data)  # noqa: S301 (written by our own child)
            return found_result
        return work()

    return result
