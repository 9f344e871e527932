"""Fast inserts and updates for large imports.

Django's bulk_create and bulk_update compile SQL value by value; for hundreds of
thousands of rows that costs minutes. These helpers keep the model layer's meaning
(values are adapted by the database backend's own ``connection.ops`` converters, ids
come from the table's own sequence) but send rows with ``executemany`` (SQLite) or one
``COPY ... FROM STDIN`` per call (PostgreSQL: the rows streamed, no statement per row).

Call them inside a transaction: on SQLite the write lock is held from BEGIN IMMEDIATE,
so reserving ids as MAX(id)+1.. cannot race; on PostgreSQL ids come from nextval().
No signals are sent and no model validation runs: callers validate first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from functools import lru_cache, partial
from operator import itemgetter
from types import MappingProxyType
from typing import Any
from weakref import WeakSet

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.base import ModelState

from chainproof.common.signals import SKIPPED_APPS, clean_field_value
from chainproof.domain.hashing import reusable_encode

CHUNK = 5000
# PostgreSQL takes inserted rows with COPY (one stream per call instead of a statement per
# row); False sends them with executemany there too, as on SQLite (tests compare the two).
COPY_ON_POSTGRESQL = True

Adapter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _memo(function: Adapter) -> Adapter:
    """Adapt repeated values once: a batch shares its created/updated timestamps."""
    cache: dict[Any, Any] = {}

    def adapt(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = function(value)
            return result

    return adapt


class JsonText(str):
    """A JSON column's value given as its JSON text already (the audit trail has the
    canonical text of what it hashes): stored as it is where the backend stores text,
    not encoded a second time."""


def _json_as_text() -> bool:
    """Whether rows inserted now go by COPY, where a JSON column takes its JSON text (the
    server parses it for the column's type, as it would a bound parameter): each value is
    encoded once, here, not wrapped for psycopg to encode again (and a ``JsonText``, which
    is its text already, not decoded to be encoded again)."""
    return connection.vendor == "postgresql" and COPY_ON_POSTGRESQL


def _adapter(field: models.Field[Any, Any], *, json_as_text: bool = False) -> Adapter:
    """How ``field``'s values are given to the driver; ``json_as_text`` (only for rows sent
    by COPY: see ``_json_as_text``) gives a JSON column's values as their text."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        if json_as_text or type(ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value:
            # The backend stores json.dumps(value, cls=encoder): the same text from one
            # encoder made once, rather than one made per value.
            encode = reusable_encode((encoder or json.JSONEncoder)())
            return lambda v: None if v is None else str(v) if type(v) is JsonText else encode(v)

        # None is SQL NULL, as the ORM stores it (JSON null would be a value).
        def adapt_json(value: Any) -> Any:
            if value is None:
                return None
            if type(value) is JsonText:
                value = json.loads(value)
            return ops.adapt_json_value(value, encoder)

        return adapt_json
    if isinstance(field, models.DateTimeField):
        return _memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memo(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, digits, places)
    return _identity


@lru_cache(maxsize=64)
def _defaults(model: Any) -> Mapping[str, Any]:
    return MappingProxyType(
        {
            field.attname: field.get_default()
            for field in model._meta.concrete_fields
            if not field.primary_key
        }
    )


def new_instance(model: type[models.Model], values: dict[str, Any]) -> Any:
    """A model instance built without Model.__init__ (no signals, no descriptors)."""
    obj = model.__new__(model)
    state = ModelState()
    state.db = None
    state.adding = True
    attributes = obj.__dict__
    attributes.update(_defaults(model))
    attributes["_state"] = state
    attributes[model._meta.pk.attname] = None
    attributes.update(values)
    return obj


