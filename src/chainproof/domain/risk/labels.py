"""Each risk factor in words, and which reason is the main one.

Factor ids (``tip_tier``, ``dprk_workers_unknown``) are stored with every reason so that
assessments stay comparable across versions; people read these labels instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FACTOR_LABELS: dict[str, str] = {
    "tip_tier": "Country's TIP Report tier",
    "xinjiang": "Worksite in Xinjiang",
    "dol_goods": "Good on the DOL List for this country",
    "high_scrutiny_sector": "CBP high-priority sector",
    "wro_country_goods": "Goods covered by a country-wide WRO or Finding",
    "wro_entity": "Named in a WRO or Finding",
    "entity_list_confirmed": "Confirmed match on a government list",
    "entity_list_possible": "Possible match on a government list, to review",
    "entity_list_entry_status": "List entry no longer fully in force",
    "dprk_host_country": "Country reported to host North Korean workers",
    "dprk_workers_present": "North Korean workers at the site",
    "dprk_workers_unknown": "North Korean workers not ruled out",
    "dprk_workers_not_asked": "North Korean workers: not yet asked",
    "migrant_workers": "High share of migrant workers",
    "site_unknown": "Worksite not known",
    "unknown_upstream": "Origin of an input not known",
    "upstream": "Risk carried from upstream",
    "presumption": "Presumption of forced labor",
}

SIGNAL_LABELS: dict[str, str] = {
    "no_forced_labor_policy": "No forced-labor policy",
    "worker_paid_recruitment_fees": "Workers paid recruitment fees",
    "identity_documents_retained": "Identity documents held by the employer",
    "wages_paid_to_third_party": "Wages paid to a third party",
    "no_grievance_mechanism": "No grievance mechanism",
    "no_audit": "No audit",
    "ilo_indicator_found": "Audit found forced-labor indicators",
    "corrective_action_overdue": "Corrective action overdue",
    "dprk_nationals_reported": "Supplier reports North Korean nationals",
}

# Within a factor, the parts a methodology prices (shown in the methodology form).
PART_LABELS: dict[str, str] = {
    "points": "points",
    "unranked": "points when the country has no tier",
    "in_host_country": "points in a country reported to host them",
    "share": "share of the workforce (0 to 1)",
    "high_risk_good": "points when the input is a high-risk good",
    "forced_labor": "points for forced labor",
    "forced_child_labor": "points for forced child labor",
    "child_labor": "points for child labor",
    "inactive": "share kept when the entry is inactive or revoked (0 to 1)",
    "modified": "share kept when the entry is partially modified (0 to 1)",
}


def factor_label(factor: str) -> str:
    """'dprk_workers_unknown' -> 'North Korean workers not ruled out';
    'signal:no_audit' -> 'Reported: No audit'. An id without a label is made readable."""
    if factor.startswith("signal:"):
        code = factor.removeprefix("signal:")
        return "Reported: " + SIGNAL_LABELS.get(code, code.replace("_", " "))
    return FACTOR_LABELS.get(factor, factor.replace("_", " ").capitalize())


def _get(reason: Any, key: str) -> Any:
    return reason.get(key) if isinstance(reason, Mapping) else getattr(reason, key)


def _points(reason: Any) -> float:
    try:
        return float(_get(reason, "points") or 0)
    except (TypeError, ValueError):
        return 0.0


def _by_points(reasons: list[Any]) -> list[Any]:
    """Largest first; among equal points, the factor with more points in all (two audit
    findings of 20 before one listed good of 20), then the engine's order."""
    totals: dict[str, float] = {}
    for reason in reasons:
        factor = str(_get(reason, "factor"))
        totals[factor] = totals.get(factor, 0.0) + _points(reason)
    order = sorted(
        enumerate(reasons),
        key=lambda x: (-_points(x[1]), -totals[str(_get(x[1], "factor"))], x[0]),
    )
    return [reason for _, reason in order]


def main_reason(reasons: Iterable[Any]) -> Any | None:
    """The reason that puts the score where it is, or None when nothing scores.

    A presumption that applies is it (it ranks the product at the top). Risk from
    upstream is it when it sets the score (more than the record's own points); otherwise
    the largest of the record's own reasons is, never the first one listed."""
    listed = list(reasons)
    for reason in listed:
        if _get(reason, "factor") == "presumption" and str(_get(reason, "evidence")).startswith(
            "presumption applies"
        ):
            return reason
    own = [r for r in listed if _get(r, "factor") not in ("upstream", "presumption")]
    own_total = min(100.0, sum(_points(r) for r in own))
    upstream = [r for r in listed if _get(r, "factor") == "upstream"]
    if upstream and _points(upstream[0]) > own_total:
        return upstream[0]
    top = _by_points(own) or _by_points(listed)
    return top[0] if top and _points(top[0]) > 0 else None


def ranked(reasons: Iterable[Any]) -> list[Any]:
    """Reasons as a person reads them: the main reason first, then the others largest
    first."""
    listed = list(reasons)
    main = main_reason(listed)
    rest = _by_points([r for r in listed if r is not main])
    return [main, *rest] if main is not None else rest
