"""The ports of entry: Schedule D codes with the time zone a notice is dated in."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from chainproof.domain.cases.ports import PORTS_SOURCE, Port, port_get, ports_all


def test_the_list_is_a_real_selection_with_its_source():
    ports = ports_all()
    assert 60 <= len(ports) <= 150
    assert [p.code for p in ports] == sorted(p.code for p in ports)
    assert len({p.code for p in ports}) == len(ports)
    assert "Schedule D" in PORTS_SOURCE
    assert "census.gov" in PORTS_SOURCE


def test_every_port_has_a_code_state_and_usable_time_zone():
    ports = ports_all()
    assert ports
    for port in ports:
        assert re.fullmatch(r"\d{4}", port.code), port
        assert re.fullmatch(r"[A-Z]{2}", port.state), port
        assert port.name, port
        assert port.name.strip() == port.name, port
        ZoneInfo(port.timezone)


def test_known_ports():
    expected = {
        "2704": ("Los Angeles", "CA", "America/Los_Angeles"),
        "2709": ("Long Beach", "CA", "America/Los_Angeles"),
        "4601": ("Newark", "NJ", "America/New_York"),
        "4701": ("John F. Kennedy International Airport", "NY", "America/New_York"),
        "1703": ("Savannah", "GA", "America/New_York"),
        "5301": ("Houston", "TX", "America/Chicago"),
        "2304": ("Laredo", "TX", "America/Chicago"),
        "2402": ("El Paso", "TX", "America/Denver"),  # Texas, but Mountain time
        "2604": ("Nogales", "AZ", "America/Phoenix"),  # no daylight saving
        "3801": ("Detroit", "MI", "America/Detroit"),
        "0901": ("Buffalo-Niagara Falls", "NY", "America/New_York"),
        "3201": ("Honolulu", "HI", "Pacific/Honolulu"),
    }
    for code, (name, state, tz) in expected.items():
        assert port_get(code) == Port(code, name, state, tz)


def test_lookup_tolerates_spaces_and_misses_cleanly():
    assert port_get(" 2704 ") == port_get("2704")
    assert port_get("2704") is not None
    assert port_get("9999") is None
    assert port_get("") is None
    assert str(port_get("2709")) == "2709 Long Beach, CA"
