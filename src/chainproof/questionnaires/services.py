"""Campaigns, invitations, drafts, submissions (browser or workbook), review and what an
accepted response changes. Every state change writes an audit event in its transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from chainproof.accounts.models import Membership, User
from chainproof.accounts.roles import Role
from chainproof.audit.services import audit_record, audit_record_many
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.questionnaire.answers import Checked, check, is_blank
from chainproof.domain.questionnaire.definition import (
    DATA_DIR,
    Questionnaire,
    definition_from_snapshot,
    snapshot,
)
from chainproof.domain.questionnaire.layout import (
    LayoutMap,
    bundled_layout_documents,
    default_layout,
    parse_layout,
    pick_layout,
)
from chainproof.domain.questionnaire.workbook import (
    WorkbookRejected,
    build_workbook,
    check_workbook,
    read_meta,
    sheet_names,
)
from chainproof.files import store_bytes
from chainproof.questionnaires.models import (
    Attachment,
    Campaign,
    QuestionnaireRequest,
    QuestionnaireVersion,
    ReviewComment,
    Submission,
)
from chainproof.reference.selectors import country_names
from chainproof.suppliers.models import Facility, Supplier, SupplierIdentifier

TOKEN_DAYS_AFTER_DUE = 30
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}


# --- questionnaire versions ----------------------------------------------------------------


def versions_sync() -> list[QuestionnaireVersion]:
    """Make every bundled questionnaire version available (a shipped version never changes:
    a different file under the same version is refused)."""
    found = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        snap = snapshot(path)
        definition = definition_from_snapshot(snap)
        extra = [
            parse_layout(doc, definition).as_document()
            for doc in bundled_layout_documents()
            if (doc.get("questionnaire"), str(doc.get("version")))
            == (definition.id, definition.version)
        ]
        existing = QuestionnaireVersion.objects.filter(key=definition.key).first()
        if existing is not None:
            if existing.sha256 != snap["sha256"]:
                raise RuntimeError(
                    f"{path.name}: {definition.key} is already stored with different content; "
                    "publish changes as a new version"
                )
            if existing.layouts != extra:
                with transaction.atomic():
                    before = [d["name"] for d in existing.layouts]
                    existing.layouts = extra
                    existing.save(update_fields=["layouts"])
                    audit_record(
                        action="questionnaire.layouts_updated",
                        obj=existing,
                        before={"layouts": before},
                        after={"layouts": [d["name"] for d in extra]},
                    )
            found.append(existing)
            continue
        with transaction.atomic():
            version = QuestionnaireVersion.objects.create(
                key=definition.key,
                questionnaire_id=definition.id,
                version=definition.version,
                title=definition.title,
                document=snap["document"],
                layout=default_layout(definition).as_document(),
                layouts=extra,
                sha256=snap["sha256"],
            )
            audit_record(
                action="questionnaire.version_loaded",
                obj=version,
                after={"key": version.key, "sha256": version.sha256},
            )
        found.append(version)
    return found


@lru_cache(maxsize=32)
def _definition(sha256: str, key: str) -> tuple[Questionnaire, LayoutMap]:
    version = QuestionnaireVersion.objects.get(key=key)
    questionnaire = definition_from_snapshot({"document": version.document, "sha256": sha256})
    return questionnaire, parse_layout(version.layout, questionnaire)


def definition(version: QuestionnaireVersion) -> tuple[Questionnaire, LayoutMap]:
    """The definition and workbook layout of a stored version."""
    return _definition(version.sha256, version.key)


def layouts_of(version: QuestionnaireVersion) -> list[LayoutMap]:
    """chainproof's own layout first, then every other layout registered for the version."""
    questionnaire, own = definition(version)
    return [own, *(parse_layout(doc, questionnaire) for doc in version.layouts or [])]


def countries_for(organization_id: int) -> dict[str, str]:
    return country_names(organization_id)


# --- campaigns and invitations -------------------------------------------------------------


