"""REST endpoints of shipments and detention cases: shipments with their lines (one at a
time or imported from a file), the pre-arrival check, cases with their deadlines, status,
deadline dates set by hand, exhibits and evidence packages. Reads need the viewer role,
writes the analyst role; every object is fetched through the organization-scoped access
helper; supplier contacts have no access."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from chainproof.accounts.access import api_member, get_all_for_member, get_for_member
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.cases import deadlines, packages, prearrival, selectors, services
from chainproof.cases.models import DetentionCase, EvidencePackage, Shipment, ShipmentLine
from chainproof.cases.shipment_import import shipments_import
from chainproof.cases.shipments import shipment_save
from chainproof.common.api_inputs import BodyIn, Id, Pages
from chainproof.common.errors import error_body
from chainproof.evidence.models import Document
from chainproof.suppliers.importing.base import ImportFailed

router = Router(tags=["detention cases"])


# --- shipments ---------------------------------------------------------------------------


class ShipmentLineOut(Schema):
    id: int
    number: int
    product_id: int | None
    description: str
    hts_code: str
    quantity: Decimal | None
    unit: str
    value_usd: Decimal | None
    origin_country: str
    facility_id: int | None
    link_ids: list[int]

    @staticmethod
    def resolve_link_ids(obj: ShipmentLine) -> list[int]:
        return sorted(link.pk for link in obj.links.all())


class ShipmentOut(Schema):
    id: int
    reference: str
    kind: str
    entry_number: str
    importer_of_record: str
    filer: str
    port_code: str
    arrival_date: date | None
    importation_date: date | None
    mode: str
    carrier: str
    bill_of_lading: str
    notes: str
    case_ids: list[int]
    lines: list[ShipmentLineOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_case_ids(obj: Shipment) -> list[int]:
        return [case.pk for case in obj.cases.all()]

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[ShipmentLine]:
        return list(obj.lines.all())


class ShipmentLineIn(BodyIn):
    line: int | None = Field(None, ge=1, le=9999, description="Line number (default: its place)")
    product_sku: str = Field("", max_length=64, description="SKU of one of your products")
    description: str = Field("", max_length=300)
    hts_code: str = Field("", max_length=13)
    quantity: Decimal | None = Field(None, ge=0, le=Decimal(10) ** 15)
    unit: str = Field("", max_length=12)
    value_usd: Decimal | None = Field(None, ge=0, le=Decimal(10) ** 13)
    origin_country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    facility_ref: str = Field("", max_length=64, description="ref of the worksite")
    links: list[Id] = Field([], max_length=200, description="Numbers of supply links")


class ShipmentIn(BodyIn):
    reference: str = Field(max_length=64, description="Your own reference (PO, booking)")
    kind: str = Field(
        "",
        max_length=10,
        description="entry or planned (default: entry when an entry number is given)",
    )
    entry_number: str = Field("", max_length=20, description="CBP entry number, ABC-1234567-8")
    importer_of_record: str = Field("", max_length=300)
    filer: str = Field("", max_length=300)
    port_code: str = Field("", max_length=4, description="CBP port of entry, 4 digits")
    arrival_date: date | None = None
    importation_date: date | None = None
    mode: str = Field("", max_length=10, description="ocean, air, truck, rail, mail or other")
    carrier: str = Field("", max_length=200)
    bill_of_lading: str = Field("", max_length=64)
    notes: str = Field("", max_length=10_000)
    lines: list[ShipmentLineIn] = Field([], max_length=9999)


class ShipmentImportOut(Schema):
    file_name: str
    sha256: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    changes: list[dict[str, Any]]


class ShipmentFilters(Schema):
    q: str = Field("", max_length=64, description="Part of a reference or entry number")


def _shipments(membership: Membership) -> QuerySet[Shipment]:
    return selectors.shipments_for(membership.organization_id).prefetch_related("lines__links")


def _save_shipment(
    membership: Membership, payload: ShipmentIn, existing: Shipment | None
) -> Shipment:
    data = payload.dict()
    lines: list[Mapping[str, Any]] = [
        {name: value for name, value in line.items() if value is not None}
        for line in data.pop("lines")
    ]
    with transaction.atomic():
        return shipment_save(
            organization=membership.organization_id,
            actor=membership.user,
            data=data,
            lines=lines,
            shipment=existing,
        )


@router.get("/shipments", response=list[ShipmentOut])
@paginate(Pages)
def shipments(request: HttpRequest, filters: Query[ShipmentFilters]) -> Any:
    found = _shipments(api_member(request))
    if filters.q:
        found = found.filter(reference__icontains=filters.q) | found.filter(
            entry_number__icontains=filters.q
        )
    return found


@router.post("/shipments", response={201: ShipmentOut})
def shipment_new(request: HttpRequest, payload: ShipmentIn) -> Status[Shipment]:
    membership = api_member(request, Role.ANALYST)
    created = _save_shipment(membership, payload, None)
    return Status(201, get_for_member(membership, _shipments(membership), pk=created.pk))


@router.post(
    "/shipments/import",
    response={200: ShipmentImportOut},
    summary="Import shipments from a CSV or XLSX file (one row per entry line)",
)
def shipment_import(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Any:
    """Every cell is checked first; a problem anywhere answers 400 with one detail per row
    and column, and nothing is stored. ``dry_run`` checks and reports without storing."""
    membership = api_member(request, Role.ANALYST)
    if file.size is not None and file.size > settings.UPLOAD_MAX_BYTES:
        raise HttpError(
            413, f"{file.name} is larger than the limit of {settings.UPLOAD_MAX_BYTES:,} bytes."
        )
    try:
        with transaction.atomic():
            report = shipments_import(
                organization=membership.organization_id,
                actor=membership.user,
                data=file.read(),
                file_name=file.name or "upload",
                dry_run=dry_run,
            )
    except ImportFailed as exc:
        return _import_refused(exc)
    return report.as_dict()


def _import_refused(exc: ImportFailed) -> HttpResponse:
    """The one error shape, with one detail per row error (its sheet, row, column, what
    was expected and what was found)."""
    details = [
        {
            "field": error.column,
            "message": str(error),
            "sheet": error.sheet,
            "row": str(error.row),
            "column": error.column,
            "expected": error.expected,
            "found": error.found,
        }
        for error in exc.errors
    ]
    more = (
        f" ({exc.total} problems, the first {len(details)} listed)"
        if exc.total > len(details)
        else ""
    )
    message = f"{exc.source}: nothing was imported; fix these rows and try again{more}."
    return JsonResponse(error_body(400, message, details), status=400)


@router.get("/shipments/{shipment_id}", response=ShipmentOut)
def shipment(request: HttpRequest, shipment_id: Id) -> Shipment:
    membership = api_member(request)
    return get_for_member(membership, _shipments(membership), pk=shipment_id)


@router.put("/shipments/{shipment_id}", response=ShipmentOut)
def shipment_replace(request: HttpRequest, shipment_id: Id, payload: ShipmentIn) -> Shipment:
    """Replace the shipment's fields and its lines (a line a case names cannot go)."""
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, Shipment, pk=shipment_id)
    _save_shipment(membership, payload, existing)
    return get_for_member(membership, _shipments(membership), pk=shipment_id)


