"""Background scoring: a full run, or a fast re-score of what one change affects.

A full run of a large graph (settings.SPLIT_AT_RECORDS) is split into parts, groups of
whole connected components, that several workers score at once (``jobs.services.job_split``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chainproof.bulk_statistics import statistics_refresh_after
from chainproof.domain.nodes import format_all, parse_all
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, job_split, parts_combiner
from chainproof.risk.models import RiskAssessment
from chainproof.risk.services import risk_rescore, risk_score_all, risk_score_part
from chainproof.risk.storing import level_counts_rebuild


@handler(JobKind.RISK_SCORE_ALL)
def score_all_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    result = risk_score_all(
        organization_id=job.organization_id,
        progress=progress,
        split_at=settings.SPLIT_AT_RECORDS,
        part_nodes=settings.SPLIT_PART_RECORDS,
    )
    parts = result.pop("parts", None)
    if not parts:
        return result
    sizes = result.pop("part_components")
    return job_split(
        job,
        kind=JobKind.RISK_SCORE_PART,
        parts=[
            (
                {"members": format_all(members), "as_of": result["as_of"]},
                len(members),
                _part_words(len(members), count),
            )
            for members, count in zip(parts, sizes, strict=True)
        ],
        done=result["skipped"],
        total=result["nodes"],
        plan=result,
    )


def _part_words(records: int, chains: int) -> str:
    return (
        f"{records:,} record{'s' if records != 1 else ''} in {chains:,} separate "
        f"supply chain{'s' if chains != 1 else ''}"
    )


@handler(JobKind.RISK_SCORE_PART)
def score_part_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    return risk_score_part(
        organization_id=job.organization_id,
        members=parse_all(job.params["members"]),
        as_of=date.fromisoformat(job.params["as_of"]),
        progress=progress,
    )


@parts_combiner(JobKind.RISK_SCORE_ALL)
def score_all_parts(job: Job, results: list[dict[str, Any]]) -> dict[str, Any]:
    """A split full run's result, as one run would have said it."""
    plan = job.result if isinstance(job.result, dict) else {}
    nodes = int(plan.get("nodes", 0))
    written = sum(int(r.get("changed", 0)) for r in results)
    # The parts wrote in several transactions: the statistics are read once, at the end,
    # and the counts by level counted again, as an unsplit full run ends.
    if job.organization_id is not None:
        with transaction.atomic():
            level_counts_rebuild(job.organization_id)
    statistics_refresh_after(written, RiskAssessment)
    elapsed = timezone.now() - job.started_at if job.started_at else timedelta()
    return {
        **plan,
        "changed": written,
        "unchanged": nodes - written,
        "skipped": int(plan.get("skipped", 0)) + sum(int(r.get("skipped", 0)) for r in results),
        "seconds": round(elapsed.total_seconds(), 2),
    }


@handler(JobKind.RISK_RESCORE)
def rescore_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a scoring job needs an organization")
    result = risk_rescore(
        organization_id=job.organization_id,
        changed=parse_all(job.params.get("nodes", [])),
        progress=progress,
    )
    if "affected" in result:
        # Scores are up to date now; presumption checks need each product's whole
        # upstream, so a full run (merged with any already waiting) follows.
        with transaction.atomic():
            recompute.scores_stale(job.organization_id)
    return result
