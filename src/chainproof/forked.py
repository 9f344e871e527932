"""Work shared among forked copies of this process, what they make streamed back.

A large scoring run has worked out, in memory, what every record's assessment depends
on; making the assessments' rows from it (one record at a time, independent of the
others) is then split among copies of the process made by ``fork``, which read that
memory as it is, each making the rows of its share and sending them back through a pipe
while this process passes them to the database on its one connection, in its
transaction. Only this process writes.

A copy never uses this process's database connection (it is set aside, never closed: a
close would end this process's session); a query in a copy opens a connection of its
own, outside this process's transaction. A copy ends with ``os._exit``: nothing of this
process (buffered output, ``atexit`` handlers, open connections) is run or flushed twice.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any

_DATA, _RESULT, _ERROR = b"D", b"R", b"E"
_HEAD = 9  # a frame: its kind (one byte), its length (8 bytes), then the payload
READ_BYTES = 1 << 20

# The database connections a copy inherited: kept, so that nothing closes them from it.
_INHERITED: list[Any] = []

Send = Callable[[bytes], None]
Work = Callable[[Send], Any]


class ForkedWorkError(RuntimeError):
    """A copy failed: its error, as it reported it (or how it ended)."""


def available() -> bool:
    """Whether this system makes copies of a process (``fork``: Linux, macOS, BSD)."""
    return hasattr(os, "fork")


class Forked:
    """One copy of this process for each of ``works``, running ``work(send)``; iterating
    gives every ``send``-ed payload as it arrives, from whichever copy; after that,
    ``results`` holds what each work returned (picklable), in the works' order. Use it in
    a ``with`` block: leaving it early stops the copies.

    ``works`` is read one at a time, each copy made as soon as its work is given: what a
    work holds (read from the database for it, say) need be in this process only until
    its copy is made."""

    def __init__(self, works: Iterable[Work]) -> None:
        self.results: list[Any] = []
        self._children: dict[int, int] = {}  # read end -> pid
        self._index: dict[int, int] = {}  # read end -> copy's index
        self._reported: set[int] = set()  # read ends whose copy sent its result
        try:
            for index, work in enumerate(works):
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:  # pragma: no cover (runs in the copy; its effects are tested)
                    os.close(read)
                    _child(work, write, list(self._children))
                os.close(write)
                self._children[read] = pid
                self._index[read] = index
                self.results.append(None)
                del work  # the copy has it
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Forked:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[bytes]:
        buffers = {fd: bytearray() for fd in self._children}
        done: set[int] = set()
        with selectors.DefaultSelector() as selector:
            for fd in self._children:
                selector.register(fd, selectors.EVENT_READ)
            while len(done) < len(buffers):
                for key, _ in selector.select():
                    fd = int(key.fd)
                    chunk = os.read(fd, READ_BYTES)
                    buffer = buffers[fd]
                    if chunk:
                        buffer += chunk
                        yield from self._frames(fd, buffer)
                        continue
                    selector.unregister(fd)
                    done.add(fd)
                    self._ended(fd, buffer)

    def _frames(self, fd: int, buffer: bytearray) -> Iterator[bytes]:
        start = 0
        while len(buffer) - start >= _HEAD:
            size = int.from_bytes(buffer[start + 1 : start + _HEAD], "big")
            end = start + _HEAD + size
            if len(buffer) < end:
                break
            kind, payload = buffer[start : start + 1], bytes(buffer[start + _HEAD : end])
            start = end
            if kind == _DATA:
                yield payload
            elif kind == _RESULT:
                self.results[self._index[fd]] = pickle.loads(payload)  # noqa: S301 (our copy)
                self._reported.add(fd)
            else:
                raise ForkedWorkError(payload.decode("utf-8", "replace"))
        del buffer[:start]

    def _ended(self, fd: int, buffer: bytearray) -> None:
        pid = self._children.pop(fd)
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        if buffer or fd not in self._reported or status != 0:
            how = (
                f"was stopped by signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"ended with status {os.waitstatus_to_exitcode(status)}"
            )
            raise ForkedWorkError(f"a copy of the process {how} before it reported its result")

    def close(self) -> None:
        """Stop the copies still running and release their pipes."""
        for fd, pid in self._children.items():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)
        self._children.clear()


def _child(work: Work, write: int, inherited_reads: list[int]) -> None:
    """The copy's life: its work, its frames, its end (never returns)."""
    code = 1
    try:
        for fd in inherited_reads:  # the other copies' pipes, open in this process
            os.close(fd)
        _connections_set_aside()
        with os.fdopen(write, "wb", buffering=READ_BYTES) as out:

            def send(payload: bytes) -> None:
                _frame(out, _DATA, payload)

            try:
                result = work(send)
                _frame(out, _RESULT, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            except BaseException:
                _frame(out, _ERROR, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        os._exit(code)


def _frame(out: Any, kind: bytes, payload: bytes) -> None:
    out.write(kind + len(payload).to_bytes(8, "big"))
    out.write(payload)


def _connections_set_aside() -> None:
    """Django's connections as the copy inherited them: not used again, not closed."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None