# --- pre-arrival check ---------------------------------------------------------------------


class PresumptionCheckOut(Schema):
    regime: str
    label: str
    status: str
    verdict: str
    reasons: list[str]
    missing: list[str]


class ShipmentLineCheckOut(Schema):
    line_id: int
    number: int
    description: str
    verdict: str = Field(description="stop, check or clear")
    presumptions: list[PresumptionCheckOut]
    score: float | None
    level: str
    open_hits: int
    confirmed_hits: int
    readiness_score: float | None
    gaps: list[str]


class ShipmentCheckOut(Schema):
    shipment_id: int
    verdict: str = Field(description="stop, check or clear")
    port: str
    checked_at: datetime
    lines: list[ShipmentLineCheckOut]


@router.get("/shipments/{shipment_id}/check", response=ShipmentCheckOut)
def shipment_check(request: HttpRequest, shipment_id: Id) -> dict[str, Any]:
    """Before the goods sail: for every line, the presumption checks of its product, its
    risk, the screening hits in its chain and the evidence still missing."""
    membership = api_member(request)
    checked = prearrival.shipment_check(get_for_member(membership, Shipment, pk=shipment_id))
    return {
        "shipment_id": checked.shipment.pk,
        "verdict": checked.verdict,
        "port": f"{checked.port.code} {checked.port.name}" if checked.port else "",
        "checked_at": checked.checked_at,
        "lines": [
            {
                "line_id": line.line.pk,
                "number": line.line.number,
                "description": line.line.description,
                "verdict": line.verdict,
                "presumptions": [
                    {
                        "regime": str(p.get("regime", "")),
                        "label": str(p.get("label", "")),
                        "status": str(p.get("status", "")),
                        "verdict": str(p.get("verdict", "")),
                        "reasons": [str(r) for r in p.get("reasons", [])],
                        "missing": [str(m) for m in p.get("missing", [])],
                    }
                    for p in line.presumptions
                ],
                "score": line.score,
                "level": line.level,
                "open_hits": len(line.open_hits),
                "confirmed_hits": len(line.confirmed_hits),
                "readiness_score": line.readiness.score if line.readiness else None,
                "gaps": line.gaps,
            }
            for line in checked.lines
        ],
    }


