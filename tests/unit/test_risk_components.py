"""Scoring by connected component gives exactly what scoring the whole graph gives, and the
digests that let a full run skip a component change whenever its inputs or its stored
results do."""

import dataclasses
import hashlib
import random

import pytest

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.components import (
    batches,
    canonical,
    components,
    edges_by_component,
    inputs_digest,
    state_digest,
)
from chainproof.domain.risk.engine import score_graph
from chainproof.domain.risk.facts import (
    Edge,
    EntityHit,
    NodeFacts,
    ReferenceFacts,
    ReportedSignal,
    UnknownInput,
)
from tests.unit.test_risk_engine import REF, M

COUNTRIES = ["CN", "IT", "MY", "VN", "TM", "RU", "ZZ", ""]
GOODS = ["cotton", "polysilicon", "screws", "tomatoes"]


def generated_graph(seed: int, groups: int = 6, per_group: int = 60):
    """Several separate supply chains (some with cycles), each ending in products."""
    rng = random.Random(seed)
    nodes: dict[NodeKey, NodeFacts] = {}
    edges: list[Edge] = []
    next_id = 1
    for _ in range(groups):
        sites = []
        for _ in range(per_group):
            node = NodeKey.facility(next_id)
            next_id += 1
            sites.append(node)
            nodes[node] = NodeFacts(
                node=node,
                kind="facility",
                name=f"Plant {node.id}",
                country=rng.choice(COUNTRIES),
                xinjiang_reason="Hotan prefecture" if rng.random() < 0.03 else "",
                goods=tuple(rng.sample(GOODS, rng.randint(0, 2))),
                activities=("manufacturing",) if rng.random() < 0.8 else ("transport",),
                dprk_workers=rng.choices(
                    ["none", "unknown", "not_asked", "present"], [12, 2, 2, 1]
                )[0],
                total_workers=rng.randint(10, 900),
                migrant_workers=rng.choice([None, 0, 50]),
                entity_hits=(
                    (EntityHit("uflpa", "Listed Co", rng.random() < 0.5, "2026-07-09"),)
                    if rng.random() < 0.03
                    else ()
                ),
                signals=(
                    (ReportedSignal("identity_documents_retained", "passports kept", "audit"),)
                    if rng.random() < 0.05
                    else ()
                ),
                unknown_inputs=((UnknownInput("cotton", True),) if rng.random() < 0.05 else ()),
            )
        companies = []
        for _ in range(per_group // 6):
            node = NodeKey.supplier(next_id)
            next_id += 1
            companies.append(node)
            nodes[node] = NodeFacts(
                node=node,
                kind="supplier",
                name=f"Company {node.id}",
                country=rng.choice(COUNTRIES),
                site_unknown=rng.random() < 0.2,
            )
        for site in sites:
            if rng.random() < 0.7:
                edges.append(Edge(site, rng.choice(companies), operates=True))
        # Layered links, plus links back up the chain: cycles.
        for index, site in enumerate(sites[1:], start=1):
            for _ in range(rng.randint(1, 3)):
                target = sites[rng.randrange(0, max(1, index // 2))]
                edges.append(Edge(site, target, rng.choice(GOODS)))
            if rng.random() < 0.08:
                edges.append(Edge(sites[rng.randrange(0, index)], site, "scrap"))
        for company in companies[:3]:
            edges.append(Edge(company, sites[rng.randrange(len(sites))], "resin"))
        for _ in range(3):
            product = NodeKey.product(next_id)
            next_id += 1
            nodes[product] = NodeFacts(node=product, kind="product", name=f"Good {product.id}")
            for site in rng.sample(sites[:5], 2):
                edges.append(Edge(site, product, "finished good"))
    # Lone nodes and an edge to a node that is not scored (ignored by the engine).
    for _ in range(5):
        node = NodeKey.facility(next_id)
        next_id += 1
        nodes[node] = NodeFacts(node=node, kind="facility", name=f"Lone {node.id}", country="CN")
    edges.append(Edge(NodeKey.facility(1), NodeKey.facility(999_999), "lost"))
    return nodes, edges


def by_component(nodes, edges, limit):
    found = components(nodes, edges)
    inside = edges_by_component(found, edges)
    scores, presumptions, flags = {}, {}, {}
    for batch in batches([(i, len(found[i])) for i in range(len(found))], limit):
        part = {node: nodes[node] for i in batch for node in found[i]}
        result = score_graph(
            part,
            [edge for i in batch for edge in inside[i]],
            REF,
            M,
            presumption_for=[n for n in part if n.type_name == "product"],
        )
        scores.update(result.scores)
        presumptions.update(result.presumptions)
        flags.update(result.sanctions_flags)
    return scores, presumptions, flags


@pytest.mark.parametrize("seed", [1, 3, 4])
@pytest.mark.parametrize("limit", [1, 150, 10_000])
def test_scoring_by_component_equals_scoring_the_whole_graph(seed, limit):
    nodes, edges = generated_graph(seed)
    whole = score_graph(
        nodes, edges, REF, M, presumption_for=[n for n in nodes if n.type_name == "product"]
    )
    scores, presumptions, flags = by_component(nodes, edges, limit)
    assert scores == whole.scores  # scores, levels, own points, reasons, paths, depths
    assert presumptions == whole.presumptions
    assert flags == whole.sanctions_flags
    # The generated graphs exercise what matters: several components, propagated risk,
    # presumptions that apply and that may apply.
    assert len(components(nodes, edges)) >= 6 + 5
    assert any(s.via is not None and s.depth >= 2 for s in scores.values())
    statuses = {c.status for checks in presumptions.values() for c in checks}
    assert {"applies", "may_apply"} <= statuses


def test_components_follow_edges_either_way_and_ignore_edges_to_unknown_nodes():
    a, b, c, d, e = (NodeKey.facility(i) for i in range(1, 6))
    edges = [Edge(b, a), Edge(c, b), Edge(e, NodeKey.facility(99))]
    assert components([e, d, c, b, a], edges) == [[a, b, c], [d], [e]]
    assert edges_by_component([[a, b, c], [d], [e]], edges) == [[Edge(b, a), Edge(c, b)], [], []]
    assert batches([(0, 3), (1, 1), (2, 1), (3, 5)], 4) == [[0, 1], [2], [3]]


def test_a_component_digest_changes_with_its_facts_edges_context_and_stored_results():
    nodes, edges = generated_graph(4, groups=1, per_group=20)
    members = sorted(nodes)
    base = inputs_digest("ctx", members, nodes, edges)
    assert inputs_digest("ctx", members, dict(nodes), list(reversed(edges))) == base
    changed = dict(nodes)
    first = members[0]
    changed[first] = NodeFacts(node=first, kind="facility", name="Renamed", country="CN")
    assert inputs_digest("ctx", members, changed, edges) != base
    assert inputs_digest("ctx", members, nodes, edges[:-1]) != base
    assert inputs_digest("other", members, nodes, edges) != base
    stored = dict.fromkeys(members, "a" * 64)
    state = state_digest(base, members, stored)
    assert state_digest(base, members, dict(stored)) == state
    assert state_digest(base, members, {**stored, first: "b" * 64}) != state
    assert state_digest(base, members, {n: v for n, v in stored.items() if n != first}) != state


def test_a_state_digest_is_the_hash_of_the_inputs_then_each_fingerprint_in_order():
    """The definition the digests stored by earlier versions were made with: a component
    of any size (hashed a block of nodes at a time) still compares equal to them."""
    members = [NodeKey.facility(i) for i in range(25_003)]
    stored = {node: f"{node.id:064x}" for node in members if node.id % 7}
    text = "i" * 64 + "".join(stored.get(node, "-") for node in members)
    expected = hashlib.sha256(text.encode("ascii")).hexdigest()
    assert state_digest("i" * 64, members, stored) == expected


def _rebuilt(value):
    """The same value in objects of its own: strings built again (neither shared nor
    interned), tuples and records too."""
    if isinstance(value, str):
        return "".join(list(value))
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_rebuilt(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, NodeFacts):
        return dataclasses.replace(
            value, **{f.name: _rebuilt(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


def test_a_component_digest_reads_values_not_how_they_are_held_records_included():
    nodes, edges = generated_graph(5, groups=2, per_group=30)
    members = sorted(nodes)
    base = inputs_digest("ctx", members, nodes, edges)
    fresh = {
        node: dataclasses.replace(
            facts,
            **{
                f.name: _rebuilt(getattr(facts, f.name))
                for f in dataclasses.fields(facts)
                if f.name != "node"
            },
        )
        for node, facts in nodes.items()
    }
    assert inputs_digest("ctx", members, fresh, edges) == base
    # A change inside a record (a list match confirmed, an input found high-risk) shows.
    with_hit = next(n for n in members if nodes[n].entity_hits)
    hit = nodes[with_hit].entity_hits[0]
    flipped = dataclasses.replace(hit, confirmed=not hit.confirmed)
    changed = {**nodes, with_hit: dataclasses.replace(nodes[with_hit], entity_hits=(flipped,))}
    assert inputs_digest("ctx", members, changed, edges) != base
    with_input = next(n for n in members if nodes[n].unknown_inputs)
    item = nodes[with_input].unknown_inputs[0]
    risky = dataclasses.replace(item, high_risk=not item.high_risk)
    changed = {
        **nodes,
        with_input: dataclasses.replace(nodes[with_input], unknown_inputs=(risky,)),
    }
    assert inputs_digest("ctx", members, changed, edges) != base


def test_the_run_context_reads_the_same_in_every_process():
    ref = ReferenceFacts(
        tip={"CN": (2025, "T3")},
        goods={},
        wros=(),
        dprk_hosts={},
        editions={"b": "2", "a": "1"},
        dprk_hosts_added=frozenset({"RU", "CN", "MY"}),
    )
    text = canonical(ref)
    # Sets and dicts are written sorted: no set ordering (string hashing) shows through.
    assert "'CN'" in text
    assert text.index("'CN'") < text.index("'MY'") < text.index("'RU'")
    assert canonical({"b": 1, "a": 2}) == canonical({"a": 2, "b": 1})
