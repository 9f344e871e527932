"""The evidence locker in a real headless Chromium: an analyst drags two files onto the
upload area, sees each listed with its SHA-256 as the server computed it, opens the
document and its preview. Nothing comes from outside the test server."""

from __future__ import annotations

import base64
import hashlib

import pytest

from chainproof.evidence.models import Document
from tests import document_files
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP = """([files, selector]) => {
  const transfer = new DataTransfer();
  for (const [name, type, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  const target = document.querySelector(selector);
  target.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true }));
  target.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true }));
}"""


def test_two_dropped_files_are_listed_with_hashes_and_previewed(
    browser, live_server, alice, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    scan = document_files.scan_png()
    policy = b"Wage policy: wages paid in full, monthly, to each worker's own account.\n"
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/evidence/")

    files = [
        ["site photo.png", "image/png", base64.b64encode(scan).decode()],
        ["wage policy.txt", "text/plain", base64.b64encode(policy).decode()],
    ]
    page.evaluate(DROP, [files, "[data-drop-target]"])
    page.locator("[data-upload-list] li[data-sha256]").nth(1).wait_for(timeout=20_000)

    listed = {
        item.inner_text().split(" ")[0]: item.get_attribute("data-sha256")
        for item in page.query_selector_all("[data-upload-list] li[data-sha256]")
    }
    assert sorted(listed.values()) == sorted(
        hashlib.sha256(data).hexdigest() for data in (scan, policy)
    )
    assert page.query_selector_all("[data-upload-list] progress") == []
    page.locator("text=Show the new documents in the list").wait_for()
    assert Document.objects.filter(organization=alice.organization).count() == 2

    page.click("[data-upload-list] li a >> text=site photo")
    page.wait_for_selector("text=Preview")
    assert hashlib.sha256(scan).hexdigest() in page.content()
    with page.context.expect_page() as opened:
        page.click("text=Preview")
    preview = opened.value
    preview.wait_for_load_state()
    size = preview.evaluate(
        "() => { const img = document.querySelector('img'); "
        "return img ? [img.naturalWidth, img.naturalHeight] : null; }"
    )
    assert size is not None
    assert size[0] == 1000  # the scan, decoded by the browser
    assert outside == []
