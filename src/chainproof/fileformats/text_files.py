"""Text files read a piece at a time: decoded incrementally (a file of 200 MB never sits
in memory whole, decoded or not), with the byte and offset that are not text when
decoding fails, and split into lines of bounded length for the CSV reader.

Used by the document checks (is this text, and is this CSV safe to open in a
spreadsheet?) and by text extraction (the words, for search).
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 256 * 1024


class NotText(Exception):
    """The bytes do not decode in the expected encoding."""

    def __init__(self, encoding: str, offset: int, byte: int) -> None:
        self.encoding = encoding
        self.offset = offset
        self.byte = byte
        super().__init__(f"byte 0x{byte:02x} at offset {offset} is not {encoding}")


class LineTooLong(Exception):
    """A line longer than the reader allows (a table this wide is no CSV a person made)."""


def decoded(handle: BinaryIO, encoding: str, *, start: int = 0) -> Iterator[str]:
    """The text of the file from ``start``, decoded a chunk at a time; NotText names the
    first byte that does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    handle.seek(start)
    offset = start
    while True:
        chunk = handle.read(CHUNK)
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            data = pending + chunk
            raise NotText(encoding, offset - len(pending) + exc.start, data[exc.start]) from None
        if text:
            yield text
        if not chunk:
            return
        offset += len(chunk)


def line_blocks(pieces: Iterator[str], max_line: int) -> Iterator[str]:
    """The text given in pieces, as blocks that end at a line end ("\\n", "\\r\\n" or a
    lone "\\r"): what follows a piece's last line end waits for the next piece, and so
    does a final "\\r" that a "\\n" may follow. LineTooLong past ``max_line`` characters
    without a line end."""
    carry = ""
    for piece in pieces:
        data = carry + piece
        cut = _last_line_end(data)
        if cut < 0:
            carry = data
        else:
            yield data[:cut]
            carry = data[cut:]
        if len(carry) > max_line:
            raise LineTooLong(f"a line longer than {max_line:,} characters")
    if carry:
        yield carry


def split_lines(block: str) -> Iterator[str]:
    """The lines of a block, each with its line end, as the csv module wants them (split
    in C by ``io.StringIO``)."""
    return iter(io.StringIO(block, newline=""))


def _last_line_end(data: str) -> int:
    """Where the last complete line of ``data`` ends, or -1."""
    end = len(data)
    if data.endswith("\r"):
        end -= 1
    cut = max(data.rfind("\n", 0, end), data.rfind("\r", 0, end))
    return cut + 1 if cut >= 0 else -1
