"""The search behind a record picker (``picking``): the organization's records of one
kind whose name, reference or code holds what the person types, as JSON for
``picker.js``; worksites of one supplier when the menu is kept to them (``?supplier=``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.suppliers.models import Supplier
from chainproof.suppliers.picking import PickKind, found

QUERY_LONGEST = 200  # characters of the search kept; a name is never longer


@require_GET
def record_lookup(request: HttpRequest, kind: str) -> JsonResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)  # a supplier's contact reads no other supplier
    try:
        pick = PickKind(kind)
    except ValueError:
        raise Http404("No such kind of record.") from None
    supplier = None
    if "supplier" in request.GET:
        raw = request.GET["supplier"]
        if pick is not PickKind.FACILITY or not raw.isdigit():
            raise Http404("No such supplier's worksites.")
        supplier = get_for_member(membership, Supplier, pk=int(raw)).pk
    q = request.GET.get("q", "").strip()[:QUERY_LONGEST]
    choices, more = found(membership.organization_id, pick, q, supplier)
    return JsonResponse(
        {
            "results": [{"value": c.value, "label": c.label, "group": c.group} for c in choices],
            "more": more,
        }
    )
