"""chainproof.bulk's inserts on the database under test (COPY on PostgreSQL, executemany on
SQLite) store exactly what the ORM's own save stores, refuse a broken rule as Django's
IntegrityError with nothing written, and leave a supplier import's rows and audit trail as
they are with executemany."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from chainproof import bulk
from chainproof.audit.models import AuditEvent
from chainproof.audit.selectors import verify_organization_chain
from chainproof.bulk import (
    insert,
    insert_dicts,
    insert_lists,
    insert_rows,
    insert_values,
    new_instance,
)
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import Facility, Material, Supplier, SupplyLink

pytestmark = pytest.mark.django_db

COLUMNS = [f.attname for f in Facility._meta.concrete_fields if not f.primary_key]
PLUS_8 = timezone(timedelta(hours=8))

# Values whose stored form is easy to get wrong when rows go as COPY text: COPY's own
# markers (tab, newline, backslash, \N as text), empty text beside NULL, CJK and emoji,
# JSON with nested Unicode and escapes, decimals at full scale, dates, datetimes with
# microseconds in another zone, both booleans, integers at the column's edges.
ROWS = [
    {
        "name": "宁波星纺织有限公司 😀",
        "native_name": "\\N",
        "address": "1 Road\tUnit 2\n2nd floor \\ back\\slash\r\nend",
        "city": "",
        "subdivision": "Zhejiang",
        "postal_code": "\\.",
        "country": "CN",
        "latitude": Decimal("-44.305123"),
        "longitude": Decimal("179.000001"),
        "activities": ["processing", "染色", {"nested": ["😀", "tab\there", 'q"uote\\']}],
        "products_made": "",
        "total_workers": 0,
        "total_workers_max": 2147483647,
        "migrant_workers": None,
        "figures_date": date(1999, 12, 31),
        "in_xinjiang": True,
        "attributes": {"列": {"值": ["Çalık", None, 1.5, 10**18, True]}, "": ""},
        "notes": "NULL",
        "created_at": datetime(2026, 2, 1, 23, 59, 59, 999999, tzinfo=PLUS_8),
        "updated_at": datetime(2026, 2, 1, 15, 59, 59, 999999, tzinfo=UTC),
    },
    {
        "name": "Plain Mill",
        "native_name": "",
        "address": "",
        "country": "VN",
        "latitude": None,
        "longitude": Decimal("0.000000"),
        "activities": [],
        "total_workers": None,
        "figures_date": None,
        "in_xinjiang": False,
        "attributes": {},
        "notes": "",
        "created_at": datetime(1970, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2038, 1, 19, 3, 14, 8, 1, tzinfo=UTC),
    },
]


def _values(org, index):
    facility = Facility(organization_id=org.pk, normalized_name=f"row {index}", **ROWS[index])
    return {name: getattr(facility, name) for name in COLUMNS}


def _stored(pk):
    """The row as the database holds it, read with raw SQL (the id left out)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Facility._meta.get_field(n).column) for n in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM suppliers_facility WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def _through_orm(org, index):
    facility = Facility(**_values(org, index))
    facility.save()
    return facility.pk


def _through_insert(org, index):
    facility = new_instance(Facility, _values(org, index))
    insert([facility])
    return facility.pk


def _through_insert_values(org, index):
    values = _values(org, index)
    before = set(Facility.objects.values_list("pk", flat=True))
    assert insert_values(Facility, list(values), iter([list(values.values())])) == 1
    (pk,) = set(Facility.objects.values_list("pk", flat=True)) - before
    return pk


def _through_insert_values_plain(org, index):
    """insert_values with the promise of plain JSON (orjson encodes where rows go by COPY)."""
    values = _values(org, index)
    before = set(Facility.objects.values_list("pk", flat=True))
    assert insert_values(Facility, list(values), iter([list(values.values())]), plain_json=True)
    (pk,) = set(Facility.objects.values_list("pk", flat=True)) - before
    return pk


