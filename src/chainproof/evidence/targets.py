"""Records named in words, as people type them: "supplier:S-VN-01", "product:APP-SCF-010",
"facility:F-VN-01" or by number ("supplier:12"). The one parser of the upload page, the
API and the CLI; whether the record exists in the organization is checked when the link is
written (``documents.check_targets``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from chainproof.evidence.documents import LinkTarget
from chainproof.suppliers.models import Facility, Product, Supplier

KINDS = ("supplier", "facility", "product", "material", "link")
# Records that have a reference of their own, and what people call it.
BY_REFERENCE: dict[str, tuple[type[Any], str, str]] = {
    "supplier": (Supplier, "ref", "supplier reference"),
    "facility": (Facility, "ref", "worksite reference"),
    "product": (Product, "sku", "SKU"),
}
EXAMPLE = "supplier:S-VN-01, product:APP-SCF-010 or supplier:12"


def target_parse(organization_id: int, kind: str, given: str) -> LinkTarget:
    """One record of a kind, by number or by reference."""
    kind, text = kind.strip().lower(), str(given).strip()
    text = text.removeprefix(f"{kind}:").strip()  # "supplier:S-VN-01" typed in full
    if kind not in KINDS:
        raise ValidationError(
            {"links": f"Expected one of {', '.join(KINDS)} before the colon, found {kind!r}."}
        )
    if text.isdigit() and len(text) <= 18:
        return LinkTarget(kind, int(text))
    if kind not in BY_REFERENCE or not text:
        raise ValidationError({"links": f"Expected a {kind} number, found {text!r}."})
    model, field, label = BY_REFERENCE[kind]
    found = model.objects.filter(organization_id=organization_id, **{field: text}).first()
    if found is None:
        raise ValidationError({"links": f"No {kind} with the {label} {text!r}."})
    return LinkTarget(kind, found.pk)


def targets_parse(organization_id: int, text: str) -> list[LinkTarget]:
    """Several records, separated by commas or spaces: "supplier:S-VN-01 facility:F-VN-01"."""
    found = []
    for part in text.replace(",", " ").split():
        kind, colon, given = part.partition(":")
        if not colon:
            raise ValidationError(
                {"links": f"Expected type:reference such as {EXAMPLE}, found {part!r}."}
            )
        found.append(target_parse(organization_id, kind, given))
    return found
