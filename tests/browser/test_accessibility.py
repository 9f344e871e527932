"""Accessibility: axe-core (the npm package pinned in tests/browser/package.json, installed
by `npm ci --prefix tests/browser`) run in headless Chromium on every page a person reaches
from the navigation, the sign-in and error pages, and every page of the supplier portal.

The pages are found by following links: from every entry of the signed-in administrator's
navigation (and a few pages named outright, so a moved link cannot drop them), each link
inside chainproof is followed, once per kind of page (a supplier's page stands for every
supplier's). The supplier's portal is crawled the same way from the emailed link, and the
signed-out pages from the sign-in page, a dead link and a missing page.

axe's script is read from the installed package and handed to each page by Playwright
(DevTools evaluation): nothing is loaded from outside the test server and the page's
Content-Security-Policy (no inline script) is not broken. Pages are seen as they are at
1024 px (the narrowest desktop), the portal as on a phone (390 px); a few states after a
click too (a refused password, a submission with answers missing, the user menu open).

The API reference the navigation links to (/api/v1/docs) is chainproof's own page and is
checked like any other. Swagger UI's interactive explorer (/api/v1/explorer), linked from that
reference, is a third-party page not reached from the navigation: it is not crawled (NOT_A_PAGE).

The test fails on any serious or critical violation, with no exception, and prints a table
(rule, impact, page, elements) of every violation found, minor and moderate ones included:
run it with `-s` to see the table.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from chainproof.cases.demo import demo_case_load
from chainproof.diligence.demo import demo_evidence_load
from chainproof.diligence.requests import evidence_request_create
from chainproof.jobs.models import Job
from chainproof.outbox.services import email_send_due
from chainproof.questionnaires.campaigns import campaign_create, invitations_send
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.questionnaires.versions import versions_sync
from chainproof.risk.services import risk_score_all
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from chainproof.suppliers.models import Facility, Product, Supplier
from tests.browser.conftest import choose_language, open_page
from tests.supply import load_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.markup_only,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = IMPACTS[:2]
# Pages whose markup is not chainproof's: what axe finds there is reported, not failed on.
# None: every page crawled is chainproof's own.
NOT_OURS: dict[str, str] = {}

# Files rather than pages (downloads, previews, exports) and the API's answers (its
# reference for developers, /api/v1/docs, is a page: the navigation links to it). Swagger
# UI's explorer, /api/v1/explorer, is not crawled: a third-party page that the reference
# links to as a tool, not reached from the navigation.
NOT_A_PAGE = re.compile(
    r"\.(xlsx|xls|ods|csv|zip|pdf|ics|json)$|/download/|/preview/|/api/(?!v1/docs)|/static/"
)


@pytest.fixture
def axe_source() -> str:
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE} missing: npm ci --prefix tests/browser)"
        if os.environ.get("CHAINPROOF_REQUIRE_BROWSER"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def world(alice, refdata):
    """The demo organization's records as `chainproof start` makes them (screened and
    scored), a questionnaire sent to a supplier and a document asked of it."""
    organization = alice.organization
    load_demo(organization)
    demo_evidence_load(organization=organization)
    screen(organization_id=organization.pk)
    risk_score_all(organization_id=organization.pk)
    demo_case_load(organization=organization, package=False)
    supplier = Supplier.objects.get(organization=organization, ref="S-VN-01")
    supplier.contact_email = "lan@lotus.example"
    supplier.save()
    with transaction.atomic():
        campaign = campaign_create(
            organization_id=organization.pk,
            actor=alice.user,
            name="Accessibility campaign",
            questionnaire=versions_sync()[0],
            due_date=date.today() + timedelta(days=30),
            supplier_ids=[supplier.pk],
        )
        evidence_request_create(
            organization=organization,
            actor=alice.user,
            supplier=supplier,
            category="dhs_wages",
            record_type="payroll_record",
            due_date=timezone.localdate() + timedelta(days=14),
        )
    return campaign


def _kind_of_page(url: str, status: int, who: str) -> str:
    """One name per kind of page: the URL's view (a supplier's page stands for all); an
    error page once for each kind of visitor (signed out, supplier, analyst)."""
    if status >= 400:
        return f"error {status} ({who})"
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return urlsplit(url).path


def _violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ['violations']});
          return results.violations.map(v => ({
            id: v.id, impact: v.impact || 'minor', help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')),
          }));
        }"""
    )


