"""The evidence locker's pages: list and search, upload (several files at once, one
request per file from the drop area), a document with its versions, links, review and
history, downloads and previews, and the integrity of the store."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.audit.selectors import audit_history_of
from chainproof.blobs import blob_store
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate
from chainproof.domain.evidence.categories import CATEGORIES, LANGUAGES, RECORD_TYPES
from chainproof.evidence import selectors
from chainproof.evidence.delivery import PREVIEWABLE, FileUnavailable, version_response
from chainproof.evidence.documents import (
    LinkTarget,
    document_create,
    document_delete,
    document_link_add,
    document_link_remove,
    document_review,
    document_update,
    document_version_add,
)
from chainproof.evidence.expiry import expiring_soon
from chainproof.evidence.models import Document, DocumentLink, DocumentVersion, LegalHold
from chainproof.evidence.receiving import file_receive
from chainproof.evidence.retention import (
    document_purge,
    holds_on,
    legal_hold_place,
    legal_hold_release,
    purge_blockers,
)
from chainproof.evidence.targets import target_parse, targets_parse
from chainproof.evidence.verification import last_verification, problems_for, verification_start
from chainproof.jobs.views import start_and_follow

FILTERS = ("q", "category", "record_type", "status", "target_type", "target_id", "expires")
# The expiry windows a list can be filtered by (days ahead), e.g. from the overview.
EXPIRY_WINDOWS = (30, 60, 90)


def _choices() -> dict[str, Any]:
    return {
        "categories": CATEGORIES,
        "record_types": RECORD_TYPES,
        "languages": LANGUAGES,
        "statuses": Document.Status.choices,
        "target_types": DocumentLink.Target.choices,
        "expiry_windows": EXPIRY_WINDOWS,
    }


def _metadata(post: Any) -> dict[str, Any]:
    fields: tuple[str, ...] = ("title", "record_type", "language", "issuer", "document_date")
    fields += ("valid_from", "valid_until", "notes", "translation_of")
    return {f: post.get(f, "") for f in fields if f in post}


def _targets(organization_id: int, post: Any) -> list[LinkTarget]:
    """Links typed as "supplier:S-VN-01" (several, comma- or space-separated), or picked
    from the fields link_type and link_id (a number or a reference)."""
    found = targets_parse(organization_id, post.get("links", ""))
    if post.get("link_type") and post.get("link_id"):
        found.append(target_parse(organization_id, post["link_type"], post["link_id"]))
    return found


EXPORT_COLUMNS = (
    "Document",
    "Title",
    "Type",
    "Evidence of",
    "Status",
    "Issuer",
    "Document date",
    "Valid until",
    "Current file",
    "SHA-256",
    "Size (bytes)",
    "Versions",
    "Stored",
)


def _export_row(document: Document) -> list[Any]:
    versions = sorted(document.versions.all(), key=lambda v: -v.number)
    current = versions[0] if versions else None
    return [
        document.pk,
        document.title,
        document.get_record_type_display(),
        "; ".join(selectors.category_labels(document)),
        document.get_status_display(),
        document.issuer,
        document.document_date,
        document.valid_until,
        current.original_name if current else "",
        current.blob.sha256 if current else "",
        current.size if current else "",
        len(versions),
        timezone.localtime(document.created_at).strftime("%Y-%m-%d %H:%M"),
    ]


def _export_query(request: HttpRequest) -> str:
    """The page's filters, for its export links."""
    kept = request.GET.copy()
    kept.pop("format", None)
    kept.pop("page", None)
    return kept.urlencode() + "&" if kept else ""


