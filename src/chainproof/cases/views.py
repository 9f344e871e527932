"""Pages of shipments and detention cases: the overview by days left, shipments with
their lines, import and pre-arrival check, a case with its deadlines, tasks, exhibits,
summary, packages and timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.cases import selectors
from chainproof.cases.deadlines import case_deadlines, deadline_override
from chainproof.cases.models import CaseTask, DetentionCase, Exhibit, Shipment, ShipmentLine
from chainproof.cases.package_content import package_content
from chainproof.cases.services import (
    TRANSITIONS,
    case_open,
    case_transition,
    case_update,
    exhibit_add,
    exhibit_move,
    exhibit_remove,
    exhibit_update,
    notice_date,
    summary_edit,
    task_add,
    task_done,
)
from chainproof.cases.shipment_import import shipments_import
from chainproof.cases.shipments import LINE_FIELDS, shipment_delete, shipment_save
from chainproof.common.exports import export_response
from chainproof.domain.cases.ports import ports_all
from chainproof.domain.cases.shipment_columns import MODES, SHIPMENT_LINES
from chainproof.suppliers.importing.base import ImportFailed


def _members(membership: Membership) -> Any:
    return (
        Membership.objects.filter(organization_id=membership.organization_id)
        .exclude(role=Role.SUPPLIER)
        .select_related("user")
        .order_by("user__email")
    )


def _owner(membership: Membership, value: str) -> Any:
    if not value:
        return None
    if not str(value).isdigit():
        raise ValidationError({"owner": "Expected a member of your organization."})
    found = _members(membership).filter(user_id=value).first()
    if found is None:
        raise ValidationError({"owner": "Expected a member of your organization."})
    return found.user


def say(exc: ValidationError) -> str:
    """A refusal in words, each message with the field (and line) it is about."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    parts = []
    for field, messages_ in exc.message_dict.items():
        if field == "__all__":
            parts += messages_
            continue
        where = field.replace("lines[", "line ").replace("].", ", ").replace("_", " ")
        parts += [f"{where.capitalize()}: {m[:1].lower() + m[1:]}" for m in messages_]
    return "; ".join(parts)


def index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    due = request.GET.get("due", "")
    return render(
        request,
        "cases/index.html",
        {
            "open_cases": selectors.open_cases_due(org, due),
            "due": due if due in selectors.DAYS_LEFT_GROUPS else "",
            "due_groups": [(k, v[0]) for k, v in selectors.DAYS_LEFT_GROUPS.items()],
            "closed_cases": selectors.cases_for(org).filter(status__in=DetentionCase.CLOSED)[:50],
            "shipments": selectors.shipments_for(org).count(),
            "can_edit": membership.has_role(Role.ANALYST),
        },
    )


