"""A detention case in a real headless Chromium: the analyst opens the demo's UFLPA case
from the overview, reads its deadlines, adds a locker document as an exhibit by typing
its number, builds a second package and downloads its ZIP, which verifies and lists the
new exhibit. Nothing comes from outside the test server."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from chainproof.cases.demo import demo_case_load
from chainproof.cases.models import DetentionCase
from chainproof.cases.package_content import package_content
from chainproof.diligence.demo import demo_evidence_load
from chainproof.evidence.models import Document
from chainproof.fileformats.package_zip import package_verify
from tests.browser.conftest import open_page
from tests.supply import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_case(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    demo_evidence_load(organization=alice.organization, actor=alice.user)
    case = demo_case_load(organization=alice.organization, actor=alice.user)
    assert case is not None
    assert case.packages.count() == 1
    return case


def _document_not_yet_an_exhibit(case: DetentionCase) -> Document:
    """A locker document with a file that is neither an exhibit nor a translation (so it
    gets a plain number of its own at the end of the list)."""
    document = (
        Document.objects.filter(
            organization_id=case.organization_id,
            deleted_at__isnull=True,
            translation_of__isnull=True,
            versions__isnull=False,
        )
        .exclude(pk__in=case.exhibits.values("document_id"))
        .order_by("pk")
        .first()
    )
    assert document is not None, "the demo locker has no document left to add"
    return document


def test_an_exhibit_added_by_number_is_in_the_new_package_zip(
    demo_case, browser, live_server, alice, tmp_path
):
    # demo_case comes before browser: the first package is signed with pyHanko, whose
    # synchronous API runs its own event loop and cannot while Playwright's runs here.
    case = demo_case
    document = _document_not_yet_an_exhibit(case)
    outside: list[str] = []
    page = open_page(browser, live_server, outside)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", alice.user.username)
    page.fill("#id_password", alice.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/cases/")

    page.click("#open-cases a >> text=Case 1")
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    deadlines = page.locator("#deadlines table tbody tr")
    assert deadlines.count() >= 1
    assert "UFLPA" in page.locator("#deadlines").inner_text()

    page.fill("#ex-doc", f"#{document.pk}")
    page.click("#exhibits form:has(#ex-doc) button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/#exhibits")
    listed = page.locator(f"#exhibits table tbody tr:has-text('#{document.pk}')")
    listed.wait_for()
    assert document.title in listed.inner_text()
    assert case.exhibits.filter(document=document).exists()

    # For a person to look at after the run.
    page.screenshot(path="/tmp/case_page.png", full_page=True)  # noqa: S108

    page.click("#build-package")
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/#packages")
    second = page.locator("#packages table tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(r"^\s*2\s*$"))
    )
    second.wait_for()
    assert "Package version 2 built" in page.content()

    with page.expect_download() as downloading:
        second.locator("a >> text=ZIP").click()
    download = downloading.value
    zip_path = tmp_path / "package-2.zip"
    download.save_as(zip_path)
    assert download.suggested_filename.endswith(".zip")

    # Checked in another thread, away from Playwright's event loop (see above).
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(package_verify, zip_path).result()
    assert report.ok, report.problems
    entry = next(e for e in package_content(case).exhibits if e.exhibit.document_id == document.pk)
    listed_files = {f["exhibit"]: f for f in report.manifest["files"]}
    assert entry.number in listed_files
    assert listed_files[entry.number]["path"] == entry.path
    assert listed_files[entry.number]["sha256"] == entry.version.blob.sha256
    assert outside == [], "\n".join(outside)
