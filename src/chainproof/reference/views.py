from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate
from chainproof.domain.refdata import KINDS, DatasetKind, trust_words
from chainproof.reference.forms import DatasetUploadForm
from chainproof.reference.models import (
    Country,
    Dataset,
    DprkLaborStatement,
    EntityListEntry,
    GoodEntry,
    TipPlacement,
    WroFinding,
)
from chainproof.reference.selectors import current_dataset, editions_of
from chainproof.reference.services import DatasetFile, ReferenceLoadError, datasets_load
from chainproof.reference.tables import TABLE_FOR_KIND, TABLES, Table, table_rows
from chainproof.reference.update_views import update_panel


def _reader(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    return membership


def _as_of(request: HttpRequest) -> date | None:
    raw = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _dataset_for(request: HttpRequest, membership: Membership, kind: str) -> Dataset | None:
    """The edition the user asked for (?dataset=ID, ?as_of=DATE) or the current one."""
    chosen = request.GET.get("dataset", "")
    if chosen:
        return get_for_member(
            membership,
            Dataset.objects.filter(kind=kind),
            include_shared=True,
            pk=chosen if chosen.isdigit() else -1,
        )
    return current_dataset(kind, membership.organization_id, on=_as_of(request))


def _completes(kind: str) -> DatasetKind | None:
    """The main kind an additional (partial) edition completes, if it is one."""
    found = KINDS.get(kind)
    return KINDS.get(found.supplements) if found and found.supplements else None


def index(request: HttpRequest) -> HttpResponse:
    membership = _reader(request)
    org_id = membership.organization_id
    groups = []
    for code, kind in KINDS.items():
        editions = list(editions_of(code, org_id))
        current = current_dataset(code, org_id)
        groups.append(
            {
                "kind": kind,
                "table": TABLE_FOR_KIND.get(code),
                "editions": editions,
                "current": current,
            }
        )
    return render(
        request, "reference/index.html", {"groups": groups, "updates": update_panel(membership)}
    )


def table(request: HttpRequest, slug: str) -> HttpResponseBase:
    membership = _reader(request)
    spec: Table | None = TABLES.get(slug)
    if spec is None:
        raise Http404("No such reference table.")
    dataset = _dataset_for(request, membership, spec.kind)
    context: dict[str, Any] = {
        "spec": spec,
        "dataset": dataset,
        "kind": KINDS.get(spec.kind),
        "completes": _completes(spec.kind),
        "editions": editions_of(spec.kind, membership.organization_id),
        "q": request.GET.get("q", "").strip(),
        "as_of": request.GET.get("as_of", ""),
        "columns": [c for c in spec.columns if not c.export_only],
    }
    if dataset is None:
        return render(request, "reference/table.html", context)
    base = spec.rows(dataset.pk)
    rows = table_rows(spec, dataset.pk, context["q"], request.GET.dict())
    active_filters = [
        {
            "filter": flt,
            "value": request.GET.get(flt.param, "").strip(),
            "choices": flt.choices(base) if flt.choices else [],
        }
        for flt in spec.filters
    ]
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            f"{spec.slug}-{dataset.pk}",
            [c.label for c in spec.columns],
            ([c.value(r) for c in spec.columns] for r in rows.iterator()),
        )
    page = paginate(request, rows)
    page["cells"] = [
        [(c, c.html(r) if c.html else c.value(r)) for c in context["columns"]] for r in page["rows"]
    ]
    context.update(page, filters=active_filters)
    return render(request, "reference/table.html", context)


def dataset_detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    membership = _reader(request)
    dataset = get_for_member(membership, Dataset, include_shared=True, pk=dataset_id)
    return render(
        request,
        "reference/dataset.html",
        {
            "dataset": dataset,
            "kind": KINDS.get(dataset.kind),
            "completes": _completes(dataset.kind),
            "table": TABLE_FOR_KIND.get(dataset.kind),
            "is_current": current_dataset(dataset.kind, membership.organization_id) == dataset,
        },
    )


def country_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    membership = _reader(request)
    org_id = membership.organization_id
    iso2 = iso2.upper()
    countries = current_dataset("countries", org_id)
    country = Country.objects.filter(dataset=countries, alpha2=iso2).first() if countries else None
    if country is None:
        raise Http404("No such country in the countries data.")

    def rows(kind: str, model: Any, **extra: Any) -> Any:
        ds = current_dataset(kind, org_id)
        return (ds, model.objects.filter(dataset=ds, **extra) if ds else model.objects.none())

    tip_ds, tips = rows("tip_tiers", TipPlacement, iso2=iso2)
    goods_ds, goods = rows("dol_goods", GoodEntry, iso2=iso2)
    wro_ds, wros = rows("cbp_wro_findings", WroFinding, iso2=iso2)
    dprk_ds, dprk = rows("dprk_overseas_labor", DprkLaborStatement, iso2=iso2)
    uflpa_ds, uflpa = rows("uflpa_entity_list", EntityListEntry, iso2=iso2)
    # The additional editions complete the main ones: a TIP year the main table has keeps
    # its tier; the additions fill the years it lacks (as the risk engine does).
    tip_added_ds, tips_added = rows("tip_tiers_additions", TipPlacement, iso2=iso2)
    dprk_added_ds, dprk_added = rows("dprk_overseas_labor_additions", DprkLaborStatement, iso2=iso2)
    tips = list(tips.order_by("report_year"))
    years = {t.report_year for t in tips}
    for added in tips_added:
        if added.report_year not in years:
            added.trust = trust_words(added.note)
            tips.append(added)
    tips.sort(key=lambda t: t.report_year)
    return render(
        request,
        "reference/country.html",
        {
            "country": country,
            "tips": tips,
            "latest_tip": tips[-1] if tips else None,
            "tip_ds": tip_ds,
            "goods": goods,
            "goods_ds": goods_ds,
            "wros": wros,
            "wro_ds": wro_ds,
            "dprk": dprk,
            "dprk_ds": dprk_ds,
            "tip_added_ds": tip_added_ds,
            "tips_added": any(getattr(t, "trust", None) is not None for t in tips),
            "dprk_added": dprk_added,
            "dprk_added_ds": dprk_added_ds,
            "uflpa_count": uflpa.count(),
            "uflpa_ds": uflpa_ds,
        },
    )


def upload(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.ADMIN)
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    load_errors: ReferenceLoadError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = DatasetFile(
            kind=data["kind"],
            file_name=data["file"].name,
            data=data["file"].read(),
            edition=data["edition"].strip(),
            as_of=data["as_of"],
            source=data["source"].strip(),
            license=data["license"].strip(),
            notes=data["notes"].strip(),
        )
        try:
            with transaction.atomic():
                outcome = datasets_load(
                    [spec], organization=membership.organization, actor=request.user
                )[0]
        except ReferenceLoadError as exc:
            load_errors = exc
            form.add_error(None, "The file was not loaded; nothing was changed.")
        else:
            ds = outcome.dataset
            if outcome.created:
                messages.success(
                    request, f"Loaded {ds.row_count} rows of {ds.kind} {ds.edition!r}."
                )
            else:
                messages.info(
                    request, f"{ds.kind} {ds.edition!r} was already loaded from this file."
                )
            return redirect("reference:dataset", ds.pk)
    return render(request, "reference/upload.html", {"form": form, "load_errors": load_errors})