def raw_rows(queryset: models.QuerySet[Any], chunk: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    """The rows of a ``values_list`` query as the database driver gives them, read in
    chunks: without the ORM's per-value converters (a boolean comes as 0/1 on SQLite, a
    date as text), for reads of hundreds of thousands of ids and flags."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition no row meets (``pk__in=[]``): no query
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def deferred_checks_now() -> None:
    """Run now the checks the database holds until commit: on PostgreSQL the foreign keys
    of the rows this transaction wrote (Django's ``check_constraints``: every deferred
    constraint made immediate, which checks what is pending, then deferred again). A row
    that breaks one raises IntegrityError here, as it would at commit. SQLite checks its
    own at commit, as before (its check here would read whole tables)."""
    if connection.vendor == "postgresql":
        connection.check_constraints()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for the model's table, in ascending order."""
    if count == 0:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_ids must run inside a transaction")
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once (pg_get_serial_sequence for each row took nine tenths
            # of the time). The values are taken one by one, as a concurrent insert takes
            # its own, and come back as their range when no other session took one in
            # between, else as they are.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)::regclass::oid", [table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
                "ELSE array_agg(v) END FROM (SELECT nextval(%s::oid) AS v "
                "FROM generate_series(1, %s)) AS taken",
                [sequence, count],
            )
            low, high, interleaved = cursor.fetchone()
            return list(range(low, high + 1)) if interleaved is None else sorted(interleaved)
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {quoted}"  # noqa: S608
        )
        highest = cursor.fetchone()[0]
        # AUTOINCREMENT tables never reuse an id, even of a deleted row: respect that.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
        return list(range(start, start + count))


def insert_rows(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert raw rows (values in ``attnames`` order, already adapted): with COPY on
    PostgreSQL, with executemany in chunks elsewhere. Rows are streamed, never all held."""
    opts = model._meta
    columns = [_column(model, a) for a in attnames]
    quote = connection.ops.quote_name
    table = f"{quote(opts.db_table)} ({', '.join(quote(c) for c in columns)})"
    if connection.vendor == "postgresql" and COPY_ON_POSTGRESQL:
        return _copy_rows(f"COPY {table} FROM STDIN", rows)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} VALUES ({placeholders})"  # noqa: S608
    count = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_rows(sql: str, rows: Iterable[Sequence[Any]]) -> int:
    """Stream rows into ``COPY ... FROM STDIN`` through psycopg, as Django's own execute
    would run a statement: the connection's execute wrappers see it, the query log (DEBUG,
    CaptureQueriesContext) records it, and a database error is raised as Django's
    (an IntegrityError as django.db.IntegrityError).

    COPY's text format: every value is sent as psycopg's text for its Python type and
    parsed by the server for the column's type, exactly as a bound parameter would be
    (Jsonb, dates, datetimes, Decimals, bools, None as NULL, "" as an empty string)."""
    with connection.cursor() as cursor:

        def copy(sql: str, rows: Iterable[Sequence[Any]], *ignored: Any) -> int:
            connection.validate_no_broken_transaction()
            count = 0
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as stream:
                for row in rows:
                    stream.write_row(row)
                    count += 1
            return count

        executor: Callable[..., int] = copy
        for wrapper in reversed(connection.execute_wrappers):
            executor = partial(wrapper, executor)
        logged = cursor.debug_sql(sql) if connection.queries_logged else nullcontext()
        with logged:
            return executor(sql, rows, False, {"connection": connection, "cursor": cursor})


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any]:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(f"{model.__name__} has no column {attname!r}")


def _column(model: type[models.Model], attname: str) -> str:
    return str(_field(model, attname).column)


def _adapters(
    model: type[models.Model], attnames: Sequence[str], *, json_as_text: bool = False
) -> list[Adapter]:
    adapters = [_adapter(_field(model, a), json_as_text=json_as_text) for a in attnames]
    if model._meta.app_label in SKIPPED_APPS:
        return adapters
    # The same text rule as every ORM save (common.signals), before adapting.
    return [
        _text_first(field, adapt) if isinstance(field, _TEXT_FIELDS) else adapt
        for field, adapt in (
            (_field(model, a), adapter) for a, adapter in zip(attnames, adapters, strict=True)
        )
    ]


_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _text_first(field: models.Field[Any, Any], adapt: Adapter) -> Adapter:
    if isinstance(field, models.JSONField):

        def adapted_json(value: Any) -> Any:
            return adapt(clean_field_value(field, value))

        return adapted_json

    def adapted(value: Any) -> Any:
        # Printable text (nearly every value) is what clean_field_value returns as it is.
        if type(value) is str and value.isprintable():
            return value if adapt is _identity else adapt(value)
        return adapt(clean_field_value(field, value))

    if adapt is _identity:
        _TEXT_RULE_ONLY.add(adapted)
    return adapted


# Adapters that only apply the text rule to a text column (no other adapting): a row whose
# texts in such columns are all printable needs none of them (see _rows).
_TEXT_RULE_ONLY: WeakSet[Adapter] = WeakSet()


def insert_dicts(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows given as {attname: value} (every row with the same attnames, no primary
    key), adapted and cleaned as ``insert`` does, without building model instances.
    Returns the new primary keys, in the order of the rows."""
    if not rows:
        return []
    attnames = list(rows[0])
    return insert_lists(model, attnames, [[values[name] for name in attnames] for values in rows])


