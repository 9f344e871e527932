import html

import pytest

from chainproof.domain.screening.matcher import VERSION
from chainproof.screening.models import ScreeningHit
from chainproof.screening.services import screen
from tests.csrf_client import csrf_refused, csrf_token_from
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    screen(organization_id=alice.organization.pk, actor=alice.user)
    return alice


def test_queue_hit_page_and_decision_with_csrf(csrf_client, demo):
    csrf_client.sign_in(demo)
    queue = csrf_client.get("/screening/").content.decode()
    assert "Hoshyne Silicon Industry Trading Co. Ltd." in queue
    hit = ScreeningHit.objects.filter(organization=demo.organization, status="open").first()
    page = csrf_client.get(f"/screening/hits/{hit.pk}/")
    assert hit.explanation[:40] in page.content.decode().replace("&#x27;", "'")
    assert csrf_refused(csrf_client.post(f"/screening/hits/{hit.pk}/", {"status": "confirmed"}))
    no_reason = csrf_client.post(
        f"/screening/hits/{hit.pk}/",
        {"status": "dismissed", "csrfmiddlewaretoken": csrf_token_from(page)},
    )
    assert b"Say why" in no_reason.content
    done = csrf_client.post(
        f"/screening/hits/{hit.pk}/",
        {
            "status": "dismissed",
            "reason": "not the same company",
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )
    assert done.status_code == 302
    hit.refresh_from_db()
    assert hit.status == "dismissed"


def test_ad_hoc_search_page_and_api(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = csrf_client.get("/screening/search/", {"name": "김정은"}).content.decode()
    assert "KIM, Jong Un" in page
    body = csrf_client.get("/api/v1/screening/search", {"name": "新疆生产建设兵团"}).json()
    assert body["algorithm"] == f"chainproof-names v{VERSION}"
    assert "Production and Construction" in body["matches"][0]["entry_name"]
    assert "Chinese terms in English" in body["matches"][0]["explanation"]


def test_other_organizations_hits_are_404(csrf_client, demo, bob, victor):
    hit = ScreeningHit.objects.filter(organization=demo.organization).first()
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/screening/hits/{hit.pk}/").status_code == 404
    assert csrf_client.get("/api/v1/screening/hits").json()["count"] == 0
    decision = f"/api/v1/screening/hits/{hit.pk}/decision"
    response = csrf_client.api("post", decision, {"status": "confirmed"})
    assert response.status_code == 404
    csrf_client.sign_in(victor)
    viewer = csrf_client.api("post", decision, {"status": "confirmed"})
    assert viewer.status_code == 403
    assert not csrf_refused(viewer)


def _post_file(client, content, name):
    import io

    upload = io.BytesIO(content)
    upload.name = name
    return client.submit("/screening/watchlist/", {"file": upload})


def _run_watchlist_jobs():
    from chainproof.jobs.models import Job
    from chainproof.jobs.services import job_claim, job_run

    ran = 0
    while (job := job_claim()) is not None:
        ran += job.kind == "screening.watchlist_import"
        job_run(job)
    assert ran == 1
    assert not Job.objects.filter(kind="screening.watchlist_import", status="failed").exists()


def test_watchlist_add_import_and_remove(csrf_client, alice, refdata):
    from chainproof.audit.models import AuditEvent
    from chainproof.jobs.models import Job
    from chainproof.screening.models import WatchlistEntry

    csrf_client.sign_in(alice)
    page = csrf_client.get("/screening/watchlist/")
    added = csrf_client.post(
        "/screening/watchlist/",
        {
            "name": "Pearl River Fleet",
            "aliases": "PRF | Zhujiang Fleet",
            "country": "cn",
            "csrfmiddlewaretoken": csrf_token_from(page),
        },
    )
    assert added.status_code == 302
    entry = WatchlistEntry.objects.get(organization=alice.organization)
    assert entry.aliases == ["PRF", "Zhujiang Fleet"]
    assert entry.country == "CN"
    assert Job.objects.filter(kind="screening.screen", status="queued").exists()
    bad = _post_file(csrf_client, b"name,country\nGood Co,CN\nBad Co,QQ\n", "w.csv")
    assert bad.status_code == 302  # to the job's page: the file is read by the worker
    assert WatchlistEntry.objects.filter(organization=alice.organization).count() == 1
    _run_watchlist_jobs()
    report = csrf_client.get(bad["Location"])
    assert b"Nothing was imported from w.csv: 1 problem." in report.content
    assert b'id="job-state">Rejected<' in report.content
    assert b'<td class="num">3</td><td>country</td>' in report.content
    assert WatchlistEntry.objects.filter(organization=alice.organization).count() == 1
    good = _post_file(
        csrf_client,
        b"name,aliases,country,address,notes\n"
        b'Golden Reef Mining,GRM,KP,"Kangdong County, Pyongyang",reported by NGO\n',
        "w.csv",
    )
    assert good.status_code == 302
    assert WatchlistEntry.objects.filter(organization=alice.organization).count() == 1
    _run_watchlist_jobs()
    assert b"Added 1 watchlist entries from w.csv" in csrf_client.get(good["Location"]).content
    assert WatchlistEntry.objects.filter(organization=alice.organization).count() == 2
    reef = WatchlistEntry.objects.get(name="Golden Reef Mining")
    assert reef.address == "Kangdong County, Pyongyang"
    found = csrf_client.get(
        "/api/v1/screening/search",
        {"name": "Golden Reef Mining Co", "address": "Pyongyang, Kangdong County"},
    ).json()["matches"][0]
    assert found["entry_name"] == "Golden Reef Mining"
    assert found["qualifiers"][-1] == {"reason": "similar address (1.00)", "delta": 0.05}
    page = csrf_client.get(
        "/screening/search/", {"name": "Golden Reef Mining", "address": "Kangdong County"}
    )
    assert b"similar address" in page.content
    removed = csrf_client.post(
        "/screening/watchlist/",
        {"remove": str(entry.pk), "csrfmiddlewaretoken": csrf_token_from(page)},
    )
    assert removed.status_code == 302
    assert not WatchlistEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(action="screening.watchlist_removed").exists()


def test_watchlist_entries_of_another_organization_cannot_be_removed(
    csrf_client, alice, bob, refdata
):
    from chainproof.screening.models import WatchlistEntry

    entry = WatchlistEntry.objects.create(organization=alice.organization, name="X Co")
    csrf_client.sign_in(bob)
    page = csrf_client.get("/screening/watchlist/")
    assert b"X Co" not in page.content
    response = csrf_client.post(
        "/screening/watchlist/",
        {"remove": str(entry.pk), "csrfmiddlewaretoken": csrf_token_from(page)},
    )
    assert response.status_code == 404
    assert WatchlistEntry.objects.filter(pk=entry.pk).exists()


def test_admin_sets_the_review_threshold(csrf_client, alice, refdata):
    from chainproof.audit.models import AuditEvent
    from chainproof.jobs.models import Job
    from chainproof.screening.services import threshold

    csrf_client.sign_in(alice)
    page = csrf_client.get("/screening/")
    assert b'id="threshold"' in page.content
    token = csrf_token_from(page)
    assert b'value="70"' in page.content  # the threshold as people read it: 70%, not 0.70
    assert b"0.70" not in page.content
    for bad, message in (("120", b"between 50% and 99%"), ("high", b"Expected a number")):
        refused = csrf_client.post("/screening/", {"threshold": bad, "csrfmiddlewaretoken": token})
        assert refused.status_code == 400
        assert message in refused.content
    assert threshold(alice.organization.pk) == 0.7
    saved = csrf_client.post("/screening/", {"threshold": "85", "csrfmiddlewaretoken": token})
    assert saved.status_code == 302
    assert threshold(alice.organization.pk) == 0.85
    event = AuditEvent.objects.get(action="screening.threshold_changed")
    assert event.before == {"threshold": "70%"}
    assert event.after == {"threshold": "85%"}
    assert Job.objects.filter(kind="screening.screen", status="queued").exists()


def test_only_admins_change_the_threshold(csrf_client, victor, refdata):
    csrf_client.sign_in(victor)
    page = csrf_client.get("/screening/")
    assert b'id="threshold"' not in page.content
    refused = csrf_client.post(
        "/screening/", {"threshold": "0.9", "csrfmiddlewaretoken": csrf_token_from(page)}
    )
    assert refused.status_code == 403
    assert not csrf_refused(refused)


def test_search_page_takes_a_country_by_name_and_says_what_it_did_with_the_input(csrf_client, demo):
    csrf_client.sign_in(demo)
    page = html.unescape(
        csrf_client.get(
            "/screening/search/", {"name": "阿克苏华孚色纺有限公司", "country": "China"}
        ).content.decode()
    )
    assert "same country China" in page  # "China" read as CN, not cut to "Ch" (Switzerland)
    assert "Switzerland" not in page
    assert page.count("<td>Aksu Huafu Color Spinning Co., Ltd.") == 1  # one row, listed twice
    unknown = csrf_client.get("/screening/search/", {"name": "Acme", "country": "Narnia"})
    assert "Country not used:" in html.unescape(unknown.content.decode())
    long_name = csrf_client.get("/screening/search/", {"name": "Acme " * 400})
    assert "Only the first 1,000 of 1,999 characters were screened." in html.unescape(
        long_name.content.decode()
    )
    empty = csrf_client.get("/screening/search/", {"name": "   "})
    assert "Type a name to screen." in empty.content.decode()
