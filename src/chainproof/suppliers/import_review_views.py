"""The web import's review of one upload: its rows sorted (ready, merged, pending and
why), the actions on them (import the ready rows, fix a cell, merge or keep apart a likely
duplicate, discard, read the dates in one order), and the rows with problems as a file to
fix; with the fetch of an upload through the access helper that every import page uses
(``batch_for``). The upload and its columns are in ``import_views``."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from chainproof.accounts.access import current_membership, get_for_member
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.exports import TEXT_FORMAT, is_identifier_column
from chainproof.common.paging import paginate
from chainproof.domain.import_mapping import (
    ATTRIBUTE,
    IGNORE,
    MappingError,
    entity_fields,
    field_label,
)
from chainproof.domain.supply_columns import DATE_COLUMNS
from chainproof.domain.values import DATE_ORDER_WORDS
from chainproof.fileformats.cells import xlsx_row
from chainproof.suppliers.forms import IMPORT_KINDS
from chainproof.suppliers.importing.base import ImportFailed
from chainproof.suppliers.importing.pending import (
    batch_check,
    batch_date_order,
    batch_import,
    batch_mapping,
    batch_records,
    row_decide,
    row_discard,
    row_edit,
)
from chainproof.suppliers.models import (
    Facility,
    ImportBatch,
    ImportRow,
    Material,
    Product,
    Supplier,
)
from chainproof.suppliers.views import _reader

KIND_WORDS = dict(IMPORT_KINDS)
# The choice of date order the review page offers once for a whole batch.
REVIEW_DATE_ORDERS = [
    ("DMY", "Day first: day.month.year (08.11.2024 = 8 November)"),
    ("MDY", "Month first: month/day/year (11/08/2024 = 8 November)"),
]
# What a row does or did, in words (a link to its record follows where there is one).
OUTCOME_WORDS = {
    "creates": "will be created",
    "updates": "will update",
    "unchanged": "unchanged:",
    "created": "created:",
    "updated": "updated:",
    "merged into a stored record": "merged into",
}
LISTED = 500  # rows listed in each collapsed list of the review page
RECORD_PAGES: dict[str, tuple[str, Any]] = {
    "suppliers": ("suppliers:supplier", Supplier),
    "facilities": ("suppliers:facility", Facility),
    "products": ("suppliers:product", Product),
    "materials": ("suppliers:material_edit", Material),
}


def batch_for(membership: Membership, batch_id: int, *, write: bool = False) -> ImportBatch:
    """One upload of the member's organization (another's is a 404, a missing role a 403)."""
    return get_for_member(
        membership,
        ImportBatch.objects.select_related("created_by"),
        minimum=Role.ANALYST if write else Role.VIEWER,
        pk=batch_id,
    )


def by_words(batch: ImportBatch) -> str:
    """Who made the upload, in words."""
    if batch.created_by is not None:
        return str(batch.created_by)
    if batch.origin == ImportBatch.Origin.WEB:
        return "a member no longer here"
    return batch.get_origin_display()


def imported_counts(summary: dict[str, Any]) -> dict[str, int]:
    """What was imported from a batch: its rows imported in review, and what the command
    line's run imported before it kept the rest here."""
    done = summary.get("imported") or {}
    run = summary.get("run") or {}
    totals = {
        k: int(done.get(k, 0)) + int(run.get(k, 0))
        for k in ("created", "updated", "unchanged", "merged")
    }
    totals["rows"] = totals["created"] + totals["updated"] + totals["unchanged"]
    return totals


# --- the rows of one upload, and what a person does with them ------------------------------


def _row(batch: ImportBatch, request: HttpRequest) -> ImportRow:
    line = request.POST.get("row", "")
    return get_for_member(
        current_membership(request),
        ImportRow.objects.select_related("batch").filter(batch=batch),
        minimum=Role.ANALYST,
        field="batch__organization",
        line=int(line) if line.isdigit() else -1,
    )


