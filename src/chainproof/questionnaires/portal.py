"""The supplier portal: a supplier contact sees its own supplier's requests only, answers
section by section (drafts saved), uploads documents, submits, or works in the workbook."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from chainproof.accounts.access import current_membership, get_for_member
from chainproof.accounts.middleware import SESSION_ORG_KEY
from chainproof.accounts.models import Membership
from chainproof.accounts.roles import Role
from chainproof.diligence.models import EvidenceRequest
from chainproof.domain.questionnaire.answers import (
    AnswerError,
    Checked,
    display,
    is_blank,
    parse_value,
)
from chainproof.domain.questionnaire.definition import Question
from chainproof.questionnaires import languages, selectors
from chainproof.questionnaires.answering import (
    AnsweredElsewhere,
    NotComplete,
    WorkbookProblems,
    document_upload,
    draft_save,
    not_editable_reason,
    web_submit,
    workbook_for,
    workbook_submit,
)
from chainproof.questionnaires.contacts import (
    InvitationInvalid,
    contact_language_set,
    contact_password_set,
    invitation_check,
    invitation_open,
    new_link_request,
    request_opened,
)
from chainproof.questionnaires.country_names import localized
from chainproof.questionnaires.exporting import XLSX
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.questionnaires.portal_problems import grouped
from chainproof.questionnaires.reuse import answered_submission, reuse_offer
from chainproof.questionnaires.versions import definition


def checked_upload(request: HttpRequest, field: str) -> UploadedFile[bytes] | None:
    """The uploaded file, refused before it is read when it is larger than allowed."""
    upload = request.FILES.get(field)
    if upload is not None and (upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES):
        raise ValidationError(
            _("The file is too large: at most %(size)s bytes.")
            % {"size": f"{settings.UPLOAD_MAX_BYTES:,}"}
        )
    return upload


def supplier_membership(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership.role != Role.SUPPLIER or membership.supplier_id is None:
        raise Http404(_("The supplier portal is for supplier contacts."))
    return membership


def _own_request(membership: Membership, request_id: int) -> QuestionnaireRequest:
    return get_for_member(
        membership,
        QuestionnaireRequest.objects.select_related("supplier", "campaign__questionnaire").filter(
            supplier_id=membership.supplier_id or 0
        ),
        pk=request_id,
        minimum=Role.SUPPLIER,
    )


def _dead_end(request: HttpRequest, token: str, problem: InvitationInvalid) -> HttpResponse:
    return render(
        request,
        "questionnaires/portal_link_invalid.html",
        {"message": str(problem), "token": token},
        status=410,
    )


@login_not_required
@require_safe
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """The page a personal link opens. It changes nothing (email scanners fetch links with
    HEAD and GET): the person presses "Open the questionnaire", which POSTs the token."""
    try:
        qr = invitation_check(token)
    except InvitationInvalid as exc:
        return _dead_end(request, token, exc)
    languages.use_request_language(request, qr.language)
    return render(request, "questionnaires/portal_invite.html", {"qr": qr, "token": token})


@login_not_required
@require_POST
def invite_open(request: HttpRequest) -> HttpResponse:
    """Exchange a link's token (in the body, not the path) for a signed-in session."""
    token = request.POST.get("token", "")
    try:
        user, qr = invitation_open(token)
    except InvitationInvalid as exc:
        return _dead_end(request, token, exc)
    picked = languages.chosen(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ORG_KEY] = qr.organization_id
    if picked:
        # Chosen on the link's page: the contact's language from now on (emails too).
        request.session[languages.SESSION_KEY] = picked
        with transaction.atomic():
            contact_language_set(
                user=user,
                organization_id=qr.organization_id,
                supplier_id=qr.supplier_id,
                language=picked,
            )
    return redirect("portal:request", request_id=qr.pk)


