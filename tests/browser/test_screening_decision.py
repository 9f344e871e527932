"""The review page's two decisions in a real headless Chromium: confirm (a true match) is
drawn as a danger button and dismiss (not a match) as a plain one, each saying what it
does, so they cannot be taken for each other."""

from __future__ import annotations

import pytest

from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from tests.browser.conftest import open_page
from tests.supply import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_confirm_and_dismiss_look_different_and_say_what_they_do(
    browser, live_server, alice, refdata, tmp_path
):
    load_demo(alice.organization)
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hit = ScreeningHit.objects.filter(organization=alice.organization, status="open").first()
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/screening/hits/{hit.pk}/")
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color]; }"
    confirm = page.locator("#decide-confirm")
    dismiss = page.locator("#decide-dismiss")
    assert confirm.inner_text() == "✓ Confirm: a true match"
    assert dismiss.inner_text() == "✗ Dismiss: not a match"
    confirm_bg, confirm_fg = confirm.evaluate(style)
    dismiss_bg, _ = dismiss.evaluate(style)
    assert confirm_bg == "rgb(179, 38, 30)"  # the danger colour of the stylesheet
    assert confirm_fg == "rgb(255, 255, 255)"
    assert dismiss_bg != confirm_bg
    page.locator("#decide").screenshot(path=str(tmp_path / "decision.png"))
    page.fill("#reason", "A different company in another province.")
    dismiss.click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/screening"))
    hit.refresh_from_db()
    assert hit.status == "dismissed"
    assert outside == []
