"""Scoring an organization and storing assessments; managing methodology versions.

An assessment row is written only when a node's result changes (score, level, reasons,
presumptions, methodology, editions or engine version): the previous row stays, marked
not current, so the history shows how and why a score changed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.bulk import insert, new_instance
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.nodes import NodeKey, NodeKind, ids_of
from chainproof.domain.risk.engine import NodeScore, Reason, RiskResult, score_graph
from chainproof.domain.risk.facts import NodeFacts
from chainproof.domain.risk.methodology import Methodology, MethodologyError, parse_methodology
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue
from chainproof.risk.models import MethodologyVersion, RiskAssessment
from chainproof.risk.snapshot import build_snapshot, reference_facts
from chainproof.suppliers.graph import links_touching

BUNDLED_DIR = Path(__file__).resolve().parent / "methodologies"
Progress = Callable[[int, int | None, str], None]


def _quiet(done: int, total: int | None, message: str = "") -> None:
    return None


# --- methodologies -----------------------------------------------------------------------


def bundled_methodologies_ensure() -> list[MethodologyVersion]:
    """Store every methodology file shipped with chainproof (once)."""
    stored = []
    for path in sorted(BUNDLED_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_methodology(text)
        found = MethodologyVersion.objects.filter(
            organization__isnull=True, name=parsed.name, version=parsed.version
        ).first()
        if found is None:
            found = MethodologyVersion.objects.create(
                name=parsed.name, version=parsed.version, content=text, sha256=parsed.sha256
            )
        stored.append(found)
    return stored


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


def _fingerprint(
    score: NodeScore,
    checks: list[dict[str, Any]],
    sanctions: list[str],
    version_id: int,
    editions: str,
    engine: tuple[str, str],
) -> str:
    """What an assessment says and what computed it, hashed: equal fingerprints mean
    nothing changed. The engine's name and version are part of it, so a new engine
    version writes every assessment again, even where the numbers come out the same."""
    content = repr(
        (
            score.score,
            score.level,
            score.own_score,
            tuple((r.factor, r.evidence, r.points, r.source) for r in score.reasons),
            tuple((c["regime"], c["status"], tuple(c["reasons"])) for c in checks),
            tuple(sanctions),
            version_id,
            editions,
            engine,
        )
    )
    return sha256_bytes(content.encode("utf-8"))


def _store(
    organization_id: int,
    result: RiskResult,
    facts: dict[NodeKey, NodeFacts],
    version: MethodologyVersion,
    on: date,
    progress: Progress,
    *,
    partial: bool = False,
) -> dict[str, int]:
    if partial:
        current = _current_fingerprints(organization_id, set(result.scores))
    else:
        current = {
            NodeKey.of_type(t, n): (pk, fp)
            for pk, t, n, fp in RiskAssessment.objects.filter(
                organization_id=organization_id, is_current=True
            )
            .values_list("pk", "node_type", "node_id", "fingerprint")
            .iterator(chunk_size=10000)
        }
    now = timezone.now()
    editions_key = repr(sorted(result.editions.items()))
    engine = (result.engine, result.engine_version)
    new_rows, retire = [], []
    for node, score in result.scores.items():
        checks = [p.as_dict() for p in result.presumptions.get(node, ())]
        extra: dict[str, Any] = {
            "presumptions": checks,
            "sanctions": list(result.sanctions_flags.get(node, ())),
        }
        fingerprint = _fingerprint(
            score, checks, extra["sanctions"], version.pk, editions_key, engine
        )
        previous = current.get(node)
        if previous is not None and previous[1] == fingerprint:
            continue
        if previous is not None:
            retire.append(previous[0])
        node_facts = facts[node]
        new_rows.append(
            new_instance(
                RiskAssessment,
                {
                    "organization_id": organization_id,
                    "node_type": node.type_name,
                    "node_id": node.id,
                    "node_name": node_facts.name[:300],
                    "country": node_facts.country,
                    "score": Decimal(str(score.score)),
                    "own_score": Decimal(str(score.own_score)),
                    "level": score.level,
                    "reasons": [r.as_dict() for r in score.reasons],
                    "presumptions": extra["presumptions"],
                    "sanctions_flags": extra["sanctions"],
                    "goods": sorted(set(node_facts.goods))[:20],
                    **_statuses(checks),
                    "methodology_id": version.pk,
                    "editions": result.editions,
                    "engine": result.engine,
                    "engine_version": result.engine_version,
                    "as_of": on,
                    "computed_at": now,
                    "fingerprint": fingerprint,
                    "is_current": True,
                },
            )
        )
    progress(0, len(new_rows), "writing assessments")
    for start in range(0, len(retire), 900):
        RiskAssessment.objects.filter(pk__in=retire[start : start + 900]).update(is_current=False)
    insert(new_rows)
    return {"changed": len(new_rows), "unchanged": len(result.scores) - len(new_rows)}


def _current_fingerprints(
    organization_id: int, nodes: set[NodeKey]
) -> dict[NodeKey, tuple[int, str]]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for node in nodes:
        by_type[node.type_name].append(node.id)
    found = {}
    for node_type, ids in by_type.items():
        for start in range(0, len(ids), 500):
            for pk, node_id, fingerprint in RiskAssessment.objects.filter(
                organization_id=organization_id,
                is_current=True,
                node_type=node_type,
                node_id__in=ids[start : start + 500],
            ).values_list("pk", "node_id", "fingerprint"):
                found[NodeKey.of_type(node_type, node_id)] = (pk, fingerprint)
    return found


def _statuses(presumptions: list[dict[str, Any]]) -> dict[str, str]:
    found = {p["regime"]: p["status"] for p in presumptions}
    return {
        "caatsa_status": found.get("caatsa_321b", ""),
        "uflpa_status": found.get("uflpa", ""),
        "section307_status": found.get("section_307", ""),
    }


def risk_score_all(
    *,
    organization_id: int,
    as_of: date | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Score every supplier, facility and product and store the results."""
    started = time.perf_counter()
    on = as_of or timezone.localdate()
    version = methodology_in_use(organization_id)
    methodology = parse_methodology(version.content)
    progress(0, None, "reading the supply chain")
    ref = reference_facts(organization_id, on)
    snap = build_snapshot(organization_id, on)
    progress(0, len(snap.nodes), "scoring")
    result = score_graph(snap.nodes, snap.edges, ref, methodology, presumption_for=snap.products)
    with transaction.atomic():
        written = _store(organization_id, result, snap.nodes, version, on, progress)
    return {
        "nodes": len(result.scores),
        **written,
        "methodology": methodology.label,
        "as_of": on.isoformat(),
        "seconds": round(time.perf_counter() - started, 2),
    }


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
        written = _store(organization_id, result, snap.nodes, version, on, progress, partial=True)
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
