"""The record picker in a real headless Chromium, for an organization with more suppliers
and worksites than a menu lists (limits lowered for the test): the menu becomes a search
box; typing part of a name, a reference or a Chinese name finds records that were not
listed; the keyboard or a click chooses; the form saves what was chosen; axe finds no
serious problem in the open list. Nothing is loaded from outside the test server and no
Content-Security-Policy rule is broken."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chainproof.suppliers.models import Facility, SupplyLink
from tests.browser.conftest import open_page
from tests.browser.test_accessibility import _violations, axe_source  # noqa: F401
from tests.http.test_record_picker import _fillers, _mills, _zephyr, short_limits  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, member) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", member.user.username)
    page.fill("#id_password", member.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_search_choose_and_save_a_worksite_and_a_link(
    browser,
    live_server,
    alice,
    refdata,
    short_limits,  # noqa: F811
    axe_source,  # noqa: F811
    tmp_path,
):
    _fillers(alice.organization, 12)
    zephyr = _zephyr(alice)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/suppliers/facilities/new/")
    select = page.locator("select#id_supplier")
    select.wait_for(state="hidden")  # once picker.js has run
    box = page.locator("select#id_supplier + .picker")
    search = box.locator("input.picker-search")
    assert not page.locator("[data-picker-hint]").is_visible()
    assert "Chosen: not known" in box.inner_text()
    # The label now names the search box.
    assert page.get_attribute("label:has-text('Operated by')", "for") == search.get_attribute("id")

    # Focused with nothing typed: the listed ones. A Chinese name finds the one not listed.
    search.focus()
    options = box.locator("[role=option]")
    options.first.wait_for()
    assert options.count() == 3
    search.fill("西风")
    box.locator("[role=option]", has_text="Zephyr Knitting").wait_for()
    assert options.count() == 1
    search.press("Enter")
    expect(box.locator(".picker-current")).to_have_text(
        "Chosen: Zephyr Knitting Co., Ltd. (CN) Clear"
    )
    assert select.input_value() == str(zephyr.pk)

    # Nothing matching says so; Clear empties the choice; a click chooses again.
    search.fill("qqqq")
    box.locator(".picker-empty", has_text="No suppliers match").wait_for()
    box.locator("button.picker-clear").click()
    assert select.input_value() == ""
    search.fill("zk-7")
    box.locator("[role=option]", has_text="Zephyr").click()
    assert select.input_value() == str(zephyr.pk)

    page.fill("#id_name", "Zephyr dye house")
    page.fill("#id_country", "CN")
    page.locator("#id_name").screenshot(path=str(tmp_path / "name.png"))
    page.screenshot(path=str(tmp_path / "facility-form.png"), full_page=True)
    page.click("button:has-text('Save')")
    page.wait_for_url(lambda url: "/new/" not in url)
    site = Facility.objects.get(organization=alice.organization, name="Zephyr dye house")
    assert site.supplier_id == zephyr.pk

    # A link: the worksite found by its name under "Worksites", the destination "us" by
    # typing the word, both with the keyboard.
    page.goto(f"{live_server.url}/suppliers/links/new/")
    page.locator("select#id_source").wait_for(state="hidden")
    current = page.locator("select#id_source + .picker .picker-current")
    assert current.inner_text() == "Nothing chosen yet."  # a required end: no "Clear" either
    source = page.locator("select#id_source + .picker input.picker-search")
    source.fill("dye house")
    source_box = page.locator("select#id_source + .picker")
    source_box.locator(".picker-group", has_text="Worksites").wait_for()
    source_box.locator("[role=option]", has_text="Zephyr dye house").wait_for()
    # The open list, with its group headings, passes axe (no serious or critical problem).
    problems = [v for v in _violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert problems == [], problems
    page.screenshot(path=str(tmp_path / "link-search.png"), full_page=True)
    source.press("ArrowDown")
    source.press("ArrowUp")
    source.press("Enter")
    assert page.locator("select#id_source").input_value() == f"f:{site.pk}"
    target = page.locator("select#id_target + .picker input.picker-search")
    target.fill("importer")
    target.press("Enter")  # at once: the first record the search finds, once it answers
    expect(page.locator("select#id_target")).to_have_value("importer")
    page.screenshot(path=str(tmp_path / "link-form.png"), full_page=True)

    # Saving without a material or product is refused by the service and the choices stay.
    before = SupplyLink.objects.count()
    page.click("button:has-text('Save')")
    page.wait_for_load_state("load")
    page.locator("select#id_source").wait_for(state="hidden")
    assert "Chosen: Zephyr dye house" in page.locator("select#id_source + .picker").inner_text()
    assert SupplyLink.objects.count() == before
    assert outside == []


def test_an_audits_finding_searches_only_the_audited_suppliers_worksites(
    browser,
    live_server,
    alice,
    refdata,
    short_limits,  # noqa: F811
    tmp_path,
):
    from django.db import transaction

    from chainproof.diligence.models import Finding
    from chainproof.diligence.services import audit_create

    _fillers(alice.organization, 12)  # their plants are other suppliers' (or nobody's)
    zephyr = _zephyr(alice)
    _mills(alice.organization, zephyr)
    with transaction.atomic():
        audit = audit_create(
            organization=alice.organization,
            actor=alice.user,
            supplier=zephyr,
            kind="third_party",
            audit_date="2026-11-02",
            auditor="Verité",
        )
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/diligence/audits/{audit.pk}/")
    page.locator("select#f-site").wait_for(state="hidden")
    box = page.locator("select#f-site + .picker")
    search = box.locator("input.picker-search")
    search.fill("plant")  # other suppliers' worksites are not offered
    box.locator(".picker-empty", has_text="No worksites match").wait_for()
    search.fill("mill 09")  # Zephyr's worksite not among the three listed
    box.locator("[role=option]", has_text="Zephyr Mill 09").wait_for()
    assert box.locator("[role=option]").count() == 1
    search.press("Enter")
    page.fill("#f-desc", "Passports held by the dormitory manager")
    page.select_option("#f-sev", "high")
    page.screenshot(path=str(tmp_path / "finding.png"), full_page=True)
    page.click("button:has-text('Record the finding')")
    page.wait_for_load_state("load")
    finding = Finding.objects.get(audit=audit)
    assert finding.facility.name == "Zephyr Mill 09"
    assert outside == []
