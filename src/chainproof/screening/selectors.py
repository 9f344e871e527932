from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet

from chainproof.audit.selectors import last_event_at
from chainproof.domain.countries import readable_name
from chainproof.domain.nodes import NodeKey
from chainproof.domain.risk.facts import EntityHit
from chainproof.domain.screening.entries import (
    Listing,
    entry_kind_words,
    near_identical,
    wro_entry_kind,
)
from chainproof.domain.screening.matcher import Match
from chainproof.reference.models import EntityListEntry, WroFinding
from chainproof.screening.models import ScreeningHit


def risk_hits(organization_id: int) -> dict[NodeKey, list[EntityHit]]:
    """Open and confirmed hits, for the risk engine (dismissed hits say nothing), each with
    its entry's status: the methodology weighs a hit on an inactive entry less."""
    found: dict[NodeKey, list[EntityHit]] = defaultdict(list)
    rows = ScreeningHit.objects.filter(
        organization_id=organization_id,
        status__in=(ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED),
    ).values_list(
        "node_type",
        "node_id",
        "list_code",
        "entry_name",
        "status",
        "list_edition",
        "score",
        "entry_status",
    )
    for node_type, node_id, list_code, entry, status, edition, score, entry_status in rows:
        found[NodeKey.of_type(node_type, node_id)].append(
            EntityHit(
                list_code,
                entry,
                confirmed=status == ScreeningHit.Status.CONFIRMED,
                edition=edition,
                detail=f"name score {float(score):.2f}",
                status=entry_status,
            )
        )
    return dict(found)


def queue(
    organization_id: int,
    *,
    status: str = "open",
    list_code: str = "",
    min_score: float | None = None,
    q: str = "",
) -> QuerySet[ScreeningHit]:
    hits = ScreeningHit.objects.filter(organization_id=organization_id)
    if status:
        hits = hits.filter(status=status)
    if list_code:
        hits = hits.filter(list_code=list_code)
    if min_score is not None:
        hits = hits.filter(score__gte=min_score)
    if q:
        hits = hits.filter(node_name__icontains=q) | hits.filter(entry_name__icontains=q)
    return hits.order_by("-score", "pk")


def counts(organization_id: int) -> dict[str, int]:
    return {
        row["status"]: row["n"]
        for row in ScreeningHit.objects.filter(organization_id=organization_id)
        .values("status")
        .annotate(n=Count("pk"))
    }


# --- the review screen ---------------------------------------------------------------------


def listing(hit: ScreeningHit) -> Listing:
    """What a hit says about the entry it matched, for telling listings of one entity."""
    return Listing(hit.entry_name, tuple(str(name) for name in hit.entry_names or ()))


def near_identical_hits(hit: ScreeningHit) -> list[ScreeningHit]:
    """The record's other open hits that list the same entity as this one (the rule:
    ``domain.screening.entries.near_identical``), best first: decided together with it."""
    mine = listing(hit)
    others = ScreeningHit.objects.filter(
        organization_id=hit.organization_id,
        node_type=hit.node_type,
        node_id=hit.node_id,
        status=ScreeningHit.Status.OPEN,
    ).exclude(pk=hit.pk)
    return [
        other for other in others.order_by("-score", "pk") if near_identical(mine, listing(other))
    ]


@dataclass(frozen=True)
class Word:
    text: str
    part: str  # distinctive, generic, place, legal form, number, initials
    agreed: bool  # agreed with a word of the other name


@dataclass(frozen=True)
class Side:
    name: str  # the name as stored
    how: str  # how it was read: "as written", "pinyin", "Chinese terms in English"...
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Comparison:
    record: Side
    entry: Side
    agreed: tuple[str, ...]  # "huafu = huafu", "textiles ≈ textile (0.93)"
    qualifiers: tuple[str, ...]  # "same country China: +0.03 to the score"


