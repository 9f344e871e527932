"""A reference dataset named as people know it: ``{{ ds.kind|dataset_title }}`` turns
"cbp_wro_findings" into "CBP Withhold Release Orders and Findings". For any page that lists
datasets (the overview, a score's sources); the code stays what is stored."""

from __future__ import annotations

from django import template

from chainproof.domain.refdata import KINDS

register = template.Library()


@register.filter
def dataset_title(code: str) -> str:
    kind = KINDS.get(str(code))
    return kind.title if kind else str(code).replace("_", " ")
