"""What a PDF does besides being read (JavaScript, launching programs, embedded files),
found by its names, in windows of the file and of its compressed streams.

A PDF of 200 MB is never read whole: the file is scanned a window at a time, each window
overlapping the next so that a name cut at a window's end is read whole in the next one.
Compressed streams can hide names (object streams, hex-escaped as ``/J#61vaScript``), so
each stream is inflated as it is met, in slices, up to ``INFLATE_BUDGET`` bytes for the
whole file; past that the PDF is flagged as not fully checked. Nothing is interpreted:
this is a search for names, which is enough to flag a file that should be stored inert.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import BinaryIO

INFLATE_BUDGET = 64 * 1024 * 1024
WINDOW = 1024 * 1024
OVERLAP = 4 * 1024  # longer than any name or keyword looked for, escaped or not
_SLICE = 1024 * 1024  # inflated at a time

_NAME = re.compile(rb"/([A-Za-z0-9#_.-]+)")
_STREAM = re.compile(rb"stream\r?\n")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
RISKS = {
    b"JavaScript": "runs JavaScript",
    b"JS": "runs JavaScript",
    b"Launch": "launches other programs",
    b"EmbeddedFile": "embeds other files",
    b"RichMedia": "embeds active media",
    b"XFA": "holds an XFA form (which can run scripts)",
}
NOT_FULLY_CHECKED = "was not fully checked (too much compressed content)"


class _Names:
    """Finds risky names in a sequence of pieces of one byte stream, each name once even
    when it straddles two pieces: a piece's last ``OVERLAP`` bytes are kept and read again
    with the next piece, and a name starting there waits for it."""

    def __init__(self, seen: dict[str, None]) -> None:
        self.seen = seen
        self.carry = b""

    def feed(self, piece: bytes, *, final: bool = False) -> None:
        data = self.carry + piece
        limit = len(data) if final else max(0, len(data) - OVERLAP)
        scan_names(data, self.seen, limit)
        self.carry = b"" if final else data[limit:]


def scan_names(data: bytes, seen: dict[str, None], limit: int | None = None) -> None:
    """Note the risk of every name in ``data`` that starts before ``limit``."""
    for match in _NAME.finditer(data, 0, len(data)):
        if limit is not None and match.start() >= limit:
            break
        raw = match.group(1)
        if b"#" in raw:
            raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        risk = RISKS.get(raw)
        if risk:
            seen[risk] = None


def pdf_risks(handle: BinaryIO, size: int) -> tuple[str, ...]:
    """The warnings for a PDF ("The PDF runs JavaScript."), each once, in the order found."""
    seen: dict[str, None] = {}
    budget = [INFLATE_BUDGET]
    position = 0
    while position < size:
        handle.seek(position)
        window = handle.read(WINDOW)
        if not window:
            break
        end = position + len(window)
        final = end >= size
        limit = len(window) if final else len(window) - OVERLAP
        scan_names(window, seen, limit)
        for match in _STREAM.finditer(window, 0, len(window)):
            if match.start() >= limit:
                break
            if budget[0] <= 0:
                seen[NOT_FULLY_CHECKED] = None
                break
            _inflate(handle, window, match.end(), end, budget, _Names(seen))
        if final:
            break
        position = end - OVERLAP
    return tuple(f"The PDF {risk}." for risk in seen)


def _inflate(
    handle: BinaryIO,
    window: bytes,
    start: int,
    next_offset: int,
    budget: list[int],
    names: _Names,
) -> None:
    """Inflate the stream that starts at ``window[start:]``, reading on from the file at
    ``next_offset`` if it goes past the window, feeding what comes out to ``names``."""
    inflater = zlib.decompressobj()
    data: bytes | memoryview = memoryview(window)[start:]
    feed: Callable[..., None] = names.feed
    while budget[0] > 0:
        try:
            out = inflater.decompress(data, min(_SLICE, budget[0]))
        except zlib.error:
            break  # not a deflate stream (or a damaged one): nothing more to read here
        budget[0] -= len(out)
        feed(out)
        if inflater.eof:
            break
        if inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
            continue
        handle.seek(next_offset)
        data = handle.read(_SLICE)
        if not data:
            break
        next_offset += len(data)
    feed(b"", final=True)
