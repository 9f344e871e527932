"""The due-diligence REST API with a bearer token, as a script uses it: an audit with a
finding and a corrective action, an evidence request, a program record, the
reasonable-care checklist and a product's readiness; errors name the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chainproof.accounts.services import api_token_create
from chainproof.diligence.demo import demo_evidence_load
from chainproof.suppliers.models import Facility, Product, Supplier
from tests.supply import load_demo


@pytest.fixture
def api(csrf_client, alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    load_demo(alice.organization)
    demo_evidence_load(organization=alice.organization, actor=alice.user)
    token = api_token_create(membership=alice.membership, name="script").plaintext

    def call(method, url, body=None):
        return csrf_client.api(method, f"/api/v1/diligence{url}", body, bearer=token)

    return call


def test_an_audit_finding_and_corrective_action_through_the_api(api, alice):
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-VN-01")
    site = Facility.objects.filter(supplier=supplier).first()
    today = timezone.localdate()
    created = api(
        "post",
        "/audits",
        {
            "supplier_id": supplier.pk,
            "kind": "internal",
            "audit_date": today.isoformat(),
            "auditor": "Own compliance team",
            "facility_ids": [site.pk],
        },
    )
    assert created.status_code == 201, created.content
    audit = created.json()
    assert audit["facility_ids"] == [site.pk]
    with_finding = api(
        "post",
        f"/audits/{audit['id']}/findings",
        {"description": "Overtime above 60 hours", "severity": "medium", "ilo_indicators": [11]},
    )
    finding = with_finding.json()["findings"][0]
    assert finding["ilo_indicators"] == [11]
    with_action = api(
        "post",
        f"/findings/{finding['id']}/actions",
        {
            "action": "Cap weekly hours at 60",
            "owner": "Plant manager",
            "due_date": (today + timedelta(days=14)).isoformat(),
        },
    )
    action = with_action.json()["findings"][0]["actions"][0]
    assert action["overdue"] is False
    refused = api("patch", f"/actions/{action['id']}", {"status": "verified"})
    assert refused.status_code == 400
    assert "Name the document" in refused.content.decode()
    wrong_kind = api(
        "post",
        "/audits",
        {
            "supplier_id": supplier.pk,
            "kind": "friendly",
            "audit_date": today.isoformat(),
            "auditor": "x",
        },
    )
    assert wrong_kind.status_code == 400
    assert "friendly" in wrong_kind.content.decode()
    listed = api("get", "/audits").json()
    assert audit["id"] in [a["id"] for a in listed["items"]]


def test_requests_program_care_and_readiness_through_the_api(api, alice):
    supplier = Supplier.objects.get(organization=alice.organization, ref="S-CN-01")
    asked = api(
        "post",
        "/evidence-requests",
        {
            "supplier_id": supplier.pk,
            "category": "dhs_recruitment",
            "due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
    )
    assert asked.status_code == 201
    assert asked.json()["status"] == "open"
    early = api("post", f"/evidence-requests/{asked.json()['id']}/decision", {"accept": True})
    assert early.status_code == 400  # nothing submitted yet

    record = api(
        "post",
        "/program",
        {
            "kind": "engagement",
            "values": {
                "held_on": "2026-05-05",
                "stakeholder_type": "unions",
                "stakeholder": "Garment workers' union",
                "topic": "Recruitment fees",
            },
        },
    )
    assert record.status_code == 201, record.content
    assert record.json()["title"] == "Garment workers' union, 2026-05-05"
    bad = api("post", "/program", {"kind": "engagement", "values": {"held_on": "soon"}})
    assert bad.status_code == 400
    assert "held_on" in bad.content.decode()

    again = api("post", "/reasonable-care")
    assert again.status_code == 400  # the demo's assessment is in progress
    assert "in progress" in again.content.decode()
    (assessment,) = api("get", "/reasonable-care").json()
    assert len(assessment["answers"]) == 13
    answered = api(
        "put",
        f"/reasonable-care/{assessment['id']}/answers/supplier_vetting",
        {"answer": "yes", "owner": "Sourcing", "document_ids": []},
    )
    gaps = [g["text"] for g in answered.json()["gaps"]]
    assert any(text.startswith("Answered yes without evidence") for text in gaps)
    unknown = api("put", f"/reasonable-care/{assessment['id']}/answers/anything", {"answer": "yes"})
    assert unknown.status_code == 404

    scarf = Product.objects.get(organization=alice.organization, sku="APP-SCF-010")
    ready = api("get", f"/readiness/product/{scarf.pk}").json()
    assert 0 < ready["score"] < 100
    assert {c["standing"] for c in ready["cells"]} == {"covered", "weak", "missing"}
    assert ready["gaps"]
