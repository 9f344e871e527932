"""The questionnaire answered once, reused: a supplier downloads its submitted or accepted
response as a workbook (the blank workbook's layout and language, filled with its answers,
its identification sheet naming the request and marked "answered"), and uploads it to
another chainproof request, of another customer or of a later campaign.

The file is the only source about the request it was answered for: its reference, version
and date are shown as the file states them, and nothing of that request or of its
organization is ever looked up. Uploading such a file stores it (by its SHA-256, named by
no record yet) and offers the reuse; only the supplier's confirmation, carried by a signed
token naming the request, the contact and the file, writes anything: the answers re-checked
against this request's questionnaire (its version, its organization's country list), the
identification re-bound to this request, stored through the draft path (and submitted when
complete and asked for), audited, the original kept like any returned workbook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chainproof.audit.services import audit_record
from chainproof.blobs import blob_store
from chainproof.domain.questionnaire.answers import Checked, check, display, is_blank
from chainproof.domain.questionnaire.cell_map import translated_layout
from chainproof.domain.questionnaire.definition import Question, Questionnaire
from chainproof.domain.questionnaire.reuse import Carried, carry_over
from chainproof.evidence.receiving import Received, checked_file_keep
from chainproof.fileformats.questionnaire_workbook import (
    WORKBOOK_TYPES,
    WorkbookRejected,
    formulas_note,
    locate,
    open_workbook,
    read_answers,
    read_meta,
    workbook_kind,
)
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from chainproof.questionnaires.answering import (
    ANSWERED,
    NotComplete,
    WorkbookProblems,
    _into_locker,
    _recheck,
    _require_editable,
    _submit,
    draft_save,
)
from chainproof.questionnaires.country_names import localized
from chainproof.questionnaires.languages import supported
from chainproof.questionnaires.models import (
    Attachment,
    QuestionnaireRequest,
    QuestionnaireVersion,
    Submission,
)
from chainproof.questionnaires.selectors import countries_for, current_answers, prefill
from chainproof.questionnaires.versions import definition
from chainproof.questionnaires.workbook_words import checker_sheets, workbook_words

SIGNING_SALT = "chainproof.questionnaires.reuse"  # a namespace for the signature, no secret
TOKEN_MAX_AGE = 24 * 3600  # seconds between the upload and the confirmation
SHOWN_MAX = 120  # characters of a value from the file shown on the confirmation page


# --- the answered workbook ---------------------------------------------------------------


def answered_submission(qr: QuestionnaireRequest) -> Submission | None:
    """The response a supplier may take away: the accepted one, or the one under review."""
    if qr.status == QuestionnaireRequest.Status.ACCEPTED:
        return qr.submissions.filter(accepted=True).first()
    if qr.status == QuestionnaireRequest.Status.SUBMITTED:
        return qr.submissions.first()
    return None


def answered_workbook_for(qr: QuestionnaireRequest, language: str = "en") -> bytes:
    """The submitted or accepted response as a workbook in `language`: the blank workbook
    of the version it answered, filled with its answers, its identification sheet naming
    this request, the version and the day it was answered, marked "answered". It carries no
    campaign, customer or due date: it is meant to travel to other customers."""
    submission = answered_submission(qr)
    if submission is None:
        raise ValidationError(_("There is no submitted or accepted response to download yet."))
    questionnaire, layout = definition(submission.questionnaire, language)
    words = workbook_words(language)
    day = timezone.localdate(submission.submitted_at).isoformat()
    with translation.override(language):
        note = _(
            "Your answers to %(reference)s, answered on %(day)s. To reuse them for another "
            "customer who uses chainproof, upload this workbook on that customer's "
            "questionnaire page."
        ) % {"reference": qr.reference, "day": day}
    return build_workbook(
        questionnaire,
        translated_layout(layout, words.sheets),
        countries=localized(countries_for(qr.organization_id), language),
        words=words,
        meta={
            "language": language,
            "state": ANSWERED,
            "request": qr.reference,
            "status": qr.status,
            "answered on": day,
        },
        answers=submission.answers,
        note=note,
    )


# --- reading an answered workbook for this request -----------------------------------------


@dataclass
class _Read:
    meta: dict[str, str]
    source: QuestionnaireVersion
    language: str  # the file's
    layout: str
    carried: Carried
    checked: Checked  # against this request's version, problems with their cells
    warnings: list[str]
    kind: str


def _read(qr: QuestionnaireRequest, data: bytes, file_name: str) -> _Read:
    """Read and check the answered workbook for `qr`; WorkbookProblems naming the cell of
    every wrong answer, or what is wrong with the file."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise WorkbookProblems(
            [f"{file_name}: expected at most {settings.UPLOAD_MAX_BYTES:,} bytes"]
        )
    kind = workbook_kind(data)
    if kind not in WORKBOOK_TYPES:
        raise WorkbookProblems(
            [f"{file_name}: expected a workbook (.xlsx, .ods or .xls), found another kind of file"]
        )
    archive = None
    try:
        archive = open_workbook(data, file_name)
        meta = read_meta(archive)
        if meta.get("state") != ANSWERED or not meta.get("request"):
            raise WorkbookProblems(
                [f"{file_name}: expected a workbook answered for another request, found another"]
            )
        key = f"{meta.get('questionnaire')}@{meta.get('version')}"
        # A questionnaire version is chainproof's own (shipped), shared by every organization.
        source = QuestionnaireVersion.objects.filter(key=key).first()
        if source is None:
            raise WorkbookProblems([f"{file_name}: unknown questionnaire version {key}"])
        asked = qr.campaign.questionnaire
        if source.questionnaire_id != asked.questionnaire_id:
            raise WorkbookProblems(
                [
                    f"{file_name}: expected answers to {asked.title} ({asked.questionnaire_id}), "
                    f"found answers to another questionnaire ({source.questionnaire_id})"
                ]
            )
        source_questionnaire, layout = definition(source)
        language = supported(meta.get("language")) or ""
        if language:
            layout = translated_layout(layout, workbook_words(language).sheets)
        result = read_answers(archive, layout)
        warnings = [*result.warnings, *filter(None, [formulas_note(archive, checker_sheets())])]
    except WorkbookRejected as exc:
        raise WorkbookProblems([str(exc)]) from None
    finally:
        if archive is not None:
            archive.close()
    target, _layout = definition(qr.campaign.questionnaire)
    countries = countries_for(qr.organization_id)
    carried = carry_over(
        source_questionnaire, target, result.raw, known=prefill(qr), countries=countries
    )
    checked = check(target, carried.raw, countries=countries)
    checked.issues = result.refused + locate(checked.issues, layout)
    if checked.issues:
        raise WorkbookProblems([f"{file_name} {i}" for i in checked.issues], checked)
    return _Read(meta, source, language, layout.name, carried, checked, warnings, kind)