def insert_lists(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[list[Any]]
) -> list[int]:
    """Insert rows given as lists of values in ``attnames`` order (no primary key),
    adapted and cleaned as ``insert`` does; the lists are adapted in place and given their
    new primary key at the end. Returns the new primary keys, in the order of the rows."""
    if not rows:
        return []
    adapters = _adapters(model, attnames, json_as_text=_json_as_text())
    ids = reserve_ids(model, len(rows))
    pk = model._meta.pk.attname
    special = [(i, a) for i, a in enumerate(adapters) if a is not _identity]

    def adapted() -> Iterable[list[Any]]:
        for new_id, row in zip(ids, rows, strict=True):
            for i, adapt in special:
                row[i] = adapt(row[i])
            row.append(new_id)
            yield row

    insert_rows(model, [*attnames, pk], adapted())
    return ids


def insert_streamed(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[list[Any]]
) -> int:
    """Insert rows given as lists of values in ``attnames`` order (no primary key: the
    table gives each its own), adapted and cleaned as ``insert`` does, as ``rows`` yields
    them: one COPY on PostgreSQL, so that the server stores rows while the caller makes
    the next ones (an import's audit trail). ``rows`` is read while the statement runs: it
    must not query the database. Returns how many rows were written."""
    adapters = _adapters(model, attnames, json_as_text=_json_as_text())
    special = [(i, a) for i, a in enumerate(adapters) if a is not _identity]

    def adapted() -> Iterable[list[Any]]:
        for row in rows:
            for i, adapt in special:
                row[i] = adapt(row[i])
            yield row

    return insert_rows(model, attnames, adapted())


def insert(objects: list[Any]) -> None:
    """Insert model instances, giving each a fresh primary key."""
    if not objects:
        return
    model = type(objects[0])
    pk = model._meta.pk.attname
    attnames = [f.attname for f in model._meta.concrete_fields]
    adapters = _adapters(model, attnames, json_as_text=_json_as_text())
    for obj, new_id in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.__dict__[pk] = new_id
        obj._state.adding = False
        obj._state.db = connection.alias
    insert_rows(model, attnames, _rows(objects, attnames, adapters))


def _rows(
    objects: Iterable[Any], attnames: Sequence[str], adapters: list[Adapter]
) -> Iterable[list[Any]]:
    """Each object's values in ``attnames`` order, adapted only where a column needs it."""
    texts = [(i, a) for i, a in enumerate(adapters) if a in _TEXT_RULE_ONLY]
    checked = {i for i, _ in texts}
    special = [(i, a) for i, a in enumerate(adapters) if a is not _identity and i not in checked]
    # Every value at once (a missing attribute, never set on the instance, is None).
    every = itemgetter(*attnames) if len(attnames) > 1 else None
    for obj in objects:
        values = obj.__dict__
        try:
            row = list(every(values)) if every is not None else [values[attnames[0]]]
        except KeyError:
            row = [values.get(name) for name in attnames]
        if texts:
            # The text rule changes nothing when every text is printable (other values of
            # text columns, None, pass it unchanged): one check for the row.
            seen = [row[i] for i, _ in texts]
            if not "".join([v for v in seen if isinstance(v, str)]).isprintable():
                for i, adapt in texts:
                    row[i] = adapt(row[i])
        for i, adapt in special:
            row[i] = adapt(row[i])
        yield row


