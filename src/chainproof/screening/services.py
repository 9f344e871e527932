"""Screening suppliers and facilities against the lists, and the analyst's decisions.

A dismissed hit stays dismissed until the record's names, the list entry (its names,
country or status) or the algorithm version change; then it is reopened for review.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record, audit_record_many
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.nodes import NodeKey, NodeKind, ids_of
from chainproof.domain.screening.entries import (
    IN_FORCE,
    entry_standing,
    list_name,
    split_entities,
    status_words,
    wro_entry_kind,
)
from chainproof.domain.screening.matcher import ALGORITHM, VERSION, ListEntry, ListIndex, Match
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue
from chainproof.reference.models import EntityAddress, EntityListEntry, WroFinding
from chainproof.reference.selectors import current_dataset
from chainproof.screening.models import ScreeningHit, ScreeningSettings, WatchlistEntry
from chainproof.suppliers.models import Facility, Supplier

Progress = Callable[[int, int | None, str], None]
_INDEXES: dict[tuple[Any, ...], ListIndex] = {}


def _quiet(done: int, total: int | None, message: str = "") -> None:
    return None


THRESHOLD_RANGE = (Decimal("0.50"), Decimal("0.99"))


def percent(fraction: float | Decimal) -> str:
    """A score or threshold as people read it: 0.7 -> "70%"."""
    return f"{round(float(fraction) * 100):d}%"


def threshold(organization_id: int | None = None) -> float:
    """The organization's review threshold, or the instance default."""
    if organization_id is not None:
        chosen = (
            ScreeningSettings.objects.filter(organization_id=organization_id)
            .values_list("threshold", flat=True)
            .first()
        )
        if chosen is not None:
            return float(chosen)
    return float(getattr(settings, "SCREENING_THRESHOLD", 0.7))


def threshold_set(*, organization_id: int, actor: Any, value: str) -> Decimal:
    """Change the review threshold (audited) and screen everything again with it.

    People read and type the threshold as a percentage ("70", as
    CHAINPROOF_SCREENING_THRESHOLD_PERCENT takes it); a fraction below 1 ("0.70") is still
    understood, as older clients send it. Stored as a fraction."""
    low, high = THRESHOLD_RANGE
    text = value.strip().removesuffix("%").strip() if isinstance(value, str) else value
    try:
        number = Decimal(text)
    except (InvalidOperation, TypeError):
        raise ValidationError({"threshold": f"Expected a number, found {value!r}."}) from None
    chosen = (number if number < 1 else number / 100).quantize(Decimal("0.01"))
    if not number.is_finite() or not low <= chosen <= high:
        raise ValidationError(
            {
                "threshold": f"Expected a percentage between {percent(low)} and "
                f"{percent(high)} (names sharing only generic words score at most "
                f"{percent(low)}), found {value}."
            }
        )
    before = threshold(organization_id)
    ScreeningSettings.objects.update_or_create(
        organization_id=organization_id,
        defaults={"threshold": chosen, "updated_at": timezone.now()},
    )
    audit_record(
        action="screening.threshold_changed",
        actor=actor,
        organization=organization_id,
        object_type="screening.screeningsettings",
        object_id=organization_id,
        object_repr="screening threshold",
        before={"threshold": percent(before)},
        after={"threshold": percent(chosen)},
    )
    recompute.screening_rules_changed(organization_id, actor=actor)
    return chosen


def list_entries(organization_id: int) -> tuple[list[ListEntry], dict[str, str]]:
    """Every entry screened against: the lists in force and the organization's watchlist."""
    entries: list[ListEntry] = []
    editions: dict[str, str] = {}
    for kind, code in LIST_CODES.items():
        dataset = current_dataset(kind, organization_id)
        if dataset is None:
            continue
        editions[code] = f"{dataset.edition} (as of {dataset.as_of})"
        places = _list_addresses(kind, organization_id, editions)
        for row in EntityListEntry.objects.filter(dataset=dataset).values(
            "pk", "primary_name", "aliases", "iso2", "entity_type", "source_id"
        ):
            countries, addresses = places.get(row["source_id"], ((), ()))
            countries = tuple(dict.fromkeys(c for c in (row["iso2"], *countries) if c))
            entries.append(
                ListEntry(
                    f"{code}:{row['pk']}",
                    code,
                    (row["primary_name"], *row["aliases"]),
                    countries[0] if countries else "",
                    kind=row["entity_type"],
                    address=addresses[0] if addresses else "",
                    other_countries=countries[1:],
                    other_addresses=addresses[1:],
                )
            )
    wro = current_dataset("cbp_wro_findings", organization_id)
    if wro is not None:
        editions["cbp_wro"] = f"{wro.edition} (as of {wro.as_of})"
        # Every order, whatever its status: an inactive one is shown as such and weighed
        # less by the risk methodology, not hidden.
        for pk, entity, aliases, iso2, status in WroFinding.objects.filter(dataset=wro).values_list(
            "pk", "entity", "aliases", "iso2", "status"
        ):
            entries.append(
                ListEntry(
                    f"cbp_wro:{pk}",
                    "cbp_wro",
                    wro_names(entity, aliases),
                    iso2,
                    status=status,
                    title=entity,
                    kind=wro_entry_kind(entity),
                )
            )
    watch = list(WatchlistEntry.objects.filter(organization_id=organization_id))
    if watch:
        editions["watchlist"] = f"{len(watch)} entries"
    for item in watch:
        entries.append(
            ListEntry(
                f"watchlist:{item.pk}",
                "watchlist",
                (item.name, *item.aliases),
                item.country,
                address=item.address,
            )
        )
    return entries, editions


