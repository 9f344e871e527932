"""Tiers as stored after a recomputation: the graph walked with nodes as numbers gives
what the domain's walk over NodeKeys gives (tiers, operators, cycles)."""

import random

import pytest
from django.db import IntegrityError, connection, transaction

from chainproof.bulk import deferred_checks_now
from chainproof.domain.graph import compute_tiers
from chainproof.domain.nodes import NodeKey
from chainproof.suppliers.graph import graph_tiers, node_of_source, node_of_target, tiers_recompute
from chainproof.suppliers.models import Facility, Material, Supplier, SupplyLink


def _expected(org):
    edges = []
    for link in SupplyLink.objects.filter(organization=org).order_by("pk"):
        source = node_of_source(link)
        if source is not None:
            edges.append((source, node_of_target(link)))
    operators = {
        NodeKey.facility(f.pk): NodeKey.supplier(f.supplier_id)
        for f in Facility.objects.filter(organization=org, supplier__isnull=False)
    }
    return compute_tiers(edges, operators=operators)


def test_tiers_and_cycles_are_those_of_the_graph_of_node_keys(alice):
    org = alice.organization
    rng = random.Random(7)
    material = Material.objects.create(organization=org, name="Cotton")
    suppliers = [
        Supplier.objects.create(organization=org, legal_name=f"Supplier {n}", country="CN")
        for n in range(30)
    ]
    facilities = [
        Facility.objects.create(
            organization=org,
            name=f"Mill {n}",
            country="CN",
            supplier=rng.choice(suppliers) if n % 3 else None,
        )
        for n in range(30)
    ]

    def node_fields(prefix, allow_importer):
        choice = rng.random()
        if allow_importer and choice < 0.1:
            return {f"{prefix}_importer": True}
        if prefix == "source" and choice < 0.15:
            return {"source_unknown": True}
        if choice < 0.55:
            return {f"{prefix}_facility": rng.choice(facilities)}
        return {f"{prefix}_supplier": rng.choice(suppliers)}

    for _ in range(70):
        SupplyLink.objects.create(
            organization=org,
            material=material,
            **node_fields("source", False),
            **node_fields("target", True),
        )
    # A cycle of two and a node linked to itself.
    SupplyLink.objects.create(
        organization=org,
        material=material,
        source_facility=facilities[0],
        target_facility=facilities[1],
    )
    SupplyLink.objects.create(
        organization=org,
        material=material,
        source_facility=facilities[1],
        target_facility=facilities[0],
    )
    SupplyLink.objects.create(
        organization=org,
        material=material,
        source_supplier=suppliers[3],
        target_supplier=suppliers[3],
    )

    expected = _expected(org)
    found = graph_tiers(org.pk)
    assert found.tiers == expected.tiers
    assert found.cycles == expected.cycles
    assert len(found.cycles) >= 2
    assert len(found.tiers) > 10

    report = tiers_recompute(organization_id=org.pk)
    assert report["nodes_with_tier"] == len(expected.tiers)
    assert report["cycle_count"] == len(expected.cycles)
    assert report["cycles"] == [[str(n) for n in c[:20]] for c in expected.cycles[:50]]
    for model, node in ((Supplier, NodeKey.supplier), (Facility, NodeKey.facility)):
        for pk, tier in model.objects.filter(organization=org).values_list("pk", "tier"):
            assert tier == expected.tiers.get(node(pk))
    # Nothing changed: nothing rewritten.
    assert tiers_recompute(organization_id=org.pk)["changed"] == 0


def _small_chain(org):
    material = Material.objects.create(organization=org, name="Cotton")
    supplier = Supplier.objects.create(organization=org, legal_name="Spinner", country="CN")
    mill = Facility.objects.create(organization=org, name="Mill", country="CN", supplier=supplier)
    farm = Facility.objects.create(organization=org, name="Farm", country="CN")
    SupplyLink.objects.create(
        organization=org, material=material, source_facility=mill, target_importer=True
    )
    SupplyLink.objects.create(
        organization=org, material=material, source_facility=farm, target_facility=mill
    )
    return material, mill, farm


def test_work_given_to_do_meanwhile_runs_once_and_changes_no_tier(alice):
    org = alice.organization
    _, mill, farm = _small_chain(org)
    calls = []
    report = tiers_recompute(organization_id=org.pk, meanwhile=lambda: calls.append("ran"))
    assert calls == ["ran"]
    assert report["nodes_with_tier"] == 3  # the mill, its operator and the farm
    assert Facility.objects.get(pk=mill.pk).tier == 1
    assert Facility.objects.get(pk=farm.pk).tier == 2
    assert Supplier.objects.get(pk=mill.supplier_id).tier == 1


def test_work_done_meanwhile_that_fails_stops_the_recomputation(alice):
    org = alice.organization
    farm = _small_chain(org)[2]

    def fails():
        raise ValueError("the database refused")

    with pytest.raises(ValueError, match="the database refused"):
        tiers_recompute(organization_id=org.pk, meanwhile=fails)
    assert Facility.objects.get(pk=farm.pk).tier is None  # nothing stored


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL holds foreign keys until commit"
)
def test_a_broken_reference_is_refused_while_the_tiers_are_computed(alice):
    """An import checks its rows' references while the tiers are computed: a link to a
    worksite that does not exist is refused there, as it would be at commit."""
    org = alice.organization
    material, mill, _ = _small_chain(org)
    missing = Facility.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO suppliers_supplylink (organization_id, source_facility_id, "
                "source_supplier_id, source_unknown, target_facility_id, target_supplier_id, "
                "target_importer, material_id, product_id, evidence_refs, notes, created_at, "
                "updated_at) VALUES (%s, %s, NULL, false, %s, NULL, false, %s, NULL, '', '', "
                "now(), now())",
                [org.pk, missing, mill.pk, material.pk],
            )
        with pytest.raises(IntegrityError):
            tiers_recompute(organization_id=org.pk, meanwhile=deferred_checks_now)
        transaction.set_rollback(True)
    # The same recomputation with every reference sound goes through.
    assert tiers_recompute(organization_id=org.pk, meanwhile=deferred_checks_now)["changed"] == 3
