"""Rebuttal readiness as a pure calculation: covered, weak and missing cells, the score and
the gap sentences."""

from __future__ import annotations

import datetime as dt

from chainproof.domain.evidence.readiness import EXPECTED, Evidence, Record, Standing, assess
from chainproof.domain.nodes import NodeKey

TODAY = dt.date(2026, 6, 1)
SITE = Record(NodeKey.facility(7), "facility", "Tianshan Weaving", "CN", 2)
FIRM = Record(NodeKey.supplier(3), "supplier", "Lotus Garments", "VN", 1)


def _doc(n, categories, status="accepted", until=None, integrity="ok", declared=False):
    return Evidence(n, f"doc {n}", tuple(categories), status, until, integrity, declared)


def test_each_cell_is_judged_and_the_score_counts_weak_as_half():
    evidence = {
        SITE.key: [
            _doc(1, ["dhs_wages"]),
            _doc(2, ["dhs_workforce"], status="in_review"),
            _doc(3, ["dhs_recruitment"], until=dt.date(2026, 6, 10)),
            _doc(4, ["cbp_tracing"], integrity="altered"),
        ],
        FIRM.key: [_doc(5, ["dhs_policy"], declared=True)],
    }
    result = assess([SITE, FIRM], evidence, today=TODAY)
    standing = {(k[0], k[1]): c.standing for k, c in result.cells.items()}
    assert standing[(SITE.key, "dhs_wages")] is Standing.COVERED
    assert standing[(SITE.key, "dhs_workforce")] is Standing.WEAK
    assert standing[(SITE.key, "dhs_recruitment")] is Standing.WEAK  # expires in 9 days
    assert standing[(SITE.key, "cbp_tracing")] is Standing.WEAK
    assert standing[(FIRM.key, "dhs_policy")] is Standing.WEAK  # self-declared
    assert standing[(SITE.key, "dhs_fee_structure")] is Standing.MISSING
    cells = len(EXPECTED["facility"]) + len(EXPECTED["supplier"])
    assert len(result.cells) == cells
    assert result.score == round(100 * (1 + 4 * 0.5) / cells, 1)
    assert result.counts() == {"covered": 1, "weak": 4, "missing": cells - 5}
    assert "counts 0.5" in result.method


def test_an_expired_document_is_a_gap_that_says_since_when():
    evidence = {SITE.key: [_doc(1, ["dhs_wages"], until=dt.date(2025, 3, 31))]}
    result = assess([SITE], evidence, today=TODAY)
    assert result.cells[(SITE.key, "dhs_wages")].standing is Standing.MISSING
    texts = [g.text for g in result.gaps]
    assert (
        "No current wage-payment records for worksite Tianshan Weaving (tier 2, CN) "
        "since 2025-03-31." in texts
    )


def test_rejected_documents_do_not_count_and_nothing_known_scores_zero():
    evidence = {SITE.key: [_doc(1, list(EXPECTED["facility"]), status="rejected")]}
    result = assess([SITE], evidence, today=TODAY)
    assert result.score == 0.0
    assert len(result.gaps) == len(EXPECTED["facility"])
    assert assess([], {}, today=TODAY).score == 0.0


def test_everything_covered_scores_100():
    evidence = {SITE.key: [_doc(1, list(EXPECTED["facility"]))]}
    result = assess([SITE], evidence, today=TODAY)
    assert result.score == 100.0
    assert result.gaps == []
