"""Where screening hits and reported signals come from: other apps register providers,
so new sources feed the engine without changing it.

A provider takes an organization id and returns {node key: [EntityHit or ReportedSignal]}.
"""

from __future__ import annotations

from collections.abc import Callable

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import EntityHit, ReportedSignal

HitProvider = Callable[[int], dict[NodeKey, list[EntityHit]]]
SignalProvider = Callable[[int], dict[NodeKey, list[ReportedSignal]]]

HIT_PROVIDERS: list[HitProvider] = []
SIGNAL_PROVIDERS: list[SignalProvider] = []


def entity_hits(organization_id: int) -> dict[NodeKey, list[EntityHit]]:
    merged: dict[NodeKey, list[EntityHit]] = {}
    for provider in HIT_PROVIDERS:
        for node, hits in provider(organization_id).items():
            merged.setdefault(node, []).extend(hits)
    return merged


def reported_signals(organization_id: int) -> dict[NodeKey, list[ReportedSignal]]:
    merged: dict[NodeKey, list[ReportedSignal]] = {}
    for provider in SIGNAL_PROVIDERS:
        for node, signals in provider(organization_id).items():
            merged.setdefault(node, []).extend(signals)
    return merged
