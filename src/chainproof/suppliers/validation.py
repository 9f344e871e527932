"""Checking incoming values against the record specifications (chainproof.domain.records),
as Django ValidationErrors naming the field. Every write path of the supply chain comes
through here: the services one record at a time, the importer row by row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from chainproof.accounts.models import Membership
from chainproof.domain.countries import CountryError, resolve_country
from chainproof.domain.records import RecordSpec, SpecError, normalise_identifier
from chainproof.reference.selectors import country_names


def clean(spec: RecordSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """The values as stored; a value that does not fit is a ValidationError on its field."""
    try:
        return spec.normalise(data)
    except SpecError as exc:
        raise ValidationError({exc.field: str(exc)}) from None


def clean_identifiers(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Identifiers as stored (empty values dropped); a malformed value is an error on its
    scheme's field (``duns``), as in a form or a file."""
    wanted = []
    for item in items:
        value = str(item.get("value") or "").strip()
        if not value:
            continue
        scheme = str(item.get("scheme") or "")
        try:
            value = normalise_identifier(scheme, value)
        except SpecError as exc:
            raise ValidationError({exc.field: str(exc)}) from None
        wanted.append({"scheme": scheme, "value": value, "label": str(item.get("label") or "")})
    return wanted


def check_country(organization_id: int, country: str, field: str = "country") -> str:
    """The alpha-2 code of a country given as a code or a name (chainproof.domain.countries,
    the same reading as imports and questionnaires); a ValidationError on ``field`` if it
    names no known country, or two."""
    try:
        return resolve_country(country or "", country_names(organization_id))
    except CountryError as exc:
        raise ValidationError({field: str(exc)}) from None


def member_users(organization_id: int) -> dict[str, Any]:
    """The organization's members by case-folded username."""
    return {
        m.user.username.casefold(): m.user
        for m in Membership.objects.filter(organization_id=organization_id).select_related("user")
    }


def owner_of(organization_id: int, owner: Any) -> Any:
    """A supplier's owner: a member of the organization, given as a user or a username."""
    if owner in (None, ""):
        return None
    username = owner if isinstance(owner, str) else owner.get_username()
    user = member_users(organization_id).get(username.strip().casefold())
    if user is None:
        expected = "the username of a member of your organization"
        raise ValidationError({"owner": f"Expected {expected}, found {username!r}."})
    return user
