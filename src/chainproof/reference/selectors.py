"""Reading reference data: which editions an organization sees, and which is current."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from chainproof.domain.countries import readable_name
from chainproof.reference.models import Country, Dataset


def visible_datasets(organization_id: int | None) -> QuerySet[Dataset]:
    """Public datasets plus those the organization loaded itself."""
    condition = Q(organization__isnull=True)
    if organization_id is not None:
        condition |= Q(organization_id=organization_id)
    return Dataset.objects.filter(condition)


def editions_of(kind: str, organization_id: int | None) -> QuerySet[Dataset]:
    return visible_datasets(organization_id).filter(kind=kind).order_by("-as_of", "-loaded_at")


def current_dataset(
    kind: str, organization_id: int | None = None, *, on: date | None = None
) -> Dataset | None:
    """The edition in force on a date: the latest as-of date not after it."""
    on = on or timezone.localdate()
    return editions_of(kind, organization_id).filter(as_of__lte=on).first()


def known_country_codes(organization_id: int | None = None) -> set[str]:
    dataset = current_dataset("countries", organization_id)
    if dataset is None:
        return set()
    return set(Country.objects.filter(dataset=dataset).values_list("alpha2", flat=True))


def country_names(organization_id: int | None = None) -> dict[str, str]:
    """Each known country's name to show, by alpha-2 code. The dataset's names are CLDR short
    names, which for the United States and the United Kingdom are "US" and "UK"; an
    abbreviation is replaced by the country's name (``readable_name``), so a drop-down reads
    "United States (US)", not "US (US)"."""
    dataset = current_dataset("countries", organization_id)
    if dataset is None:
        return {}
    rows = Country.objects.filter(dataset=dataset).values_list("alpha2", "name", "official_name")
    return {code: readable_name(code, name, official) for code, name, official in rows}