def shipment_index(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org = membership.organization_id
    error = ""
    errors: list[Any] = []
    report = None
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        action = request.POST.get("action", "")
        try:
            if action == "import":
                report = _import(request, org)
                if report is not None and not report.dry_run:
                    messages.success(
                        request,
                        f"{report.created} shipment(s) created, {report.updated} updated "
                        f"from {report.file_name}.",
                    )
                    return redirect("cases:shipments")
            else:
                with transaction.atomic():
                    shipment = shipment_save(
                        organization=org, actor=request.user, data=request.POST
                    )
                messages.success(request, f"{shipment} saved. Add its lines below.")
                return redirect("cases:shipment", shipment.pk)
        except ImportFailed as exc:
            error = f"Nothing was imported from {exc.source}: fix these rows and try again."
            errors = exc.errors
        except ValidationError as exc:
            error = say(exc)
    return render(
        request,
        "cases/shipments.html",
        {
            "shipments": selectors.shipments_for(org)[:300],
            "shipment": Shipment(),  # the blank form's values
            "ports": ports_all(),
            "modes": MODES,
            "error": error,
            "errors": errors,
            "report": report,
            "form": request.POST if error else {},
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def _import(request: HttpRequest, org: int) -> Any:
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError("Choose a CSV or XLSX file to import.")
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            f"{upload.name} is larger than the limit of {settings.UPLOAD_MAX_BYTES:,} bytes."
        )
    data = upload.read()
    return shipments_import(
        organization=org,
        actor=request.user,
        data=data,
        file_name=upload.name or "upload",
        dry_run=request.POST.get("dry_run") == "on",
    )


def shipment_template(request: HttpRequest) -> HttpResponseBase:
    """The shipments file's columns with one example row, to fill in and import."""
    require_role(current_membership(request), Role.VIEWER)
    example = [column.example for column in SHIPMENT_LINES.columns]
    return export_response("csv", "shipments-template", SHIPMENT_LINES.column_names, [example])


def _line_rows(shipment: Shipment) -> list[dict[str, Any]]:
    rows = []
    for line in shipment.lines.select_related("product", "facility").order_by("number"):
        rows.append(
            {
                "line": line.number,
                "product_sku": line.product.sku if line.product else "",
                "description": line.description,
                "hts_code": line.hts_code,
                "quantity": "" if line.quantity is None else f"{line.quantity.normalize():f}",
                "unit": line.unit,
                "value_usd": "" if line.value_usd is None else f"{line.value_usd:f}",
                "origin_country": line.origin_country,
                "facility_ref": line.facility.ref if line.facility else "",
                "links": " | ".join(str(pk) for pk in line.links.values_list("pk", flat=True)),
            }
        )
    return rows


def shipment_detail(request: HttpRequest, shipment_id: int) -> HttpResponse:
    membership = current_membership(request)
    shipment = get_for_member(membership, Shipment, pk=shipment_id)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        action = request.POST.get("action", "")
        try:
            with transaction.atomic():
                done = _shipment_act(request, membership, shipment, action)
        except ValidationError as exc:
            error = say(exc)
        else:
            messages.success(request, done[0])
            return redirect(done[1])
    return render(
        request,
        "cases/shipment.html",
        {
            "shipment": shipment,
            "lines": shipment.lines.select_related("product", "facility").prefetch_related("links"),
            "cases": shipment.cases.all(),
            "ports": ports_all(),
            "modes": MODES,
            "bases": DetentionCase.Basis.choices,
            "error": error,
            "form": request.POST if error else {},
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def _shipment_act(
    request: HttpRequest, membership: Membership, shipment: Shipment, action: str
) -> tuple[str, str]:
    post = request.POST
    here = reverse("cases:shipment", args=[shipment.pk])
    if action == "edit":
        shipment_save(
            organization=membership.organization_id,
            actor=request.user,
            data=post,
            shipment=shipment,
        )
        return "Shipment saved.", here
    if action in ("add_line", "remove_line"):
        rows = _line_rows(shipment)
        if action == "add_line":
            new = {name: post.get(name, "") for name in LINE_FIELDS}
            if not new["line"]:
                new["line"] = str(max((int(r["line"]) for r in rows), default=0) + 1)
            rows.append(new)
        else:
            rows = [r for r in rows if str(r["line"]) != post.get("line", "")]
        shipment_save(
            organization=membership.organization_id,
            actor=request.user,
            data=_shipment_data(shipment),
            lines=rows,
            shipment=shipment,
        )
        return ("Line added." if action == "add_line" else "Line removed."), here
    if action == "open_case":
        lines = [
            get_for_member(membership, ShipmentLine, pk=pk, shipment=shipment)
            for pk in post.getlist("lines")
        ]
        case = case_open(
            organization=membership.organization_id,
            actor=request.user,
            shipment=shipment,
            basis=post.get("basis", ""),
            notice_at=post.get("notice_at", ""),
            cbp_reference=post.get("cbp_reference", ""),
            port_code=post.get("port_code", ""),
            lines=lines,
            response_days=post.get("response_days", ""),
        )
        return f"{case} opened.", reverse("cases:case", args=[case.pk])
    if action == "delete":
        shipment_delete(shipment=shipment, actor=request.user)
        return "Shipment deleted.", reverse("cases:shipments")
    raise ValidationError("Unknown action.")


def _shipment_data(shipment: Shipment) -> dict[str, Any]:
    return {
        "reference": shipment.reference,
        "kind": shipment.kind,
        "entry_number": shipment.entry_number,
        "importer_of_record": shipment.importer_of_record,
        "filer": shipment.filer,
        "port_code": shipment.port_code,
        "arrival_date": shipment.arrival_date.isoformat() if shipment.arrival_date else "",
        "importation_date": shipment.importation_date.isoformat()
        if shipment.importation_date
        else "",
        "mode": shipment.mode,
        "carrier": shipment.carrier,
        "bill_of_lading": shipment.bill_of_lading,
        "notes": shipment.notes,
    }


def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    membership = current_membership(request)
    case = get_for_member(membership, selectors.cases_for(membership.organization_id), pk=case_id)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            with transaction.atomic():
                done = _case_act(request, membership, case)
        except ValidationError as exc:
            error = say(exc)
        else:
            messages.success(request, done)
            anchor = request.POST.get("anchor", "")
            return redirect(
                reverse("cases:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")
            )
        case.refresh_from_db()
    content = package_content(case)
    timeline = selectors.timeline(case)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "shipment": case.shipment,
            "deadlines": case_deadlines(case),
            "next_states": [DetentionCase.Status(s) for s in TRANSITIONS.get(case.status, ())],
            "tasks": case.tasks.select_related("owner", "done_by"),
            "content": content,
            "notice_date": notice_date(case),
            "filing_numbers": {e.document.pk: e.number for e in content.exhibits},
            "exhibits": case.exhibits.select_related("document").order_by("position", "pk"),
            "suggested": selectors.suggested_documents(case)[:30],
            "packages": case.packages.select_related("built_by", "filed_by"),
            "timeline": {
                "ahead": sorted((m for m in timeline if m.upcoming), key=lambda m: m.when),
                "past": [m for m in timeline if not m.upcoming][:200],
            },
            "members": _members(membership),
            "error": error,
            "form": request.POST if error else {},
            "can_edit": membership.has_role(Role.ANALYST),
        },
        status=400 if error else 200,
    )


def _case_act(request: HttpRequest, membership: Membership, case: DetentionCase) -> str:
    post = request.POST
    action = post.get("action", "")
    if action == "status":
        case_transition(
            case=case,
            actor=request.user,
            status=post.get("status", ""),
            when=post.get("when", ""),
            note=post.get("note", ""),
        )
        return f"{case} is now: {case.get_status_display().lower()}."
    if action == "details":
        case_update(
            case=case,
            actor=request.user,
            cbp_reference=post.get("cbp_reference", ""),
            response_days=post.get("response_days", ""),
            notice_at=post.get("notice_at", ""),
            owner=_owner(membership, post.get("owner", "")),
        )
        return "Case details saved."
    if action == "deadline":
        deadline_override(
            case=case,
            actor=request.user,
            rule=post.get("rule", ""),
            due=post.get("due", ""),
            reason=post.get("reason", ""),
        )
        return "Deadline saved."
    if action == "task":
        task_add(
            case=case,
            actor=request.user,
            title=post.get("title", ""),
            owner=_owner(membership, post.get("owner", "")),
            due_date=post.get("due_date", ""),
        )
        return "Task added."
    if action in ("task_done", "task_reopen"):
        task = get_for_member(membership, CaseTask, pk=post.get("task", "0"), case=case)
        task_done(task=task, actor=request.user, done=action == "task_done")
        return "Task updated."
    if action == "exhibit_add":
        numbers = [n for n in post.getlist("documents") if n.strip()]
        typed = post.get("document", "").replace(",", " ").split()
        if not numbers + typed:
            raise ValidationError({"document": "Expected a document number, found nothing."})
        added = exhibit_add(case=case, actor=request.user, documents=numbers + typed)
        if not added:
            return "Those documents are exhibits already."
        return "1 exhibit added." if len(added) == 1 else f"{len(added)} exhibits added."
    if action in ("exhibit_update", "exhibit_move", "exhibit_remove"):
        exhibit = get_for_member(membership, Exhibit, pk=post.get("exhibit", "0"), case=case)
        if action == "exhibit_move":
            exhibit_move(exhibit=exhibit, actor=request.user, position=post.get("position", ""))
            return "Exhibit moved."
        if action == "exhibit_remove":
            exhibit_remove(exhibit=exhibit, actor=request.user)
            return "Exhibit removed from the package."
        exhibit_update(
            exhibit=exhibit,
            actor=request.user,
            included=post.get("included") == "on",
            redacted=post.get("redacted") == "on",
            redaction_reason=post.get("redaction_reason", ""),
            note=post.get("note", ""),
        )
        return "Exhibit saved."
    if action == "summary":
        summary_edit(case=case, actor=request.user, text=post.get("summary", ""))
        return "Executive summary saved."
    raise ValidationError("Unknown action.")
