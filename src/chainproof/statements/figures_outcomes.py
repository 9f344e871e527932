"""Figures about what came of the work: shipments detained by customs and the outcome of
each case, and measures of effectiveness against the period before."""

from __future__ import annotations

from collections import Counter

from chainproof.cases import selectors as cases
from chainproof.statements.figures import (
    Figure,
    Period,
    computes,
    day,
    listing,
    plural,
    table,
    url,
)
from chainproof.statements.figures_program import (
    audits_by_kind,
    corrective_actions,
    findings_by_indicator,
    in_period,
    questionnaires,
    remediation,
    training,
)


@computes("detentions")
def detentions(period: Period) -> Figure:
    opened = list(
        cases.cases_for(period.organization_id)
        .filter(**in_period("notice_at", period))
        .order_by("notice_at", "pk")
    )
    rows = [
        (
            f"Case {c.number}",
            str(c.shipment),
            c.get_basis_display(),
            day(c.notice_at.date()),
            c.get_status_display(),
        )
        for c in opened
    ]
    status = Counter(c.get_status_display().lower() for c in opened)
    sentence = (
        f"Customs detained {plural(len(opened), 'shipment')} of ours in the period; "
        + listing([f"{n} {words}" for words, n in sorted(status.items())])
        + "."
        if opened
        else "No shipment of ours was detained by customs in the period."
    )
    return Figure(
        key="detentions",
        title="Detentions by customs",
        sentence=sentence,
        table=table(
            "Detention cases opened in the period",
            ("Case", "Shipment", "Basis", "Notice of", "Outcome"),
            rows,
        ),
        row_links=tuple(url("cases:case", c.pk) for c in opened),
        links=(("Detention cases", url("cases:index")),),
        value=len(opened),
    )


@computes("effectiveness")
def effectiveness(period: Period) -> Figure:
    before = period.before()
    measures = []
    for words, key, detail in (
        ("Questionnaires answered", "questionnaires", "answered"),
        ("Audits held", "audits_by_kind", ""),
        ("Findings of forced-labour indicators", "findings_by_indicator", ""),
        ("Corrective actions closed", "corrective_actions", "closed"),
        ("People trained", "training", "attendees"),
        ("Workers reimbursed recruitment fees", "remediation", ""),
    ):
        compute = _FIGURE_FUNCTIONS[key]
        now, then = compute(period), compute(before)
        measures.append((words, _measure(now, detail), _measure(then, detail)))
    rows = [(words, f"{now:,}", f"{then:,}", _change(now, then)) for words, now, then in measures]
    more = [w.lower() for w, now, then in measures if now > then]
    sentence = (
        f"Against the period before ({before.words()}), these rose: {listing(more)}."
        if more
        else f"None of our measures rose against the period before ({before.words()})."
    )
    return Figure(
        key="effectiveness",
        title="Measures of effectiveness",
        sentence=sentence,
        table=table(
            "This period compared with the period before",
            ("Measure", "This period", "Period before", "Change"),
            rows,
        ),
        row_links=(),
        links=(("Due-diligence program", url("diligence:program")),),
        value=len(more),
    )


def _measure(figure: Figure, detail: str) -> int:
    """The figure's headline number, or one of its details (``extra``)."""
    value = figure.extra.get(detail) if detail else figure.value
    return int(value or 0)


def _change(now: int, then: int) -> str:
    if now == then:
        return "no change"
    return f"{'+' if now > then else '-'}{abs(now - then):,}"


_FIGURE_FUNCTIONS = {
    "questionnaires": questionnaires,
    "audits_by_kind": audits_by_kind,
    "findings_by_indicator": findings_by_indicator,
    "corrective_actions": corrective_actions,
    "training": training,
    "remediation": remediation,
}
