"""chainproof.bulk on the database under test (SQLite by default, PostgreSQL with
DATABASE_URL): ids, inserted values and updated columns read back through the ORM."""

import itertools
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import verify_organization_chain
from chainproof.audit.services import audit_key, audit_record, audit_record_many
from chainproof.bulk import (
    UPDATE_THROUGH_COPY_AT,
    insert,
    insert_values,
    new_instance,
    raw_rows,
    reserve_ids,
    update,
    update_values,
)
from chainproof.domain.hashing import canonical_text, chain_hash
from chainproof.suppliers.models import Facility, Material

pytestmark = pytest.mark.django_db


def _material(org, name):
    return Material.objects.create(organization=org, name=name, normalized_name=name.lower())


def test_reserve_ids_are_fresh_ascending_and_never_reuse_a_deleted_id(alice):
    org = alice.organization
    _material(org, "Cotton")
    last = _material(org, "Steel")
    deleted = last.pk
    last.delete()
    with transaction.atomic():
        ids = reserve_ids(Material, 3)
    assert len(ids) == 3
    assert ids == sorted(set(ids))
    assert min(ids) > deleted, connection.vendor
    assert reserve_ids(Material, 0) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a sequence of PostgreSQL's")
def test_reserve_ids_gives_the_values_taken_when_they_are_not_one_range(alice):
    """When the values taken are not one range (another session took some in between;
    here the sequence steps by 3), the keys given are exactly those taken, each free."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('suppliers_material', 'id')")
            (sequence,) = cursor.fetchone()
            cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 3")
        ids = reserve_ids(Material, 4)
        assert len(ids) == 4
        assert [b - a for a, b in itertools.pairwise(ids)] == [3, 3, 3]
        assert not Material.objects.filter(pk__in=ids).exists()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value FROM {sequence}")
            assert cursor.fetchone()[0] == ids[-1]
        transaction.set_rollback(True)


def test_insert_stores_every_type_as_the_orm_would_and_the_orm_continues_after(alice):
    org = alice.organization
    now = timezone.now()
    objects = [
        new_instance(
            Facility,
            {
                "organization_id": org.pk,
                "name": f"Mill {i}",
                "normalized_name": f"mill {i}",
                "country": "CN",
                "latitude": Decimal("44.305123"),
                "activities": ["processing", "packaging"],
                "figures_date": date(2025, 3, 1),
                "created_at": now,
                "updated_at": now,
            },
        )
        for i in range(3)
    ]
    with transaction.atomic():
        insert(objects)
    assert all(obj.pk for obj in objects)
    assert len(objects) == 3
    stored = Facility.objects.get(pk=objects[1].pk)
    assert stored.name == "Mill 1"
    assert stored.latitude == Decimal("44.305123")
    assert stored.longitude is None
    assert stored.activities == ["processing", "packaging"]
    assert stored.figures_date == date(2025, 3, 1)
    assert stored.created_at == now
    assert stored.kind == "factory"  # the model's default
    later = Facility.objects.create(organization=org, name="Later", country="CN")
    assert later.pk > max(obj.pk for obj in objects)


def test_update_writes_only_the_named_columns(alice):
    org = alice.organization
    first = _material(org, "Cotton")
    second = _material(org, "Steel")
    for obj, goods in ((first, ["Cotton"]), (second, ["Steel", "Iron"])):
        obj.dol_goods = goods
        obj.description = "not written"
    assert update([first, second], ["dol_goods"]) == 2
    assert update([], ["dol_goods"]) == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.dol_goods, first.description) == (["Cotton"], "")
    assert (second.dol_goods, second.description) == (["Steel", "Iron"], "")


@pytest.mark.parametrize("count", [3, UPDATE_THROUGH_COPY_AT + 50])
def test_update_values_sets_one_column_of_the_rows_named_and_nothing_else(alice, count):
    """Plain (values, key) rows, as tiers are written: a few by statements, many through
    COPY on PostgreSQL; NULL written as NULL; rows not named and other columns kept."""
    org = alice.organization
    now = timezone.now()
    objects = [
        new_instance(
            Facility,
            {
                "organization_id": org.pk,
                "name": f"Site {i}",
                "normalized_name": f"site {i}",
                "country": "VN",
                "tier": 9,
                "created_at": now,
                "updated_at": now,
            },
        )
        for i in range(count + 1)
    ]
    with transaction.atomic():
        insert(objects)
        *named, untouched = objects
        rows = [(None if i % 3 == 0 else i % 5 + 1, obj.pk) for i, obj in enumerate(named)]
        assert update_values(Facility, ["tier"], rows) == count
        assert update_values(Facility, ["tier"], []) == 0
    stored = dict(Facility.objects.filter(organization=org).values_list("pk", "tier"))
    assert {pk: stored[pk] for _, pk in rows} == {pk: tier for tier, pk in rows}
    assert stored[untouched.pk] == 9
    assert set(Facility.objects.filter(organization=org).values_list("name", flat=True)) == {
        f"Site {i}" for i in range(count + 1)
    }


def test_raw_rows_reads_a_values_list_query_in_chunks_as_the_orm_does_less_its_converters(alice):
    org = alice.organization
    made = [_material(org, f"Fibre {i}") for i in range(7)]
    query = (
        Material.objects.filter(organization=org, pk__in=[m.pk for m in made[1:]])
        .order_by("pk")
        .values_list("pk", "name", "organization_id")
    )
    rows = list(raw_rows(query, chunk=2))  # several chunks, the last one short
    assert rows == list(query)
    assert [r[1] for r in rows] == [f"Fibre {i}" for i in range(1, 7)]
    assert list(raw_rows(query.filter(name="no such fibre"))) == []
    assert list(raw_rows(query.filter(pk__in=[]))) == []  # no query at all


def test_bulk_audit_rows_store_none_as_null_and_hash_their_own_payload(alice):
    with transaction.atomic():
        audit_record_many(
            organization=alice.organization,
            actor=alice.user,
            entries=[
                {"action": "material.created", "object_id": 1, "after": {"name": "Cotton"}},
                {"action": "material.updated", "object_id": 1, "before": {"name": "Cotton"}},
            ],
        )
    created, updated = AuditEvent.objects.filter(action__startswith="material.").order_by("seq")
    assert AuditEvent.objects.filter(pk=created.pk, before__isnull=True).exists()
    assert AuditEvent.objects.filter(pk=updated.pk, after__isnull=True).exists()
    assert updated.prev_hash == created.hash
    for event in (created, updated):
        assert chain_hash(event.prev_hash, event.hash_payload(), audit_key()) == event.hash


def test_insert_values_cleans_text_and_json_as_every_save_does_and_stores_the_rest_as_is(alice):
    org = alice.organization
    now = timezone.now()
    columns = ("organization_id", "name", "normalized_name", "country", "activities")
    columns += ("created_at", "updated_at")
    shared = ["processing", "packaging"]
    rows = [
        (org.pk, "Plain mill", "plain mill", "CN", shared, now, now),
        (org.pk, "Mill \u200bhidden", "mill", "CN", shared, now, now),  # the same list again
        (org.pk, "Fabrik Müller", "fabrik müller", "DE", ["Färben", "tab\there"], now, now),
        (org.pk, "Back\\slash", "back", "CN", ["a\\b", "zero\u200bwidth"], now, now),
    ]
    with transaction.atomic():
        assert insert_values(Facility, columns, iter(rows)) == 4
    stored = {f.normalized_name: f for f in Facility.objects.filter(organization=org)}
    assert stored["plain mill"].activities == ["processing", "packaging"]
    assert stored["mill"].name == "Mill hidden"  # the invisible character removed
    assert stored["mill"].activities == ["processing", "packaging"]
    assert stored["fabrik müller"].name == "Fabrik Müller"
    assert stored["fabrik müller"].activities == ["Färben", "tab\there"]  # JSON: multiline
    assert stored["back"].name == "Back\\slash"
    assert stored["back"].activities == ["a\\b", "zerowidth"]
    assert stored["back"].created_at == now


def test_bulk_audit_from_a_generator_streamed_continues_the_chain_one_by_one_writes(
    alice, monkeypatch
):
    """Events read from a generator while they are inserted (in several statements where
    the database has no COPY: CHUNK) link to the events written one by one before and
    after them, each hashed over what is stored, their keys in the order of the chain."""
    monkeypatch.setattr("chainproof.bulk.CHUNK", 3)
    org = alice.organization

    def entries():
        for i in range(7):
            yield {
                "action": "facility.created",
                "object_type": "suppliers.facility",
                "object_id": i,
                "object_repr": f"Çalık Mill {i}",
                "after": {"name": f"Çalık Mill {i}", "workers": i, "tags": ["新疆", "x"]},
            }

    with transaction.atomic():
        audit_record(action="note.written", actor=alice.user, organization=org)
        assert audit_record_many(organization=org, actor=alice.user, entries=entries()) == 7
        assert audit_record_many(organization=org, actor=alice.user, entries=iter(())) == 0
        audit_record(action="note.written", actor=alice.user, organization=org)
    events = list(AuditEvent.objects.filter(organization=org).order_by("seq"))
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + len(events)))
    assert [e.pk for e in events] == sorted(e.pk for e in events)
    bulk = [e for e in events if e.action == "facility.created"]
    assert [e.object_id for e in bulk] == [str(i) for i in range(7)]
    assert bulk[2].after == {"name": "Çalık Mill 2", "workers": 2, "tags": ["新疆", "x"]}
    assert bulk[2].before is None
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
        assert chain_hash(event.prev_hash, event.hash_payload(), audit_key()) == event.hash
    verification = verify_organization_chain(org.pk)
    assert verification.first_break is None
    assert verification.checked == len(events)


def test_insert_cleans_hidden_characters_and_keeps_printable_text_as_it_is(alice):
    now = timezone.now()
    names = ["Mill\u200b One", "Mill  Two ", "Mill\x00Three"]
    objects = [
        new_instance(
            Facility,
            {
                "organization_id": alice.organization.pk,
                "name": name,
                "normalized_name": name.lower(),
                "country": "CN",
                "address": "1 Road\n2nd floor",
                "created_at": now,
                "updated_at": now,
            },
        )
        for name in names
    ]
    with transaction.atomic():
        insert(objects)
    stored = {f.pk: f for f in Facility.objects.filter(pk__in=[o.pk for o in objects])}
    assert [stored[o.pk].name for o in objects] == ["Mill One", "Mill  Two ", "MillThree"]
    assert stored[objects[0].pk].address == "1 Road\n2nd floor"


def test_bulk_audit_hashes_and_stores_awkward_values_as_one_by_one_writes_would(alice):
    """Values whose text is easy to get wrong when an event's hashed text is put together
    from parts: quotes, braces, control and non-BMP characters, floats, big numbers,
    nested lists and dicts, dates and decimals (normalised), an over-long description."""
    org = alice.organization
    awkward = {
        "z": 'say "hi" {x}: [1, 2]\\',
        "a": "tab\there\nline \x01 \u2028 😀 新疆",
        "m": [1.5, 1e-05, 10**20, True, None, {"b": 2, "a": {"}": "{"}}],
        "when": date(2026, 2, 1),
        "share": Decimal("12.50"),
    }
    with transaction.atomic():
        audit_record_many(
            organization=org,
            actor=alice.user,
            entries=[
                {
                    "action": 'odd."action}',
                    "object_type": "x{y}",
                    "object_id": 'id "1" {}',
                    "object_repr": "é" * 400,
                    "before": awkward,
                    "after": ["{", "}", {"": ""}],
                },
                {"action": "plain", "object_id": 2**70, "before": 3.25, "after": "just text"},
            ],
        )
    first, second = AuditEvent.objects.filter(
        organization=org, action__in=['odd."action}', "plain"]
    ).order_by("seq")
    assert first.object_repr == "é" * 300
    assert first.before["when"] == "2026-02-01"
    assert first.before["share"] == "12.50"
    assert first.before["m"][1] == 1e-05
    assert first.before["a"] == awkward["a"]
    assert second.object_id == str(2**70)
    assert (second.before, second.after) == (3.25, "just text")
    for event in (first, second):
        assert chain_hash(event.prev_hash, event.hash_payload(), audit_key()) == event.hash
    if connection.vendor == "sqlite":
        # The column holds the canonical text the event was hashed by (encoded once), which
        # reads back as the value the ORM would have stored.
        with connection.cursor() as cursor:
            cursor.execute("SELECT before, after FROM audit_auditevent WHERE id = %s", [first.pk])
            before_text, after_text = cursor.fetchone()
        assert after_text == '["{","}",{"":""}]'
        assert before_text == canonical_text(json.loads(before_text))
        assert json.loads(before_text) == json.loads(json.dumps(first.before))
        assert "新疆" in before_text  # not escaped
    assert verify_organization_chain(org.pk).first_break is None
