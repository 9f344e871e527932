"""Writing a scoring run's results: only the assessments that changed, in bulk.

An assessment row is written only when a node's result changes (score, level, reasons,
presumptions, methodology, editions or engine version): the previous row stays, marked
not current, so the history shows how and why a score changed. Rows are plain values
sent with ``executemany`` (``chainproof.bulk.insert_values``), no model instances.

How many current assessments are at each level (``LevelCount``), and how many worksites in
each country name each good (``GoodCount``, the heat map's), are kept here too: each write
says how it changed the counts (``CountChanges``), and the caller adds the changes with
``level_counts_add`` at the end of its transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

import orjson
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from chainproof.bulk import insert_values
from chainproof.domain.hashing import sha256_bytes
from chainproof.domain.nodes import NodeKey, NodeKind
from chainproof.domain.risk.engine import NodeScore, RiskResult
from chainproof.domain.risk.facts import NodeFacts
from chainproof.risk.models import GoodCount, LevelCount, LevelMonth, RiskAssessment
from chainproof.suppliers.models import Material

COLUMNS = (
    "organization_id",
    "node_type",
    "node_id",
    "node_name",
    "country",
    "score",
    "own_score",
    "level",
    "reasons",
    "presumptions",
    "sanctions_flags",
    "goods",
    "caatsa_status",
    "uflpa_status",
    "section307_status",
    "methodology_id",
    "editions",
    "engine",
    "engine_version",
    "as_of",
    "computed_at",
    "fingerprint",
    "is_current",
)

# node -> (assessment id, fingerprint) of its current assessment
Current = dict[NodeKey, tuple[int, str]]
# Nodes whose results are written (and whose current assessments are read, when not given)
# together.
STORED_READ_NODES = 20_000


@dataclass
class CountChanges:
    """How writes changed the stored counts: of current assessments by kind and level
    (``LevelCount``), and of current worksite assessments by good, country and level
    (``GoodCount``)."""

    levels: Counter[tuple[str, str]] = field(default_factory=Counter)
    goods: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # The goods the organization's materials are marked with (the DOL List's names, case
    # folded): a worksite naming none of them is counted under GoodCount.NOT_LISTED.
    listed: frozenset[str] = frozenset()
    # goods as a worksite names them -> the goods it is counted under
    _counted: dict[tuple[str, ...], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def of(cls, organization_id: int) -> CountChanges:
        return cls(listed=listed_goods(organization_id))

    def worksite(self, country: str, goods: Iterable[str], level: str, n: int) -> None:
        """Count a worksite's assessment in (``n`` = 1) or out (-1); or ``n`` worksites
        with the same country, goods and level."""
        if not country:
            return  # the heat map's rows are countries
        named = goods if type(goods) is tuple else tuple(goods)
        counted = self._counted.get(named)
        if counted is None:  # worked out once for each list of goods (few: they repeat)
            folded = {good.casefold()[:300] for good in named}
            unlisted = (GoodCount.NOT_LISTED,) if folded.isdisjoint(self.listed) else ()
            counted = self._counted[named] = (*folded, *unlisted)
        counts = self.goods
        for good in counted:
            counts[good, country, level] += n


def listed_goods(organization_id: int) -> frozenset[str]:
    """The goods the organization's materials are marked with, case folded."""
    return frozenset(
        good.casefold()
        for marks in Material.objects.filter(organization_id=organization_id).values_list(
            "dol_goods", flat=True
        )
        for good in marks or ()
    )


def fingerprint_of(
    score: NodeScore,
    checks: list[dict[str, Any]],
    sanctions: list[str],
    version_id: int,
    editions: str,
    engine: tuple[str, str],
) -> str:
    """What an assessment says and what computed it, hashed: equal fingerprints mean
    nothing changed. The engine's name and version are part of it, so a new engine
    version writes every assessment again, even where the numbers come out the same."""
    content = repr(
        (
            score.score,
            score.level,
            score.own_score,
            tuple((r.factor, r.evidence, r.points, r.source) for r in score.reasons),
            tuple((c["regime"], c["status"], tuple(c["reasons"])) for c in checks),
            tuple(sanctions),
            version_id,
            editions,
            engine,
        )
    )
    return sha256_bytes(content.encode("utf-8"))


