"""Loading reference datasets: validate every row first, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction

from chainproof.audit.services import audit_record
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.refdata import (
    DatasetFileError,
    DatasetKind,
    RowError,
    get_kind,
    validate_dataset,
)
from chainproof.fileformats.csv import read_csv
from chainproof.jobs import recompute
from chainproof.reference.models import (
    Country,
    Dataset,
    DprkLaborStatement,
    EntityAddress,
    EntityListEntry,
    GoodEntry,
    IloIndicator,
    TipPlacement,
    WroFinding,
)
from chainproof.reference.selectors import known_country_codes

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_MANIFEST = BUNDLED_DIR / "manifest.yaml"
MAX_REFERENCE_FILE_BYTES = 20 * 1024 * 1024


class ReferenceLoadError(Exception):
    """A dataset cannot be loaded. ``errors`` lists row-level problems when there are any."""

    def __init__(self, message: str, errors: list[RowError] | None = None, total: int = 0) -> None:
        super().__init__(message)
        self.errors = errors or []
        self.total = total or len(self.errors)


@dataclass(frozen=True)
class DatasetFile:
    """One file to load, with the provenance the Dataset row will keep."""

    kind: str
    file_name: str
    data: bytes
    edition: str
    as_of: date
    source: str
    license: str = ""
    notes: str = ""


@dataclass
class LoadOutcome:
    dataset: Dataset
    created: bool


@dataclass
class _Validated:
    spec: DatasetFile
    kind: DatasetKind
    sha256: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    existing: Dataset | None = None


def _names(*groups: Iterable[str]) -> str:
    return "\n".join(name.casefold() for group in groups for name in group if name)


def _country(row: dict[str, Any]) -> Country:
    return Country(
        alpha2=row["alpha2"],
        alpha3=row["alpha3"],
        numeric=row["numeric"] or "",
        name=row["name"],
        official_name=row["official_name_en"] or "",
        region=row["region"] or "",
        sub_region=row["sub_region"] or "",
        independence=row["is_independent"] or "",
        code_status=row["code_status"],
    )


def _tip(row: dict[str, Any]) -> TipPlacement:
    return TipPlacement(
        report_year=row["report_year"],
        iso2=row["iso2"],
        country_name_source=row["country_name_source"],
        tier=row["tier"],
        tier_code=row["tier_code"],
        source=row["source"] or "",
        year_coverage=row["year_coverage"] or "",
        note=row["note"] or "",
    )


def _good(row: dict[str, Any]) -> GoodEntry:
    return GoodEntry(
        good=row["good"],
        sector=row["sector"] or "",
        iso2=row["iso2"],
        country_name_source=row["country_name_source"],
        region=row["region"] or "",
        child_labor=row["child_labor"],
        forced_labor=row["forced_labor"],
        forced_child_labor=row["forced_child_labor"],
        derived_from_exploited_input=row["derived_from_exploited_input"],
        input_country_iso2=row["input_country_iso2"] or "",
        input_country_name=row["input_country_name"] or "",
    )


def _wro(row: dict[str, Any]) -> WroFinding:
    return WroFinding(
        order_type=row["type"],
        effective_date=row["effective_date"],
        iso2=row["iso2"] or "",
        country_name_source=row["country_name_source"],
        status=row["status"],
        entity=row["entity"],
        aliases=row["aliases"],
        industry=row["industry"] or "",
        merchandise=row["merchandise"],
        remarks=row["remarks"] or "",
        search_text=_names([row["entity"], row["merchandise"]], row["aliases"]),
    )


def _uflpa(row: dict[str, Any]) -> EntityListEntry:
    return EntityListEntry(
        list_code="uflpa",
        primary_name=row["primary_name"],
        aliases=row["aliases"],
        section=row["section"],
        section_description=row["section_description"],
        as_published=row["entity_as_published"],
        effective_date=row["effective_date"],
        iso2=row["iso2"] or "",
        programs=[f"UFLPA-{row['section']}"],
        program_tags=f";UFLPA-{row['section']};",
        search_text=_names([row["primary_name"], row["entity_as_published"]], row["aliases"]),
    )


def _ofac(row: dict[str, Any]) -> EntityListEntry:
    return EntityListEntry(
        list_code="ofac_sdn_dprk",
        source_id=str(row["ent_num"]),
        primary_name=row["name"],
        aliases=row["alternate_names"],
        entity_type=row["type"],
        programs=row["programs"],
        program_tags=";" + ";".join(row["programs"]) + ";",
        search_text=_names([row["name"]], row["alternate_names"]),
    )


def _ofac_address(row: dict[str, Any]) -> EntityAddress:
    return EntityAddress(
        list_code="ofac_sdn_dprk",
        source_id=str(row["ent_num"]),
        address_id=str(row["add_num"]),
        address=row["address"] or "",
        city=row["city_state_province_postal"] or "",
        country_name_source=row["country_name_source"] or "",
        iso2=row["iso2"] or "",
        remarks=row["add_remarks"] or "",
    )


def _dprk(row: dict[str, Any]) -> DprkLaborStatement:
    return DprkLaborStatement(
        host=row["host_country_or_region"],
        iso2=row["iso2"] or "",
        sectors=row["sectors_as_stated"] or "",
        excerpt=row["excerpt_verbatim"],
        tip_report_year=row["tip_report_year_tag"],
        source_file=row["factbook_file"] or "",
        source_commit=row["factbook_commit_first_seen"] or "",
        first_seen=row["first_seen_date"],
        last_seen=row["last_seen_date"],
        note=row["note"] or "",
    )


def _ilo(row: dict[str, Any]) -> IloIndicator:
    return IloIndicator(
        number=row["indicator_number"],
        name=row["indicator"],
        description=row["description_paraphrased"],
    )


ROW_BUILDERS: dict[str, tuple[type[models.Model], Callable[[dict[str, Any]], Any]]] = {
    "countries": (Country, _country),
    "tip_tiers": (TipPlacement, _tip),
    "dol_goods": (GoodEntry, _good),
    "cbp_wro_findings": (WroFinding, _wro),
    "uflpa_entity_list": (EntityListEntry, _uflpa),
    "ofac_sdn_dprk": (EntityListEntry, _ofac),
    "dprk_overseas_labor": (DprkLaborStatement, _dprk),
    "ilo_indicators": (IloIndicator, _ilo),
    # Additional (partial) editions: same rows as the kind they complete.
    "tip_tiers_additions": (TipPlacement, _tip),
    "ofac_sdn_dprk_addresses": (EntityAddress, _ofac_address),
    "dprk_overseas_labor_additions": (DprkLaborStatement, _dprk),
}


def _existing(spec: DatasetFile, organization_id: int | None) -> Dataset | None:
    return Dataset.objects.filter(
        kind=spec.kind, edition=spec.edition, organization=organization_id
    ).first()


def _validate(
    spec: DatasetFile, organization_id: int | None, countries: set[str] | None
) -> _Validated:
    try:
        kind = get_kind(spec.kind)
    except ValueError as exc:
        raise ReferenceLoadError(f"{spec.file_name}: {exc}") from None
    if len(spec.data) > MAX_REFERENCE_FILE_BYTES:
        raise ReferenceLoadError(
            f"{spec.file_name}: the file is {len(spec.data):,} bytes; reference files may be at "
            f"most {MAX_REFERENCE_FILE_BYTES:,} bytes"
        )
    if not spec.edition.strip():
        raise ReferenceLoadError(f"{spec.file_name}: an edition name is required")
    digest = sha256_bytes(spec.data)
    existing = _existing(spec, organization_id)
    if existing is not None:
        if existing.sha256 == digest:
            return _Validated(spec, kind, digest, existing=existing)
        raise ReferenceLoadError(
            f"{spec.file_name}: edition {spec.edition!r} of {spec.kind} is already loaded from a "
            f"different file (SHA-256 {existing.sha256[:12]}…, this file {digest[:12]}…). "
            "Editions never change once loaded; give this file a new edition name."
        )
    if kind.country_columns and not countries:
        raise ReferenceLoadError(
            f"{spec.file_name}: no countries dataset is loaded, so its country codes cannot be "
            "checked; load the countries dataset first"
        )
    try:
        rows = validate_dataset(
            kind,
            read_csv(spec.data, spec.file_name),
            source=spec.file_name,
            known_countries=countries if kind.country_columns else None,
        )
    except DatasetFileError as exc:
        raise ReferenceLoadError(str(exc), exc.errors, exc.total) from None
    return _Validated(spec, kind, digest, rows)


def _write(item: _Validated, organization: Any, actor: Any) -> LoadOutcome:
    if item.existing is not None:
        return LoadOutcome(item.existing, created=False)
    spec = item.spec
    dataset = Dataset.objects.create(
        kind=spec.kind,
        edition=spec.edition,
        as_of=spec.as_of,
        source=spec.source,
        license=spec.license,
        notes=spec.notes,
        file_name=spec.file_name,
        sha256=item.sha256,
        row_count=len(item.rows),
        loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        organization=organization,
    )
    model, build = ROW_BUILDERS[spec.kind]
    objects = []
    for row in item.rows:
        obj = build(row)
        obj.dataset = dataset
        objects.append(obj)
    model._default_manager.bulk_create(objects, batch_size=500)
    audit_record(
        action="reference.dataset_loaded",
        actor=actor,
        organization=organization,
        obj=dataset,
        after={
            "kind": dataset.kind,
            "edition": dataset.edition,
            "as_of": dataset.as_of,
            "file_name": dataset.file_name,
            "sha256": dataset.sha256,
            "row_count": dataset.row_count,
            "source": dataset.source,
        },
    )
    return LoadOutcome(dataset, created=True)


def datasets_load(
    files: list[DatasetFile], *, organization: Any = None, actor: Any = None
) -> list[LoadOutcome]:
    """Validate every file, then load them all in one transaction, or raise and load none.

    A countries file among them is validated first and its codes are used to check the
    others. A file whose edition is already loaded with the same checksum is reported
    as unchanged; with a different checksum it is refused.
    """
    organization_id = getattr(organization, "pk", None)
    ordered = sorted(files, key=lambda f: f.kind != "countries")
    countries: set[str] | None = None
    validated: list[_Validated] = []
    for spec in ordered:
        if countries is None and spec.kind != "countries":
            countries = known_country_codes(organization_id)
        item = _validate(spec, organization_id, countries)
        if spec.kind == "countries":
            countries = (
                {row["alpha2"] for row in item.rows}
                if item.existing is None
                else known_country_codes(organization_id) | _codes_of(item.existing)
            )
        validated.append(item)
    with transaction.atomic():
        outcomes = [_write(item, organization, actor) for item in validated]
        if any(o.created for o in outcomes):
            # New editions change scores; new list editions change hits.
            recompute.reference_changed(organization, actor=actor, lists_changed=True)
        return outcomes


def _codes_of(dataset: Dataset) -> set[str]:
    return set(Country.objects.filter(dataset=dataset).values_list("alpha2", flat=True))


def read_manifest(path: Path) -> list[DatasetFile]:
    """The files a manifest names, read from beside it."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceLoadError(f"{path}: cannot read the manifest: {exc}") from None
    except yaml.YAMLError as exc:
        raise ReferenceLoadError(f"{path}: the manifest is not valid YAML: {exc}") from None
    entries = document.get("datasets") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ReferenceLoadError(f"{path}: expected a 'datasets:' list of files")
    files = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}, dataset {index}"
        if not isinstance(entry, dict):
            raise ReferenceLoadError(f"{where}: expected a mapping, found {entry!r}")
        missing = [k for k in ("kind", "file", "edition", "as_of", "source") if not entry.get(k)]
        if missing:
            raise ReferenceLoadError(f"{where}: missing {', '.join(missing)}")
        as_of = entry["as_of"]
        if not isinstance(as_of, date):
            try:
                as_of = date.fromisoformat(str(as_of))
            except ValueError:
                raise ReferenceLoadError(
                    f"{where}: as_of expected a date as YYYY-MM-DD, found {as_of!r}"
                ) from None
        file_path = path.parent / str(entry["file"])
        files.append(
            DatasetFile(
                kind=str(entry["kind"]),
                file_name=file_path.name,
                data=read_file(file_path),
                edition=str(entry["edition"]),
                as_of=as_of,
                source=" ".join(str(entry["source"]).split()),
                license=" ".join(str(entry.get("license", "")).split()),
                notes=" ".join(str(entry.get("notes", "")).split()),
            )
        )
    return files


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_REFERENCE_FILE_BYTES:
            raise ReferenceLoadError(
                f"{path}: the file is {size:,} bytes; reference files may be at most "
                f"{MAX_REFERENCE_FILE_BYTES:,} bytes"
            )
        return path.read_bytes()
    except OSError as exc:
        raise ReferenceLoadError(f"{path}: cannot read the file: {exc.strerror}") from None


def bundled_datasets_load(*, actor: Any = None) -> list[LoadOutcome]:
    return datasets_load(read_manifest(BUNDLED_MANIFEST), actor=actor)
