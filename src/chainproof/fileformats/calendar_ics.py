"""iCalendar (RFC 5545) files of all-day events: a case's deadlines in a person's calendar.

Written by hand rather than with a library because the subset is small and the rules that
matter are exact: lines end in CRLF; a line longer than 75 octets is folded (CRLF and one
space), never inside a UTF-8 character, so a Chinese summary survives; text values escape
backslash, semicolon, comma and newline; an all-day event is ``DTSTART;VALUE=DATE`` with
``DTEND`` on the next day (the end is exclusive). Each event carries a reminder a week
before and on the morning of the day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = ["PRODID", "CalendarEvent", "ics_calendar", "ics_escape", "ics_fold"]

PRODID = "-//chainproof//deadlines//EN"
LINE_OCTETS = 75
CRLF = "\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # RFC 5545 forbids CTLs but HTAB


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # globally unique and stable: the same deadline keeps it across downloads
    day: date
    summary: str
    description: str
    url: str = ""


def ics_escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line
    break written as ``\\n``, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """One content line folded to at most 75 octets per physical line (RFC 5545 3.1): the
    continuation lines start with a space, and no UTF-8 character is cut in two."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space is an octet
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _uri(value: str, what: str) -> str:
    if any(c in value for c in "\r\n") or _CONTROL.search(value):
        raise ValueError(f"expected {what} on one line without control characters, found {value!r}")
    return value


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_calendar(
    name: str, events: Iterable[CalendarEvent], *, dtstamp: datetime | None = None
) -> bytes:
    """A calendar named ``name`` holding ``events`` as all-day events, as UTF-8 bytes.
    ``dtstamp`` (when the file was made; now by default) is the same for every event."""
    stamp = _stamp(dtstamp or datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ics_escape(_uri(event.uid, 'a UID'))}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(event.summary)}",
            f"DESCRIPTION:{ics_escape(event.description)}",
        ]
        if event.url:
            lines.append(f"URL:{_uri(event.url, 'a URL')}")
        lines += ["TRANSP:TRANSPARENT"]
        for trigger, when in (("-P7D", "in a week"), ("PT9H", "today")):
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER:{trigger}",
                f"DESCRIPTION:{ics_escape(f'{event.summary} ({when})')}",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + CRLF for line in lines).encode("utf-8")