def _through_insert_lists(org, index):
    values = _values(org, index)
    (pk,) = insert_lists(Facility, list(values), [list(values.values())])
    return pk


def _through_insert_dicts(org, index):
    (pk,) = insert_dicts(Facility, [_values(org, index)])
    return pk


@pytest.mark.parametrize(
    "write",
    [
        _through_insert,
        _through_insert_values,
        _through_insert_values_plain,
        _through_insert_lists,
        _through_insert_dicts,
    ],
)
@pytest.mark.parametrize("index", range(len(ROWS)))
def test_every_column_type_is_stored_as_the_orm_stores_it(alice, write, index):
    org = alice.organization
    with transaction.atomic():
        reference = _through_orm(org, index)
        written = write(org, index)
    assert written != reference
    assert _stored(written) == _stored(reference)
    stored = Facility.objects.get(pk=written)
    # Not only as the ORM stores it: as given (but the line ends the text rule unifies).
    given = {**ROWS[index], "address": ROWS[index]["address"].replace("\r\n", "\n")}
    for name, value in given.items():
        assert getattr(stored, name) == value, name


# JSON values the fast encoder (orjson, where values go by COPY) refuses or treats apart:
# keys that are not strings, an integer beyond 64 bits, a str subclass, a date and a
# Decimal (the field's encoder decides), and a list given as a tuple.
class _Label(str):
    pass


ODD_JSON = [
    {1: "one", "2": [2**70, -(2**64)]},
    {"label": _Label("subclass"), "items": ("a", "b")},
    [{"nested": {True: None}}],
]


@pytest.mark.parametrize("value", ODD_JSON, ids=["int keys", "subclass and tuple", "bool key"])
@pytest.mark.parametrize(
    "write",
    [_through_insert_values, _through_insert_values_plain, _through_insert_lists, _through_insert],
)
def test_json_the_fast_encoder_refuses_is_stored_as_the_orm_stores_it(alice, write, value):
    org = alice.organization
    ROWS.append({**ROWS[1], "attributes": value, "activities": [value]})
    try:
        with transaction.atomic():
            reference = _through_orm(org, len(ROWS) - 1)
            written = write(org, len(ROWS) - 1)
    finally:
        ROWS.pop()
    assert _stored(written) == _stored(reference)
    stored = Facility.objects.get(pk=written)
    assert stored.attributes == Facility.objects.get(pk=reference).attributes
    assert stored.attributes == json.loads(json.dumps(value))


@pytest.mark.parametrize(
    "write", [_through_orm, _through_insert_values, _through_insert_values_plain, _through_insert]
)
def test_a_float_that_is_not_a_number_is_refused_as_the_orm_refuses_it(alice, write):
    """JSON has no NaN: the database refuses it (never a silent null, whatever encodes it)."""
    org = alice.organization
    ROWS.append({**ROWS[1], "attributes": {"points": float("nan"), "name": "kept?"}})
    try:
        with pytest.raises(DatabaseError), transaction.atomic():
            write(org, len(ROWS) - 1)
    finally:
        ROWS.pop()
    assert not Facility.objects.filter(organization=org).exists()


def _json(value):
    return connection.ops.adapt_json_value(value, None)


def test_a_broken_unique_rule_inside_the_stream_is_djangos_integrity_error_with_nothing_kept(
    alice,
):
    org = alice.organization
    taken = Material.objects.create(organization=org, name="Cotton", normalized_name="cotton")
    columns = ["id", "organization_id", "name", "normalized_name", "description", "dol_goods"]
    columns += ["high_scrutiny_sector", "created_at", "updated_at"]
    now = datetime(2026, 1, 1, tzinfo=UTC)

    with transaction.atomic():
        first, second = bulk.reserve_ids(Material, 2)

    def rows():
        yield [first, org.pk, "Steel", "steel", "", _json([]), "", now, now]
        yield [second, org.pk, "Iron", "iron", "", _json([]), "", now, now]
        yield [taken.pk, org.pk, "Copper", "copper", "", _json([]), "", now, now]

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Material, columns, rows())
    # The transaction rolled back and stays usable: nothing of the stream was kept.
    assert list(Material.objects.filter(organization=org).values_list("name", flat=True)) == [
        "Cotton"
    ]
    Material.objects.create(organization=org, name="Wool", normalized_name="wool")


