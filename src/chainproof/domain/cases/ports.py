"""CBP ports of entry: Schedule D codes, names, states and time zones, as data
(``data/cbp_ports.yaml``, whose header says where the codes come from).

A port matters to a case for two reasons: people name it by its code on the entry
(block 7 of CBP Form 7501), and its time zone decides the date a notice was given, which
is the day a deadline starts counting (see ``deadlines.local_date``). The list is a
selection of the main seaports, airports and land ports, not the whole schedule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

__all__ = ["PORTS_SOURCE", "Port", "PortsFileError", "port_get", "ports_all"]

PORTS_FILE = Path(__file__).parent.parent / "data" / "cbp_ports.yaml"
_CODE = re.compile(r"\d{4}")
_STATE = re.compile(r"[A-Z]{2}")


class PortsFileError(ValueError):
    """The ports file is not as expected; the message names the entry and what is wrong."""


@dataclass(frozen=True)
class Port:
    code: str  # Schedule D: 2-digit district + 2-digit port, "2704"
    name: str
    state: str  # USPS code: CA, PR, VI
    timezone: str  # IANA: America/Los_Angeles

    def __str__(self) -> str:
        return f"{self.code} {self.name}, {self.state}"


def _port(entry: Any, number: int) -> Port:
    where = f"{PORTS_FILE.name}, port {number}"
    if not isinstance(entry, list) or len(entry) != 4:
        raise PortsFileError(f"{where}: expected [code, name, state, time zone], found {entry!r}")
    code, name, state, tz = (str(v).strip() for v in entry)
    if not _CODE.fullmatch(code):
        raise PortsFileError(f"{where}: expected a 4-digit code in quotes, found {entry[0]!r}")
    if not name:
        raise PortsFileError(f"{where} ({code}): the name is empty")
    if not _STATE.fullmatch(state):
        raise PortsFileError(f"{where} ({code}): expected a 2-letter state, found {state!r}")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PortsFileError(
            f"{where} ({code}): expected an IANA time zone, found {tz!r}"
        ) from None
    return Port(code, name, state, tz)


@lru_cache(maxsize=1)
def _load() -> tuple[str, tuple[Port, ...], dict[str, Port]]:
    document = yaml.safe_load(PORTS_FILE.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("ports"), list):
        raise PortsFileError(f"{PORTS_FILE.name}: expected 'source' and a list of 'ports'")
    ports = tuple(_port(e, n) for n, e in enumerate(document["ports"], start=1))
    by_code: dict[str, Port] = {}
    for port in ports:
        if port.code in by_code:
            raise PortsFileError(f"{PORTS_FILE.name}: code {port.code} is listed twice")
        by_code[port.code] = port
    source = " ".join(str(document.get("source", "")).split())
    return source, tuple(sorted(ports, key=lambda p: p.code)), by_code


def ports_all() -> tuple[Port, ...]:
    """Every port in the file, by code."""
    return _load()[1]


def port_get(code: str) -> Port | None:
    """The port with this Schedule D code ("2704", " 2704 "), or None if the list does not
    have it."""
    return _load()[2].get(str(code).strip())


PORTS_SOURCE: str = _load()[0]