def fingerprinter(
    version_id: int, editions: str, engine: tuple[str, str]
) -> Callable[[NodeScore, list[dict[str, Any]], list[str]], str]:
    """``fingerprint_of`` for one run: the same text hashed, so the same fingerprints, with
    what every node of the run shares (the methodology, the editions, the engine) put into
    text once rather than once per node."""
    shared = ", ".join(map(repr, (version_id, editions, engine)))

    def fingerprint(score: NodeScore, checks: list[dict[str, Any]], sanctions: list[str]) -> str:
        reasons = tuple((r.factor, r.evidence, r.points, r.source) for r in score.reasons)
        checked = tuple((c["regime"], c["status"], tuple(c["reasons"])) for c in checks)
        content = (
            f"({score.score!r}, {score.level!r}, {score.own_score!r}, {reasons!r}, "
            f"{checked!r}, {tuple(sanctions)!r}, {shared})"
        )
        return sha256_bytes(content.encode("utf-8"))

    return fingerprint


def statuses(presumptions: list[dict[str, Any]]) -> tuple[str, str, str]:
    found = {p["regime"]: p["status"] for p in presumptions}
    return (
        found.get("caatsa_321b", ""),
        found.get("uflpa", ""),
        found.get("section_307", ""),
    )


def current_all(organization_id: int) -> Current:
    """Every current assessment's id and fingerprint (four plain columns, straight from
    the cursor: none needs the ORM's converters)."""
    query = RiskAssessment.objects.filter(
        organization_id=organization_id, is_current=True
    ).values_list("pk", "node_type", "node_id", "fingerprint")
    sql, params = query.query.sql_with_params()
    kinds: dict[str, NodeKind] = {}
    found: Current = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            for pk, node_type, node_id, fingerprint in batch:
                kind = kinds.get(node_type)
                if kind is None:
                    kind = kinds[node_type] = NodeKind.from_type_name(node_type)
                found[NodeKey(kind, node_id)] = (pk, fingerprint)
    return found