class Crawl:
    """Pages visited, one of each kind, and what axe found on each."""

    def __init__(self, live_server, axe_source: str):
        self.base = live_server.url
        self.axe_source = axe_source
        self.version = ""
        self.kinds: set[str] = set()
        self.pages: list[str] = []  # "path (kind)"
        self.found: list[tuple[str, str, str, int, str]] = []  # rule, impact, page, count, help

    def _inside(self, url: str) -> bool:
        return url.startswith(self.base) and not NOT_A_PAGE.search(urlsplit(url).path)

    def run(self, page, who: str, seeds: list[str], *, stay_under: str = "/") -> None:
        queue = [self.base + seed if seed.startswith("/") else seed for seed in seeds]
        named = set(queue)  # visited even if their kind was seen (an error page, say)
        tried: set[str] = set()
        while queue:
            url = queue.pop(0).split("#")[0]
            if url in tried or not self._inside(url):
                continue
            tried.add(url)
            if url not in named and _kind_of_page(url, 200, who) in self.kinds:
                continue  # this kind of page was checked already
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file (an export), not a page
                raise
            assert response is not None, url
            kind = _kind_of_page(page.url, response.status, who)
            if kind in self.kinds:
                continue
            self.kinds.add(kind)
            self.check(page, kind)
            links = page.eval_on_selector_all(
                "a[href]",  # HTML links and SVG ones (the map's), resolved against the page
                "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)",
            )
            queue.extend(link for link in links if urlsplit(link).path.startswith(stay_under))

    def check(self, page, kind: str) -> None:
        """axe on the page as it is now (after a click, say)."""
        label = f"{urlsplit(page.url).path} ({kind})"
        self.kinds.add(kind)
        self.pages.append(label)
        violations = _violations(page, self.axe_source)
        self.version = page.evaluate("() => axe.version")
        for violation in violations:
            self.found.append(
                (
                    violation["id"],
                    violation["impact"],
                    label,
                    len(violation["nodes"]),
                    f"{violation['help']}: {', '.join(violation['nodes'][:3])}",
                )
            )

    def blocking(self) -> list[tuple[str, str, str, int, str]]:
        return [
            row
            for row in self.found
            if row[1] in BLOCKING and not any(f"({kind})" in row[2] for kind in NOT_OURS)
        ]

    def table(self) -> str:
        rows = sorted(self.found, key=lambda row: (IMPACTS.index(row[1]), row[0], row[2]))
        ours: Counter[str] = Counter()
        theirs: Counter[str] = Counter()
        for _, impact, page, count, _ in self.found:
            not_ours = any(f"({kind})" in page for kind in NOT_OURS)
            (theirs if not_ours else ours)[impact] += count
        lines = [
            f"axe-core {self.version} on {len(self.pages)} pages, elements in violation: "
            + ", ".join(f"{ours[impact]} {impact}" for impact in IMPACTS)
            + " (and on pages not drawn by chainproof: "
            + ", ".join(f"{theirs[impact]} {impact}" for impact in IMPACTS)
            + ")",
            f"{'rule':<28} {'impact':<9} {'count':>5}  page",
        ]
        for rule, impact, page, count, _ in rows:
            theirs = [name for kind, name in NOT_OURS.items() if f"({kind})" in page]
            note = f" [{theirs[0]}'s markup: not failed on]" if theirs else ""
            lines.append(f"{rule:<28} {impact:<9} {count:>5}  {page}{note}")
        lines.append("pages: " + "; ".join(self.pages))
        return "\n".join(lines)


