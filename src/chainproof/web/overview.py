"""What the overview reads: "where do we stand" in figures, each counted by the very
selector its list page uses (so the number on the overview is the number of rows behind
its link; suppliers at a risk level from the counts kept as assessments are written, which
equal it, tested in tests/integration/test_risk_level_counts.py), the risk-level
distribution and the trends by month. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from chainproof.cases import selectors as cases
from chainproof.evidence.selectors import documents_for
from chainproof.questionnaires import selectors as questionnaires
from chainproof.questionnaires.models import QuestionnaireRequest, Submission
from chainproof.risk import selectors as risk
from chainproof.screening.models import ScreeningHit
from chainproof.screening.selectors import queue

LEVELS = ("critical", "high", "medium", "low")
EXPIRY_WINDOWS = (30, 60)
MONTHS = 6


@dataclass(frozen=True)
class Figure:
    key: str  # an id in the page, e.g. "hits-open"
    count: int
    label: str  # what is counted, in words, after the number ("screening hits to review")
    url: str  # the list filtered to exactly these records
    tone: str = ""  # "bad" | "warn" | "": how the tile is marked (its words say it too)


@dataclass(frozen=True)
class Group:
    title: str
    figures: list[Figure]


def _url(name: str, **params: Any) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _tone(count: int, tone: str) -> str:
    return tone if count else ""


def headline(organization_id: int, *, today: dt.date | None = None) -> list[Group]:
    """The headline figures, grouped by what they ask of the team."""
    today = today or timezone.localdate()
    hits = queue(organization_id, status=ScreeningHit.Status.OPEN).count()
    # Suppliers at a level: the counts kept as assessments are written, which equal the
    # supplier list filtered by that level (each supplier has one current assessment).
    suppliers_at = risk.level_counts(organization_id, node_type="supplier")
    critical, high = suppliers_at.get("critical", 0), suppliers_at.get("high", 0)
    applies, may_apply = (
        risk.register(
            organization_id, node_type="product", presumption=risk.ANY_PRESUMPTION, status=s
        ).count()
        for s in ("applies", "may_apply")
    )
    states = {
        state: questionnaires.requests_in_state(organization_id, state, today=today).count()
        for state in questionnaires.REQUEST_STATES
    }
    expiring = {
        days: documents_for(organization_id, expires_within=days, today=today).count()
        for days in EXPIRY_WINDOWS
    }
    open_cases = cases.open_cases_by_days_left(organization_id)
    by_days: Counter[str] = Counter()
    for row in open_cases:
        for key, (_, test) in cases.DAYS_LEFT_GROUPS.items():
            if test(row.days_left):
                by_days[key] += 1
                break
    return [
        Group(
            "To review",
            [
                Figure(
                    "hits-open",
                    hits,
                    "screening hits to review",
                    _url("screening:queue", status="open"),
                    _tone(hits, "warn"),
                ),
                Figure(
                    "questionnaires-to-review",
                    states["to-review"],
                    "questionnaires submitted, to review",
                    _url("questionnaires:requests", state="to-review"),
                ),
            ],
        ),
        Group(
            "Exposure",
            [
                Figure(
                    "suppliers-critical",
                    critical,
                    "suppliers at critical risk",
                    _url("suppliers:index", risk="critical"),
                    _tone(critical, "bad"),
                ),
                Figure(
                    "suppliers-high",
                    high,
                    "suppliers at high risk",
                    _url("suppliers:index", risk="high"),
                    _tone(high, "warn"),
                ),
                Figure(
                    "products-presumption-applies",
                    applies,
                    "products where a presumption applies",
                    _url(
                        "risk:register",
                        node_type="product",
                        presumption=risk.ANY_PRESUMPTION,
                        status="applies",
                    ),
                    _tone(applies, "bad"),
                ),
                Figure(
                    "products-presumption-may-apply",
                    may_apply,
                    "products where a presumption may apply",
                    _url(
                        "risk:register",
                        node_type="product",
                        presumption=risk.ANY_PRESUMPTION,
                        status="may_apply",
                    ),
                    _tone(may_apply, "warn"),
                ),
            ],
        ),
        Group(
            "Waiting on suppliers and documents",
            [
                Figure(
                    "questionnaires-outstanding",
                    states["outstanding"],
                    "questionnaires outstanding",
                    _url("questionnaires:requests", state="outstanding"),
                ),
                Figure(
                    "questionnaires-overdue",
                    states["overdue"],
                    "questionnaires overdue",
                    _url("questionnaires:requests", state="overdue"),
                    _tone(states["overdue"], "bad"),
                ),
                *(
                    Figure(
                        f"evidence-expiring-{days}",
                        expiring[days],
                        f"documents expiring in the next {days} days",
                        _url("evidence:index", expires=days),
                        _tone(expiring[days], "warn" if days > EXPIRY_WINDOWS[0] else "bad"),
                    )
                    for days in EXPIRY_WINDOWS
                ),
            ],
        ),
        Group(
            "Open detention cases",
            [
                Figure(
                    f"cases-{key}",
                    by_days[key],
                    f"open case{'s' if by_days[key] != 1 else ''}, {words}",
                    _url("cases:index", due=key),
                    _tone(by_days[key], {"week": "bad", "three-weeks": "warn"}.get(key, "")),
                )
                for key, (words, _) in cases.DAYS_LEFT_GROUPS.items()
            ],
        ),
    ]


@dataclass(frozen=True)
class LevelCount:
    level: str
    count: int
    url: str


def risk_distribution(organization_id: int) -> list[LevelCount]:
    """Every record's current risk level, counted (critical first), each linked to the
    register at that level."""
    counts = risk.level_counts(organization_id)
    return [
        LevelCount(level, counts.get(level, 0), _url("risk:register", level=level))
        for level in LEVELS
    ]


# --- trends by month -----------------------------------------------------------------------


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the ``months`` months up to this one (this month: today)."""
    ends = [today]
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = first - dt.timedelta(days=1)
        ends.append(first)
        first = first.replace(day=1)
    return list(reversed(ends))