def current_of(organization_id: int, nodes: Iterable[NodeKey]) -> Current:
    """The current assessments of ``nodes``. Ids close together (a full run's nodes, read
    in order) are read as a range of the index, the rows of other nodes in it dropped;
    scattered ids, by list."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for node in nodes:
        by_type[node.type_name].append(node.id)
    found: Current = {}
    table = connection.ops.quote_name(RiskAssessment._meta.db_table)
    select = (
        f"SELECT id, node_id, fingerprint FROM {table} "  # noqa: S608 (our table)
        "WHERE organization_id = %s AND node_type = %s AND is_current AND "
    )
    # A query's ids: as many as SQLite takes as parameters at once
    per_query = 5_000 if connection.vendor == "postgresql" else 500
    with connection.cursor() as cursor:
        for node_type, ids in by_type.items():
            kind = NodeKind.from_type_name(node_type)
            ids.sort()
            for start in range(0, len(ids), per_query):
                block = ids[start : start + per_query]
                if block[-1] - block[0] < 2 * len(block):
                    wanted: set[int] | None = set(block)
                    cursor.execute(
                        select + "node_id BETWEEN %s AND %s",
                        [organization_id, node_type, block[0], block[-1]],
                    )
                else:
                    wanted = None
                    cursor.execute(
                        select + f"node_id IN ({', '.join(['%s'] * len(block))})",
                        [organization_id, node_type, *block],
                    )
                for pk, node_id, fingerprint in cursor.fetchall():
                    if wanted is None or node_id in wanted:
                        found[NodeKey(kind, node_id)] = (pk, fingerprint)
    return found


def store_changed(
    organization_id: int,
    result: RiskResult,
    facts: Mapping[NodeKey, NodeFacts],
    version_id: int,
    on: date,
    current: Current | None,
    changes: CountChanges,
) -> tuple[dict[NodeKey, str], int]:
    """Write the assessments of ``result`` whose fingerprint differs from the current one
    (retiring that one). Returns the fingerprint of every node scored and how many
    assessments were written; adds to ``changes`` how the counts of current assessments
    changed (for ``level_counts_add``). Call inside a transaction.

    ``current``: the current assessments of the nodes scored, or None to read them as the
    nodes are written, STORED_READ_NODES at a time (a whole organization's, held, took
    500 MB beside the scoring at 1.5 million records)."""
    now = timezone.now()
    editions_key = repr(sorted(result.editions.items()))
    editions = dict(result.editions)  # one object for every row: adapted once
    fingerprint_of_node = fingerprinter(
        version_id, editions_key, (result.engine, result.engine_version)
    )
    fingerprints: dict[NodeKey, str] = {}
    retire: list[int] = []

    def rows(
        scored: list[tuple[NodeKey, NodeScore]], current: Mapping[NodeKey, tuple[int, str]]
    ) -> Iterable[tuple[Any, ...]]:
        for node, score in scored:
            checks = [p.as_dict() for p in result.presumptions.get(node, ())]
            sanctions = list(result.sanctions_flags.get(node, ()))
            fingerprint = fingerprint_of_node(score, checks, sanctions)
            fingerprints[node] = fingerprint
            previous = current.get(node)
            if previous is not None and previous[1] == fingerprint:
                continue
            if previous is not None:
                retire.append(previous[0])
            changes.levels[node.type_name, score.level] += 1
            node_facts = facts[node]
            goods = sorted(set(node_facts.goods))[:20]
            if node.kind is NodeKind.FACILITY:
                changes.worksite(node_facts.country, goods, score.level, 1)
            yield (
                organization_id,
                node.type_name,
                node.id,
                node_facts.name[:300],
                node_facts.country,
                Decimal(str(score.score)),
                Decimal(str(score.own_score)),
                score.level,
                [r.as_dict() for r in score.reasons],
                checks,
                sanctions,
                goods,
                *statuses(checks),
                version_id,
                editions,
                result.engine,
                result.engine_version,
                on,
                now,
                fingerprint,
                True,
            )

    written = 0
    scores = iter(result.scores.items())
    while scored := list(islice(scores, STORED_READ_NODES)):
        stored = current_of(organization_id, [n for n, _ in scored]) if current is None else current
        written += insert_values(RiskAssessment, COLUMNS, rows(scored, stored), plain_json=True)
    _retire(retire, changes)
    return fingerprints, written


def _retire(ids: list[int], changes: CountChanges) -> None:
    """Mark the assessments ``ids`` not current, taking each one off the counts (its kind,
    level, and a worksite's country and goods, read from the rows the update changed:
    UPDATE ... RETURNING, on both databases)."""
    facility = NodeKind.FACILITY.type_name
    table = connection.ops.quote_name(RiskAssessment._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            batch = ids[start : start + 900]
            cursor.execute(
                f"UPDATE {table} SET is_current = %s WHERE id IN "  # noqa: S608 (our table)
                f"({', '.join(['%s'] * len(batch))}) AND is_current "
                "RETURNING node_type, level, country, goods",
                [False, *batch],
            )
            for node_type, level, country, goods in cursor.fetchall():
                changes.levels[node_type, level] -= 1
                if node_type == facility:
                    listed = orjson.loads(goods) if isinstance(goods, (str, bytes)) else goods
                    changes.worksite(country, listed or (), level, -1)


def level_counts_add(organization_id: int, changes: CountChanges) -> None:
    """Add ``changes`` (from ``store_changed``) to the organization's stored counts, and
    set this month's counts for the trend. Call it last in the transaction that wrote the
    assessments: the rows it updates stay locked until the commit, and parts of a split
    run written at once wait for each other only here. Rows are updated in one order, so
    two such transactions never deadlock."""
    levels = sorted((key, n) for key, n in changes.levels.items() if n)
    goods = sorted((key, n) for key, n in changes.goods.items() if n)
    if not levels and not goods:
        return
    _counts_locked(organization_id)
    _add(LevelCount, ("node_type", "level"), organization_id, levels)
    _add(GoodCount, ("good", "country", "level"), organization_id, goods)
    if levels:
        _month_set(organization_id)


def _add(
    model: type[LevelCount] | type[GoodCount],
    key: tuple[str, ...],
    organization_id: int,
    changes: Sequence[tuple[tuple[str, ...], int]],
) -> None:
    """Add each change to its row of ``model`` (made if missing), a few thousand rows a
    statement; rows counted down to nothing are removed."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(("organization_id", *key))
    row = "(" + ", ".join(["%s"] * (len(key) + 2)) + ")"
    per_statement = 8_000 // (len(key) + 2)  # within SQLite's parameters per statement
    with connection.cursor() as cursor:
        for start in range(0, len(changes), per_statement):
            block = changes[start : start + per_statement]
            params: list[Any] = []
            for values, n in block:
                params += [organization_id, *values, n]
            cursor.execute(
                f"INSERT INTO {table} ({columns}, current) "  # noqa: S608 (our table)
                f"VALUES {', '.join([row] * len(block))} "
                f"ON CONFLICT ({columns}) "
                f"DO UPDATE SET current = {table}.current + EXCLUDED.current",
                params,
            )


