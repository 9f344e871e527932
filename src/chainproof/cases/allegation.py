"""A draft allegation to CBP (19 CFR 12.42(b)) for a team that found North Korean or other
forced labor in its chain: the full statement of reasons, a detailed description of the
goods, and all pertinent facts about the production abroad, as a PDF to file through
CBP's e-Allegations site. Drafted from the record; nothing is sent anywhere."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.fileformats.html_pdf import pdf_from_html

MAX_FIELD = 20_000
# (field, label, help) in the order 12.42(b) gives them.
ALLEGATION_FIELDS = (
    (
        "reasons",
        "Statement of reasons",
        "Why you believe the goods are made with forced labor: what was found, by whom, when.",
    ),
    (
        "goods",
        "Description of the goods",
        "What the goods are, HTS codes, how they reach the United States.",
    ),
    (
        "production",
        "Facts of the production",
        "Where and by whom they are made; the workers concerned (e.g. North Korean "
        "nationals), recruitment, wages, documents held.",
    ),
    (
        "sources",
        "Sources and evidence",
        "Audit reports, interviews, documents you can provide (not attached here).",
    ),
    ("contact", "Who files", "Name, role and contact of the person filing."),
)


def allegation_pdf(
    *, organization: Any, actor: Any, facility: Any, product: Any, values: dict[str, str]
) -> bytes:
    cleaned = {name: str(values.get(name) or "").strip() for name, _, _ in ALLEGATION_FIELDS}
    for name, label, _ in ALLEGATION_FIELDS:
        if len(cleaned[name]) > MAX_FIELD:
            raise ValidationError(
                f"{label}: expected at most {MAX_FIELD:,} characters, found {len(cleaned[name]):,}."
            )
    missing = [label for name, label, _ in ALLEGATION_FIELDS[:3] if not cleaned[name]]
    if missing:
        raise ValidationError(f"12.42(b) asks for: {', '.join(missing)}; found nothing.")
    html = render_to_string(
        "cases/print/allegation.html",
        {
            "organization": organization,
            "facility": facility,
            "product": product,
            "sections": [(label, cleaned[name]) for name, label, _ in ALLEGATION_FIELDS],
            "drafted_at": timezone.localtime(),
        },
    )
    pdf = pdf_from_html(html, title="Allegation draft (19 CFR 12.42(b))", author=organization.name)
    with transaction.atomic():
        audit_record(
            action="cases.allegation_drafted",
            actor=actor,
            organization=organization.pk,
            object_type="allegation",
            object_repr=(facility.name if facility else product.name if product else "")[:300],
            after={
                "facility": facility.pk if facility else None,
                "product": product.pk if product else None,
            },
        )
    return pdf