def _end_of(day: dt.date) -> dt.datetime:
    """The end of ``day`` in the current time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def response_rates(organization_id: int, ends: list[dt.date]) -> list[float | None]:
    """At each month's end: of the questionnaires sent by then, the share answered by then
    (a first submission); None when none had been sent."""
    sent = dict(
        QuestionnaireRequest.objects.filter(
            organization_id=organization_id, sent_at__isnull=False
        ).values_list("pk", "sent_at")
    )
    first_answer = dict(
        Submission.objects.filter(request__organization_id=organization_id)
        .values("request_id")
        .annotate(first=Min("submitted_at"))
        .values_list("request_id", "first")
    )
    rates: list[float | None] = []
    for end in ends:
        limit = _end_of(end)
        answered = {pk for pk, at in first_answer.items() if at <= limit}
        asked = {pk for pk, at in sent.items() if at is not None and at <= limit} | answered
        rates.append(round(100 * len(answered) / len(asked), 1) if asked else None)
    return rates


def open_hits(organization_id: int, ends: list[dt.date]) -> list[float | None]:
    """At each month's end: the screening hits found by then and not yet decided then."""
    rows = list(
        ScreeningHit.objects.filter(organization_id=organization_id).values_list(
            "created_at", "reviewed_at", "status"
        )
    )
    out: list[float | None] = []
    for end in ends:
        limit = _end_of(end)
        out.append(
            sum(
                1
                for created, reviewed, status in rows
                if created <= limit
                and (status == ScreeningHit.Status.OPEN or reviewed is None or reviewed > limit)
            )
        )
    return out


def risk_levels_by_month(
    organization_id: int, ends: list[dt.date], levels: tuple[str, ...] = ("critical", "high")
) -> dict[str, list[float | None]]:
    """At each month's end: how many records stood at each of ``levels`` (the counts kept
    month by month as assessments are written)."""
    counts = risk.level_counts_by_month(organization_id, ends, levels)
    return {level: list(values) for level, values in counts.items()}


@dataclass(frozen=True)
class Trend:
    ident: str
    title: str
    unit: str
    ceiling: float | None
    series: list[tuple[str, list[float | None], str]]  # name, values, marker


def trends(organization_id: int, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    ends = month_ends(today)
    levels = risk_levels_by_month(organization_id, ends)
    month: Callable[[dt.date], str] = lambda d: d.strftime("%b %Y")  # noqa: E731
    return {
        "months": [month(end) for end in ends],
        "trends": [
            Trend(
                "trend-response-rate",
                "Questionnaire response rate at each month's end",
                "%",
                100,
                [("Answered", response_rates(organization_id, ends), "circle")],
            ),
            Trend(
                "trend-open-hits",
                "Screening hits open at each month's end",
                "",
                None,
                [("Open hits", open_hits(organization_id, ends), "square")],
            ),
            Trend(
                "trend-risk",
                "Records at critical and high risk at each month's end",
                "",
                None,
                [
                    ("Critical", levels["critical"], "square"),
                    ("High", levels["high"], "circle"),
                ],
            ),
        ],
    }
