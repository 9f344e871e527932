"""A full run over one giant component keeps less: scores worked out as they are written
(``StreamedScores``) and presumption findings dropped once passed on. Both must give
exactly what the single pass that kept everything gave: the same scores, levels, reasons,
paths and presumption checks."""

from collections import defaultdict
from dataclasses import fields

import pytest

from chainproof.domain.risk.components import components
from chainproof.domain.risk.engine import Checked, StreamedScores, score_graph
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
    # Node order, the nodes checked last (their checks are worked out while the others
    # are written).
    checked = set(products)
    assert list(streamed.scores) == [n for n in sorted(nodes) if n not in checked] + sorted(checked)
    assert isinstance(streamed.presumptions, Checked)
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


class _ChecksFail(type(REF)):  # type: ignore[misc]
    """Reference facts whose presumption checks fail (only they name the UFLPA list)."""

    def edition(self, kind: str) -> str:
        if kind == "uflpa_entity_list":
            raise RuntimeError("the checks failed")
        return super().edition(kind)


def test_a_failure_of_the_checks_worked_out_beside_is_raised_where_they_are_read():
    nodes, edges = generated_graph(4, groups=1, per_group=200)
    products = sorted(n for n in nodes if n.type_name == "product")
    failing = _ChecksFail(**{f.name: getattr(REF, f.name) for f in fields(REF)})
    result = score_graph(nodes, edges, failing, M, presumption_for=products, streamed=True)
    order = iter(result.scores)
    # Every node without a check is scored, and asked for its checks, as usual...
    for _ in range(len(nodes) - len(products)):
        node = next(order)
        assert result.presumptions.get(node, ()) == ()
        assert result.scores[node].node == node
    # ... then the first checked node raises the checks' error, not a missing key.
    first_checked = next(order)
    assert first_checked == products[0]
    with pytest.raises(RuntimeError, match="the checks failed"):
        result.scores[first_checked]
    with pytest.raises(RuntimeError, match="the checks failed"):
        result.presumptions.get(first_checked)


def test_checks_asked_for_some_products_only_keep_the_others_findings_out():
    nodes, edges = generated_graph(3, groups=1, per_group=300)
    products = sorted(n for n in nodes if n.type_name == "product")
    some = products[:1]
    assert presumption_checks(some, nodes, edges, REF) == kept_for_every_node(
        some, nodes, edges, REF
    )