# --- cases ---------------------------------------------------------------------------------


class CaseDeadlineOut(Schema):
    key: str
    label: str
    citation: str
    due: date
    computed: date
    explanation: str
    owner: str = Field(description="importer, or CBP for a deadline CBP must meet")
    days_left: int
    override_reason: str


class ExhibitOut(Schema):
    id: int
    position: int
    document_id: int
    title: str
    included: bool
    redacted: bool
    note: str

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.document.title)


class CaseOut(Schema):
    id: int
    number: int
    shipment_id: int
    shipment: str
    entry_number: str
    basis: str
    basis_label: str
    status: str
    status_label: str
    is_open: bool
    notice_at: datetime
    cbp_reference: str
    port_code: str
    response_days: int | None
    exclusion_at: datetime | None
    submitted_at: datetime | None
    owner: str | None  # the username of the member who owns the case
    line_ids: list[int]
    next_deadline: CaseDeadlineOut | None

    @staticmethod
    def resolve_shipment(obj: DetentionCase) -> str:
        return str(obj.shipment)

    @staticmethod
    def resolve_entry_number(obj: DetentionCase) -> str:
        return obj.shipment.entry_number

    @staticmethod
    def resolve_basis_label(obj: DetentionCase) -> str:
        return obj.get_basis_display()

    @staticmethod
    def resolve_status_label(obj: DetentionCase) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_owner(obj: DetentionCase) -> str | None:
        return obj.owner.get_username() if obj.owner else None

    @staticmethod
    def resolve_line_ids(obj: DetentionCase) -> list[int]:
        return sorted(line.pk for line in obj.lines.all())

    @staticmethod
    def resolve_next_deadline(obj: DetentionCase) -> Any:
        return deadlines.next_deadline(obj)


class CaseDetailOut(CaseOut):
    summary: str
    deadlines: list[CaseDeadlineOut]
    exhibits: list[ExhibitOut]

    @staticmethod
    def resolve_deadlines(obj: DetentionCase) -> Any:
        return deadlines.case_deadlines(obj)

    @staticmethod
    def resolve_exhibits(obj: DetentionCase) -> Any:
        return list(obj.exhibits.select_related("document").order_by("position", "pk"))


class CaseIn(BodyIn):
    shipment_id: Id
    basis: str = Field(max_length=10, description="wro, finding, caatsa or uflpa")
    notice_at: str = Field(
        max_length=40, description="Date of CBP's notice: YYYY-MM-DD, or an ISO date and time"
    )
    cbp_reference: str = Field("", max_length=100)
    port_code: str = Field("", max_length=4, description="Default: the shipment's port")
    line_ids: list[Id] = Field([], max_length=9999, description="Default: every line")
    response_days: int | None = Field(
        None, ge=1, le=365, description="The response window CBP's notice states, if any"
    )


class CaseFilters(Schema):
    open: bool = Field(False, description="Only cases not yet closed")
    status: str = Field("", max_length=12)


class CaseStatusIn(BodyIn):
    status: str = Field(
        max_length=12,
        description="preparing, submitted, released, excluded, protested, exported, "
        "abandoned or seized",
    )
    when: str = Field("", max_length=40, description="When it happened (default: now)")
    note: str = Field("", max_length=5000)


class DeadlineDateIn(BodyIn):
    due: date | None = Field(
        None, description="The date to use; null goes back to the computed one"
    )
    reason: str = Field("", max_length=5000, description="Why (required with a date)")


class ExhibitsIn(BodyIn):
    document_ids: list[Id] = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=300)


def _cases(membership: Membership) -> QuerySet[DetentionCase]:
    return selectors.cases_for(membership.organization_id).prefetch_related("lines", "overrides")


def _case_detail(membership: Membership, case_id: int) -> DetentionCase:
    return get_for_member(membership, _cases(membership), pk=case_id)


