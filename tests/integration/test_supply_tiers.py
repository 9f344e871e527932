"""Tiers as stored after a recomputation: the graph walked with nodes as numbers gives
what the domain's walk over NodeKeys gives (tiers, operators, cycles)."""

import random

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
