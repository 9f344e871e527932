"""REST endpoints of the evidence locker: list and search documents, upload (multipart),
new versions, metadata, review, links, deletion, downloads, and the last verification.
Reads need the viewer role, writes the analyst role; supplier contacts have no access."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from chainproof.accounts.access import api_member, get_for_member
from chainproof.accounts.roles import Role
from chainproof.common.api_inputs import BodyIn, Id, Pages
from chainproof.evidence import selectors
from chainproof.evidence.delivery import FileUnavailable, version_response
from chainproof.evidence.documents import (
    document_create,
    document_delete,
    document_link_add,
    document_review,
    document_update,
    document_version_add,
)
from chainproof.evidence.models import Document, DocumentVersion
from chainproof.evidence.receiving import file_receive
from chainproof.evidence.targets import targets_parse
from chainproof.evidence.verification import last_verification, problems_for

router = Router(tags=["evidence"])
_LEFT_OUT: Any = Field(None)


class DocumentVersionOut(Schema):
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    text_status: str
    warnings: list[str]
    integrity: str = Field(description="The last verification's finding for the stored file")

    @staticmethod
    def resolve_sha256(obj: DocumentVersion) -> str:
        return obj.blob.sha256

    @staticmethod
    def resolve_integrity(obj: DocumentVersion) -> str:
        return obj.blob.status


class DocumentLinkOut(Schema):
    target_type: str
    target_id: int
    question: str


class DocumentOut(Schema):
    id: int
    title: str
    record_type: str
    categories: list[str]
    language: str
    issuer: str
    document_date: date | None
    valid_from: date | None
    valid_until: date | None
    translation_of: int | None
    status: str
    review_comment: str
    notes: str
    created_at: datetime
    deleted: bool
    versions: list[DocumentVersionOut]
    links: list[DocumentLinkOut]

    @staticmethod
    def resolve_categories(obj: Document) -> list[str]:
        return [c.code for c in obj.categories.all()]

    @staticmethod
    def resolve_translation_of(obj: Document) -> int | None:
        return obj.translation_of_id

    @staticmethod
    def resolve_deleted(obj: Document) -> bool:
        return obj.is_deleted

    @staticmethod
    def resolve_versions(obj: Document) -> list[DocumentVersion]:
        return sorted(obj.versions.all(), key=lambda v: -v.number)

    @staticmethod
    def resolve_links(obj: Document) -> list[Any]:
        return list(obj.links.all())


class FoundOut(Schema):
    document: DocumentOut
    passage: str


class DocumentFilters(Schema):
    q: str = Field("", max_length=200)
    category: str = Field("", max_length=40)
    record_type: str = Field("", max_length=40)
    status: str = Field("", max_length=12)
    target_type: str = Field("", max_length=10)
    target_id: Id | None = None


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200, description="Words to find")


class UploadIn(Schema):
    """The form fields sent with a file; all optional."""

    title: str = Field("", max_length=300)
    record_type: str = Field("other", max_length=40)
    categories: str = Field("", max_length=2000, description="Comma-separated category codes")
    language: str = Field("", max_length=8)
    issuer: str = Field("", max_length=300)
    document_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    links: str = Field("", max_length=2000, description="Records as type:id, comma-separated")


class DocumentPatch(BodyIn):
    title: str = _LEFT_OUT
    record_type: str = _LEFT_OUT
    categories: list[str] = _LEFT_OUT
    language: str = _LEFT_OUT
    issuer: str = _LEFT_OUT
    document_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    notes: str = _LEFT_OUT
    translation_of: Id | None = Field(None, description="The original's document number")


class ReviewIn(BodyIn):
    status: str = Field(max_length=12)
    comment: str = Field("", max_length=5000)


class DeleteIn(BodyIn):
    reason: str = Field(min_length=1, max_length=5000)


class LinksIn(BodyIn):
    links: list[str] = Field(
        min_length=1, max_length=200, description="Records as type:id (supplier:12)"
    )


class VerificationOut(Schema):
    finished_at: datetime | None
    scope: str
    checked: int
    problems: list[DocumentVersionOut]


def _documents() -> QuerySet[Document]:
    return Document.objects.prefetch_related("categories", "links", "versions__blob")


@router.get("/documents", response=list[DocumentOut])
@paginate(Pages)
def documents(request: HttpRequest, filters: Query[DocumentFilters]) -> Any:
    membership = api_member(request)
    return selectors.documents_for(membership.organization_id, **filters.dict()).prefetch_related(
        "links"
    )


@router.get("/search", response=list[FoundOut])
def search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """Documents matching every word, in their content (any script), metadata or linked
    records, each with the passage that matched."""
    membership = api_member(request)
    return [
        {"document": f.document, "passage": f.passage}
        for f in selectors.search(membership.organization_id, query.q)
    ]


@router.get("/documents/{document_id}", response=DocumentOut)
def document(request: HttpRequest, document_id: Id) -> Document:
    return get_for_member(api_member(request), _documents(), pk=document_id)


@router.post("/documents", response={201: DocumentOut})
def document_upload(
    request: HttpRequest, file: File[UploadedFile], meta: Form[UploadIn]
) -> Status[Document]:
    """One file as a new document (multipart/form-data: ``file`` and optional fields)."""
    membership = api_member(request, Role.ANALYST)
    data = meta.dict()
    categories = [c for c in data.pop("categories").split(",") if c.strip()] or None
    links = targets_parse(membership.organization_id, data.pop("links"))
    metadata = {k: v for k, v in data.items() if v not in ("", None)}
    received = file_receive(file, file.name or "unnamed")
    with transaction.atomic():
        created = document_create(
            organization=membership.organization_id,
            actor=membership.user,
            received=received,
            metadata=metadata,
            categories=categories,
            links=links,
        )
    return Status(201, get_for_member(membership, _documents(), pk=created.pk))


@router.post("/documents/{document_id}/versions", response={201: DocumentOut})
def version_upload(
    request: HttpRequest, document_id: Id, file: File[UploadedFile]
) -> Status[Document]:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Document, pk=document_id)
    received = file_receive(file, file.name or "unnamed")
    with transaction.atomic():
        document_version_add(document=existing, actor=membership.user, received=received)
    return Status(201, get_for_member(membership, _documents(), pk=document_id))


@router.patch("/documents/{document_id}", response=DocumentOut)
def document_patch(request: HttpRequest, document_id: Id, payload: DocumentPatch) -> Document:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Document, pk=document_id)
    data = payload.dict(exclude_unset=True)
    categories = data.pop("categories", None)
    with transaction.atomic():
        document_update(
            document=existing, actor=membership.user, metadata=data, categories=categories
        )
    return get_for_member(membership, _documents(), pk=document_id)


@router.post("/documents/{document_id}/review", response=DocumentOut)
def review(request: HttpRequest, document_id: Id, payload: ReviewIn) -> Document:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Document, pk=document_id)
    with transaction.atomic():
        document_review(
            document=existing,
            actor=membership.user,
            status=payload.status,
            comment=payload.comment,
        )
    return get_for_member(membership, _documents(), pk=document_id)


@router.post("/documents/{document_id}/links", response=DocumentOut)
def links(request: HttpRequest, document_id: Id, payload: LinksIn) -> Document:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Document, pk=document_id)
    with transaction.atomic():
        document_link_add(
            document=existing,
            actor=membership.user,
            targets=targets_parse(membership.organization_id, " ".join(payload.links)),
        )
    return get_for_member(membership, _documents(), pk=document_id)


@router.post("/documents/{document_id}/delete", response=DocumentOut)
def delete(request: HttpRequest, document_id: Id, payload: DeleteIn) -> Document:
    """A tombstone with a reason: the record and its files stay until purged."""
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Document, pk=document_id)
    with transaction.atomic():
        document_delete(document=existing, actor=membership.user, reason=payload.reason)
    return get_for_member(membership, _documents(), pk=document_id)


@router.get(
    "/documents/{document_id}/versions/{number}/content",
    response={200: bytes},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The stored file, with its original name",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def content(request: HttpRequest, document_id: Id, number: Id) -> Any:
    membership = api_member(request)
    existing = get_for_member(membership, Document, pk=document_id)
    version = get_for_member(
        membership,
        DocumentVersion.objects.select_related("blob"),
        field="document__organization",
        document=existing,
        number=number,
    )
    try:
        return version_response(version)
    except FileUnavailable as gone:
        raise HttpError(gone.status, gone.message) from None


@router.get("/verification", response=VerificationOut | None)
def verification(request: HttpRequest) -> Any:
    membership = api_member(request)
    run = last_verification(membership.organization_id)
    if run is None:
        return None
    return {
        "finished_at": run.finished_at,
        "scope": "your documents" if run.organization_id else "every stored file",
        "checked": run.checked,
        "problems": problems_for(run, membership.organization_id),
    }