def test_an_error_while_producing_rows_is_raised_as_it_is_with_nothing_kept(alice):
    org = alice.organization
    now = datetime(2026, 1, 1, tzinfo=UTC)
    columns = ["organization_id", "name", "normalized_name", "created_at", "updated_at"]

    def rows():
        yield [org.pk, "Steel", "steel", now, now]
        raise ValueError("the file ended early")

    with pytest.raises(ValueError, match="the file ended early"), transaction.atomic():
        insert_values(Material, columns, rows())
    assert not Material.objects.filter(organization=org).exists()
    with transaction.atomic():
        assert insert_values(Material, columns, iter([[org.pk, "Wool", "wool", now, now]])) == 1
    assert Material.objects.get(organization=org).name == "Wool"


def test_the_insert_is_one_logged_statement_on_postgresql_and_chunks_on_sqlite(alice, monkeypatch):
    """Query logs (DEBUG, CaptureQueriesContext) and the connection's execute wrappers see
    the insert as they see every other statement."""
    monkeypatch.setattr(bulk, "CHUNK", 2)
    wrapped = []

    def spy(execute, sql, params, many, context):
        wrapped.append(sql)
        return execute(sql, params, many, context)

    org = alice.organization
    now = datetime(2026, 1, 1, tzinfo=UTC)
    columns = ["organization_id", "name", "normalized_name", "created_at", "updated_at"]
    rows = ([org.pk, f"M{i}", f"m{i}", now, now] for i in range(5))
    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(spy),
        transaction.atomic(),
    ):
        assert insert_values(Material, columns, rows) == 5
    written = [q["sql"] for q in captured.captured_queries if "suppliers_material" in q["sql"]]
    written = [sql for sql in written if "SELECT" not in sql]
    assert [sql for sql in wrapped if sql.startswith(("COPY", "INSERT"))] == [
        sql.split(" times: ", 1)[-1] for sql in written
    ]
    if connection.vendor == "postgresql":
        assert len(written) == 1
        assert written[0].startswith('COPY "suppliers_material" (')
    else:
        assert len(written) == 3  # 2 + 2 + 1 rows
        assert all("INSERT INTO" in sql for sql in written)
    assert Material.objects.filter(organization=org).count() == 5


# Every column but those under a unique rule (organization, ref, Open Supply Hub id): an
# update of those is one statement per row (test below).
UPDATED = [c for c in COLUMNS if c not in ("organization_id", "ref", "os_id")]


@pytest.mark.parametrize("through_copy", [True, False], ids=["from-copy", "statements"])
@pytest.mark.parametrize("index", range(len(ROWS)))
def test_an_update_stores_every_column_type_as_the_orm_stores_it(
    alice, monkeypatch, through_copy, index
):
    """On PostgreSQL, from UPDATE_THROUGH_COPY_AT rows, an update goes through COPY into a
    temporary table: what it stores is what save() stores, as with one statement per row."""
    monkeypatch.setattr(bulk, "UPDATE_THROUGH_COPY_AT", 1 if through_copy else 10**9)
    org = alice.organization
    other = len(ROWS) - 1 - index
    with transaction.atomic():
        reference = _through_orm(org, index)
        changed = [Facility.objects.get(pk=_through_orm(org, other)) for _ in range(3)]
        untouched = _through_orm(org, other)
        before = _stored(untouched)
        for facility in changed:
            for name, value in _values(org, index).items():
                if name in UPDATED:
                    setattr(facility, name, value)
        with CaptureQueriesContext(connection) as captured:
            assert bulk.update(changed, UPDATED) == 3
    reference_row = dict(zip(COLUMNS, _stored(reference), strict=True))
    for facility in changed:
        row = dict(zip(COLUMNS, _stored(facility.pk), strict=True))
        assert {c: row[c] for c in UPDATED} == {c: reference_row[c] for c in UPDATED}
    assert _stored(untouched) == before
    statements = [q["sql"] for q in captured.captured_queries]
    copied = [sql for sql in statements if sql.startswith("COPY")]
    if through_copy and connection.vendor == "postgresql":
        assert len(copied) == 1
        assert copied[0].startswith('COPY pg_temp."chainproof_bulk_update" (')
    else:
        assert not copied
    # The temporary table does not outlive the update.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('pg_temp.chainproof_bulk_update')")
            assert cursor.fetchone() == (None,)


