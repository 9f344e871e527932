"""The iCalendar file of a case's deadlines, read back line by line as a calendar would."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from chainproof.fileformats.calendar_ics import (
    PRODID,
    CalendarEvent,
    ics_calendar,
    ics_escape,
    ics_fold,
)

STAMP = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parse(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """Physical lines -> content lines (unfolded) -> (name, parameters, raw value)."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    out = []
    for line in unfolded.split("\r\n")[:-1]:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        out.append((name, dict(p.split("=", 1) for p in params), value))
    return out


def _events(parsed):
    events, current = [], None
    for name, params, value in parsed:
        if (name, value) == ("BEGIN", "VEVENT"):
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            events.append(current)
            current = None
        elif current is not None and name not in current:  # the event's own, not its alarms'
            current[name] = (params, value)
    return events


def test_a_calendar_of_all_day_events_reads_back():
    events = [
        CalendarEvent(
            "case-7-protest@chainproof", date(2026, 12, 31), "Protest", "Due", "https://x.test/c/7"
        ),
        CalendarEvent("case-7-abandonment@chainproof", date(2026, 7, 3), "Abandonment", "Export"),
    ]
    parsed = _parse(ics_calendar("Case 7: deadlines", events, dtstamp=STAMP))
    assert parsed[0] == ("BEGIN", {}, "VCALENDAR")
    assert parsed[-1] == ("END", {}, "VCALENDAR")
    top = {name: value for name, _, value in parsed}
    assert top["VERSION"] == "2.0"
    assert top["PRODID"] == PRODID == "-//chainproof//deadlines//EN"
    assert _unescape(top["X-WR-CALNAME"]) == "Case 7: deadlines"
    first, second = _events(parsed)
    assert first["UID"][1] == "case-7-protest@chainproof"
    assert first["DTSTART"] == ({"VALUE": "DATE"}, "20261231")
    assert first["DTEND"] == ({"VALUE": "DATE"}, "20270101")  # the next day, across the year
    assert first["DTSTAMP"][1] == "20260304T073000Z"
    assert first["URL"][1] == "https://x.test/c/7"
    assert second["DTSTART"][1] == "20260703"
    assert second["DTEND"][1] == "20260704"
    assert "URL" not in second
    begins = [v for n, _, v in parsed if n == "BEGIN"]
    assert begins.count("VEVENT") == 2
    assert begins.count("VALARM") == 4


def test_text_is_escaped_and_comes_back_unchanged():
    summary = 'Protest; entry B76-0324527-8, port 2704 \\ "LA"'
    description = "First line\nSecond, with; everything\r\nThird"
    data = ics_calendar("A, B; C", [CalendarEvent("u1", date(2026, 4, 2), summary, description)])
    (event,) = _events(_parse(data))
    raw = event["SUMMARY"][1]
    assert raw == 'Protest\\; entry B76-0324527-8\\, port 2704 \\\\ "LA"'
    assert _unescape(raw) == summary
    assert _unescape(event["DESCRIPTION"][1]) == "First line\nSecond, with; everything\nThird"
    assert ics_escape("a\x07b\tc") == "ab\tc"  # control characters dropped, tab kept


def test_a_long_chinese_summary_is_folded_between_characters():
    summary = "对暂扣通知的答复截止日期：新疆棉纺织品供应链追溯文件" * 4
    description = "说明，" * 60
    data = ics_calendar("案件", [CalendarEvent("u2", date(2026, 4, 2), summary, description)])
    physical = data.split(b"\r\n")[:-1]
    assert any(len(line) > 70 for line in physical)  # folding was needed and used
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is whole characters
    folded = [line for line in physical if line.startswith(b" ")]
    assert len(folded) >= 4
    (event,) = _events(_parse(data))
    assert _unescape(event["SUMMARY"][1]) == summary
    assert _unescape(event["DESCRIPTION"][1]) == description


def test_fold_keeps_short_lines_and_cuts_long_ascii_at_75_octets():
    assert ics_fold("SUMMARY:short") == "SUMMARY:short"
    line = "DESCRIPTION:" + "x" * 200
    pieces = ics_fold(line).split("\r\n")
    assert len(pieces[0].encode()) == 75
    assert all(p.startswith(" ") and len(p.encode()) <= 75 for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_fold_never_splits_a_four_byte_character():
    line = "SUMMARY:" + "𝄞" * 40  # 4 octets each
    for piece in ics_fold(line).split("\r\n"):
        assert len(piece.encode()) <= 75
        assert piece.encode().decode("utf-8") == piece


def test_a_url_or_uid_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="a URL on one line"):
        ics_calendar("x", [CalendarEvent("u", date(2026, 1, 1), "s", "d", "https://a\r\nX:1")])
    with pytest.raises(ValueError, match="a UID on one line"):
        ics_calendar("x", [CalendarEvent("u\n", date(2026, 1, 1), "s", "d")])


def test_an_empty_calendar_is_still_a_calendar():
    parsed = _parse(ics_calendar("Nothing due", [], dtstamp=STAMP))
    assert [n for n, _, _ in parsed] == [
        "BEGIN",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
        "END",
    ]
