"""Writing evidence documents: create, new version, metadata, review, links, tombstone.

Every function runs in the caller's transaction and writes its audit event there; the text
of new versions is read afterwards by a background job (``jobs.recompute.documents_stored``).
A document is never overwritten: a new file is a new version, a deletion a tombstone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from chainproof.audit.services import audit_record, snapshot
from chainproof.domain.evidence.categories import (
    LANGUAGES,
    RECORD_TYPE_LABELS,
    SUGGESTED_CATEGORIES,
    category_codes,
)
from chainproof.evidence.models import (
    Blob,
    Document,
    DocumentCategory,
    DocumentLink,
    DocumentVersion,
)
from chainproof.jobs.recompute import documents_stored
from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink

if TYPE_CHECKING:
    from chainproof.evidence.receiving import Received

_TARGET_MODELS = {
    DocumentLink.Target.SUPPLIER: Supplier,
    DocumentLink.Target.FACILITY: Facility,
    DocumentLink.Target.PRODUCT: Product,
    DocumentLink.Target.MATERIAL: Material,
    DocumentLink.Target.LINK: SupplyLink,
}
_LANGUAGE_CODES = {code for code, _ in LANGUAGES}
_REVIEW_STATUSES = {
    Document.Status.DRAFT,
    Document.Status.IN_REVIEW,
    Document.Status.ACCEPTED,
    Document.Status.REJECTED,
}
METADATA_FIELDS = (
    "title",
    "record_type",
    "language",
    "issuer",
    "document_date",
    "valid_from",
    "valid_until",
    "notes",
)


@dataclass(frozen=True)
class LinkTarget:
    """A record a document is linked to (``question`` only for a questionnaire answer)."""

    target_type: str
    target_id: int
    question: str = ""


def _org_id(organization: Any) -> int:
    return int(getattr(organization, "pk", organization))


def _date(field: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: f"Expected a date (YYYY-MM-DD), found {value!r}."}) from None


def clean_metadata(values: dict[str, Any], current: Document | None = None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in METADATA_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field in ("document_date", "valid_from", "valid_until"):
            try:
                cleaned[field] = _date(field, value)
            except ValidationError as exc:
                errors[field] = exc.message_dict[field][0]
            continue
        text = "" if value is None else str(value).strip()
        if field == "title" and not text:
            errors[field] = "Expected a title, found nothing."
        elif (field == "title" and len(text) > 300) or (field == "issuer" and len(text) > 300):
            errors[field] = f"Expected at most 300 characters, found {len(text)}."
        elif field == "record_type" and text not in RECORD_TYPE_LABELS:
            errors[field] = (
                f"Expected one of {', '.join(RECORD_TYPE_LABELS)}, found {text or 'nothing'!r}."
            )
        elif field == "language" and text and text not in _LANGUAGE_CODES:
            errors[field] = (
                f"Expected a language code ({', '.join(sorted(_LANGUAGE_CODES))}), found {text!r}."
            )
        cleaned[field] = text
    start = cleaned.get("valid_from", getattr(current, "valid_from", None))
    end = cleaned.get("valid_until", getattr(current, "valid_until", None))
    if start and end and end < start and "valid_until" not in errors:
        errors["valid_until"] = (
            f"Expected a date on or after the valid-from date {start}, found {end}."
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_categories(codes: Iterable[str]) -> list[str]:
    try:
        return category_codes([str(c).strip() for c in codes if str(c).strip()])
    except ValueError as exc:
        raise ValidationError({"categories": f"{str(exc)[0].upper()}{str(exc)[1:]}."}) from None


def check_targets(organization_id: int, targets: Iterable[LinkTarget]) -> list[LinkTarget]:
    """Each target must be a record of the organization (another organization's id is
    refused as if it did not exist)."""
    checked: list[LinkTarget] = []
    for target in targets:
        kind = str(target.target_type)
        if kind == DocumentLink.Target.ANSWER:
            checked.append(target)  # questionnaires check their own requests
            continue
        model = _TARGET_MODELS.get(kind)  # type: ignore[call-overload]
        if model is None:
            raise ValidationError(
                {
                    "links": "Expected a supplier, facility, product, material or link, "
                    f"found {kind!r}."
                }
            )
        if not model.objects.filter(organization_id=organization_id, pk=target.target_id).exists():
            label = DocumentLink.Target(kind).label.lower()
            raise ValidationError({"links": f"No {label} {target.target_id} in your organization."})
        checked.append(LinkTarget(kind, int(target.target_id), ""))
    return checked


def _blob_for(received: Received) -> Blob:
    blob, _ = Blob.objects.get_or_create(
        sha256=received.sha256,
        defaults={
            "size": received.size,
            "content_type": received.content_type,
            "backend": received.backend,
        },
    )
    if blob.purged_at is not None:  # the same bytes arrived again after a purge
        blob.purged_at = None
        blob.status = Blob.Status.UNVERIFIED
        blob.save(update_fields=["purged_at", "status"])
    return blob


def _version_create(
    document: Document, received: Received, actor: Any, number: int
) -> DocumentVersion:
    version = DocumentVersion.objects.create(
        document=document,
        number=number,
        blob=_blob_for(received),
        original_name=received.original_name,
        content_type=received.content_type,
        extension=received.extension,
        size=received.size,
        warnings=list(received.warnings),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    documents_stored(document.organization_id, [version.pk], actor=actor)
    return version


def title_from(file_name: str) -> str:
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return " ".join(stem.replace("_", " ").split())[:300] or file_name[:300]


def document_create(
    *,
    organization: Any,
    actor: Any,
    received: Received,
    metadata: dict[str, Any] | None = None,
    categories: Iterable[str] | None = None,
    links: Iterable[LinkTarget] = (),
    status: str = Document.Status.IN_REVIEW,
    translation_of: Document | None = None,
) -> Document:
    """A new document with its first version. Without categories, those its record type
    usually proves are suggested; without a title, the file's name gives one."""
    org = _org_id(organization)
    values = {"title": title_from(received.original_name), **(metadata or {})}
    cleaned = clean_metadata(values)
    record_type = cleaned.get("record_type", "other")
    codes = clean_categories(
        categories if categories is not None else SUGGESTED_CATEGORIES.get(record_type, ())
    )
    targets = check_targets(org, links)
    if translation_of is not None and translation_of.organization_id != org:
        raise ValidationError({"translation_of": "No such document in your organization."})
    if status not in _REVIEW_STATUSES:
        raise ValidationError({"status": f"Expected draft or in review, found {status!r}."})
    now = timezone.now()
    document = Document.objects.create(
        organization_id=org,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
        status=status,
        translation_of=translation_of,
        **cleaned,
    )
    DocumentCategory.objects.bulk_create(
        [DocumentCategory(document=document, code=code) for code in codes]
    )
    _links_add(document, targets, actor)
    version = _version_create(document, received, actor, 1)
    audit_record(
        action="evidence.document_created",
        actor=actor,
        organization=org,
        obj=document,
        after={
            **snapshot(document, ["title", "record_type", "status", "language", "valid_until"]),
            "categories": codes,
            "links": [f"{t.target_type}:{t.target_id}" for t in targets],
            "file": received.original_name,
            "sha256": received.sha256,
            "size": received.size,
            "warnings": list(received.warnings),
            "version": version.number,
        },
    )
    return document


