"""The pre-arrival check of a shipment or planned purchase: for every line, the
presumption checks of its product, its risk, the screening status of every name in its
chain and how ready the evidence is, so a team knows before the goods sail what CBP could
ask and what they could not yet answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from chainproof.cases.models import Shipment, ShipmentLine
from chainproof.cases.selectors import last_full_screening
from chainproof.diligence.readiness import facility_readiness, product_readiness
from chainproof.domain.cases.ports import port_get
from chainproof.domain.evidence.readiness import Readiness
from chainproof.domain.nodes import NodeKind
from chainproof.risk.selectors import current_for
from chainproof.risk.templatetags.risk import REGIME_LABELS
from chainproof.screening.models import ScreeningHit

VERDICTS = {"applies": "Applies", "may_apply": "May apply", "does_not_apply": "Does not apply"}


@dataclass
class LineCheck:
    line: ShipmentLine
    presumptions: list[dict[str, Any]]
    score: float | None
    level: str
    open_hits: list[ScreeningHit]
    confirmed_hits: list[ScreeningHit]
    readiness: Readiness | None
    gaps: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """One word for the line: stop, check, or clear."""
        statuses = {p["status"] for p in self.presumptions}
        if "applies" in statuses or self.confirmed_hits:
            return "stop"
        if "may_apply" in statuses or self.open_hits or self.level in ("high", "critical"):
            return "check"
        if self.readiness is None or self.gaps:
            return "check"
        return "clear"


@dataclass
class ShipmentCheck:
    shipment: Shipment
    lines: list[LineCheck]
    port: Any
    checked_at: Any
    screened: Any = None  # the last full screening's audit event, or None

    @property
    def verdict(self) -> str:
        verdicts = {line.verdict for line in self.lines}
        for word in ("stop", "check"):
            if word in verdicts:
                return word
        # No list match means nothing while the names were never screened.
        return "clear" if self.lines and self.screened is not None else "check"


def _hits(org: int, readiness: Readiness | None) -> list[ScreeningHit]:
    if readiness is None:
        return []
    facility_ids = [r.key.id for r in readiness.records if r.key.kind is NodeKind.FACILITY]
    supplier_ids = [r.key.id for r in readiness.records if r.key.kind is NodeKind.SUPPLIER]
    found = ScreeningHit.objects.filter(
        organization_id=org,
        status__in=(ScreeningHit.Status.OPEN, ScreeningHit.Status.CONFIRMED),
    )
    return list(
        found.filter(node_type="facility", node_id__in=facility_ids)
        | found.filter(node_type="supplier", node_id__in=supplier_ids)
    )


def line_check(line: ShipmentLine) -> LineCheck:
    org = line.organization_id
    presumptions: list[dict[str, Any]] = []
    score = None
    level = ""
    readiness = None
    gaps: list[str] = []
    if line.product is not None:
        assessment = current_for(org, "product", line.product_id)  # type: ignore[arg-type]
        if assessment is not None:
            score, level = float(assessment.score), assessment.level
            presumptions = [
                {
                    **p,
                    "label": REGIME_LABELS.get(str(p.get("regime")), str(p.get("regime"))),
                    "verdict": VERDICTS.get(str(p.get("status")), str(p.get("status"))),
                }
                for p in assessment.presumptions
            ]
        else:
            gaps.append("Risk not computed yet for this product.")
        readiness = product_readiness(line.product)
    elif line.facility is not None:
        readiness = facility_readiness(line.facility)
        assessment = current_for(org, "facility", line.facility_id)  # type: ignore[arg-type]
        if assessment is not None:
            score, level = float(assessment.score), assessment.level
    else:
        gaps.append("The line names neither one of your products nor a worksite: nothing to check.")
    if readiness is not None:
        gaps += [f"{g.record.name}: {g.text}" for g in readiness.gaps[:30]]
        if len(readiness.gaps) > 30:
            gaps.append(f"… and {len(readiness.gaps) - 30} more missing documents.")
    hits = _hits(org, readiness)
    return LineCheck(
        line=line,
        presumptions=presumptions,
        score=score,
        level=level,
        open_hits=[h for h in hits if h.status == ScreeningHit.Status.OPEN],
        confirmed_hits=[h for h in hits if h.status == ScreeningHit.Status.CONFIRMED],
        readiness=readiness,
        gaps=gaps,
    )


def shipment_check(shipment: Shipment) -> ShipmentCheck:
    lines = shipment.lines.select_related("product", "facility").order_by("number")
    return ShipmentCheck(
        shipment=shipment,
        lines=[line_check(line) for line in lines],
        port=port_get(shipment.port_code) if shipment.port_code else None,
        checked_at=timezone.localtime(),
        screened=last_full_screening(shipment.organization_id),
    )