def _keep(data: bytes, file_name: str, kind: str) -> Received:
    extension, content_type = WORKBOOK_TYPES[kind]
    return checked_file_keep(
        data,
        file_name,
        content_type=content_type,
        extension=extension,
        max_bytes=settings.UPLOAD_MAX_BYTES,
    )


# --- the offer: what the supplier confirms -------------------------------------------------


@dataclass
class ReuseOffer:
    token: str
    file_name: str
    sha256: str
    reference: str  # the other request, as the file names it
    title: str
    version: str
    answered_on: str
    company: str
    same_version: bool
    rebound: list[dict[str, Any]] = field(default_factory=list)
    not_in_file: list[Question] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)
    answers: int = 0
    missing: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.missing == 0


def _shown(value: Any) -> str:
    if is_blank(value):
        return ""
    text = " | ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _value_here(question: Question, value: Any, countries: dict[str, str]) -> str:
    if question.type == "country":
        return f"{countries.get(str(value), str(value))} ({value})"
    return _shown(display(question, value))


def _missing_after(qr: QuestionnaireRequest, values: dict[str, Any]) -> list[str]:
    questionnaire, _layout = definition(qr.campaign.questionnaire)
    merged = {**current_answers(qr), **values}
    return check(questionnaire, merged, countries=countries_for(qr.organization_id)).missing


