"""The risk engine: explainable scores for every node, propagated through the chain, and
the three presumption checks (CAATSA 321(b), UFLPA, Section 307 WRO/Finding).

Scoring, in three steps, all data-driven by the methodology:
1. Own points: each factor that applies to a node adds its points, with a reason that
   names the evidence and the dataset edition. Capped at 100.
2. Propagation: a node's score is the higher of its own and its riskiest input's score
   times the per-tier decay (a company is as risky as its riskiest site, decay 1). The
   best path is found like a widest-path search, so cycles terminate and adding risk
   upstream can never lower a score downstream.
3. Level: from the methodology's bounds.

Deterministic: same facts and methodology, same output (nodes are processed in a fixed
order and ties broken by node id).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from chainproof.domain.names import core_name
from chainproof.domain.risk.facts import (
    Edge,
    NodeFacts,
    ReferenceFacts,
    WroOrder,
    goods_keywords,
)
from chainproof.domain.risk.methodology import Methodology

PRODUCTION = frozenset(
    {"mining", "farming", "fishing", "processing", "manufacturing", "assembly", "packaging"}
)

APPLIES = "applies"
MAY_APPLY = "may_apply"
DOES_NOT_APPLY = "does_not_apply"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class NodeScore:
    node: str
    score: float
    level: str
    own_score: float
    reasons: tuple[Reason, ...]
    via: str | None = None  # the upstream node the score comes from, if any
    depth: int = 0  # tiers between this node and the risk that sets it


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class RiskResult:
    scores: dict[str, NodeScore]
    presumptions: dict[str, tuple[Presumption, ...]]
    sanctions_flags: dict[str, tuple[str, ...]]
    methodology: str
    editions: dict[str, str]


# --- step 1: own factors -----------------------------------------------------------------


def own_reasons(facts: NodeFacts, ref: ReferenceFacts, m: Methodology) -> list[Reason]:
    reasons: list[Reason] = []
    add = reasons.append
    country = facts.country
    is_site = facts.kind == "facility"

    if country and facts.kind != "product":
        tip = ref.tip.get(country)
        where = "Facility" if is_site else "Company"
        if tip is None:
            points = m.points("tip_tier", "unranked")
            add(
                Reason(
                    "tip_tier",
                    f"{where} in {country}; no TIP tier in the edition in force",
                    points,
                    ref.edition("tip_tiers"),
                )
            )
        else:
            year, code = tip
            add(
                Reason(
                    "tip_tier",
                    f"{where} in {country}; TIP {year}: {_tier_label(code)}",
                    m.tip_points[code],
                    ref.edition("tip_tiers"),
                )
            )
        if country in ref.dprk_hosts and is_site:
            add(
                Reason(
                    "dprk_host_country",
                    f"{country} is reported to host North Korean workers: "
                    f"{ref.dprk_hosts[country][:160]}",
                    m.points("dprk_host_country"),
                    ref.edition("dprk_overseas_labor"),
                )
            )

    if facts.xinjiang_reason:
        add(
            Reason(
                "xinjiang",
                f"Worksite in Xinjiang: {facts.xinjiang_reason}",
                m.points("xinjiang"),
                "supply chain data",
            )
        )

    for good in sorted(set(facts.goods)):
        kinds = ref.goods.get((good.casefold(), country)) if country else None
        if not kinds:
            continue
        key = max(kinds, key=lambda k: m.points("dol_goods", k))
        add(
            Reason(
                "dol_goods",
                f"DOL List of Goods: {good}, {country}, {', '.join(kinds)}".replace("_", " "),
                m.points("dol_goods", key),
                ref.edition("dol_goods"),
            )
        )
    for sector in sorted(set(facts.sectors)):
        add(
            Reason(
                "high_scrutiny_sector",
                f"CBP high-priority sector for UFLPA: {sector}",
                m.points("high_scrutiny_sector"),
                "CBP UFLPA operational guidance",
            )
        )

    for order in wro_matches(facts, ref):
        if order.scope == "entity":
            add(
                Reason(
                    "wro_entity",
                    f"Named in {order.label}",
                    m.points("wro_entity"),
                    ref.edition("cbp_wro_findings"),
                )
            )
        else:
            add(
                Reason(
                    "wro_country_goods",
                    f"{order.label} covers {', '.join(sorted(facts.goods)) or 'all goods'} "
                    f"from {'Xinjiang' if order.scope == 'xinjiang' else order.iso2}",
                    m.points("wro_country_goods"),
                    ref.edition("cbp_wro_findings"),
                )
            )

    for hit in facts.entity_hits:
        factor = "entity_list_confirmed" if hit.confirmed else "entity_list_possible"
        state = "confirmed match" if hit.confirmed else "possible match, not yet reviewed"
        add(
            Reason(
                factor,
                f"{_list_label(hit.list_code)}: {state} with {hit.entry!r}"
                + (f" ({hit.detail})" if hit.detail else ""),
                m.points(factor),
                hit.edition or "screening",
            )
        )

    if facts.dprk_workers == "present":
        count = f" ({facts.dprk_worker_count})" if facts.dprk_worker_count else ""
        add(
            Reason(
                "dprk_workers_present",
                f"North Korean nationals work at this site{count}",
                m.points("dprk_workers_present"),
                "supply chain data",
            )
        )
    elif facts.dprk_workers == "unknown" and is_site:
        host = country in ref.dprk_hosts
        add(
            Reason(
                "dprk_workers_unknown",
                "North Korean nationals at this site not ruled out"
                + (" in a country reported to host them" if host else ""),
                m.points("dprk_workers_unknown", "in_host_country" if host else "points"),
                "supply chain data",
            )
        )

    if facts.total_workers and facts.migrant_workers is not None:
        share = facts.migrant_workers / facts.total_workers
        if share >= m.points("migrant_workers", "share"):
            add(
                Reason(
                    "migrant_workers",
                    f"{facts.migrant_workers} of {facts.total_workers} workers are migrants "
                    f"({share:.0%})",
                    m.points("migrant_workers"),
                    "supply chain data",
                )
            )

    if facts.site_unknown:
        add(
            Reason(
                "site_unknown",
                "Ships goods but no worksite is known",
                m.points("site_unknown"),
                "supply chain data",
            )
        )
    for unknown in facts.unknown_inputs:
        key = "high_risk_good" if unknown.high_risk else "points"
        add(
            Reason(
                "unknown_upstream",
                f"Origin of input {unknown.item!r} is not known"
                + (" (a high-risk good)" if unknown.high_risk else ""),
                m.points("unknown_upstream", key),
                "supply chain data",
            )
        )

    for signal in facts.signals:
        signal_points = m.signals.get(signal.code)
        if signal_points is None:
            continue
        add(Reason(f"signal:{signal.code}", signal.evidence, signal_points, signal.source))
    return reasons


def _tier_label(code: str) -> str:
    return {"T1": "Tier 1", "T2": "Tier 2", "T2WL": "Tier 2 Watch List", "T3": "Tier 3"}[code]


def _list_label(code: str) -> str:
    return {
        "uflpa": "UFLPA Entity List",
        "ofac_sdn_dprk": "OFAC SDN (North Korea)",
        "cbp_wro": "CBP WRO/Finding",
    }.get(code, code)


def wro_matches(facts: NodeFacts, ref: ReferenceFacts) -> list[WroOrder]:
    """Active orders that cover this node: by entity name, or by country/region and goods."""
    if facts.kind == "product":
        return []
    found: list[WroOrder] = []
    for name in (facts.name, *facts.aliases):
        for order in ref.wro_by_name.get(core_name(name), ()):
            if order not in found:
                found.append(order)
    candidates = ref.wro_by_country.get(facts.country, ()) + ref.wro_by_country.get("", ())
    if candidates:
        keywords: set[str] = set()
        for good in facts.goods:
            keywords |= goods_keywords(good)
        for order in candidates:
            if order.scope == "xinjiang" and not facts.xinjiang_reason:
                continue
            if order.all_products or keywords & order.keywords:
                found.append(order)
    return found


# --- step 2: propagation -----------------------------------------------------------------


def score_graph(
    nodes: Mapping[str, NodeFacts],
    edges: Sequence[Edge],
    ref: ReferenceFacts,
    m: Methodology,
    *,
    presumption_for: Iterable[str] = (),
    boundary: Mapping[str, tuple[NodeFacts, float, tuple[Reason, ...]]] | None = None,
) -> RiskResult:
    """Score ``nodes``. ``boundary`` holds upstream nodes whose scores are already known
    (an incremental re-score): they feed propagation but are not scored again."""
    own: dict[str, tuple[float, list[Reason]]] = {}
    for node in sorted(nodes):
        reasons = own_reasons(nodes[node], ref, m)
        own[node] = (round(min(100.0, sum(r.points for r in reasons)), 2), reasons)
    if boundary:
        nodes = {**{k: v[0] for k, v in boundary.items() if k not in nodes}, **nodes}
        for node, (_, known_score, known_reasons) in boundary.items():
            own.setdefault(node, (known_score, list(known_reasons)))

    downstream: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        if edge.source in nodes and edge.target in nodes:
            downstream[edge.source].append(edge)
    for out in downstream.values():
        out.sort(key=lambda e: (e.target, e.item))

    best = {node: own[node][0] for node in own}
    via: dict[str, Edge] = {}  # the riskiest input edge of each node, even if own is higher
    carried_in: dict[str, float] = {}
    depth = dict.fromkeys(own, 0)
    heap = [(-score, node) for node, score in best.items() if score > 0]
    heapq.heapify(heap)
    while heap:
        negative, node = heapq.heappop(heap)
        score = -negative
        if score < best[node]:
            continue
        for edge in downstream.get(node, ()):
            step = 0 if edge.operates else 1
            if depth[node] + step > m.max_depth:
                continue
            carried = round(score * (1.0 if edge.operates else m.decay_per_tier), 2)
            if carried > carried_in.get(edge.target, 0.0):
                carried_in[edge.target] = carried
                via[edge.target] = edge
            if carried > best[edge.target]:
                best[edge.target] = carried
                depth[edge.target] = depth[node] + step
                heapq.heappush(heap, (-carried, edge.target))

    scores: dict[str, NodeScore] = {}
    for node in sorted(nodes):
        if boundary and node in boundary:
            continue
        own_score, reasons = own[node]
        final = best[node]
        came_from = via.get(node)
        all_reasons = list(reasons)
        incoming = carried_in.get(node, 0.0)
        # The riskiest input is explained when it sets the score, and also when the node's
        # own points are higher but the input is still of concern (medium or worse).
        if came_from is not None and (incoming >= own_score or incoming >= m.levels[1][1]):
            all_reasons.append(
                _upstream_reason(
                    came_from, nodes, own, best, via, m, incoming, sets_score=incoming >= own_score
                )
            )
        scores[node] = NodeScore(
            node,
            final,
            m.level_of(final),
            own_score,
            tuple(all_reasons),
            came_from.source if came_from and final > own_score else None,
            depth[node],
        )

    wanted = sorted(set(presumption_for) & set(nodes))
    presumptions, flags = presumption_checks(wanted, nodes, edges, ref) if wanted else ({}, {})
    return RiskResult(scores, presumptions, flags, m.label, dict(ref.editions))


def _upstream_reason(
    edge: Edge,
    nodes: Mapping[str, NodeFacts],
    own: Mapping[str, tuple[float, list[Reason]]],
    best: Mapping[str, float],
    via: Mapping[str, Edge],
    m: Methodology,
    final: float,
    *,
    sets_score: bool = True,
) -> Reason:
    """'Upstream: polysilicon from Tianshan Shihezi Plant (CN), 3 tiers up: Worksite in
    Xinjiang ...' -- following the best path back to where the risk starts."""
    path = [edge]
    seen = {edge.target}
    current = edge.source
    while current in via and current not in seen and best[current] > own[current][0]:
        seen.add(current)
        path.append(via[current])
        current = via[current].source
    origin = nodes[current]
    tiers = sum(0 if e.operates else 1 for e in path)
    ranked = sorted(own[current][1], key=lambda r: (-r.points, r.factor))
    top = ranked[0] if ranked else None
    item = path[-1].item  # what leaves the site where the risk starts
    first = nodes[edge.source]
    how = "operates" if edge.operates else f"supplies {edge.item or 'an input'}"
    summary = ": " + "; ".join(r.evidence for r in ranked[:3]) if ranked else ""
    arithmetic = (
        f" (score {best[current]:g} x {m.decay_per_tier:g}^{tiers} = {final:g}"
        + ("" if sets_score else "; its own points are higher")
        + ")"
    )
    place = f"{origin.name}{' (' + origin.country + ')' if origin.country else ''}"
    if tiers == 0:  # a company and the worksite it operates
        evidence = f"Its worksite {place}{summary}" + (
            "" if sets_score else " (its own points are higher)"
        )
    else:
        evidence = (
            f"Upstream: {item + ' from ' if item else ''}{place}"
            f", {tiers} tier{'s' if tiers != 1 else ''} up"
            + (f" via {first.name} which {how}" if first.node != origin.node else "")
            + summary
            + arithmetic
        )
    return Reason("upstream", evidence, final, top.source if top else "supply chain data")


