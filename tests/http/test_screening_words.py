"""The screening pages in words: lists by their titles, a vessel called a vessel, a record
not yet screened said to be so, countries by name in the one-line explanation, and the two
decisions on a hit told apart by their words and styles."""

import html
import re

import pytest
from django.db import transaction

from chainproof.jobs.models import Job
from chainproof.jobs.services import run_pending
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from chainproof.suppliers.models import Supplier
from chainproof.suppliers.services import supplier_save
from tests.csrf_client import csrf_refused, csrf_token_from
from tests.supply import load_demo

pytestmark = pytest.mark.django_db

LIST_CODES = re.compile(r"\b(?:cbp_wro|uflpa|ofac_sdn\w*|cbp_wro_findings|uflpa_entity_list)\b")


def _visible(response) -> str:
    """The page's text as a person reads it: no tags, attributes or option values."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _save_supplier(member, name, country):
    with transaction.atomic():
        return supplier_save(
            organization=member.organization,
            actor=member.user,
            data={"legal_name": name, "country": country, "status": "active"},
        )


@pytest.fixture
def screened(alice, refdata):
    load_demo(alice.organization)
    _save_supplier(alice, "Chong Chon Gang Shipping Co., Ltd.", "KP")
    screen(organization_id=alice.organization.pk, actor=alice.user)
    return alice


def _vessel_hit(member):
    return ScreeningHit.objects.get(
        organization=member.organization,
        node_name="Chong Chon Gang Shipping Co., Ltd.",
        entry_name="CHONG CHON GANG",
    )


def test_lists_are_named_by_their_titles_on_every_screening_page(csrf_client, screened):
    csrf_client.sign_in(screened)
    hits = ScreeningHit.objects.filter(organization=screened.organization)
    assert {"uflpa", "cbp_wro", "ofac_sdn_dprk"} <= set(hits.values_list("list_code", flat=True))
    hoshyne = hits.filter(list_code="cbp_wro").first()
    pages = {
        "queue": csrf_client.get("/screening/", {"status": ""}),
        "queue filtered": csrf_client.get("/screening/", {"list_code": "cbp_wro", "status": ""}),
        "hit": csrf_client.get(f"/screening/hits/{hoshyne.pk}/"),
        "search": csrf_client.get("/screening/search/", {"name": "Hoshine Silicon Industry"}),
        "record": csrf_client.get(f"/suppliers/{hoshyne.node_id}/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        text = _visible(response)
        assert "CBP Withhold Release Orders and Findings" in text, where
        assert not LIST_CODES.search(text), (where, LIST_CODES.search(text))
    assert "UFLPA Entity List" in _visible(pages["queue"])
    assert "OFAC SDN list (North Korea)" in _visible(pages["queue"])


def test_a_vessel_on_the_list_is_marked_as_a_vessel(csrf_client, screened):
    csrf_client.sign_in(screened)
    vessel = _vessel_hit(screened)
    assert vessel.details["entry_kind"] == "vessel"
    company = ScreeningHit.objects.filter(
        organization=screened.organization, list_code="cbp_wro"
    ).first()
    queue = csrf_client.get("/screening/", {"status": ""}).content.decode()
    row = next(r for r in queue.split("<tr>") if "<td>CHONG CHON GANG <span" in r)
    assert '<td>CHONG CHON GANG <span class="badge entry-kind">Vessel</span></td>' in row
    company_row = next(r for r in queue.split("<tr>") if "<td>CHONG CHON GANG SHIPPING" in r)
    assert "entry-kind" not in company_row
    other = next(r for r in queue.split("<tr>") if company.entry_name[:30] in r)
    assert "entry-kind" not in other
    page = _visible(csrf_client.get(f"/screening/hits/{vessel.pk}/"))
    assert "Kind of entry Vessel" in " ".join(page.split())
    assert "Kind of entry" not in _visible(csrf_client.get(f"/screening/hits/{company.pk}/"))
    record = csrf_client.get(f"/suppliers/{vessel.node_id}/").content.decode()
    assert '<span class="badge entry-kind">Vessel</span>' in record
    search = csrf_client.get("/screening/search/", {"name": "Chong Chon Gang"}).content.decode()
    assert '<td>CHONG CHON GANG <span class="badge entry-kind">Vessel</span>' in search
    # a hit stored before kinds were kept: the kind is read from the list entry itself
    details = dict(vessel.details)
    del details["entry_kind"]
    ScreeningHit.objects.filter(pk=vessel.pk).update(details=details)
    again = csrf_client.get(f"/screening/hits/{vessel.pk}/").content.decode()
    assert 'id="entry-kind">Vessel</span>' in again


def test_a_record_is_not_screened_yet_until_a_screening_ran(csrf_client, alice, victor, refdata):
    load_demo(alice.organization)
    supplier = Supplier.objects.filter(organization=alice.organization).order_by("pk").first()
    csrf_client.sign_in(alice)
    page = csrf_client.get(f"/suppliers/{supplier.pk}/")
    text = _visible(page)
    assert "Not screened yet." in text
    assert "No list entry resembles" not in text
    assert "Screen now" in text
    # a viewer is told the same, without the button
    csrf_client.sign_in(victor)
    viewer = _visible(csrf_client.get(f"/suppliers/{supplier.pk}/"))
    assert "Not screened yet." in viewer
    assert "Screen now" not in viewer
    # the button starts a screening (CSRF enforced)
    csrf_client.sign_in(alice)
    page = csrf_client.get(f"/suppliers/{supplier.pk}/")
    assert csrf_refused(csrf_client.post("/screening/run/"))
    started = csrf_client.post("/screening/run/", {"csrfmiddlewaretoken": csrf_token_from(page)})
    assert started.status_code == 302
    job = Job.objects.get(organization=alice.organization, kind="screening.screen")
    assert started["Location"] == f"/jobs/{job.pk}/"
    # the run's page says what was screened against which lists, in words
    assert run_pending() >= 1
    run = _visible(csrf_client.get(f"/jobs/{job.pk}/"))
    assert re.search(
        r"Screened \d+ records against UFLPA Entity List, OFAC SDN list \(North Korea\) and "
        r"CBP Withhold Release Orders and Findings: \d+ new hits?\.",
        run,
    ), run
    assert "Review the hits" in run
    assert not LIST_CODES.search(run)
    assert "'records'" not in run
    # once a screening ran, a clean record says so; a record added later is not screened yet
    with_hits = ScreeningHit.objects.filter(node_type="supplier").values("node_id")
    clean = (
        Supplier.objects.filter(organization=alice.organization).exclude(pk__in=with_hits).first()
    )
    after = _visible(csrf_client.get(f"/suppliers/{clean.pk}/"))
    assert "No list entry resembles its names" in after
    assert "Not screened yet." not in after
    newcomer = _save_supplier(alice, "Brand New Buttons Ltd", "GB")
    assert "Not screened yet." in _visible(csrf_client.get(f"/suppliers/{newcomer.pk}/"))


def test_the_one_line_explanation_names_countries(csrf_client, screened):
    csrf_client.sign_in(screened)
    hit = ScreeningHit.objects.filter(
        organization=screened.organization, list_code="cbp_wro"
    ).first()
    assert "same country CN" in hit.explanation  # stored as data, with the code
    page = html.unescape(csrf_client.get(f"/screening/hits/{hit.pk}/").content.decode())
    line = re.search(r'<p id="explanation">(.*?)</p>', page, re.S).group(1)
    assert "same country China +0.03" in line
    assert "same country CN" not in line
    vessel = _vessel_hit(screened)
    korea = html.unescape(csrf_client.get(f"/screening/hits/{vessel.pk}/").content.decode())
    assert "CHONG CHON GANG" in korea
    search = html.unescape(
        csrf_client.get(
            "/screening/search/", {"name": "Hoshine Silicon Industry", "country": "Brazil"}
        ).content.decode()
    )
    assert "country Brazil vs China" in search
    assert "country BR vs CN" not in search


def test_the_decisions_are_told_apart_by_words_and_style(csrf_client, screened):
    csrf_client.sign_in(screened)
    hit = _vessel_hit(screened)
    response = csrf_client.get(f"/screening/hits/{hit.pk}/")
    page = response.content.decode()
    confirm = re.search(r'<button [^>]*id="decide-confirm"[^>]*>([^<]*)<', page)
    dismiss = re.search(r'<button [^>]*id="decide-dismiss"[^>]*>([^<]*)<', page)
    assert confirm.group(1) == "✓ Confirm: a true match"
    assert dismiss.group(1) == "✗ Dismiss: not a match"
    assert 'class="btn danger"' in confirm.group(0)
    assert 'class="btn secondary"' in dismiss.group(0)
    assert 'value="confirmed"' in confirm.group(0)
    assert 'value="dismissed"' in dismiss.group(0)
    # the confirm button still decides
    done = csrf_client.post(
        f"/screening/hits/{hit.pk}/",
        {"status": "confirmed", "csrfmiddlewaretoken": csrf_token_from(response)},
    )
    assert done.status_code == 302
    hit.refresh_from_db()
    assert hit.status == "confirmed"


def test_match_scores_read_as_percentages_like_the_threshold(csrf_client, screened):
    """The threshold is typed as 70 (per cent); a hit's score reads on the same scale."""
    csrf_client.sign_in(screened)
    hit = _vessel_hit(screened)
    body = csrf_client.get(f"/screening/hits/{hit.pk}/").content.decode()
    assert f"{round(hit.score * 100)}% alike" in body
    assert f"{hit.score:.2f}" not in body.split('id="comparison"')[1].split("</h2>")[0]
