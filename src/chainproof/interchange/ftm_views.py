"""The supply chain in open formats: the page, the FollowTheMoney download and upload."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from chainproof.accounts.access import current_membership, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.interchange.ftm_export import ftm_file_name, ftm_lines
from chainproof.interchange.ftm_import import ftm_import
from chainproof.interchange.ftm_reading import FtmImportFailed, FtmImportReport


class FtmUploadForm(forms.Form):
    file = forms.FileField(
        label="FollowTheMoney file",
        help_text="One entity a line (.ftm.json, .json or .jsonl), from any FtM tool.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"Expected a file of at most {settings.UPLOAD_MAX_BYTES // 1_000_000} MB, "
                f"found {upload.size // 1_000_000} MB."
            )
        return upload


def _member(request: HttpRequest, minimum: str) -> Membership:
    membership = current_membership(request)
    require_role(membership, minimum)
    return membership


def _page(
    request: HttpRequest,
    membership: Membership,
    form: FtmUploadForm | None = None,
    failure: FtmImportFailed | None = None,
    report: FtmImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    may_import = membership.has_role(Role.ANALYST)
    return render(
        request,
        "interchange/supply_chain.html",
        {
            "form": (form or FtmUploadForm()) if may_import else None,
            "failure": failure,
            "report": report.as_dict() if report else None,
        },
        status=status,
    )


def supply_chain_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _member(request, Role.VIEWER))


def ftm_download(request: HttpRequest) -> StreamingHttpResponse:
    organization = _member(request, Role.VIEWER).organization
    response = StreamingHttpResponse(ftm_lines(organization), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{ftm_file_name(organization)}"'
    return response


@require_POST
def ftm_upload(request: HttpRequest) -> HttpResponse:
    membership = _member(request, Role.ANALYST)
    form = FtmUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, membership, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = ftm_import(
            organization=membership.organization,
            actor=request.user,
            data=upload.read(),
            file_name=upload.name,
        )
    except FtmImportFailed as exc:
        return _page(request, membership, form=form, failure=exc, status=400)
    return _page(request, membership, report=report)
