"""The demo organization's shipment and detention case, so a newcomer sees one: an entry
of merino scarves held at the port of Newark under the UFLPA, its exhibits drawn from the
evidence locker, a task, and a first package built and signed (with a self-signed trial
certificate). Invented data; running it again changes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chainproof.cases.models import DetentionCase, Shipment
from chainproof.cases.packages import package_build
from chainproof.cases.selectors import suggested_documents
from chainproof.cases.services import case_open, exhibit_add, task_add
from chainproof.cases.shipments import shipment_save
from chainproof.suppliers.models import Facility, Product

SCARF = "APP-SCF-010"


def demo_case_load(
    *, organization: Any, actor: Any = None, package: bool = True
) -> DetentionCase | None:
    org = int(getattr(organization, "pk", organization))
    if Shipment.objects.filter(organization_id=org).exists():
        return None
    if not (
        Product.objects.filter(organization_id=org, sku=SCARF).exists()
        and Facility.objects.filter(organization_id=org, ref="F-IT-01").exists()
    ):
        return None
    today = timezone.localdate()
    imported = today - dt.timedelta(days=16)
    with transaction.atomic():
        shipment = shipment_save(
            organization=org,
            actor=actor,
            data={
                "reference": "PO-9100000222",
                "entry_number": "CPF-2026114-1",
                "importer_of_record": "Demo Importer Inc.",
                "filer": "Harbor Customs Brokerage",
                "port_code": "4601",
                "arrival_date": (imported - dt.timedelta(days=1)).isoformat(),
                "importation_date": imported.isoformat(),
                "mode": "ocean",
                "carrier": "Mediterranean Line",
                "bill_of_lading": "MEDU4471208",
            },
            lines=[
                {
                    "product_sku": SCARF,
                    "quantity": "2400",
                    "unit": "pcs",
                    "value_usd": "38400",
                    "origin_country": "IT",
                    "facility_ref": "F-IT-01",
                },
            ],
        )
        shipment_save(
            organization=org,
            actor=actor,
            data={
                "reference": "PO-9100000305",
                "kind": "planned",
                "importer_of_record": "Demo Importer Inc.",
                "arrival_date": (today + dt.timedelta(days=30)).isoformat(),
                "mode": "ocean",
            },
            lines=[{"product_sku": SCARF, "quantity": "3000", "unit": "pcs"}],
        )
        case = case_open(
            organization=org,
            actor=actor,
            shipment=shipment,
            basis=DetentionCase.Basis.UFLPA,
            notice_at=(today - dt.timedelta(days=9)).isoformat(),
            cbp_reference="UFLPA-NWK-2026-0071",
        )
        exhibit_add(case=case, actor=actor, documents=list(suggested_documents(case)))
        task_add(
            case=case,
            actor=actor,
            title="Ask Valle Sessera for the signed certificate of origin",
            due_date=today + dt.timedelta(days=5),
        )
    if package:
        with contextlib.suppress(ValidationError):  # the case stays; build from its page
            package_build(case=case, actor=actor)
    return case