def document_version_add(*, document: Document, actor: Any, received: Received) -> DocumentVersion:
    """A new file for a document; earlier versions stay, readable and verifiable."""
    _require_live(document)
    current = document.versions.select_related("blob").order_by("-number").first()
    if current is not None and current.blob.sha256 == received.sha256:
        raise ValidationError(
            {"file": f"{received.original_name} is the current version already (same SHA-256)."}
        )
    last = current.number if current is not None else 0
    version = _version_create(document, received, actor, last + 1)
    document.updated_at = timezone.now()
    if document.status in (Document.Status.ACCEPTED, Document.Status.REJECTED):
        document.status = Document.Status.IN_REVIEW  # a new file needs a new review
    document.save(update_fields=["updated_at", "status"])
    audit_record(
        action="evidence.version_added",
        actor=actor,
        organization=document.organization_id,
        obj=document,
        after={
            "version": version.number,
            "file": received.original_name,
            "sha256": received.sha256,
            "size": received.size,
            "status": document.status,
        },
    )
    return version


def _require_live(document: Document) -> None:
    if document.is_deleted:
        raise ValidationError("This document was deleted; its record is kept but not changed.")


def document_number(given: Any, field: str = "documents") -> int:
    """A document's number as people type it ("15" or "#15"); ValidationError otherwise."""
    text = str(getattr(given, "pk", given)).strip().removeprefix("#").strip()
    if not text.isdigit() or len(text) > 18:
        raise ValidationError(
            {field: f"Expected a document number such as 15, found {str(given)[:40]!r}."}
        )
    return int(text)


def document_numbers(given: Any, field: str = "documents") -> list[int]:
    """Several numbers, from a list or a text separated by commas or spaces."""
    parts = given.replace(",", " ").split() if isinstance(given, str) else list(given)
    return sorted({document_number(part, field) for part in parts if str(part).strip()})


