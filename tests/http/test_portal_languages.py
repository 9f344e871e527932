"""The supplier portal in the supplier's language over HTTP (CSRF enforced): the browser's
language or the one picked on any portal page, remembered for the contact (emails follow),
the questionnaire's own texts translated, submit errors that name the question by its
number and text and link to it, and the analyst's review with the English question beside
the answer and the language the supplier read."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from chainproof.audit.models import AuditEvent
from chainproof.domain.questionnaire.answers import check
from chainproof.domain.questionnaire.cell_map import translated_layout
from chainproof.domain.questionnaire.translations import bundled_translations
from chainproof.outbox.models import OutboundEmail
from chainproof.questionnaires.contacts import link_issue
from chainproof.questionnaires.models import QuestionnaireRequest, Submission
from chainproof.questionnaires.selectors import current_answers
from chainproof.questionnaires.versions import definition
from chainproof.questionnaires.workbook_words import workbook_words
from tests.csrf_client import CsrfClient, csrf_token_from
from tests.invitation_helpers import open_link
from tests.questionnaire_helpers import TYPED, countries, fill, sent_request, strt

LANGUAGES = ("zh-hans", "vi", "es", "ko", "tr", "bn")


@pytest.fixture
def invited(alice, refdata):
    """A Chinese supplier's request, sent, and the path of its personal link."""
    qr = sent_request(alice, "S-CN-01")
    qr.contact_email = "wang@sunrise.example"
    qr.save()
    with transaction.atomic():
        link = link_issue(qr, base_url="http://testserver")
        qr.save(update_fields=["token_hash", "token_expires_at"])
    return qr, "/" + link.split("/", 3)[3]


def _pick(client: CsrfClient, language: str, page: str, *, back: str | None = None):
    return client.submit(
        "/portal/language/", {"language": language, "next": back or page}, from_page=page
    )


def _signed_in(invited, language: str | None = None) -> CsrfClient:
    qr, path = invited
    client = CsrfClient()
    if language:
        assert _pick(client, language, path)["Location"] == path
    assert open_link(client, path)["Location"] == f"/portal/requests/{qr.pk}/"
    return client


def test_the_link_page_speaks_the_browsers_language(invited):
    _, path = invited
    client = CsrfClient()
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    text = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in text
    assert "打开问卷" in text
    assert "Open the questionnaire" not in text
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Open the questionnaire" in english
    # Every language offered in the picker, each named in itself.
    for name in ("简体中文", "Tiếng Việt", "Español", "한국어", "Türkçe", "বাংলা", "English"):
        assert name in text


