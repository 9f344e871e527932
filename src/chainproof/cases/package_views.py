"""Pages that build and hand out files: evidence packages (build, download, the PDF,
marked as filed), the pre-arrival check and its PDF, the allegation report, the signing
certificate, and each member's deadline calendar."""

from __future__ import annotations

import logging
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.blobs.base import checked_chunks
from chainproof.blobs.configured import blob_store
from chainproof.blobs.errors import BlobError, BlobStoreUnavailable
from chainproof.cases import calendar, selectors
from chainproof.cases.allegation import ALLEGATION_FIELDS, allegation_pdf
from chainproof.cases.models import CalendarFeed, EvidencePackage, Shipment
from chainproof.cases.packages import package_build, package_mark_filed, package_pdf_bytes
from chainproof.cases.prearrival import shipment_check
from chainproof.cases.prearrival_report import prearrival_pdf
from chainproof.cases.signing import (
    MAX_BUNDLE_BYTES,
    TOO_LARGE,
    active_certificate,
    certificate_generate,
    certificate_upload,
)
from chainproof.cases.templatetags.cases import common_name
from chainproof.cases.views import say
from chainproof.fileformats.html_pdf import HtmlPdfError
from chainproof.fileformats.package_zip import PackageError
from chainproof.fileformats.pdf_signing import SigningError
from chainproof.suppliers.models import Facility, Product

log = logging.getLogger(__name__)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


@require_POST
def package_build_view(request: HttpRequest, case_id: int) -> HttpResponse:
    membership = current_membership(request)
    case = get_for_member(
        membership,
        selectors.cases_for(membership.organization_id),
        pk=case_id,
        minimum=Role.ANALYST,
    )
    try:
        package = package_build(case=case, actor=request.user)
    except ValidationError as exc:
        messages.error(request, say(exc))
    except (HtmlPdfError, SigningError, PackageError, FileNotFoundError, BlobError) as exc:
        log.error("package of case %s: %s", case.pk, exc)
        messages.error(
            request,
            f"The package could not be built: {exc}. Nothing was stored; an administrator "
            "can verify the evidence store.",
        )
    else:
        messages.success(
            request,
            f"Package version {package.version} built: {package.exhibit_count} exhibits, "
            f"{package.pdf_pages} pages, signed by {common_name(package.signer)}.",
        )
    return redirect(f"/cases/{case.pk}/#packages")


def _package(request: HttpRequest, case_id: int, version: int) -> EvidencePackage:
    membership = current_membership(request)
    case = get_for_member(membership, selectors.cases_for(membership.organization_id), pk=case_id)
    return get_for_member(membership, EvidencePackage, case=case, version=version)


def package_download(request: HttpRequest, case_id: int, version: int) -> HttpResponseBase:
    package = _package(request, case_id, version)
    try:
        chunks = checked_chunks(blob_store(), package.zip_sha256)
    except FileNotFoundError:
        return _error(
            request,
            404,
            "Missing",
            "The stored package is missing: an administrator should verify the store.",
        )
    except BlobStoreUnavailable as exc:
        log.error("package %s: %s", package.pk, exc)
        return _error(request, 503, "Unavailable", "The file store cannot be reached.")
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = (
        content_disposition_header(True, package.file_name) or "attachment"
    )
    response["Content-Length"] = str(package.zip_size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def package_pdf(request: HttpRequest, case_id: int, version: int) -> HttpResponse:
    package = _package(request, case_id, version)
    try:
        pdf = package_pdf_bytes(package)
    except BlobStoreUnavailable as exc:
        log.error("package %s: %s", package.pk, exc)
        return _error(request, 503, "Unavailable", "The file store cannot be reached.")
    except (FileNotFoundError, KeyError, zipfile.BadZipFile):
        return _error(
            request,
            404,
            "Missing",
            "The stored package is missing: an administrator should verify the store.",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(
            False, f"case-{package.case.number}-package-{package.version}.pdf"
        )
        or "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def package_filed(request: HttpRequest, case_id: int, version: int) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ANALYST)
    package = _package(request, case_id, version)
    try:
        with transaction.atomic():
            package_mark_filed(package=package, actor=request.user)
    except ValidationError as exc:
        messages.error(request, say(exc))
    else:
        messages.success(request, f"Package version {package.version} marked as filed with CBP.")
    return redirect(f"/cases/{case_id}/#packages")


def prearrival(request: HttpRequest, shipment_id: int) -> HttpResponse:
    membership = current_membership(request)
    shipment = get_for_member(membership, Shipment, pk=shipment_id)
    return render(request, "cases/prearrival.html", {"check": shipment_check(shipment)})


def prearrival_download(request: HttpRequest, shipment_id: int) -> HttpResponse:
    membership = current_membership(request)
    shipment = get_for_member(membership, Shipment, pk=shipment_id)
    pdf = prearrival_pdf(shipment_check(shipment))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"pre-arrival-check-{shipment.reference}.pdf")
        or "attachment"
    )
    return response