def _translation_of(document: Document, given: Any) -> Document | None:
    """The document this one translates, by number: of the same organization, never itself
    nor one of its own translations."""
    if given in (None, ""):
        return None
    number = document_number(given, "translation_of")
    original = Document.objects.filter(
        organization_id=document.organization_id, pk=number, deleted_at__isnull=True
    ).first()
    if original is None:
        raise ValidationError({"translation_of": f"No document {number} in your organization."})
    if original.pk == document.pk or original.translation_of_id == document.pk:
        raise ValidationError(
            {"translation_of": f"Document {number} cannot be the original of this one."}
        )
    return original


def document_update(
    *,
    document: Document,
    actor: Any,
    metadata: dict[str, Any],
    categories: Iterable[str] | None = None,
) -> Document:
    _require_live(document)
    metadata = dict(metadata)
    translating = "translation_of" in metadata
    original = _translation_of(document, metadata.pop("translation_of", None))
    cleaned = clean_metadata(metadata, document)
    if translating:
        cleaned["translation_of"] = original
    before = {**snapshot(document, list(cleaned)), "categories": _codes(document)}
    for field, value in cleaned.items():
        setattr(document, field, value)
    if (
        document.status == Document.Status.EXPIRED
        and "valid_until" in cleaned
        and (cleaned["valid_until"] is None or cleaned["valid_until"] >= timezone.localdate())
    ):
        document.status = Document.Status.IN_REVIEW
        cleaned["status"] = document.status
    document.updated_at = timezone.now()
    document.save(update_fields=[*cleaned, "updated_at"])
    if categories is not None:
        codes = clean_categories(categories)
        document.categories.exclude(code__in=codes).delete()
        have = set(_codes(document))
        DocumentCategory.objects.bulk_create(
            [DocumentCategory(document=document, code=c) for c in codes if c not in have]
        )
    after = {**snapshot(document, list(cleaned)), "categories": _codes(document)}
    if after != before:
        audit_record(
            action="evidence.document_updated",
            actor=actor,
            organization=document.organization_id,
            obj=document,
            before=before,
            after=after,
        )
    return document


def _codes(document: Document) -> list[str]:
    return sorted(document.categories.values_list("code", flat=True))


def document_review(*, document: Document, actor: Any, status: str, comment: str = "") -> Document:
    """Accept or reject (or send back to review); rejecting needs a comment saying why."""
    _require_live(document)
    if status not in _REVIEW_STATUSES:
        raise ValidationError(
            {"status": f"Expected accepted, rejected, in_review or draft, found {status!r}."}
        )
    comment = (comment or "").strip()
    if status == Document.Status.REJECTED and not comment:
        raise ValidationError({"comment": "Say why the document is rejected."})
    before = snapshot(document, ["status", "review_comment"])
    document.status = status
    document.review_comment = comment
    document.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    document.reviewed_at = timezone.now()
    document.updated_at = document.reviewed_at
    document.save(
        update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"]
    )
    audit_record(
        action="evidence.document_reviewed",
        actor=actor,
        organization=document.organization_id,
        obj=document,
        before=before,
        after=snapshot(document, ["status", "review_comment"]),
    )
    return document


def _links_add(document: Document, targets: list[LinkTarget], actor: Any) -> list[DocumentLink]:
    existing = set(document.links.values_list("target_type", "target_id", "question"))
    new = [
        DocumentLink(
            organization_id=document.organization_id,
            document=document,
            target_type=t.target_type,
            target_id=t.target_id,
            question=t.question,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for t in dict.fromkeys(targets)
        if (t.target_type, t.target_id, t.question) not in existing
    ]
    return DocumentLink.objects.bulk_create(new)


def document_link_add(*, document: Document, actor: Any, targets: Iterable[LinkTarget]) -> int:
    _require_live(document)
    added = _links_add(document, check_targets(document.organization_id, targets), actor)
    if added:
        audit_record(
            action="evidence.links_added",
            actor=actor,
            organization=document.organization_id,
            obj=document,
            after={"links": [f"{link.target_type}:{link.target_id}" for link in added]},
        )
    return len(added)


def document_link_remove(*, document: Document, actor: Any, link: DocumentLink) -> None:
    _require_live(document)
    if link.document_id != document.pk:
        raise ValidationError("That link belongs to another document.")
    label = f"{link.target_type}:{link.target_id}"
    link.delete()
    audit_record(
        action="evidence.link_removed",
        actor=actor,
        organization=document.organization_id,
        obj=document,
        before={"link": label, "question": link.question},
    )


def document_delete(*, document: Document, actor: Any, reason: str) -> Document:
    """A tombstone: the document leaves lists and searches, its record, versions and bytes
    stay until an admin purges them after the retention period."""
    _require_live(document)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the document is deleted."})
    document.deleted_at = timezone.now()
    document.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    document.deletion_reason = reason
    document.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    audit_record(
        action="evidence.document_deleted",
        actor=actor,
        organization=document.organization_id,
        obj=document,
        after={"reason": reason},
    )
    return document
