"""The counts by level that the register and the overview show are kept as assessments
are written (risk/storing.py), and always equal a count of the current assessments: after
a full run, after a change re-scored incrementally, after a run that changes nothing. The
overview's trend reads the counts kept month by month."""

from __future__ import annotations

import datetime as dt

import pytest
from benchmarks.supply_chain_import import generate
from django.db import transaction
from django.utils import timezone

from chainproof.domain.nodes import NodeKey
from chainproof.risk.models import LevelMonth, RiskAssessment
from chainproof.risk.selectors import level_counts, register
from chainproof.risk.services import risk_rescore, risk_score_all
from chainproof.risk.storing import level_counts_recount
from chainproof.suppliers.importing import run_import
from chainproof.suppliers.models import Facility
from chainproof.suppliers.selectors import supplier_list
from chainproof.suppliers.services import facility_save
from chainproof.web.overview import headline, month_ends, risk_levels_by_month

pytestmark = pytest.mark.django_db


def _graph(org) -> None:
    files = generate(30, 60, 90, seed=3)
    for entity in ("suppliers", "facilities", "materials", "products", "links"):
        with transaction.atomic():
            run_import(
                organization=org,
                actor=None,
                entity=entity,
                data=files[entity],
                file_name=f"{entity}.csv",
            )


def _low_facility(org, skip: int = 0) -> Facility:
    """A worksite now at low risk (so that North Korean workers there change its level)."""
    low = RiskAssessment.objects.filter(
        organization=org, node_type="facility", is_current=True, level="low"
    ).order_by("node_id")
    return Facility.objects.get(pk=low[skip].node_id)


def _mark_dprk(org, facility: Facility) -> None:
    with transaction.atomic():
        facility_save(
            organization=org,
            actor=None,
            facility=facility,
            data={"dprk_workers": "present", "dprk_worker_count": 4},
        )


def test_the_counts_follow_every_write_and_equal_a_count_of_the_assessments(alice, refdata):
    org = alice.organization
    _graph(org)
    first = risk_score_all(organization_id=org.pk)
    counts = level_counts(org.pk)
    assert counts == level_counts_recount(org.pk)
    assert sum(counts.values()) == first["nodes"] > 100
    assert list(counts) == [lv for lv in ("critical", "high", "medium", "low") if lv in counts]

    # North Korean workers at a worksite: it and what it supplies are re-scored, levels move.
    facility = _low_facility(org)
    _mark_dprk(org, facility)
    result = risk_rescore(organization_id=org.pk, changed={NodeKey.facility(facility.pk)})
    assert result["changed"] > 0
    after = level_counts(org.pk)
    assert after == level_counts_recount(org.pk)
    for kind in ("supplier", "facility", "product"):
        assert level_counts(org.pk, node_type=kind) == level_counts_recount(org.pk, kind)
    # The overview's suppliers at critical and high risk: the rows behind its links.
    figures = {f.key: f for group in headline(org.pk) for f in group.figures}
    for level in ("critical", "high"):
        listed = supplier_list(org.pk, risk=level).count()
        assert figures[f"suppliers-{level}"].count == listed
        assert figures[f"suppliers-{level}"].url.endswith(f"risk={level}")
    assert figures["suppliers-critical"].count > 0
    assert after != counts
    assert after.get("critical", 0) > counts.get("critical", 0)
    assert sum(after.values()) == sum(counts.values())  # as many records, other levels

    # A full run after it: the counts are still those of the assessments.
    risk_score_all(organization_id=org.pk)
    assert level_counts(org.pk) == level_counts_recount(org.pk)