def _sign_in(page, base: str, member) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", member.user.username)
    page.fill("#id_password", member.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_no_serious_or_critical_accessibility_violation_on_any_page(
    axe_source, browser, live_server, world, alice
):
    base = live_server.url
    organization = alice.organization
    outside: list[str] = []
    crawl = Crawl(live_server, axe_source)

    # Signed out: the sign-in page and what it links to, a dead portal link, a missing page.
    anonymous = open_page(browser, live_server, outside)
    crawl.run(
        anonymous,
        "signed out",
        ["/accounts/login/", "/portal/invite/no-such-link-0000/", "/no-such-page/"],
    )
    anonymous.goto(f"{base}/accounts/login/")
    anonymous.fill("#id_username", alice.user.username)
    anonymous.fill("#id_password", "not the password")
    anonymous.click("button[type=submit]")
    anonymous.wait_for_selector(".panel.bad")
    crawl.check(anonymous, "accounts:login, password refused")

    # The supplier, from the emailed link: every portal page, the questionnaire's sections
    # and the document asked of them.
    with transaction.atomic():
        invitations_send(campaign=world, actor=alice.user, base_url=base)
    email_send_due()
    link = re.search(r"http://\S+/portal/invite/\S+/", mail.outbox[-1].body).group(0)
    supplier = open_page(browser, live_server, outside)
    supplier.set_viewport_size({"width": 390, "height": 844})  # a phone
    crawl.run(supplier, "supplier", [link])  # the link's page, before its button is pressed
    supplier.goto(link)
    supplier.click("text=Open the questionnaire")
    supplier.wait_for_selector("#sections")
    request = QuestionnaireRequest.objects.get(campaign=world)
    crawl.run(
        supplier,
        "supplier",
        [
            "/portal/",
            f"/portal/requests/{request.pk}/",
            f"/portal/requests/{request.pk}/sections/declaration/",
        ],
        stay_under="/portal/",
    )
    supplier.goto(f"{base}/portal/requests/{request.pk}/")
    supplier.click("#submit")  # with answers missing: the problems are listed
    supplier.wait_for_selector("#problems")
    crawl.check(supplier, "portal:request, answers missing")
    # The same pages in the scripts a supplier reads (Chinese, Bengali): fonts, lang, labels.
    for language in ("zh-hans", "bn"):
        supplier.goto(f"{base}/portal/requests/{request.pk}/sections/declaration/")
        choose_language(supplier, language)
        crawl.check(supplier, f"portal:section in {language}")
        supplier.goto(f"{base}/portal/requests/{request.pk}/")
        supplier.click("#submit")
        supplier.wait_for_selector("#problems")
        crawl.check(supplier, f"portal:request in {language}, answers missing")

    # The administrator: every entry of the navigation and every kind of page beyond it.
    admin = open_page(browser, live_server, outside)
    admin.set_viewport_size({"width": 1024, "height": 768})  # the narrowest desktop
    _sign_in(admin, base, alice)
    admin.goto(f"{base}/")
    navigation = admin.eval_on_selector_all(
        "nav a[href], header a[href]", "links => links.map(a => a.href)"
    )
    hit = ScreeningHit.objects.filter(organization=organization).first()
    job = Job.objects.filter(organization=organization).first()
    assert hit is not None, "the demo's screening found no hit: no hit page to check"
    assert job is not None, "no background job was queued: no job page to check"
    named = [
        f"/suppliers/{Supplier.objects.filter(organization=organization).first().pk}/",
        f"/suppliers/facilities/{Facility.objects.filter(organization=organization).first().pk}/",
        f"/suppliers/products/{Product.objects.filter(organization=organization).first().pk}/",
        f"/screening/hits/{hit.pk}/",
        f"/jobs/{job.pk}/",
        "/audit/",
        "/screening/watchlist/",
        "/risk/methodology/",
        "/accounts/password/",
        "/accounts/tokens/",
        "/suppliers/999999999/",  # an error page, signed in
    ]
    crawl.run(admin, "analyst", ["/", *navigation, *named])
    admin.goto(f"{base}/")
    admin.click(".user-menu summary")
    crawl.check(admin, "web:dashboard, user menu open")
    print("\n" + crawl.table())  # noqa: T201  (the table quoted in notes; shown with -s)

    for kind in (
        "web:dashboard",
        "accounts:login",
        "error 404 (signed out)",
        "error 404 (analyst)",
        "suppliers:supplier",
        "suppliers:facility",
        "suppliers:product",
        "screening:hit",
        "jobs:detail",
        "audit:log",
        "audit:detail",
        "portal:invite",
        "portal:home",
        "portal:request",
        "portal:section",
        "portal:evidence",
        "portal:request, answers missing",
        "portal:section in zh-hans",
        "portal:request in bn, answers missing",
        "api:openapi-view",  # the API reference, from the navigation
    ):
        assert kind in crawl.kinds, (kind, crawl.pages)
    # Swagger UI's explorer is linked from the reference, but not crawled (NOT_A_PAGE).
    assert not any(page.startswith("/api/v1/explorer") for page in crawl.pages), crawl.pages
    assert outside == []
    blocking = crawl.blocking()
    assert blocking == [], "serious or critical violations:\n" + "\n".join(
        f"{rule} ({impact}) on {page}: {count} x {help_}"
        for rule, impact, page, count, help_ in blocking
    )