def campaign_create(
    *,
    organization_id: int,
    actor: Any,
    name: str,
    questionnaire: QuestionnaireVersion,
    due_date: date,
    supplier_ids: Iterable[int],
    reminder_days: int = 7,
    message: str = "",
) -> Campaign:
    """A campaign and one request per chosen supplier (not yet sent)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A campaign needs a name."})
    if due_date <= timezone.localdate():
        raise ValidationError({"due_date": f"Expected a date after today, found {due_date}."})
    if not 1 <= reminder_days <= 90:
        raise ValidationError({"reminder_days": "Expected 1 to 90 days."})
    suppliers = list(
        Supplier.objects.filter(organization_id=organization_id, pk__in=list(supplier_ids))
    )
    if not suppliers:
        raise ValidationError({"suppliers": "Choose at least one supplier."})
    campaign = Campaign.objects.create(
        organization_id=organization_id,
        name=name[:200],
        questionnaire=questionnaire,
        due_date=due_date,
        reminder_days=reminder_days,
        message=message.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    requests = QuestionnaireRequest.objects.bulk_create(
        [
            QuestionnaireRequest(
                organization_id=organization_id,
                campaign=campaign,
                supplier=supplier,
                contact_email=supplier.contact_email,
            )
            for supplier in suppliers
        ]
    )
    audit_record(
        action="questionnaire.campaign_created",
        actor=actor,
        organization=organization_id,
        obj=campaign,
        after={
            "name": campaign.name,
            "questionnaire": questionnaire.key,
            "due_date": due_date,
            "suppliers": len(requests),
        },
    )
    return campaign


def _token_hash(token: str) -> str:
    return sha256_bytes(token.encode("utf-8"))


def _new_token(qr: QuestionnaireRequest) -> str:
    token = secrets.token_urlsafe(32)
    qr.token_hash = _token_hash(token)
    qr.token_expires_at = timezone.make_aware(
        datetime.combine(
            qr.campaign.due_date + timedelta(days=TOKEN_DAYS_AFTER_DUE), datetime.min.time()
        )
    )
    return token


def _mail(qr: QuestionnaireRequest, subject: str, lines: list[str]) -> None:
    send_mail(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [qr.contact_email],
        fail_silently=False,
    )


def invitations_send(
    *,
    campaign: Campaign,
    actor: Any,
    base_url: str,
    request_ids: Sequence[int] | None = None,
) -> dict[str, int]:
    """Email a personal one-time link to every supplier not yet invited (or those named);
    suppliers without a contact email are counted, not sent."""
    todo = campaign.requests.select_related("supplier", "campaign").filter(
        status__in=QuestionnaireRequest.OPEN_STATUSES
    )
    if request_ids is not None:
        todo = todo.filter(pk__in=list(request_ids))
    else:
        todo = todo.filter(status=QuestionnaireRequest.Status.NOT_SENT)
    sent = no_email = 0
    events = []
    now = timezone.now()
    for qr in todo:
        if not qr.contact_email:
            no_email += 1
            continue
        token = _new_token(qr)
        link = f"{base_url.rstrip('/')}/portal/invite/{token}/"
        _mail(
            qr,
            f"Questionnaire from {campaign.organization.name}: {campaign.name}",
            [
                f"Dear {qr.supplier.legal_name},",
                "",
                f"{campaign.organization.name} asks you to answer its questionnaire on forced "
                f"labor ({campaign.questionnaire.title}) by {campaign.due_date.isoformat()}.",
                *(["", campaign.message] if campaign.message else []),
                "",
                "Your personal link (it works once and signs you in; keep it private):",
                link,
                "",
                "You can answer in the browser, section by section, or download the Excel "
                "workbook from the same page and upload it back.",
            ],
        )
        if qr.status == QuestionnaireRequest.Status.NOT_SENT:
            qr.status = QuestionnaireRequest.Status.SENT
        qr.sent_at = now
        qr.updated_at = now
        qr.save(update_fields=["status", "sent_at", "token_hash", "token_expires_at", "updated_at"])
        sent += 1
        events.append(
            {
                "action": "questionnaire.invitation_sent",
                "object_type": "questionnaires.questionnairerequest",
                "object_id": qr.pk,
                "object_repr": str(qr)[:300],
                "after": {"to": qr.contact_email, "status": qr.status},
            }
        )
    audit_record_many(organization=campaign.organization_id, actor=actor, entries=events)
    return {"sent": sent, "no_email": no_email}


def reminders_send(*, base_url: str, today: date | None = None) -> int:
    """Remind every supplier whose request is open and whose last message is older than its
    campaign's reminder interval (a new one-time link each time)."""
    today = today or timezone.localdate()
    reminded = 0
    due = (
        QuestionnaireRequest.objects.select_related(
            "campaign", "supplier", "campaign__organization"
        )
        .filter(
            campaign__status=Campaign.Status.OPEN,
            status__in=("sent", "opened", "in_progress", "returned"),
            sent_at__isnull=False,
        )
        .exclude(contact_email="")
    )
    for qr in due:
        last = max(filter(None, [qr.sent_at, qr.last_reminder_at]))
        if (today - timezone.localtime(last).date()).days < qr.campaign.reminder_days:
            continue
        with transaction.atomic():
            token = _new_token(qr)
            overdue = qr.campaign.due_date < today
            _mail(
                qr,
                ("Overdue: " if overdue else "Reminder: ")
                + f"questionnaire from {qr.campaign.organization.name}",
                [
                    f"Dear {qr.supplier.legal_name},",
                    "",
                    f"Your answers to {qr.campaign.name} were due on "
                    f"{qr.campaign.due_date.isoformat()}."
                    if overdue
                    else f"Your answers to {qr.campaign.name} are due on "
                    f"{qr.campaign.due_date.isoformat()}.",
                    "",
                    "Your personal link:",
                    f"{base_url.rstrip('/')}/portal/invite/{token}/",
                ],
            )
            qr.last_reminder_at = timezone.now()
            qr.reminders_sent += 1
            qr.save(
                update_fields=[
                    "token_hash",
                    "token_expires_at",
                    "last_reminder_at",
                    "reminders_sent",
                ]
            )
            audit_record(
                action="questionnaire.reminder_sent",
                organization=qr.organization_id,
                obj=qr,
                after={"to": qr.contact_email, "overdue": overdue, "count": qr.reminders_sent},
            )
        reminded += 1
    return reminded