# --- presumption checks ------------------------------------------------------------------

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
        if hit.list_code == "uflpa":
            found.append(
                (
                    "uflpa",
                    0 if hit.confirmed else 1,
                    f"{where} {'is' if hit.confirmed else 'may be'} {hit.entry!r} on the "
                    "UFLPA Entity List"
                    + ("" if hit.confirmed else " (screening hit not yet reviewed)"),
                )
            )
        elif hit.list_code == "ofac_sdn_dprk":
            found.append(
                (
                    SANCTIONS,
                    0,
                    f"{where} {'matches' if hit.confirmed else 'may match'} "
                    f"{hit.entry!r} on OFAC's North Korea SDN list",
                )
            )
        elif hit.list_code == "cbp_wro":
            found.append(
                (
                    "section_307",
                    0 if hit.confirmed else 1,
                    f"{where} {'is' if hit.confirmed else 'may be'} {hit.entry!r}, named "
                    "in a WRO/Finding",
                )
            )
    for order in wro_matches(facts, ref):
        found.append(("section_307", 0, f"{order.label} covers {where}"))
    return found


def presumption_checks(
    targets: Sequence[str],
    nodes: Mapping[str, NodeFacts],
    edges: Sequence[Edge],
    ref: ReferenceFacts,
) -> tuple[dict[str, tuple[Presumption, ...]], dict[str, tuple[str, ...]]]:
    """Findings flow downstream (any depth, cycles included) to the targets.

    Each node keeps at most MAX_FINDINGS per regime, 'applies' findings first, so the
    work is linear in the size of the graph however many products are checked.
    """
    # held[node][regime]: that regime's findings, sorted by (rank, text), at most MAX_FINDINGS
    held: dict[str, dict[str, tuple[tuple[int, str], ...]]] = {}
    for node in sorted(nodes):
        buckets: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for regime, rank, text in own_findings(nodes[node], ref):
            buckets[regime].append((rank, text))
        held[node] = {r: tuple(sorted(set(items))[:MAX_FINDINGS]) for r, items in buckets.items()}
    downstream: dict[str, set[str]] = defaultdict(set)
    waiting: dict[str, int] = defaultdict(int)  # upstream nodes not yet final
    for edge in edges:
        if (
            edge.source in nodes
            and edge.target in nodes
            and edge.target not in downstream[edge.source]
        ):
            downstream[edge.source].add(edge.target)
            waiting[edge.target] += 1
    # Acyclic part first, in topological order: each node passes its findings on once,
    # when everything upstream of it is final.
    ready = sorted((node for node in nodes if waiting[node] == 0), reverse=True)
    done: set[str] = set()
    while ready:
        node = ready.pop()
        done.add(node)
        mine = held[node]
        for target in sorted(downstream.get(node, ())):
            if mine:
                _merge_into(held[target], mine)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    # Nodes on or below a cycle: pass findings around until nothing changes.
    pending = sorted(node for node in nodes if node not in done)
    queued = set(pending)
    while pending:
        node = pending.pop()
        queued.discard(node)
        mine = held[node]
        if not mine:
            continue
        for target in sorted(downstream.get(node, ())):
            if _merge_into(held[target], mine) and target not in queued:
                queued.add(target)
                pending.append(target)
    editions = {
        "caatsa_321b": "supply chain data; CAATSA section 321(b)",
        "uflpa": f"UFLPA; {ref.edition('uflpa_entity_list')}",
        "section_307": f"19 U.S.C. 1307; {ref.edition('cbp_wro_findings')}",
    }
    presumptions: dict[str, tuple[Presumption, ...]] = {}
    flags: dict[str, tuple[str, ...]] = {}
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


def _merge_into(
    target: dict[str, tuple[tuple[int, str], ...]],
    source: Mapping[str, tuple[tuple[int, str], ...]],
) -> bool:
    """Merge capped, sorted finding lists; True when the target changed."""
    changed = False
    for regime, items in source.items():
        current = target.get(regime, ())
        if len(current) >= MAX_FINDINGS and items[0] >= current[-1]:
            continue  # nothing in ``items`` would make the cut
        merged = tuple(sorted(set(current) | set(items))[:MAX_FINDINGS])
        if merged != current:
            target[regime] = merged
            changed = True
    return changed
