"""The overview in a real headless Chromium, on the demo organization: the figures are
visible, a click on one lands on the list filtered to exactly those records, the charts
are drawn (SVG, no script, nothing from outside) and the page fits at 1280 and 1024 px
without a horizontal scroll bar."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chainproof.cases.demo import demo_case_load
from chainproof.diligence.demo import demo_evidence_load
from chainproof.questionnaires.demo import demo_campaigns_load
from chainproof.risk.services import risk_score_all
from chainproof.screening.services import screen
from tests.browser.conftest import open_page
from tests.supply import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the screenshots go (CHAINPROOF_SCREENSHOTS to keep them; a temporary folder else).
SHOTS = os.environ.get("CHAINPROOF_SCREENSHOTS", "")


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    org = alice.organization
    load_demo(org)
    demo_evidence_load(organization=org, actor=alice.user)
    demo_campaigns_load(organization=org, actor=alice.user)
    screen(organization_id=org.pk)
    risk_score_all(organization_id=org.pk)
    demo_case_load(organization=org, actor=alice.user, package=False)
    return org


def _sign_in(page, live_server, member):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", member.user.username)
    page.fill("#id_password", member.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_figure_opens_the_list_of_exactly_those_records(
    demo, browser, live_server, alice, tmp_path
):
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 1280:
            _sign_in(page, live_server, alice)
        else:
            page.goto(f"{live_server.url}/")
        overdue = page.locator("#fig-questionnaires-overdue")
        assert overdue.is_visible()
        assert overdue.inner_text().split()[0] == "2"
        assert "questionnaires overdue" in overdue.inner_text()
        assert page.locator("a.figure").count() == 14
        assert page.locator("svg.chart[role=img]").count() == 4
        box = page.locator("#chart-risk-levels").bounding_box()
        assert box is not None
        assert box["width"] > 200
        assert box["height"] > 80
        # Nothing wider than the window: no horizontal scroll bar.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"overview-{width}.png"), full_page=True)

    page.locator("#fig-questionnaires-overdue").click()
    page.wait_for_url(f"{live_server.url}/questionnaires/requests/?state=overdue")
    rows = page.locator("#request-list tbody tr")
    assert rows.count() == 2
    for i in range(2):
        assert "Overdue" in rows.nth(i).inner_text()
    assert page.locator("#f-state").input_value() == "overdue"

    page.goto(f"{live_server.url}/")
    hits = int(page.locator("#fig-hits-open [data-count]").inner_text())
    assert hits > 0
    page.locator("#fig-hits-open").click()
    page.wait_for_url(f"{live_server.url}/screening/?status=open")
    assert page.locator("#hits tbody tr").count() == min(hits, 50)
    assert outside == []
