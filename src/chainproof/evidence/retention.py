"""Legal holds and purging: the only way stored bytes ever leave the locker.

A deleted document keeps its bytes for ``EVIDENCE_RETENTION_DAYS``; after that an admin may
purge them, unless a legal hold covers the document itself or a supplier it is linked to.
A content shared with a document that is still live (the same bytes uploaded twice, in any
organization) is never removed from the store: only the version's claim on it ends.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.blobs import blob_store
from chainproof.evidence.models import Blob, Document, DocumentLink, DocumentVersion, LegalHold
from chainproof.suppliers.models import Supplier

_HOLD_MODELS: dict[str, Any] = {
    LegalHold.Target.DOCUMENT: Document,
    LegalHold.Target.SUPPLIER: Supplier,
}


def legal_hold_place(
    *, organization: Any, actor: Any, target_type: str, target_id: int, reason: str
) -> LegalHold:
    org = int(getattr(organization, "pk", organization))
    model = _HOLD_MODELS.get(target_type)
    if model is None:
        raise ValidationError(
            {"target_type": f"Expected document or supplier, found {target_type!r}."}
        )
    if not model.objects.filter(organization_id=org, pk=target_id).exists():
        raise ValidationError({"target_id": f"No {target_type} {target_id} in your organization."})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the hold is placed (a case, a request)."})
    hold = LegalHold.objects.create(
        organization_id=org,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        placed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="evidence.hold_placed",
        actor=actor,
        organization=org,
        obj=hold,
        after={"target": f"{target_type}:{target_id}", "reason": reason},
    )
    return hold


def legal_hold_release(*, hold: LegalHold, actor: Any) -> LegalHold:
    if hold.released_at is not None:
        raise ValidationError("This hold was released already.")
    hold.released_at = timezone.now()
    hold.released_by = actor if getattr(actor, "is_authenticated", False) else None
    hold.save(update_fields=["released_at", "released_by"])
    audit_record(
        action="evidence.hold_released",
        actor=actor,
        organization=hold.organization_id,
        obj=hold,
        after={"target": f"{hold.target_type}:{hold.target_id}"},
    )
    return hold


def holds_on(document: Document) -> QuerySet[LegalHold]:
    """The holds in force that cover a document (on itself or a linked supplier)."""
    suppliers = DocumentLink.objects.filter(
        document=document, target_type=DocumentLink.Target.SUPPLIER
    ).values_list("target_id", flat=True)
    return LegalHold.objects.filter(
        Q(target_type=LegalHold.Target.DOCUMENT, target_id=document.pk)
        | Q(target_type=LegalHold.Target.SUPPLIER, target_id__in=list(suppliers)),
        organization_id=document.organization_id,
        released_at__isnull=True,
    )


def purge_blockers(document: Document, now: Any = None) -> list[str]:
    """Why a document's bytes may not be purged now (empty: they may)."""
    reasons: list[str] = []
    if document.deleted_at is None:
        reasons.append("it is not deleted")
    else:
        until = document.deleted_at + timedelta(days=settings.EVIDENCE_RETENTION_DAYS)
        if (now or timezone.now()) < until:
            reasons.append(f"it is kept until {until:%Y-%m-%d} (retention period)")
    for hold in holds_on(document):
        reasons.append(f"a legal hold on the {hold.target_type} ({hold.reason})")
    return reasons


def document_purge(*, document: Document, actor: Any, now: Any = None) -> int:
    """Remove the bytes of a deleted document's versions from the store (admin only, after
    the retention period, with no hold); the records and the audit trail stay. Returns how
    many stored contents were removed."""
    blockers = purge_blockers(document, now)
    if blockers:
        raise ValidationError(f"{document.title} cannot be purged: " + "; ".join(blockers) + ".")
    versions = list(document.versions.select_related("blob"))
    removed = 0
    store = blob_store()
    now = timezone.now()
    for version in versions:
        if version.purged_at is not None:
            continue
        version.purged_at = now
        version.save(update_fields=["purged_at"])
        blob = version.blob
        # Bytes another version still claims (this or another organization's) stay.
        if DocumentVersion.objects.filter(blob=blob, purged_at__isnull=True).exists():
            continue
        store.delete(blob.sha256)
        blob.purged_at = now
        blob.status = Blob.Status.PURGED
        blob.save(update_fields=["purged_at", "status"])
        removed += 1
    audit_record(
        action="evidence.document_purged",
        actor=actor,
        organization=document.organization_id,
        obj=document,
        after={
            "versions": [v.number for v in versions],
            "sha256": [v.blob.sha256 for v in versions],
            "removed_from_store": removed,
        },
    )
    return removed
