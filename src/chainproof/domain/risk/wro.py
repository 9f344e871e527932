"""Which active CBP Withhold Release Orders and Findings cover a node."""

from __future__ import annotations

from chainproof.domain.names import core_name_uncached
from chainproof.domain.risk.facts import NodeFacts, ReferenceFacts, WroOrder, goods_keywords


def wro_matches(facts: NodeFacts, ref: ReferenceFacts) -> list[WroOrder]:
    """Active orders that cover this node: by entity name, or by country/region and goods."""
    if facts.kind == "product":
        return []
    found: list[WroOrder] = []
    for name in (facts.name, *facts.aliases):
        for order in ref.wro_by_name.get(core_name_uncached(name), ()):
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