@pytest.mark.parametrize("through_copy", [True, False], ids=["from-copy", "statements"])
def test_an_update_naming_a_record_twice_keeps_the_last_values(alice, monkeypatch, through_copy):
    monkeypatch.setattr(bulk, "UPDATE_THROUGH_COPY_AT", 1 if through_copy else 10**9)
    org = alice.organization
    material = Material.objects.create(organization=org, name="Cotton", normalized_name="cotton")
    first = Material.objects.get(pk=material.pk)
    first.description = "first"
    second = Material.objects.get(pk=material.pk)
    second.description = "second"
    with transaction.atomic():
        bulk.update([first, second], ["description"])
    material.refresh_from_db()
    assert material.description == "second"


def test_an_update_of_a_unique_column_is_one_statement_per_row_in_the_callers_order(
    alice, monkeypatch
):
    """Values passed along a unique column (the second takes a name the first gives up)
    work in the caller's order; PostgreSQL would check the rule row by row within one
    UPDATE ... FROM in an order of its own, so such an update never goes through COPY."""
    monkeypatch.setattr(bulk, "UPDATE_THROUGH_COPY_AT", 1)
    org = alice.organization
    names = ["cotton", "steel", "wool"]
    materials = [
        Material.objects.create(organization=org, name=n.title(), normalized_name=n) for n in names
    ]
    materials[0].normalized_name = "linen"
    materials[1].normalized_name = "cotton"  # given up by the first, in the same update
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        assert bulk.update(materials[:2], ["normalized_name"]) == 2
    assert not [q for q in captured.captured_queries if q["sql"].startswith("COPY")]
    stored = Material.objects.filter(organization=org).order_by("pk")
    assert list(stored.values_list("normalized_name", flat=True)) == ["linen", "cotton", "wool"]

    materials[0].normalized_name = "silk"
    materials[1].normalized_name = "wool"  # taken by the third
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.update(materials[:2], ["normalized_name"])
    assert list(stored.values_list("normalized_name", flat=True)) == ["linen", "cotton", "wool"]


@pytest.mark.parametrize("through_copy", [True, False], ids=["from-copy", "statements"])
def test_an_update_breaking_a_rule_changes_nothing_and_the_next_one_works(
    alice, monkeypatch, through_copy
):
    monkeypatch.setattr(bulk, "UPDATE_THROUGH_COPY_AT", 1 if through_copy else 10**9)
    org = alice.organization
    mills = [
        Facility.objects.create(organization=org, name=n, normalized_name=n.lower(), country="CN")
        for n in ("Mill A", "Mill B")
    ]
    mills[0].country = "VN"
    mills[1].country = None  # the column may not be empty
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.update(mills, ["country"])
    stored = Facility.objects.filter(organization=org).order_by("pk")
    assert list(stored.values_list("country", flat=True)) == ["CN", "CN"]
    mills[1].country = "BD"
    with transaction.atomic():
        assert bulk.update(mills, ["country"]) == 2
    assert list(stored.values_list("country", flat=True)) == ["VN", "BD"]


