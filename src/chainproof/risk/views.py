from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate_by_ids
from chainproof.domain.risk.labels import factor_label, ranked
from chainproof.domain.risk.methodology import MethodologyError, parse_methodology
from chainproof.jobs.views import start_and_follow
from chainproof.risk import selectors
from chainproof.risk.forms import MethodologyForm
from chainproof.risk.models import MethodologyVersion
from chainproof.risk.preview import methodology_preview
from chainproof.risk.services import (
    methodology_for,
    methodology_in_use,
    methodology_save,
    risk_recompute_request,
)
from chainproof.suppliers.models import Facility, Product, Supplier

NODE_MODELS = {"supplier": Supplier, "facility": Facility, "product": Product}
NODE_URLS = {
    "supplier": "suppliers:supplier",
    "facility": "suppliers:facility",
    "product": "suppliers:product",
}
FILTERS = ("level", "node_type", "country", "good", "presumption", "status", "q", "sort")


def register(request: HttpRequest) -> HttpResponseBase:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    params["sort"] = params["sort"] or "-score"
    rows = selectors.register(membership.organization_id, **params)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            "risk-register",
            [
                "type",
                "id",
                "name",
                "country",
                "score",
                "level",
                "own points",
                "CAATSA 321(b)",
                "UFLPA",
                "Section 307",
                "main factor",
                "main reason",
                "top reasons",
                "methodology",
                "computed",
            ],
            (
                [
                    a.node_type,
                    a.node_id,
                    a.node_name,
                    a.country,
                    a.score,
                    a.level,
                    a.own_score,
                    a.caatsa_status,
                    a.uflpa_status,
                    a.section307_status,
                    factor_label(str(a.main_reason["factor"])) if a.main_reason else "",
                    _reason_text(a.main_reason),
                    "; ".join(_reason_text(r) for r in ranked(a.reasons)[:3]),
                    str(a.methodology),
                    a.computed_at.isoformat(),
                ]
                for a in rows.select_related("methodology").iterator()
            ),
        )
    return render(
        request,
        "risk/register.html",
        {
            **paginate_by_ids(request, rows),
            "params": params,
            "counts": selectors.level_counts(membership.organization_id),
            "methodology": methodology_in_use(membership.organization_id),
        },
    )


def _reason_text(reason: dict[str, Any] | None) -> str:
    if reason is None:
        return ""
    return f"{reason['evidence']} ({reason['points']:g} points)"


def node(request: HttpRequest, node_type: str, node_id: int) -> HttpResponse:
    membership = current_membership(request)
    model = NODE_MODELS.get(node_type)
    if model is None:
        raise Http404("No such kind of record.")
    record = get_for_member(membership, model, pk=node_id)
    history = list(selectors.history_for(membership.organization_id, node_type, node_id)[:20])
    current = next((a for a in history if a.is_current), None)
    return render(
        request,
        "risk/node.html",
        {
            "record": record,
            "node_type": node_type,
            "current": current,
            "history": history,
            "record_url": NODE_URLS[node_type],
        },
    )


def heatmap(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    version = methodology_in_use(membership.organization_id)
    levels = methodology_for(version).levels
    bands = [
        {"level": name, "low": bound, "high": levels[i + 1][1] if i + 1 < len(levels) else None}
        for i, (name, bound) in enumerate(levels)
    ]
    return render(
        request,
        "risk/heatmap.html",
        {
            "map": selectors.heatmap(membership.organization_id, [name for name, _ in levels]),
            "bands": bands,
            "methodology": version,
        },
    )


def recompute(request: HttpRequest) -> HttpResponse:
    return start_and_follow(request, risk_recompute_request, back="risk:register")


def _next_version(organization_id: int, name: str, base: str) -> str:
    """The first free "4.1", "4.2" ... after the version a form adjusts."""
    taken = set(
        MethodologyVersion.objects.filter(organization_id=organization_id, name=name).values_list(
            "version", flat=True
        )
    )
    stem = base.split(".")[0] if base.split(".")[0].isdigit() else base
    n = 1
    while f"{stem}.{n}" in taken:
        n += 1
    return f"{stem}.{n}"


def methodology(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org_id = membership.organization_id
    in_use = methodology_in_use(org_id)
    base = methodology_for(in_use)
    content = request.POST.get("content", in_use.content)
    error = ""
    preview = None
    previewed = ""
    candidate_yaml = ""
    form = MethodologyForm(base=base, version=_next_version(org_id, base.name, base.version))
    if request.method == "POST":
        require_role(membership, Role.ADMIN)
        action = request.POST.get("action", "")
        if action in ("preview", "save"):
            form = MethodologyForm(request.POST, base=base)
            content = in_use.content
            if form.is_valid():
                candidate_yaml = form.yaml_text()
                try:
                    candidate = parse_methodology(candidate_yaml)
                except MethodologyError as exc:
                    form.add_error(None, str(exc))
                else:
                    # Saved only as previewed: numbers changed after the preview are
                    # previewed again first.
                    if action == "save" and request.POST.get("previewed") != candidate.sha256:
                        action = "preview"
                        form.add_error(
                            None,
                            "the numbers changed since the preview (or none was made): "
                            "check this preview, then save.",
                        )
                    if action == "preview":
                        preview = methodology_preview(org_id, base, candidate)
                        previewed = candidate.sha256
        if action != "preview" and (action != "save" or form.is_valid()):
            text = candidate_yaml if action == "save" else content
            try:
                with transaction.atomic():
                    saved = methodology_save(
                        organization=membership.organization,
                        actor=request.user,
                        content=text,
                        based_on=in_use,
                    )
            except ValidationError as exc:
                if action == "save":
                    form.add_error(None, "; ".join(exc.messages))
                else:
                    error = "; ".join(exc.messages)
            else:
                messages.success(
                    request, f"Saved {saved}; every score is being recomputed with it."
                )
                return redirect("risk:methodology")
    versions = MethodologyVersion.objects.filter(organization_id=org_id)
    return render(
        request,
        "risk/methodology.html",
        {
            "in_use": in_use,
            "content": content,
            "error": error,
            "versions": versions,
            "form": form,
            "preview": preview,
            "candidate_yaml": candidate_yaml,
            "previewed": previewed,
        },
    )
