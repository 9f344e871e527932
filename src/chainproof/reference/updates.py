"""Keeping reference lists current: fetch a list from its publisher (or read a downloaded
file), parse it into chainproof's layout, validate it as any upload is validated, and
compare it with the edition in force; load it as a new edition only when asked.

A failed fetch (network, HTTP error, a page whose layout changed) raises ``UpdateError``
saying what went wrong, and nothing changes. Loading goes through
``services.datasets_load``: the same all-or-nothing validation, the audit event, and the
re-screen and re-score of every organization concerned. The old edition stays queryable.
"""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.refdata import KINDS, get_kind
from chainproof.domain.refdata_diff import EditionDiff, edition_diff
from chainproof.reference.models import (
    Country,
    Dataset,
    DprkLaborStatement,
    EntityListEntry,
    GoodEntry,
    IloIndicator,
    TipPlacement,
    WroFinding,
)
from chainproof.reference.selectors import current_dataset, known_country_codes
from chainproof.reference.services import (
    MAX_REFERENCE_FILE_BYTES,
    DatasetFile,
    LoadOutcome,
    ReferenceLoadError,
    _validate,
    datasets_load,
    read_file,
)
from chainproof.reference.sources import PARSERS, ParsedEdition, SourceFormatError

# What a publisher's page or file may be sent as; anything else (an image, a video) is
# not a list and is refused before it is read.
ACCEPTED_TYPES = (
    "text/",
    "application/xml",
    "application/xhtml+xml",
    "application/json",
    "application/csv",
    "application/octet-stream",
    "application/zip",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
USER_AGENT = "chainproof reference-data updater (+https://github.com/chainproof)"


class UpdateError(Exception):
    """A list could not be fetched, read, parsed or validated; nothing was changed.
    ``errors`` lists row-level problems when there are any."""

    def __init__(self, message: str, errors: list[Any] | None = None, total: int = 0) -> None:
        super().__init__(message)
        self.errors = errors or []
        self.total = total or len(self.errors)


@dataclass
class UpdatePlan:
    """A new edition read, parsed and validated, and how it differs from the one in force."""

    kind: str
    spec: DatasetFile
    diff: EditionDiff
    current: Dataset | None
    notes: list[str] = field(default_factory=list)
    already_loaded: Dataset | None = None  # this very file is an edition already loaded
    # editions of other kinds read from the same files (OFAC's ADD.CSV: the entries'
    # addresses), loaded with the list in the same transaction
    related: list[DatasetFile] = field(default_factory=list)

    @property
    def needs_loading(self) -> bool:
        return self.already_loaded is None and (self.current is None or not self.diff.is_empty)

    @property
    def title(self) -> str:
        return get_kind(self.kind).title


# --- where the lists come from -----------------------------------------------------------


def updatable_kinds() -> list[str]:
    """The kinds with a publisher's address configured, in the order of KINDS."""
    return [kind for kind in KINDS if settings.REFDATA_URLS.get(kind)]


def source_addresses(kind: str) -> list[str]:
    get_kind(kind)
    addresses = list(settings.REFDATA_URLS.get(kind) or [])
    if not addresses:
        raise UpdateError(
            f"{kind}: no source address is configured; set CHAINPROOF_REFDATA_URL_"
            f"{kind.upper()} or give a downloaded file with --from"
        )
    return addresses


def _is_url(source: str) -> bool:
    return urllib.parse.urlsplit(source).scheme in ("http", "https")


def _name_from_url(url: str, kind: str) -> str:
    name = Path(urllib.parse.urlsplit(url).path).name
    return name or f"{kind}.html"


def fetch(url: str, *, timeout: float | None = None) -> bytes:
    """The file at ``url`` (http or https), or UpdateError."""
    if not _is_url(url):
        raise UpdateError(f"{url}: expected an http:// or https:// address")
    timeout = timeout or settings.REFDATA_FETCH_TIMEOUT
    # http and https only (checked above): never file: or a custom scheme
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            content_type = response.headers.get_content_type()
            if not content_type.startswith(ACCEPTED_TYPES):
                raise UpdateError(
                    f"{url}: expected a web page or a data file, found content of type "
                    f"{content_type}"
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_REFERENCE_FILE_BYTES:
                raise UpdateError(
                    f"{url}: the file is {int(declared):,} bytes; reference files may be at "
                    f"most {MAX_REFERENCE_FILE_BYTES:,} bytes"
                )
            data: bytes = response.read(MAX_REFERENCE_FILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise UpdateError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise UpdateError(f"{url}: cannot reach the server ({exc.reason})") from None
    except TimeoutError:
        raise UpdateError(f"{url}: no answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise UpdateError(f"{url}: the download failed ({exc})") from None
    if len(data) > MAX_REFERENCE_FILE_BYTES:
        raise UpdateError(
            f"{url}: the file is larger than {MAX_REFERENCE_FILE_BYTES:,} bytes, the most a "
            "reference file may be"
        )
    if not data:
        raise UpdateError(f"{url}: the server sent an empty file")
    return data


def read_sources(kind: str, sources: list[str] | None = None) -> dict[str, bytes]:
    """Each source (an address to fetch, or a downloaded file) by its file name."""
    files: dict[str, bytes] = {}
    for source in sources or source_addresses(kind):
        if _is_url(source):
            name, data = _name_from_url(source, kind), fetch(source)
        else:
            try:
                data = read_file(Path(source))
            except ReferenceLoadError as exc:
                raise UpdateError(str(exc)) from None
            name = Path(source).name
        files[name] = data
    return files


# --- parsing -----------------------------------------------------------------------------


def _own_header(kind: str, data: bytes) -> bool:
    """Whether the file is a CSV in chainproof's own layout for the kind."""
    try:
        first = data[:65536].decode("utf-8-sig").splitlines()[0]
    except (UnicodeDecodeError, IndexError):
        return False
    header = {name.strip() for name in next(csv.reader([first]), [])}
    required = {c.name for c in get_kind(kind).columns if c.required}
    return required <= header


def own_layout(files: Mapping[str, bytes], as_of: date, *, kind: str) -> ParsedEdition:
    """A file already in chainproof's CSV layout for the kind (what `refdata load`
    reads): the fallback when no parser of the publisher's format is installed, and the
    way to load a list prepared by hand."""
    if len(files) != 1:
        raise SourceFormatError(
            "chainproof's CSV layout", "one CSV file", f"{len(files)} files: {', '.join(files)}"
        )
    [(name, data)] = files.items()
    if not _own_header(kind, data):
        raise SourceFormatError(
            name,
            f"a CSV file with the columns of {kind} ({', '.join(get_kind(kind).column_names)})",
            "other content",
        )
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    title = get_kind(kind).title
    return ParsedEdition(
        kind=kind,
        rows=[{k: (v or "") for k, v in row.items() if k} for row in rows],
        edition=f"{title} ({name}, {as_of.isoformat()})",
        as_of=as_of,
        source=name,
    )


def parse_files(kind: str, files: Mapping[str, bytes], as_of: date) -> ParsedEdition:
    """The edition the files hold: in chainproof's layout if they are, else through the
    publisher's parser; SourceFormatError when neither recognises them."""
    if len(files) == 1 and _own_header(kind, next(iter(files.values()))):
        return own_layout(files, as_of, kind=kind)
    parser = PARSERS.get(kind)
    if parser is None:
        raise SourceFormatError(
            ", ".join(files),
            f"a CSV file in chainproof's layout for {kind} (no parser of the publisher's "
            "format is installed for this list)",
            "other content",
        )
    return parser(files, as_of)


# --- the edition in force, as rows -------------------------------------------------------


def _stored_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """The rows of a loaded edition in the kind's columns (those chainproof keeps)."""
    kind, ds = dataset.kind, dataset.pk
    if kind == "countries":
        return [
            {
                "name": c.name,
                "official_name_en": c.official_name,
                "alpha2": c.alpha2,
                "alpha3": c.alpha3,
                "numeric": c.numeric,
                "region": c.region,
                "sub_region": c.sub_region,
                "is_independent": c.independence,
                "code_status": c.code_status,
            }
            for c in Country.objects.filter(dataset_id=ds)
        ]
    if kind == "tip_tiers":
        fields = ("report_year", "iso2", "country_name_source", "tier", "tier_code")
        return list(
            TipPlacement.objects.filter(dataset_id=ds).values(
                *fields, "source", "year_coverage", "note"
            )
        )
    if kind == "dol_goods":
        return [
            dict(row)
            for row in GoodEntry.objects.filter(dataset_id=ds).values(
                "good",
                "sector",
                "iso2",
                "country_name_source",
                "region",
                "child_labor",
                "forced_labor",
                "forced_child_labor",
                "derived_from_exploited_input",
                "input_country_iso2",
                "input_country_name",
            )
        ]
    if kind == "cbp_wro_findings":
        return [
            {
                "type": w.order_type,
                "effective_date": w.effective_date,
                "iso2": w.iso2,
                "country_name_source": w.country_name_source,
                "status": w.status,
                "entity": w.entity,
                "aliases": w.aliases,
                "industry": w.industry,
                "merchandise": w.merchandise,
                "remarks": w.remarks,
            }
            for w in WroFinding.objects.filter(dataset_id=ds)
        ]
    if kind == "uflpa_entity_list":
        return [
            {
                "section": e.section,
                "section_description": e.section_description,
                "entity_as_published": e.as_published,
                "primary_name": e.primary_name,
                "aliases": e.aliases,
                "effective_date": e.effective_date,
                "iso2": e.iso2,
            }
            for e in EntityListEntry.objects.filter(dataset_id=ds, list_code="uflpa")
        ]
    if kind == "ofac_sdn_dprk":
        return [
            {
                "ent_num": int(e.source_id) if e.source_id.isdigit() else e.source_id,
                "name": e.primary_name,
                "type": e.entity_type,
                "programs": e.programs,
                "alternate_names": e.aliases,
            }
            for e in EntityListEntry.objects.filter(dataset_id=ds, list_code="ofac_sdn_dprk")
        ]
    if kind == "dprk_overseas_labor":
        return [
            {
                "host_country_or_region": s.host,
                "iso2": s.iso2,
                "sectors_as_stated": s.sectors,
                "excerpt_verbatim": s.excerpt,
                "tip_report_year_tag": s.tip_report_year,
                "factbook_file": s.source_file,
                "factbook_commit_first_seen": s.source_commit,
                "first_seen_date": s.first_seen,
                "last_seen_date": s.last_seen,
                "note": s.note,
            }
            for s in DprkLaborStatement.objects.filter(dataset_id=ds)
        ]
    if kind == "ilo_indicators":
        return [
            {
                "indicator_number": i.number,
                "indicator": i.name,
                "description_paraphrased": i.description,
            }
            for i in IloIndicator.objects.filter(dataset_id=ds)
        ]
    raise ValueError(f"unknown dataset kind {kind!r}")


# --- checking and loading ----------------------------------------------------------------

# Lists published a part at a time: the TIP Report gives one year's tiers. The new edition
# is the one in force with the parts the publisher's file covers replaced, so a year the
# file does not give keeps its placements (and a year no edition gives stays unknown).
PUBLISHED_BY_PART = {"tip_tiers": "report_year"}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _carry_over(parsed: ParsedEdition, current: Dataset | None) -> ParsedEdition:
    column = PUBLISHED_BY_PART.get(parsed.kind)
    if column is None or current is None:
        return parsed
    given = {str(row.get(column, "")).strip() for row in parsed.rows}
    kept = [
        {name: _as_text(value) for name, value in row.items()}
        for row in _stored_rows(current)
        if _as_text(row.get(column)) not in given
    ]
    if not kept:
        return parsed
    parts = ", ".join(sorted(given))
    note = (
        f"The file gives {column.replace('_', ' ')} {parts} only; the other "
        f"{len(kept)} rows are carried over from the edition in force ({current.edition})."
    )
    return replace(parsed, rows=kept + list(parsed.rows), notes=[*parsed.notes, note])


def _edition_name(parsed: ParsedEdition, digest: str, organization_id: int | None) -> str:
    """The parser's edition name, made unique when another file already holds it."""
    name = parsed.edition.strip()[:120]
    taken = Dataset.objects.filter(kind=parsed.kind, edition=name, organization=organization_id)
    clash = taken.exclude(sha256=digest).exists()
    return f"{name[:108]} ({digest[:8]})" if clash else name


def update_check(
    kind: str,
    *,
    sources: list[str] | None = None,
    files: Mapping[str, bytes] | None = None,
    organization: Any = None,
    today: date | None = None,
) -> UpdatePlan:
    """Fetch or read the list (from ``sources``, addresses or downloaded files; or the
    uploaded ``files`` by name; by default from the configured addresses), parse it,
    validate it, and diff it against the edition in force; changes nothing. Raises
    UpdateError saying what went wrong."""
    try:
        get_kind(kind)
    except ValueError as exc:
        raise UpdateError(str(exc)) from None
    today = today or timezone.localdate()
    if files is None:
        files = read_sources(kind, sources)
    elif not files:
        raise UpdateError(f"{kind}: no file was given")
    try:
        parsed = parse_files(kind, files, today)
    except SourceFormatError as exc:
        raise UpdateError(
            f"{kind}: the layout of {exc.source} is not the one expected, so nothing was "
            f"read: expected {exc.expected}, found {exc.found}"
        ) from None
    if parsed.kind != kind:
        raise UpdateError(f"{kind}: the parser returned rows of {parsed.kind}")
    organization_id = getattr(organization, "pk", organization)
    current = current_dataset(kind, organization_id, on=today)
    parsed = _carry_over(parsed, current)
    data = parsed.csv_bytes()
    digest = sha256_bytes(data)
    spec = DatasetFile(
        kind=kind,
        file_name=f"{kind}-{parsed.as_of.isoformat()}.csv",
        data=data,
        edition=_edition_name(parsed, digest, organization_id),
        as_of=parsed.as_of,
        source=", ".join(sources) if sources else parsed.source,
        notes=" ".join(parsed.notes),
    )
    countries = known_country_codes(organization_id)
    try:
        validated = _validate(spec, organization_id, countries)
    except ReferenceLoadError as exc:
        raise UpdateError(
            f"{kind}: the new edition has rows chainproof cannot use, so nothing was loaded: {exc}",
            exc.errors,
            exc.total,
        ) from None
    if validated.existing is not None:
        new_rows = _stored_rows(validated.existing)
    else:
        new_rows = validated.rows
    old_rows = _stored_rows(current) if current is not None else []
    notes = list(parsed.notes)
    if current is not None and parsed.as_of < current.as_of:
        notes.append(
            f"This edition is as of {parsed.as_of}, before the edition in force "
            f"({current.as_of}): loaded, it would not replace it."
        )
    related = _related_files(parsed, spec, organization_id, countries)
    notes += [f"With {count_rows(f)} rows of {get_kind(f.kind).title}." for f in related]
    return UpdatePlan(
        kind=kind,
        spec=spec,
        diff=edition_diff(kind, old_rows, new_rows),
        current=current,
        notes=notes,
        already_loaded=validated.existing,
        related=related,
    )


def count_rows(spec: DatasetFile) -> int:
    """The rows of a CSV in chainproof's layout (its header not counted)."""
    return max(0, len(spec.data.decode("utf-8").strip().splitlines()) - 1)


def _related_files(
    parsed: ParsedEdition, spec: DatasetFile, organization_id: int | None, countries: set[str]
) -> list[DatasetFile]:
    """The other kinds the publisher's files carried, as files to load beside the list,
    each validated as strictly as the list (a bad row refuses the whole update)."""
    files = []
    for related_kind, rows in sorted(parsed.related.items()):
        try:
            get_kind(related_kind)
        except ValueError:
            continue  # a kind chainproof does not keep
        part = ParsedEdition(related_kind, rows, parsed.edition, parsed.as_of, parsed.source)
        data = part.csv_bytes()
        related = DatasetFile(
            kind=related_kind,
            file_name=f"{related_kind}-{parsed.as_of.isoformat()}.csv",
            data=data,
            edition=_edition_name(part, sha256_bytes(data), organization_id),
            as_of=parsed.as_of,
            source=spec.source,
        )
        try:
            _validate(related, organization_id, countries)
        except ReferenceLoadError as exc:
            raise UpdateError(
                f"{related_kind}: the rows read with the list cannot be used, so nothing "
                f"was loaded: {exc}",
                exc.errors,
                exc.total,
            ) from None
        files.append(related)
    return files


def update_load(plan: UpdatePlan, *, organization: Any = None, actor: Any = None) -> LoadOutcome:
    """Load the checked edition (audited; re-screen and re-score queued after commit)."""
    try:
        loaded = datasets_load([plan.spec, *plan.related], organization=organization, actor=actor)
        return next(o for o in loaded if o.dataset.kind == plan.kind)
    except ReferenceLoadError as exc:
        raise UpdateError(str(exc), exc.errors, exc.total) from None
