from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from chainproof.accounts.access import current_membership, get_for_member, require_role
from chainproof.accounts.roles import Role
from chainproof.common.paging import paginate
from chainproof.domain.countries import CountryError, resolve_country
from chainproof.domain.screening.entries import LIST_NAMES, entry_standing
from chainproof.jobs.views import start_and_follow
from chainproof.reference.selectors import country_names
from chainproof.screening import selectors
from chainproof.screening.models import ScreeningHit, WatchlistEntry
from chainproof.screening.services import (
    hits_decide,
    list_index,
    percent,
    screening_request,
    threshold,
    threshold_set,
)
from chainproof.screening.watchlists import (
    watchlist_add,
    watchlist_import_request,
    watchlist_remove,
)


def hit_queue(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    error = ""
    if request.method == "POST":
        require_role(membership, Role.ADMIN)
        try:
            with transaction.atomic():
                chosen = threshold_set(
                    organization_id=membership.organization_id,
                    actor=request.user,
                    value=request.POST.get("threshold", ""),
                )
            messages.success(
                request, f"Review threshold set to {percent(chosen)}; screening runs again."
            )
            return redirect("screening:queue")
        except ValidationError as exc:
            error = "; ".join(exc.messages)
    params = {k: request.GET.get(k, "").strip() for k in ("status", "list_code", "q")}
    if "status" not in request.GET:
        params["status"] = "open"
    hits = selectors.queue(
        membership.organization_id,
        status=params["status"],
        list_code=params["list_code"],
        q=params["q"],
    )
    page = paginate(request, hits)
    page["rows"] = selectors.with_entry_kinds(page["rows"])
    return render(
        request,
        "screening/queue.html",
        {
            **page,
            "params": params,
            "counts": [
                (ScreeningHit.Status(status).label, n)
                for status, n in sorted(selectors.counts(membership.organization_id).items())
                if status in ScreeningHit.Status.values
            ],
            "list_codes": LIST_NAMES,
            "threshold": threshold(membership.organization_id),
            "threshold_percent": round(threshold(membership.organization_id) * 100),
            "error": error,
        },
        status=400 if error else 200,
    )


def hit_detail(request: HttpRequest, hit_id: int) -> HttpResponse:
    membership = current_membership(request)
    hit = get_for_member(membership, ScreeningHit, pk=hit_id)
    alike = selectors.with_entry_kinds(selectors.near_identical_hits(hit))
    error, chosen = "", {other.pk for other in alike}
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        wanted = {int(v) for v in request.POST.getlist("together") if v.isdigit()} - {hit.pk}
        together = [get_for_member(membership, ScreeningHit, pk=pk) for pk in sorted(wanted)]
        chosen = {other.pk for other in together}
        try:
            if chosen - {other.pk for other in alike}:
                raise ValidationError(
                    "Only open hits of this record that list the same entity can be decided "
                    "with it; reload the page to see which are."
                )
            with transaction.atomic():
                decided = hits_decide(
                    hits=[hit, *together],
                    actor=request.user,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                )
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            what = hit.get_status_display().lower()
            messages.success(
                request, f"Hit {what}." if len(decided) == 1 else f"{len(decided)} hits {what}."
            )
            return redirect("screening:queue")
    selectors.with_entry_kinds([hit])
    return render(
        request,
        "screening/hit.html",
        {
            "hit": hit,
            "error": error,
            "record_url": "suppliers:supplier"
            if hit.node_type == "supplier"
            else "suppliers:facility",
            "comparison": selectors.comparison(hit),
            "standing": entry_standing(hit.entry_status),
            "alike": [(other, other.pk in chosen) for other in alike],
        },
        status=400 if error else 200,
    )


SEARCH_NAME_LIMIT = 1_000  # characters screened from a name typed on the search page


def search(request: HttpRequest) -> HttpResponse:
    """Screen any name, without storing anything."""
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    typed = request.GET.get("name", "").strip()
    name = typed[:SEARCH_NAME_LIMIT]
    country_typed = request.GET.get("country", "").strip()[:100]
    address = request.GET.get("address", "").strip()[:500]
    notes: list[str] = []
    country = ""
    if country_typed:
        try:
            country = resolve_country(country_typed, country_names(membership.organization_id))
        except CountryError as exc:
            notes.append(f"Country not used: {exc}")
    if len(typed) > SEARCH_NAME_LIMIT:
        notes.append(
            f"Only the first {SEARCH_NAME_LIMIT:,} of {len(typed):,} characters were screened."
        )
    if "name" in request.GET and not typed:
        notes.append("Type a name to screen.")
    rows: list[dict[str, object]] = []
    if name:
        index, _ = list_index(membership.organization_id)
        matches = index.screen([name], country=country, address=address, threshold=0.3, limit=15)
        rows = selectors.search_rows(matches)
    return render(
        request,
        "screening/search.html",
        {
            "name": name,
            "country": country_typed,
            "country_code": country,
            "address": address,
            "rows": rows,
            "notes": notes,
        },
    )


def run(request: HttpRequest) -> HttpResponse:
    return start_and_follow(request, screening_request, back="screening:queue")


def watchlist(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    require_role(membership, Role.VIEWER)
    org_id = membership.organization_id
    error, import_errors = "", None
    if request.method == "POST":
        require_role(membership, Role.ANALYST)
        try:
            with transaction.atomic():
                if "file" in request.FILES:
                    upload = request.FILES.get("file")
                    size = getattr(upload, "size", 0) or 0
                    if upload is None or not 0 < size <= settings.UPLOAD_MAX_BYTES:
                        raise ValidationError("The file is empty or too large.")
                    job = watchlist_import_request(
                        organization_id=org_id, actor=request.user, upload=upload
                    )
                    return redirect("jobs:detail", job.pk)
                if request.POST.get("remove", "").isdigit():
                    entry = get_for_member(
                        membership, WatchlistEntry, pk=int(request.POST["remove"])
                    )
                    watchlist_remove(entry=entry, actor=request.user)
                    messages.success(request, f"Removed {entry.name}.")
                else:
                    watchlist_add(
                        organization_id=org_id,
                        actor=request.user,
                        name=request.POST.get("name", ""),
                        aliases=request.POST.get("aliases", "").split("|"),
                        country=request.POST.get("country", ""),
                        address=request.POST.get("address", ""),
                        notes=request.POST.get("notes", ""),
                    )
                    messages.success(request, "Added to the watchlist; screening runs again.")
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        else:
            return redirect("screening:watchlist")
    entries = WatchlistEntry.objects.filter(organization_id=org_id)
    return render(
        request,
        "screening/watchlist.html",
        {**paginate(request, entries), "error": error, "import_errors": import_errors},
    )
