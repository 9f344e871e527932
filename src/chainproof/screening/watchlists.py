"""An organization's own watchlist: entries added by hand or imported from CSV/XLSX."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from chainproof.audit.services import audit_record, audit_record_many
from chainproof.domain.countries import CountryError, resolve_country
from chainproof.domain.tabular import (
    Column,
    ColumnSet,
    TableFileError,
    country_code,
    list_column,
    short_text,
    text,
    validate_sheet,
)
from chainproof.fileformats.tables import read_table
from chainproof.jobs import recompute
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue
from chainproof.jobs.uploads import store_upload
from chainproof.reference.selectors import country_names, known_country_codes
from chainproof.screening.models import WatchlistEntry

WATCHLIST = ColumnSet(
    columns=(
        Column("name", short_text(300), help="The name to watch for."),
        list_column("aliases", "|", required=False, help="Other names, separated by |."),
        Column("country", country_code, required=False, help="ISO 3166-1 alpha-2 code."),
        Column("address", text, required=False, help="Street address, if known."),
        Column("notes", text, required=False, help="Why it is watched."),
    ),
    key=("name",),
    country_columns=("country",),
)


class WatchlistImportFailed(Exception):
    def __init__(self, error: TableFileError) -> None:
        super().__init__(str(error))
        self.errors = error.errors
        self.total = error.total


def watchlist_add(
    *,
    organization_id: int,
    actor: Any,
    name: str,
    aliases: list[str],
    country: str = "",
    address: str = "",
    notes: str = "",
) -> WatchlistEntry:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A watchlist entry needs a name."})
    if country.strip():
        try:
            country = resolve_country(country, country_names(organization_id))
        except CountryError as exc:
            raise ValidationError({"country": str(exc)}) from None
    else:
        country = ""
    entry = WatchlistEntry.objects.create(
        organization_id=organization_id,
        name=name[:300],
        aliases=[a.strip() for a in aliases if a.strip()],
        country=country,
        address=address.strip(),
        notes=notes,
    )
    audit_record(
        action="screening.watchlist_added",
        actor=actor,
        organization=organization_id,
        obj=entry,
        after={
            "name": entry.name,
            "aliases": entry.aliases,
            "country": entry.country,
            "address": entry.address,
        },
    )
    recompute.screening_rules_changed(organization_id, actor=actor)
    return entry


def watchlist_remove(*, entry: WatchlistEntry, actor: Any) -> None:
    before = {
        "name": entry.name,
        "aliases": entry.aliases,
        "country": entry.country,
        "address": entry.address,
    }
    org_id, pk, label = entry.organization_id, entry.pk, entry.name
    entry.delete()
    audit_record(
        action="screening.watchlist_removed",
        actor=actor,
        organization=org_id,
        object_type="screening.watchlistentry",
        object_id=pk,
        object_repr=label,
        before=before,
    )


def watchlist_import_request(*, organization_id: int, actor: Any, upload: Any) -> Job:
    """Keep the uploaded file and queue its import (the caller's transaction): a file is
    read in the worker, under its memory limit, never in a request."""
    return job_enqueue(
        kind=JobKind.SCREENING_WATCHLIST_IMPORT,
        organization=organization_id,
        actor=actor,
        params={"path": store_upload(upload), "file_name": str(upload.name)[:255]},
    )


def watchlist_import(*, organization_id: int, actor: Any, data: bytes, file_name: str) -> int:
    """Add every row of a file, or none (errors name sheet, row and column)."""
    try:
        sheet = read_table(data, file_name, sheet="watchlist")
        rows = validate_sheet(
            WATCHLIST,
            sheet,
            source=file_name,
            known_countries=known_country_codes(organization_id),
            allow_missing_optional=True,
        )
    except TableFileError as exc:
        raise WatchlistImportFailed(exc) from None
    entries = WatchlistEntry.objects.bulk_create(
        [
            WatchlistEntry(
                organization_id=organization_id,
                name=row["name"],
                aliases=row["aliases"] or [],
                country=row["country"] or "",
                address=row["address"] or "",
                notes=row["notes"] or "",
            )
            for _, row in rows
        ]
    )
    audit_record_many(
        organization=organization_id,
        actor=actor,
        entries=[
            {
                "action": "screening.watchlist_added",
                "object_type": "screening.watchlistentry",
                "object_id": e.pk,
                "object_repr": e.name,
                "after": {
                    "name": e.name,
                    "aliases": e.aliases,
                    "country": e.country,
                    "address": e.address,
                    "file": file_name,
                },
            }
            for e in entries
        ],
    )
    recompute.screening_rules_changed(organization_id, actor=actor)
    return len(entries)