@login_not_required
@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """The language picker on every portal page: remembered for the session and, for a
    signed-in contact, on their requests (so emails and workbooks follow)."""
    picked = languages.supported(request.POST.get("language"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    if picked is None:
        return redirect(back or "portal:home")
    request.session[languages.SESSION_KEY] = picked
    membership = getattr(request, "membership", None)
    if (
        request.user.is_authenticated
        and membership is not None
        and membership.role == Role.SUPPLIER
        and membership.supplier_id is not None
    ):
        with transaction.atomic():
            contact_language_set(
                user=request.user,
                organization_id=membership.organization_id,
                supplier_id=membership.supplier_id,
                language=picked,
            )
    return redirect(back or "portal:home")


@login_not_required
@require_POST
def invite_new(request: HttpRequest) -> HttpResponse:
    """ "Send me a new link": the same answer whether or not the token was known."""
    with transaction.atomic():
        new_link_request(request.POST.get("token", ""), base_url=settings.PUBLIC_BASE_URL)
    return render(request, "questionnaires/portal_link_sent.html")


def home(request: HttpRequest) -> HttpResponse:
    membership = supplier_membership(request)
    rows = QuestionnaireRequest.objects.filter(
        organization_id=membership.organization_id, supplier_id=membership.supplier_id or 0
    ).select_related("campaign", "campaign__questionnaire")
    # A contact who came by invitation link may set a password to sign in again later.
    user = membership.user
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and not user.has_usable_password() and form.is_valid():
        with transaction.atomic():
            contact_password_set(
                user=user,
                password=form.cleaned_data["new_password1"],
                organization_id=membership.organization_id,
            )
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _("Password set. Next time, sign in with the username %(username)s.")
            % {"username": user.get_username()},
        )
        return redirect("portal:home")
    return render(
        request,
        "questionnaires/portal_home.html",
        {
            "rows": rows,
            "evidence_requests": EvidenceRequest.objects.filter(
                organization_id=membership.organization_id,
                supplier_id=membership.supplier_id or 0,
            )
            .select_related("facility")
            .exclude(status=EvidenceRequest.Status.CANCELLED)
            .order_by("due_date", "pk"),
            "password_form": form if not user.has_usable_password() else None,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = supplier_membership(request)
    qr = _own_request(membership, request_id)
    language = languages.use_request_language(request, qr.language)
    questionnaire, _layout = definition(qr.campaign.questionnaire, language)
    problems: list[str] = []
    groups: list[Any] = []
    if request.method == "POST" and qr.editable_by_supplier:
        action = request.POST.get("action", "")
        try:
            with transaction.atomic():
                if action == "submit":
                    web_submit(qr=qr, actor=request.user, language=language)
                    messages.success(request, _("Submitted. Thank you."))
                    return redirect("portal:request", request_id=qr.pk)
                if action == "workbook":
                    upload = checked_upload(request, "file")
                    if upload is None:
                        raise ValidationError(
                            _("Choose the filled workbook (.xlsx, .ods or .xls).")
                        )
                    data, name = upload.read(), upload.name or "workbook.xlsx"
                    try:
                        outcome = workbook_submit(
                            qr=qr, actor=request.user, data=data, file_name=name
                        )
                    except AnsweredElsewhere:
                        # Answered for another request: nothing is used until confirmed.
                        offer = reuse_offer(
                            qr=qr, actor=request.user, data=data, file_name=name, language=language
                        )
                        return render(
                            request, "questionnaires/portal_reuse.html", {"qr": qr, "offer": offer}
                        )
                    if outcome.submission is not None:
                        messages.success(request, _("Workbook read and submitted. Thank you."))
                    else:
                        messages.warning(
                            request,
                            ngettext(
                                "Workbook read and saved as a draft: %(n)s required answer is "
                                "still missing; complete it below, then submit.",
                                "Workbook read and saved as a draft: %(n)s required answers are "
                                "still missing; complete them below, then submit.",
                                len(outcome.missing),
                            )
                            % {"n": len(outcome.missing)},
                        )
                    return redirect("portal:request", request_id=qr.pk)
                raise ValidationError(_("Unknown action."))
        except NotComplete as exc:
            groups = grouped(questionnaire, exc.checked, request_id=qr.pk)
        except WorkbookProblems as exc:
            if exc.checked is not None and exc.checked.issues:
                upload = request.FILES.get("file")
                groups = grouped(
                    questionnaire,
                    exc.checked,
                    request_id=qr.pk,
                    file_name=(upload.name if upload else "") or "workbook",
                )
            problems = [] if groups else exc.messages
        except ValidationError as exc:
            problems = exc.messages
    elif request.method == "POST":
        problems = [not_editable_reason(qr)]
    if qr.status == QuestionnaireRequest.Status.SENT:
        with transaction.atomic():
            request_opened(qr=qr, actor=request.user)
    count = len(problems) + sum(len(g.problems) for g in groups)
    return render(
        request,
        "questionnaires/portal_request.html",
        {
            "qr": qr,
            "questionnaire": questionnaire,
            "progress": selectors.section_progress(qr, language),
            "problems": problems,
            "problem_groups": groups,
            "problem_count": count,
            "comments": qr.comments.select_related("author").order_by("created_at"),
            "review": selectors.answer_rows(qr, language) if not qr.editable_by_supplier else None,
            "answered": answered_submission(qr),
        },
        status=400 if count else 200,
    )


def workbook(request: HttpRequest, request_id: int) -> HttpResponse:
    membership = supplier_membership(request)
    qr = _own_request(membership, request_id)
    language = languages.use_request_language(request, qr.language)
    response = HttpResponse(workbook_for(qr, language), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{qr.reference}.xlsx"'
    return response


def _selected(question: Question, value: Any, countries: dict[str, str]) -> set[str]:
    """The choice values (or country codes) a stored answer stands for."""
    if is_blank(value) or question.type not in (
        "yes_no",
        "yes_no_unknown",
        "choice",
        "multi_choice",
        "country",
        "countries",
    ):
        return set()
    picked = set()
    for item in value if isinstance(value, list) else [value]:
        try:
            parsed = parse_value(
                "country" if question.type == "countries" else question.type,
                item,
                choices=question.choices,
                countries=countries,
            )
        except AnswerError:
            continue
        picked.update(parsed if isinstance(parsed, list) else [parsed])
    return picked


def _form_answers(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        name = f"q_{question.id}"
        if question.type == "document":
            continue  # documents arrive as uploads
        if question.type in ("multi_choice", "countries"):
            answers[question.id] = [v for v in request.POST.getlist(name) if v.strip()]
        elif question.type == "table":
            rows = []
            for number in range(int(request.POST.get(f"{name}_rows", "0") or 0)):
                row = {
                    c.id: request.POST.get(f"{name}_{number}_{c.id}", "").strip()
                    for c in question.columns
                }
                if any(row.values()):
                    rows.append(row)
            answers[question.id] = rows
        else:
            answers[question.id] = request.POST.get(name, "").strip()
    return answers


def section_page(request: HttpRequest, request_id: int, section_id: str) -> HttpResponse:
    membership = supplier_membership(request)
    qr = _own_request(membership, request_id)
    language = languages.use_request_language(request, qr.language)
    questionnaire, _layout = definition(qr.campaign.questionnaire, language)
    section = next((s for s in questionnaire.sections if s.id == section_id), None)
    if section is None:
        raise Http404(_("No such section."))
    index = questionnaire.sections.index(section)
    problems: list[str] = []
    groups: list[Any] = []
    if request.method == "POST":
        if not qr.editable_by_supplier:
            problems = [not_editable_reason(qr)]
        else:
            try:
                with transaction.atomic():
                    upload = checked_upload(request, "document")
                    if upload is not None:
                        document_upload(
                            qr=qr,
                            actor=request.user,
                            question=request.POST.get("document_question", ""),
                            data=upload.read(),
                            file_name=upload.name or "document",
                        )
                        messages.success(request, _("Uploaded %(name)s.") % {"name": upload.name})
                        return redirect("portal:section", request_id=qr.pk, section_id=section.id)
                    checked = draft_save(
                        qr=qr,
                        actor=request.user,
                        answers=_form_answers(request, list(section.questions)),
                    )
                here = {q.id for q in section.questions}
                wrong = [i for i in checked.issues if i.question in here]
                if wrong:
                    groups = grouped(
                        questionnaire,
                        Checked(checked.values, wrong, []),
                        request_id=qr.pk,
                    )
                else:
                    messages.success(request, _("Saved as a draft."))
                    if request.POST.get("next") and index + 1 < len(questionnaire.sections):
                        following = questionnaire.sections[index + 1]
                        return redirect("portal:section", request_id=qr.pk, section_id=following.id)
                    return redirect("portal:section", request_id=qr.pk, section_id=section.id)
            except ValidationError as exc:
                problems = exc.messages
    answers = selectors.current_answers(qr)
    if (problems or groups) and request.method == "POST" and not request.FILES:
        answers = {**answers, **_form_answers(request, list(section.questions))}
    comments: dict[str, list[Any]] = {}
    for comment in qr.comments.filter(question__in=[q.id for q in section.questions]):
        comments.setdefault(comment.question, []).append(comment)
    documents: dict[str, list[Any]] = {}
    for attachment in qr.attachments.filter(question__in=[q.id for q in section.questions]):
        documents.setdefault(attachment.question, []).append(attachment)
    fields = []
    countries = selectors.countries_for(qr.organization_id)
    shown_countries = localized(countries, language)
    for question in section.questions:
        value = answers.get(question.id)
        fields.append(
            {
                "question": question,
                "name": f"q_{question.id}",
                "value": "" if value is None else value,
                "selected": _selected(question, value, countries),
                "text": display(question, value) if question.choices else value,
                "rows": [*(value or []), *[{}] * 3] if question.type == "table" else [],
                "comments": comments.get(question.id, []),
                "documents": documents.get(question.id, []),
                "condition": _condition_text(questionnaire, question),
            }
        )
    return render(
        request,
        "questionnaires/portal_section.html",
        {
            "qr": qr,
            "questionnaire": questionnaire,
            "section": section,
            "fields": fields,
            "countries": sorted(shown_countries.items(), key=lambda c: c[1]),
            "previous": questionnaire.sections[index - 1] if index else None,
            "next": questionnaire.sections[index + 1]
            if index + 1 < len(questionnaire.sections)
            else None,
            "problems": problems,
            "problem_groups": groups,
            "problem_count": len(problems) + sum(len(g.problems) for g in groups),
        },
        status=400 if problems or groups else 200,
    )


def _condition_text(questionnaire: Any, question: Question) -> str:
    if question.show_if is None:
        return ""
    source = questionnaire.questions[question.show_if.question]
    labels = [
        next((c.label for c in source.choices if c.value == v), v) for v in question.show_if.values
    ]
    return _("Only if %(number)s is %(answers)s") % {
        "number": source.number,
        "answers": _(" or ").join(f"“{label}”" for label in labels),
    }