# Address editions that complete an entity list: OFAC's ADD.CSV for the SDN list.
ADDRESS_KINDS = {"ofac_sdn_dprk": "ofac_sdn_dprk_addresses"}
LIST_CODES = {"uflpa_entity_list": "uflpa", "ofac_sdn_dprk": "ofac_sdn_dprk"}


def kind_code(kind: str) -> str:
    return LIST_CODES.get(kind, kind)


def _list_addresses(
    kind: str, organization_id: int, editions: dict[str, str]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The countries and addresses the address edition in force gives for each entry of a
    list, by the list's entry number; empty when the list has no address edition."""
    address_kind = ADDRESS_KINDS.get(kind)
    dataset = current_dataset(address_kind, organization_id) if address_kind else None
    if dataset is None:
        return {}
    # The list's edition names the address edition too, so a hit records both.
    editions[kind_code(kind)] += f"; addresses: {dataset.edition} (as of {dataset.as_of})"
    countries: dict[str, list[str]] = {}
    addresses: dict[str, list[str]] = {}
    for place in EntityAddress.objects.filter(dataset=dataset).order_by("source_id", "pk"):
        if place.iso2:
            countries.setdefault(place.source_id, []).append(place.iso2)
        if place.address or place.city:
            line = ", ".join(p for p in (place.address, place.city) if p)
            addresses.setdefault(place.source_id, []).append(line)
    return {
        key: (
            tuple(dict.fromkeys(countries.get(key, ()))),
            tuple(dict.fromkeys(addresses.get(key, ()))),
        )
        for key in countries.keys() | addresses.keys()
    }


def wro_names(entity: str, aliases: list[str]) -> tuple[str, ...]:
    """The names a WRO/Finding is screened under: each entity its text names, then each
    of its aliases (taken apart the same way)."""
    names: list[str] = []
    for text in (entity, *aliases):
        for name in split_entities(text) if text else ():
            if name not in names:
                names.append(name)
    return tuple(names) or (entity,)


def list_index(organization_id: int) -> tuple[ListIndex, dict[str, str]]:
    """The index of every list in force, built once per set of editions."""
    entries, editions = list_entries(organization_id)
    key = (
        organization_id,
        tuple(sorted(editions.items())),
        sha256_bytes(
            repr(
                [(e.key, e.names, e.country, e.address, e.status, e.title) for e in entries]
            ).encode()
        ),
    )
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        index = _INDEXES[key] = ListIndex.build(entries)
    return index, editions


def _fingerprint(*parts: Any) -> str:
    return sha256_bytes(repr(parts).encode("utf-8"))


def entry_fingerprint(entry: ListEntry) -> str:
    """What a dismissal was made against: the entry's names, country and status. A status
    that leaves the entry in force ("Active", or none) counts as none, so the entries
    screened before statuses were keep their fingerprints; any other status, and any
    change of it, is part of it."""
    if entry_standing(entry.status) != IN_FORCE:
        return _fingerprint(entry.names, entry.country, entry.status)
    return _fingerprint(entry.names, entry.country)


def _what_changed(hit: ScreeningHit, names_fp: str, entry_fp: str, entry: ListEntry) -> str:
    """Why a decided hit is reopened, in words."""
    found = []
    if hit.names_fingerprint != names_fp:
        found.append("the record's names changed")
    if hit.entry_fingerprint != entry_fp:
        before, after = hit.entry_status, entry.status
        if before != after and entry_standing(before) != entry_standing(after):
            found.append(
                f"the entry's status changed from {status_words(before) or 'none'} "
                f"to {status_words(after) or 'none'}"
            )
        elif hit.entry_country != entry.country and not hit.entry_country:
            # e.g. OFAC entries, once an address edition gives their countries
            found.append("the list now gives the entry's country")
        else:
            found.append("the list entry changed")
    if hit.algorithm_version != VERSION:
        found.append(f"the algorithm changed (v{hit.algorithm_version} to v{VERSION})")
    return "; ".join(found)


def record_keys(organization_id: int) -> list[NodeKey]:
    """The suppliers and facilities a full screening run screens, in order."""
    suppliers = Supplier.objects.filter(organization_id=organization_id).order_by("pk")
    facilities = Facility.objects.filter(organization_id=organization_id).order_by("pk")
    return [NodeKey.supplier(pk) for pk in suppliers.values_list("pk", flat=True)] + [
        NodeKey.facility(pk) for pk in facilities.values_list("pk", flat=True)
    ]


def records(
    organization_id: int, nodes: set[NodeKey] | None = None
) -> list[tuple[NodeKey, str, list[str], str, str]]:
    """(node key, display name, every name, country, address) of suppliers and facilities."""
    found = []
    suppliers = Supplier.objects.filter(organization_id=organization_id)
    facilities = Facility.objects.filter(organization_id=organization_id)
    if nodes is not None:
        suppliers = suppliers.filter(pk__in=ids_of(nodes, NodeKind.SUPPLIER))
        facilities = facilities.filter(pk__in=ids_of(nodes, NodeKind.FACILITY))
    for pk, name, native, aliases, country in suppliers.values_list(
        "pk", "legal_name", "native_name", "aliases", "country"
    ):
        found.append((NodeKey.supplier(pk), name, [name, native, *aliases], country, ""))
    for pk, name, native, country, *place in facilities.values_list(
        "pk", "name", "native_name", "country", "address", "city", "subdivision"
    ):
        found.append(
            (NodeKey.facility(pk), name, [name, native], country, " ".join(p for p in place if p))
        )
    return found


def screen(
    *,
    organization_id: int,
    nodes: set[NodeKey] | None = None,
    actor: Any = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Screen records (all, or ``nodes``) and record hits above the threshold."""
    started = time.perf_counter()
    index, editions = list_index(organization_id)
    cutoff = threshold(organization_id)
    todo = records(organization_id, nodes)
    existing = {
        (NodeKey.of_type(h.node_type, h.node_id), h.entry_key): h
        for h in ScreeningHit.objects.filter(organization_id=organization_id)
    }
    now = timezone.now()
    created, reopened, updated = [], [], []
    why: dict[int, str] = {}  # reopened hit -> what changed, in words
    restated: set[NodeKey] = set()  # records whose hits' entry status changed
    for done, (node, display, names, country, address) in enumerate(todo, start=1):
        if done % 500 == 0:
            progress(done, len(todo), "screening")
        names_fp = _fingerprint(sorted(n for n in names if n))
        for match in index.screen(
            [n for n in names if n], country=country, address=address, threshold=cutoff
        ):
            entry_fp = entry_fingerprint(match.entry)
            hit = existing.get((node, match.entry.key))
            values = _values(match, editions, names_fp, entry_fp, display)
            if hit is None:
                created.append(
                    ScreeningHit(
                        organization_id=organization_id,
                        node_type=node.type_name,
                        node_id=node.id,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                )
                continue
            changed = (
                hit.names_fingerprint != names_fp
                or hit.entry_fingerprint != entry_fp
                or hit.algorithm_version != VERSION
            )
            if hit.status == ScreeningHit.Status.DISMISSED and not changed:
                continue  # stays dismissed
            if hit.status != ScreeningHit.Status.OPEN and changed:
                why[id(hit)] = _what_changed(hit, names_fp, entry_fp, match.entry)
                hit.status, hit.reason = ScreeningHit.Status.OPEN, ""
                reopened.append(hit)
            if hit.entry_status != match.entry.status:
                restated.add(node)  # the risk engine weighs the hit anew
            for field, value in values.items():
                setattr(hit, field, value)
            hit.updated_at = now
            updated.append(hit)
    with transaction.atomic():  # the hits and their audit events land together
        ScreeningHit.objects.bulk_create(created, batch_size=500)
        if updated:
            ScreeningHit.objects.bulk_update(
                updated,
                [
                    "node_name",
                    "entry_name",
                    "entry_names",
                    "entry_country",
                    "entry_status",
                    "details",
                    "score",
                    "explanation",
                    "algorithm",
                    "algorithm_version",
                    "list_edition",
                    "names_fingerprint",
                    "entry_fingerprint",
                    "status",
                    "reason",
                    "updated_at",
                ],
                batch_size=500,
            )
        audit_record_many(
            organization=organization_id,
            actor=actor,
            entries=[
                {
                    "action": "screening.hit_created",
                    "object_type": "screening.screeninghit",
                    "object_id": hit.pk or "",
                    "object_repr": str(hit)[:300],
                    "after": {
                        "score": str(hit.score),
                        "list": hit.list_code,
                        "entry": hit.entry_name,
                    },
                }
                for hit in created
            ]
            + [
                {
                    "action": "screening.hit_reopened",
                    "object_type": "screening.screeninghit",
                    "object_id": hit.pk,
                    "object_repr": str(hit)[:300],
                    "after": {"reason": why.get(id(hit), "")},
                }
                for hit in reopened
            ]
            + [
                {
                    "action": "screening.completed",
                    "object_type": "screening",
                    "object_id": "",
                    "object_repr": "every name" if nodes is None else f"{len(todo)} records",
                    "after": {
                        "scope": "all" if nodes is None else "some",
                        "records": len(todo),
                        "editions": editions,
                        "new_hits": len(created),
                    },
                }
            ],
        )
        nodes_hit = {NodeKey.of_type(h.node_type, h.node_id) for h in [*created, *reopened]}
        nodes_hit |= restated
        recompute.hits_changed(organization_id, nodes_hit, actor=actor)
    return {
        "records": len(todo),
        "new_hits": len(created),
        "reopened": len(reopened),
        "updated": len(updated),
        "algorithm": f"{ALGORITHM} v{VERSION}",
        "seconds": round(time.perf_counter() - started, 2),
        "lists": [list_name(code) for code in editions],
    }


def _values(
    match: Match, editions: dict[str, str], names_fp: str, entry_fp: str, display: str
) -> dict[str, Any]:
    return {
        "node_name": display[:300],
        "list_code": match.entry.list_code,
        "entry_key": match.entry.key,
        "entry_name": match.entry_name[:500],
        "entry_names": list(match.entry.names),
        "entry_country": match.entry.country,
        "entry_status": match.entry.status[:60],
        "details": {
            **match.details(),
            "entry_title": match.entry.title,
            "entry_kind": match.entry.kind,
        },
        "score": round(match.score, 4),
        "explanation": match.explanation(),
        "algorithm": ALGORITHM,
        "algorithm_version": VERSION,
        "list_edition": editions.get(match.entry.list_code, "")[:200],
        "names_fingerprint": names_fp,
        "entry_fingerprint": entry_fp,
    }


def screening_request(*, organization: Any, actor: Any) -> Job:
    """A person asked for every name to be screened now: the job, to follow its progress."""
    return job_enqueue(
        kind=JobKind.SCREENING_SCREEN, organization=organization, actor=actor, coalesce=True
    )


def hit_decide(*, hit: ScreeningHit, actor: Any, status: str, reason: str) -> ScreeningHit:
    """Confirm a hit (a true match) or dismiss it (with the reason why)."""
    return hits_decide(hits=[hit], actor=actor, status=status, reason=reason)[0]


def hits_decide(
    *, hits: Sequence[ScreeningHit], actor: Any, status: str, reason: str
) -> list[ScreeningHit]:
    """Confirm or dismiss hits together (listings of one entity on one record: the same
    company on the UFLPA list, in a WRO and under an alias), with one reason: all or none,
    one audit event per hit naming the others, one recomputation. The hits must all be of
    one organization; the caller fetched each through the access helper and owns the
    transaction."""
    if status not in (ScreeningHit.Status.CONFIRMED, ScreeningHit.Status.DISMISSED):
        raise ValidationError({"status": "Confirm or dismiss."})
    reason = reason.strip()
    if status == ScreeningHit.Status.DISMISSED and not reason:
        raise ValidationError(
            {"reason": "Say why this is not a match: the next reviewer and CBP will ask."}
        )
    chosen = list({hit.pk: hit for hit in hits}.values())
    if not chosen:
        raise ValidationError({"hits": "Choose at least one hit to decide."})
    organizations = {hit.organization_id for hit in chosen}
    if len(organizations) != 1:
        raise ValidationError({"hits": "The hits are not all of one organization."})
    (organization_id,) = organizations
    now = timezone.now()
    reviewer = actor if getattr(actor, "is_authenticated", False) else None
    for hit in chosen:
        before = {"status": hit.status, "reason": hit.reason}
        hit.status, hit.reason = status, reason[:2000]
        hit.reviewed_by, hit.reviewed_at, hit.updated_at = reviewer, now, now
        hit.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "updated_at"])
        others = [other.pk for other in chosen if other.pk != hit.pk]
        audit_record(
            action=f"screening.hit_{status}",
            actor=actor,
            organization=organization_id,
            obj=hit,
            before=before,
            after={
                "status": status,
                "reason": hit.reason,
                "score": str(hit.score),
                "entry": hit.entry_name,
                "entry_status": hit.entry_status,
                "algorithm": hit.algorithm_version,
                **({"decided_with": others} if others else {}),
            },
        )
    recompute.hits_changed(
        organization_id,
        {NodeKey.of_type(hit.node_type, hit.node_id) for hit in chosen},
        actor=actor,
    )
    return chosen
