"""Each publisher's fixture, parsed (reference/sources), loads through the one loader
(`datasets_load`) as a new edition of its kind, with the bundled countries in force."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from chainproof.reference.models import (
    Dataset,
    EntityListEntry,
    GoodEntry,
    TipPlacement,
    WroFinding,
)
from chainproof.reference.services import DatasetFile, datasets_load
from chainproof.reference.sources import PARSERS

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "official_formats"
CASES = [
    ("uflpa_entity_list", ("uflpa_entity_list.html",), EntityListEntry, {"list_code": "uflpa"}),
    (
        "ofac_sdn_dprk",
        ("SDN.CSV", "ALT.CSV", "ADD.CSV"),
        EntityListEntry,
        {"list_code": "ofac_sdn_dprk"},
    ),
    ("ofac_sdn_dprk", ("sdn.xml",), EntityListEntry, {"list_code": "ofac_sdn_dprk"}),
    ("cbp_wro_findings", ("cbp_wro.html",), WroFinding, {}),
    ("dol_goods", ("dol_goods.xlsx",), GoodEntry, {}),
    ("tip_tiers", ("tip_tiers.html",), TipPlacement, {}),
]


@pytest.mark.parametrize(("kind", "names", "model", "extra"), CASES)
def test_parsed_edition_loads_as_a_new_edition(refdata, kind, names, model, extra):
    edition = PARSERS[kind]({n: (FIXTURES / n).read_bytes() for n in names}, date(2026, 12, 6))
    [outcome] = datasets_load(
        [
            DatasetFile(
                kind=kind,
                file_name=f"{kind}.csv",
                data=edition.csv_bytes(),
                edition=edition.edition,
                as_of=edition.as_of,
                source=edition.source,
                notes="; ".join(edition.notes),
            )
        ]
    )
    assert outcome.created
    dataset = outcome.dataset
    assert dataset.row_count == len(edition.rows) > 0
    assert model.objects.filter(dataset=dataset, **extra).count() == len(edition.rows)
    assert Dataset.objects.filter(kind=kind).count() == 2  # the bundled edition stays
    assert dataset.pk != refdata[kind].pk


def test_namibia_keeps_its_code_through_the_load(refdata):
    edition = PARSERS["tip_tiers"](
        {"t.html": (FIXTURES / "tip_tiers.html").read_bytes()}, date(2026, 12, 6)
    )
    [outcome] = datasets_load(
        [
            DatasetFile(
                "tip_tiers",
                "t.csv",
                edition.csv_bytes(),
                edition.edition,
                edition.as_of,
                edition.source,
            )
        ]
    )
    placement = TipPlacement.objects.get(dataset=outcome.dataset, iso2="NA")
    assert (placement.report_year, placement.tier) == (2026, "Tier 2")