class InvitationInvalid(Exception):
    pass


def invitation_open(token: str) -> tuple[User, QuestionnaireRequest]:
    """Follow a one-time link: the supplier contact (created on first use) and its request.
    The link is spent; a new one comes with the next reminder."""
    with transaction.atomic():
        qr = (
            QuestionnaireRequest.objects.select_for_update()
            .select_related("supplier", "campaign")
            .filter(token_hash=_token_hash(token))
            .first()
            if token
            else None
        )
        if qr is None or not qr.token_hash:
            raise InvitationInvalid("This link is not valid or was already used.")
        if qr.token_expires_at and qr.token_expires_at < timezone.now():
            raise InvitationInvalid("This link has expired; ask for a new invitation.")
        email = qr.contact_email.lower()
        user = User.objects.filter(username=email).first()
        if user is None:
            user = User.objects.create_user(username=email, email=email)
            user.set_unusable_password()
            user.save()
        membership = Membership.objects.filter(
            user=user, organization_id=qr.organization_id
        ).first()
        if membership is None:
            membership = Membership.objects.create(
                user=user,
                organization_id=qr.organization_id,
                role=Role.SUPPLIER,
                supplier=qr.supplier,
            )
        elif membership.role != Role.SUPPLIER or membership.supplier_id != qr.supplier_id:
            raise InvitationInvalid(
                "This link is for a supplier contact; your account belongs to another role here."
            )
        qr.token_hash = ""
        if qr.status in (QuestionnaireRequest.Status.NOT_SENT, QuestionnaireRequest.Status.SENT):
            qr.status = QuestionnaireRequest.Status.OPENED
        qr.opened_at = qr.opened_at or timezone.now()
        qr.updated_at = timezone.now()
        qr.save(update_fields=["token_hash", "status", "opened_at", "updated_at"])
        audit_record(
            action="questionnaire.invitation_opened",
            actor=user,
            organization=qr.organization_id,
            obj=qr,
            after={"status": qr.status},
        )
    return user, qr


