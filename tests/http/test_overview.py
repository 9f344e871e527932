"""The overview: every headline figure links to a list filtered to exactly those records
(the number on the overview is the number of rows behind its link), charts drawn as SVG
with their figures as text, an empty organization shows zeros, and recent work is told in
words, never as job kinds or audit action codes."""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import transaction
from django.utils import timezone

from chainproof.cases.demo import demo_case_load
from chainproof.diligence.demo import demo_evidence_load
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.services import job_enqueue, run_pending
from chainproof.questionnaires.demo import demo_campaigns_load
from chainproof.questionnaires.models import QuestionnaireRequest
from chainproof.risk.services import risk_score_all
from chainproof.screening.services import screen
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
FIGURE = re.compile(
    r'id="fig-([\w-]+)" href="([^"]+)"><span class="figure-count" data-count>(\d+)</span>'
)
# The table each list page shows its rows in, by the start of its path.
LIST_TABLES = {
    "/screening/": "hits",
    "/suppliers/": "supplier-table",
    "/risk/": "risk-register",
    "/questionnaires/requests/": "request-list",
    "/evidence/": "documents",
    "/cases/": "open-cases",
}


@pytest.fixture
def demo(alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    org = alice.organization
    load_demo(org)
    demo_evidence_load(organization=org, actor=alice.user)
    campaigns = demo_campaigns_load(organization=org, actor=alice.user)
    screen(organization_id=org.pk)
    risk_score_all(organization_id=org.pk)
    demo_case_load(organization=org, actor=alice.user, package=False)
    return campaigns


def svg_of(text: str) -> ET.Element:
    """A chart of the page as XML (chainproof's own output, parsed to be checked)."""
    return ET.fromstring(text)  # noqa: S314


def figures(page) -> dict[str, tuple[int, str]]:
    found = {
        key: (int(count), html.unescape(url))
        for key, url, count in FIGURE.findall(page.content.decode())
    }
    assert found, "the overview shows no figure"
    return found


def table_rows(body: str, table_id: str) -> int:
    """The rows of a list's table (its "nothing here" row, one cell across, not counted)."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', body, re.S)
    assert match, f"no table #{table_id}"
    rows = re.findall(r"<tr[\s>].*?</tr>", match.group(1), re.S)
    return sum(1 for row in rows if "colspan=" not in row)


def listed(csrf_client, url: str) -> int:
    page = csrf_client.get(url)
    assert page.status_code == 200, url
    body = page.content.decode()
    table = next(t for prefix, t in LIST_TABLES.items() if url.startswith(prefix))
    rows = table_rows(body, table)
    total = re.search(r"(?:·|<p class=\"muted\">) ?(\d+) rows?<", body)
    if total:  # a paginated list says how many rows it holds in all
        assert int(total.group(1)) >= rows
        return int(total.group(1))
    return rows


def test_each_figure_equals_the_rows_of_the_list_it_links_to(csrf_client, alice, demo):
    csrf_client.sign_in(alice)
    page = csrf_client.get("/")
    assert page.status_code == 200
    shown = figures(page)
    assert set(shown) >= {
        "hits-open",
        "suppliers-critical",
        "suppliers-high",
        "products-presumption-applies",
        "products-presumption-may-apply",
        "questionnaires-outstanding",
        "questionnaires-overdue",
        "questionnaires-to-review",
        "evidence-expiring-30",
        "evidence-expiring-60",
        "cases-week",
        "cases-three-weeks",
        "cases-later",
        "cases-none",
    }
    for key, (count, url) in shown.items():
        assert listed(csrf_client, url) == count, f"{key}: {count} on the overview, {url}"
    # The demo fills the figures, so the comparison above compared something.
    assert shown["hits-open"][0] > 0
    assert shown["questionnaires-overdue"][0] == 2
    assert shown["questionnaires-to-review"][0] == 1
    assert shown["questionnaires-outstanding"][0] == 6
    assert shown["evidence-expiring-30"][0] >= 1
    assert shown["evidence-expiring-60"][0] >= shown["evidence-expiring-30"][0]
    assert sum(shown[f"cases-{k}"][0] for k in ("week", "three-weeks", "later", "none")) == 1
    assert shown["suppliers-critical"][0] + shown["suppliers-high"][0] > 0


def test_the_filtered_lists_exclude_what_the_figure_does_not_count(csrf_client, alice, demo):
    csrf_client.sign_in(alice)
    overdue = csrf_client.get("/questionnaires/requests/?state=overdue").content.decode()
    assert overdue.count(">Overdue</span>") == 2
    assert ">Accepted</span>" not in overdue
    everything = csrf_client.get("/questionnaires/requests/").content.decode()
    assert table_rows(everything, "request-list") == 10
    assert ">Accepted</span>" in everything
    assert ">Returned for correction</span>" in everything
    soon = csrf_client.get("/evidence/?expires=30").content.decode()
    every = csrf_client.get("/evidence/").content.decode()
    assert 0 < table_rows(soon, "documents") < table_rows(every, "documents")
    # The strongest presumption: a product where one applies is not "may apply" too.
    applies = csrf_client.get("/risk/?node_type=product&presumption=any&status=applies")
    may = csrf_client.get("/risk/?node_type=product&presumption=any&status=may_apply")
    names = re.compile(r'<td><a href="/risk/product/(\d+)/">')
    assert not set(names.findall(applies.content.decode())) & set(
        names.findall(may.content.decode())
    )


def test_the_demo_campaigns_show_every_state_of_a_response(alice, demo):
    statuses = sorted(
        qr.display_status
        for qr in QuestionnaireRequest.objects.filter(organization_id=alice.organization.pk)
    )
    assert statuses == sorted(
        ["Accepted"] * 3
        + ["Returned for correction", "Submitted", "In progress", "Sent", "Sent"]
        + ["Overdue"] * 2
    )
    assert len(demo) == 2
    assert demo_campaigns_load(organization=alice.organization) == []  # runs once


def test_the_charts_are_svg_with_labels_and_their_figures_as_text(csrf_client, alice, demo):
    csrf_client.sign_in(alice)
    body = csrf_client.get("/").content.decode()
    svgs = re.findall(r"<svg .*?</svg>", body, re.S)
    assert len(svgs) == 4
    levels = svg_of(svgs[0])
    assert levels.get("role") == "img"
    assert levels.find(f"{SVG}title").text == "Records by current risk level"
    labels = [t.text for t in levels.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    values = [t.text for t in levels.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert labels == ["Critical", "High", "Medium", "Low"]
    table = re.search(r'id="risk-levels-table".*?</table>', body, re.S).group(0)
    in_table = re.findall(r'<td class="num">(\d+)</td>', table)
    assert values == in_table
    assert sum(int(v) for v in values) > 0
    for svg in svgs[1:]:
        chart = svg_of(svg)
        assert chart.get("role") == "img"
        assert chart.find(f"{SVG}desc").text
        assert [t for t in chart.iter(f"{SVG}text") if t.get("class") == "point-value"]
    assert "Records at critical and high risk" in body


def test_an_empty_organization_shows_zeros_and_charts_that_say_so(csrf_client, alice):
    csrf_client.sign_in(alice)
    page = csrf_client.get("/")
    assert page.status_code == 200
    shown = figures(page)
    assert len(shown) == 14
    assert {count for count, _ in shown.values()} == {0}
    for _, url in shown.values():
        assert listed(csrf_client, url) == 0
    body = page.content.decode()
    svgs = [svg_of(s) for s in re.findall(r"<svg .*?</svg>", body, re.S)]
    assert len(svgs) == 4
    bars = [t.text for t in svgs[0].iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert bars == ["0", "0", "0", "0"]

    def texts(chart, css):
        return [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == css]

    response_rate, open_hits, risk = svgs[1:]
    for nothing_known in (response_rate, risk):  # no questionnaire sent, nothing scored
        assert texts(nothing_known, "chart-empty") == ["No data yet"]
        assert texts(nothing_known, "point-value") == []
    assert texts(open_hits, "point-value") == ["0"] * 6  # no hit open, month by month
    assert "Nothing has run yet." in body


def test_recent_work_is_told_in_words(csrf_client, alice, refdata):
    with transaction.atomic():
        job_enqueue(kind=JobKind.RISK_SCORE_ALL, organization=alice.organization)
    run_pending()
    csrf_client.sign_in(alice)
    body = csrf_client.get("/").content.decode()
    work = re.search(r'id="background-work".*?</section>', body, re.S).group(0)
    assert "Score every record: finished" in work
    activity = re.search(r'id="recent-activity".*?</section>', body, re.S).group(0)
    lines = re.findall(r"<li>.*?</li>", activity, re.S)
    assert sum("Score every record" in line for line in lines) == 2  # queued, finished
    for code in ("risk.score_all", "job.succeeded", "job.enqueued", "(running)", "#"):
        assert code not in activity + work
    datasets = re.search(r'id="reference-data".*?</table>', body, re.S).group(0)
    assert "uflpa_entity_list" not in datasets
    assert "UFLPA Entity List" in datasets


def test_a_viewer_sees_the_figures_but_not_the_audit_trail(csrf_client, victor, refdata):
    csrf_client.sign_in(victor)
    body = csrf_client.get("/").content.decode()
    assert 'id="fig-hits-open"' in body
    assert 'id="recent-activity"' not in body


def test_the_open_cases_list_filters_by_days_left(csrf_client, alice, demo):
    csrf_client.sign_in(alice)
    counts = {
        key: table_rows(csrf_client.get(f"/cases/?due={key}").content.decode(), "open-cases")
        for key in ("week", "three-weeks", "later", "none")
    }
    assert sum(counts.values()) == 1
    every = csrf_client.get("/cases/?due=nonsense").content.decode()
    assert table_rows(every, "open-cases") == 1


def test_month_ends_run_back_from_today():
    from chainproof.web.overview import month_ends

    ends = month_ends(dt.date(2026, 3, 14), months=4)
    assert ends == [
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 14),
    ]
    assert timezone.localdate() == month_ends(timezone.localdate())[-1]


def test_another_organization_sees_none_of_these_records(csrf_client, alice, bob, demo):
    csrf_client.sign_in(bob)
    shown = figures(csrf_client.get("/"))
    assert {count for count, _ in shown.values()} == {0}
    everything = csrf_client.get("/questionnaires/requests/").content.decode()
    assert table_rows(everything, "request-list") == 0


def test_the_strongest_presumption_decides_which_figure_counts_a_product(alice, refdata):
    from chainproof.risk.models import RiskAssessment
    from chainproof.risk.selectors import register
    from chainproof.risk.services import methodology_in_use

    org = alice.organization.pk
    methodology = methodology_in_use(org)
    statuses = {
        1: ("does_not_apply", "applies", "may_apply"),  # UFLPA applies
        2: ("may_apply", "does_not_apply", "does_not_apply"),
        3: ("does_not_apply", "does_not_apply", "does_not_apply"),
        4: ("", "", ""),  # not checked
    }
    for node_id, (caatsa, uflpa, s307) in statuses.items():
        RiskAssessment.objects.create(
            organization_id=org,
            node_type="product",
            node_id=node_id,
            node_name=f"Product {node_id}",
            score=50,
            own_score=50,
            level="medium",
            caatsa_status=caatsa,
            uflpa_status=uflpa,
            section307_status=s307,
            methodology=methodology,
            engine="test",
            engine_version="1",
            as_of=timezone.localdate(),
            fingerprint=str(node_id),
        )

    def ids(status):
        found = register(org, node_type="product", presumption="any", status=status)
        return sorted(found.values_list("node_id", flat=True))

    assert ids("applies") == [1]
    assert ids("may_apply") == [2]
    assert ids("does_not_apply") == [3]
    assert ids("") == [1, 2, 3]