@router.get("/cases", response=list[CaseOut])
@paginate(Pages)
def cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    found = _cases(api_member(request))
    if filters.open:
        found = found.exclude(status__in=DetentionCase.CLOSED)
    if filters.status:
        found = found.filter(status=filters.status)
    return found


@router.post("/cases", response={201: CaseDetailOut})
def case_new(request: HttpRequest, payload: CaseIn) -> Status[DetentionCase]:
    membership = api_member(request, Role.ANALYST)
    detained = get_for_member(membership, Shipment, pk=payload.shipment_id)
    lines = get_all_for_member(membership, ShipmentLine, payload.line_ids, shipment=detained)
    with transaction.atomic():
        opened = services.case_open(
            organization=membership.organization_id,
            actor=membership.user,
            shipment=detained,
            basis=payload.basis,
            notice_at=payload.notice_at,
            cbp_reference=payload.cbp_reference,
            port_code=payload.port_code,
            lines=lines,
            response_days=payload.response_days,
        )
    return Status(201, _case_detail(membership, opened.pk))


@router.get("/cases/{case_id}", response=CaseDetailOut)
def case(request: HttpRequest, case_id: Id) -> DetentionCase:
    """The case with every deadline: the date computed from the rules, the date in force
    (a date set by hand wins, with its reason) and the days left."""
    return _case_detail(api_member(request), case_id)


@router.post("/cases/{case_id}/status", response=CaseDetailOut)
def case_status(request: HttpRequest, case_id: Id, payload: CaseStatusIn) -> DetentionCase:
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, DetentionCase, pk=case_id)
    with transaction.atomic():
        services.case_transition(
            case=existing,
            actor=membership.user,
            status=payload.status,
            when=payload.when,
            note=payload.note,
        )
    return _case_detail(membership, case_id)


@router.post("/cases/{case_id}/deadlines/{rule}", response=CaseDetailOut)
def case_deadline_date(
    request: HttpRequest, case_id: Id, rule: str, payload: DeadlineDateIn
) -> DetentionCase:
    """Set a deadline's date instead of the computed one (a reason is required), or send
    no date to go back to the computed one."""
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, DetentionCase, pk=case_id)
    with transaction.atomic():
        deadlines.deadline_override(
            case=existing,
            actor=membership.user,
            rule=rule[:40],
            due=payload.due,
            reason=payload.reason,
        )
    return _case_detail(membership, case_id)


@router.post("/cases/{case_id}/exhibits", response={201: CaseDetailOut})
def case_exhibits_add(
    request: HttpRequest, case_id: Id, payload: ExhibitsIn
) -> Status[DetentionCase]:
    """Add locker documents at the end of the exhibit list (one already there stays)."""
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, DetentionCase, pk=case_id)
    chosen = get_all_for_member(
        membership, Document.objects.filter(deleted_at__isnull=True), payload.document_ids
    )
    with transaction.atomic():
        services.exhibit_add(
            case=existing, actor=membership.user, documents=chosen, note=payload.note
        )
    return Status(201, _case_detail(membership, case_id))


# --- evidence packages -----------------------------------------------------------------------


class EvidencePackageOut(Schema):
    id: int
    version: int
    file_name: str
    zip_sha256: str
    zip_size: int
    pdf_sha256: str
    package_sha256: str = Field(description="SHA-256 of the manifest's list of files")
    pdf_pages: int
    exhibit_count: int
    signer: str
    signer_fingerprint: str
    built_by: str | None
    built_at: datetime
    filed_at: datetime | None

    @staticmethod
    def resolve_built_by(obj: EvidencePackage) -> str | None:
        return obj.built_by.get_username() if obj.built_by else None


@router.get("/cases/{case_id}/packages", response=list[EvidencePackageOut])
def case_packages(request: HttpRequest, case_id: Id) -> list[EvidencePackage]:
    membership = api_member(request)
    existing = get_for_member(membership, DetentionCase, pk=case_id)
    return list(existing.packages.select_related("case", "built_by").order_by("-version"))


@router.post("/cases/{case_id}/packages", response={201: EvidencePackageOut})
def case_package_build(request: HttpRequest, case_id: Id) -> Status[EvidencePackage]:
    """Build, sign and store a new version of the case's package from its included
    exhibits (the ZIP is stored first, then recorded; each build is a new version)."""
    membership = api_member(request, Role.ANALYST)
    existing = get_for_member(membership, _cases(membership), pk=case_id)
    # Not inside an outer transaction: the ZIP is stored before the records that name it.
    built = packages.package_build(case=existing, actor=membership.user)
    return Status(201, built)
