"""The supply-chain map in a real headless Chromium: it fits its panel at 1280 and 1024
pixels, zooms (buttons, wheel, keys), pans, fits again, and highlights the risk path of
the demo's solar module and, chosen in the list, of another node without a reload.
Screenshots are saved in the test's tmp dir. Nothing comes from outside the test server
and no Content-Security-Policy rule is broken."""

from __future__ import annotations

import pytest

from chainproof.risk.services import risk_score_all
from chainproof.suppliers.models import Facility, Product
from tests.browser.conftest import open_page
from tests.supply import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _view_box(page):
    return page.get_attribute("#chain-map", "viewBox")


def _fits(page) -> bool:
    """The map's element lies inside its panel, and the page does not scroll sideways."""
    return page.evaluate(
        """() => {
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth + 1) return false;
          const svg = document.getElementById('chain-map').getBoundingClientRect();
          const panel = document.getElementById('supply-chain-map').getBoundingClientRect();
          return svg.width > 0 && svg.left >= panel.left - 1 && svg.right <= panel.right + 1;
        }"""
    )


def test_map_zooms_pans_fits_and_highlights_the_risk_path(
    browser, live_server, alice, refdata, tmp_path
):
    load_demo(alice.organization)
    risk_score_all(organization_id=alice.organization.pk)
    solar = Product.objects.get(organization=alice.organization, sku="SOL-MOD-400")
    shihezi = Facility.objects.get(organization=alice.organization, ref="F-CN-05")
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/suppliers/products/{solar.pk}/")
    page.wait_for_selector("[data-map-tools]:not([hidden])")
    whole = _view_box(page)
    assert _fits(page)
    page.locator("#supply-chain-map").screenshot(path=str(tmp_path / "map-1280.png"))

    # the product's risk path: drawn thick and dashed, its nodes marked in words
    on_path = page.locator("#chain-map path.edge.on-path")
    assert on_path.count() >= 2
    width = on_path.first.evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)")
    dashes = on_path.first.evaluate("e => getComputedStyle(e).strokeDasharray")
    plain = page.locator("#chain-map path.edge:not(.on-path)").first
    assert width > 2 * plain.evaluate("e => parseFloat(getComputedStyle(e).strokeWidth)")
    assert dashes not in ("", "none")
    assert page.locator("#chain-map g.node.on-path").count() >= 3
    tags = page.locator("#chain-map g.node.on-path text.tag").all_text_contents()
    assert any(t.startswith("Sets the score · ") for t in tags)
    assert any(t.startswith("On the risk path · ") for t in tags)
    assert page.inner_text("#map-path-words").startswith(
        "Risk path: Monocrystalline solar module 400 W"
    )
    assert page.locator(".map-legend li").count() == 5

    # zoom in with the button: the view box narrows; fit restores it
    page.click("[data-map-zoom=in]")
    zoomed = _view_box(page)
    assert zoomed != whole
    assert float(zoomed.split()[2]) < float(whole.split()[2])
    assert page.inner_text("[data-map-zoom-level]") == "Zoom 125%"
    page.click("[data-map-zoom=in]")
    page.locator("#supply-chain-map").screenshot(path=str(tmp_path / "map-zoomed.png"))
    page.click("[data-map-zoom=out]")
    assert _view_box(page) == zoomed
    # drag moves the view; the drag does not open the box it ends on
    box = page.locator("#chain-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    assert _view_box(page) != zoomed
    assert f"/suppliers/products/{solar.pk}/" in page.url
    page.click("[data-map-zoom=fit]")
    assert _view_box(page) == whole
    assert page.inner_text("[data-map-zoom-level]") == "Whole map"
    # the wheel zooms; the keyboard zooms, moves and fits
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -200)
    assert _view_box(page) != whole
    page.click("[data-map-zoom=fit]")
    page.focus("[data-map-frame]")
    page.keyboard.press("+")
    page.keyboard.press("+")
    keyed = _view_box(page)
    assert keyed != whole
    page.keyboard.press("ArrowLeft")
    assert _view_box(page) != keyed
    page.keyboard.press("0")
    assert _view_box(page) == whole
    page.click("[data-map-zoom=out]")  # never further out than the whole map
    assert _view_box(page) == whole

    # another node's path, chosen in the list, without a reload
    page.select_option("#map-path", f"f:{shihezi.pk}")
    page.wait_for_function(
        "k => document.querySelector('#chain-map g.node.path-source')"
        "?.getAttribute('data-node') === k",
        arg=f"f:{shihezi.pk}",
    )
    assert page.locator("#chain-map path.edge.on-path").count() == 0
    assert "its own points set the score" in page.inner_text("#map-path-words")
    href = page.get_attribute("[data-map-download] >> nth=0", "href")
    assert href.endswith(f"map.svg?path=f%3A{shihezi.pk}")
    assert f"path=f%3A{shihezi.pk}" in page.url

    # at 1024 pixels the whole map is still inside its panel
    page.select_option("#map-path", "importer")
    page.set_viewport_size({"width": 1024, "height": 800})
    page.wait_for_timeout(100)
    assert _fits(page)
    assert _view_box(page) == whole
    page.locator("#supply-chain-map").screenshot(path=str(tmp_path / "map-1024.png"))
    page.screenshot(path=str(tmp_path / "product-1024.png"), full_page=True)
    assert outside == []
