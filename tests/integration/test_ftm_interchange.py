"""The supply chain as FollowTheMoney entities: every exported entity passes the library's
own validation, and an export imported into a fresh organization exports the same graph."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from followthemoney import model
from followthemoney.exc import InvalidData

from chainproof.audit.models import AuditEvent
from chainproof.interchange.ftm_export import ftm_lines
from chainproof.interchange.ftm_import import ftm_import
from chainproof.interchange.ftm_reading import FtmImportFailed
from chainproof.suppliers.models import Facility, Supplier, SupplierIdentifier, SupplyLink
from tests.conftest import make_member
from tests.supply import load_demo

pytestmark = pytest.mark.django_db


def export_of(org) -> list[dict]:
    return [json.loads(line) for line in b"".join(ftm_lines(org)).splitlines()]


@pytest.fixture
def demo(alice, refdata):
    load_demo(alice.organization)
    return alice


def test_every_exported_entity_passes_the_librarys_validation(demo):
    entities = export_of(demo.organization)
    schemata = Counter(e["schema"] for e in entities)
    assert schemata["Company"] == Supplier.objects.count() + Facility.objects.count() + 1
    assert schemata["UnknownLink"] == SupplyLink.objects.count() > 0
    assert schemata["Control"] == Facility.objects.filter(supplier__isnull=False).count() > 0
    assert schemata["Address"] > 0
    assert schemata["Ownership"] == Supplier.objects.filter(parent__isnull=False).count() > 0
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for data in entities:
        schema = model.get(data["schema"])
        # The library's strict validation: every value valid for its type, nothing unknown.
        schema.validate(data)
        proxy = model.get_proxy(data, cleaned=False)  # every value cleaned again: none lost
        assert {k: len(v) for k, v in proxy.to_dict()["properties"].items()} == {
            k: len(v) for k, v in data["properties"].items()
        }
        assert all(proxy.get(name) for name in schema.required)
        for prop in proxy.iterprops():  # every reference names an entity of the file
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= set(ids), (data["id"], prop.name)


def test_the_library_refuses_what_the_validation_is_meant_to_catch():
    """The check above can fail: a bad value fails Schema.validate."""
    with pytest.raises(InvalidData):
        model.get("Company").validate({"properties": {"incorporationDate": ["not a date"]}})


def test_identifiers_and_names_are_in_the_ftm_properties(demo):
    supplier = Supplier.objects.filter(identifiers__scheme="duns").first()
    assert supplier is not None
    assert supplier.native_name
    entities = {e["id"]: e for e in export_of(demo.organization)}
    prefix = f"chainproof-{demo.organization.slug}"
    data = entities[f"{prefix}-supplier-{supplier.pk}"]["properties"]
    assert data["name"] == [supplier.legal_name, supplier.native_name]
    assert data["dunsCode"] == [supplier.identifiers.get(scheme="duns").value]
    assert data["country"] == [supplier.country.lower()]


def _graph(org) -> dict:
    """The graph with ids replaced by what each end is (ids differ between organizations)."""
    entities = export_of(org)
    by_id = {e["id"]: e for e in entities}

    def label(entity_id: str) -> tuple:
        props = by_id[entity_id]["properties"]
        keywords = tuple(props.get("keywords", [])[:1])
        name = "the importer" if keywords == ("chainproof:importer",) else props["name"][0]
        return (by_id[entity_id]["schema"], keywords, name)

    nodes, edges = Counter(), Counter()
    for e in entities:
        props = {k: tuple(sorted(v)) for k, v in e["properties"].items()}
        if e["schema"] in ("UnknownLink", "Control", "Ownership"):
            ends = [
                p
                for p, v in e["properties"].items()
                if model.get(e["schema"]).get(p).type.name == "entity"
            ]
            edges[
                (
                    e["schema"],
                    *(label(e["properties"][p][0]) for p in sorted(ends)),
                    *((k, v) for k, v in sorted(props.items()) if k not in ends),
                )
            ] += 1
        elif e["schema"] == "Address":
            nodes[("Address", *sorted(props.items()))] += 1
        elif "chainproof:importer" not in props.get("keywords", ()):
            nodes[
                (e["schema"], *((k, v) for k, v in sorted(props.items()) if k != "addressEntity"))
            ] += 1
    return {"nodes": nodes, "edges": edges}


def test_round_trip_into_a_fresh_organization_gives_the_same_graph(demo):
    data = b"".join(ftm_lines(demo.organization))
    fresh = make_member("Fresh Imports", "frida", "admin")
    report = ftm_import(
        organization=fresh.organization, actor=fresh.user, data=data, file_name="demo.ftm.json"
    )
    org, new = demo.organization, fresh.organization
    assert report.created["suppliers"] == Supplier.objects.filter(organization=org).count()
    for model_ in (Supplier, Facility, SupplyLink, SupplierIdentifier):
        assert (
            model_.objects.filter(organization=new).count()
            == model_.objects.filter(organization=org).count()
            > 0
        )
    assert sorted(
        Supplier.objects.filter(organization=new).values_list("country", flat=True)
    ) == sorted(Supplier.objects.filter(organization=org).values_list("country", flat=True))
    assert _graph(new) == _graph(org)
    # Written through the services: one audit event per record, and the import's own.
    assert AuditEvent.objects.filter(organization=new, action="supplier.created").count() == (
        Supplier.objects.filter(organization=new).count()
    )
    assert AuditEvent.objects.filter(organization=new, action="import.ftm").count() == 1
    # The same file again changes nothing.
    events = AuditEvent.objects.filter(organization=new).count()
    again = ftm_import(organization=new, actor=fresh.user, data=data, file_name="demo.ftm.json")
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert again.unchanged["links"] == SupplyLink.objects.filter(organization=new).count()
    assert AuditEvent.objects.filter(organization=new).count() == events + 1  # the import's own
    assert (
        SupplyLink.objects.filter(organization=new).count()
        == SupplyLink.objects.filter(organization=org).count()
    )


def test_an_opensanctions_company_becomes_a_supplier_with_its_identifiers(alice, refdata):
    lines = [
        {
            "id": "NK-abc123",
            "schema": "Company",
            "properties": {
                "name": ["Shenzhen Example Electronics Co., Ltd.", "深圳示例电子有限公司"],
                "alias": ["Example Electronics"],
                "dunsCode": ["654321987"],
                "registrationNumber": ["91440300MA5DC0QX7T"],
                "jurisdiction": ["cn"],
                "topics": ["sanction"],
            },
        },
        {"id": "p-1", "schema": "Person", "properties": {"name": ["Zhang Wei"]}},
        {
            "id": "own-1",
            "schema": "Ownership",
            "properties": {"owner": ["p-1"], "asset": ["NK-abc123"]},
        },
    ]
    data = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines).encode()
    report = ftm_import(
        organization=alice.organization, actor=alice.user, data=data, file_name="os.json"
    )
    supplier = Supplier.objects.get(organization=alice.organization)
    assert supplier.legal_name == "Shenzhen Example Electronics Co., Ltd."
    assert supplier.native_name == "深圳示例电子有限公司"
    assert supplier.aliases == ["Example Electronics"]
    assert supplier.country == "CN"
    assert dict(supplier.identifiers.values_list("scheme", "value")) == {
        "duns": "654321987",
        "uscc": "91440300MA5DC0QX7T",
    }
    assert report.skipped == {"Person": 1, "Ownership": 1}


def _refused(alice, text: str) -> FtmImportFailed:
    before = AuditEvent.objects.count()
    with pytest.raises(FtmImportFailed) as caught:
        ftm_import(
            organization=alice.organization,
            actor=alice.user,
            data=text.encode(),
            file_name="x.json",
        )
    assert Supplier.objects.filter(organization=alice.organization).count() == 0
    assert AuditEvent.objects.count() == before
    return caught.value


GOOD = json.dumps(
    {"id": "s-1", "schema": "Company", "properties": {"name": ["Good Co"], "country": ["vn"]}}
)


def test_a_line_that_is_not_json_is_named_and_nothing_is_stored(alice, refdata):
    failed = _refused(alice, GOOD + "\n{not json\n")
    assert [(p.line, p.entity_id) for p in failed.problems] == [(2, "")]
    assert "JSON" in failed.problems[0].message


def test_an_unknown_schema_is_named_with_its_line_and_id(alice, refdata):
    failed = _refused(
        alice, GOOD + "\n" + json.dumps({"id": "x-9", "schema": "Factory", "properties": {}})
    )
    assert (failed.problems[0].line, failed.problems[0].entity_id) == (2, "x-9")
    assert failed.problems[0].message.startswith("expected a schema of FollowTheMoney 4")
    assert failed.problems[0].message.endswith("found 'Factory'")


def test_a_company_without_a_name_is_refused(alice, refdata):
    failed = _refused(
        alice,
        GOOD
        + "\n"
        + json.dumps({"id": "c-2", "schema": "Company", "properties": {"country": ["cn"]}}),
    )
    assert (
        str(failed.problems[0])
        == "line 2, entity c-2: expected the required property name, found none"
    )


def test_a_bad_identifier_refuses_the_whole_file_after_earlier_entities_were_written(
    alice, refdata
):
    bad = {
        "id": "c-3",
        "schema": "Company",
        "properties": {"name": ["Bad Duns"], "country": ["cn"], "dunsCode": ["12345"]},
    }
    failed = _refused(alice, GOOD + "\n" + json.dumps(bad))
    assert (failed.problems[0].line, failed.problems[0].entity_id) == (2, "c-3")
    assert "DUNS" in failed.problems[0].message


def test_a_link_to_an_entity_missing_from_the_file_is_refused(alice, refdata):
    link = {
        "id": "l-1",
        "schema": "UnknownLink",
        "properties": {
            "subject": ["s-1"],
            "object": ["nowhere"],
            "role": ["supplier"],
            "summary": ["Material: Cotton"],
        },
    }
    failed = _refused(alice, GOOD + "\n" + json.dumps(link))
    assert (failed.problems[0].line, failed.problems[0].entity_id) == (2, "l-1")
    assert "nowhere" in failed.problems[0].message


def test_the_os_id_comes_in_through_the_open_supply_hub_mapping_and_matches_again(alice, refdata):
    from chainproof.suppliers.importing import run_import

    header = "os_id,name,address,country_code,lat,lng,number_of_workers\n"
    first = header + "CN2019303BQ3FZP,Hengtai Dyeing Plant,8 Weiyi Road,CN,30.0,120.58,1200\n"
    again = header + "cn2019303bq3fzp,Hengtai Dyeing Plant No. 2,8 Weiyi Road,CN,30.0,120.58,1300\n"
    for text in (first, again):
        run_import(
            organization=alice.organization,
            actor=alice.user,
            entity="facilities",
            data=text.encode(),
            file_name="osh.csv",
            mapping="open-supply-hub",
        )
    site = Facility.objects.get(organization=alice.organization)
    assert (site.os_id, site.ref, site.name, site.total_workers) == (
        "CN2019303BQ3FZP",
        "",
        "Hengtai Dyeing Plant No. 2",
        1300,
    )
    # Exported to FtM as the OS Hub address of the facility, and read back from it.
    data = b"".join(ftm_lines(alice.organization))
    assert b"https://opensupplyhub.org/facilities/CN2019303BQ3FZP" in data
    fresh = make_member("Fresh Imports", "frida", "admin")
    ftm_import(organization=fresh.organization, actor=fresh.user, data=data, file_name="a.json")
    assert Facility.objects.get(organization=fresh.organization).os_id == "CN2019303BQ3FZP"


def test_an_entity_that_matches_a_stored_supplier_fills_it_and_erases_nothing(alice, refdata):
    from django.db import transaction

    from chainproof.suppliers.services import supplier_save

    with transaction.atomic():
        stored = supplier_save(
            organization=alice.organization,
            actor=alice.user,
            data={
                "legal_name": "Acme Textiles Co., Ltd.",
                "country": "CN",
                "contact_email": "kept@acme.example",
                "status": "inactive",
            },
            identifiers=[{"scheme": "lei", "value": "5493001KJTIIGC8Y1R12"}],
        )
    entity = {
        "id": "os-1",
        "schema": "Company",
        "properties": {
            "name": ["ACME TEXTILES CO LTD"],
            "country": ["cn"],
            "dunsCode": ["123456789"],
            "website": ["https://acme.example"],
        },
    }
    data = json.dumps(entity).encode()
    report = ftm_import(
        organization=alice.organization, actor=alice.user, data=data, file_name="o.json"
    )
    assert report.updated["suppliers"] == 1
    stored.refresh_from_db()
    assert (stored.contact_email, stored.status, stored.website) == (
        "kept@acme.example",
        "inactive",
        "https://acme.example/",  # as FtM writes a URL
    )
    assert sorted(stored.identifiers.values_list("scheme", flat=True)) == ["duns", "lei"]
    assert Supplier.objects.filter(organization=alice.organization).count() == 1