def test_a_full_run_counts_again_what_an_outside_change_left_wrong(alice, refdata):
    org = alice.organization
    _graph(org)
    risk_score_all(organization_id=org.pk)
    counts = level_counts(org.pk)
    # Deleted by hand (the engine never deletes one): the kept counts no longer match...
    deleted = RiskAssessment.objects.filter(organization=org, is_current=True, level="low")[0]
    deleted.delete()
    assert level_counts(org.pk) == counts != level_counts_recount(org.pk)
    # ...until the next full run, which scores the record again and counts everything.
    risk_score_all(organization_id=org.pk)
    assert level_counts(org.pk) == level_counts_recount(org.pk) == counts
    this_month = dict(
        LevelMonth.objects.filter(
            organization=org, month=timezone.localdate().replace(day=1)
        ).values_list("level", "current")
    )
    assert this_month == counts


def test_the_trend_shows_each_month_as_its_last_write_left_it(alice, refdata, monkeypatch):
    org = alice.organization
    _graph(org)
    real_today = timezone.localdate()
    september = (real_today.replace(day=1) - dt.timedelta(days=80)).replace(day=15)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: september)
    risk_score_all(organization_id=org.pk)
    then = level_counts(org.pk)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: real_today)
    facility = _low_facility(org, 1)
    _mark_dprk(org, facility)
    risk_rescore(organization_id=org.pk, changed={NodeKey.facility(facility.pk)})
    now = level_counts(org.pk)
    assert now["critical"] > then.get("critical", 0)
    assert set(LevelMonth.objects.filter(organization=org).values_list("month", flat=True)) == {
        september.replace(day=1),
        real_today.replace(day=1),
    }

    ends = month_ends(real_today)
    trend = risk_levels_by_month(org.pk, ends)
    for end, critical, high in zip(ends, trend["critical"], trend["high"], strict=True):
        if end < september:
            assert (critical, high) == (None, None)  # nothing scored yet
        elif end.replace(day=1) < real_today.replace(day=1):
            assert (critical, high) == (then.get("critical", 0), then.get("high", 0))
        else:
            assert (critical, high) == (now["critical"], now.get("high", 0))
    assert trend["critical"].count(None) >= 1


def test_a_search_is_the_same_rows_whether_listed_from_its_ids_or_not(alice, refdata, settings):
    from chainproof.common import paging
    from chainproof.suppliers.selectors import facility_list, supplier_list

    org = alice.organization
    _graph(org)
    risk_score_all(organization_id=org.pk)

    def rows(queryset) -> list[int]:
        return list(queryset.values_list("pk", flat=True))

    searches = [
        lambda: supplier_list(org.pk, q="harbour", sort="-name"),
        lambda: supplier_list(org.pk, q="textiles", country="CN"),
        lambda: facility_list(org.pk, q="plant 00001"),
        lambda: facility_list(org.pk, q="city 1"),
        lambda: register(org.pk, q="golden", sort="name"),
        lambda: register(org.pk, q="plant", sort="-score"),
    ]
    found = [rows(search()) for search in searches]
    assert all(found), "every search finds rows in the generated graph"
    original = paging.NARROW_UP_TO
    try:
        paging.NARROW_UP_TO = 0  # never narrowed: the plain search decides the rows
        assert [rows(search()) for search in searches] == found
    finally:
        paging.NARROW_UP_TO = original
    names = list(register(org.pk, q="plant", sort="name").values_list("node_name", flat=True))
    assert names == sorted(names)
    assert len(names) > 2


def test_search_indexes_are_created_again_by_the_command(alice, capsys):
    """`chainproof search-indexes`: a search index a migration could not create (pg_trgm
    missing then) is created once the extension is there; on SQLite there is none."""
    from django.core.management import call_command
    from django.db import connection

    def present() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
            return {row[0] for row in cursor.fetchall()}

    if connection.vendor != "postgresql":
        call_command("search-indexes")
        assert "Nothing to do" in capsys.readouterr().out
        return
    expected = {"supplier_search_trgm", "facility_search_trgm", "risk_current_name_trgm"}
    assert expected <= present()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX facility_search_trgm")  # undone with the test's transaction
    assert "facility_search_trgm" not in present()
    call_command("search-indexes")
    assert expected <= present()
    assert "Search indexes in place: 3" in capsys.readouterr().out
