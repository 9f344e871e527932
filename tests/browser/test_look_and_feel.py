"""Look and feel in a real headless Chromium: the searchable country picker in the
supplier portal (type to filter, pick two countries, save, stored), and the layout at
1024 px (the register, supplier and worksite pages never scroll sideways; sign-in is a
centred column). Nothing is loaded from outside the test server and no
Content-Security-Policy rule is broken (the picker is a static script, no inline code)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction

from chainproof.questionnaires.campaigns import invitations_send
from chainproof.suppliers.models import Facility, Supplier
from tests.browser.conftest import open_page
from tests.browser.test_supplier_portal import invited  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


def test_country_picker_filters_picks_two_and_saves(
    browser,
    live_server,
    invited,  # noqa: F811
    alice,
    tmp_path,
):
    from chainproof.outbox.services import email_send_due

    campaign, qr = invited
    with transaction.atomic():
        invitations_send(campaign=campaign, actor=alice.user, base_url=live_server.url)
    email_send_due()
    link = re.search(r"http://\S+/portal/invite/\S+/", mail.outbox[-1].body).group(0)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(link)
    page.click("text=Open the questionnaire")
    page.wait_for_selector("#sections")
    page.click("text=Locations and sourcing")
    page.wait_for_selector("h1:has-text('Locations and sourcing')")

    # The 250-option list is replaced by a search box; the select stays, hidden, in the form.
    select = page.locator("select#q_operating_countries")
    select.wait_for(state="hidden")  # once picker.js has run (a loaded machine: later)
    picker = page.locator("select#q_operating_countries + .picker")
    search = picker.locator("input.picker-search")
    assert search.is_visible()
    assert picker.locator(".picker-options li").count() > 200
    assert "Ctrl" not in page.inner_text("main")  # the Ctrl-click hint is gone

    # The draft's answer shows as chips; each chip removes its country.
    chips = picker.locator(".picker-chosen button")
    drafted = sorted(qr.answers.get("operating_countries") or [])
    assert chips.count() == len(drafted)
    while chips.count():
        chips.first.click()
    assert select.evaluate("s => s.selectedOptions.length") == 0

    # Type to filter (accents and case do not matter), then choose with a click ...
    search.fill("viet")
    shown = picker.locator(".picker-options li:visible")
    assert shown.count() == 1
    assert "Viet" in shown.first.inner_text()
    shown.first.click()
    # ... and another with the keyboard; a filter that matches nothing says so.
    search.fill("zzzz")
    assert picker.locator(".picker-empty").is_visible()
    search.fill("bangla")
    search.press("Enter")
    assert chips.count() == 2
    assert sorted(select.evaluate("s => [...s.selectedOptions].map(o => o.value)")) == ["BD", "VN"]

    # A chip removes its country; choose it again.
    picker.locator(".picker-chosen button", has_text="Bangladesh").click()
    assert chips.count() == 1
    search.fill("bangladesh")
    picker.locator(".picker-options li:visible").first.click()
    assert chips.count() == 2

    page.screenshot(path=str(tmp_path / "picker.png"))
    # (The draft's second worksite has 0 migrant workers, which the table shows empty.)
    for name in ("q_worksites_0_migrant_workers", "q_worksites_1_migrant_workers"):
        if not page.input_value(f"input[name={name}]"):
            page.fill(f"input[name={name}]", "0")
    page.click("button[name=save]")
    page.wait_for_selector(".messages")
    qr.refresh_from_db()
    assert sorted(qr.answers["operating_countries"]) == ["BD", "VN"]
    # Shown again as chosen after the page reloads.
    page.wait_for_selector("select#q_operating_countries + .picker")
    again = page.locator("select#q_operating_countries + .picker .picker-chosen button")
    assert again.count() == 2
    assert outside == []


def test_layout_at_1024_px_never_scrolls_sideways(browser, live_server, alice, refdata):
    from chainproof.risk.services import risk_score_all
    from tests.supply import load_demo

    load_demo(alice.organization)
    with transaction.atomic():
        risk_score_all(organization_id=alice.organization.pk)
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-CN-02")
    facility = Facility.objects.filter(organization=alice.organization).first()

    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1024, "height": 800})

    # Signing in: one centred column, not squeezed into the sidebar's place.
    page.goto(f"{live_server.url}/accounts/login/")
    box = page.locator(".login-box").bounding_box()
    assert box["width"] > 300
    assert abs((box["x"] + box["width"] / 2) - 512) < 20

    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    for url in (
        "/risk/",
        "/suppliers/",
        f"/suppliers/{supplier.pk}/",
        "/suppliers/facilities/",
        f"/suppliers/facilities/{facility.pk}/",
    ):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), url
        # The main column keeps a readable width beside the navigation.
        assert page.locator("main").bounding_box()["width"] > 700, url

    # The register's columns fit beside the navigation: nothing scrolls inside its box and
    # the main reason keeps a readable width.
    page.goto(f"{live_server.url}/risk/")
    fits = page.evaluate(
        "() => { const t = document.querySelector('#risk-register');"
        " return t.scrollWidth <= t.parentElement.clientWidth + 1; }"
    )
    assert fits
    reason = page.locator("#risk-register tbody tr td:last-child").first.bounding_box()
    assert reason["width"] >= 200

    # Dates stay on one line.
    page.goto(f"{live_server.url}/suppliers/{supplier.pk}/")
    for time in page.locator("#upstream time").all():
        height = time.bounding_box()["height"]
        assert height < 30, time.inner_text()

    # The same check also fails when a page does scroll sideways (the check can fail).
    page.evaluate(
        "() => { const d = document.createElement('div'); d.className = 'too-wide';"
        " d.textContent = 'x'.repeat(4000); document.querySelector('main').append(d); }"
    )
    assert not page.evaluate(NO_SIDEWAYS_SCROLL)
    assert outside == []