def test_the_language_picked_is_remembered_for_the_contact(invited, alice):
    qr, _path = invited
    client = _signed_in(invited, "zh-hans")
    qr.refresh_from_db()
    assert qr.language == "zh-hans"
    event = AuditEvent.objects.filter(action="questionnaire.language_set").latest("pk")
    assert event.after == {"language": "zh-hans"}
    page = client.get(f"/portal/requests/{qr.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "强迫劳动尽职调查问卷" in text
    assert "wang@sunrise.example · 供应商联系人" in text  # the shell speaks Chinese too
    assert "声明" in text
    assert "提交回答" in text
    # Changed again from a page of the portal, signed in: the requests follow.
    moved = _pick(client, "vi", f"/portal/requests/{qr.pk}/")
    assert moved["Location"] == f"/portal/requests/{qr.pk}/"
    qr.refresh_from_db()
    assert qr.language == "vi"
    assert "Nộp câu trả lời" in client.get(f"/portal/requests/{qr.pk}/").content.decode()


def test_the_picker_refuses_a_foreign_address_and_an_unknown_language(invited):
    qr, _path = invited
    client = _signed_in(invited)
    here = f"/portal/requests/{qr.pk}/"
    away = _pick(client, "zh-hans", here, back="https://evil.example/phish")
    assert away["Location"] == "/portal/"
    unknown = _pick(client, "xx", here)
    assert unknown["Location"] == here
    assert client.session.get("portal_language") == "zh-hans"
    qr.refresh_from_db()
    assert qr.language == "zh-hans"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_portal_page_in_each_language(invited, language):
    qr, _ = invited
    client = _signed_in(invited, language)
    questionnaire, _ = strt()
    translated = bundled_translations(questionnaire)[language]
    with translation.override(language):
        submit_words = gettext("Submit answers")
        home_words = gettext("My questionnaires")
    assert submit_words != "Submit answers"
    request_page = client.get(f"/portal/requests/{qr.pk}/").content.decode()
    assert translated["title"] in request_page
    assert submit_words in request_page
    assert f'<html lang="{language}">' in request_page
    section = client.get(f"/portal/requests/{qr.pk}/sections/policies/").content.decode()
    assert translated["sections"]["policies"] in section
    assert translated["questions"]["policy_dprk"]["text"] in section
    assert translated["answers"]["unknown"] in section
    assert home_words in client.get("/portal/").content.decode()
    if language == "zh-hans":
        operations = client.get(f"/portal/requests/{qr.pk}/sections/operations/")
        assert '<option value="CN" >中国 (CN)</option>' in operations.content.decode()
    workbook = client.get(f"/portal/requests/{qr.pk}/workbook.xlsx")
    assert workbook.status_code == 200


def test_submit_errors_name_each_question_by_number_and_text_and_link_to_it(invited):
    qr, _ = invited
    client = _signed_in(invited, "zh-hans")
    refused = client.submit(f"/portal/requests/{qr.pk}/", {"action": "submit"})
    assert refused.status_code == 400
    text = refused.content.decode()
    chinese, _ = definition(qr.campaign.questionnaire, "zh-hans")
    missing = check(chinese, current_answers(qr), countries=countries()).missing
    assert len(missing) > 30
    summary = re.search(r'<h2 class="problems-title">(.*?)</h2>', text).group(1)
    assert summary == f"{len(missing)} 处回答需要更正"
    items = re.findall(
        r'<li><a href="([^"]+)"><strong>([\d.]+)</strong> ([^<]+)</a>: ([^<]+)</li>', text
    )
    assert len(items) == len(missing)
    for href, number, question_text, message in items:
        question = next(q for q in chinese.ordered() if q.number == number)
        assert href == f"/portal/requests/{qr.pk}/sections/{question.section}/#q-{question.id}"
        assert question_text == question.text
        assert message in ("必答题：请作答。", "请至少填写 1 行。")
    # Grouped by section, in the questionnaire's order, each group headed by its section.
    groups = re.findall(r'<section class="problem-group" id="problems-([a-z_]+)">', text)
    assert groups == [s.id for s in chinese.sections if any(q.id in missing for q in s.questions)]
    assert f'href="/portal/requests/{qr.pk}/sections/declaration/">声明</a>' in text
    assert "policy_dprk" not in re.sub(r'(href|id)="[^"]*"', "", text)  # no internal keys


def test_a_wrong_answer_on_a_section_page_is_named_and_linked(invited):
    qr, _ = invited
    client = _signed_in(invited, "zh-hans")
    url = f"/portal/requests/{qr.pk}/sections/grievance/"
    refused = client.submit(url, {"q_grievance_mechanism": "yes", "q_grievances_last_year": "很多"})
    assert refused.status_code == 400
    text = refused.content.decode()
    number = strt()[0].questions["grievances_last_year"].number
    assert (
        f'<a href="{url}#q-grievances_last_year"><strong>{number}</strong> '
        "过去12个月内收到的申诉数量</a>: 应填写一个数字，实际为“很多”。"
    ) in text
    assert "1 处回答需要更正" in text
    assert 'value="很多"' in text  # what was typed is kept


def test_emails_go_in_the_contacts_language(invited, alice):
    qr, path = invited
    # Not chosen yet: English, then the language of the supplier's country.
    with transaction.atomic():
        from chainproof.questionnaires.emails import reminder_queue

        first = reminder_queue(qr, link="http://testserver/portal/invite/x/", overdue=False)
    assert first.subject.startswith("Reminder: questionnaire from Acme Imports / 提醒")
    assert "Your personal link:" in first.body
    assert "您的专属链接：" in first.body
    # Chosen in the portal: that language only, for the "send me a new link" email too.
    _signed_in(invited, "zh-hans")
    qr.refresh_from_db()
    QuestionnaireRequest.objects.filter(pk=qr.pk).update(
        token_expires_at=timezone.now() - timedelta(days=1)
    )
    dead = CsrfClient()
    page = dead.get(path)
    assert page.status_code == 410
    sent = dead.post(
        "/portal/invite/new/",
        {"token": path.rstrip("/").rsplit("/", 1)[1], "csrfmiddlewaretoken": csrf_token_from(page)},
    )
    assert sent.status_code == 200
    message = OutboundEmail.objects.filter(purpose="questionnaire.new_link").latest("pk")
    assert message.subject == "您的新链接：来自 Acme Imports 的问卷"
    assert "如果您并未申请，可忽略此邮件" in message.body
    assert "Dear" not in message.body


def test_the_analyst_sees_the_english_question_beside_the_answer_and_the_language(
    invited, alice, csrf_client
):
    qr, _ = invited
    client = _signed_in(invited, "zh-hans")
    questionnaire, _ = strt()
    answers = check(questionnaire, TYPED, countries=countries()).values
    answers["comments"] = "宿舍于2024年建成。"
    qr.answers = answers
    qr.save()
    done = client.submit(f"/portal/requests/{qr.pk}/", {"action": "submit"})
    assert done.status_code == 302, done.content.decode()[:3000]
    assert Submission.objects.get(request=qr).language == "zh-hans"
    csrf_client.sign_in(alice)
    review = csrf_client.get(f"/questionnaires/requests/{qr.pk}/").content.decode()
    assert 'id="language-used">read in 简体中文</span>' in review
    row = re.search(r'<tr id="q-comments">(.*?)</tr>', review, re.S).group(1)
    assert "Anything else your customer should know" in row
    assert '<div class="muted asked" lang="zh-hans">您希望客户了解的其他任何情况</div>' in row
    assert "宿舍于2024年建成。" in row  # stored as given
    assert '<html lang="en-us">' in review or '<html lang="en">' in review


def test_a_workbook_downloaded_in_chinese_is_filled_in_chinese_and_submitted(invited):
    qr, _ = invited
    client = _signed_in(invited, "zh-hans")
    downloaded = client.get(f"/portal/requests/{qr.pk}/workbook.xlsx").content
    book = load_workbook(io.BytesIO(downloaded))
    assert {"填写说明", "声明", "问题", "工作场所", "国家和地区", "检查"} <= set(book.sheetnames)
    questionnaire, layout = strt()
    chinese, _ = definition(qr.campaign.questionnaire, "zh-hans")
    sheets = workbook_words("zh-hans").sheets
    # Every choice typed as the Chinese drop-down offers it; countries as "中国 (CN)".
    typed = {}
    for qid, value in TYPED.items():
        english, shown = questionnaire.questions[qid], chinese.questions[qid]
        if english.type in ("yes_no", "yes_no_unknown", "choice", "multi_choice"):
            labels = {c.label: z.label for c, z in zip(english.choices, shown.choices, strict=True)}
            value = " | ".join(labels[p.strip()] for p in value.split("|"))
        typed[qid] = value
    assert typed["wages_paid_to"] == "直接支付给每位工人（银行账户，或凭签字领取现金）"
    filled = fill(downloaded, translated_layout(layout, sheets), typed)
    sent = client.submit(
        f"/portal/requests/{qr.pk}/",
        {"action": "workbook", "file": SimpleUploadedFile("问卷.xlsx", filled)},
    )
    assert sent.status_code == 302, sent.content.decode()[:3000]
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["wages_paid_to"] == "worker"
    assert qr.answers["fee_structure_verified"] == ["contract_review", "worker_interviews"]
    submission = Submission.objects.get(request=qr)
    assert submission.language == "zh-hans"
    assert submission.warnings == []  # the Chinese checker sheet's formulas are chainproof's
