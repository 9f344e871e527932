"""A full run over one giant component keeps less: scores worked out as they are written
(``StreamedScores``) and presumption findings dropped once passed on. Both must give
exactly what the single pass that kept everything gave: the same scores, levels, reasons,
paths and presumption checks."""

from collections import defaultdict

import pytest

from chainproof.domain.risk.components import components
from chainproof.domain.risk.engine import StreamedScores, score_graph
from chainproof.domain.risk.presumptions import (
    MAX_FINDINGS,
    REGIMES,
    SANCTIONS,
    _merge_into,
    own_findings,
    presumption_checks,
)
from chainproof.domain.risk.results import APPLIES, DOES_NOT_APPLY, MAY_APPLY, Presumption
from tests.unit.test_risk_components import generated_graph
from tests.unit.test_risk_engine import REF, M


def kept_for_every_node(targets, nodes, edges, ref):
    """The presumption checks as they were before: every node's findings held to the end."""
    held = {}
    for node in sorted(nodes):
        buckets = defaultdict(list)
        for regime, rank, text in own_findings(nodes[node], ref):
            buckets[regime].append((rank, text))
        held[node] = {r: tuple(sorted(set(items))[:MAX_FINDINGS]) for r, items in buckets.items()}
    downstream, waiting = defaultdict(set), defaultdict(int)
    for edge in edges:
        if (
            edge.source in nodes
            and edge.target in nodes
            and edge.target not in downstream[edge.source]
        ):
            downstream[edge.source].add(edge.target)
            waiting[edge.target] += 1
    ready = sorted((node for node in nodes if waiting[node] == 0), reverse=True)
    done = set()
    while ready:
        node = ready.pop()
        done.add(node)
        for target in sorted(downstream.get(node, ())):
            if held[node]:
                _merge_into(held[target], held[node])
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    pending = sorted(node for node in nodes if node not in done)
    queued = set(pending)
    while pending:
        node = pending.pop()
        queued.discard(node)
        if not held[node]:
            continue
        for target in sorted(downstream.get(node, ())):
            if _merge_into(held[target], held[node]) and target not in queued:
                queued.add(target)
                pending.append(target)
    editions = {
        "caatsa_321b": "supply chain data; CAATSA section 321(b)",
        "uflpa": f"UFLPA; {ref.edition('uflpa_entity_list')}",
        "section_307": f"19 U.S.C. 1307; {ref.edition('cbp_wro_findings')}",
    }
    presumptions, flags = {}, {}
    for target in targets:
        found = held.get(target, {})
        checks = []
        for regime in REGIMES:
            applies = [text for rank, text in found.get(regime, ()) if rank == 0]
            maybe = [text for rank, text in found.get(regime, ()) if rank == 1]
            status = APPLIES if applies else MAY_APPLY if maybe else DOES_NOT_APPLY
            reasons = applies + maybe or [f"nothing found ({editions[regime]})"]
            checks.append(Presumption(regime, status, tuple(reasons), tuple(maybe)))
        presumptions[target] = tuple(checks)
        flags[target] = tuple(text for _, text in found.get(SANCTIONS, ()))
    return presumptions, flags


@pytest.mark.parametrize("seed", [2, 5, 8])
def test_a_giant_component_streamed_gives_what_the_single_pass_gave(seed):
    nodes, edges = generated_graph(seed, groups=1, per_group=600)
    # The products, and some sites checked too (their checks are not all "applies").
    products = [n for n in nodes if n.type_name == "product"] + sorted(nodes)[::7]
    # One giant component with many tiers, cycles and inputs of unknown origin.
    assert max(len(c) for c in components(nodes, edges)) > 0.95 * len(nodes)
    assert any(n.unknown_inputs for n in nodes.values())
    single = score_graph(nodes, edges, REF, M, presumption_for=products)
    streamed = score_graph(nodes, edges, REF, M, presumption_for=products, streamed=True)
    assert isinstance(streamed.scores, StreamedScores)
    assert list(streamed.scores) == sorted(nodes)
    assert len(streamed.scores) == len(nodes)
    assert dict(streamed.scores.items()) == single.scores
    assert streamed.presumptions == single.presumptions
    assert streamed.sanctions_flags == single.sanctions_flags
    assert (streamed.presumptions, streamed.sanctions_flags) == kept_for_every_node(
        sorted(products), nodes, edges, REF
    )
    assert max(s.depth for s in single.scores.values()) >= 3
    checks = [c for found in single.presumptions.values() for c in found]
    assert any(c.status == "applies" for c in checks)
    assert any(c.status == "may_apply" and c.missing for c in checks)
    with pytest.raises(KeyError):
        streamed.scores[max(nodes)._replace(id=10**9)]


def test_checks_asked_for_some_products_only_keep_the_others_findings_out():
    nodes, edges = generated_graph(3, groups=1, per_group=300)
    products = sorted(n for n in nodes if n.type_name == "product")
    some = products[:1]
    assert presumption_checks(some, nodes, edges, REF) == kept_for_every_node(
        some, nodes, edges, REF
    )
