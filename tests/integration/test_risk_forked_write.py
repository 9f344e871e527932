"""A large scoring run's rows made by forked copies of the process and sent as COPY text
(PostgreSQL): the same rows, the same counts and the same history as the process writing
them alone; COPY text the same values as the driver's; a copy's failure writes nothing."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chainproof import bulk_copy_text, forked
from chainproof.bulk import copy_blocks, insert_values
from chainproof.bulk_copy_text import copy_text
from chainproof.forked import ForkedWorkError
from chainproof.risk import storing
from chainproof.risk.models import GoodCount, LevelCount, RiskAssessment, ScoredComponent
from chainproof.risk.services import methodology_in_use, risk_score_all
from chainproof.risk.storing import good_counts_recount, level_counts_recount
from chainproof.suppliers.models import Facility
from chainproof.suppliers.services import facility_save
from tests.supply import load_demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
    pytest.mark.skipif(not forked.available(), reason="no fork on this system"),
]

# What a row says (not its id, nor when it was computed).
SAID = [c for c in storing.COLUMNS if c != "computed_at"]


@pytest.fixture
def org(alice, refdata):
    load_demo(alice.organization)
    return alice.organization


@pytest.fixture
def forking(monkeypatch, settings):
    """Every result of two nodes or more made by copies (a run of the demo's size)."""
    seen = []
    real = storing._store_forked

    def counted(rows, current, changes, forks):
        seen.append(forks)
        return real(rows, current, changes, forks)

    monkeypatch.setattr(storing, "FORK_AT_NODES", 2)
    monkeypatch.setattr(storing, "_store_forked", counted)
    settings.SCORE_PROCESSES = 3
    return seen


def _rows(org):
    return sorted(RiskAssessment.objects.filter(organization=org).values_list(*SAID, "is_current"))


def _counts(org):
    return (
        sorted(
            LevelCount.objects.filter(organization=org).values_list("node_type", "level", "current")
        ),
        sorted(
            GoodCount.objects.filter(organization=org, current__gt=0).values_list(
                "good", "country", "level", "current"
            )
        ),
    )


def _run_then_change_then_run(org):
    """A first full run, a worksite changed, every component scored again: what is
    stored after each run."""
    first = risk_score_all(organization_id=org.pk)
    after_first = (_rows(org), _counts(org))
    facility = Facility.objects.filter(organization=org).order_by("pk").first()
    with transaction.atomic():
        facility_save(
            organization=org.pk,
            actor=None,
            facility=facility,
            data={"dprk_workers": "present", "dprk_worker_count": 4},
        )
    ScoredComponent.objects.filter(organization=org).delete()
    second = risk_score_all(organization_id=org.pk)
    return first, second, after_first, (_rows(org), _counts(org))


def test_copies_store_what_the_process_alone_stores(org, forking, settings):
    methodology_in_use(org.pk)  # made once, outside the first runs rolled back
    with transaction.atomic():
        sid = transaction.savepoint()
        settings.SCORE_PROCESSES = 1
        alone = _run_then_change_then_run(org)
        assert forking == []  # one process: no copies
        transaction.savepoint_rollback(sid)
    assert not RiskAssessment.objects.filter(organization=org).exists()
    settings.SCORE_PROCESSES = 3
    shared = _run_then_change_then_run(org)
    assert forking
    assert set(forking) == {3}

    (first, second, after_first, after_second) = shared
    assert first["changed"] == first["nodes"] > 20
    assert 1 <= second["changed"] < second["nodes"]  # what did not change was not written
    assert (first["changed"], second["changed"]) == (alone[0]["changed"], alone[1]["changed"])
    assert after_first == alone[2]
    assert after_second == alone[3]  # rows, the retired ones too, and the counts
    # The counts kept as rows were written are what the rows give.
    current = RiskAssessment.objects.filter(organization=org, is_current=True)
    assert current.count() == second["nodes"]
    levels: dict[str, int] = {}
    for _, level, n in after_second[1][0]:
        levels[level] = levels.get(level, 0) + n
    assert level_counts_recount(org.pk) == {level: n for level, n in levels.items() if n}
    assert sorted(good_counts_recount(org.pk).items()) == [
        ((g, c, lv), n) for g, c, lv, n in after_second[1][1]
    ]


def test_a_copy_that_fails_writes_nothing_and_says_why(org, forking, monkeypatch):
    risk_score_all(organization_id=org.pk)
    ScoredComponent.objects.filter(organization=org).delete()
    RiskAssessment.objects.filter(organization=org).update(fingerprint="stale")
    before = _rows(org), _counts(org)
    # A value the COPY text is not made for, in the copies only (Decimal: every score).
    monkeypatch.delitem(bulk_copy_text._FORMATS, Decimal)
    with pytest.raises(ForkedWorkError, match="no COPY text for a value of type Decimal"):
        risk_score_all(organization_id=org.pk)
    assert (_rows(org), _counts(org)) == before


def test_copy_text_stores_the_values_the_driver_stores(org):
    """Texts with every character COPY escapes, invisible ones (cleaned), any script,
    JSON with quotes and backslashes, NULL, decimals, dates: the same rows by either path."""
    now = timezone.now()
    version = methodology_in_use(org.pk).pk
    names = [
        "Tab\there",
        "new\nline and\r\nreturn",
        "back\\slash \\N \\t",
        "zero\u200bwidth and bell\x07",
        "新疆棉业有限公司",
        "Ölmühle 'quoted' \"double\"",
        "",
    ]
    reasons = [{"factor": 'a "quoted" \\ factor\twith tab', "points": 1.5, "evidence": "é"}]

    def rows(tag):
        for i, name in enumerate(names):
            yield (
                *(org.pk, "supplier", 10_000 + i, name, "CN" if i % 2 else ""),
                *(Decimal("12.5"), Decimal("0"), "high", reasons, [], ["flag\n"], [name]),
                *("", "", "", version, {"uflpa": "2026-01-01"}, tag, "1", timezone.localdate()),
                *(now, f"fp{i}", False),
            )

    with transaction.atomic():
        insert_values(RiskAssessment, storing.COLUMNS, rows("driver"), plain_json=True)
        columns, blocks = copy_text(RiskAssessment, storing.COLUMNS, rows("text"), plain_json=True)
        copy_blocks(RiskAssessment, columns, blocks)

    def stored(tag):
        return sorted(
            RiskAssessment.objects.filter(organization=org, engine=tag).values_list(
                *(c for c in SAID if c != "engine"), "computed_at"
            )
        )

    by_driver, by_text = stored("driver"), stored("text")
    assert len(by_driver) == len(names)
    assert by_text == by_driver
    stored_names = {row[3] for row in by_text}
    # A tab in a name is a space (the text rule); kept in JSON, as the driver keeps it.
    assert {"Tab here", "back\\slash \\N \\t", "新疆棉业有限公司", ""} <= stored_names
    assert {row[8][0]["factor"] for row in by_text} == {'a "quoted" \\ factor\twith tab'}


def test_copy_text_refuses_a_value_it_was_not_made_for(org):
    row = [org.pk, complex(1, 2), *[None] * (len(storing.COLUMNS) - 2)]
    _, blocks = copy_text(RiskAssessment, storing.COLUMNS, [row])
    with pytest.raises(TypeError, match="no COPY text for a value of type complex"):
        list(blocks)
