"""Scoring an organization and storing assessments; managing methodology versions.

An assessment row is written only when a node's result changes (``risk.storing``): the
previous row stays, marked not current, so the history shows how and why a score changed.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.bulk import insert_values
from chainproof.bulk_statistics import statistics_refresh_after
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.nodes import NodeKey, NodeKind, ids_of
from chainproof.domain.risk import engine
from chainproof.domain.risk.components import (
    batches,
    canonical,
    components,
    edges_by_component,
    inputs_digest,
    state_digest,
)
from chainproof.domain.risk.engine import Reason, RiskResult, score_graph
from chainproof.domain.risk.facts import NodeFacts
from chainproof.domain.risk.methodology import Methodology, MethodologyError, parse_methodology
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue
from chainproof.risk.models import MethodologyVersion, RiskAssessment, ScoredComponent
from chainproof.risk.snapshot import build_snapshot, reference_facts
from chainproof.risk.storing import (
    CountChanges,
    Current,
    current_all,
    current_of,
    level_counts_add,
    level_counts_rebuild,
    store_changed,
)
from chainproof.suppliers.graph import links_touching

BUNDLED_DIR = Path(__file__).resolve().parent / "methodologies"
Progress = Callable[[int, int | None, str], None]


def _quiet(done: int, total: int | None, message: str = "") -> None:
    return None


# --- methodologies -----------------------------------------------------------------------


def bundled_methodologies_ensure() -> list[MethodologyVersion]:
    """Store every methodology file shipped with chainproof (once)."""
    stored = []
    for text, name, version, sha256 in _bundled_files():
        found = MethodologyVersion.objects.filter(
            organization__isnull=True, name=name, version=version
        ).first()
        if found is None:
            found = MethodologyVersion.objects.create(
                name=name, version=version, content=text, sha256=sha256
            )
        stored.append(found)
    return stored


@lru_cache(maxsize=1)
def _bundled_files() -> tuple[tuple[str, str, str, str], ...]:
    """The methodology files shipped with chainproof (text, name, version, SHA-256), read
    and parsed once per process: every scoring run asks for them."""
    found = []
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_methodology(text)
        found.append((text, parsed.name, parsed.version, parsed.sha256))
    return tuple(found)


def methodology_in_use(organization_id: int) -> MethodologyVersion:
    own = MethodologyVersion.objects.filter(organization_id=organization_id, in_use=True).first()
    if own is not None:
        return own
    bundled = bundled_methodologies_ensure()
    return bundled[-1]


def methodology_save(
    *, organization: Any, actor: Any, content: str, based_on: MethodologyVersion | None
) -> MethodologyVersion:
    """Store an adjusted methodology as a new version in use by the organization."""
    org_id = getattr(organization, "pk", organization)
    try:
        parsed = parse_methodology(content)
    except MethodologyError as exc:
        from django.core.exceptions import ValidationError

        raise ValidationError({"content": str(exc)}) from None
    if MethodologyVersion.objects.filter(
        organization_id=org_id, name=parsed.name, version=parsed.version
    ).exists():
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {
                "content": f"{parsed.name} version {parsed.version} exists "
                "already; change the version."
            }
        )
    MethodologyVersion.objects.filter(organization_id=org_id, in_use=True).update(in_use=False)
    version = MethodologyVersion.objects.create(
        organization_id=org_id,
        name=parsed.name,
        version=parsed.version,
        content=content,
        sha256=parsed.sha256,
        based_on=based_on,
        in_use=True,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="risk.methodology_saved",
        actor=actor,
        organization=org_id,
        obj=version,
        after={
            "name": parsed.name,
            "version": parsed.version,
            "sha256": parsed.sha256,
            "based_on": based_on.pk if based_on else None,
        },
    )
    recompute.scores_stale(org_id, actor=actor)
    return version


def risk_recompute_request(*, organization: Any, actor: Any) -> Job:
    """A person asked for every score to be recomputed: the job, to follow its progress."""
    return job_enqueue(
        kind=JobKind.RISK_SCORE_ALL, organization=organization, actor=actor, coalesce=True
    )


# --- scoring -----------------------------------------------------------------------------


def _store(
    organization_id: int,
    result: RiskResult,
    facts: dict[NodeKey, NodeFacts],
    version: MethodologyVersion,
    on: date,
    progress: Progress,
) -> dict[str, int]:
    """Store a partial run's changed assessments."""
    current = current_of(organization_id, set(result.scores))
    progress(0, len(result.scores), "writing assessments")
    changes = CountChanges.of(organization_id)
    _, written = store_changed(organization_id, result, facts, version.pk, on, current, changes)
    level_counts_add(organization_id, changes)
    return {"changed": written, "unchanged": len(result.scores) - written}


