"""Headless Chromium (Debian's) for the browser tests, and pages that may load nothing
from outside the test server: every other request is refused and counted, and so is a
Content-Security-Policy violation."""

from __future__ import annotations

import os
import shutil
import time

import pytest

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(monkeypatch):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CHAINPROOF_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is required (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in this thread; the test's own
    # database calls are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = _launch(playwright)
        yield launched
        launched.close()


def _launch(playwright, attempts: int = 3):
    """Start Chromium, again after a pause if it dies while starting: on a loaded CI
    machine it has been seen to end with SIGTRAP at launch, once, and start fine the next
    time. A browser that never starts still fails the test, with the last launch log."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(1, attempts + 1):
        try:
            return playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--disable-gpu"]
            )
        except PlaywrightError:
            if attempt == attempts:
                raise
            time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def open_page(browser, live_server, outside):
    context = browser.new_context()

    def route(route_obj):
        if route_obj.request.url.startswith(live_server.url):
            route_obj.continue_()
        else:
            outside.append(route_obj.request.url)
            route_obj.abort()

    context.route("**/*", route)
    page = context.new_page()

    def console(message):
        # A blocked inline script or style shows as a Content-Security-Policy violation.
        if "Content Security Policy" in message.text:
            outside.append(f"CSP: {message.text}")

    page.on("console", console)
    return page


def choose_language(page, code: str) -> None:
    """Pick a language in the portal's picker, which submits itself from app.js. The script
    is deferred, so a page whose elements are already there may not listen yet: wait for the
    page to finish loading first, then wait for the page in the new language."""
    page.wait_for_load_state("load")
    page.select_option("#language-select", code)
    page.wait_for_selector(f"html[lang={code}]")
