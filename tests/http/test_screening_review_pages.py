"""The review screen: each name's words with the part each played, the words that agreed,
the entry's status; near-identical hits of one record decided together through the form,
CSRF enforced."""

import html

import pytest
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.screening.models import ScreeningHit, WatchlistEntry
from chainproof.screening.services import screen
from chainproof.suppliers.services import supplier_save
from tests.csrf_client import csrf_refused, csrf_token_from

pytestmark = pytest.mark.django_db


def _supplier(member, name, country):
    with transaction.atomic():
        return supplier_save(
            organization=member.organization.pk,
            actor=member.user,
            data={"legal_name": name, "country": country},
        )


def _page(client, hit):
    response = client.get(f"/screening/hits/{hit.pk}/")
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def test_the_hit_page_shows_each_word_with_its_part_and_an_inactive_entry(
    csrf_client, alice, refdata
):
    record = _supplier(alice, "Kingtom Aluminio SRL", "DO")
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hit = ScreeningHit.objects.get(node_id=record.pk, list_code="cbp_wro")
    csrf_client.sign_in(alice)
    _, page = _page(csrf_client, hit)
    assert 'id="entry-standing"' in page
    assert "This entry is no longer in force:" in page
    assert '<span class="badge bad">inactive (pending litigation)</span>' in page
    assert "<dt>List</dt><dd>CBP Withhold Release Orders and Findings</dd>" in page
    assert "<dd>Dominican Republic (DO)</dd>" in page
    # the record's words and the listed name's, each with its part
    assert "<strong>kingtom</strong><small>distinctive, agreed</small>" in page
    assert "<strong>srl</strong><small>legal form, agreed</small>" in page  # S.R.L. / SRL
    assert (
        '<ul id="agreed"><li>kingtom = kingtom</li><li>aluminio = aluminio</li>'
        "<li>srl = srl</li></ul>"
    ) in page
    assert "<li>same country Dominican Republic: +0.03 to the score</li>" in page
    assert "cbp_wro" not in page  # no code where a word belongs
    queue = html.unescape(csrf_client.get("/screening/").content.decode())
    row = queue[queue.index(f'href="/screening/hits/{hit.pk}/"') :].split("</tr>")[0]
    assert "<td>CBP Withhold Release Orders and Findings</td>" in row
    assert '<span class="badge bad">inactive (pending litigation)</span>' in row


def test_a_hit_found_before_comparisons_were_kept_shows_its_explanation(
    csrf_client, alice, refdata
):
    record = _supplier(alice, "Union Kogyo Co., Ltd.", "JP")
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hit = ScreeningHit.objects.get(node_id=record.pk)
    ScreeningHit.objects.filter(pk=hit.pk).update(details={}, entry_status="")
    csrf_client.sign_in(alice)
    _, page = _page(csrf_client, hit)
    assert "same country JP" in hit.explanation  # stored with the code, shown with the name
    shown = hit.explanation.replace("same country JP", "same country Japan")
    assert f'<p id="explanation">{shown}</p>' in page
    assert "<small>distinctive" not in page
    assert 'id="entry-standing"' not in page
    assert "none given: in force" in page


@pytest.fixture
def huafu(alice, refdata):
    """A record listed three times as one company (UFLPA twice, the watchlist once) and
    once as a different Huafu company."""
    WatchlistEntry.objects.create(
        organization=alice.organization, name="Aksu Huafu Textiles Company Limited", country="CN"
    )
    record = _supplier(alice, "Aksu Huafu Textiles Co., Ltd.", "CN")
    screen(organization_id=alice.organization.pk, actor=alice.user)
    hits = ScreeningHit.objects.filter(node_id=record.pk).order_by("pk")
    first = hits.filter(entry_name="Aksu Huafu Textiles Co., Ltd.").first()
    alike = [h for h in hits if h.pk != first.pk and "Aksu" in h.entry_name]
    other = hits.get(entry_name="Xinjiang Huafu Textile Co., Ltd.")
    assert len(alike) == 2
    return first, alike, other


