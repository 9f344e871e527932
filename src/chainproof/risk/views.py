from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.exports import export_response
from chainproof.common.paging import paginate
from chainproof.jobs.views import start_and_follow
from chainproof.risk import selectors
from chainproof.risk.models import MethodologyVersion
from chainproof.risk.services import (
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


def register(request: HttpRequest) -> HttpResponse:
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
                    "; ".join(
                        r["evidence"] for r in sorted(a.reasons, key=lambda r: -r["points"])[:3]
                    ),
                    str(a.methodology_id),
                    a.computed_at.isoformat(),
                ]
                for a in rows.iterator()
            ),
        )
    return render(
        request,
        "risk/register.html",
        {
            **paginate(request, rows),
            "params": params,
            "counts": selectors.level_counts(membership.organization_id),
            "methodology": methodology_in_use(membership.organization_id),
        },
    )


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
    return render(
        request, "risk/heatmap.html", {"map": selectors.heatmap(membership.organization_id)}
    )


def recompute(request: HttpRequest) -> HttpResponse:
    return start_and_follow(request, risk_recompute_request, back="risk:register")


def methodology(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    in_use = methodology_in_use(membership.organization_id)
    content = request.POST.get("content", in_use.content)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ADMIN)
        try:
            with transaction.atomic():
                saved = methodology_save(
                    organization=membership.organization,
                    actor=request.user,
                    content=content,
                    based_on=in_use,
                )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            messages.success(request, f"Saved {saved}; every score is being recomputed with it.")
            return redirect("risk:methodology")
    versions = MethodologyVersion.objects.filter(organization_id=membership.organization_id)
    return render(
        request,
        "risk/methodology.html",
        {
            "in_use": in_use,
            "content": content,
            "error": error,
            "versions": versions,
        },
    )
