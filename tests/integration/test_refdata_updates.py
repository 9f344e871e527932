"""Updates of the reference lists from their sources (reference/updates.py): fetched from
a stand-in publisher on 127.0.0.1, parsed, validated, diffed against the edition in
force, loaded on confirmation; failures change nothing. The command, the page and the
scheduled check."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from chainproof.accounts.models import User
from chainproof.audit.models import AuditEvent
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import PERIODIC
from chainproof.outbox.models import OutboundEmail
from chainproof.reference.jobs import lists_check
from chainproof.reference.models import Dataset, EntityListEntry, PendingUpdate, WroFinding
from chainproof.reference.selectors import current_dataset
from chainproof.reference.services import BUNDLED_DIR
from chainproof.reference.updates import UpdateError, update_check, update_load
from tests.conftest import make_member
from tests.refdata_publisher import Publisher

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "refdata_updates"
NEW_ENT_NUM = "99999991"


@pytest.fixture
def publisher():
    server = Publisher()
    yield server
    server.close()


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (BUNDLED_DIR / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def changed_ofac() -> tuple[bytes, dict[str, str]]:
    """The bundled OFAC edition with one entry renamed, one removed, one given an alias,
    and one added."""
    header, rows = _rows("ofac_sdn_dprk.csv")
    renamed, removed, aliased = rows[0], rows[1], rows[2]
    facts = {"old_name": renamed["name"], "removed": removed["ent_num"]}
    renamed["name"] += " GROUP"
    facts["new_name"] = renamed["name"]
    aliased["alternate_names"] = " | ".join(
        filter(None, [aliased["alternate_names"], "BRAND NEW ALIAS"])
    )
    facts["aliased"] = aliased["ent_num"]
    rows.remove(removed)
    rows.append(
        {
            "ent_num": NEW_ENT_NUM,
            "name": "EXAMPLE NEW TRADING CORPORATION",
            "type": "entity",
            "programs": "DPRK3",
            "dprk_programs": "DPRK3",
            "alternate_names": "",
        }
    )
    return _csv(header, rows), facts


def changed_wro() -> tuple[bytes, str]:
    """The bundled WRO edition with one active order revoked."""
    header, rows = _rows("cbp_wro_findings.csv")
    keys = Counter((r["entity"], r["effective_date"]) for r in rows)
    target = next(
        r for r in rows if r["status"] == "Active" and keys[(r["entity"], r["effective_date"])] == 1
    )
    target["status"] = "Revoked"
    return _csv(header, rows), target["entity"]


@pytest.fixture
def ofac_source(publisher, settings):
    data, facts = changed_ofac()
    url = publisher.serve("/ofac/sdn_dprk.csv", data)
    settings.REFDATA_URLS = {**settings.REFDATA_URLS, "ofac_sdn_dprk": [url]}
    return facts


def test_a_changed_list_gives_the_expected_diff_and_loads_as_a_new_edition(refdata, ofac_source):
    old = refdata["ofac_sdn_dprk"]
    plan = update_check("ofac_sdn_dprk")
    diff = plan.diff
    assert plan.current == old
    assert diff.counts() == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "aliases_changed": 1,
        "status_changed": 0,
        "fields_changed": 0,
    }
    assert diff.added == (f"EXAMPLE NEW TRADING CORPORATION (entry {NEW_ENT_NUM})",)
    assert diff.removed[0].endswith(f"(entry {ofac_source['removed']})")
    [renamed] = diff.renamed
    assert (renamed.old_name, renamed.new_name) == (
        ofac_source["old_name"],
        ofac_source["new_name"],
    )
    assert [c.aliases_added for c in diff.aliases_changed] == [("BRAND NEW ALIAS",)]
    assert not Dataset.objects.filter(kind="ofac_sdn_dprk").exclude(pk=old.pk).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = update_load(plan)
    new = outcome.dataset
    assert outcome.created
    assert new.row_count == old.row_count
    assert current_dataset("ofac_sdn_dprk") == new
    entries = EntityListEntry.objects.filter(dataset=new)
    assert entries.get(source_id=NEW_ENT_NUM).primary_name == "EXAMPLE NEW TRADING CORPORATION"
    assert not entries.filter(source_id=ofac_source["removed"]).exists()
    # The old edition stays queryable, and is the one in force on its own date.
    assert EntityListEntry.objects.filter(dataset=old, source_id=ofac_source["removed"]).exists()
    assert current_dataset("ofac_sdn_dprk", on=old.as_of) == old
    assert AuditEvent.objects.filter(action="reference.dataset_loaded", object_id=str(new.pk))
    # A second check finds nothing new to load.
    again = update_check("ofac_sdn_dprk")
    assert again.diff.is_empty
    assert not again.needs_loading


def test_a_revoked_wro_is_a_status_change(refdata, publisher, settings):
    data, entity = changed_wro()
    url = publisher.serve("/cbp/wro.csv", data)
    plan = update_check("cbp_wro_findings", sources=[url])
    assert plan.diff.counts()["status_changed"] == 1
    assert sum(plan.diff.counts().values()) == 1
    [change] = plan.diff.status_changed
    assert (change.old_status, change.new_status) == ("Active", "Revoked")
    assert change.label.startswith(entity)
    dataset = update_load(plan).dataset
    revoked = WroFinding.objects.filter(dataset=dataset, entity=entity, status="Revoked")
    assert revoked.count() == 1


@pytest.mark.parametrize(
    ("status", "content_type", "body", "expected"),
    [
        (500, "text/html", b"<h1>oops</h1>", "the server answered HTTP 500"),
        (404, "text/html", b"gone", "the server answered HTTP 404"),
        (200, "image/png", b"\x89PNG....", "found content of type image/png"),
        (
            200,
            "text/html",
            (FIXTURES / "broken_layout.html").read_bytes(),
            "is not the one expected",
        ),
        (200, "text/csv", b"", "sent an empty file"),
    ],
)
def test_a_failed_fetch_says_what_went_wrong_and_changes_nothing(
    refdata, publisher, status, content_type, body, expected
):
    url = publisher.serve("/list", body, status=status, content_type=content_type)
    before = Dataset.objects.count()
    with pytest.raises(UpdateError) as caught:
        update_check("uflpa_entity_list", sources=[url])
    assert expected in str(caught.value)
    assert url in str(caught.value) or "layout" in str(caught.value)
    assert Dataset.objects.count() == before


def test_a_refused_connection_is_reported(refdata, publisher):
    url = publisher.url("/gone.csv")
    publisher.close()
    with pytest.raises(UpdateError, match="cannot reach the server"):
        update_check("ofac_sdn_dprk", sources=[url])


def test_one_bad_row_loads_nothing_and_names_the_row(refdata, publisher):
    header, rows = _rows("cbp_wro_findings.csv")
    rows[3]["iso2"] = "QQ"
    url = publisher.serve("/wro.csv", _csv(header, rows))
    with pytest.raises(UpdateError) as caught:
        update_check("cbp_wro_findings", sources=[url])
    assert [(e.row, e.column) for e in caught.value.errors] == [(5, "iso2")]
    assert (
        not Dataset.objects.filter(kind="cbp_wro_findings")
        .exclude(pk=refdata["cbp_wro_findings"].pk)
        .exists()
    )


# --- the command -------------------------------------------------------------------------


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_the_command_with_yes_prints_the_diff_and_loads(refdata, ofac_source, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin("", tty=False))
    out = io.StringIO()
    call_command("refdata", "update", "ofac_sdn_dprk", "--yes", stdout=out)
    text = out.getvalue()
    assert "1 added, 1 removed, 1 renamed, 1 with aliases changed" in text
    assert f"renamed from {ofac_source['old_name']!r}" in text
    assert "Loaded" in text
    assert current_dataset("ofac_sdn_dprk") != refdata["ofac_sdn_dprk"]


def test_without_yes_and_no_terminal_the_command_refuses_to_load(refdata, ofac_source, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin("y\n", tty=False))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="use --yes"):
        call_command("refdata", "update", "ofac_sdn_dprk", stdout=out, stderr=err)
    assert "1 added" in out.getvalue()
    assert "standard input is not a terminal" in err.getvalue()
    assert current_dataset("ofac_sdn_dprk") == refdata["ofac_sdn_dprk"]


@pytest.mark.parametrize(("answer", "loads"), [("y\n", True), ("\n", False)])
def test_on_a_terminal_the_command_asks(refdata, ofac_source, monkeypatch, answer, loads):
    monkeypatch.setattr("sys.stdin", _Stdin(answer, tty=True))
    call_command("refdata", "update", "ofac_sdn_dprk", stdout=io.StringIO())
    assert (current_dataset("ofac_sdn_dprk") != refdata["ofac_sdn_dprk"]) is loads


def test_the_command_reads_a_downloaded_file_and_reports_a_broken_one(refdata, tmp_path):
    data, _ = changed_wro()
    good = tmp_path / "wro.csv"
    good.write_bytes(data)
    out = io.StringIO()
    call_command("refdata", "update", "cbp_wro_findings", "--from", str(good), "--yes", stdout=out)
    assert "1 with status changed" in out.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 list"):
        call_command(
            "refdata",
            "update",
            "uflpa_entity_list",
            "--from",
            str(FIXTURES / "broken_layout.html"),
            "--yes",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "uflpa_entity_list: not updated" in err.getvalue()
    assert "is not the one expected" in err.getvalue()


# --- the page ----------------------------------------------------------------------------


def test_an_admin_checks_sees_the_diff_and_loads_the_edition(
    refdata, ofac_source, alice, csrf_client
):
    csrf_client.sign_in(alice)
    page = csrf_client.get("/reference/")
    assert b"Check for updates" in page.content
    response = csrf_client.submit(
        "/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/"
    )
    pending = PendingUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reference/updates/{pending.pk}/"
    assert pending.organization == alice.organization
    assert pending.based_on == refdata["ofac_sdn_dprk"]
    shown = csrf_client.get(response["Location"]).content.decode()
    assert "1 added, 1 removed, 1 renamed, 1 with aliases changed" in shown
    assert ofac_source["new_name"] in shown
    assert "BRAND NEW ALIAS" in shown
    assert AuditEvent.objects.filter(action="reference.update_checked").count() == 1

    response = csrf_client.submit(
        f"/reference/updates/{pending.pk}/decide/",
        {"decision": "load"},
        from_page=f"/reference/updates/{pending.pk}/",
    )
    pending.refresh_from_db()
    assert pending.status == PendingUpdate.Status.LOADED
    new = pending.loaded
    assert response["Location"] == f"/reference/datasets/{new.pk}/"
    assert new.organization == alice.organization
    assert new.loaded_by == alice.user
    assert current_dataset("ofac_sdn_dprk", alice.organization.pk) == new
    assert current_dataset("ofac_sdn_dprk") == refdata["ofac_sdn_dprk"]  # others keep theirs
    assert AuditEvent.objects.filter(action="reference.update_loaded").count() == 1
    assert Job.objects.filter(kind=JobKind.SCREENING_SCREEN, organization=alice.organization)
    # Deciding twice does nothing more.
    again = csrf_client.submit(
        f"/reference/updates/{pending.pk}/decide/",
        {"decision": "load"},
        from_page=f"/reference/updates/{pending.pk}/",
    )
    assert again.status_code == 302
    assert Dataset.objects.filter(kind="ofac_sdn_dprk").count() == 2


def test_a_discarded_update_loads_nothing(refdata, ofac_source, alice, csrf_client):
    csrf_client.sign_in(alice)
    csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    pending = PendingUpdate.objects.get()
    csrf_client.submit(
        f"/reference/updates/{pending.pk}/decide/",
        {"decision": "discard"},
        from_page=f"/reference/updates/{pending.pk}/",
    )
    pending.refresh_from_db()
    assert pending.status == PendingUpdate.Status.DISCARDED
    assert Dataset.objects.filter(kind="ofac_sdn_dprk").count() == 1
    assert AuditEvent.objects.filter(action="reference.update_discarded").count() == 1


def test_a_stale_diff_is_not_loaded(refdata, ofac_source, alice, csrf_client, publisher):
    csrf_client.sign_in(alice)
    csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    first = PendingUpdate.objects.get()
    header, rows = _rows("ofac_sdn_dprk.csv")
    other = publisher.serve("/other.csv", _csv(header, rows[1:]))
    update_load(
        update_check("ofac_sdn_dprk", sources=[other], organization=alice.organization),
        organization=alice.organization,
    )
    response = csrf_client.submit(
        f"/reference/updates/{first.pk}/decide/",
        {"decision": "load"},
        from_page=f"/reference/updates/{first.pk}/",
        follow=True,
    )
    assert b"Another edition was loaded since" in response.content
    first.refresh_from_db()
    assert first.status == PendingUpdate.Status.PENDING


def test_an_admin_uploads_a_downloaded_list(refdata, alice, csrf_client):
    data, _entity = changed_wro()
    csrf_client.sign_in(alice)
    upload = io.BytesIO(data)
    upload.name = "wro.csv"
    response = csrf_client.submit(
        "/reference/updates/upload/", {"kind": "cbp_wro_findings", "list_files": upload}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    pending = PendingUpdate.objects.get()
    assert response["Location"] == f"/reference/updates/{pending.pk}/", response.content[:3000]
    assert b"with status changed" in csrf_client.get(response["Location"]).content
    broken = io.BytesIO((FIXTURES / "broken_layout.html").read_bytes())
    broken.name = "page.html"
    response = csrf_client.submit(
        "/reference/updates/upload/",
        {"kind": "uflpa_entity_list", "list_files": broken},
        follow=True,
    )
    assert b"Nothing was changed" in response.content
    assert PendingUpdate.objects.count() == 1


def test_only_admins_check_and_see_updates(refdata, ofac_source, alice, csrf_client):
    analyst = make_member("Acme Imports", "anna", "analyst")
    csrf_client.sign_in(alice)
    csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    pending = PendingUpdate.objects.get()
    csrf_client.sign_in(analyst)
    page = csrf_client.get("/reference/")
    assert b"Check for updates" not in page.content
    refused = csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    assert refused.status_code == 403
    assert csrf_client.get("/reference/updates/upload/").status_code == 403
    assert csrf_client.get(f"/reference/updates/{pending.pk}/").status_code == 403
    decided = csrf_client.submit(
        f"/reference/updates/{pending.pk}/decide/", {"decision": "load"}, from_page="/reference/"
    )
    assert decided.status_code == 403
    assert PendingUpdate.objects.get().status == PendingUpdate.Status.PENDING


def test_another_organizations_admin_cannot_see_a_pending_update(
    refdata, ofac_source, alice, bob, csrf_client
):
    csrf_client.sign_in(alice)
    csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    pending = PendingUpdate.objects.get()
    csrf_client.sign_in(bob)
    assert csrf_client.get(f"/reference/updates/{pending.pk}/").status_code == 404


# --- the scheduled check -----------------------------------------------------------------


def _emails(alice, bob):
    User.objects.filter(pk=alice.user.pk).update(email="alice@acme.example")
    User.objects.filter(pk=bob.user.pk).update(email="bob@borealis.example")


def test_the_weekly_check_is_scheduled():
    assert PERIODIC[JobKind.REFERENCE_CHECK] == 7 * 24 * 3600


def test_the_scheduled_check_loads_a_changed_list_and_emails_every_admin(
    refdata, ofac_source, alice, bob, settings, publisher
):
    _emails(alice, bob)
    same = publisher.serve("/wro.csv", (BUNDLED_DIR / "cbp_wro_findings.csv").read_bytes())
    settings.REFDATA_URLS = {**settings.REFDATA_URLS, "cbp_wro_findings": [same]}
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        result = lists_check(["ofac_sdn_dprk", "cbp_wro_findings"])
    assert callbacks  # the email and the recomputation are queued after commit
    assert list(result["changed"]) == ["ofac_sdn_dprk"]
    assert result["unchanged"] == ["cbp_wro_findings"]
    assert not result["failed"]
    new = current_dataset("ofac_sdn_dprk")
    assert new != refdata["ofac_sdn_dprk"]
    assert new.organization is None
    mails = OutboundEmail.objects.filter(purpose__startswith="refdata:ofac_sdn_dprk:")
    assert sorted(m.to for m in mails) == ["alice@acme.example", "bob@borealis.example"]
    assert "1 added, 1 removed, 1 renamed" in mails[0].body
    assert "is loaded" in mails[0].subject
    assert Job.objects.filter(kind=JobKind.OUTBOX_SEND).exists()
    assert Job.objects.filter(kind=JobKind.SCREENING_SCREEN).exists()


def test_without_auto_load_the_admins_are_told_once_and_nothing_loads(
    refdata, ofac_source, alice, bob, settings
):
    settings.REFDATA_AUTO_LOAD = False
    _emails(alice, bob)
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = lists_check(["ofac_sdn_dprk"])
        second = lists_check(["ofac_sdn_dprk"])
    assert list(first["changed"]) == ["ofac_sdn_dprk"]
    assert second["unchanged"] == ["ofac_sdn_dprk"]
    assert current_dataset("ofac_sdn_dprk") == refdata["ofac_sdn_dprk"]
    mails = OutboundEmail.objects.filter(purpose__startswith="refdata:")
    assert mails.count() == 2
    assert "not loaded yet" in mails[0].subject


def test_an_edition_that_removes_most_of_the_list_is_held_not_loaded(
    refdata, publisher, alice, bob, settings
):
    """A publisher's page cut short looks like a list that lost most of its entries: the
    scheduled check does not load it on its own; the administrators are told, once."""
    _emails(alice, bob)
    F = OFFICIAL
    urls = [publisher.serve(f"/ofac/{n}", (F / n).read_bytes()) for n in ("SDN.CSV", "ALT.CSV")]
    settings.REFDATA_URLS = {**settings.REFDATA_URLS, "ofac_sdn_dprk": urls}
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = lists_check(["ofac_sdn_dprk"])
        second = lists_check(["ofac_sdn_dprk"])
    assert "ofac_sdn_dprk" in first["held"]
    assert not first["changed"]
    assert second["unchanged"] == ["ofac_sdn_dprk"]  # told once
    assert current_dataset("ofac_sdn_dprk") == refdata["ofac_sdn_dprk"]
    mails = OutboundEmail.objects.filter(purpose__startswith="refdata:ofac_sdn_dprk:")
    assert sorted(m.to for m in mails) == ["alice@acme.example", "bob@borealis.example"]
    assert "held for you" in mails[0].subject
    assert "would remove 544 of the 544 entries in force" in mails[0].body
    # a higher limit lets the same edition load
    settings.REFDATA_AUTO_LOAD_MAX_REMOVED_PERCENT = 100
    with TestCase.captureOnCommitCallbacks(execute=True):
        third = lists_check(["ofac_sdn_dprk"])
    assert "ofac_sdn_dprk" in third["changed"]
    assert current_dataset("ofac_sdn_dprk") != refdata["ofac_sdn_dprk"]


def test_a_failed_scheduled_fetch_is_reported_and_changes_nothing(
    refdata, publisher, alice, bob, settings
):
    _emails(alice, bob)
    url = publisher.serve("/down", b"no", status=503, content_type="text/plain")
    settings.REFDATA_URLS = {"ofac_sdn_dprk": [url]}
    result = lists_check()
    assert "HTTP 503" in result["failed"]["ofac_sdn_dprk"]
    assert not OutboundEmail.objects.exists()
    assert Dataset.objects.filter(kind="ofac_sdn_dprk").count() == 1
    assert date.today()  # the check ran today: nothing else to record


def test_a_file_over_the_size_limit_is_refused(refdata, publisher, monkeypatch):
    monkeypatch.setattr("chainproof.reference.updates.MAX_REFERENCE_FILE_BYTES", 100)
    url = publisher.serve("/big.csv", b"x" * 500)
    with pytest.raises(UpdateError, match="reference files may be at most 100 bytes"):
        update_check("ofac_sdn_dprk", sources=[url])


def test_the_check_runs_as_a_job_of_the_worker(refdata, ofac_source, alice, bob, settings):
    from chainproof.jobs.services import job_enqueue, run_pending

    settings.REFDATA_URLS = {"ofac_sdn_dprk": settings.REFDATA_URLS["ofac_sdn_dprk"]}
    _emails(alice, bob)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = job_enqueue(kind=JobKind.REFERENCE_CHECK)
    Job.objects.exclude(pk=job.pk).delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        run_pending(limit=1)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert list(job.result["changed"]) == ["ofac_sdn_dprk"]
    assert OutboundEmail.objects.filter(purpose__startswith="refdata:").count() == 2


def test_a_tip_page_of_one_year_replaces_that_year_and_keeps_the_others(refdata, publisher):
    header, rows = _rows("tip_tier_placements.csv")
    latest = max(int(r["report_year"]) for r in rows)
    year = [dict(r) for r in rows if int(r["report_year"]) == latest]
    changed = next(r for r in year if r["tier"] == "Tier 2")
    changed.update(tier="Tier 2 Watch List", tier_code="T2WL")
    url = publisher.serve("/tip.csv", _csv(header, year))
    plan = update_check("tip_tiers", sources=[url])
    assert plan.diff.counts() == {
        "added": 0,
        "removed": 0,
        "renamed": 0,
        "aliases_changed": 0,
        "status_changed": 1,
        "fields_changed": 0,
    }
    assert any("carried over from the edition in force" in note for note in plan.notes)
    dataset = update_load(plan).dataset
    assert dataset.row_count == len(rows)


OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "official_formats"


def test_the_publishers_own_files_go_through_the_same_flow(refdata, publisher, settings):
    urls = [
        publisher.serve(f"/ofac/{name}", (OFFICIAL / name).read_bytes())
        for name in ("SDN.CSV", "ALT.CSV", "ADD.CSV")
    ]
    settings.REFDATA_URLS = {**settings.REFDATA_URLS, "ofac_sdn_dprk": urls}
    plan = update_check("ofac_sdn_dprk")
    assert plan.diff.added  # the fixture's invented entries
    assert plan.diff.new_count == len(plan.spec.data.splitlines()) - 1
    # ADD.CSV's addresses come with the names, as their own edition, loaded together
    (addresses,) = plan.related
    assert addresses.kind == "ofac_sdn_dprk_addresses"
    assert any("rows of OFAC" in note or "addresses" in note.lower() for note in plan.notes)
    dataset = update_load(plan).dataset
    assert current_dataset("ofac_sdn_dprk") == dataset
    loaded = current_dataset("ofac_sdn_dprk_addresses")
    assert loaded is not None
    assert loaded.edition == addresses.edition
    assert loaded.row_count == len(addresses.data.splitlines()) - 1 > 0
    assert sorted(publisher.requests) == ["/ofac/ADD.CSV", "/ofac/ALT.CSV", "/ofac/SDN.CSV"]


def test_an_update_checked_on_the_page_keeps_the_addresses_until_it_is_loaded(
    refdata, publisher, settings, alice, csrf_client
):
    urls = [
        publisher.serve(f"/ofac/{name}", (OFFICIAL / name).read_bytes())
        for name in ("SDN.CSV", "ALT.CSV", "ADD.CSV")
    ]
    settings.REFDATA_URLS = {**settings.REFDATA_URLS, "ofac_sdn_dprk": urls}
    csrf_client.sign_in(alice)
    csrf_client.submit("/reference/updates/check/ofac_sdn_dprk/", from_page="/reference/")
    pending = PendingUpdate.objects.get()
    assert [r["kind"] for r in pending.related] == ["ofac_sdn_dprk_addresses"]
    before = current_dataset("ofac_sdn_dprk_addresses", alice.organization.pk)
    csrf_client.submit(
        f"/reference/updates/{pending.pk}/decide/",
        {"decision": "load"},
        from_page=f"/reference/updates/{pending.pk}/",
    )
    after = current_dataset("ofac_sdn_dprk_addresses", alice.organization.pk)
    assert after != before
    assert after.organization == alice.organization
    assert after.edition == pending.related[0]["edition"]


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("uflpa_entity_list", "uflpa_entity_list_changed_layout.html"),
        ("cbp_wro_findings", "cbp_wro_changed_layout.html"),
        ("tip_tiers", "tip_tiers_changed_layout.html"),
    ],
)
def test_a_publishers_changed_layout_loads_nothing(refdata, publisher, kind, name):
    url = publisher.serve(f"/{name}", (OFFICIAL / name).read_bytes(), content_type="text/html")
    before = Dataset.objects.count()
    with pytest.raises(UpdateError, match="is not the one expected"):
        update_check(kind, sources=[url])
    assert Dataset.objects.count() == before
