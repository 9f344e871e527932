"""Rows written in PostgreSQL COPY's text format by this code, not by the driver.

Work that makes rows can then run in another process than the one holding the
connection (``risk.storing``: the rows of a large scoring run are made in forked
processes and sent here as text, which the connection's process only passes on).

The text is what psycopg sends for the same values (``bulk._copy_rows``): each value as
text the server parses for its column's type, exactly as a bound parameter's; a tab
between values, a newline after each row, ``\\N`` for NULL, and a backslash, tab, newline
or carriage return inside a value written as its backslash escape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from chainproof.bulk import JsonText, values_adapted

# Text for the server, this many bytes at a time (at least).
BLOCK_BYTES = 256 * 1024

_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _bool(value: bool) -> str:
    return "t" if value else "f"


def _iso(value: date | datetime) -> str:
    return value.isoformat()


# How a value of each type is written; a type not here is refused (a caller's row holds
# a value the text was not made for: better an error than a value the server reads
# differently than a bound parameter's).
_FORMATS: dict[type, Callable[[Any], str]] = {
    str: _text,
    JsonText: _text,
    int: str,
    float: repr,
    Decimal: str,
    bool: _bool,
    date: _iso,
    datetime: _iso,
}


def copy_text(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    plain_json: bool = False,
) -> tuple[list[str], Iterator[bytes]]:
    """The columns and the rows of ``bulk.insert_values`` (the same cleaning and adapting)
    as COPY text, in blocks of about BLOCK_BYTES, for ``bulk.copy_blocks``. Call with a
    PostgreSQL connection (values are adapted for it); nothing is read or written."""
    columns, adapted = values_adapted(model, attnames, rows, plain_json=plain_json)
    return columns, _blocks(adapted)


def _blocks(rows: Iterator[list[Any]]) -> Iterator[bytes]:
    formats = _FORMATS
    lines: list[str] = []
    size = 0
    for row in rows:
        line = "\t".join("\\N" if value is None else _format(formats, value) for value in row)
        lines.append(line)
        size += len(line)
        if size >= BLOCK_BYTES:
            lines.append("")
            yield "\n".join(lines).encode()
            lines, size = [], 0
    if lines:
        lines.append("")
        yield "\n".join(lines).encode()


def _format(formats: dict[type, Callable[[Any], str]], value: Any) -> str:
    try:
        return formats[type(value)](value)
    except KeyError:
        raise TypeError(f"no COPY text for a value of type {type(value).__name__}") from None
