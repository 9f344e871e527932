"""Reference lists in the formats their publishers use (the DHS UFLPA Entity List page,
OFAC's SDN files, CBP's WRO and Findings page, DOL's List of Goods, the State Department's
TIP tier table), each parsed into the rows of chainproof's own layout for its dataset kind
(`domain/refdata.py`), so that one loader (`reference/services.py::datasets_load`) validates
and writes every edition however it arrived.

A parser takes the bytes of one downloaded page or file (or several: OFAC's SDN.CSV, ALT.CSV
and ADD.CSV together) and returns a `ParsedEdition`; a page whose layout it does not
recognise raises `SourceFormatError` naming what it expected and what it found, and nothing
is loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from chainproof.domain.refdata import get_kind


class SourceFormatError(Exception):
    """The publisher's page or file is not in the layout its parser knows."""

    def __init__(self, source: str, expected: str, found: str) -> None:
        super().__init__(f"{source}: expected {expected}, found {found}")
        self.source = source
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class ParsedEdition:
    """One edition of one dataset kind, read from its publisher's format."""

    kind: str  # a dataset kind code: "uflpa_entity_list", "ofac_sdn_dprk", ...
    rows: list[dict[str, str]]  # in the kind's columns (domain/refdata.py)
    edition: str  # "DHS page 2026-12-01"
    as_of: date
    source: str  # the address or file it was read from
    notes: list[str] = field(default_factory=list)  # what was skipped, and why
    # Rows of companion tables read from the same files, by name, in the columns of the
    # shared data's CSV of that name: OFAC's ADD.CSV gives "ofac_sdn_dprk_addresses".
    related: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def csv_bytes(self) -> bytes:
        """The rows in chainproof's CSV layout for the kind (what `datasets_load` reads)."""
        names = list(get_kind(self.kind).column_names)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({name: row.get(name, "") for name in names})
        return out.getvalue().encode("utf-8")


# (files by name -> parsed edition); one entry per dataset kind, filled by the parser
# modules of this package.
Parser = Callable[[Mapping[str, bytes], date], ParsedEdition]
PARSERS: dict[str, Parser] = {}


def _register() -> None:
    from chainproof.reference.sources import cbp_wro, dhs_uflpa, dol_goods, ofac_sdn, state_tip

    for module in (dhs_uflpa, ofac_sdn, cbp_wro, dol_goods, state_tip):
        PARSERS[module.KIND] = module.parse


_register()
