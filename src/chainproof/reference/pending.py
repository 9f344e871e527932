"""Updates checked on the reference-data page and kept until an administrator loads or
discards them: the new edition (in chainproof's layout, with its SHA-256) and its diff
against the edition in force are stored server-side, so what is loaded is exactly what
was shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from chainproof.audit.services import audit_record
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.refdata_diff import EditionDiff
from chainproof.reference.models import Dataset, PendingUpdate
from chainproof.reference.selectors import current_dataset
from chainproof.reference.services import DatasetFile
from chainproof.reference.updates import UpdateError, UpdatePlan, update_load


def pending_create(plan: UpdatePlan, *, organization: Any, actor: Any) -> PendingUpdate:
    spec = plan.spec
    with transaction.atomic():
        pending = PendingUpdate.objects.create(
            kind=plan.kind,
            organization=organization,
            edition=spec.edition,
            as_of=spec.as_of,
            source=spec.source,
            file_name=spec.file_name,
            data=spec.data,
            sha256=sha256_bytes(spec.data),
            row_count=plan.diff.new_count,
            notes="\n".join(plan.notes),
            related=[
                {
                    "kind": f.kind,
                    "file_name": f.file_name,
                    "edition": f.edition,
                    "as_of": f.as_of.isoformat(),
                    "source": f.source,
                    "csv": f.data.decode("utf-8"),
                }
                for f in plan.related
            ],
            diff=plan.diff.as_dict(),
            based_on=plan.current,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            action="reference.update_checked",
            actor=actor,
            organization=organization,
            obj=pending,
            after={
                "kind": pending.kind,
                "edition": pending.edition,
                "sha256": pending.sha256,
                "source": pending.source,
                "counts": plan.diff.counts(),
            },
        )
    return pending


def pending_diff(pending: PendingUpdate) -> EditionDiff:
    return EditionDiff.from_dict(pending.diff)


def _decide(pending: PendingUpdate) -> PendingUpdate:
    locked = PendingUpdate.objects.select_for_update().get(pk=pending.pk)
    if locked.status != PendingUpdate.Status.PENDING:
        raise UpdateError(f"This update was already {locked.get_status_display().lower()}.")
    return locked


def pending_load(pending: PendingUpdate, *, actor: Any) -> Dataset:
    """Load the stored edition for the organization, if the edition it was compared with
    is still the one in force (else the diff shown is stale: check again)."""
    with transaction.atomic():
        pending = _decide(pending)
        if sha256_bytes(bytes(pending.data)) != pending.sha256:
            raise UpdateError("The stored file no longer matches its SHA-256; check again.")
        in_force = current_dataset(pending.kind, pending.organization_id)
        if in_force != pending.based_on:
            raise UpdateError(
                "Another edition was loaded since this update was checked, so its diff is "
                "out of date; nothing was loaded. Check for updates again."
            )
        spec = DatasetFile(
            kind=pending.kind,
            file_name=pending.file_name,
            data=bytes(pending.data),
            edition=pending.edition,
            as_of=pending.as_of,
            source=pending.source,
            notes=pending.notes,
        )
        related = [
            DatasetFile(
                kind=r["kind"],
                file_name=r["file_name"],
                data=r["csv"].encode("utf-8"),
                edition=r["edition"],
                as_of=date.fromisoformat(r["as_of"]),
                source=r["source"],
            )
            for r in pending.related
        ]
        plan = UpdatePlan(
            pending.kind, spec, pending_diff(pending), pending.based_on, related=related
        )
        outcome = update_load(plan, organization=pending.organization, actor=actor)
        pending.status = PendingUpdate.Status.LOADED
        pending.loaded = outcome.dataset
        pending.save(update_fields=["status", "loaded"])
        audit_record(
            action="reference.update_loaded",
            actor=actor,
            organization=pending.organization,
            obj=pending,
            before={"status": PendingUpdate.Status.PENDING},
            after={"status": pending.status, "dataset": outcome.dataset.pk},
        )
        return outcome.dataset


def pending_discard(pending: PendingUpdate, *, actor: Any) -> None:
    with transaction.atomic():
        pending = _decide(pending)
        pending.status = PendingUpdate.Status.DISCARDED
        pending.data = b""
        pending.save(update_fields=["status", "data"])
        audit_record(
            action="reference.update_discarded",
            actor=actor,
            organization=pending.organization,
            obj=pending,
            before={"status": PendingUpdate.Status.PENDING},
            after={"status": pending.status},
        )