SUPPLIERS = (
    "ref,legal_name,native_name,country,contact_email,tags,aliases,notes\n"
    'S-1,Ningbo Star Textiles Co Ltd,宁波星纺织有限公司,CN,a@star.example,"cotton|染色",'
    '"Star Tex|星纺 😀",\n'
    'S-2,"Çalık Denim, Inc.",,TR,,,,"line one\nline\ttwo \\ N"\n'
    "S-3,Song Hong Sewing,,VN,,,,\\N\n"
)
FACILITIES = (
    "ref,name,supplier,country,address,city,total_workers,latitude,longitude\n"
    'F-1,Star Mill 1,S-1,CN,"1 Road\n2nd floor",宁波,1001-5000,29.868336,121.543990\n'
    "F-2,Çalık Mill,S-2,TR,,,,,\n"
)
MATERIALS = "name,description\nCotton,棉花 raw\n"
LINKS = "from_facility,to_facility,material,valid_from\nF-1,F-2,Cotton,2025-01-31\n"


def _import_all(member):
    lists = {"suppliers": SUPPLIERS, "facilities": FACILITIES, "materials": MATERIALS}
    for entity, text in {**lists, "links": LINKS}.items():
        run_import(
            organization=member.organization,
            actor=member.user,
            entity=entity,
            data=text.encode("utf-8"),
            file_name=f"{entity}.csv",
        )


def _no_ids(payload):
    """An event's payload without the ids of other records (each organization has its own)."""
    if not isinstance(payload, dict):
        return payload
    return {k: v for k, v in payload.items() if not k.endswith("_id")}


def _records(org):
    skip = {"id", "organization", "created_at", "updated_at"}
    suppliers = [
        {
            f.attname: getattr(s, f.attname)
            for f in Supplier._meta.concrete_fields
            if f.name not in skip
        }
        for s in Supplier.objects.filter(organization=org).order_by("ref")
    ]
    facilities = [
        {
            **{
                f.attname: getattr(x, f.attname)
                for f in Facility._meta.concrete_fields
                if f.name not in skip | {"supplier"}
            },
            "supplier": x.supplier.ref,
        }
        for x in Facility.objects.filter(organization=org).order_by("ref")
    ]
    links = [
        (link.source_facility.ref, link.target_facility.ref, link.material.name, link.valid_from)
        for link in SupplyLink.objects.filter(organization=org)
    ]
    events = [
        (e.action, e.object_type, e.object_repr, _no_ids(e.before), _no_ids(e.after), e.keyed)
        for e in AuditEvent.objects.filter(organization=org).order_by("seq")
        if not e.action.startswith(("organization", "membership", "user"))
    ]
    return suppliers, facilities, links, events


def test_a_supplier_import_stores_the_same_rows_and_audit_trail_with_copy_and_executemany(
    alice, bob, refdata, monkeypatch, capsys
):
    _import_all(alice)  # COPY on PostgreSQL
    monkeypatch.setattr(bulk, "COPY_ON_POSTGRESQL", False)
    _import_all(bob)  # executemany everywhere
    copied, sent = _records(alice.organization), _records(bob.organization)
    suppliers, facilities, links, events = copied
    assert [s["ref"] for s in suppliers] == ["S-1", "S-2", "S-3"]
    assert suppliers[0]["native_name"] == "宁波星纺织有限公司"
    assert suppliers[0]["aliases"] == ["Star Tex", "星纺 😀"]
    assert suppliers[0]["tags"] == ["cotton", "染色"]
    assert suppliers[1]["notes"] == "line one\nline\ttwo \\ N"
    assert suppliers[2]["notes"] == "\\N"
    assert facilities[0]["address"] == "1 Road\n2nd floor"
    assert facilities[0]["latitude"] == Decimal("29.868336")
    assert links == [("F-1", "F-2", "Cotton", date(2025, 1, 31))]
    assert len(events) >= 6
    assert copied == sent
    for member in (alice, bob):
        assert verify_organization_chain(member.organization.pk).first_break is None
        call_command("audit", "verify", "--organization", member.organization.slug)
        assert "chain intact" in capsys.readouterr().out