# The PostgreSQL advisory lock (with the organization's id) under which counts are changed.
COUNTS_LOCK = 0x52_4C_43  # "RLC"


def _counts_locked(organization_id: int) -> None:
    """Take the organization's lock on its counts, to the end of the transaction: two
    transactions that change them (parts of a split run) then change them one after the
    other, each reading the counts the other committed (SQLite writes one at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::integer, %s::integer)",
                [COUNTS_LOCK, organization_id],
            )


def _month_set(organization_id: int) -> None:
    """This month's counts for the trend: as they now stand (call under the lock)."""
    table = connection.ops.quote_name(LevelCount._meta.db_table)
    months = connection.ops.quote_name(LevelMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {months} WHERE organization_id = %s AND month = %s",  # noqa: S608
            [organization_id, timezone.localdate().replace(day=1)],
        )
        cursor.execute(
            f"INSERT INTO {months} (organization_id, month, level, current) "  # noqa: S608
            f"SELECT organization_id, %s, level, SUM(current) FROM {table} "
            "WHERE organization_id = %s GROUP BY organization_id, level ORDER BY level",
            [timezone.localdate().replace(day=1), organization_id],
        )


def level_counts_rebuild(organization_id: int, *, goods: bool = True) -> None:
    """Count the current assessments again and store the counts (and this month's): a
    full run ends with it, so that counts an outside change left wrong (an assessment
    deleted by hand, a write by a version that kept no counts) last no longer than that.
    The heat map's counts too if ``goods`` (6 s at a million worksites: a full run that
    scored nothing again leaves them as the last run counted them)."""
    _counts_locked(organization_id)
    current = (
        RiskAssessment.objects.filter(organization_id=organization_id, is_current=True)
        .order_by()
        .values_list("node_type", "level")
        .annotate(n=Count("*"))
    )
    counted = [
        LevelCount(organization_id=organization_id, node_type=kind, level=level, current=n)
        for kind, level, n in current
    ]
    LevelCount.objects.filter(organization_id=organization_id).delete()
    LevelCount.objects.bulk_create(counted)
    _month_set(organization_id)
    if not goods:
        return
    counted_goods = good_counts_recount(organization_id)
    GoodCount.objects.filter(organization_id=organization_id).delete()
    GoodCount.objects.bulk_create(
        (
            GoodCount(organization_id=organization_id, good=g, country=c, level=lv, current=n)
            for (g, c, lv), n in sorted(counted_goods.items())
        ),
        batch_size=2_000,
    )


def good_counts_recount(organization_id: int) -> Counter[tuple[str, str, str]]:
    """The worksites' counts by good, country and level as their current assessments
    give them (every one read, a batch at a time): what ``GoodCount`` must always equal,
    but for the worksites counted as naming no listed good before a material's marks
    changed (counted again here)."""
    changes = CountChanges.of(organization_id)
    facility = NodeKind.FACILITY.type_name
    # Worksites with the same country, goods and level counted by the database: far fewer
    # rows to read than worksites (a million worksites make a few thousand such groups).
    query = (
        RiskAssessment.objects.filter(
            organization_id=organization_id, is_current=True, node_type=facility
        )
        .exclude(country="")
        .order_by()
        .values_list("country", "goods", "level")
        .annotate(n=Count("*"))
    )
    for country, goods, level, n in query.iterator(chunk_size=10_000):
        changes.worksite(country, goods or (), level, n)
    return +changes.goods


def level_counts_recount(organization_id: int, node_type: str = "") -> dict[str, int]:
    """The counts by level as the current assessments give them (of one kind of record if
    ``node_type``; one GROUP BY over every one): what ``LevelCount`` must always equal."""
    current = RiskAssessment.objects.filter(organization_id=organization_id, is_current=True)
    if node_type:
        current = current.filter(node_type=node_type)
    return dict(
        current.order_by().values_list("level").annotate(n=Count("*")).values_list("level", "n")
    )
