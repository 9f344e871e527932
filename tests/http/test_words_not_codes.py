"""What a person reads on the audit, job, reference and supplier pages is words, not the
codes they are stored under: an audit event says "Job finished: Score every record" (not
``job.succeeded risk.score_all #5 (running)``) and shows no number that differs from its
address; a job's result is labelled figures, never a Python dictionary; a dataset is
named by its title; the supplier list shows each supplier's risk level in a word."""

from __future__ import annotations

import html
import re

import pytest
from django.db import transaction

from chainproof.audit.models import AuditEvent
from chainproof.jobs.kinds import JobKind
from chainproof.jobs.models import Job
from chainproof.jobs.services import job_enqueue, run_pending
from chainproof.reference.models import Dataset
from chainproof.suppliers.models import Supplier
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(csrf_client, alice, refdata):
    """The demo chain, scored by a background job that ran to the end."""
    load_demo(alice.organization)
    with transaction.atomic():
        job = job_enqueue(
            kind=JobKind.RISK_SCORE_ALL, organization=alice.organization, actor=alice.user
        )
    run_pending()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    csrf_client.sign_in(alice)
    return job


def _text(response) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded."""
    body = response.content.decode()
    body = body.split("<main", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1])


def test_a_job_event_reads_as_a_sentence(csrf_client, scored):
    event = AuditEvent.objects.get(action="job.succeeded", object_id=str(scored.pk))
    page = csrf_client.get(f"/audit/{event.pk}/")
    assert page.status_code == 200
    text = _text(page)
    assert "Job finished: Score every record" in text
    assert _title(page).startswith("Job finished: Score every record")
    # No internal number in the heading that differs from the address, no raw codes,
    # no dash printed inside a box: an empty "before" says so in words.
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.content.decode(), re.S)[1]
    assert "#" not in heading
    assert f"{event.seq}" not in heading.replace(f"job {scored.pk}", "")
    visible = text.split("For auditors:")[0]
    assert "job.succeeded" not in visible
    assert "risk.score_all" not in visible
    assert "'—'" not in page.content.decode()
    assert "&#x27;—&#x27;" not in page.content.decode()
    assert "Nothing before" in text
    assert "Records scored" in text  # the result's figures, labelled, in the "after" box
    # The stored codes remain for an auditor, below, in their own section.
    assert "job.succeeded" in text.split("For auditors:")[1]


def test_a_changed_record_names_its_fields_in_words(csrf_client, scored, alice):
    from chainproof.suppliers.services import supplier_save

    supplier = Supplier.objects.filter(organization=alice.organization).first()
    with transaction.atomic():
        supplier_save(
            organization=alice.organization,
            actor=alice.user,
            supplier=supplier,
            data={"legal_name": "Renamed Ltd", "country": supplier.country},
        )
    event = AuditEvent.objects.filter(
        object_type="suppliers.supplier", object_id=str(supplier.pk)
    ).latest("pk")
    text = _text(csrf_client.get(f"/audit/{event.pk}/"))
    assert "legal name changed" in text
    assert "Legal name" in text
    assert "legal_name" not in text.split("For auditors:")[0]


def test_the_audit_log_lists_events_in_words(csrf_client, scored):
    page = csrf_client.get("/audit/", {"object_type": "jobs.job"})
    rows = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Job finished" in rows
    assert "Score every record" in rows
    assert "job.succeeded" not in rows
    assert "jobs.job" not in rows
    assert not re.search(r"[a-z_]+\.[a-z_]+ #\d+", rows)  # no "risk.score_all #5 (running)"
    # The filter offers the actions in words, with the code only as the value sent.
    assert '<option value="job.succeeded">Job finished</option>' in page.content.decode()
    assert '<option value="jobs.job" selected>Job</option>' in page.content.decode()
    only = csrf_client.get("/audit/", {"action": "job.succeeded"})
    only_rows = only.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Job finished" in only_rows
    assert "Job queued" not in only_rows


def test_a_job_page_shows_its_result_as_labelled_figures(csrf_client, scored):
    page = csrf_client.get(f"/jobs/{scored.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Score every record" in _title(page)
    assert "risk.score_all" not in body
    assert '<dl class="facts">' in body.split('id="job-result"', 1)[1]
    text = _text(page)
    assert f"Records scored {scored.result['nodes']}" in " ".join(text.split())
    assert "Methodology" in text
    assert "{" not in text
    assert "&#x27;nodes&#x27;" not in body
    assert "'nodes'" not in body


def test_result_figures_of_an_unknown_handler_still_read_as_words():
    from chainproof.jobs.results import result_facts

    assert result_facts({"rows_tidied": 1200, "ok": True, "lists": ["a", "b"]}) == [
        ("Rows tidied", "1,200"),
        ("Lists", "a, b"),
    ]
    assert result_facts(None) == []


def test_a_dataset_page_is_titled_by_the_datasets_name(csrf_client, alice, refdata):
    csrf_client.sign_in(alice)
    wro = Dataset.objects.filter(kind="cbp_wro_findings").first()
    page = csrf_client.get(f"/reference/datasets/{wro.pk}/")
    assert page.status_code == 200
    title = _title(page)
    assert title.startswith("CBP Withhold Release Orders and Findings")
    assert "cbp_wro" not in title
    assert "cbp_wro" not in re.search(r"<h1>(.*?)</h1>", page.content.decode(), re.S)[1]


def test_the_supplier_list_shows_each_risk_level_in_a_word(csrf_client, scored, alice):
    page = csrf_client.get("/suppliers/", {"risk": "critical"})
    table = page.content.decode().split('id="supplier-table"', 1)[1].split("</table>", 1)[0]
    assert "<th>Risk</th>" in table
    assert 'class="badge risk-critical"' in table
    assert ">Critical</a>" in table
    assert "risk-low" not in table  # the filter and the column agree
    # Countries by name, not by code.
    assert ">China</td>" in table


def test_a_suppliers_own_worksites_are_not_called_upstream(csrf_client, scored, alice):
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-CN-02")
    text = _text(csrf_client.get(f"/suppliers/{supplier.pk}/"))
    own = text.split("Own worksites", 1)[1].split("Upstream suppliers", 1)[0]
    assert "Yalu Seafood Processing Plant No. 3" in own
    upstream = text.split("Upstream suppliers' worksites", 1)[1].split("Customers", 1)[0]
    assert "Nakhodka Cold Store" in upstream


def test_pages_without_navigation_are_one_centred_column(csrf_client):
    for url in ("/accounts/login/", "/no-such-page/"):
        page = csrf_client.get(url)
        assert 'class="layout no-nav"' in page.content.decode(), url
    assert 'id="error"' in csrf_client.get("/no-such-page/").content.decode()


def test_the_job_name_in_the_trail_is_words(scored):
    assert str(scored) == f"Score every record (job {scored.pk})"
    assert Job.objects.get(pk=scored.pk).kind_label == "Score every record"


def test_the_server_error_page_is_styled_and_centred(rf):
    from chainproof.web.views import server_error

    response = server_error(rf.get("/boom/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert 'class="layout no-nav"' in body
    assert 'id="error"' in body
    assert "chainproof/app.css" in body
    assert "<script" not in body  # nothing that could itself fail or break the policy


def test_an_imports_changed_fields_read_as_words():
    from chainproof.jobs.results import import_summary

    summary = import_summary(
        {
            "entity": "suppliers",
            "rows": 1,
            "created": 0,
            "updated": 1,
            "changes": [
                {"row": 2, "action": "update", "record": "Acme", "fields": {"legal_name": "A"}}
            ],
        }
    )
    assert summary.changes[0]["field_words"] == "legal name"


def test_a_dataset_code_reads_as_its_title_wherever_listed():
    from chainproof.reference.templatetags.reference_words import dataset_title

    assert dataset_title("cbp_wro_findings") == "CBP Withhold Release Orders and Findings"
    assert dataset_title("uflpa_entity_list") == "UFLPA Entity List"
    assert dataset_title("some_new_list") == "some new list"
