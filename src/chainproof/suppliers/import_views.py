"""The web import: upload a list, choose its sheet, confirm its columns
(``importing.pending`` does the work; these views are thin). One upload's page is its
columns until they are confirmed, then its review (``import_review_views``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chainproof.accounts.access import require_role
from chainproof.accounts.roles import Role
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
from chainproof.domain.values import DATE_ORDER_WORDS
from chainproof.suppliers.forms import IMPORT_KINDS, ImportForm
from chainproof.suppliers.import_review_views import (
    batch_for,
    by_words,
    imported_counts,
    review_action,
    review_page,
)
from chainproof.suppliers.importing.base import ImportFailed
from chainproof.suppliers.importing.mappings import mapping_choices
from chainproof.suppliers.importing.pending import (
    batch_check,
    batch_map,
    batch_open,
    batch_sheet,
    batch_upload_kept,
)
from chainproof.suppliers.models import ImportBatch
from chainproof.suppliers.views import _reader, _writer

KIND_WORDS = dict(IMPORT_KINDS)
SAMPLES = 3


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
    """Each batch's rows imported so far (by the command line's run too) and still
    pending, and who made it, in words."""
    for batch in batches:
        summary = batch.summary or {}
        rows = summary.get("rows") or {}
        batch.pending_count = rows.get("pending", 0)  # type: ignore[attr-defined]
        batch.imported_count = imported_counts(summary)["rows"]  # type: ignore[attr-defined]
        batch.by_words = by_words(batch)  # type: ignore[attr-defined]


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
    batch = batch_for(membership, batch_id)
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        if batch.status == ImportBatch.Status.MAPPING and request.POST.get("action") == "sheet":
            return _choose_sheet(request, batch)
        if batch.status == ImportBatch.Status.MAPPING:
            problems = _confirm_mapping(request, batch)
            if not problems:
                messages.success(request, "Columns confirmed; every row was checked.")
                return redirect("suppliers:import_batch", batch.pk)
            return _mapping_page(request, batch, problems)
        return review_action(request, batch)
    if batch.status == ImportBatch.Status.MAPPING:
        return _mapping_page(request, batch, [])
    return review_page(request, batch)


def _choose_sheet(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    """Read another sheet of the workbook from the kept upload (a new upload of that
    sheet; this one stays as it is)."""
    try:
        with transaction.atomic():
            chosen = batch_sheet(batch, actor=request.user, sheet=request.POST.get("sheet", ""))
    except MappingError as exc:
        return _mapping_page(request, batch, [f"expected {exc}"])
    except ImportFailed as exc:
        return _mapping_page(request, batch, [str(e) for e in exc.errors])
    messages.success(request, f"The sheet {chosen.sheet!r} was read instead.")
    return redirect("suppliers:import_batch", chosen.pk)


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
            "file_kept": bool(batch.other_sheets) and batch_upload_kept(batch),
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