def comparison(hit: ScreeningHit) -> Comparison | None:
    """The stored comparison in words for the review screen; None for a hit found before
    comparisons were kept (its explanation text says the same in one line)."""
    details = hit.details or {}
    if not details.get("query") or not details.get("entry"):
        return None
    agreed_pairs = [pair for pair in details.get("agreed") or () if len(pair) == 3]
    query_agreed = {str(x) for x, _, _ in agreed_pairs}
    entry_agreed = {str(y) for _, y, _ in agreed_pairs}

    def side(data: dict[str, Any], agreed: set[str]) -> Side:
        return Side(
            str(data.get("name", "")),
            str(data.get("how", "")),
            tuple(
                Word(str(text), str(part), str(text) in agreed)
                for text, part in (w for w in data.get("words") or () if len(w) == 2)
            ),
        )

    return Comparison(
        side(details["query"], query_agreed),
        side(details["entry"], entry_agreed),
        tuple(
            f"{x} = {y}" if float(s) >= 1 else f"{x} ≈ {y} ({float(s):.2f})"
            for x, y, s in agreed_pairs
        ),
        tuple(
            f"{_countries_in_words(str(text))}: {float(delta):+.2f} to the score"
            for text, delta in (q for q in details.get("qualifiers") or () if len(q) == 2)
        ),
    )


_CODE = re.compile(r"\b[A-Z]{2}\b")


def _countries_in_words(text: str) -> str:
    """A qualifier with its country codes named: "same country CN" reads "same country
    China"."""

    def named(found: re.Match[str]) -> str:
        code = found.group()
        name = readable_name(code, "")
        return name if name != code else code

    return _CODE.sub(named, text)


def search_rows(matches: list[Match]) -> list[dict[str, object]]:
    """Matches as the search page lists them: an entity the list publishes more than once
    under the same name (the UFLPA list names some in two sections) is one row that says
    how many times it is listed."""
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, str, float], dict[str, object]] = {}
    for match in matches:
        key = (match.entry.list_code, match.entry_name, match.score)
        row = seen.get(key)
        if row is not None:
            row["times"] = int(str(row["times"])) + 1
            continue
        row = {"match": match, "times": 1}
        seen[key] = row
        rows.append(row)
    return rows


def with_entry_kinds(hits: Iterable[ScreeningHit]) -> list[ScreeningHit]:
    """The hits, each with ``entry_kind_words``: what its list entry is ("Vessel",
    "Individual"), "" for an entity. Taken from the hit's stored comparison; for a hit
    stored before kinds were kept, from the list entry itself (one query per list)."""
    hits = list(hits)
    wanted: dict[str, dict[int, list[ScreeningHit]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        details = hit.details or {}
        hit.entry_kind_words = entry_kind_words(str(details.get("entry_kind") or ""))
        if "entry_kind" not in details:
            code, _, row = hit.entry_key.partition(":")
            if row.isdigit():
                wanted[code][int(row)].append(hit)
    for code, rows in wanted.items():
        if code == "cbp_wro":
            found = {
                pk: wro_entry_kind(entity)
                for pk, entity in WroFinding.objects.filter(pk__in=rows).values_list("pk", "entity")
            }
        elif code in ("uflpa", "ofac_sdn_dprk"):
            found = dict(
                EntityListEntry.objects.filter(pk__in=rows, list_code=code).values_list(
                    "pk", "entity_type"
                )
            )
        else:
            continue
        for pk, kind in found.items():
            for hit in rows[pk]:
                hit.entry_kind_words = entry_kind_words(kind)
    return hits


_QUALIFIER_COUNTRIES = re.compile(
    r"(?<=same country )[A-Z]{2}\b"
    r"|(?<=country )[A-Z]{2}(?= vs )"
    r"|(?<=country [A-Z]{2} vs )[A-Z]{2}\b"
)


def explanation_in_words(text: str) -> str:
    """A one-line explanation with the countries of its qualifiers named ("same country
    CN +0.03" reads "same country China +0.03"); the names compared are left as they are
    (a two-letter word in a name is no country)."""

    def named(found: re.Match[str]) -> str:
        code = found.group()
        name = readable_name(code, "")
        return name if name != code else code

    return _QUALIFIER_COUNTRIES.sub(named, text)


def last_screened_at(organization_id: int) -> datetime | None:
    """When the organization's names were last screened (a run completed), or None."""
    return last_event_at(organization_id, "screening.completed")
