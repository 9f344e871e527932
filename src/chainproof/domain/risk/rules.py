"""Factor rules: each fact about a node that the methodology prices becomes points, with a
reason naming the evidence and the dataset edition it comes from."""

from __future__ import annotations

from functools import lru_cache

from chainproof.domain.risk.facts import NodeFacts, ReferenceFacts
from chainproof.domain.risk.methodology import ENTRY_STATUS, NOT_ASKED, Methodology
from chainproof.domain.risk.results import Reason
from chainproof.domain.risk.wro import wro_matches
from chainproof.domain.screening.entries import (
    IN_FORCE,
    entry_standing,
    list_name,
    status_words,
)

MAX_SCORE = 100.0
NOT_ASKED_VALUE = "not_asked"  # a site's North Korean workers: the question not yet asked


def own_points(facts: NodeFacts, ref: ReferenceFacts, m: Methodology) -> tuple[float, list[Reason]]:
    """The node's own score (its factors' points, capped at 100) and the reasons for it."""
    reasons = own_reasons(facts, ref, m)
    return round(min(MAX_SCORE, sum(r.points for r in reasons)), 2), reasons


@lru_cache(maxsize=8192)
def _shared(reason: Reason) -> Reason:
    """The first of equal reasons: most say the same of thousands of nodes (a country's TIP
    tier, a good on the DOL list), and a run holds every node's reasons until it ends
    (710 MB more at a million and a half nodes when each kept its own: 3.9 GB, not 3.2)."""
    return reason


def own_reasons(facts: NodeFacts, ref: ReferenceFacts, m: Methodology) -> list[Reason]:
    reasons: list[Reason] = []

    def add(reason: Reason) -> None:
        reasons.append(_shared(reason))

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
                    f"{where} in {country}; TIP tier unknown: none in the editions in force",
                    points,
                    ref.edition("tip_tiers"),
                )
            )
        else:
            year, code = tip
            trust = ref.tip_trust.get(country)
            add(
                Reason(
                    "tip_tier",
                    f"{where} in {country}; TIP {year}: {_tier_label(code)}"
                    + (f" ({trust})" if trust else ""),
                    m.tip_points[code],
                    ref.edition("tip_tiers_additions" if trust else "tip_tiers"),
                )
            )
        if country in ref.dprk_hosts and is_site:
            added = country in ref.dprk_hosts_added
            add(
                Reason(
                    "dprk_host_country",
                    f"{country} is reported to host North Korean workers: "
                    f"{ref.dprk_hosts[country][:160]}",
                    m.points("dprk_host_country"),
                    ref.edition(
                        "dprk_overseas_labor_additions" if added else "dprk_overseas_labor"
                    ),
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
        points, standing = m.points(factor), entry_standing(hit.status)
        counts = ""
        if standing != IN_FORCE:
            # An entry no longer (fully) in force still says something: it counts less.
            share = m.points(ENTRY_STATUS, standing)
            points = round(points * share, 2)
            counts = f"; entry {status_words(hit.status)}: counts {share_words(share)}"
        add(
            Reason(
                factor,
                f"{list_name(hit.list_code)}: {state} with {hit.entry!r}"
                + (f" ({hit.detail})" if hit.detail else "")
                + counts,
                points,
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
    elif facts.dprk_workers in ("unknown", NOT_ASKED_VALUE) and is_site:
        host = country in ref.dprk_hosts
        asked = facts.dprk_workers == "unknown"
        factor = "dprk_workers_unknown" if asked else NOT_ASKED
        points = m.points(factor, "in_host_country" if host else "points")
        # Not yet asked is a gap to close, not a finding: it adds only what the
        # methodology prices it at (nothing since version 4), and says so.
        if asked or points:
            add(
                Reason(
                    factor,
                    (
                        "North Korean nationals at this site not ruled out"
                        if asked
                        else "Whether North Korean nationals work at this site: not yet asked"
                    )
                    + (" in a country reported to host them" if host else ""),
                    points,
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


def share_words(share: float) -> str:
    """A share as people say it: "half", "three quarters", "60%"."""
    words = {0.0: "nothing", 0.25: "a quarter", 0.5: "half", 0.75: "three quarters", 1.0: "fully"}
    return words.get(round(share, 4), f"{share:.0%}")
