"""Proving the locker is intact: every stored content re-hashed against its SHA-256.

Run by `chainproof evidence verify` and daily by the worker. Each content's status is
updated (intact, missing, altered), a run records what it found, and every organization
whose documents are touched by a problem gets an audit event naming them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.blobs import BlobStatus, blob_store
from chainproof.evidence.models import Blob, DocumentVersion, VerificationRun
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.services import job_enqueue

Progress = Callable[[int, int | None, str], None]

_STATUS = {
    BlobStatus.OK: Blob.Status.OK,
    BlobStatus.MISSING: Blob.Status.MISSING,
    BlobStatus.ALTERED: Blob.Status.ALTERED,
}


def blobs_verify(
    *, organization: Any = None, actor: Any = None, progress: Progress | None = None
) -> VerificationRun:
    """Re-hash every stored content that has not been purged (or only the contents of one
    organization's documents); returns the finished run."""
    store = blob_store()
    org = getattr(organization, "pk", organization)
    with transaction.atomic():
        run = VerificationRun.objects.create(backend=store.name, organization_id=org)
    blobs = Blob.objects.filter(purged_at__isnull=True).order_by("pk")
    if org is not None:
        blobs = blobs.filter(
            pk__in=DocumentVersion.objects.filter(
                document__organization_id=org, purged_at__isnull=True
            ).values("blob_id")
        )
    total = blobs.count()
    problems: list[dict[str, str]] = []
    counts = {BlobStatus.OK: 0, BlobStatus.MISSING: 0, BlobStatus.ALTERED: 0}
    for done, blob in enumerate(blobs.iterator(chunk_size=500), start=1):
        found = store.verify(blob.sha256)
        counts[found] += 1
        if found is not BlobStatus.OK:
            problems.append({"sha256": blob.sha256, "status": str(found)})
        Blob.objects.filter(pk=blob.pk).update(status=_STATUS[found], verified_at=timezone.now())
        if progress and (done % 100 == 0 or done == total):
            progress(done, total, f"{done:,} of {total:,} verified")
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.checked = total
        run.intact = counts[BlobStatus.OK]
        run.missing = counts[BlobStatus.MISSING]
        run.altered = counts[BlobStatus.ALTERED]
        run.problems = problems[:1000]
        run.save()
        audit_record(
            action="evidence.verified",
            actor=actor,
            organization=org,
            obj=run,
            after={
                "checked": run.checked,
                "intact": run.intact,
                "missing": run.missing,
                "altered": run.altered,
                "backend": run.backend,
            },
        )
        _audit_problems(problems, actor, only=org)
    return run


def _audit_problems(problems: list[dict[str, str]], actor: Any, only: int | None) -> None:
    """One event per organization whose documents are affected, naming each of them."""
    if not problems:
        return
    status_of = {p["sha256"]: p["status"] for p in problems}
    affected: dict[int, list[dict[str, Any]]] = defaultdict(list)
    versions = DocumentVersion.objects.filter(
        blob__sha256__in=list(status_of), purged_at__isnull=True
    ).select_related("document", "blob")
    if only is not None:
        versions = versions.filter(document__organization_id=only)
    for version in versions:
        affected[version.document.organization_id].append(
            {
                "document": version.document_id,
                "title": version.document.title,
                "version": version.number,
                "file": version.original_name,
                "sha256": version.blob.sha256,
                "status": status_of[version.blob.sha256],
            }
        )
    for org, documents in sorted(affected.items()):
        audit_record(
            action="evidence.integrity_problem",
            actor=actor,
            organization=org,
            object_type="evidence.verificationrun",
            object_id="",
            object_repr="evidence verification",
            after={"documents": documents},
        )


def last_verification(organization_id: int) -> VerificationRun | None:
    """The latest finished run that covered the organization's documents."""
    return (
        VerificationRun.objects.filter(finished_at__isnull=False)
        .filter(Q(organization__isnull=True) | Q(organization_id=organization_id))
        .first()
    )


def problems_for(run: VerificationRun, organization_id: int) -> list[DocumentVersion]:
    """The organization's versions whose content the run found missing or altered."""
    hashes = [p["sha256"] for p in run.problems]
    return list(
        DocumentVersion.objects.filter(
            blob__sha256__in=hashes, document__organization_id=organization_id
        ).select_related("document", "blob")
    )


def verification_start(*, organization: Any, actor: Any) -> Any:
    """Queue a verification of the organization's documents (an admin's button)."""
    return job_enqueue(
        kind=JobKind.EVIDENCE_VERIFY,
        organization=organization,
        actor=actor,
        params={"organization": int(getattr(organization, "pk", organization))},
        coalesce=True,
    )
