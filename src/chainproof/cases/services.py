"""Opening detention cases and moving them through CBP's process; their tasks, exhibits
and executive summary. Every change is audited in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from chainproof.accounts.models import Organization
from chainproof.audit.services import audit_record, snapshot
from chainproof.cases.deadlines import port_timezone
from chainproof.cases.models import CaseTask, DetentionCase, Exhibit, Shipment, ShipmentLine
from chainproof.domain.cases.deadlines import local_date
from chainproof.domain.cases.ports import port_get
from chainproof.evidence.documents import document_number
from chainproof.evidence.models import Document, LegalHold
from chainproof.evidence.retention import legal_hold_place, legal_hold_release

S = DetentionCase.Status
MAX_TEXT = 50_000  # an executive summary: about 20 pages
# Where a case can go from each state (CBP's process: 19 CFR 12.42-12.44, 19 CFR 151.16).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DETAINED: (S.PREPARING, S.SUBMITTED, S.RELEASED, S.EXCLUDED, S.EXPORTED, S.SEIZED),
    S.PREPARING: (S.SUBMITTED, S.RELEASED, S.EXCLUDED, S.EXPORTED, S.SEIZED),
    S.SUBMITTED: (S.PREPARING, S.RELEASED, S.EXCLUDED, S.EXPORTED, S.SEIZED),
    S.EXCLUDED: (S.PROTESTED, S.EXPORTED, S.ABANDONED),
    S.PROTESTED: (S.RELEASED, S.EXPORTED, S.ABANDONED, S.SEIZED),
    S.RELEASED: (),
    S.EXPORTED: (),
    S.ABANDONED: (),
    S.SEIZED: (),
}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _moment(field: str, value: Any, *, zone: str, default_now: bool = False) -> dt.datetime | None:
    """A date or date-time a person typed, read in the port's time zone (CBP's notices are
    dated where the goods are): a bare date is noon there, so its local date never moves."""
    if value in (None, ""):
        return timezone.now() if default_now else None
    tz = ZoneInfo(zone)
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(12), tzinfo=tz)
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(12), tzinfo=tz)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            {field: f"Expected a date (YYYY-MM-DD) or date and time, found {value!r}."}
        ) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=tz)


def case_zone(case: DetentionCase) -> str:
    return port_timezone(case.port_code or case.shipment.port_code)


def notice_date(case: DetentionCase) -> dt.date:
    """The date of CBP's notice where the goods are."""
    return local_date(case.notice_at, case_zone(case))


def _state(case: DetentionCase) -> dict[str, Any]:
    return {**snapshot(case), "lines": sorted(case.lines.values_list("pk", flat=True))}


