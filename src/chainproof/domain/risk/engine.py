"""The risk engine (its name and version below): explainable scores for every node,
propagated through the chain, and the three presumption checks (CAATSA 321(b), UFLPA,
Section 307 WRO/Finding).

Scoring, in three steps, all data-driven by the methodology:
1. Own points (``rules``): each factor that applies to a node adds its points, with a
   reason that names the evidence and the dataset edition. Capped at 100.
2. Propagation (``propagation``): a node's score is the higher of its own and its
   riskiest input's score times the per-tier decay; cycles terminate.
3. Level: from the methodology's bounds.
The presumption checks (``presumptions``) run on the products asked for.

Deterministic: same facts, methodology and engine version, same output (nodes are
processed in a fixed order and ties broken by node key). Bump ``ENGINE_VERSION`` whenever
a change here can change a result: every stored assessment is then written again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Generic, TypeVar

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import Edge, NodeFacts, ReferenceFacts
from chainproof.domain.risk.methodology import Methodology
from chainproof.domain.risk.presumptions import (
    MAX_FINDINGS,
    PRODUCTION,
    REGIMES,
    SANCTIONS,
    own_findings,
    presumption_checks,
)
from chainproof.domain.risk.propagation import Flow, OwnPoints, node_score, node_scores, propagate
from chainproof.domain.risk.results import (
    APPLIES,
    DOES_NOT_APPLY,
    MAY_APPLY,
    NodeScore,
    Presumption,
    Reason,
    RiskResult,
)
from chainproof.domain.risk.rules import own_points, own_reasons
from chainproof.domain.risk.wro import wro_matches

ENGINE_NAME = "chainproof-risk"
ENGINE_VERSION = "3"  # 2: list hits weighed by the entry's status; lists named in full
# 3: a product where a presumption applies ranks at the top, one where it may apply above
#    products of like risk where none does
PRESUMPTION_APPLIES_SCORE = 100.0  # a product where a presumption applies scores this
PRESUMPTION_MAY_APPLY_RAISE = 10.0  # ... where one may apply, this much more (below 100)

__all__ = [
    "APPLIES",
    "DOES_NOT_APPLY",
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "MAX_FINDINGS",
    "MAY_APPLY",
    "PRODUCTION",
    "REGIMES",
    "SANCTIONS",
    "NodeScore",
    "Presumption",
    "Reason",
    "RiskResult",
    "own_findings",
    "own_reasons",
    "presumption_checks",
    "score_graph",
    "wro_matches",
]


def score_graph(
    nodes: Mapping[NodeKey, NodeFacts],
    edges: Sequence[Edge],
    ref: ReferenceFacts,
    m: Methodology,
    *,
    presumption_for: Iterable[NodeKey] = (),
    boundary: Mapping[NodeKey, tuple[NodeFacts, float, tuple[Reason, ...]]] | None = None,
    streamed: bool = False,
) -> RiskResult:
    """Score ``nodes``. ``boundary`` holds upstream nodes whose scores are already known
    (an incremental re-score): they feed propagation but are not scored again. With
    ``streamed``, the result's scores are worked out as they are read (``StreamedScores``)."""
    own: dict[NodeKey, tuple[float, Sequence[Reason]]] = {
        node: own_points(nodes[node], ref, m) for node in sorted(nodes)
    }
    if boundary:
        nodes = {**{k: v[0] for k, v in boundary.items() if k not in nodes}, **nodes}
        for node, (_, known_score, known_reasons) in boundary.items():
            own.setdefault(node, (known_score, known_reasons))
    flow = propagate(nodes, edges, own, m)
    wanted = sorted(set(presumption_for) & set(nodes))
    presumptions: Mapping[NodeKey, tuple[Presumption, ...]]
    flags: Mapping[NodeKey, tuple[str, ...]]
    skip = frozenset(boundary or ())
    scores: Mapping[NodeKey, NodeScore]
    if streamed and wanted:
        # Worked out in a thread while the caller writes the nodes that need no check
        # (read last), mostly while it waits for the database.
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="presumptions")
        checked = pool.submit(presumption_checks, wanted, nodes, edges, ref)
        pool.shutdown(wait=False)  # (the thread ends with its one task)
        presumptions, flags = Checked(checked, wanted, 0), Checked(checked, wanted, 1)
        scores = StreamedScores(nodes, own, flow, m, skip, presumptions)
    elif streamed:
        presumptions, flags = {}, {}
        scores = StreamedScores(nodes, own, flow, m, skip, presumptions)
    else:
        presumptions, flags = presumption_checks(wanted, nodes, edges, ref) if wanted else ({}, {})
        scores = node_scores(nodes, own, flow, m, skip=skip)
        for product, checks in presumptions.items():
            if product in scores:
                scores[product] = _ranked_by_presumption(scores[product], checks, m)
    return RiskResult(
        scores, presumptions, flags, m.label, dict(ref.editions), ENGINE_NAME, ENGINE_VERSION
    )


