"""The risk pages in a real headless Chromium at 1024 px: an administrator changes a number
in the methodology form, previews how many records would change level, saves, and reads
the stored YAML; the heat map shows its legend. Nothing comes from outside the test
server, no Content-Security-Policy rule is broken, and no page scrolls sideways."""

from __future__ import annotations

import pytest

from chainproof.risk.models import MethodologyVersion
from chainproof.risk.services import risk_score_all
from tests.browser.conftest import open_page
from tests.supply import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


def test_preview_save_and_read_a_methodology_and_the_heat_map_legend(
    browser, live_server, alice, refdata, tmp_path
):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/risk/methodology/")
    assert _fits(page)
    page.get_by_label("Critical from").fill("90")
    page.get_by_role("button", name="Preview the change").click()
    preview = page.locator("#preview")
    preview.wait_for()
    heading = preview.locator("h2").inner_text()
    assert heading.startswith("Preview: ")
    assert "would change level" in heading
    assert "critical: 90" in page.locator("#candidate-yaml").inner_text()
    assert not MethodologyVersion.objects.filter(organization=alice.organization).exists()
    page.screenshot(path=str(tmp_path / "methodology-preview.png"), full_page=True)
    assert _fits(page)

    page.get_by_role("button", name="Save as version 4.1").click()
    page.wait_for_url(f"{live_server.url}/risk/methodology/")
    stored = page.locator("#stored-yaml").inner_text()
    assert "As stored: chainproof-default v4.1" in stored
    assert "critical: 90" in stored
    saved = MethodologyVersion.objects.get(organization=alice.organization)
    assert (saved.version, saved.in_use) == ("4.1", True)

    page.goto(f"{live_server.url}/risk/heatmap/")
    assert page.title().startswith("Worksites by country and good")
    legend = page.locator("#legend").inner_text()
    assert "critical: the riskiest worksite there scores 90 or more" in legend
    assert page.locator("#heatmap td.cell .level").count() > 0
    assert _fits(page)
    assert outside == []
