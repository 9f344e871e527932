"""The demo organization's statements: last year's UK modern-slavery statement, approved by
an invented board, and this year's draft, so a newcomer sees both and the comparison
between them. Running it again changes nothing (it stops when the organization has any
statement)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from chainproof.statements.models import Statement
from chainproof.statements.services import statement_approve, statement_create

DEMO_REGIME = "uk_msa"


def demo_statements_load(*, organization: Any, actor: Any = None) -> list[Statement]:
    org = int(getattr(organization, "pk", organization))
    if Statement.objects.filter(organization_id=org).exists():
        return []
    today = timezone.localdate()
    last = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    with transaction.atomic():
        approved = statement_create(
            organization=org,
            actor=actor,
            regime_code=DEMO_REGIME,
            period_start=last[0],
            period_end=last[1],
        )
        statement_approve(
            statement=approved,
            actor=actor,
            approver="board",
            name="Board of directors of Demo Importer Inc. (invented)",
            role="Signed by Dana Whitfield (invented), Director",
            approved_on=min(today, last[1] + dt.timedelta(days=75)),
        )
        draft = statement_create(
            organization=org,
            actor=actor,
            regime_code=DEMO_REGIME,
            period_start=dt.date(today.year, 1, 1),
            period_end=dt.date(today.year, 12, 31),
        )
    return [approved, draft]