_V = TypeVar("_V")


class Checked(Mapping[NodeKey, _V], Generic[_V]):
    """One of the two mappings ``presumption_checks`` returns (``part`` 0: the checks, 1:
    the sanctions flags), worked out by another thread: a node that is not checked is
    answered at once, a checked one once the work is done (its error raised here)."""

    def __init__(
        self,
        checked: Future[Any],  # (presumption_checks: the checks, the flags)
        wanted: Sequence[NodeKey],
        part: int,
    ) -> None:
        self._checked, self._wanted, self._part = checked, frozenset(wanted), part

    def _found(self) -> Mapping[NodeKey, _V]:
        found: Mapping[NodeKey, _V] = self._checked.result()[self._part]
        return found

    def __contains__(self, node: object) -> bool:
        return node in self._wanted

    def __getitem__(self, node: NodeKey) -> _V:
        if node not in self._wanted:
            raise KeyError(node)
        return self._found()[node]

    def get(self, node: NodeKey, default: Any = None) -> Any:
        # (asked of every node a run writes: no KeyError raised and caught for each)
        return self._found()[node] if node in self._wanted else default

    def __iter__(self) -> Iterator[NodeKey]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._wanted)


class StreamedScores(Mapping[NodeKey, NodeScore]):
    """The scores of a run, each worked out when it is read and kept by nobody: a run that
    writes as it goes holds one node's reasons at a time, not the whole graph's. Iterated
    in node order, the nodes with presumption checks last (``Checked``: worked out while
    the others are written); the same scores as ``score_graph`` without ``streamed``."""

    def __init__(
        self,
        nodes: Mapping[NodeKey, NodeFacts],
        own: OwnPoints,
        flow: Flow,
        m: Methodology,
        skip: frozenset[NodeKey],
        presumptions: Mapping[NodeKey, Sequence[Presumption]],
    ) -> None:
        self._nodes, self._own, self._flow, self._m = nodes, own, flow, m
        self._skip, self._presumptions = skip, presumptions

    def __getitem__(self, node: NodeKey) -> NodeScore:
        if node not in self._nodes or node in self._skip:
            raise KeyError(node)
        score = node_score(node, self._nodes, self._own, self._flow, self._m)
        checks = self._presumptions.get(node)
        return score if checks is None else _ranked_by_presumption(score, checks, self._m)

    def __iter__(self) -> Iterator[NodeKey]:
        order = sorted(self._nodes)
        checked = self._presumptions
        for node in order:
            if node not in self._skip and node not in checked:
                yield node
        for node in order:
            if node not in self._skip and node in checked:
                yield node

    def __len__(self) -> int:
        return len(self._nodes) - len(self._skip & self._nodes.keys())


_REGIME_WORDS = {"caatsa_321b": "CAATSA 321(b)", "uflpa": "UFLPA", "section_307": "Section 307"}


def _ranked_by_presumption(
    score: NodeScore, checks: Sequence[Presumption], m: Methodology
) -> NodeScore:
    """A presumption that applies puts the product at the top of the register whatever the
    tier distance of its risk (customs presumes forced labor until rebutted); one that may
    apply raises it above products of like risk where none does."""
    applies = [c for c in checks if c.status == APPLIES]
    may = [c for c in checks if c.status == MAY_APPLY]
    if applies:
        target = PRESUMPTION_APPLIES_SCORE
        which = ", ".join(_REGIME_WORDS.get(c.regime, c.regime) for c in applies)
        evidence = f"presumption applies ({which}): the product ranks at the top until rebutted"
    elif may:
        target = min(score.score + PRESUMPTION_MAY_APPLY_RAISE, PRESUMPTION_APPLIES_SCORE - 0.1)
        which = ", ".join(_REGIME_WORDS.get(c.regime, c.regime) for c in may)
        evidence = f"presumption may apply ({which}): ranked above products where none does"
    else:
        return score
    if target <= score.score:
        return score
    reason = Reason("presumption", evidence, round(target - score.score, 1), "presumption checks")
    return replace(
        score,
        score=round(target, 1),
        level=m.level_of(target),
        reasons=(*score.reasons, reason),
    )