def document_index(request: HttpRequest) -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    target_id = int(params["target_id"]) if params["target_id"].isdigit() else None
    expires = int(params["expires"]) if params["expires"].isdigit() else None
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [f.document for f in selectors.search(org, params["q"], limit=10_000)]
            if params["q"]
            else selectors.documents_for(
                org,
                category=params["category"],
                record_type=params["record_type"],
                status=params["status"],
                target_type=params["target_type"],
                target_id=target_id,
                expires_within=expires,
            )
        )
        return export_response(fmt, "evidence-documents", EXPORT_COLUMNS, map(_export_row, rows))
    if params["q"]:
        found = selectors.search(org, params["q"])
        listing: dict[str, Any] = {"found": found, "rows": [f.document for f in found]}
    else:
        listing = paginate(
            request,
            selectors.documents_for(
                org,
                category=params["category"],
                record_type=params["record_type"],
                status=params["status"],
                target_type=params["target_type"],
                target_id=target_id,
                expires_within=expires,
            ),
        )
    run = last_verification(org)
    return render(
        request,
        "evidence/index.html",
        {
            **listing,
            **_choices(),
            "params": params,
            "export_query": _export_query(request),
            "counts": selectors.document_counts(org),
            "expiring": expiring_soon(org)[:10],
            "verification": run,
            "verification_problems": problems_for(run, org) if run else [],
            "can_upload": membership.has_role(Role.ANALYST),
            "max_bytes": settings.EVIDENCE_MAX_BYTES,
            # "Add a document" from a readiness gap names the record to link.
            "initial_links": request.GET.get("link", "")[:40],
        },
    )


@require_POST
def document_upload(request: HttpRequest) -> HttpResponse:
    """One or several files. The drop area sends one request per file and reads JSON back
    (progress per file); without script the form sends them all and the page says what
    became of each."""
    membership = current_membership(request)
    require_role(membership, Role.ANALYST)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    uploads = request.FILES.getlist("file")
    results: list[dict[str, Any]] = []
    if not uploads:
        results.append({"file": "", "error": "Choose at least one file."})
    for upload in uploads:
        results.append(_store_one(request, membership, upload))
    if wants_json:
        status = 400 if any("error" in r for r in results) else 201
        return JsonResponse({"results": results}, status=status)
    for result in results:
        if "error" in result:
            messages.error(request, result["error"])
        else:
            messages.success(request, f"{result['file']} stored (SHA-256 {result['sha256']}).")
    return redirect("evidence:index")


def _store_one(request: HttpRequest, membership: Any, upload: Any) -> dict[str, Any]:
    try:
        categories = request.POST.getlist("categories") or None
        received = file_receive(upload, upload.name)
        with transaction.atomic():
            document = document_create(
                organization=membership.organization_id,
                actor=request.user,
                received=received,
                metadata={k: v for k, v in _metadata(request.POST).items() if v},
                categories=categories,
                links=_targets(membership.organization_id, request.POST),
            )
    except ValidationError as exc:
        return {"file": upload.name, "error": "; ".join(exc.messages)}
    return {
        "file": received.original_name,
        "id": document.pk,
        "title": document.title,
        "sha256": received.sha256,
        "size": received.size,
        "duplicate": not received.newly_stored,
        "warnings": list(received.warnings),
        "url": reverse("evidence:document", args=[document.pk]),
    }


def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    membership = current_membership(request)
    document = get_for_member(membership, Document, minimum=Role.VIEWER, pk=document_id)
    error = ""
    if request.method == "POST":
        try:
            done = _act(request, membership, document)
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, done)
            return redirect("evidence:document", document.pk)
    versions = list(document.versions.select_related("blob", "uploaded_by").order_by("-number"))
    links = list(document.links.order_by("target_type", "target_id"))
    return render(
        request,
        "evidence/document.html",
        {
            **_choices(),
            "document": document,
            "versions": versions,
            "current": versions[0] if versions else None,
            "category_codes": set(document.categories.values_list("code", flat=True)),
            "category_labels": selectors.category_labels(document),
            "linked": selectors.linked_records(links),
            "holds": list(holds_on(document)),
            "purge_blockers": purge_blockers(document) if document.is_deleted else [],
            "translations": list(document.translations.filter(deleted_at__isnull=True)),
            "history": audit_history_of(
                membership.organization_id, "evidence.document", str(document.pk)
            )[:50],
            "previewable": PREVIEWABLE,
            "can_edit": membership.has_role(Role.ANALYST) and not document.is_deleted,
            "is_admin": membership.has_role(Role.ADMIN),
            "error": error,
        },
        status=400 if error else 200,
    )