def request_opened(*, qr: QuestionnaireRequest, actor: Any) -> None:
    """The supplier opened a request it was sent (signed in without the link)."""
    if qr.status != QuestionnaireRequest.Status.SENT:
        return
    qr.status = QuestionnaireRequest.Status.OPENED
    qr.opened_at = timezone.now()
    qr.save(update_fields=["status", "opened_at"])
    audit_record(
        action="questionnaire.opened",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"status": qr.status},
    )


# --- answering -----------------------------------------------------------------------------


def not_editable_reason(qr: QuestionnaireRequest) -> str:
    return f"This questionnaire is {qr.get_status_display().lower()}."


def _require_editable(qr: QuestionnaireRequest) -> None:
    """Suppliers change answers only while the request is open to them."""
    if not qr.editable_by_supplier:
        raise ValidationError(not_editable_reason(qr))


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def prefill(qr: QuestionnaireRequest) -> dict[str, Any]:
    """What chainproof already knows, for the declaration."""
    supplier = qr.supplier
    identifier = (
        SupplierIdentifier.objects.filter(supplier=supplier).values_list("value", flat=True).first()
    )
    known = {
        "supplier.legal_name": supplier.legal_name,
        "supplier.native_name": supplier.native_name,
        "supplier.country": supplier.country,
        "supplier.identifier": identifier or "",
    }
    questionnaire, _ = definition(qr.campaign.questionnaire)
    return {q.id: known[q.prefill] for q in questionnaire.ordered() if known.get(q.prefill)}


def current_answers(qr: QuestionnaireRequest) -> dict[str, Any]:
    return qr.answers or prefill(qr)


def _recheck(qr: QuestionnaireRequest, raw: dict[str, Any]) -> Checked:
    questionnaire, _ = definition(qr.campaign.questionnaire)
    checked = check(questionnaire, raw, countries=countries_for(qr.organization_id))
    qr.issues = [i.as_dict() for i in checked.issues]
    qr.missing = checked.missing
    return checked


def draft_save(*, qr: QuestionnaireRequest, actor: Any, answers: dict[str, Any]) -> Checked:
    """Merge answers (one section or more) into the draft; wrong answers are kept as typed
    and listed, so nothing the supplier typed is lost."""
    _require_editable(qr)
    merged = {**current_answers(qr), **_jsonable(answers)}
    merged = {k: v for k, v in merged.items() if not is_blank(v)}
    checked = _recheck(qr, merged)
    qr.answers = merged
    qr.status = QuestionnaireRequest.Status.IN_PROGRESS
    qr.updated_at = timezone.now()
    qr.save(update_fields=["answers", "issues", "missing", "status", "updated_at"])
    audit_record(
        action="questionnaire.draft_saved",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"questions": sorted(answers), "issues": len(checked.issues)},
    )
    return checked


def _submit(
    qr: QuestionnaireRequest, actor: Any, checked: Checked, source: str, **extra: Any
) -> Submission:
    submission = Submission.objects.create(
        request=qr,
        questionnaire=qr.campaign.questionnaire,
        answers=_jsonable(checked.values),
        source=source,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )
    qr.answers = submission.answers
    qr.status = QuestionnaireRequest.Status.SUBMITTED
    qr.source = source
    qr.submitted_at = timezone.now()
    qr.updated_at = qr.submitted_at
    qr.save(
        update_fields=[
            "answers",
            "issues",
            "missing",
            "status",
            "source",
            "submitted_at",
            "updated_at",
        ]
    )
    audit_record(
        action="questionnaire.submitted",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"source": source, "submission": submission.pk, "answers": len(checked.values)},
    )
    return submission