BATCH_NODES = 20_000  # components are scored together up to this many nodes


@lru_cache(maxsize=1)
def _engine_source() -> str:
    """The code that turns facts into stored assessments, hashed: a change to it (even
    without a new engine version) makes the next full run recompute everything."""
    import chainproof.domain.risk as engine_package
    from chainproof.risk import snapshot, storing

    paths = sorted(Path(engine_package.__file__).parent.glob("*.py"))
    paths += [Path(snapshot.__file__), Path(storing.__file__)]
    return sha256_bytes(b"".join(path.read_bytes() for path in paths))


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_cycle_collection(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """A run builds hundreds of thousands of small records that live until it ends and form
    no cycles; the cycle collector would walk them all again and again (a sixth of an
    unchanged run's time at 90,000 nodes). It is off for the run and back on after, unless
    something else had turned it off."""

    @wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return run


@_without_cycle_collection
def risk_score_all(
    *,
    organization_id: int,
    as_of: date | None = None,
    progress: Progress = _quiet,
    batch_nodes: int = BATCH_NODES,
    split_at: int = 0,
    part_nodes: int = BATCH_NODES,
) -> dict[str, Any]:
    """Score every supplier, facility and product and store the results.

    The graph is scored one batch of connected components at a time (the same results
    as all at once: ``domain.risk.components``); a component whose inputs and stored
    assessments are as the last full run left them is skipped.

    With ``split_at`` (a graph of at least that many nodes), the components to score are
    not scored here but planned: grouped into parts of at most ``part_nodes`` nodes (a
    component larger than that is a part of its own), returned under ``"parts"`` as the
    node lists for ``risk_score_part``, each of which another worker may run.
    """
    started = time.perf_counter()
    on = as_of or timezone.localdate()
    progress(0, None, "reading the supply chain")
    run = _Run.read(organization_id, on)
    current = current_all(organization_id)
    known = set(
        ScoredComponent.objects.filter(organization_id=organization_id).values_list(
            "digest", flat=True
        )
    )
    states, todo, skipped = run.plan(current, known)
    # Written, the current assessments are read a batch at a time (None), or not at all
    # when none is stored ({}): the organization's are not held while scoring.
    stored: Current | None = None if current else {}
    del current
    summary = {
        "nodes": len(run.snap.nodes),
        "skipped": skipped,
        "components": len(run.found),
        "methodology": run.methodology.label,
        "as_of": on.isoformat(),
    }
    groups = batches([(index, len(run.found[index])) for index, _ in todo], part_nodes)
    if split_at and len(run.snap.nodes) >= split_at and len(groups) > 1:
        with transaction.atomic():
            # The components to score lose their digests now; each part stores its own.
            _components_replace(organization_id, known, states)
        parts = [[node for index in group for node in run.found[index]] for group in groups]
        return {**summary, "parts": parts, "part_components": [len(g) for g in groups]}
    progress(0, len(run.snap.nodes), "scoring")
    with transaction.atomic():
        written = run.score(todo, stored, states, batch_nodes, progress, skipped)
        _components_replace(organization_id, known, states)
        # Whatever an outside change left wrong; the heat map's counts only when a component
        # was scored again (a change to a material's DOL marks re-scores its own).
        level_counts_rebuild(organization_id, goods=bool(todo))
        statistics_refresh_after(written, RiskAssessment)
    return {
        **summary,
        "changed": written,
        "unchanged": len(run.snap.nodes) - written,
        "seconds": round(time.perf_counter() - started, 2),
    }


@_without_cycle_collection
def risk_score_part(
    *,
    organization_id: int,
    members: set[NodeKey],
    as_of: date,
    progress: Progress = _quiet,
    batch_nodes: int = BATCH_NODES,
) -> dict[str, Any]:
    """Score one part of a full run split by ``risk_score_all``: the connected components
    made of ``members``, read and scored as the whole run would (the same assessments),
    their digests stored for the next full run. Returns what it wrote."""
    started = time.perf_counter()
    progress(0, None, "reading this part of the supply chain")
    run = _Run.read(organization_id, as_of, only=members)
    current = current_of(organization_id, set(run.snap.nodes))
    states, todo, skipped = run.plan(current, run.known_digests(organization_id))
    stored: Current | None = None if current else {}  # as in risk_score_all
    del current
    progress(skipped, len(run.snap.nodes), "scoring")
    with transaction.atomic():
        written = run.score(todo, stored, states, batch_nodes, progress, skipped)
        known = run.known_digests(organization_id, states)
        _components_replace(organization_id, known, states, remove=False)
    return {
        "nodes": len(run.snap.nodes),
        "changed": written,
        "skipped": skipped,
        "components": len(run.found),
        "seconds": round(time.perf_counter() - started, 2),
    }


@dataclass
class _Run:
    """What a full run (or one part of it) reads, by connected component."""

    organization_id: int
    on: date
    version: MethodologyVersion
    methodology: Methodology
    ref: Any
    snap: Any
    found: list[list[NodeKey]]
    inside: list[list[Any]]
    context: str

    @classmethod
    def read(cls, organization_id: int, on: date, only: set[NodeKey] | None = None) -> _Run:
        version = methodology_in_use(organization_id)
        methodology = parse_methodology(version.content)
        ref = reference_facts(organization_id, on)
        snap = build_snapshot(organization_id, on, only=only)
        found = components(snap.nodes, snap.edges)
        inside = edges_by_component(found, snap.edges)
        snap.edges = []  # each edge now sits with its component
        context = (
            canonical((version.pk, version.sha256, ref, engine.ENGINE_NAME, engine.ENGINE_VERSION))
            + _engine_source()
        )
        return cls(organization_id, on, version, methodology, ref, snap, found, inside, context)

    def known_digests(self, organization_id: int, among: Iterable[str] | None = None) -> set[str]:
        stored = ScoredComponent.objects.filter(organization_id=organization_id)
        if among is None:
            return set(stored.values_list("digest", flat=True))
        wanted, found = sorted(among), set()
        for start in range(0, len(wanted), 900):
            found |= set(
                stored.filter(digest__in=wanted[start : start + 900]).values_list(
                    "digest", flat=True
                )
            )
        return found

    def plan(
        self, current: dict[NodeKey, tuple[int, str]], known: set[str]
    ) -> tuple[dict[str, int], list[tuple[int, str]], int]:
        """(digests of the components left as they are, components to score with their
        inputs' digest, how many nodes are left as they are)."""
        stored_fp = {node: fp for node, (_, fp) in current.items()}
        states: dict[str, int] = {}
        todo: list[tuple[int, str]] = []
        skipped = 0
        for index, members in enumerate(self.found):
            inputs = inputs_digest(self.context, members, self.snap.nodes, self.inside[index])
            state = state_digest(inputs, members, stored_fp)
            if state in known:
                states[state] = len(members)
                skipped += len(members)
            else:
                todo.append((index, inputs))
        return states, todo, skipped

    def score(
        self,
        todo: list[tuple[int, str]],
        current: Current | None,
        states: dict[str, int],
        batch_nodes: int,
        progress: Progress,
        done: int,
    ) -> int:
        """Score and store the components ``todo``, a batch at a time; adds their new
        digests to ``states``; returns how many assessments were written. The counts by
        level are updated last (``level_counts_add``): call it at the end of a transaction."""
        inputs_of = dict(todo)
        written = 0
        changes = CountChanges.of(self.organization_id)
        total = len(self.snap.nodes)
        for batch in batches([(index, len(self.found[index])) for index, _ in todo], batch_nodes):
            nodes = {node: self.snap.nodes[node] for index in batch for node in self.found[index]}
            result = score_graph(
                nodes,
                [edge for index in batch for edge in self.inside[index]],
                self.ref,
                self.methodology,
                presumption_for=[n for n in nodes if n.kind is NodeKind.PRODUCT],
                streamed=True,  # written as they are worked out, none kept
            )
            fingerprints, count = store_changed(
                self.organization_id, result, nodes, self.version.pk, self.on, current, changes
            )
            written += count
            for index in batch:
                members = self.found[index]
                states[state_digest(inputs_of[index], members, fingerprints)] = len(members)
            done += len(nodes)
            progress(done, total, "scoring and writing")
        level_counts_add(self.organization_id, changes)
        return written


def _components_replace(
    organization_id: int, known: set[str], states: dict[str, int], *, remove: bool = True
) -> None:
    """Store the digests of ``states`` not ``known`` yet; with ``remove``, delete the
    ``known`` ones no longer among them."""
    gone = sorted(known - set(states)) if remove else []
    for start in range(0, len(gone), 900):
        ScoredComponent.objects.filter(
            organization_id=organization_id, digest__in=gone[start : start + 900]
        ).delete()
    insert_values(
        ScoredComponent,
        ("organization_id", "digest", "nodes"),
        (
            (organization_id, digest, count)
            for digest, count in states.items()
            if digest not in known
        ),
    )


def links_from(
    organization_id: int, on: date, facility_ids: list[int], supplier_ids: list[int]
) -> list[tuple[Any, ...]]:
    """(target facility, target supplier, to importer, product) of links leaving some nodes."""
    columns = ("target_facility_id", "target_supplier_id", "target_importer", "product_id")
    return links_touching(
        organization_id, on, "source_facility_id__in", facility_ids, *columns
    ) + links_touching(organization_id, on, "source_supplier_id__in", supplier_ids, *columns)


def downstream_of(
    organization_id: int, changed: set[NodeKey], on: date, limit: int = 50_000
) -> set[NodeKey]:
    """Every node a change can reach: what the changed nodes supply, their companies, and
    the products shipped to the importer, followed through the links."""
    from chainproof.suppliers.models import Facility

    reached = set(changed)
    frontier = set(changed)
    while frontier and len(reached) < limit:
        facility_ids = ids_of(frontier, NodeKind.FACILITY)
        supplier_ids = ids_of(frontier, NodeKind.SUPPLIER)
        found: set[NodeKey] = set()
        rows = links_from(organization_id, on, facility_ids, supplier_ids)
        for tgt_f, tgt_s, to_importer, product_id in rows:
            found.add(
                NodeKey.product(product_id)
                if to_importer
                else NodeKey.facility(tgt_f)
                if tgt_f
                else NodeKey.supplier(tgt_s)
            )
        for supplier_id in (
            Facility.objects.filter(organization_id=organization_id, pk__in=facility_ids)
            .exclude(supplier__isnull=True)
            .values_list("supplier_id", flat=True)
        ):
            found.add(NodeKey.supplier(supplier_id))
        frontier = found - reached
        reached |= frontier
    return reached


def risk_rescore(
    *, organization_id: int, changed: set[NodeKey], progress: Progress = _quiet
) -> dict[str, Any]:
    """Re-score only what a change can affect: the changed nodes and everything downstream.

    Upstream nodes keep their stored scores and feed the propagation as a boundary.
    Presumption checks need the whole upstream of each product, so affected products get
    them from a full run (queued by the caller), not from this one.
    """
    if not RiskAssessment.objects.filter(organization_id=organization_id, is_current=True).exists():
        return risk_score_all(organization_id=organization_id, progress=progress)
    started = time.perf_counter()
    on = timezone.localdate()
    version = methodology_in_use(organization_id)
    methodology = parse_methodology(version.content)
    affected = downstream_of(organization_id, changed, on)
    ref = reference_facts(organization_id, on)
    snap = build_snapshot(organization_id, on, only=affected)
    upstream = {e.source for e in snap.edges if e.source not in snap.nodes}
    boundary = _boundary(organization_id, upstream)
    result = score_graph(snap.nodes, snap.edges, ref, methodology, boundary=boundary)
    stored = {
        NodeKey.of_type(t, n): (presumptions, sanctions)
        for t, n, presumptions, sanctions in RiskAssessment.objects.filter(
            organization_id=organization_id,
            is_current=True,
            node_type="product",
            node_id__in=ids_of(affected, NodeKind.PRODUCT),
        ).values_list("node_type", "node_id", "presumptions", "sanctions_flags")
    }
    from chainproof.domain.risk.engine import Presumption

    keep = {
        node: tuple(
            Presumption(p["regime"], p["status"], tuple(p["reasons"]), tuple(p["missing"]))
            for p in stored[node][0]
        )
        for node in stored
    }
    result = replace(
        result, presumptions=keep, sanctions_flags={n: tuple(stored[n][1]) for n in stored}
    )
    with transaction.atomic():
        written = _store(organization_id, result, snap.nodes, version, on, progress)
    return {
        "affected": len(affected),
        **written,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _boundary(
    organization_id: int, nodes: set[NodeKey]
) -> dict[NodeKey, tuple[NodeFacts, float, tuple[Reason, ...]]]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for node in nodes:
        by_type[node.type_name].append(node.id)
    boundary = {}
    for node_type, ids in by_type.items():
        for start in range(0, len(ids), 900):
            for assessment in RiskAssessment.objects.filter(
                organization_id=organization_id,
                is_current=True,
                node_type=node_type,
                node_id__in=ids[start : start + 900],
            ):
                key = NodeKey.of_type(node_type, assessment.node_id)
                facts = NodeFacts(
                    node=key, kind=node_type, name=assessment.node_name, country=assessment.country
                )
                reasons = tuple(
                    Reason(r["factor"], r["evidence"], r["points"], r["source"])
                    for r in assessment.reasons
                )
                boundary[key] = (facts, float(assessment.score), reasons)
    return boundary


def methodology_for(version: MethodologyVersion) -> Methodology:
    return parse_methodology(version.content)
