"""What the risk engine is told: a snapshot of the graph and the facts about each node.

The engine knows nothing about databases. The caller builds these records from the
supply chain, the reference data editions in force and, as they arrive, screening hits,
questionnaire answers and audit findings (all as ``EntityHit`` or ``ReportedSignal``, so
new sources plug in without changing the engine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from chainproof.domain.names import core_name, normalize_name
from chainproof.domain.nodes import NodeKey
from chainproof.domain.screening.entries import split_entities


@dataclass(frozen=True, slots=True)
class EntityHit:
    """A match between a node and a government list entry (from screening)."""

    list_code: str  # "uflpa", "ofac_sdn_dprk", "cbp_wro"
    entry: str  # the listed name
    confirmed: bool  # reviewed and confirmed by an analyst
    edition: str = ""
    detail: str = ""
    status: str = ""  # the entry's status as the list states it ("Inactive-Pending Litigation")


@dataclass(frozen=True, slots=True)
class ReportedSignal:
    """A fact a supplier or auditor reported, e.g. 'identity_documents_retained'."""

    code: str
    evidence: str
    source: str  # "questionnaire 2026-Q1", "audit 2026-03-02"


@dataclass(frozen=True, slots=True)
class UnknownInput:
    item: str
    high_risk: bool  # a good on the DOL List or in a CBP high-priority sector


@dataclass(frozen=True, slots=True)
class NodeFacts:
    node: NodeKey
    kind: str  # facility | supplier | product
    name: str
    country: str = ""
    xinjiang_reason: str = ""  # set when the site is in Xinjiang
    goods: tuple[str, ...] = ()  # goods made or handled here
    sectors: tuple[str, ...] = ()  # CBP high-priority sectors of those goods
    activities: tuple[str, ...] = ()
    dprk_workers: str = ""  # none | present | unknown | not_asked ("" if no site)
    dprk_worker_count: int | None = None
    total_workers: int | None = None
    migrant_workers: int | None = None
    site_unknown: bool = False  # a supplier shipping from no known site
    entity_hits: tuple[EntityHit, ...] = ()
    signals: tuple[ReportedSignal, ...] = ()
    unknown_inputs: tuple[UnknownInput, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` supplies ``target`` with ``item``; ``operates`` joins a site to its company."""

    source: NodeKey
    target: NodeKey
    item: str = ""  # what travels, by name
    operates: bool = False


@dataclass(frozen=True)
class WroOrder:
    """An active Withhold Release Order or Finding, classified by what it covers."""

    scope: str  # country | xinjiang | entity
    iso2: str
    entity: str
    names: tuple[str, ...]
    merchandise: str
    order_type: str
    effective: str
    keywords: frozenset[str] = field(default_factory=frozenset)
    all_products: bool = False
    core_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return f"{self.order_type} {self.effective}: {self.entity[:80]} ({self.merchandise[:60]})"


@dataclass(frozen=True)
class ReferenceFacts:
    tip: dict[str, tuple[int, str]]  # iso2 -> (report year, tier code)
    goods: dict[tuple[str, str], tuple[str, ...]]  # (good casefolded, iso2) -> labor kinds
    wros: tuple[WroOrder, ...]
    dprk_hosts: dict[str, str]  # iso2 -> what the source says
    editions: dict[str, str]  # dataset kind -> "edition (as of date)"
    # Facts that come from an additional (partial) edition rather than the main one: the
    # tier's trust words by country ("secondary source: news or third-party page, derived"),
    # and the host countries known only from the additions.
    tip_trust: dict[str, str] = field(default_factory=dict)
    dprk_hosts_added: frozenset[str] = frozenset()

    def edition(self, kind: str) -> str:
        return self.editions.get(kind, "not loaded")

    @cached_property
    def wro_by_name(self) -> dict[str, tuple[WroOrder, ...]]:
        """Entity-specific orders by the distinctive part of each name they give."""
        index: dict[str, list[WroOrder]] = {}
        for order in self.wros:
            if order.scope == "entity":
                for name in order.core_names:
                    index.setdefault(name, []).append(order)
        return {name: tuple(orders) for name, orders in index.items()}

    @cached_property
    def wro_by_country(self) -> dict[str, tuple[WroOrder, ...]]:
        """Country- and region-wide orders by country ("" for orders without one)."""
        index: dict[str, list[WroOrder]] = {}
        for order in self.wros:
            if order.scope != "entity":
                index.setdefault(order.iso2, []).append(order)
        return {iso2: tuple(orders) for iso2, orders in index.items()}


_STOP = frozenset(
    {
        "and",
        "or",
        "of",
        "in",
        "the",
        "its",
        "their",
        "with",
        "products",
        "product",
        "items",
        "downstream",
        "derivatives",
        "other",
        "all",
        "based",
        "whole",
        "part",
        "made",
        "produced",
        "thereof",
        "containing",
        "including",
        "extracts",
        "processed",
        "fresh",
    }
)
_REGION_WIDE = re.compile(r"^all\b|\bproduced in\b|\bartisanal small mines\b")


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("oes") and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@lru_cache(maxsize=100_000)
def goods_keywords(text: str) -> frozenset[str]:
    """Content words of a goods description, singular: 'Cotton, Tomatoes' -> {cotton, tomato}."""
    words = normalize_name(text.replace("-", " ")).split()
    return frozenset(_singular(w) for w in words if w not in _STOP and len(w) > 2)


def classify_wro(
    *,
    iso2: str,
    entity: str,
    aliases: tuple[str, ...],
    merchandise: str,
    order_type: str,
    effective: str,
) -> WroOrder:
    """Decide whether an order covers a whole country, the Xinjiang region, or an entity."""
    lowered = entity.casefold()
    if "autonomous region" in lowered and ("xinjiang" in lowered or "xuar" in lowered):
        scope = "xinjiang"
    elif _REGION_WIDE.search(lowered):
        scope = "country"
    else:
        scope = "entity"
    return WroOrder(
        scope=scope,
        iso2=iso2,
        entity=entity,
        names=(entity, *aliases),
        merchandise=merchandise,
        order_type=order_type,
        effective=effective,
        keywords=goods_keywords(merchandise),
        all_products=merchandise.strip().casefold() == "all products",
        core_names=frozenset(
            c
            for c in (
                core_name(n) for text in (entity, *aliases) for n in (text, *split_entities(text))
            )
            if c
        ),
    )
