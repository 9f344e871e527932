"""Loading many files at once (``chainproof evidence add`` with many files): the checks
of ``documents.document_create`` once for the batch, then one statement per table and one
append to the audit chain, with an event per document as ``document_create`` writes it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from chainproof.audit.services import audit_record_many, snapshot
from chainproof.domain.evidence.categories import SUGGESTED_CATEGORIES
from chainproof.evidence.documents import (
    LinkTarget,
    check_targets,
    clean_categories,
    clean_metadata,
    title_from,
)
from chainproof.evidence.models import (
    Blob,
    Document,
    DocumentCategory,
    DocumentLink,
    DocumentVersion,
)
from chainproof.evidence.receiving import Received
from chainproof.jobs.recompute import documents_stored


def documents_create_many(
    *,
    organization: Any,
    actor: Any,
    received: list[Received],
    metadata: dict[str, Any] | None = None,
    categories: Iterable[str] | None = None,
    links: Iterable[LinkTarget] = (),
) -> list[Document]:
    """Many stored files as new documents with the same details (a bulk load from the
    CLI): the checks of ``document_create`` once, then one statement per table and one
    append to the audit chain, an event per document as ``document_create`` writes it."""
    if not received:
        return []
    org = int(getattr(organization, "pk", organization))
    base = dict(metadata or {})
    details = [clean_metadata({"title": title_from(r.original_name), **base}) for r in received]
    record_type = details[0].get("record_type", "other")
    codes = clean_categories(
        categories if categories is not None else SUGGESTED_CATEGORIES.get(record_type, ())
    )
    targets = list(dict.fromkeys(check_targets(org, links)))
    person = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    documents = Document.objects.bulk_create(
        [
            Document(
                organization_id=org,
                created_by=person,
                created_at=now,
                updated_at=now,
                status=Document.Status.IN_REVIEW,
                **cleaned,
            )
            for cleaned in details
        ]
    )
    DocumentCategory.objects.bulk_create(
        [DocumentCategory(document=d, code=code) for d in documents for code in codes]
    )
    DocumentLink.objects.bulk_create(
        [
            DocumentLink(
                organization_id=org,
                document=d,
                target_type=t.target_type,
                target_id=t.target_id,
                question=t.question,
                created_by=person,
            )
            for d in documents
            for t in targets
        ]
    )
    blobs = _blobs_for(received)
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                number=1,
                blob=blobs[r.sha256],
                original_name=r.original_name,
                content_type=r.content_type,
                extension=r.extension,
                size=r.size,
                warnings=list(r.warnings),
                uploaded_by=person,
            )
            for d, r in zip(documents, received, strict=True)
        ]
    )
    documents_stored(org, [v.pk for v in versions], actor=actor)
    audit_record_many(
        organization=org,
        actor=actor,
        entries=[
            {
                "action": "evidence.document_created",
                "object_type": Document._meta.label_lower,
                "object_id": d.pk,
                "object_repr": str(d),
                "after": {
                    **snapshot(d, ["title", "record_type", "status", "language", "valid_until"]),
                    "categories": codes,
                    "links": [f"{t.target_type}:{t.target_id}" for t in targets],
                    "file": r.original_name,
                    "sha256": r.sha256,
                    "size": r.size,
                    "warnings": list(r.warnings),
                    "version": 1,
                },
            }
            for d, r in zip(documents, received, strict=True)
        ],
    )
    return documents


def _blobs_for(received: list[Received]) -> dict[str, Blob]:
    """The blob of each content, made once for the contents not known yet."""
    wanted = {r.sha256: r for r in received}
    found = {b.sha256: b for b in Blob.objects.filter(sha256__in=list(wanted))}
    Blob.objects.bulk_create(
        [
            Blob(sha256=sha, size=r.size, content_type=r.content_type, backend=r.backend)
            for sha, r in wanted.items()
            if sha not in found
        ],
        ignore_conflicts=True,  # stored by someone else in the meantime: the same content
    )
    found = {b.sha256: b for b in Blob.objects.filter(sha256__in=list(wanted))}
    purged = [b for b in found.values() if b.purged_at is not None]
    for blob in purged:  # the same bytes arrived again after a purge
        blob.purged_at = None
        blob.status = Blob.Status.UNVERIFIED
    Blob.objects.bulk_update(purged, ["purged_at", "status"])
    return found
