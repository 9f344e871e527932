"""Pages of annual statements: the list and a new draft, one statement with its sections
(the text, what the law asks, the figures with links to their records), approval,
reopening and publication, the PDF and DOCX, and the comparison with the year before.
Analysts and administrators edit; the approval is recorded by an administrator; viewers
read; supplier contacts never see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.domain.statements.regimes import load_regimes
from chainproof.statements import selectors
from chainproof.statements.compare import statement_comparison
from chainproof.statements.models import Statement, StatementApproval
from chainproof.statements.rendering import (
    statement_document,
    statement_docx_bytes,
    statement_pdf,
)
from chainproof.statements.services import (
    statement_approve,
    statement_create,
    statement_publish,
    statement_reopen,
    statement_section_save,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def _last_year() -> tuple[dt.date, dt.date]:
    year = timezone.localdate().year - 1
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def statement_index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    error = ""
    start, end = _last_year()
    posted: dict[str, str] = {
        "regime": "uk_msa",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "title": "",
    }
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        posted = {k: request.POST.get(k, "").strip() for k in posted}
        try:
            with transaction.atomic():
                statement = statement_create(
                    organization=org,
                    actor=request.user,
                    regime_code=posted["regime"],
                    period_start=posted["period_start"],
                    period_end=posted["period_end"],
                    title=posted["title"],
                )
        except ValidationError as exc:
            error = _error(exc)
        else:
            messages.success(request, "Draft written from the record; edit each section below.")
            return redirect("statements:statement", statement.pk)
    rows = [
        {"statement": s, "regime": selectors.regime_law(s.regime)}
        for s in selectors.statements_for(org)[:200]
    ]
    return render(
        request,
        "statements/index.html",
        {
            "rows": rows,
            "regimes": list(load_regimes().values()),
            "posted": posted,
            "error": error,
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def _sections(statement: Statement, can_edit: bool) -> list[dict[str, Any]]:
    chosen = selectors.regime_of(statement)
    if chosen is None:
        return []
    texts = selectors.current_texts(statement)
    figures = selectors.statement_figures(statement)
    rows = []
    for section in chosen.sections:
        shown = []
        for key in section.figures:
            figure = figures.get(key)
            if figure is None:
                continue
            links = list(figure.row_links) + [""] * (len(figure.table.rows) - len(figure.row_links))
            shown.append(
                {"figure": figure, "rows": list(zip(figure.table.rows, links, strict=False))}
            )
        text = texts.get(section.key)
        rows.append(
            {
                "section": section,
                "text": text,
                "versions": selectors.section_history(statement, section.key).count(),
                "figures": shown,
            }
        )
    return rows


def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    membership = current_membership(request)
    statement = get_for_member(
        membership, selectors.statements_for(membership.organization_id), pk=statement_id
    )
    error = ""
    if request.method == "POST":
        try:
            done = _act(request, membership, statement)
        except ValidationError as exc:
            error = _error(exc)
        else:
            messages.success(request, done)
            return redirect("statements:statement", statement.pk)
    chosen = selectors.regime_of(statement)
    can_edit = membership.has_role(Role.ANALYST)
    return render(
        request,
        "statements/statement.html",
        {
            "statement": statement,
            "regime": chosen,
            "sections": _sections(statement, can_edit),
            "approval": selectors.active_approval(statement),
            "withdrawn": statement.approvals.filter(withdrawn_at__isnull=False).select_related(
                "withdrawn_by"
            ),
            "approvers": StatementApproval.Approver.choices,
            "today": timezone.localdate().isoformat(),
            "is_draft": statement.status == Statement.Status.DRAFT,
            "can_edit": can_edit,
            "can_approve": membership.has_role(Role.ADMIN),
            "error": error,
        },
        status=400 if error else 200,
    )


def _act(request: HttpRequest, membership: Any, statement: Statement) -> str:
    post = request.POST
    action = post.get("action", "")
    if action == "section":
        require_role(membership, Role.ANALYST)
        with transaction.atomic():
            saved = statement_section_save(
                statement=statement,
                actor=request.user,
                section=post.get("section", ""),
                text=post.get("text", ""),
            )
        return "Section saved as a new version." if saved else "No change to save."
    require_role(membership, Role.ADMIN)
    with transaction.atomic():
        if action == "approve":
            statement_approve(
                statement=statement,
                actor=request.user,
                approver=post.get("approver", ""),
                name=post.get("name", ""),
                role=post.get("role", ""),
                approved_on=post.get("approved_on", ""),
            )
            return "Approval recorded; the figures are frozen as they stand today."
        if action == "reopen":
            statement_reopen(statement=statement, actor=request.user, reason=post.get("reason", ""))
            return "Reopened as a draft; the approval is kept in the history."
        if action == "publish":
            statement_publish(
                statement=statement,
                actor=request.user,
                published_on=post.get("published_on", ""),
                published_url=post.get("published_url", ""),
            )
            return "Marked as published."
    raise ValidationError("That is not something this page can do.")


def _download(statement: Statement, data: bytes, extension: str, content_type: str) -> HttpResponse:
    name = slugify(statement.title)[:80] or "statement"
    if statement.status == Statement.Status.DRAFT:
        name += "-draft"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def statement_pdf_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    membership = current_membership(request)
    statement = get_for_member(
        membership, selectors.statements_for(membership.organization_id), pk=statement_id
    )
    document = statement_document(statement)
    pdf = statement_pdf(document, author=statement.organization.name)
    return _download(statement, pdf, "pdf", "application/pdf")


def statement_docx_view(request: HttpRequest, statement_id: int) -> HttpResponse:
    membership = current_membership(request)
    statement = get_for_member(
        membership, selectors.statements_for(membership.organization_id), pk=statement_id
    )
    data = statement_docx_bytes(statement_document(statement))
    return _download(statement, data, "docx", DOCX_TYPE)


def statement_compare(request: HttpRequest, statement_id: int) -> HttpResponse:
    membership = current_membership(request)
    statement = get_for_member(
        membership, selectors.statements_for(membership.organization_id), pk=statement_id
    )
    previous = statement.previous
    if previous is not None and previous.organization_id != statement.organization_id:
        previous = None
    return render(
        request,
        "statements/compare.html",
        {
            "statement": statement,
            "previous": previous,
            "changes": statement_comparison(statement, previous) if previous else [],
        },
    )


def section_history(request: HttpRequest, statement_id: int, section: str) -> HttpResponse:
    membership = current_membership(request)
    statement = get_for_member(
        membership, selectors.statements_for(membership.organization_id), pk=statement_id
    )
    chosen = selectors.regime_of(statement)
    keys = {s.key: s for s in chosen.sections} if chosen else {}
    if section not in keys:
        return render(
            request,
            "web/error.html",
            {"status": 404, "title": "Not found", "message": "This statement has no such section."},
            status=404,
        )
    return render(
        request,
        "statements/history.html",
        {
            "statement": statement,
            "section": keys[section],
            "versions": selectors.section_history(statement, section),
        },
    )