class NotComplete(ValidationError):
    def __init__(self, checked: Checked) -> None:
        self.checked = checked
        problems = [str(i) for i in checked.issues] + [
            f"{q}: required answer missing" for q in checked.missing
        ]
        super().__init__(problems)


def web_submit(*, qr: QuestionnaireRequest, actor: Any) -> Submission:
    """Submit the draft as it stands; refused while anything is wrong or missing."""
    _require_editable(qr)
    checked = _recheck(qr, current_answers(qr))
    if not checked.complete:
        raise NotComplete(checked)
    return _submit(qr, actor, checked, "web")


def workbook_for(qr: QuestionnaireRequest) -> bytes:
    questionnaire, layout = definition(qr.campaign.questionnaire)
    return build_workbook(
        questionnaire,
        layout,
        countries=countries_for(qr.organization_id),
        meta={
            "campaign": str(qr.campaign_id),
            "campaign name": qr.campaign.name,
            "request": qr.reference,
            "supplier": qr.supplier.ref or str(qr.supplier_id),
            "supplier name": qr.supplier.legal_name,
            "due": qr.campaign.due_date.isoformat(),
        },
        answers=current_answers(qr),
    )


class WorkbookProblems(ValidationError):
    def __init__(self, messages: list[str], checked: Checked | None = None) -> None:
        self.checked = checked
        super().__init__(messages)


