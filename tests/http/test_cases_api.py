"""The shipments and detention-cases REST API with a bearer token, as a script uses it: a
shipment with its lines, errors that name the field, another organization's shipment
unseen, a viewer who cannot write, an import refused row by row with nothing stored, a
case with its deadlines, and a deadline date that needs a reason."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from chainproof.accounts.services import api_token_create
from chainproof.audit.models import AuditEvent
from chainproof.cases.models import DetentionCase, Shipment
from chainproof.evidence.documents import document_create
from chainproof.evidence.receiving import file_receive

ENTRY = "B76-0324527-8"  # CATAIR Appendix E's worked example: a valid entry number


def _token(member) -> str:
    with transaction.atomic():
        return api_token_create(membership=member.membership, name="script").plaintext


@pytest.fixture
def api(csrf_client, alice, refdata, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGE_BACKEND = "local"
    token = _token(alice)

    def call(method, url, body=None, *, bearer=token):
        return csrf_client.api(method, f"/api/v1{url}", body, bearer=bearer)

    return call


def _shipment(**changes):
    body = {
        "reference": "PO-2026-0142",
        "entry_number": ENTRY,
        "importer_of_record": "Acme Imports Inc.",
        "port_code": "2704",
        "arrival_date": "2026-01-30",
        "importation_date": "2026-01-31",
        "mode": "ocean",
        "lines": [
            {
                "description": "Cotton T-shirts",
                "hts_code": "6109.10",
                "quantity": "1200",
                "unit": "pcs",
                "value_usd": "5400.00",
                "origin_country": "VN",
            },
            {
                "description": "Cotton scarves",
                "quantity": 300,
                "unit": "pcs",
                "origin_country": "CN",
            },
        ],
    }
    body.update(changes)
    return body


def test_a_shipment_with_two_lines_is_created_read_and_replaced(api, alice):
    created = api("post", "/shipments", _shipment())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["entry_number"] == ENTRY
    assert body["kind"] == "entry"
    assert body["importation_date"] == "2026-01-31"
    assert [(line["number"], line["description"]) for line in body["lines"]] == [
        (1, "Cotton T-shirts"),
        (2, "Cotton scarves"),
    ]
    assert body["lines"][0]["origin_country"] == "VN"
    assert float(body["lines"][0]["value_usd"]) == 5400.0
    assert AuditEvent.objects.filter(action="cases.shipment_created").count() == 1

    read = api("get", f"/shipments/{body['id']}")
    assert read.status_code == 200
    assert read.json()["reference"] == "PO-2026-0142"
    listed = api("get", "/shipments").json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]
    checked = api("get", f"/shipments/{body['id']}/check").json()
    assert checked["port"] == "2704 Los Angeles"
    assert [(line["number"], line["verdict"]) for line in checked["lines"]] == [
        (1, "check"),
        (2, "check"),
    ]
    assert "names neither one of your products" in checked["lines"][0]["gaps"][0]

    replaced = api(
        "put",
        f"/shipments/{body['id']}",
        _shipment(carrier="Maersk", lines=[{"line": 1, "description": "Cotton T-shirts"}]),
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["carrier"] == "Maersk"
    assert [line["number"] for line in replaced.json()["lines"]] == [1]


def test_a_mistyped_entry_number_is_refused_naming_the_field(api):
    refused = api("post", "/shipments", _shipment(entry_number="B76-0324527-9"))
    assert refused.status_code == 400, refused.content
    details = refused.json()["error"]["details"]
    assert [d["field"] for d in details] == ["entry_number"]
    assert "check digit" in details[0]["message"]
    bad_line = api(
        "post", "/shipments", _shipment(lines=[{"description": "Shirts", "hts_code": "61"}])
    )
    assert bad_line.status_code == 400
    assert [d["field"] for d in bad_line.json()["error"]["details"]] == ["lines[1].hts_code"]
    assert not Shipment.objects.exists()


def test_an_entry_number_error_reads_as_one_sentence(api):
    for typed in ("hello", "B76-0324527-9"):
        refused = api("post", "/shipments", _shipment(entry_number=typed))
        assert refused.status_code == 400
        (detail,) = refused.json()["error"]["details"]
        assert not detail["message"].lower().startswith("expected expected"), detail
        assert not detail["message"].startswith("Expected check digit should be"), detail


def test_renaming_a_shipment_to_another_ones_reference_is_refused(api):
    first = api("post", "/shipments", _shipment()).json()
    second = api(
        "post", "/shipments", _shipment(reference="PO-2026-0143", entry_number="", kind="planned")
    ).json()
    renamed = api(
        "put",
        f"/shipments/{second['id']}",
        _shipment(reference=first["reference"], entry_number="", kind="planned"),
    )
    assert renamed.status_code == 400
    assert [d["field"] for d in renamed.json()["error"]["details"]] == ["reference"]


def test_another_organizations_shipment_is_not_found(api, alice, bob):
    theirs = api("post", "/shipments", _shipment(), bearer=_token(bob))
    assert theirs.status_code == 201
    shipment_id = theirs.json()["id"]
    assert api("get", f"/shipments/{shipment_id}").status_code == 404
    assert api("put", f"/shipments/{shipment_id}", _shipment()).status_code == 404
    assert api("get", f"/shipments/{shipment_id}/check").status_code == 404
    opened = api(
        "post",
        "/cases",
        {"shipment_id": shipment_id, "basis": "wro", "notice_at": "2026-02-10"},
    )
    assert opened.status_code == 404
    assert api("get", "/shipments").json()["items"] == []
    assert Shipment.objects.get(pk=shipment_id).organization == bob.organization


def test_a_viewer_reads_but_cannot_write(api, alice, victor):
    mine = api("post", "/shipments", _shipment()).json()
    viewer = _token(victor)
    assert api("get", f"/shipments/{mine['id']}", bearer=viewer).status_code == 200
    refused = api("post", "/shipments", _shipment(reference="PO-2"), bearer=viewer)
    assert refused.status_code == 403
    assert "Analyst" in refused.json()["error"]["message"]
    assert api("put", f"/shipments/{mine['id']}", _shipment(), bearer=viewer).status_code == 403
    opened = api(
        "post",
        "/cases",
        {"shipment_id": mine["id"], "basis": "wro", "notice_at": "2026-02-10"},
        bearer=viewer,
    )
    assert opened.status_code == 403
    assert Shipment.objects.count() == 1
    assert not DetentionCase.objects.exists()


CSV_HEADER = "reference,entry_number,port_code,importation_date,line,description,hts_code\n"


def test_an_import_with_one_bad_row_names_it_and_stores_nothing(csrf_client, api, alice):
    token = _token(alice)
    rows = (
        CSV_HEADER
        + f"PO-1,{ENTRY},2704,2026-01-31,1,Cotton T-shirts,6109.10\n"
        + f"PO-1,{ENTRY},2704,2026-01-31,2,Cotton scarves,6117.10\n"
        + "PO-2,,2704,2026-02-03,1,Denim trousers,not-a-code\n"
    )

    def send(data: str, **form):
        upload = SimpleUploadedFile("shipments.csv", data.encode(), content_type="text/csv")
        return csrf_client.post(
            "/api/v1/shipments/import",
            {"file": upload, **form},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    refused = send(rows)
    assert refused.status_code == 400, refused.content
    error = refused.json()["error"]
    assert "nothing was imported" in error["message"]
    assert [(d["row"], d["column"]) for d in error["details"]] == [("4", "hts_code")]
    assert error["details"][0]["found"] == "not-a-code"
    assert not Shipment.objects.exists()
    assert not AuditEvent.objects.filter(action="import.shipments").exists()

    good = rows.rsplit("PO-2", 1)[0]
    checked = send(good, dry_run="true")
    assert checked.status_code == 200, checked.content
    assert (checked.json()["dry_run"], checked.json()["created"]) == (True, 1)
    assert not Shipment.objects.exists()
    stored = send(good)
    assert stored.status_code == 200, stored.content
    assert stored.json()["created"] == 1
    assert Shipment.objects.get().lines.count() == 2


def test_a_wro_case_has_proof_of_admissibility_due_three_months_after_importation(api, alice):
    shipment = api("post", "/shipments", _shipment()).json()
    opened = api(
        "post",
        "/cases",
        {
            "shipment_id": shipment["id"],
            "basis": "wro",
            "notice_at": "2026-02-10",
            "cbp_reference": "WRO-LA-0099",
            "line_ids": [shipment["lines"][1]["id"]],
        },
    )
    assert opened.status_code == 201, opened.content
    case = opened.json()
    assert (case["number"], case["status"], case["basis"]) == (1, "detained", "wro")
    assert case["line_ids"] == [shipment["lines"][1]["id"]]
    assert case["entry_number"] == ENTRY
    read = api("get", f"/cases/{case['id']}").json()
    by_key = {d["key"]: d for d in read["deadlines"]}
    proof = by_key["proof_of_admissibility"]
    assert proof["due"] == proof["computed"] == "2026-04-30"
    assert proof["citation"].startswith("19 CFR 12.43")
    assert "2026" in proof["explanation"]
    assert proof["override_reason"] == ""
    assert isinstance(proof["days_left"], int)
    listed = api("get", "/cases?open=true").json()
    assert [c["number"] for c in listed["items"]] == [1]

    wrong = api(
        "post", "/cases", {"shipment_id": shipment["id"], "basis": "x", "notice_at": "2026-02-10"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["details"][0]["field"] == "basis"

    moved = api("post", f"/cases/{case['id']}/status", {"status": "preparing", "note": "Counsel"})
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "preparing"
    backwards = api("post", f"/cases/{case['id']}/status", {"status": "detained"})
    assert backwards.status_code == 400
    assert backwards.json()["error"]["details"][0]["field"] == "status"


def test_the_lines_of_a_case_are_looked_up_in_one_query_and_each_must_be_the_shipments(
    api, alice, bob
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chainproof.cases.models import ShipmentLine

    shipment = api("post", "/shipments", _shipment()).json()
    other = api("post", "/shipments", _shipment(reference="PO-2026-0143", entry_number="")).json()
    theirs = api("post", "/shipments", _shipment(), bearer=_token(bob)).json()["lines"][0]["id"]
    mine = [line["id"] for line in shipment["lines"]]

    def open_case(line_ids):
        body = {"shipment_id": shipment["id"], "basis": "wro", "notice_at": "2026-02-10"}
        return api("post", "/cases", {**body, "line_ids": line_ids})

    unknown = max(ShipmentLine.objects.values_list("pk", flat=True)) + 1
    for foreign in (other["lines"][0]["id"], theirs, unknown):
        refused = open_case([mine[0], foreign])
        assert refused.status_code == 404, (foreign, refused.content)
    assert not DetentionCase.objects.exists()

    many = [mine[0], mine[1]] * 2_000  # repeats name the same two lines
    with CaptureQueriesContext(connection) as queries:
        opened = open_case(many)
    assert opened.status_code == 201, opened.content
    assert opened.json()["line_ids"] == sorted(mine)
    assert 0 < len(queries.captured_queries) < 100, len(queries.captured_queries)  # not per id


def test_a_deadline_date_set_by_hand_needs_a_reason(api, alice):
    shipment = api("post", "/shipments", _shipment()).json()
    case = api(
        "post", "/cases", {"shipment_id": shipment["id"], "basis": "wro", "notice_at": "2026-02-10"}
    ).json()
    url = f"/cases/{case['id']}/deadlines/proof_of_admissibility"

    no_reason = api("post", url, {"due": "2026-05-15"})
    assert no_reason.status_code == 400
    assert [d["field"] for d in no_reason.json()["error"]["details"]] == ["reason"]
    unknown = api(
        "post",
        f"/cases/{case['id']}/deadlines/uflpa_response",
        {"due": "2026-05-15", "reason": "x"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"][0]["field"] == "rule"

    set_by_hand = api("post", url, {"due": "2026-05-15", "reason": "CBP granted an extension"})
    assert set_by_hand.status_code == 200, set_by_hand.content
    proof = {d["key"]: d for d in set_by_hand.json()["deadlines"]}["proof_of_admissibility"]
    assert (proof["due"], proof["computed"]) == ("2026-05-15", "2026-04-30")
    assert proof["override_reason"] == "CBP granted an extension"
    assert AuditEvent.objects.filter(action="cases.deadline_overridden").count() == 1

    restored = api("post", url, {"due": None})
    proof = {d["key"]: d for d in restored.json()["deadlines"]}["proof_of_admissibility"]
    assert (proof["due"], proof["override_reason"]) == ("2026-04-30", "")


def test_exhibits_and_a_package_version_through_the_api(api, alice, bob):
    shipment = api("post", "/shipments", _shipment()).json()
    case = api(
        "post", "/cases", {"shipment_id": shipment["id"], "basis": "wro", "notice_at": "2026-02-10"}
    ).json()
    assert api("post", f"/cases/{case['id']}/packages").status_code == 400  # no exhibit yet
    mine = _document(alice, b"No recruitment fees, ever.\n")
    theirs = _document(bob, b"Borealis wage policy\n")
    refused = api("post", f"/cases/{case['id']}/exhibits", {"document_ids": [theirs.pk]})
    assert refused.status_code == 404
    added = api("post", f"/cases/{case['id']}/exhibits", {"document_ids": [mine.pk]})
    assert added.status_code == 201, added.content
    assert [(e["position"], e["document_id"]) for e in added.json()["exhibits"]] == [(1, mine.pk)]
    assert api("get", f"/cases/{case['id']}/packages").json() == []

    built = api("post", f"/cases/{case['id']}/packages")
    assert built.status_code == 201, built.content
    package = built.json()
    assert (package["version"], package["exhibit_count"]) == (1, 1)
    assert package["file_name"] == "case-1-package-1.zip"
    assert package["built_by"] == "alice"
    assert [p["version"] for p in api("get", f"/cases/{case['id']}/packages").json()] == [1]


def _document(member, data: bytes):
    received = file_receive(io.BytesIO(data), "policy.txt")
    with transaction.atomic():
        return document_create(
            organization=member.organization, actor=member.user, received=received
        )
