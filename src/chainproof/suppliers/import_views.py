"""The web import: upload a list, confirm its columns, review its rows, import the ready
ones, fix or decide the rest (``importing.pending`` does the work; these views are thin)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.exports import TEXT_FORMAT, is_identifier_column
from chainproof.common.paging import paginate
from chainproof.domain.import_mapping import (
    ATTRIBUTE,
    DATE_ORDERS,
    IGNORE,
    MappingError,
    entity_fields,
    field_label,
)
from chainproof.domain.supply_columns import COLUMN_SETS
from chainproof.fileformats.cells import xlsx_row
from chainproof.suppliers.forms import IMPORT_KINDS, ImportForm
from chainproof.suppliers.importing.base import ImportFailed
from chainproof.suppliers.importing.mappings import mapping_choices
from chainproof.suppliers.importing.pending import (
    batch_check,
    batch_import,
    batch_map,
    batch_mapping,
    batch_open,
    batch_records,
    row_decide,
    row_discard,
    row_edit,
)
from chainproof.suppliers.models import Facility, ImportBatch, ImportRow, Supplier
from chainproof.suppliers.views import _reader, _writer

KIND_WORDS = dict(IMPORT_KINDS)
DATE_ORDER_WORDS = {
    "": "Not set (dates written as 2024-11-08, or no dates)",
    "DMY": "day.month.year (08.11.2024 = 8 November)",
    "MDY": "month/day/year (11/08/2024 = 8 November)",
    "YMD": "year-month-day (2024-11-08 = 8 November)",
}
SAMPLES = 3
# Words of a field name written in capitals when shown (the rest: "tax_id" -> "Tax id").


def _batch(membership: Membership, batch_id: int, *, write: bool = False) -> ImportBatch:
    return get_for_member(
        membership,
        ImportBatch.objects.select_related("created_by"),
        minimum=Role.ANALYST if write else Role.VIEWER,
        pk=batch_id,
    )


def _all_mappings(org_id: int) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for entity in COLUMN_SETS:
        for name, label in mapping_choices(org_id, entity):
            seen.setdefault(name, f"{label}, for {KIND_WORDS.get(entity, entity).lower()}")
    return list(seen.items())


# --- upload and the list of uploads ------------------------------------------------------


def import_upload(request: HttpRequest) -> HttpResponse:
    membership = _writer(request)
    org_id = membership.organization_id
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        mappings=_all_mappings(org_id),
    )
    failure: ImportFailed | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with transaction.atomic():
                batch = batch_open(
                    organization_id=org_id,
                    actor=request.user,
                    entity=form.cleaned_data["entity"],
                    data=upload.read(),
                    file_name=upload.name,
                    mapping=form.cleaned_data["mapping"],
                    sheet=form.cleaned_data["sheet"].strip() or None,
                )
        except ImportFailed as exc:
            failure = exc
        else:
            return redirect("suppliers:import_batch", batch.pk)
    return render(
        request,
        "suppliers/import.html",
        {
            "form": form,
            "failure": failure,
            "entities": list(COLUMN_SETS),
            "kinds": KIND_WORDS,
            "recent": ImportBatch.objects.filter(organization_id=org_id)[:5],
        },
    )


def _pending_counts(batches: list[ImportBatch]) -> None:
    for batch in batches:
        summary = batch.summary or {}
        count = summary.get("pending", (summary.get("rows") or {}).get("pending", 0))
        batch.pending_count = count  # type: ignore[attr-defined]


def import_index(request: HttpRequest) -> HttpResponse:
    membership = _reader(request)
    batches = ImportBatch.objects.filter(organization_id=membership.organization_id).select_related(
        "created_by"
    )
    context = paginate(request, batches)
    _pending_counts(list(context["rows"]))
    return render(request, "suppliers/import_index.html", {**context, "kinds": KIND_WORDS})


# --- one upload: its columns, then its rows ----------------------------------------------


def import_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    membership = _reader(request)
    batch = _batch(membership, batch_id)
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        if batch.status == ImportBatch.Status.MAPPING:
            problems = _confirm_mapping(request, batch)
            if not problems:
                messages.success(request, "Columns confirmed; every row was checked.")
                return redirect("suppliers:import_batch", batch.pk)
            return _mapping_page(request, batch, problems)
        return _batch_action(request, batch)
    if batch.status == ImportBatch.Status.MAPPING:
        return _mapping_page(request, batch, [])
    return _review_page(request, batch)


def _target_choices(entity: str) -> list[tuple[str, str]]:
    fields = [(name, field_label(name)) for name in entity_fields(entity)]
    return [
        *fields,
        (ATTRIBUTE, "Keep as custom attribute"),
        (IGNORE, "Leave out"),
    ]


def _mapping_page(request: HttpRequest, batch: ImportBatch, problems: list[str]) -> HttpResponse:
    rows = list(batch.rows.all()[:SAMPLES])
    chosen = dict(batch.mapping)
    if request.method == "POST":
        chosen.update(_posted_columns(request, batch))
    columns = []
    for index, header in enumerate(batch.header):
        if not str(header).strip():
            continue
        columns.append(
            {
                "index": index,
                "header": header,
                "samples": [r.cells[index] for r in rows if index < len(r.cells)],
                "target": chosen.get(header, IGNORE),
            }
        )
    date_order = request.POST.get("date_order", batch.date_order) or ""
    return render(
        request,
        "suppliers/import_mapping.html",
        {
            "batch": batch,
            "kind": KIND_WORDS.get(batch.entity, batch.entity),
            "columns": columns,
            "targets": _target_choices(batch.entity),
            "date_orders": list(DATE_ORDER_WORDS.items()),
            "date_order": date_order,
            "save_as": request.POST.get("save_as", ""),
            "problems": problems,
            "row_count": batch.rows.count(),
            "other_sheets": [name for name, _ in batch.other_sheets],
        },
        status=200 if not problems else 400,
    )


def _posted_columns(request: HttpRequest, batch: ImportBatch) -> dict[str, str]:
    posted = {}
    for index, header in enumerate(batch.header):
        value = request.POST.get(f"column-{index}")
        if str(header).strip() and value is not None:
            posted[header] = value
    return posted


def _confirm_mapping(request: HttpRequest, batch: ImportBatch) -> list[str]:
    date_order = request.POST.get("date_order", "")
    if date_order not in ("", *DATE_ORDERS):
        return [f"Expected a date order (DMY, MDY, YMD or not set), found {date_order!r}."]
    with transaction.atomic():
        problems = batch_map(
            batch,
            actor=request.user,
            columns={**batch.mapping, **_posted_columns(request, batch)},
            date_order=date_order,
            save_as=request.POST.get("save_as", ""),
        )
        if problems:
            return problems
    with transaction.atomic():
        batch_check(batch)
    return []


def _row(batch: ImportBatch, request: HttpRequest) -> ImportRow:
    line = request.POST.get("row", "")
    return get_for_member(
        current_membership(request),
        ImportRow.objects.select_related("batch").filter(batch=batch),
        minimum=Role.ANALYST,
        field="batch__organization",
        line=int(line) if line.isdigit() else -1,
    )


def _batch_action(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    action = request.POST.get("action", "")
    back = reverse("suppliers:import_batch", args=[batch.pk])
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?page={page}"
    if action == "import":
        with transaction.atomic():
            report = batch_import(batch, actor=request.user)
        pending = batch.rows.filter(state=ImportRow.State.PENDING).count()
        text = f"Imported: {report.created} created, {report.updated} updated"
        if report.unchanged:
            text += f", {report.unchanged} unchanged"
        if report.merged:
            text += f"; {report.merged} merged into a duplicate"
        text += f"; {pending} row{'s' if pending != 1 else ''} stay pending."
        if pending == 1:
            text = text.replace("1 row stay", "1 row stays")
        messages.success(request, text)
        return redirect(back)
    if action not in ("edit", "merge", "keep", "discard"):
        messages.error(
            request, f"Expected an action (import, edit, merge, keep, discard), found {action!r}."
        )
        return redirect(back)
    row = _row(batch, request)
    try:
        with transaction.atomic():
            if action == "edit":
                changed = _edit_row(request, row)
                message = (
                    f"Row {row.line}: {', '.join(changed)} changed; the rows were checked again."
                    if changed
                    else f"Row {row.line}: nothing was changed."
                )
            elif action == "discard":
                row_discard(row, actor=request.user)
                message = f"Row {row.line} was discarded: it will not be imported."
            else:
                row_decide(row, actor=request.user, decision=action)
                message = (
                    f"Row {row.line} will be merged with its likely duplicate."
                    if action == "merge"
                    else f"Row {row.line} is kept apart from its likely duplicate."
                )
        with transaction.atomic():
            batch_check(batch)
    except MappingError as exc:
        messages.error(request, f"Row {row.line}: expected {exc}.")
        return redirect(back)
    messages.success(request, message)
    return redirect(back)


def _edit_row(request: HttpRequest, row: ImportRow) -> list[str]:
    fields = entity_fields(row.batch.entity)
    current = {r.line: r for r in batch_records(row.batch, [row])}.get(row.line)
    values = current.values if current else {}
    changed = []
    for name in fields:
        posted = request.POST.get(f"field-{name}")
        if posted is None:
            continue
        typed_again = current is not None and name in current.numeric
        if posted.strip() == str(values.get(name, "")).strip() and not typed_again:
            continue  # unchanged (a number the spreadsheet stored counts as typed now)
        row_edit(row, actor=request.user, field=name, value=posted)
        changed.append(field_label(name))
    return changed


def _review_page(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    summary = batch.summary or {}
    states = summary.get("rows") or {}
    open_rows = batch.rows.filter(state=ImportRow.State.PENDING)
    pending = open_rows.exclude(problems=[])
    ready = summary.get("ready", open_rows.filter(problems=[]).count())
    context = paginate(request, pending)
    page_rows = list(context["rows"])
    records = {r.line: r for r in batch_records(batch, page_rows)}
    lines = {r.line: r for r in batch.rows.filter(line__in=_other_lines(page_rows))}
    other_records = {r.line: r for r in batch_records(batch, list(lines.values()))}
    stored = _stored_records(batch, page_rows)
    shown = [
        _row_view(batch, row, records.get(row.line), other_records, stored) for row in page_rows
    ]
    mapping = batch_mapping(batch)
    return render(
        request,
        "suppliers/import_review.html",
        {
            **context,
            "batch": batch,
            "kind": KIND_WORDS.get(batch.entity, batch.entity),
            "shown": shown,
            "ready": ready,
            "creates": summary.get("creates", 0),
            "updates": summary.get("updates", 0),
            "unchanged": summary.get("unchanged", 0),
            "merged_now": summary.get("merged", 0),
            "pending_count": summary.get("pending", pending.count()),
            "states": states,
            "mapped": [
                (h, field_label(t))
                for h, t in mapping.columns.items()
                if t not in (ATTRIBUTE, IGNORE)
            ],
            "attributes": [h for h, t in mapping.columns.items() if t == ATTRIBUTE],
            "left_out": [h for h, t in mapping.columns.items() if t == IGNORE and str(h).strip()],
            "date_order_words": DATE_ORDER_WORDS.get(batch.date_order or "", ""),
            "can_write": current_membership(request).has_role(Role.ANALYST),
        },
    )


def _other_lines(rows: list[ImportRow]) -> set[int]:
    found = set()
    for row in rows:
        for problem in row.problems:
            other = problem.get("duplicate_of") or {}
            if "row" in other:
                found.add(int(other["row"]))
    return found


def _stored_records(batch: ImportBatch, rows: list[ImportRow]) -> dict[int, Any]:
    ids = {
        int(p["duplicate_of"]["stored"])
        for r in rows
        for p in r.problems
        if "stored" in (p.get("duplicate_of") or {})
    }
    if not ids:
        return {}
    model = Supplier if batch.entity == "suppliers" else Facility
    found = model.objects.filter(organization_id=batch.organization_id, pk__in=ids)
    return {o.pk: o for o in found}


def _row_view(
    batch: ImportBatch,
    row: ImportRow,
    record: Any,
    others: dict[int, Any],
    stored: dict[int, Any],
) -> dict[str, Any]:
    values = dict(record.values) if record else {}
    problems, duplicate = [], None
    fix_fields: list[dict[str, str]] = []
    fields = set(entity_fields(batch.entity))
    for problem in row.problems:
        column = problem.get("column", "")
        other = problem.get("duplicate_of")
        if not other:  # a likely duplicate is said once, below the problems, with its row
            problems.append({**problem, "label": field_label(column) if column else ""})
        if other:
            duplicate = {"reason": problem.get("duplicate_reason", "")}
            if "row" in other:
                line = int(other["row"])
                duplicate["row"] = line
                duplicate["values"] = others[line].values if line in others else {}
            else:
                duplicate["stored"] = stored.get(int(other["stored"]))
            continue
        if column in fields and column not in {f["name"] for f in fix_fields}:
            fix_fields.append(
                {"name": column, "label": field_label(column), "value": values.get(column, "")}
            )
    return {
        "row": row,
        "values": [(field_label(k), v) for k, v in values.items() if not k.startswith("__")],
        "problems": problems,
        "duplicate": duplicate,
        "fix_fields": fix_fields,
    }


# --- the rows with problems, as a file to fix --------------------------------------------


def import_problems_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The pending rows as .xlsx: "Row", the file's own header, "Problems" (in words);
    identifier columns formatted as text, every text a string cell."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    membership = _reader(request)
    batch = _batch(membership, batch_id)
    header = [str(h) for h in batch.header]
    identifiers = {
        index + 2
        for index, h in enumerate(header)
        if is_identifier_column(h) or is_identifier_column(batch.mapping.get(h, ""))
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=batch.entity[:31])
    for column in sorted(identifiers):
        sheet.column_dimensions[get_column_letter(column)].number_format = TEXT_FORMAT
    sheet.append(xlsx_row(sheet, ["Row", *header, "Problems"]))
    rows = batch.rows.filter(state=ImportRow.State.PENDING).exclude(problems=[])
    for row in rows:
        cells = [*row.cells[: len(header)], *[""] * (len(header) - len(row.cells))]
        line = xlsx_row(sheet, [str(row.line), *cells, _problem_words(row.problems)])
        for column in identifiers:
            line[column - 1].number_format = TEXT_FORMAT
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stem = batch.file_name.rsplit(".", 1)[0][:80] or "import"
    safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in stem)
    response["Content-Disposition"] = f'attachment; filename="{safe} - rows with problems.xlsx"'
    return response


def _problem_words(problems: list[dict[str, Any]]) -> str:
    parts = []
    for p in problems:
        where = f"column {p['column']}: " if p.get("column") else ""
        parts.append(f"{where}expected {p.get('expected', '')}, found {p.get('found', '')!r}")
    return "; ".join(parts)
