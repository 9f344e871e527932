"""The web import with its mapping and review steps in a real headless Chromium: an analyst
uploads a messy supplier list, changes one proposed column, reviews the rows, imports the
ready ones, fixes the bad row in the page, keeps a doubtful duplicate apart and imports
again. Full-page screenshots of the mapping and review pages are saved in the test's tmp
dir. Nothing comes from outside the test server and no Content-Security-Policy rule is
broken (no inline script or style)."""

from __future__ import annotations

import pytest

from chainproof.suppliers.models import ImportBatch, Supplier
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As a purchasing department keeps it: a title row, an empty row, semicolons, German
# headers; row 6 names a country that does not exist; rows 7 and 8 are surely one company
# (one legal form written two ways); row 10 is likely row 5 (the same name, another form).
MESSY = (
    b"Lieferantenliste Einkauf 2024;;;;;\n"
    b";;;;;\n"
    b"Lieferant;Firmenname;Land;DUNS;Sector;Ort\n"
    b"K-001;Shenzhen Bright Textiles Co., Ltd.;CN;012345678;Textiles;Shenzhen\n"
    b"K-002;Hanoi Garment JSC;VN;;Apparel;Hanoi\n"
    b"K-003;Nowhere Trading;XX;;Apparel;Nowhere\n"
    b"K-004;Dhaka Knit Ltd;BD;;Knit;Dhaka\n"
    b"K-005;DHAKA KNIT LIMITED;BD;;;Dhaka\n"
    b"K-006;Lahore Cotton Mills;PK;;Cotton;Lahore\n"
    b"K-007;Hanoi Garment Ltd;VN;;Apparel;Hanoi\n"
)


def _width_fits(page) -> bool:
    """No table sticks out of its panel and the page does not scroll sideways."""
    return page.evaluate(
        """() => {
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth + 1) return false;
          for (const table of document.querySelectorAll('table')) {
            const box = table.parentElement.getBoundingClientRect();
            if (table.getBoundingClientRect().right > box.right + 1) return false;
          }
          return true;
        }"""
    )


def test_upload_map_review_import_fix_and_import_again(
    browser, live_server, alice, refdata, tmp_path
):
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/suppliers/import/")
    page.select_option("#id_entity", "suppliers")
    page.set_input_files(
        "#id_file", {"name": "lieferanten.csv", "mimeType": "text/csv", "buffer": MESSY}
    )
    page.click("button[type=submit] >> text=Upload")

    # step 1: the columns, as proposed from the German headers
    page.wait_for_selector("#mapping-table")
    assert "Step 1 of 2" in page.inner_text("main")
    batch = ImportBatch.objects.get(organization=alice.organization)
    proposed = {
        header: page.input_value(f"#column-{batch.header.index(header)}")
        for header in ("Lieferant", "Firmenname", "Land", "DUNS", "Sector", "Ort")
    }
    assert proposed == {
        "Lieferant": "ref",
        "Firmenname": "legal_name",
        "Land": "country",
        "DUNS": "duns",
        "Sector": "attribute",
        "Ort": "ignore",
    }
    # the options read as words, not as field names
    options = page.locator("#column-0 option").all_inner_texts()
    assert "Legal name" in options
    assert "Tax id" in options
    assert "legal_name" not in options
    assert (
        "day.month.year (08.11.2024 = 8 November)"
        in page.locator("#date_order option").all_inner_texts()
    )
    assert _width_fits(page)
    page.screenshot(path=str(tmp_path / "mapping.png"), full_page=True)

    # the place goes along as a custom attribute instead of being left out
    page.select_option(f"#column-{batch.header.index('Ort')}", "attribute")
    page.click("button[type=submit] >> text=Confirm")

    # step 2: the rows
    page.wait_for_selector("#counts")
    counts = page.inner_text("#counts")
    assert "Ready to import\n4 (4 to create, 0 to update, 0 unchanged)" in counts
    assert "To merge into a duplicate\n1" in counts
    assert (
        "Pending (needs you)\n2 rows: 1 with a problem to fix, 1 likely duplicate to merge or "
        "keep apart" in counts
    )
    pending = page.inner_text("#pending")
    assert "Land: expected" in pending  # row 6, by the file's own column
    assert "Likely the same as row 5" in pending  # row 10: Hanoi Garment Ltd
    assert (
        pending.count("Hanoi Garment JSC") == 2
    )  # only in the sentence naming row 5, not again as a problem
    assert page.inner_text("#row-10 button[value=merge]") == "Merge with row 5"
    assert "legal_name" not in pending
    assert _width_fits(page)
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    page.click("#import-ready")
    page.wait_for_selector("text=Imported: 4 created")
    assert "2 rows stay pending" in page.inner_text("main")

    # fix the bad row's country in the page; keep the doubtful duplicate apart
    page.fill("#fix-6-country", "Deutschland")
    page.click("#row-6 button >> text=Save")
    page.wait_for_selector("text=Row 6: Country changed")
    # row 5 is stored now: the doubtful row is offered to merge with the stored record
    merge = page.inner_text("#row-10 button[value=merge]")
    assert merge == "Merge with Hanoi Garment JSC"
    page.click("#row-10 button >> text=Keep apart")
    page.wait_for_selector("text=Row 10 is kept apart")
    assert page.inner_text("#import-ready") == "Import the 2 ready rows"
    page.click("#import-ready")
    page.wait_for_selector("text=Imported: 2 created")

    page.goto(f"{live_server.url}/suppliers/")
    listed = page.inner_text("main")
    for name in (
        "Shenzhen Bright Textiles Co., Ltd.",
        "Hanoi Garment JSC",
        "Hanoi Garment Ltd",
        "Nowhere Trading",
        "Dhaka Knit Ltd",
        "Lahore Cotton Mills",
    ):
        assert name in listed, name
    assert "DHAKA KNIT LIMITED" not in listed
    nowhere = Supplier.objects.get(organization=alice.organization, legal_name="Nowhere Trading")
    assert nowhere.country == "DE"
    assert nowhere.attributes == {"Sector": "Apparel", "Ort": "Nowhere"}
    batch.refresh_from_db()
    assert batch.status == "done"
    assert outside == []
