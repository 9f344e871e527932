"""What the risk engine returns: reasons, node scores and presumption results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chainproof.domain.nodes import NodeKey

APPLIES = "applies"
MAY_APPLY = "may_apply"
DOES_NOT_APPLY = "does_not_apply"


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    evidence: str
    points: float
    source: str

    def as_dict(self) -> dict[str, object]:
        return {
            "factor": self.factor,
            "evidence": self.evidence,
            "points": self.points,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class NodeScore:
    node: NodeKey
    score: float
    level: str
    own_score: float
    reasons: tuple[Reason, ...]
    via: NodeKey | None = None  # the upstream node the score comes from, if any
    depth: int = 0  # tiers between this node and the risk that sets it


@dataclass(frozen=True, slots=True)
class Presumption:
    regime: str
    status: str
    reasons: tuple[str, ...]
    missing: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "regime": self.regime,
            "status": self.status,
            "reasons": list(self.reasons),
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class RiskResult:
    scores: Mapping[NodeKey, NodeScore]  # a dict, or StreamedScores read once as written
    # Mappings (``engine.Checked`` while a streamed run works them out beside its writing)
    presumptions: Mapping[NodeKey, tuple[Presumption, ...]]
    sanctions_flags: Mapping[NodeKey, tuple[str, ...]]
    methodology: str
    editions: dict[str, str]
    engine: str  # the name of the engine that computed this ("chainproof-risk")
    engine_version: str
