"""Reading the locker: lists with filters, search over content, metadata and linked
records, and the names of what documents are linked to."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from chainproof.domain.evidence.categories import CATEGORY_BY_CODE
from chainproof.evidence.models import (
    Document,
    DocumentCategory,
    DocumentLink,
    DocumentVersion,
    VersionText,
)
from chainproof.fileformats.extract import passage
from chainproof.suppliers.models import Facility, Material, Product, Supplier, SupplyLink

_TARGETS: dict[str, tuple[Any, str, str]] = {
    # target type: (model, the field that names it, the page that shows it)
    DocumentLink.Target.SUPPLIER: (Supplier, "legal_name", "suppliers:supplier"),
    DocumentLink.Target.FACILITY: (Facility, "name", "suppliers:facility"),
    DocumentLink.Target.PRODUCT: (Product, "name", "suppliers:product"),
    DocumentLink.Target.MATERIAL: (Material, "name", ""),
    DocumentLink.Target.LINK: (SupplyLink, "", ""),
}


def documents_for(
    organization_id: int,
    *,
    q: str = "",
    category: str = "",
    record_type: str = "",
    status: str = "",
    target_type: str = "",
    target_id: int | None = None,
    deleted: bool = False,
    expires_within: int | None = None,
    today: date | None = None,
) -> QuerySet[Document]:
    """The organization's documents, newest first; ``q`` matches the metadata, the file
    name, the words inside the current versions and the names of linked records;
    ``expires_within`` keeps those valid until a day from today to that many days ahead."""
    documents = Document.objects.filter(
        organization_id=organization_id, deleted_at__isnull=not deleted
    )
    if expires_within is not None:
        start = today or timezone.localdate()
        documents = documents.filter(
            valid_until__gte=start, valid_until__lte=start + timedelta(days=expires_within)
        )
    if category:
        documents = documents.filter(categories__code=category)
    if record_type:
        documents = documents.filter(record_type=record_type)
    if status:
        documents = documents.filter(status=status)
    if target_type:
        links = DocumentLink.objects.filter(document=OuterRef("pk"), target_type=target_type)
        if target_id is not None:
            links = links.filter(target_id=target_id)
        documents = documents.filter(Exists(links))
    if q:
        documents = documents.filter(_matching(organization_id, q))
    if category or q:  # joins that can repeat a document; otherwise an index gives the order
        documents = documents.distinct()
    return (
        documents.select_related("created_by")
        .prefetch_related(
            "categories",
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("blob").order_by("-number"),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def _matching(organization_id: int, q: str) -> Q:
    words = [w for w in unicodedata.normalize("NFKC", q).split() if w]
    condition = Q()
    for word in words:
        in_text = VersionText.objects.filter(version__document=OuterRef("pk"), text__icontains=word)
        linked = _linked_named(organization_id, word)
        condition &= (
            Q(title__icontains=word)
            | Q(issuer__icontains=word)
            | Q(notes__icontains=word)
            | Q(versions__original_name__icontains=word)
            | Q(versions__blob__sha256__startswith=word.lower())
            | Exists(in_text)
            | Q(pk__in=linked)
        )
    return condition


def _linked_named(organization_id: int, word: str) -> QuerySet[DocumentLink, Any]:
    """Documents linked to a supplier or worksite whose name contains the word."""
    suppliers = Supplier.objects.filter(organization_id=organization_id).filter(
        Q(legal_name__icontains=word) | Q(native_name__icontains=word)
    )
    facilities = Facility.objects.filter(organization_id=organization_id).filter(
        Q(name__icontains=word) | Q(native_name__icontains=word)
    )
    products = Product.objects.filter(organization_id=organization_id, name__icontains=word)
    return (
        DocumentLink.objects.filter(organization_id=organization_id)
        .filter(
            Q(target_type="supplier", target_id__in=suppliers.values("pk"))
            | Q(target_type="facility", target_id__in=facilities.values("pk"))
            | Q(target_type="product", target_id__in=products.values("pk"))
        )
        .values("document_id")
    )


@dataclass(frozen=True)
class Found:
    document: Document
    passage: str  # where the words are, in the text or the metadata


def search(organization_id: int, q: str, *, limit: int = 100) -> list[Found]:
    """Documents matching every word of ``q``, each with the passage that matched."""
    documents = list(documents_for(organization_id, q=q)[:limit])
    texts: dict[int, str] = {}
    words = [w for w in unicodedata.normalize("NFKC", q).split() if w]
    if documents and words:
        rows = VersionText.objects.filter(
            version__document__in=[d.pk for d in documents], text__icontains=words[0]
        ).values_list("version__document_id", "text")
        for document_id, text in rows:
            texts.setdefault(document_id, text)
    found = []
    for document in documents:
        text = texts.get(document.pk, "")
        shown = (passage(text, words[0]) if text and words else None) or _metadata_passage(
            document, words
        )
        found.append(Found(document, shown))
    return found


def _metadata_passage(document: Document, words: list[str]) -> str:
    for value in (document.title, document.issuer, document.notes):
        for word in words:
            if value and word.casefold() in value.casefold():
                return passage(value, word) or value[:160]
    return ""


@dataclass(frozen=True)
class LinkedRecord:
    link: DocumentLink
    label: str  # "Supplier", "Worksite"
    name: str
    url: str


def linked_records(links: list[DocumentLink]) -> list[LinkedRecord]:
    """Each link with the name of what it points to and where that is shown."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for link in links:
        by_type[link.target_type].add(link.target_id)
    names: dict[tuple[str, int], str] = {}
    for kind, ids in by_type.items():
        target = _TARGETS.get(kind)
        if target is None:
            continue
        model, field, _ = target
        for obj in model.objects.filter(pk__in=ids):
            names[(kind, obj.pk)] = getattr(obj, field) if field else str(obj)
    records = []
    for link in links:
        kind = link.target_type
        if kind == DocumentLink.Target.ANSWER:
            name = f"request {link.target_id}, question {link.question}"
            url = reverse("questionnaires:request", args=[link.target_id])
        else:
            name = names.get((kind, link.target_id), f"{kind} {link.target_id} (removed)")
            view = _TARGETS[kind][2]
            url = reverse(view, args=[link.target_id]) if view else ""
        records.append(LinkedRecord(link, link.get_target_type_display(), name, url))
    return records


def category_labels(document: Document) -> list[str]:
    return [
        CATEGORY_BY_CODE[c.code].label
        for c in document.categories.all()
        if c.code in CATEGORY_BY_CODE
    ]


def document_counts(organization_id: int) -> dict[str, int]:
    live = Document.objects.filter(organization_id=organization_id, deleted_at__isnull=True)
    counts = {status.label: 0 for status in Document.Status}
    for status in live.values_list("status", flat=True):
        counts[Document.Status(status).label] += 1
    return counts


def documents_linked_to(
    organization_id: int, target_type: str, target_id: int
) -> QuerySet[Document]:
    return documents_for(organization_id, target_type=target_type, target_id=target_id)


def category_rows(document: Document) -> list[DocumentCategory]:
    return list(document.categories.all())