def _act(request: HttpRequest, membership: Any, document: Document) -> str:
    """One form of the document page; returns what happened, in words."""
    action = request.POST.get("action", "")
    minimum = Role.ADMIN if action in ("hold", "release", "purge") else Role.ANALYST
    require_role(membership, minimum)
    if action == "version":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError("Choose a file.")
        received = file_receive(upload, upload.name or "unnamed")
        with transaction.atomic():
            version = document_version_add(document=document, actor=request.user, received=received)
        return f"Version {version.number} stored (SHA-256 {received.sha256})."
    with transaction.atomic():
        if action == "metadata":
            document_update(
                document=document,
                actor=request.user,
                metadata=_metadata(request.POST),
                categories=request.POST.getlist("categories"),
            )
            return "Saved."
        if action == "review":
            document_review(
                document=document,
                actor=request.user,
                status=request.POST.get("status", ""),
                comment=request.POST.get("comment", ""),
            )
            return f"Marked {document.get_status_display().lower()}."
        if action == "link":
            added = document_link_add(
                document=document,
                actor=request.user,
                targets=_targets(membership.organization_id, request.POST),
            )
            if added == 0:
                return "Already linked: nothing changed."
            return "Link added." if added == 1 else f"{added} links added."
        if action == "unlink":
            link = get_for_member(
                membership, DocumentLink, pk=request.POST.get("link", "0"), document=document
            )
            document_link_remove(document=document, actor=request.user, link=link)
            return "Link removed."
        if action == "delete":
            document_delete(
                document=document, actor=request.user, reason=request.POST.get("reason", "")
            )
            return "Deleted: the record and its files are kept until purged."
        if action == "hold":
            legal_hold_place(
                organization=membership.organization_id,
                actor=request.user,
                target_type=LegalHold.Target.DOCUMENT,
                target_id=document.pk,
                reason=request.POST.get("reason", ""),
            )
            return "Legal hold placed."
        if action == "release":
            hold = get_for_member(membership, LegalHold, pk=request.POST.get("hold", "0"))
            legal_hold_release(hold=hold, actor=request.user)
            return "Legal hold released."
        if action == "purge":
            removed = document_purge(document=document, actor=request.user)
            return f"Purged: {removed} stored file(s) removed; the record stays."
    raise ValidationError(f"Unknown action {action!r}.")


def _version(request: HttpRequest, document_id: int, number: int) -> DocumentVersion:
    membership = current_membership(request)
    document = get_for_member(membership, Document, minimum=Role.VIEWER, pk=document_id)
    return get_for_member(
        membership,
        DocumentVersion.objects.select_related("blob"),
        field="document__organization",
        document=document,
        number=number,
    )


def version_download(request: HttpRequest, document_id: int, number: int) -> HttpResponseBase:
    version = _version(request, document_id, number)
    return _file_response(request, version, inline=False)


def version_preview(request: HttpRequest, document_id: int, number: int) -> HttpResponseBase:
    version = _version(request, document_id, number)
    return _file_response(request, version, inline=True)


def _file_response(
    request: HttpRequest, version: DocumentVersion, *, inline: bool
) -> HttpResponseBase:
    try:
        return version_response(version, inline=inline)
    except FileUnavailable as gone:
        return render(
            request,
            "web/error.html",
            {"status": gone.status, "title": gone.title, "message": gone.message},
            status=gone.status,
        )


def verification(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    run = last_verification(membership.organization_id)
    return render(
        request,
        "evidence/verification.html",
        {
            "run": run,
            "problems": problems_for(run, membership.organization_id) if run else [],
            "backend": blob_store().name,
            "is_admin": membership.has_role(Role.ADMIN),
        },
    )


def verification_run(request: HttpRequest) -> HttpResponse:
    return start_and_follow(
        request, verification_start, back="evidence:verification", minimum=Role.ADMIN
    )