def test_near_identical_hits_are_listed_ticked_and_dismissed_together(csrf_client, alice, huafu):
    first, alike, other = huafu
    csrf_client.sign_in(alice)
    response, page = _page(csrf_client, first)
    for hit in alike:
        assert f'name="together" value="{hit.pk}" checked>' in page
    assert f'value="{other.pk}"' not in page
    assert "<td>UFLPA Entity List</td>" in page
    assert "<td>Your watchlist</td>" in page
    url = f"/screening/hits/{first.pk}/"
    data = {"status": "dismissed", "together": [h.pk for h in alike]}
    assert csrf_refused(csrf_client.post(url, {**data, "reason": "Another Aksu company"}))
    token = csrf_token_from(response)
    no_reason = csrf_client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert no_reason.status_code == 400
    assert b"Say why" in no_reason.content
    assert ScreeningHit.objects.filter(status="dismissed").count() == 0
    done = csrf_client.post(
        url, {**data, "reason": "Another Aksu company", "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302
    dismissed = ScreeningHit.objects.filter(status="dismissed")
    assert sorted(dismissed.values_list("pk", flat=True)) == sorted(
        [first.pk, *(h.pk for h in alike)]
    )
    assert set(dismissed.values_list("reason", flat=True)) == {"Another Aksu company"}
    events = AuditEvent.objects.filter(action="screening.hit_dismissed")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in [first.pk, *(h.pk for h in alike)]
    )
    other.refresh_from_db()
    assert other.status == "open"
    assert "3 hits dismissed." in csrf_client.get("/screening/").content.decode()


def test_an_unticked_hit_is_left_open(csrf_client, alice, huafu):
    first, alike, _other = huafu
    csrf_client.sign_in(alice)
    done = csrf_client.submit(
        f"/screening/hits/{first.pk}/",
        {"status": "confirmed", "together": [alike[0].pk]},
    )
    assert done.status_code == 302
    statuses = dict(ScreeningHit.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[alike[0].pk], statuses[alike[1].pk]) == (
        "confirmed",
        "confirmed",
        "open",
    )


def test_only_this_records_listings_of_the_entity_can_be_decided_with_it(
    csrf_client, alice, bob, huafu
):
    first, _alike, other = huafu
    theirs = _supplier(bob, "Aksu Huafu Textiles Co., Ltd.", "CN")
    screen(organization_id=bob.organization.pk, actor=bob.user)
    foreign = ScreeningHit.objects.filter(node_id=theirs.pk, organization=bob.organization)[0]
    csrf_client.sign_in(alice)
    url = f"/screening/hits/{first.pk}/"
    response = csrf_client.submit(url, {"status": "confirmed", "together": [foreign.pk]})
    assert response.status_code == 404  # another organization's hit
    unlike = csrf_client.submit(url, {"status": "confirmed", "together": [other.pk]})
    assert unlike.status_code == 400
    assert b"Only open hits of this record that list the same entity" in unlike.content
    assert not ScreeningHit.objects.exclude(status="open").exists()
    assert not AuditEvent.objects.filter(action="screening.hit_confirmed").exists()


def test_a_viewer_sees_the_listings_but_cannot_decide(csrf_client, victor, huafu):
    first, alike, _other = huafu
    csrf_client.sign_in(victor)
    _, page = _page(csrf_client, first)
    assert 'name="together"' not in page
    assert all(f"/screening/hits/{h.pk}/" in page for h in alike)
    refused = csrf_client.submit(
        f"/screening/hits/{first.pk}/",
        {"status": "dismissed", "reason": "x", "together": [alike[0].pk]},
    )
    assert refused.status_code == 403
    assert not csrf_refused(refused)
    assert not ScreeningHit.objects.exclude(status="open").exists()
