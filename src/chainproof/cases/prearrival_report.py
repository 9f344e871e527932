"""The pre-arrival check as a PDF (the same content as its page)."""

from __future__ import annotations

from django.template.loader import render_to_string

from chainproof.cases.prearrival import ShipmentCheck
from chainproof.fileformats.html_pdf import pdf_from_html


def prearrival_pdf(check: ShipmentCheck) -> bytes:
    html = render_to_string("cases/print/prearrival.html", {"check": check, "pdf": True})
    return pdf_from_html(
        html,
        title=f"Pre-arrival check, {check.shipment}",
        author=check.shipment.organization.name,
    )
