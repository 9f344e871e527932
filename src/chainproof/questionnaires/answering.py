"""A supplier answering: drafts, web and workbook submission, supporting documents.
Every change writes its audit event in the caller's transaction. The one module of the
app that reads and writes questionnaire workbooks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chainproof.audit.services import audit_record
from chainproof.domain.evidence.categories import dhs_category
from chainproof.domain.questionnaire.answers import Checked, check, is_blank
from chainproof.domain.questionnaire.cell_map import pick_layout, translated_layout
from chainproof.evidence.documents import LinkTarget, document_create
from chainproof.evidence.models import Document
from chainproof.evidence.receiving import Received, checked_file_keep, file_receive
from chainproof.fileformats.questionnaire_workbook import (
    WORKBOOK_TYPES,
    WorkbookRejected,
    check_workbook,
    formulas_note,
    open_workbook,
    read_meta,
    sheet_names,
    workbook_kind,
)
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from chainproof.questionnaires.country_names import localized
from chainproof.questionnaires.languages import codes, supported
from chainproof.questionnaires.models import (
    Attachment,
    QuestionnaireRequest,
    QuestionnaireVersion,
    Submission,
)
from chainproof.questionnaires.selectors import countries_for, current_answers
from chainproof.questionnaires.versions import definition, layouts_of
from chainproof.questionnaires.workbook_words import checker_sheets, workbook_words


def _into_locker(
    qr: QuestionnaireRequest,
    actor: Any,
    received: Received,
    *,
    title: str,
    question: str = "",
    evidence: tuple[int, ...] = (),
) -> Document:
    """The file as a document of the evidence locker, linked to the supplier and to the
    answer it came with, under the DHS evidence categories its question declares."""
    return document_create(
        organization=qr.organization_id,
        actor=actor,
        received=received,
        metadata={
            "title": f"{title} ({qr.supplier.legal_name})"[:300],
            "record_type": "questionnaire_attachment",
        },
        categories=[dhs_category(n) for n in sorted(set(evidence))],
        links=[
            LinkTarget("supplier", qr.supplier_id),
            LinkTarget("answer", qr.pk, question),
        ],
    )


def _receive(data: bytes, file_name: str) -> Received:
    """Spool, check and store the bytes (once) in the blob store; the caller has already
    checked their size (at most UPLOAD_MAX_BYTES)."""
    return file_receive(io.BytesIO(data), file_name, max_bytes=settings.UPLOAD_MAX_BYTES)


def not_editable_reason(qr: QuestionnaireRequest) -> str:
    return _("This questionnaire can no longer be changed (status: %(status)s).") % {
        "status": qr.get_status_display()
    }


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
    qr: QuestionnaireRequest,
    actor: Any,
    checked: Checked,
    source: str,
    language: str = "",
    **extra: Any,
) -> Submission:
    submission = Submission.objects.create(
        request=qr,
        questionnaire=qr.campaign.questionnaire,
        answers=_jsonable(checked.values),
        source=source,
        language=language,
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
        after={
            "source": source,
            "submission": submission.pk,
            "answers": len(checked.values),
            "language": language,
        },
    )
    return submission


class NotComplete(ValidationError):
    def __init__(self, checked: Checked) -> None:
        self.checked = checked
        problems = [str(i) for i in checked.issues] + [
            f"{q}: required answer missing" for q in checked.missing
        ]
        super().__init__(problems)


def web_submit(*, qr: QuestionnaireRequest, actor: Any, language: str = "") -> Submission:
    """Submit the draft as it stands; refused while anything is wrong or missing.
    `language` is the one the supplier read the questions in (kept with the submission)."""
    _require_editable(qr)
    checked = _recheck(qr, current_answers(qr))
    if not checked.complete:
        raise NotComplete(checked)
    return _submit(qr, actor, checked, "web", language)


def workbook_for(qr: QuestionnaireRequest, language: str = "en") -> bytes:
    """The request's workbook, in `language`: sheet names, instructions, questions and
    drop-down lists (read back in any language: see ``workbook_submit``)."""
    questionnaire, layout = definition(qr.campaign.questionnaire, language)
    words = workbook_words(language)
    return build_workbook(
        questionnaire,
        translated_layout(layout, words.sheets),
        countries=localized(countries_for(qr.organization_id), language),
        words=words,
        meta={
            "language": language,
            "campaign": str(qr.campaign_id),
            "campaign name": qr.campaign.name,
            "request": qr.reference,
            "supplier": qr.supplier.ref or str(qr.supplier_id),
            "supplier name": qr.supplier.legal_name,
            "due": qr.campaign.due_date.isoformat(),
        },
        answers=current_answers(qr),
    )


# The identification sheet's "state" of a workbook holding a submitted or accepted
# response (``reuse.answered_workbook_for``): what a supplier may reuse for another request.
ANSWERED = "answered"


class AnsweredElsewhere(Exception):
    """The workbook holds the answers given to another request (named as in the file)."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


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
    kind = workbook_kind(data)  # from the bytes: an .ods renamed .xlsx is read as .ods
    if kind not in WORKBOOK_TYPES:
        raise WorkbookProblems(
            [f"{file_name}: expected a workbook (.xlsx, .ods or .xls), found another kind of file"]
        )
    archive = None
    try:
        archive = open_workbook(data, file_name)  # opened and checked once
        meta = read_meta(archive)
        version = qr.campaign.questionnaire
        if meta:
            if meta.get("request") and meta["request"] != qr.reference:
                if meta.get("state") == ANSWERED:
                    # Answered for another request: offered for reuse (``reuse.py``), never
                    # taken without the supplier's confirmation.
                    raise AnsweredElsewhere(meta["request"])
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
        language = supported(meta.get("language")) or ""
        if language:
            # chainproof's workbook in the supplier's language: its sheets named in it.
            layout = translated_layout(layout, workbook_words(language).sheets)
        if not meta:
            # Not a chainproof workbook: another layout, recognised by its sheets.
            names = sheet_names(archive)
            candidates = layouts_of(version)
            # chainproof's own workbook in any language, its identification sheet lost.
            translated = [
                translated_layout(candidates[0], workbook_words(code).sheets)
                for code in codes()
                if workbook_words(code).sheets
            ]
            picked = pick_layout(names, [*candidates, *translated])
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
            archive, questionnaire, layout, countries=countries_for(qr.organization_id)
        )
        warnings = [*result.warnings, *filter(None, [formulas_note(archive, checker_sheets())])]
    except WorkbookRejected as exc:
        raise WorkbookProblems([str(exc)]) from None
    finally:
        if archive is not None:
            archive.close()
    if checked.issues:
        raise WorkbookProblems([f"{file_name} {i}" for i in checked.issues], checked)
    extension, content_type = WORKBOOK_TYPES[kind]
    received = checked_file_keep(
        data,
        file_name,
        content_type=content_type,
        extension=extension,
        max_bytes=settings.UPLOAD_MAX_BYTES,
    )
    digest = received.sha256
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
                "warnings": warnings,
            },
        )
        checked = rechecked
    else:
        submission = _submit(
            qr,
            actor,
            checked,
            "workbook",
            language,
            workbook_sha256=digest,
            warnings=warnings,
        )
    Attachment.objects.create(
        organization_id=qr.organization_id,
        request=qr,
        kind=Attachment.Kind.WORKBOOK,
        file_name=received.original_name,
        content_type=received.content_type,
        size=received.size,
        sha256=digest,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        document=_into_locker(qr, actor, received, title="Returned questionnaire workbook"),
    )
    return WorkbookOutcome(submission, checked.missing, layout.name, warnings)


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
    if not 0 < len(data) <= settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {"file": f"Expected 1 to {settings.UPLOAD_MAX_BYTES:,} bytes, found {len(data):,}."}
        )
    received = _receive(data, name)
    if received.warnings:
        # The supplier can send a clean copy; the analyst should not have to open this one.
        raise ValidationError(
            {"file": f"{name}: " + " ".join(received.warnings) + " Send a plain PDF (print it)."}
        )
    digest = received.sha256
    attachment = Attachment.objects.create(
        organization_id=qr.organization_id,
        request=qr,
        kind=Attachment.Kind.DOCUMENT,
        question=question,
        file_name=received.original_name,
        content_type=received.content_type,
        size=received.size,
        sha256=digest,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        document=_into_locker(
            qr, actor, received, title=target.text, question=question, evidence=target.evidence
        ),
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
