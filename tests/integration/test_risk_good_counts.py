"""The heat map of countries by goods reads counts kept as assessments are written
(``GoodCount``, risk/storing.py), not every worksite's assessment. They must give the map
that the assessments themselves give: after a full run, after a change re-scored
incrementally, after a split run, and after a full run that follows a change the counts
could not see (a material's DOL marks)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db import transaction

from chainproof.domain.nodes import NodeKey
from chainproof.risk.models import GoodCount, RiskAssessment
from chainproof.risk.selectors import heatmap
from chainproof.risk.services import risk_rescore, risk_score_all
from chainproof.risk.storing import good_counts_recount
from chainproof.suppliers.models import Facility, Material
from chainproof.suppliers.services import material_save
from tests.integration.test_risk_level_counts import _graph, _mark_dprk

pytestmark = pytest.mark.django_db

LEVELS = ("low", "medium", "high", "critical")


def _map_from_assessments(org_id: int) -> dict:
    """The heat map worked out from every current worksite assessment, as the page did
    before the counts were kept: cells of (country, good) with the worksites' number and
    highest level, and the worksites naming no marked good."""
    listed = {
        good.casefold(): good
        for marks in Material.objects.filter(organization_id=org_id).values_list(
            "dol_goods", flat=True
        )
        for good in marks
    }
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    unlisted = 0
    for country, goods, level in (
        RiskAssessment.objects.filter(organization_id=org_id, is_current=True, node_type="facility")
        .exclude(country="")
        .values_list("country", "goods", "level")
    ):
        made = {listed[g.casefold()] for g in goods if g.casefold() in listed}
        unlisted += not made
        for good in made:
            cells[country, good].append(level)
    return {
        "cells": {
            key: (len(levels), max(levels, key=LEVELS.index)) for key, levels in cells.items()
        },
        "unlisted": unlisted,
    }


def _marked_graph(member) -> None:
    """The generated chain, a few of its materials marked with goods on the DOL List
    (one good twice, spelt differently)."""
    _graph(member.organization)
    marks = (["Cotton"], ["Garments", "cotton"], ["Polysilicon"], ["Bricks"])
    materials = Material.objects.filter(organization=member.organization).order_by("pk")
    assert materials.count() >= len(marks)
    for material, goods in zip(materials, marks, strict=False):
        with transaction.atomic():
            material_save(
                organization=member.organization.pk,
                actor=member.user,
                material=material,
                data={"name": material.name, "dol_goods": goods},
            )


def _low_facility_making(org, goods: set[str]) -> Facility:
    """A worksite at low risk that makes one of ``goods`` (so that North Korean workers
    there move a cell of the map)."""
    for node_id, made in RiskAssessment.objects.filter(
        organization=org, node_type="facility", is_current=True, level="low"
    ).values_list("node_id", "goods"):
        if {g.casefold() for g in made} & goods:
            return Facility.objects.get(pk=node_id)
    raise AssertionError("no low-risk worksite makes a marked good")


def _map_shown(org_id: int) -> dict:
    shown = heatmap(org_id, LEVELS, max_goods=1000)
    return {
        "cells": {
            (row["country"], cell["good"]): (cell["count"], cell["band"])
            for row in shown["rows"]
            for cell in row["cells"]
            if cell["count"]
        },
        "unlisted": shown["unlisted"],
    }


def _stored(org_id: int) -> dict:
    return {
        (g, c, lv): n
        for g, c, lv, n in GoodCount.objects.filter(organization_id=org_id)
        .exclude(current=0)
        .values_list("good", "country", "level", "current")
    }


def test_the_map_from_the_counts_is_the_map_of_the_assessments(alice, refdata):
    org = alice.organization
    _marked_graph(alice)
    risk_score_all(organization_id=org.pk)
    expected = _map_from_assessments(org.pk)
    assert len(expected["cells"]) >= 3  # the generated chain makes goods on the DOL List
    assert _map_shown(org.pk) == expected
    assert _stored(org.pk) == dict(good_counts_recount(org.pk))

    # North Korean workers at a worksite: it and what it supplies are re-scored, levels
    # move, and the map follows without a full run.
    facility = _low_facility_making(org, {"cotton", "garments", "polysilicon", "bricks"})
    _mark_dprk(org, facility)
    risk_rescore(organization_id=org.pk, changed={NodeKey.facility(facility.pk)})
    after = _map_from_assessments(org.pk)
    assert after != expected
    assert _map_shown(org.pk) == after
    assert _stored(org.pk) == dict(good_counts_recount(org.pk))


def test_a_full_run_counts_again_after_a_materials_marks_change(alice, refdata):
    org = alice.organization
    _marked_graph(alice)
    risk_score_all(organization_id=org.pk)
    before = _map_from_assessments(org.pk)
    # A material no longer marked with its DOL goods: the worksites that make only it now
    # name no marked good (their goods do not change, so nothing is re-scored for them).
    marked = Material.objects.filter(organization=org).exclude(dol_goods=[]).first()
    with transaction.atomic():
        material_save(
            organization=org.pk,
            actor=alice.user,
            material=marked,
            data={"name": marked.name, "dol_goods": []},
        )
    risk_score_all(organization_id=org.pk)
    after = _map_from_assessments(org.pk)
    assert after != before
    assert _map_shown(org.pk) == after
    assert _stored(org.pk) == dict(good_counts_recount(org.pk))


def test_the_page_draws_the_counts(csrf_client, alice, refdata):
    org = alice.organization
    _marked_graph(alice)
    risk_score_all(organization_id=org.pk)
    csrf_client.sign_in(alice)
    page = csrf_client.get("/risk/heatmap/").content.decode()
    expected = _map_from_assessments(org.pk)
    assert expected["cells"]
    for (country, good), (count, level) in expected["cells"].items():
        worksites = f"{count} worksite{'s' if count != 1 else ''}"
        title = f"{worksites} in {country} making {good}; the riskiest is {level}"
        assert title in page, title
    assert f"{expected['unlisted']} worksite" in page