def allegation(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ANALYST)
    error = ""
    if request.method == "POST":
        try:
            facility = (
                get_for_member(membership, Facility, pk=request.POST["facility"])
                if request.POST.get("facility")
                else None
            )
            product = (
                get_for_member(membership, Product, pk=request.POST["product"])
                if request.POST.get("product")
                else None
            )
            pdf = allegation_pdf(
                organization=membership.organization,
                actor=request.user,
                facility=facility,
                product=product,
                values={name: request.POST.get(name, "") for name, _, _ in ALLEGATION_FIELDS},
            )
        except ValidationError as exc:
            error = say(exc)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = "attachment; filename=allegation-draft.pdf"
            return response
    return render(
        request,
        "cases/allegation.html",
        {
            "fields": ALLEGATION_FIELDS,
            "error": error,
            "form": request.POST if error else {},
        },
        status=400 if error else 200,
    )


def signing(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                if request.POST.get("action") == "generate":
                    certificate_generate(
                        organization=membership.organization_id, actor=request.user
                    )
                else:
                    upload = request.FILES.get("bundle")
                    if upload is None:
                        raise ValidationError("Choose a PKCS#12 file (.p12 or .pfx).")
                    if upload.size and upload.size > MAX_BUNDLE_BYTES:
                        raise ValidationError(TOO_LARGE)
                    certificate_upload(
                        organization=membership.organization_id,
                        actor=request.user,
                        bundle=upload.read(),
                        password=request.POST.get("password", ""),
                    )
        except ValidationError as exc:
            error = say(exc)
        else:
            messages.success(request, "Signing certificate saved; new packages are signed with it.")
            return redirect("cases:signing")
    return render(
        request,
        "cases/signing.html",
        {"certificate": active_certificate(membership.organization_id), "error": error},
        status=400 if error else 200,
    )


def calendar_page(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    new_url = ""
    if request.method == "POST":
        with transaction.atomic():
            if request.POST.get("action") == "revoke":
                feed = get_for_member(
                    membership,
                    CalendarFeed,
                    pk=request.POST.get("feed", "0"),
                    user_id=membership.user_id,
                )
                calendar.feed_revoke(feed=feed, actor=request.user)
                messages.success(
                    request, "Calendar address revoked: calendars using it stop updating."
                )
                return redirect("cases:calendar")
            token = calendar.feed_create(membership=membership, actor=request.user)
        new_url = request.build_absolute_uri(f"/cases/calendar/{token}.ics")
    return render(
        request,
        "cases/calendar.html",
        {
            "feeds": CalendarFeed.objects.filter(
                user_id=membership.user_id,
                organization_id=membership.organization_id,
                revoked_at__isnull=True,
            ),
            "new_url": new_url,
        },
    )


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed: no sign-in (calendar programs cannot), the secret address is the key."""
    body = calendar.feed_ics(token)
    if body is None:
        return HttpResponse(
            "No such calendar (the address was revoked or mistyped).",
            status=404,
            content_type="text/plain",
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = "inline; filename=chainproof-deadlines.ics"
    response["Cache-Control"] = "private, max-age=300"
    return response
