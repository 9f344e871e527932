"""What higher apps tell the supply-chain pages, without the suppliers app importing them.

The risk app registers, at startup, how to find the records at a risk level, so the
supplier list can filter by risk, and how to read the current scores of some nodes, so the
supply-chain map can show them and the path that sets a product's score, while the
dependency keeps pointing from risk down to suppliers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chainproof.domain.nodes import NodeKey

# (organization id, node type such as "supplier", level) -> the ids, as a queryset of ids
RiskLevelLookup = Callable[[int, str, str], Any]

_risk_level_lookups: list[RiskLevelLookup] = []


def register_risk_level_lookup(lookup: RiskLevelLookup) -> None:
    if lookup not in _risk_level_lookups:
        _risk_level_lookups.append(lookup)


def ids_at_risk_level(organization_id: int, node_type: str, level: str) -> Any:
    """The ids of the records currently at ``level``; none when no app knows risk."""
    if not _risk_level_lookups:
        return []
    return _risk_level_lookups[-1](organization_id, node_type, level)


@dataclass(frozen=True)
class NodeRisk:
    """A node's current risk as the map shows it: the score, its own points, the level."""

    score: float
    own_score: float
    level: str


# (organization id, node keys) -> each scored node's current risk
RiskScoresLookup = Callable[[int, Iterable[NodeKey]], Mapping[NodeKey, NodeRisk]]

_risk_scores_lookups: list[RiskScoresLookup] = []


def register_risk_scores_lookup(lookup: RiskScoresLookup) -> None:
    if lookup not in _risk_scores_lookups:
        _risk_scores_lookups.append(lookup)


def risk_scores(organization_id: int, nodes: Iterable[NodeKey]) -> Mapping[NodeKey, NodeRisk]:
    """The current risk of those ``nodes`` that have been scored; none when no app knows
    risk."""
    if not _risk_scores_lookups:
        return {}
    return _risk_scores_lookups[-1](organization_id, nodes)
