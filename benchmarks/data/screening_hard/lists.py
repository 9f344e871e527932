"""The bundled lists, read as plain CSV (src/chainproof/reference/data/, copied from
/work/shared/data/ with their provenance in PROVENANCE.md there)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "src" / "chainproof" / "reference" / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(aliases: str) -> list[str]:
    return [a.strip() for a in aliases.split("|") if a.strip()]


@dataclass(frozen=True)
class Lists:
    uflpa: list[dict[str, str]]
    wro: list[dict[str, str]]
    ofac: list[dict[str, str]]

    @property
    def names(self) -> set[str]:
        """Every name the lists carry: primary names, aliases, WRO entity strings, and the
        UFLPA entries as published (with their aliases written inside)."""
        found: set[str] = set()
        for row in self.uflpa:
            found.update([row["primary_name"], row["entity_as_published"], *_split(row["aliases"])])
        for row in self.wro:
            found.update([row["entity"], *_split(row["aliases"])])
        for row in self.ofac:
            found.update([row["name"], *_split(row["alternate_names"])])
        return found

    def ofac_people(self) -> list[tuple[str, list[str]]]:
        return [
            (row["name"], _split(row["alternate_names"]))
            for row in self.ofac
            if row["type"] == "individual"
        ]


def load() -> Lists:
    return Lists(
        _rows("uflpa_entity_list.csv"), _rows("cbp_wro_findings.csv"), _rows("ofac_sdn_dprk.csv")
    )