def reuse_offer(
    *, qr: QuestionnaireRequest, actor: Any, data: bytes, file_name: str, language: str = "en"
) -> ReuseOffer:
    """Check an answered workbook of another request for `qr` and store the file (named by
    no record until confirmed); what the supplier is asked to confirm, in `language`."""
    _require_editable(qr)
    found = _read(qr, data, file_name)
    received = _keep(data, file_name, found.kind)
    token = signing.dumps(
        {"r": qr.pk, "u": actor.pk, "s": received.sha256, "n": received.original_name},
        salt=SIGNING_SALT,
    )
    target, _layout = definition(qr.campaign.questionnaire, language)
    source, _layout = definition(found.source, language)
    countries = localized(countries_for(qr.organization_id), language)
    company = found.carried.raw.get("company_name")
    in_file = {r.question: r.in_file for r in found.carried.rebound}
    return ReuseOffer(
        token=token,
        file_name=received.original_name,
        sha256=received.sha256,
        reference=_shown(found.meta.get("request")),
        title=source.title,
        version=source.version,
        answered_on=_shown(found.meta.get("answered on")),
        company=_shown(in_file.get("company_name", company)),
        same_version=found.source.pk == qr.campaign.questionnaire_id,
        rebound=[
            {
                "question": target.questions[r.question],
                "in_file": _shown(r.in_file),
                "here": _value_here(target.questions[r.question], r.here, countries),
            }
            for r in found.carried.rebound
        ],
        not_in_file=[target.questions[q] for q in found.carried.not_in_file],
        dropped=[_dropped_words(source, d.question, d.column) for d in found.carried.dropped],
        answers=len(found.checked.values),
        missing=len(_missing_after(qr, found.checked.values)),
        warnings=found.warnings,
    )


def _dropped_words(source: Questionnaire, question: str, column: str) -> dict[str, str]:
    asked = source.questions[question]
    if not column:
        return {"number": asked.number, "text": asked.text}
    label = next((c.label for c in asked.columns if c.id == column), column)
    return {"number": asked.number, "text": f"{asked.text}: {label}"}


# --- the confirmation ------------------------------------------------------------------------


def _confirmed(qr: QuestionnaireRequest, actor: Any, token: str) -> dict[str, Any]:
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("r") != qr.pk
        or payload.get("u") != getattr(actor, "pk", None)
    ):
        raise ValidationError(
            _(
                "This confirmation has expired or is not for this request; upload the "
                "workbook again."
            )
        )
    return payload


def _stored(sha256: str) -> bytes:
    """The uploaded file from the store, re-hashed: what was offered is what is applied."""
    try:
        with blob_store().open(sha256) as stream:
            data = stream.read(settings.UPLOAD_MAX_BYTES + 1)
    except (FileNotFoundError, OSError):
        data = b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValidationError(_("The uploaded workbook is no longer available; upload it again."))
    return data


def reuse_confirm(
    *, qr: QuestionnaireRequest, actor: Any, token: str, submit: bool = False
) -> Submission | None:
    """Use the offered workbook's answers for `qr`: re-read and re-checked, stored as the
    draft (merged with it: nothing typed before is lost), then submitted when `submit` and
    complete (NotComplete otherwise, and nothing is stored). Audited; the file is kept."""
    _require_editable(qr)
    payload = _confirmed(qr, actor, token)
    name = str(payload.get("n") or "workbook.xlsx")
    data = _stored(str(payload.get("s", "")))
    found = _read(qr, data, name)
    received = _keep(data, name, found.kind)
    draft_save(qr=qr, actor=actor, answers=found.checked.values)
    submission = None
    if submit:
        checked = _recheck(qr, current_answers(qr))
        if not checked.complete:
            raise NotComplete(checked)
        note = (
            f"The answers were reused from a workbook answered for another request "
            f"({found.meta.get('request', '')[:40]} in the file, answered on "
            f"{found.meta.get('answered on', '')[:20]}); the company details were re-bound "
            "to this request."
        )
        submission = _submit(
            qr,
            actor,
            checked,
            "workbook",
            found.language,
            workbook_sha256=received.sha256,
            warnings=[note, *found.warnings],
        )
    audit_record(
        action="questionnaire.answers_reused",
        actor=actor,
        organization=qr.organization_id,
        obj=qr,
        after={
            "file": received.original_name,
            "sha256": received.sha256,
            "answered_for": found.meta.get("request", "")[:40],
            "answered_on": found.meta.get("answered on", "")[:20],
            "version": found.source.key,
            "layout": found.layout,
            "answers": len(found.checked.values),
            "rebound": [r.question for r in found.carried.rebound],
            "dropped": [
                f"{d.question}.{d.column}" if d.column else d.question
                for d in found.carried.dropped
            ],
            "not_in_file": list(found.carried.not_in_file),
            "submitted": submission is not None,
        },
    )
    Attachment.objects.create(
        organization_id=qr.organization_id,
        request=qr,
        kind=Attachment.Kind.WORKBOOK,
        file_name=received.original_name,
        content_type=received.content_type,
        size=received.size,
        sha256=received.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        document=_into_locker(
            qr, actor, received, title="Questionnaire workbook reused from another request"
        ),
    )
    qr.source = "workbook"
    qr.save(update_fields=["source"])
    return submission