def case_open(
    *,
    organization: Any,
    actor: Any,
    shipment: Shipment,
    basis: str,
    notice_at: Any,
    cbp_reference: str = "",
    port_code: str = "",
    lines: Iterable[ShipmentLine] = (),
    response_days: Any = None,
    owner: Any = None,
) -> DetentionCase:
    org = int(getattr(organization, "pk", organization))
    if shipment.organization_id != org:
        raise ValidationError({"shipment": "No such shipment in your organization."})
    if basis not in DetentionCase.Basis.values:
        raise ValidationError(
            {"basis": f"Expected one of {', '.join(DetentionCase.Basis.labels)}, found {basis!r}."}
        )
    port = (port_code or shipment.port_code or "").strip()
    if port and port_get(port) is None:
        raise ValidationError(
            {"port_code": f"Expected a CBP port code from the list, found {port!r}."}
        )
    notice = _moment("notice_at", notice_at, zone=port_timezone(port))
    if notice is None:
        raise ValidationError({"notice_at": "Expected the date of CBP's notice, found nothing."})
    if notice > timezone.now() + dt.timedelta(days=1):
        raise ValidationError(
            {"notice_at": f"Expected a date not in the future, found {notice.date()}."}
        )
    port = (port_code or shipment.port_code or "").strip()
    if port and port_get(port) is None:
        raise ValidationError(
            {"port_code": f"Expected a CBP port code from the list, found {port!r}."}
        )
    chosen = list(lines)
    if any(line.shipment_id != shipment.pk for line in chosen):
        raise ValidationError({"lines": "Expected lines of this shipment."})
    days = _response_days(response_days)
    # One case number at a time per organization (two people opening cases at once).
    Organization.objects.select_for_update().filter(pk=org).first()
    number = (
        DetentionCase.objects.filter(organization_id=org).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    case = DetentionCase.objects.create(
        organization_id=org,
        number=number,
        shipment=shipment,
        basis=basis,
        notice_at=notice,
        cbp_reference=str(cbp_reference or "").strip()[:100],
        port_code=port_get(port).code if port else "",  # type: ignore[union-attr]
        response_days=days,
        owner=owner or _user(actor),
        created_by=_user(actor),
    )
    case.lines.set(chosen or list(shipment.lines.all()))
    audit_record(
        action="cases.case_opened", actor=actor, organization=org, obj=case, after=_state(case)
    )
    return case


def _response_days(value: Any) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 365:
        raise ValidationError(
            {"response_days": f"Expected a number of days from 1 to 365, found {value!r}."}
        )
    return int(text)


def case_update(
    *,
    case: DetentionCase,
    actor: Any,
    cbp_reference: Any = None,
    response_days: Any = ...,
    notice_at: Any = None,
    owner: Any = ...,
) -> DetentionCase:
    """Change the details CBP's notices give (reference, response window, notice date) or
    the case's owner."""
    before = _state(case)
    if cbp_reference is not None:
        case.cbp_reference = str(cbp_reference).strip()[:100]
    if response_days is not ...:
        case.response_days = _response_days(response_days)
    if notice_at not in (None, ""):
        moment = _moment("notice_at", notice_at, zone=case_zone(case))
        # The form shows the date only: an unchanged date keeps the notice's exact time.
        if moment is not None and local_date(moment, case_zone(case)) != notice_date(case):
            case.notice_at = moment
    if owner is not ...:
        case.owner = owner
    case.updated_at = timezone.now()
    case.save()
    audit_record(
        action="cases.case_updated",
        actor=actor,
        organization=case.organization_id,
        obj=case,
        before=before,
        after=_state(case),
    )
    return case


def case_transition(
    *, case: DetentionCase, actor: Any, status: str, when: Any = None, note: str = ""
) -> DetentionCase:
    """Move the case to its next state; an exclusion records the date of CBP's exclusion
    notice (the abandonment and protest deadlines count from it)."""
    if status not in TRANSITIONS.get(case.status, ()):
        allowed = ", ".join(S(s).label for s in TRANSITIONS.get(case.status, ())) or "none"
        raise ValidationError(
            {
                "status": f"A case that is {case.get_status_display().lower()} can become: "
                f"{allowed}; found {S(status).label if status in S.values else repr(status)}."
            }
        )
    before = _state(case)
    zone = case_zone(case)
    moment = _moment("when", when, zone=zone, default_now=True)
    if moment is not None and moment > timezone.now() + dt.timedelta(days=1):
        raise ValidationError(
            {"when": f"Expected a date not in the future, found {moment.date()}."}
        )
    if moment is not None and local_date(moment, zone) < notice_date(case):
        raise ValidationError(
            {
                "when": f"Expected a date on or after CBP's notice of {notice_date(case)}, "
                f"found {local_date(moment, zone)}."
            }
        )
    if status == S.EXCLUDED:
        case.exclusion_at = moment
    if status == S.SUBMITTED:
        case.submitted_at = moment
    case.status = status
    case.updated_at = timezone.now()
    case.save()
    audit_record(
        action="cases.case_status",
        actor=actor,
        organization=case.organization_id,
        obj=case,
        before=before,
        after={**_state(case), "note": str(note or "").strip(), "when": moment},
    )
    return case


def summary_edit(*, case: DetentionCase, actor: Any, text: str) -> DetentionCase:
    """Store the executive summary as the analyst wrote it (empty: back to the draft)."""
    before = {"summary": case.summary}
    text = str(text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"summary": f"Expected at most {MAX_TEXT:,} characters, found {len(text):,}."}
        )
    case.summary = text
    case.summary_updated_at = timezone.now()
    case.save(update_fields=["summary", "summary_updated_at"])
    audit_record(
        action="cases.summary_edited",
        actor=actor,
        organization=case.organization_id,
        obj=case,
        before=before,
        after={"summary": case.summary},
    )
    return case


def task_add(
    *, case: DetentionCase, actor: Any, title: str, owner: Any = None, due_date: Any = None
) -> CaseTask:
    text = str(title or "").strip()
    if not text:
        raise ValidationError({"title": "Expected what is to be done, found nothing."})
    due = None
    if due_date not in (None, ""):
        try:
            due = (
                due_date if isinstance(due_date, dt.date) else dt.date.fromisoformat(str(due_date))
            )
        except ValueError:
            raise ValidationError(
                {"due_date": f"Expected a date (YYYY-MM-DD), found {due_date!r}."}
            ) from None
    task = CaseTask.objects.create(
        organization_id=case.organization_id, case=case, title=text[:300], owner=owner, due_date=due
    )
    audit_record(
        action="cases.task_added",
        actor=actor,
        organization=case.organization_id,
        obj=task,
        after=snapshot(task),
    )
    return task


def task_done(*, task: CaseTask, actor: Any, done: bool = True) -> CaseTask:
    before = snapshot(task)
    task.done_at = timezone.now() if done else None
    task.done_by = _user(actor) if done else None
    task.save(update_fields=["done_at", "done_by"])
    audit_record(
        action="cases.task_done" if done else "cases.task_reopened",
        actor=actor,
        organization=task.organization_id,
        obj=task,
        before=before,
        after=snapshot(task),
    )
    return task


