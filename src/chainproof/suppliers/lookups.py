"""What higher apps tell the supply-chain pages, without the suppliers app importing them.

The risk app registers, at startup, how to find the records at a risk level, so the
supplier list can filter by risk while the dependency keeps pointing from risk down to
suppliers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


# (organization id, node type, ids) -> {id: its current assessment (has .level and .score)}
CurrentRiskLookup = Callable[[int, str, list[int]], dict[int, Any]]

_current_risk_lookups: list[CurrentRiskLookup] = []


def register_current_risk_lookup(lookup: CurrentRiskLookup) -> None:
    if lookup not in _current_risk_lookups:
        _current_risk_lookups.append(lookup)


def current_risk(organization_id: int, node_type: str, node_ids: list[int]) -> dict[int, Any]:
    """The current risk assessment of each record shown on a list page, by id; empty when
    no app knows risk."""
    if not _current_risk_lookups or not node_ids:
        return {}
    return _current_risk_lookups[-1](organization_id, node_type, node_ids)
