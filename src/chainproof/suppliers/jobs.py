"""Background work for the supply chain: file imports and tier recomputation."""

from __future__ import annotations

from typing import Any

from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import Progress, handler, job_enqueue
from chainproof.jobs.uploads import read_upload, store_upload
from chainproof.suppliers.graph import tiers_recompute
from chainproof.suppliers.importing import ImportFailed, run_import


def import_request(
    *,
    organization: Any,
    actor: Any,
    entity: str,
    upload: Any,
    dry_run: bool,
    mapping: str = "auto",
    import_valid: bool = False,
) -> Job:
    """Keep the uploaded file and queue its import (the caller's transaction): the same
    import as ``chainproof import``, with its mapping and ``import_valid``."""
    return job_enqueue(
        kind=JobKind.SUPPLIERS_IMPORT,
        organization=organization,
        actor=actor,
        params={
            "entity": entity,
            "path": store_upload(upload),
            "file_name": upload.name,
            "dry_run": dry_run,
            "mapping": mapping,
            "import_valid": import_valid,
        },
    )


@handler(JobKind.SUPPLIERS_IMPORT)
def import_job(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    data = read_upload(job)
    try:
        report = run_import(
            organization=job.organization_id,
            actor=job.created_by,
            entity=params["entity"],
            data=data,
            file_name=params["file_name"],
            dry_run=params.get("dry_run", False),
            progress=progress,
            mapping=params.get("mapping") or "auto",
            import_valid=bool(params.get("import_valid")),
            origin="job",
        )
    except ImportFailed as exc:
        return {
            "ok": False,
            "message": f"{exc.source}: nothing was imported.",
            "errors": [e.as_dict() for e in exc.errors],
            "total_errors": exc.total,
        }
    return {"ok": True, **report.as_dict()}


@handler(JobKind.SUPPLIERS_TIERS)
def tiers_job(job: Job, progress: Progress) -> dict[str, Any]:
    if job.organization_id is None:
        raise ValueError("a tier job needs an organization")
    progress(0, None, "computing tiers")
    return tiers_recompute(organization_id=job.organization_id)