def workbook_submit(
    *, qr: QuestionnaireRequest, actor: Any, data: bytes, file_name: str
) -> WorkbookOutcome:
    """Read a returned workbook (chainproof's, or another registered layout) and submit it.
    A rejected file, a workbook of another request or any wrong answer stores nothing and
    says which cell. A correct but incomplete workbook joins the draft instead of being
    submitted. The original file is kept with its SHA-256."""
    _require_editable(qr)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise WorkbookProblems(
            [f"{file_name}: expected at most {settings.UPLOAD_MAX_BYTES:,} bytes"]
        )
    if not file_name.lower().endswith(".xlsx"):
        raise WorkbookProblems([f"{file_name}: expected an .xlsx workbook"])
    try:
        meta = read_meta(data, file_name)
        version = qr.campaign.questionnaire
        if meta:
            if meta.get("request") and meta["request"] != qr.reference:
                raise WorkbookProblems(
                    [
                        f"{file_name}: this workbook belongs to {meta['request']}, not "
                        f"{qr.reference}; download this request's workbook"
                    ]
                )
            key = f"{meta.get('questionnaire')}@{meta.get('version')}"
            if key != version.key:
                other = QuestionnaireVersion.objects.filter(key=key).first()
                if other is None:
                    raise WorkbookProblems([f"{file_name}: unknown questionnaire version {key}"])
                version = other
        questionnaire, layout = definition(version)
        if not meta:
            # Not a chainproof workbook: another layout, recognised by its sheets.
            names = sheet_names(data, file_name)
            candidates = layouts_of(version)
            picked = pick_layout(names, candidates)
            if picked is None:
                raise WorkbookProblems(
                    [
                        f"{file_name}: not a workbook of this questionnaire: expected the "
                        "chainproof workbook (download it from this page) or one of the layouts "
                        + "; ".join(
                            f"{c.name} (sheets {', '.join(sorted(c.sheets()))})" for c in candidates
                        )
                        + f"; found the sheets {', '.join(names)}"
                    ]
                )
            layout = picked
        result, checked = check_workbook(
            data, file_name, questionnaire, layout, countries=countries_for(qr.organization_id)
        )
    except WorkbookRejected as exc:
        raise WorkbookProblems([str(exc)]) from None
    if checked.issues:
        raise WorkbookProblems([f"{file_name} {i}" for i in checked.issues], checked)
    digest = store_bytes(data)
    submission = None
    if checked.missing:
        # Nothing wrong, but not complete: the answers join the draft (nothing typed before
        # is lost) and the supplier completes the rest in the browser or the workbook.
        merged = {**current_answers(qr), **_jsonable(checked.values)}
        rechecked = _recheck(qr, merged)
        qr.answers = merged
        qr.status = QuestionnaireRequest.Status.IN_PROGRESS
        qr.source = "workbook"
        qr.updated_at = timezone.now()
        qr.save(update_fields=["answers", "issues", "missing", "status", "source", "updated_at"])
        audit_record(
            action="questionnaire.workbook_imported",
            actor=actor,
            organization=qr.organization_id,
            obj=qr,
            after={
                "file": file_name,
                "sha256": digest,
                "layout": layout.name,
                "answers": len(checked.values),
                "missing": len(rechecked.missing),
            },
        )
        checked = rechecked
    else:
        submission = _submit(
            qr, actor, checked, "workbook", workbook_sha256=digest, warnings=result.warnings
        )
    Attachment.objects.create(
        organization_id=qr.organization_id,
        request=qr,
        kind=Attachment.Kind.WORKBOOK,
        file_name=file_name[:255],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=len(data),
        sha256=digest,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return WorkbookOutcome(submission, checked.missing, layout.name, result.warnings)


@dataclass
class WorkbookOutcome:
    submission: Submission | None  # None: saved as a draft, answers still missing
    missing: list[str]
    layout: str
    warnings: list[str]


def document_upload(
    *, qr: QuestionnaireRequest, actor: Any, question: str, data: bytes, file_name: str
) -> Attachment:
    """A supporting document for a question: checked for type and size, kept by SHA-256,
    and named in the answer."""
    _require_editable(qr)
    questionnaire, _ = definition(qr.campaign.questionnaire)
    target = questionnaire.questions.get(question)
    if target is None or target.type != "document":
        raise ValidationError({"question": f"{question!r} does not ask for a document."})
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:255]
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {"file": f"Expected one of {', '.join(sorted(DOCUMENT_TYPES))}, found {name!r}."}
        )
    if not 0 < len(data) <= settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {"file": f"Expected 1 to {settings.UPLOAD_MAX_BYTES:,} bytes, found {len(data):,}."}
        )
    magics = DOCUMENT_TYPES[extension]
    if magics and not any(data.startswith(m) for m in magics):
        raise ValidationError(
            {"file": f"{name!r} is not a {extension} file (its content differs)."}
        )
    if not magics and b"\x00" in data[:4096]:
        raise ValidationError({"file": f"{name!r} is not a text file."})
    digest = store_bytes(data)
    attachment = Attachment.objects.create(
        organization_id=qr.organization_id,
        request=qr,
        kind=Attachment.Kind.DOCUMENT,
        question=question,
        file_name=name,
        content_type={".pdf": "application/pdf", ".png": "image/png"}.get(
            extension, "application/octet-stream"
        ),
        size=len(data),
        sha256=digest,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    answers = current_answers(qr)
    named = list(answers.get(question) or [])
    if name not in named:
        named.append(name)
    draft_save(qr=qr, actor=actor, answers={question: named})
    audit_record(
        action="questionnaire.document_uploaded",
        actor=actor,
        organization=qr.organization_id,
        obj=attachment,
        after={"request": qr.reference, "question": question, "sha256": digest},
    )
    return attachment


# --- review --------------------------------------------------------------------------------


def comment_add(*, qr: QuestionnaireRequest, actor: Any, question: str, text: str) -> ReviewComment:
    questionnaire, _ = definition(qr.campaign.questionnaire)
    if question not in questionnaire.questions:
        raise ValidationError({"question": f"Unknown question {question!r}."})
    if not text.strip():
        raise ValidationError({"text": "A comment needs text."})
    comment = ReviewComment.objects.create(
        request=qr, question=question, text=text.strip()[:4000], author=actor
    )
    audit_record(
        action="questionnaire.comment_added",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"question": question, "text": comment.text},
    )
    return comment


