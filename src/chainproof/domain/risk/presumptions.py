"""Presumption checks: CAATSA 321(b), UFLPA and Section 307 (WRO/Finding), plus sanctions
flags that are not a forced-labor presumption.

Each node contributes findings of its own; they flow downstream to the products checked,
at any depth and around cycles. A finding either makes a presumption apply or only says
it may apply because a fact that would rule it out is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import Edge, NodeFacts, ReferenceFacts, goods_keywords
from chainproof.domain.risk.results import APPLIES, DOES_NOT_APPLY, MAY_APPLY, Presumption
from chainproof.domain.risk.wro import wro_matches
from chainproof.domain.screening.entries import (
    IN_FORCE,
    INACTIVE,
    entry_standing,
    status_words,
)

PRODUCTION = frozenset(
    {"mining", "farming", "fishing", "processing", "manufacturing", "assembly", "packaging"}
)

REGIMES = ("caatsa_321b", "uflpa", "section_307")
SANCTIONS = "sanctions"
MAX_FINDINGS = 8

# A finding: (regime, rank, text); rank 0 makes the presumption apply, rank 1 only "may".
Finding = tuple[str, int, str]


def own_findings(facts: NodeFacts, ref: ReferenceFacts) -> list[Finding]:
    """What this node alone contributes to the presumption checks of whatever it supplies."""
    found: list[Finding] = []
    where = f"{facts.name}{' (' + facts.country + ')' if facts.country else ''}"
    producing = not facts.activities or bool(PRODUCTION & set(facts.activities))
    if facts.dprk_workers == "present":
        if producing:
            found.append(
                (
                    "caatsa_321b",
                    0,
                    f"North Korean nationals work at {where}, which "
                    f"{'/'.join(facts.activities) or 'produces'}",
                )
            )
        else:
            found.append(
                (
                    SANCTIONS,
                    0,
                    f"North Korean nationals in transport at {where}: a "
                    "possible breach of the North Korea Sanctions Regulations "
                    "(31 CFR 510), not CAATSA 321(b)",
                )
            )
    elif facts.dprk_workers == "unknown" and producing and facts.kind == "facility":
        found.append(("caatsa_321b", 1, f"North Korean nationals at {where} are not ruled out"))
    elif facts.dprk_workers == "not_asked" and producing and facts.kind == "facility":
        found.append(
            (
                "caatsa_321b",
                1,
                f"whether North Korean nationals work at {where} has not been asked yet",
            )
        )
    if facts.site_unknown:
        found.append(("caatsa_321b", 1, f"the worksite of {where} is not known"))
        if facts.country in ("CN", ""):
            found.append(
                (
                    "uflpa",
                    1,
                    f"the worksite of {where} is not known, so Xinjiang cannot be ruled out",
                )
            )
    for unknown in facts.unknown_inputs:
        found.append(("caatsa_321b", 1, f"the origin of {unknown.item} into {where} is not known"))
        if unknown.high_risk:
            found.append(
                (
                    "uflpa",
                    1,
                    f"the origin of {unknown.item} (a high-risk good) into {where} is not known",
                )
            )
        for order in ref.wros:
            if order.scope != "entity" and goods_keywords(unknown.item) & order.keywords:
                found.append(
                    (
                        "section_307",
                        1,
                        f"the origin of {unknown.item} into {where} is "
                        f"not known and {order.label} covers it",
                    )
                )
    if facts.xinjiang_reason:
        found.append(("uflpa", 0, f"{where} is in Xinjiang: {facts.xinjiang_reason}"))
    for hit in facts.entity_hits:
        # A confirmed match with an inactive entry (Inactive, Revoked) only says the
        # presumption may apply; the entry's status is said either way.
        standing = entry_standing(hit.status)
        rank = 0 if hit.confirmed and standing != INACTIVE else 1
        note = f"; the entry is {status_words(hit.status)}" if standing != IN_FORCE else ""
        if hit.list_code == "uflpa":
            found.append(
                (
                    "uflpa",
                    rank,
                    f"{where} {'is' if hit.confirmed else 'may be'} {hit.entry!r} on the "
                    "UFLPA Entity List"
                    + ("" if hit.confirmed else " (screening hit not yet reviewed)")
                    + note,
                )
            )
        elif hit.list_code == "ofac_sdn_dprk":
            found.append(
                (
                    SANCTIONS,
                    0,
                    f"{where} {'matches' if hit.confirmed else 'may match'} "
                    f"{hit.entry!r} on OFAC's North Korea SDN list" + note,
                )
            )
        elif hit.list_code == "cbp_wro":
            found.append(
                (
                    "section_307",
                    rank,
                    f"{where} {'is' if hit.confirmed else 'may be'} {hit.entry!r}, named "
                    "in a WRO/Finding" + note,
                )
            )
    for order in wro_matches(facts, ref):
        found.append(("section_307", 0, f"{order.label} covers {where}"))
    return found


def presumption_checks(
    targets: Sequence[NodeKey],
    nodes: Mapping[NodeKey, NodeFacts],
    edges: Sequence[Edge],
    ref: ReferenceFacts,
) -> tuple[dict[NodeKey, tuple[Presumption, ...]], dict[NodeKey, tuple[str, ...]]]:
    """Findings flow downstream (any depth, cycles included) to the targets.

    Each node keeps at most MAX_FINDINGS per regime, 'applies' findings first, so the
    work is linear in the size of the graph however many products are checked.
    """
    # held[node][regime]: that regime's findings, sorted by (rank, text), at most MAX_FINDINGS
    # (a node's own findings are worked out when it is first reached)
    held: dict[NodeKey, dict[str, tuple[tuple[int, str], ...]]] = {}

    def cell(node: NodeKey) -> dict[str, tuple[tuple[int, str], ...]]:
        found = held.get(node)
        if found is None:
            buckets: dict[str, list[tuple[int, str]]] = defaultdict(list)
            for regime, rank, text in own_findings(nodes[node], ref):
                buckets[regime].append((rank, text))
            found = held[node] = {
                r: tuple(sorted(set(items))[:MAX_FINDINGS]) for r, items in buckets.items()
            }
        return found

    # Only nodes upstream of a target can reach one: the others are left out (at a
    # million worksites, a third of the graph). Walked up from the targets, which also
    # gives every edge between the nodes kept, once.
    upstream: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for edge in edges:
        if edge.source in nodes and edge.target in nodes:
            upstream[edge.target].append(edge.source)
    # (each pair of nodes met once: lists, smaller than sets)
    downstream: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    waiting: dict[NodeKey, int] = defaultdict(int)  # upstream nodes not yet final
    reaching = {target for target in targets if target in nodes}
    walk = list(reaching)
    while walk:
        node = walk.pop()
        for source in set(upstream.pop(node, ())):
            downstream[source].append(node)
            waiting[node] += 1
            if source not in reaching:
                reaching.add(source)
                walk.append(source)
    del upstream
    # Acyclic part first, in topological order: each node passes its findings on once,
    # when everything upstream of it is final.
    # A node passed on and not checked itself is read no more: its findings are dropped
    # (a giant component then holds only its frontier's, not every node's).
    wanted = set(targets)
    ready = sorted((node for node in reaching if waiting[node] == 0), reverse=True)
    done: set[NodeKey] = set()
    while ready:
        node = ready.pop()
        done.add(node)
        mine = cell(node)
        if node not in wanted:
            del held[node]
        for target in sorted(downstream.get(node, ())):
            if mine:
                _merge_into(cell(target), mine)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    # Nodes on or below a cycle: pass findings around until nothing changes.
    pending = sorted(node for node in reaching if node not in done)
    queued = set(pending)
    while pending:
        node = pending.pop()
        queued.discard(node)
        mine = cell(node)
        if not mine:
            continue
        for target in sorted(downstream.get(node, ())):
            if _merge_into(cell(target), mine) and target not in queued:
                queued.add(target)
                pending.append(target)
    editions = {
        "caatsa_321b": "supply chain data; CAATSA section 321(b)",
        "uflpa": f"UFLPA; {ref.edition('uflpa_entity_list')}",
        "section_307": f"19 U.S.C. 1307; {ref.edition('cbp_wro_findings')}",
    }
    presumptions: dict[NodeKey, tuple[Presumption, ...]] = {}
    flags: dict[NodeKey, tuple[str, ...]] = {}
    for target in targets:
        found = cell(target)
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


def _merge_into(
    target: dict[str, tuple[tuple[int, str], ...]],
    source: Mapping[str, tuple[tuple[int, str], ...]],
) -> bool:
    """Merge capped, sorted finding lists; True when the target changed."""
    changed = False
    for regime, items in source.items():
        current = target.get(regime, ())
        if not current:  # (most merges) sorted and capped already: taken as they are
            target[regime] = items
            changed = True
            continue
        if items is current or (len(current) >= MAX_FINDINGS and items[0] >= current[-1]):
            continue  # nothing in ``items`` would make the cut
        merged = tuple(sorted(set(current) | set(items))[:MAX_FINDINGS])
        if merged != current:
            target[regime] = merged
            changed = True
    return changed