def exhibit_add(
    *, case: DetentionCase, actor: Any, documents: Iterable[Any], note: str = ""
) -> list[Exhibit]:
    """Add locker documents (or their numbers) at the end of the exhibit list; a document
    already there is left where it is. A translation is placed right after its original."""
    added = []
    for value in documents:
        if isinstance(value, Document):
            doc = value
        else:
            pk = document_number(value, "document")
            found = Document.objects.filter(
                organization_id=case.organization_id, pk=pk, deleted_at__isnull=True
            ).first()
            if found is None:
                raise ValidationError({"document": f"No document {pk} in your organization."})
            doc = found
        if doc.organization_id != case.organization_id or doc.deleted_at is not None:
            raise ValidationError({"document": f"No document {doc.pk} in your organization."})
        if case.exhibits.filter(document=doc).exists():
            continue
        position = (case.exhibits.aggregate(n=Max("position"))["n"] or 0) + 1
        exhibit = Exhibit.objects.create(
            organization_id=case.organization_id,
            case=case,
            document=doc,
            position=position,
            note=str(note or "").strip()[:300],
            added_by=_user(actor),
        )
        audit_record(
            action="cases.exhibit_added",
            actor=actor,
            organization=case.organization_id,
            obj=exhibit,
            after=snapshot(exhibit),
        )
        _hold(case, doc, actor)
        added.append(exhibit)
    return added


def _hold_reason(case: DetentionCase) -> str:
    return f"Exhibit of {case} ({case.shipment}), a detention by U.S. CBP"


def _hold(case: DetentionCase, document: Document, actor: Any) -> None:
    """An exhibit of a case is under a legal hold while the case needs it: nobody purges
    what may be filed with CBP."""
    reason = _hold_reason(case)
    held = LegalHold.objects.filter(
        organization_id=case.organization_id,
        target_type=LegalHold.Target.DOCUMENT,
        target_id=document.pk,
        reason=reason,
        released_at__isnull=True,
    ).exists()
    if not held:
        legal_hold_place(
            organization=case.organization_id,
            actor=actor,
            target_type=LegalHold.Target.DOCUMENT,
            target_id=document.pk,
            reason=reason,
        )


def _release(case: DetentionCase, document_id: int, actor: Any) -> None:
    """Release the case's hold on a document taken out of its exhibits, unless a package
    built for the case holds the document (what was filed stays kept)."""
    for package in case.packages.all():
        if document_id in package.manifest.get("metadata", {}).get("documents", []):
            return
    for hold in LegalHold.objects.filter(
        organization_id=case.organization_id,
        target_type=LegalHold.Target.DOCUMENT,
        target_id=document_id,
        reason=_hold_reason(case),
        released_at__isnull=True,
    ):
        legal_hold_release(hold=hold, actor=actor)


def exhibit_update(
    *,
    exhibit: Exhibit,
    actor: Any,
    included: bool | None = None,
    redacted: bool | None = None,
    redaction_reason: str | None = None,
    note: str | None = None,
) -> Exhibit:
    before = snapshot(exhibit)
    if included is not None:
        exhibit.included = bool(included)
    if redacted is not None:
        exhibit.redacted = bool(redacted)
    if redaction_reason is not None:
        exhibit.redaction_reason = str(redaction_reason).strip()
        if len(exhibit.redaction_reason) > 2000:
            raise ValidationError(
                {"redaction_reason": "Expected at most 2,000 characters for the reason."}
            )
    if note is not None:
        exhibit.note = str(note).strip()[:300]
    if exhibit.redacted and not exhibit.redaction_reason:
        raise ValidationError(
            {"redaction_reason": "Expected the reason for the redaction (CBP asks), found nothing."}
        )
    if not exhibit.redacted:
        exhibit.redaction_reason = ""
    exhibit.save()
    audit_record(
        action="cases.exhibit_updated",
        actor=actor,
        organization=exhibit.organization_id,
        obj=exhibit,
        before=before,
        after=snapshot(exhibit),
    )
    return exhibit


def exhibit_move(*, exhibit: Exhibit, actor: Any, position: Any) -> Exhibit:
    """Put the exhibit at a place in the list (1 = first); the others shift."""
    text = str(position).strip()
    ordered = list(exhibit.case.exhibits.order_by("position", "pk"))
    if not text.isdigit() or not 1 <= int(text) <= len(ordered):
        raise ValidationError(
            {"position": f"Expected a place from 1 to {len(ordered)}, found {position!r}."}
        )
    before = {"position": exhibit.position}
    ordered.remove(exhibit)
    ordered.insert(int(text) - 1, exhibit)
    for index, item in enumerate(ordered, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])
    audit_record(
        action="cases.exhibit_moved",
        actor=actor,
        organization=exhibit.organization_id,
        obj=exhibit,
        before=before,
        after={"position": exhibit.position},
    )
    return exhibit


def exhibit_remove(*, exhibit: Exhibit, actor: Any) -> None:
    before = snapshot(exhibit)
    case = exhibit.case
    _release(case, exhibit.document_id, actor)
    audit_record(
        action="cases.exhibit_removed",
        actor=actor,
        organization=exhibit.organization_id,
        obj=exhibit,
        before=before,
    )
    exhibit.delete()
    for index, item in enumerate(case.exhibits.order_by("position", "pk"), start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])