def _decide(qr: QuestionnaireRequest, actor: Any, status: str, after: dict[str, Any]) -> None:
    """The reviewer's decision on a submitted response, audited."""
    qr.status = status
    qr.decided_at = timezone.now()
    qr.decided_by = actor
    qr.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        action=f"questionnaire.{status}",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={"status": status, **after},
    )


def request_return(*, qr: QuestionnaireRequest, actor: Any) -> QuestionnaireRequest:
    """Send a submitted response back for correction (with at least one comment)."""
    if qr.status != QuestionnaireRequest.Status.SUBMITTED:
        raise ValidationError("Only a submitted response can be returned.")
    since = qr.submitted_at or qr.updated_at
    if not qr.comments.filter(created_at__gte=since).exists():
        raise ValidationError("Comment on the answers to correct before returning the response.")
    _decide(qr, actor, QuestionnaireRequest.Status.RETURNED, {})
    if qr.contact_email:
        _mail(
            qr,
            f"Corrections requested: {qr.campaign.name}",
            [
                f"Dear {qr.supplier.legal_name},",
                "",
                f"{qr.campaign.organization.name} asks you to correct some answers. Sign in to "
                "the supplier portal to see the comments on each question.",
            ],
        )
    return qr


def worksite_changes(qr: QuestionnaireRequest) -> list[dict[str, Any]]:
    """What accepting the response would change in the supplier's facilities: one entry per
    worksite row, matched to an existing site of the supplier by name and country."""
    rows = (qr.answers or {}).get("worksites") or []
    existing = {
        (f.name.casefold().strip(), f.country): f
        for f in Facility.objects.filter(organization_id=qr.organization_id, supplier=qr.supplier)
    }
    changes: list[dict[str, Any]] = []
    for row in rows:
        facility = existing.get((str(row.get("name", "")).casefold().strip(), row.get("country")))
        proposed = {
            "name": row.get("name", ""),
            "country": row.get("country", ""),
            "address": row.get("address", ""),
            "products_made": row.get("products", ""),
            "total_workers": row.get("total_workers"),
            "migrant_workers": row.get("migrant_workers"),
            "dprk_workers": row.get("dprk_nationals") or "unknown",
        }
        if facility is None:
            changes.append({"action": "create", "facility": None, "values": proposed})
            continue
        differs = {
            k: v
            for k, v in proposed.items()
            if v not in (None, "") and getattr(facility, k, None) != v
        }
        changes.append(
            {"action": "update" if differs else "same", "facility": facility, "values": differs}
        )
    return changes


def request_accept(
    *, qr: QuestionnaireRequest, actor: Any, apply_worksites: bool = False
) -> QuestionnaireRequest:
    """Accept the response: its answers count for risk; with ``apply_worksites`` the
    worksite table updates the supplier's facilities (each change audited)."""
    from chainproof.suppliers.services import facility_save, risk_changed

    if qr.status != QuestionnaireRequest.Status.SUBMITTED:
        raise ValidationError("Only a submitted response can be accepted.")
    submission = qr.submissions.order_by("-submitted_at", "-pk").first()
    if submission is None:
        raise ValidationError("Nothing was submitted.")
    changed_nodes = [f"s:{qr.supplier_id}"]
    if apply_worksites:
        for change in worksite_changes(qr):
            if change["action"] == "same":
                continue
            values = {k: v for k, v in change["values"].items() if v is not None}
            if change["facility"] is None:
                values["supplier"] = qr.supplier
            facility = facility_save(
                organization=qr.organization_id,
                actor=actor,
                facility=change["facility"],
                data=values,
            )
            changed_nodes.append(f"f:{facility.pk}")
    Submission.objects.filter(request=qr).update(accepted=False)
    submission.accepted = True
    submission.save(update_fields=["accepted"])
    _decide(
        qr,
        actor,
        QuestionnaireRequest.Status.ACCEPTED,
        {"submission": submission.pk, "worksites_applied": apply_worksites},
    )
    risk_changed(qr.organization_id, actor, changed_nodes)
    return qr
