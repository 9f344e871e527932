"""The supplier portal in Chinese in a real headless Chromium, start to finish: the link,
中文 picked on its page, a section answered, a submission refused for a missing answer
with the question's number, text and a link to it, the answer fixed through that link,
submitted. Then the dead-link page's "send me a new link", the same for a known and an
unknown link; and the new-campaign form's select all / none. Nothing loads from outside
the test server and no Content-Security-Policy violation occurs."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chainproof.outbox.models import OutboundEmail
from chainproof.outbox.services import email_send_due
from chainproof.questionnaires.campaigns import invitations_send
from chainproof.questionnaires.models import QuestionnaireRequest, Submission
from tests.browser.conftest import choose_language, open_page
from tests.questionnaire_helpers import invited_with_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invited(alice, refdata):
    """A Chinese supplier invited by email; all but the declaration already drafted."""
    return invited_with_draft(
        alice,
        supplier_ref="S-CN-01",
        email="wang@sunrise.example",
        campaign_name="2026 供应商问卷",
        left_open=("declaration",),
    )


def _link(campaign, alice, live_server) -> str:
    with transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=live_server.url)
    email_send_due()
    return re.search(r"http://\S+/portal/invite/\S+/", mail.outbox[-1].body).group(0)


def test_a_portal_session_in_chinese_start_to_finish(browser, live_server, invited, alice):
    campaign, qr = invited
    link = _link(campaign, alice, live_server)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)

    page.goto(link)
    assert page.inner_text("#open-link button") == "Open the questionnaire"
    choose_language(page, "zh-hans")  # submits itself (app.js)
    page.wait_for_selector("#open-link button:has-text('打开问卷')")
    assert page.get_attribute("html", "lang") == "zh-hans"
    page.click("#open-link button")
    page.wait_for_selector("#sections")
    assert page.inner_text("h1") == "强迫劳动尽职调查问卷"
    assert QuestionnaireRequest.objects.get(pk=qr.pk).language == "zh-hans"

    page.click("#sections a:has-text('声明')")
    page.wait_for_selector("h1:has-text('声明')")
    assert "本人证明" in page.inner_text("#q-certification")
    page.check("input[name=q_scope][value=company]")
    page.fill("#q_signer_name", "王芳")
    page.fill("#q_signer_title", "总经理")
    page.fill("#q_signer_email", "wang@sunrise.example")
    page.fill("#q_signed_on", date.today().isoformat())
    page.check("input[name=q_certification][value=yes]")
    page.click("button[name=save]")
    page.wait_for_selector(".messages:has-text('已保存为草稿。')")

    # Submitted with the head office's address missing: refused, the question named.
    page.click("text=全部部分及提交")
    page.click("#submit")
    page.wait_for_selector("#problems")
    assert page.inner_text("#problems h2") == "1 处回答需要更正"
    problem = page.locator("#problems li a")
    assert problem.count() == 1
    assert problem.inner_text() == "1.4 总部地址"
    assert "必答题：请作答。" in page.inner_text("#problems li")
    assert "company_address" not in page.inner_text("#problems")
    problem.click()
    page.wait_for_url(re.compile(r"/sections/declaration/#q-company_address$"))
    page.fill("#q_company_address", "广东省深圳市南山区科技园南路 18 号")
    page.click("button[name=save]")
    page.wait_for_selector(".messages:has-text('已保存为草稿。')")

    page.click("text=全部部分及提交")
    page.click("#submit")
    page.wait_for_selector("text=已提交，谢谢！")
    assert page.inner_text("#status") == "已提交"
    qr.refresh_from_db()
    assert qr.status == "submitted"
    assert qr.answers["company_address"] == "广东省深圳市南山区科技园南路 18 号"
    assert qr.answers["scope"] == "company"  # stored as the value, whatever the language
    assert Submission.objects.get(request=qr).language == "zh-hans"
    assert outside == []


def test_a_dead_link_sends_a_new_one_with_the_same_page_for_any_token(
    browser, live_server, invited, alice
):
    campaign, qr = invited
    link = _link(campaign, alice, live_server)
    QuestionnaireRequest.objects.filter(pk=qr.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    before = OutboundEmail.objects.filter(purpose="questionnaire.new_link").count()

    response = page.goto(link)
    assert response.status == 410
    assert "This link has expired." in page.inner_text("main")
    page.click("#new-link button")
    page.wait_for_selector("#link-sent")
    known = page.inner_text("#link-sent")
    sent = OutboundEmail.objects.filter(purpose="questionnaire.new_link")
    assert sent.count() == before + 1
    message = sent.latest("pk")
    assert message.to == "wang@sunrise.example"
    assert message.status == "queued"
    assert "/portal/invite/" in message.body

    response = page.goto(f"{live_server.url}/portal/invite/no-such-token-at-all/")
    assert response.status == 410
    page.click("#new-link button")
    page.wait_for_selector("#link-sent")
    assert page.inner_text("#link-sent") == known  # tells nothing about the token
    assert sent.count() == before + 1  # and sends nothing
    assert outside == []


def test_the_new_campaign_form_selects_all_or_no_suppliers(browser, live_server, alice, refdata):
    from tests.supply import load_demo

    load_demo(alice.organization)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/questionnaires/new/")
    boxes = page.locator("input[name=suppliers]")
    total = boxes.count()
    assert total > 3
    assert page.is_visible("#select-none")
    page.click("#select-none")
    assert page.locator("input[name=suppliers]:checked").count() == 0
    assert page.inner_text("[data-select-count]") == f"0 / {total}"
    boxes.nth(1).check()
    assert page.inner_text("[data-select-count]") == f"1 / {total}"
    page.click("#select-all")
    assert page.locator("input[name=suppliers]:checked").count() == total
    assert outside == []


@pytest.mark.parametrize("width", [375, 1024])
def test_the_portal_fits_a_phone_and_a_small_laptop(browser, live_server, invited, alice, width):
    """Every portal page at 375 px (a phone) and 1024 px: nothing wider than the screen
    (a wide table scrolls inside its own box), in Chinese, Bengali and Korean script.
    With CHAINPROOF_SCREENSHOTS=<dir>, each page is saved there to be looked at."""
    import os

    campaign, qr = invited
    link = _link(campaign, alice, live_server)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": width, "height": 900})
    shots = os.environ.get("CHAINPROOF_SCREENSHOTS")

    def fits(name: str) -> None:
        if shots:
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
        # Nothing in the content reaches past the screen's right edge, the main column does
        # not scroll sideways, and neither does the page.
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('main *')]"
            ".filter(e => !e.closest('.table-wrap') || e.classList.contains('table-wrap'))"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= width, (name, right)
        main = page.evaluate(
            "[document.querySelector('main').scrollWidth,"
            " document.querySelector('main').clientWidth]"
        )
        assert main[0] <= main[1], (name, main)
        whole = page.evaluate("document.documentElement.scrollWidth")
        assert whole <= width, (name, whole)  # the top bar too (the username is an email)

    page.goto(link)
    choose_language(page, "bn")
    fits("invite-bn")
    page.click("#open-link button")
    page.wait_for_selector("#sections")
    fits("request-bn")
    choose_language(page, "zh-hans")
    page.click("#submit")
    page.wait_for_selector("#problems")
    fits("problems-zh")
    page.goto(f"{live_server.url}/portal/requests/{qr.pk}/sections/operations/")
    fits("worksites-zh")
    choose_language(page, "ko")
    page.goto(f"{live_server.url}/portal/requests/{qr.pk}/sections/policies/")
    fits("policies-ko")
    assert outside == []
