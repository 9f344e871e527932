"""What a methodology would change before it is saved: every record scored in memory with
the methodology in use and with the candidate, on the same data, and the levels compared.
Nothing is stored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from chainproof.domain.risk.engine import score_graph
from chainproof.domain.risk.methodology import LEVELS, Methodology
from chainproof.risk.snapshot import build_snapshot, reference_facts


@dataclass
class LevelChange:
    name: str
    node_type: str
    node_id: int
    before: str
    after: str
    score_before: float
    score_after: float


@dataclass
class Preview:
    records: int
    changed: int
    moves: list[tuple[str, str, int]]  # (from level, to level, how many), worst first
    before: dict[str, int]
    after: dict[str, int]
    examples: list[LevelChange] = field(default_factory=list)


def methodology_preview(
    organization_id: int, current: Methodology, candidate: Methodology, *, examples: int = 12
) -> Preview:
    on = timezone.localdate()
    ref = reference_facts(organization_id, on)
    snap = build_snapshot(organization_id, on)
    now = score_graph(snap.nodes, snap.edges, ref, current, presumption_for=snap.products)
    then = score_graph(snap.nodes, snap.edges, ref, candidate, presumption_for=snap.products)
    moves: Counter[tuple[str, str]] = Counter()
    changes = []
    for node, score in now.scores.items():
        after = then.scores[node]
        if after.level != score.level:
            moves[(score.level, after.level)] += 1
            changes.append(
                LevelChange(
                    snap.nodes[node].name,
                    node.type_name,
                    node.id,
                    score.level,
                    after.level,
                    score.score,
                    after.score,
                )
            )
    rank = {level: i for i, level in enumerate(LEVELS)}
    changes.sort(key=lambda c: (-abs(rank[c.after] - rank[c.before]), -c.score_after, c.name))
    return Preview(
        records=len(now.scores),
        changed=sum(moves.values()),
        moves=[
            (a, b, n)
            for (a, b), n in sorted(moves.items(), key=lambda x: (-rank[x[0][0]], -rank[x[0][1]]))
        ],
        before=dict(Counter(s.level for s in now.scores.values())),
        after=dict(Counter(s.level for s in then.scores.values())),
        examples=changes[:examples],
    )