def update(objects: list[Any], attnames: Sequence[str]) -> int:
    """UPDATE the given columns of existing instances: on PostgreSQL, from about
    UPDATE_THROUGH_COPY_AT rows, the values go by COPY into a temporary table and one
    ``UPDATE ... FROM`` applies them; otherwise one executemany per chunk."""
    if not objects or not attnames:
        return 0
    model = type(objects[0])
    adapters = _adapters(model, attnames)
    rows = [
        [*row, obj.pk] for row, obj in zip(_rows(objects, attnames, adapters), objects, strict=True)
    ]
    return update_values(model, attnames, rows)


def update_values(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """UPDATE the given columns of existing rows, each row its values in ``attnames``
    order and then its primary key, values as the driver takes them (numbers, text, or
    adapted by ``update``), without model instances (a million tiers)."""
    if not rows or not attnames:
        return 0
    columns = [_column(model, a) for a in attnames]
    if (
        connection.vendor == "postgresql"
        and COPY_ON_POSTGRESQL
        and len(rows) >= UPDATE_THROUGH_COPY_AT
        and not set(attnames) & _unique_attnames(model)
    ):
        _update_through_copy(model, columns, [list(row) for row in rows])
        return len(rows)
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{quote(c)} = %s" for c in columns)
        + f" WHERE {quote(str(model._meta.pk.column))} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[start : start + CHUNK])
    return len(rows)


# From how many rows update() goes through COPY on PostgreSQL (below it, the temporary
# table costs more than the statements it saves).
UPDATE_THROUGH_COPY_AT = 200


def _unique_attnames(model: type[models.Model]) -> frozenset[str]:
    """The columns of ``model`` under a unique rule. An update of one of them keeps one
    statement per row: PostgreSQL checks a unique rule row by row within one UPDATE, so
    values passed along between rows (A takes B's, B a new one) could be refused in the
    one statement where the same rows in the caller's order are not."""
    opts = model._meta
    attname = {f.name: f.attname for f in opts.concrete_fields}
    names = {f.attname for f in opts.concrete_fields if f.unique and not f.primary_key}
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names |= {attname[name] for name in constraint.fields}
    for together in opts.unique_together:
        names |= {attname[name] for name in together}
    return frozenset(names)


def _update_through_copy(
    model: type[models.Model], columns: Sequence[str], rows: list[list[Any]]
) -> None:
    """Apply ``rows`` (values in ``columns`` order, then the primary key) with one COPY
    into a temporary table shaped like the target's columns and one UPDATE ... FROM.
    When a primary key comes twice, its last row wins, as with one statement per row."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(str(model._meta.pk.column))
    names = ", ".join([key, *(quote(c) for c in columns)])
    temp = "pg_temp." + quote("chainproof_bulk_update")  # never a table of the schema
    last = {row[-1]: row for row in rows}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
        )
    _copy_rows(f"COPY {temp} ({names}) FROM STDIN", ([row[-1], *row[:-1]] for row in last.values()))
    assignments = ", ".join(f"{quote(c)} = changed.{quote(c)}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {temp} AS changed "  # noqa: S608
            f"WHERE {table}.{key} = changed.{key}"
        )
        cursor.execute(f"DROP TABLE {temp}")


def insert_values(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    plain_json: bool = False,
) -> int:
    """Insert rows of plain values (``attnames`` order, the primary key left to the table,
    other columns their model default, computed once), cleaned and adapted as
    :func:`insert` does, without building model instances.

    The text rule costs one check per row when every text is already visible, and one
    encoding per JSON value whose strings all are; a JSON value repeated from the previous
    row (an edition list shared by a batch) is adapted once. ``plain_json`` promises that
    JSON values hold only JSON's own types (str, int, float, bool, None, lists or tuples,
    dicts with str keys): where they go by COPY, orjson encodes them (see ``_orjson_dumps``).
    """
    plain = model._meta.app_label in SKIPPED_APPS
    defaults = tuple((a, v) for a, v in _defaults(model).items() if a not in attnames)
    attnames = [*attnames, *(a for a, _ in defaults)]
    extra = tuple(v for _, v in defaults)
    fields = [_field(model, a) for a in attnames]
    texts = [
        i
        for i, f in enumerate(fields)
        if not plain and isinstance(f, models.CharField | models.TextField)
    ]
    as_text = _json_as_text()
    adapters = [
        _fast_json(f, _adapter(f, json_as_text=as_text), plain, as_text, plain_json)
        if isinstance(f, models.JSONField)
        else _adapter(f)
        for f in fields
    ]
    special = [(i, a) for i, a in enumerate(adapters) if a is not _identity]

    def adapted() -> Iterable[list[Any]]:
        for values in rows:
            row = [*values, *extra]
            if texts:
                seen = [row[i] for i in texts]
                if not "".join(v for v in seen if type(v) is str).isprintable():
                    for i in texts:
                        row[i] = clean_field_value(fields[i], row[i])
            for i, adapt in special:
                row[i] = adapt(row[i])
            yield row

    return insert_rows(model, attnames, adapted())


def _fast_json(
    field: models.JSONField[Any], adapt: Adapter, plain: bool, as_text: bool, plain_json: bool
) -> Adapter:
    text_only = type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
    encoder = field.encoder
    last: list[Any] = [object(), None]
    dumps = _orjson_dumps(encoder) if as_text and plain_json else None

    def fast(value: Any) -> Any:
        if value is last[0]:
            return last[1]
        if as_text and type(value) is list and not value:
            return "[]"  # (most lists of a scoring run's rows: no presumption, no flag)
        if value is None or plain:
            result = adapt(value)
        else:
            text = None if dumps is None else dumps(value)
            if text is None:
                text = json.dumps(value, cls=encoder, ensure_ascii=False)
            # No backslash: no string holds a control character (JSON escapes those);
            # printable: none holds another invisible one. clean_json would change nothing.
            if "\\" in text or not text.isprintable():
                result = adapt(clean_field_value(field, value))
            elif as_text:
                result = text  # parsed by the server: its escaping of non-ASCII is no matter
            elif text_only:
                result = text if text.isascii() else adapt(value)
            else:
                result = connection.ops.adapt_json_value(value, encoder)
        last[0], last[1] = value, result
        return result

    return fast


def _orjson_dumps(encoder: type[json.JSONEncoder] | None) -> Callable[[Any], str | None]:
    """JSON text of a value holding only JSON's own types, by orjson (several times faster
    than json.dumps), for values whose text the server parses (``_json_as_text``): the
    same JSON value as json.dumps with the field's encoder gives. None, for json.dumps to
    encode as before, where orjson refuses the value (keys other than strings, integers
    beyond 64 bits) and where its text holds a null: orjson writes a float that is not a
    number as null, where json.dumps writes NaN, which the server refuses (no silent null).
    Subclasses of the plain types, dates and dataclasses go to the encoder's ``default``,
    as with json.dumps; a value of another type orjson knows (a UUID, an Enum member) is
    outside the caller's promise."""
    default = (encoder or json.JSONEncoder)().default
    options = (
        orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )

    def dumps(value: Any) -> str | None:
        try:
            text = orjson.dumps(value, default=default, option=options)
        except TypeError:
            return None
        return None if b"null" in text else text.decode()

    return dumps
