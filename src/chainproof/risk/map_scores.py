"""The current scores of some nodes, for the supply-chain map (registered with
``suppliers.lookups`` at start-up, so the suppliers app does not import risk)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from chainproof.domain.nodes import NodeKey
from chainproof.risk.models import RiskAssessment
from chainproof.suppliers.lookups import NodeRisk

_CHUNK = 500


def current_node_risks(organization_id: int, nodes: Iterable[NodeKey]) -> dict[NodeKey, NodeRisk]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for node in nodes:
        if node.type_name in RiskAssessment.NodeType.values:
            by_type[node.type_name].append(node.id)
    found: dict[NodeKey, NodeRisk] = {}
    for node_type, ids in by_type.items():
        for start in range(0, len(ids), _CHUNK):
            rows = RiskAssessment.objects.filter(
                organization_id=organization_id,
                is_current=True,
                node_type=node_type,
                node_id__in=ids[start : start + _CHUNK],
            ).values_list("node_id", "score", "own_score", "level")
            for node_id, score, own_score, level in rows:
                found[NodeKey.of_type(node_type, node_id)] = NodeRisk(
                    float(score), float(own_score), level
                )
    return found
