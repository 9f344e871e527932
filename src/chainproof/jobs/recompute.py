"""The one place that decides what is recomputed after a change.

Services call a trigger (``supply_changed``, ``reference_changed``, ...) inside the
transaction that makes the change. A trigger only says what changed: which organization, which
graph nodes, which kinds of work follow. When the transaction commits, the work is
queued: a waiting job of the same kind absorbs the new nodes instead of a second job
being added, and a waiting full run makes a partial one unnecessary, so one transaction
gives one job per kind and organization with the union of its nodes. A transaction that
rolls back queues nothing.

Views and API endpoints never queue recomputation: they call a service, and the service
calls a trigger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from chainproof.accounts.models import Organization
from chainproof.audit.services import audit_chain_lock, audit_record
from chainproof.domain.nodes import NodeKey, format_all, parse_all
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue


def _org_id(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


@dataclass
class _Batch:
    """What one trigger asked for, per organization."""

    actor: Any = None
    rescore: dict[int, set[NodeKey]] = field(default_factory=lambda: defaultdict(set))
    score_all: set[int] = field(default_factory=set)
    screen: dict[int, set[NodeKey]] = field(default_factory=lambda: defaultdict(set))
    screen_all: set[int] = field(default_factory=set)
    tiers: set[int] = field(default_factory=set)
    every_organization: bool = False
    every_organization_screen: bool = False

    def flush(self) -> None:
        with transaction.atomic():
            _queue(self)


def _after_commit(batch: _Batch) -> None:
    """Queue the batch's work once the transaction commits (at once outside one). Django
    drops the callback if the transaction, or the savepoint it was made in, rolls back.
    Each trigger of a transaction queues its own callback; they all land in the same
    waiting jobs, so one commit gives one job per kind and organization."""
    transaction.on_commit(batch.flush)


# --- triggers ----------------------------------------------------------------------------


def supply_changed(
    organization: Any,
    nodes: Iterable[NodeKey],
    *,
    actor: Any = None,
    names_changed: bool = False,
    links_changed: bool = False,
) -> None:
    """Records of the supply chain changed: re-score them and what lies downstream;
    re-screen them when a name may have changed; recompute tiers when links changed."""
    wanted = set(nodes)
    org = _org_id(organization)
    batch = _Batch(actor=actor)
    if wanted:
        batch.rescore[org] |= wanted
        if names_changed:
            batch.screen[org] |= wanted
    if links_changed:
        batch.tiers.add(org)
    _after_commit(batch)


def supply_replaced(
    organization: Any, *, actor: Any = None, names_changed: bool = True, links_changed: bool = True
) -> None:
    """Much of the supply chain changed at once (an import): score and screen everything."""
    org = _org_id(organization)
    batch = _Batch(actor=actor)
    batch.score_all.add(org)
    if names_changed:
        batch.screen_all.add(org)
    if links_changed:
        batch.tiers.add(org)
    _after_commit(batch)


def hits_changed(organization: Any, nodes: Iterable[NodeKey], *, actor: Any = None) -> None:
    """Screening hits were found, reopened, confirmed or dismissed for these records."""
    supply_changed(organization, nodes, actor=actor)


def signals_changed(organization: Any, nodes: Iterable[NodeKey], *, actor: Any = None) -> None:
    """Reported facts about records changed (questionnaire answers, audits, evidence)."""
    supply_changed(organization, nodes, actor=actor)


def scores_stale(organization: Any, *, actor: Any = None) -> None:
    """Every score of an organization must be recomputed (a new methodology, or the
    presumption checks after a partial re-score)."""
    batch = _Batch(actor=actor)
    batch.score_all.add(_org_id(organization))
    _after_commit(batch)


def screening_rules_changed(organization: Any, *, actor: Any = None) -> None:
    """What counts as a hit changed (threshold, watchlist): screen every name again."""
    batch = _Batch(actor=actor)
    batch.screen_all.add(_org_id(organization))
    _after_commit(batch)


def reference_changed(
    organization: Any = None, *, actor: Any = None, lists_changed: bool = True
) -> None:
    """New reference data (for one organization, or for all when ``organization`` is
    None): re-score, and re-screen when government lists may have changed."""
    batch = _Batch(actor=actor)
    if organization is None:
        batch.every_organization = True
        batch.every_organization_screen |= lists_changed
    else:
        org = _org_id(organization)
        batch.score_all.add(org)
        if lists_changed:
            batch.screen_all.add(org)
    _after_commit(batch)


def documents_stored(organization: Any, version_ids: Iterable[int], *, actor: Any = None) -> None:
    """New document versions: read their text (and recognise it in scans) so that search
    finds them. One extraction job per organization takes every version of the commit."""
    org = _org_id(organization)
    wanted = sorted(set(version_ids))
    if wanted:
        transaction.on_commit(lambda: _queue_extraction(org, wanted, actor))


def _queue_extraction(org: int, version_ids: list[int], actor: Any) -> None:
    with transaction.atomic():
        audit_chain_lock(org)
        waiting = Job.objects.filter(
            kind=JobKind.EVIDENCE_EXTRACT, organization_id=org, status=Job.Status.QUEUED
        ).order_by("created_at", "pk")
        for job in waiting:
            queued = set(job.params.get("versions", []))
            merged = {**job.params, "versions": sorted(queued | set(version_ids))}
            if Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(params=merged):
                return
        job_enqueue(
            kind=JobKind.EVIDENCE_EXTRACT,
            organization=org,
            actor=actor,
            params={"versions": version_ids},
        )


# --- queuing -----------------------------------------------------------------------------


def _queue(batch: _Batch) -> None:
    score_all, screen_all = set(batch.score_all), set(batch.screen_all)
    if batch.every_organization:
        every = set(Organization.objects.values_list("pk", flat=True))
        score_all |= every
        if batch.every_organization_screen:
            screen_all |= every
    # Chain locks first, in one order: queuing updates waiting jobs and then audits, and
    # another transaction doing the same in the other order would deadlock.
    for org in sorted(
        score_all | screen_all | batch.tiers | set(batch.rescore) | set(batch.screen)
    ):
        audit_chain_lock(org)
    for org in sorted(batch.tiers):
        _enqueue_full(JobKind.SUPPLIERS_TIERS, org, batch.actor)
    for org in sorted(score_all):
        _enqueue_full(JobKind.RISK_SCORE_ALL, org, batch.actor)
    for org, nodes in sorted(batch.rescore.items()):
        if org not in score_all and nodes:
            _enqueue_nodes(JobKind.RISK_RESCORE, JobKind.RISK_SCORE_ALL, org, nodes, batch.actor)
    for org in sorted(screen_all):
        _enqueue_full(JobKind.SCREENING_SCREEN, org, batch.actor)
    for org, nodes in sorted(batch.screen.items()):
        if org not in screen_all and nodes:
            _enqueue_nodes(
                JobKind.SCREENING_SCREEN, JobKind.SCREENING_SCREEN, org, nodes, batch.actor
            )


def _enqueue_full(kind: JobKind, org: int, actor: Any) -> None:
    job_enqueue(kind=kind, organization=org, actor=actor, coalesce=True)


def _enqueue_nodes(
    kind: JobKind, full_kind: JobKind, org: int, nodes: set[NodeKey], actor: Any
) -> None:
    """Queue work on some nodes, unless a waiting full run covers it; a waiting job of the
    same kind takes the new nodes (only while nobody has claimed it)."""
    waiting = Job.objects.filter(kind__in={kind, full_kind}, organization_id=org, status="queued")
    for job in waiting.order_by("created_at", "pk"):
        if job.kind == full_kind and not job.params.get("nodes"):
            return  # a full run is waiting: it will see this change
    for job in waiting.filter(kind=kind).order_by("created_at", "pk"):
        queued = parse_all(job.params.get("nodes", []))
        if not queued:
            continue
        if nodes <= queued:
            return
        merged = {**job.params, "nodes": format_all(queued | nodes)}
        if Job.objects.filter(pk=job.pk, status="queued").update(params=merged) == 1:
            audit_record(
                action="job.extended",
                actor=actor,
                organization=org,
                obj=job,
                after={"added_nodes": len(nodes - queued)},
            )
            return
    job_enqueue(kind=kind, organization=org, actor=actor, params={"nodes": format_all(nodes)})