def review_action(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    """One action of a person on an upload under review (``action`` in the form)."""
    action = request.POST.get("action", "")
    back = reverse("suppliers:import_batch", args=[batch.pk])
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?page={page}"
    if action == "date_order":
        chosen = request.POST.get("date_order", "")
        try:
            with transaction.atomic():
                batch_date_order(batch, actor=request.user, date_order=chosen)
        except MappingError as exc:
            messages.error(request, f"Expected {exc}.")
            return redirect(back)
        with transaction.atomic():
            batch_check(batch)
        words = dict(REVIEW_DATE_ORDERS).get(chosen, DATE_ORDER_WORDS.get(chosen, chosen))
        messages.success(
            request,
            f"Every date of this list is now read {words[:1].lower()}{words[1:]}; "
            "the rows were checked again.",
        )
        return redirect(back)
    if action == "import":
        try:
            with transaction.atomic():
                report = batch_import(batch, actor=request.user)
        except ImportFailed as exc:  # a record changed meanwhile: nothing was imported
            messages.error(
                request,
                "Nothing was imported: " + "; ".join(str(e) for e in exc.errors[:3]) + ".",
            )
            return redirect(back)
        if not (report.created + report.updated + report.unchanged + report.merged):
            messages.info(request, "No row was ready to import; nothing was imported.")
            return redirect(back)
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
            request,
            "Expected an action (import, date order, edit, merge, keep, discard), "
            f"found {action!r}.",
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


def review_page(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    """The upload's rows: what is ready, merged and imported, and the pending ones."""
    summary = batch.summary or {}
    states = summary.get("rows") or {}
    open_rows = batch.rows.filter(state=ImportRow.State.PENDING)
    pending = open_rows.exclude(problems=[])
    context = paginate(request, pending)
    page_rows = list(context["rows"])
    records = {r.line: r for r in batch_records(batch, page_rows)}
    lines = {r.line: r for r in batch.rows.filter(line__in=_other_lines(page_rows))}
    other_records = {r.line: r for r in batch_records(batch, list(lines.values()))}
    stored = _stored_records(batch, page_rows)
    headers = batch_mapping(batch).headers()
    shown = [
        _row_view(batch, row, records.get(row.line), other_records, stored, headers)
        for row in page_rows
    ]
    mapping = batch_mapping(batch)
    ready = summary.get("ready", 0)
    to_merge = summary.get("merged", 0)
    can_write = current_membership(request).has_role(Role.ANALYST)
    return render(
        request,
        "suppliers/import_review.html",
        {
            **context,
            "batch": batch,
            "kind": KIND_WORDS.get(batch.entity, batch.entity),
            "by_words": by_words(batch),
            "shown": shown,
            "ready": ready,
            "creates": summary.get("creates", 0),
            "updates": summary.get("updates", 0),
            "unchanged": summary.get("unchanged", 0),
            "merged_now": to_merge,
            "importable": ready + to_merge,
            "pending_count": summary.get("pending", 0),
            "reasons": summary.get("reasons") or {},
            "ambiguous_dates": summary.get("ambiguous_dates", 0),
            "imported": imported_counts(summary),
            "run": summary.get("run"),
            "states": states,
            "ready_rows": _listed(
                batch, open_rows.filter(problems=[]).exclude(outcome__startswith="merged")
            ),
            "merged_rows": _listed(
                batch, open_rows.filter(problems=[], outcome__startswith="merged")
            ),
            "imported_rows": _listed(
                batch,
                batch.rows.filter(state__in=[ImportRow.State.IMPORTED, ImportRow.State.MERGED]),
            ),
            "date_columns": bool(DATE_COLUMNS.get(batch.entity)),
            "review_date_orders": REVIEW_DATE_ORDERS,
            "mapped": [
                (h, field_label(t))
                for h, t in mapping.columns.items()
                if t not in (ATTRIBUTE, IGNORE)
            ],
            "attributes": [h for h, t in mapping.columns.items() if t == ATTRIBUTE],
            "left_out": [h for h, t in mapping.columns.items() if t == IGNORE and str(h).strip()],
            "date_order_words": DATE_ORDER_WORDS.get(batch.date_order or "", ""),
            "can_write": can_write,
        },
    )


def _listed(batch: ImportBatch, rows: Any) -> dict[str, Any]:
    """Rows for a collapsed list: how many, and the first of them with their name, what
    they do and the record they created, update or were merged into (a link)."""
    count = rows.count()
    first = list(rows[:LISTED])
    records = {r.line: r for r in batch_records(batch, first)}
    page, model = RECORD_PAGES.get(batch.entity, ("", None))
    ids = {r.record_id for r in first if r.record_id}
    names = (
        {
            o.pk: str(o)
            for o in model.objects.filter(organization_id=batch.organization_id, pk__in=ids)
        }
        if model is not None and ids
        else {}
    )
    items = []
    for row in first:
        record = records.get(row.line)
        values = record.values if record else {}
        name = next((values[f] for f in ("legal_name", "name") if values.get(f)), "")
        if not name and values:
            name = next(iter(values.values()))
        target = None
        if row.record_id in names:
            target = {"name": names[row.record_id], "url": reverse(page, args=[row.record_id])}
        # A merge into a stored record says after it what the record kept.
        outcome, _, note = row.outcome.partition("; ")
        what = OUTCOME_WORDS.get(outcome, row.outcome if not note else outcome)
        if target is not None and not what.endswith((":", " into")):
            what += ":"
        items.append({"line": row.line, "name": name, "what": what, "record": target, "note": note})
    return {"count": count, "items": items, "more": max(0, count - len(first))}


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


def column_words(column: str, headers: dict[str, str]) -> str:
    """A problem's column as the file names it ("Land", not "country"); a field the file
    has no column for by its label; several ("ref, legal_name") each so."""
    parts = [p.strip() for p in str(column).split(",") if p.strip()]
    return ", ".join(headers.get(p) or field_label(p) for p in parts)


def _row_view(
    batch: ImportBatch,
    row: ImportRow,
    record: Any,
    others: dict[int, Any],
    stored: dict[int, Any],
    headers: dict[str, str],
) -> dict[str, Any]:
    values = dict(record.values) if record else {}
    problems, duplicate = [], None
    fix_fields: list[dict[str, str]] = []
    fields = set(entity_fields(batch.entity))
    for problem in row.problems:
        column = problem.get("column", "")
        other = problem.get("duplicate_of")
        if not other:  # a likely duplicate is said once, below the problems, with its row
            problems.append({**problem, "label": column_words(column, headers) if column else ""})
        if other:
            duplicate = {
                "reason": problem.get("duplicate_reason", ""),
                "if_merged": problem.get("if_merged", ""),
            }
            if "row" in other:
                line = int(other["row"])
                duplicate["row"] = line
                duplicate["values"] = others[line].values if line in others else {}
            else:
                duplicate["stored"] = stored.get(int(other["stored"]))
            continue
        if column in fields and column not in {f["name"] for f in fix_fields}:
            label = field_label(column)
            header = headers.get(column)
            fix_fields.append(
                {
                    "name": column,
                    "label": f"{header} ({label})" if header and header != label else label,
                    "value": values.get(column, ""),
                }
            )
    return {
        "row": row,
        "values": [
            (headers.get(k) or field_label(k), v)
            for k, v in values.items()
            if not k.startswith("__")
        ],
        "problems": problems,
        "duplicate": duplicate,
        "fix_fields": fix_fields,
    }


# --- the rows with problems, as a file to fix --------------------------------------------


def import_problems_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The rows that need a person as .xlsx, in the file's own layout so that it goes back
    in with the same (saved) mapping: "Row", the file's header with the edits made in
    review put in the columns they came from, "Problems" (in words, each naming the
    file's column); identifier columns formatted as text, every text a string cell."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    membership = _reader(request)
    batch = batch_for(membership, batch_id)
    header = [str(h) for h in batch.header]
    headers = batch_mapping(batch).headers()
    rows = list(batch.rows.filter(state=ImportRow.State.PENDING).exclude(problems=[]))
    # A field typed in review that no column of the file fills gets a column of its own.
    extra = sorted({f for r in rows for f in r.edits if f not in headers} - set(header))
    position = {
        field: header.index(column) for field, column in headers.items() if column in header
    }
    joined = {
        field: [i for i, h in enumerate(header) if batch.mapping.get(h) == field]
        for field in headers
    }
    full = [*header, *extra]
    identifiers = {
        index + 2
        for index, h in enumerate(full)
        if is_identifier_column(h) or is_identifier_column(batch.mapping.get(h, ""))
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=batch.entity[:31])
    for column in sorted(identifiers):
        sheet.column_dimensions[get_column_letter(column)].number_format = TEXT_FORMAT
    sheet.append(xlsx_row(sheet, ["Row", *full, "Problems"]))
    for row in rows:
        cells = [*row.cells[: len(header)], *[""] * (len(header) - len(row.cells))]
        cells += [""] * len(extra)
        for field, text in row.edits.items():
            if field in position:
                for other in joined.get(field, []):
                    cells[other] = ""
                cells[position[field]] = text
            elif field in extra:
                cells[len(header) + extra.index(field)] = text
        line = xlsx_row(sheet, [str(row.line), *cells, _problem_words(row.problems, headers)])
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


def _problem_words(problems: list[dict[str, Any]], headers: dict[str, str]) -> str:
    parts = []
    for p in problems:
        where = f"{column_words(p['column'], headers)}: " if p.get("column") else ""
        parts.append(f"{where}expected {p.get('expected', '')}, found {p.get('found', '')!r}")
    return "; ".join(parts)
