"""Worksites for Open Supply Hub: the list-upload file (CSV or XLSX)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from chainproof.accounts.access import current_membership, require_role
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.interchange.osh_export import OSH_HEADERS, osh_file_name, osh_rows


def osh_download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    organization = membership.organization
    return export_response(fmt, osh_file_name(organization), OSH_HEADERS, osh_rows(organization.pk))
