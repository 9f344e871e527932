"""Detention deadlines: counting months, days and business days, the port's local date,
the rules file and what it refuses. Expected dates are counted by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chainproof.domain.cases.deadlines import (
    LEGAL_BASES,
    CaseDates,
    RulesError,
    add_business_days,
    add_months,
    days_left,
    deadlines_compute,
    local_date,
    rules_load,
)

# --- months --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 3, date(2026, 4, 30)),  # no 31 April
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year, not leap
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # across the year, leap
        (date(2028, 2, 29), 3, date(2028, 5, 29)),  # the 29th stays the 29th
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 12), 3, date(2026, 6, 12)),
        (date(2026, 10, 15), 3, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, due):
    assert add_months(start, months) == due


# --- business days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 6), 5, date(2026, 3, 13)),
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # from a Saturday
        (date(2026, 11, 25), 1, date(2026, 11, 27)),  # over Thanksgiving (Thu 26 Nov)
        (date(2026, 11, 25), 2, date(2026, 11, 30)),
        (date(2026, 7, 2), 1, date(2026, 7, 6)),  # 4 July on a Saturday: Friday 3 July off
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas, Friday 25 December
        (date(2026, 12, 30), 2, date(2027, 1, 4)),  # 31 Dec, then New Year's Day (Fri)
        (date(2027, 12, 23), 1, date(2027, 12, 27)),  # Christmas 2027 observed Fri 24 Dec
        (date(2027, 12, 30), 1, date(2028, 1, 3)),  # New Year 2028 observed Fri 31 Dec 2027
        (date(2026, 1, 16), 1, date(2026, 1, 20)),  # Martin Luther King Jr. Day, 19 Jan
        (date(2026, 3, 6), 0, date(2026, 3, 6)),
    ],
)
def test_add_business_days_skips_weekends_and_federal_holidays(start, n, due):
    assert add_business_days(start, n) == due


def test_add_business_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="0 or more, found -1"):
        add_business_days(date(2026, 3, 6), -1)


# --- the port's date -----------------------------------------------------------------------


def test_a_late_evening_notice_in_los_angeles_keeps_its_los_angeles_date():
    sent = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)  # 23:30 on 3 March in Los Angeles (PST)
    assert local_date(sent, "America/Los_Angeles") == date(2026, 3, 3)
    assert local_date(sent, "America/New_York") == date(2026, 3, 4)
    same_moment = datetime(2026, 3, 3, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert local_date(same_moment, "Asia/Shanghai") == date(2026, 3, 4)


def test_naive_datetimes_and_dates_are_taken_as_local():
    assert local_date(datetime(2026, 3, 3, 23, 30), "Pacific/Honolulu") == date(2026, 3, 3)
    assert local_date(date(2026, 3, 3), "Asia/Tokyo") == date(2026, 3, 3)


def test_an_unknown_time_zone_is_named():
    with pytest.raises(ValueError, match=r"IANA time zone .* found 'Mars/Olympus'"):
        local_date(datetime(2026, 3, 3, tzinfo=UTC), "Mars/Olympus")


def test_days_left():
    assert days_left(date(2026, 4, 2), date(2026, 3, 3)) == 30
    assert days_left(date(2026, 4, 2), date(2026, 4, 2)) == 0
    assert days_left(date(2026, 4, 2), date(2026, 4, 5)) == -3


# --- a case's deadlines from chainproof's rules --------------------------------------------


def _keyed(deadlines):
    return {d.key: d for d in deadlines}


def test_wro_case_gets_admissibility_abandonment_and_protest_in_order():
    dates = CaseDates(
        basis="wro",
        importation=date(2026, 1, 31),
        notice=date(2026, 2, 10),
        exclusion=date(2026, 5, 4),
    )
    found = deadlines_compute(dates)
    assert [d.key for d in found] == ["proof_of_admissibility", "abandonment", "protest"]
    got = _keyed(found)
    proof = got["proof_of_admissibility"]
    assert proof.due == date(2026, 4, 30)  # 31 January + 3 months, clamped
    assert proof.start == date(2026, 1, 31)
    assert proof.counts_from == "importation"
    assert proof.explanation == "3 months after the date of importation (31 January 2026)"
    assert proof.owner == "importer"
    assert "12.43" in proof.citation
    # 4 May + 60 days: 27 to 31 May, 30 in June -> 57, then 3 July.
    assert got["abandonment"].due == date(2026, 7, 3)
    assert got["abandonment"].explanation == ("60 days after the exclusion decision (4 May 2026)")
    # 4 May + 180 days: 27 + 30 + 31 + 31 + 30 = 149 to 30 September, then 31 October.
    assert got["protest"].due == date(2026, 10, 31)
    assert got["protest"].citation.startswith("19 U.S.C. 1514(c)(3)")


def test_only_dates_the_case_knows_start_a_deadline():
    dates = CaseDates(basis="caatsa", importation=date(2026, 3, 12), notice=None, exclusion=None)
    found = deadlines_compute(dates)
    assert [d.key for d in found] == ["proof_of_admissibility"]
    assert found[0].due == date(2026, 6, 12)
    assert found[0].explanation == "3 months after the date of importation (12 March 2026)"
    assert deadlines_compute(CaseDates("wro", None, None, None)) == []


def test_a_finding_gets_no_importer_windows():
    dates = CaseDates(
        basis="finding",
        importation=date(2026, 3, 12),
        notice=date(2026, 3, 20),
        exclusion=date(2026, 4, 1),
    )
    assert deadlines_compute(dates) == []


def test_sixty_days_across_the_year_end():
    dates = CaseDates(basis="wro", importation=None, notice=None, exclusion=date(2026, 11, 15))
    # 15 days to 30 November, 31 in December -> 46, then 14 January.
    assert _keyed(deadlines_compute(dates))["abandonment"].due == date(2027, 1, 14)


def test_uflpa_response_counts_from_the_notice_date_at_the_port():
    sent = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)  # 23:30 on 3 March in Los Angeles
    in_la = CaseDates("uflpa", None, sent, None, port_timezone="America/Los_Angeles")
    response = _keyed(deadlines_compute(in_la))["uflpa_response"]
    assert response.start == date(2026, 3, 3)
    assert response.due == date(2026, 4, 2)  # 28 days to 31 March, then 2 April
    assert response.explanation == "30 days after the detention notice (3 March 2026)"
    in_ny = CaseDates("uflpa", None, sent, None, port_timezone="America/New_York")
    assert _keyed(deadlines_compute(in_ny))["uflpa_response"].due == date(2026, 4, 3)


def test_uflpa_response_days_set_by_cbp_replace_the_default():
    dates = CaseDates("uflpa", None, date(2026, 3, 3), None, response_days=45)
    response = _keyed(deadlines_compute(dates))["uflpa_response"]
    assert response.due == date(2026, 4, 17)  # 28 days to 31 March, then 17 April
    assert response.explanation == (
        "45 days after the detention notice (3 March 2026), as set in CBP's notice"
    )


def test_response_days_do_not_change_windows_set_by_law():
    dates = CaseDates("uflpa", None, date(2026, 3, 3), date(2026, 5, 4), response_days=45)
    assert _keyed(deadlines_compute(dates))["protest"].due == date(2026, 10, 31)


def test_a_rule_not_yet_in_effect_is_skipped():
    # UFLPA took effect on 21 June 2022: a notice before it has no UFLPA response window.
    early = CaseDates("uflpa", None, date(2022, 6, 1), None)
    assert deadlines_compute(early) == []
    on_the_day = CaseDates("uflpa", None, date(2022, 6, 21), None)
    assert [d.key for d in deadlines_compute(on_the_day)] == ["uflpa_response"]
    # The 180-day protest window applies from 18 December 2004.
    old_exclusion = CaseDates("wro", None, None, date(2004, 12, 17))
    assert "protest" not in _keyed(deadlines_compute(old_exclusion))


def test_days_left_when_today_is_given():
    dates = CaseDates("uflpa", None, date(2026, 3, 3), None)
    assert deadlines_compute(dates, today=date(2026, 3, 20))[0].days_left == 13
    assert deadlines_compute(dates)[0].days_left is None


def test_bad_case_input_is_refused_by_name():
    with pytest.raises(ValueError, match="legal basis from wro, finding, caatsa, uflpa"):
        deadlines_compute(CaseDates("seizure", None, None, None))
    with pytest.raises(ValueError, match="response period of 1 to 1000 days, found 0"):
        deadlines_compute(CaseDates("uflpa", None, date(2026, 3, 3), None, response_days=0))
    with pytest.raises(ValueError, match="found 'Europe/Nowhere'"):
        deadlines_compute(CaseDates("wro", None, None, None, port_timezone="Europe/Nowhere"))


# --- the rules file ------------------------------------------------------------------------


def test_chainproofs_rules_cover_each_basis_as_the_regulations_say():
    rules = {r.key: r for r in rules_load()}
    assert set(rules) >= {"proof_of_admissibility", "abandonment", "uflpa_response", "protest"}
    assert rules["proof_of_admissibility"].bases == ("wro", "caatsa")
    assert (rules["proof_of_admissibility"].unit, rules["proof_of_admissibility"].amount) == (
        "months",
        3,
    )
    assert (rules["abandonment"].counts_from, rules["abandonment"].amount) == ("exclusion", 60)
    assert rules["uflpa_response"].editable is True
    assert rules["uflpa_response"].bases == ("uflpa",)
    assert (rules["protest"].amount, rules["protest"].counts_from) == (180, "exclusion")
    assert "finding" not in {b for r in rules.values() for b in r.bases}
    assert [r for r in rules.values() if r.editable] == [rules["uflpa_response"]]
    assert all(r.citation and r.description and r.label for r in rules.values())
    assert {key for key, _ in LEGAL_BASES} == {"wro", "finding", "caatsa", "uflpa"}


RULE = """
  - key: cbp_decision
    label: CBP decides whether to release or detain
    citation: 19 U.S.C. 1499(c)(1)
    effective: 1993-12-08
    bases: [uflpa, wro]
    counts_from: notice
    unit: business_days
    amount: 5
    editable: false
    owner: CBP
    description: CBP's own deadline.
"""


def _rules(text: str = RULE, **changes: str) -> str:
    for field, value in changes.items():
        lines = [ln for ln in text.splitlines() if not ln.strip().startswith(f"{field}:")]
        if value is not None:
            lines.insert(3, f"    {field}: {value}")
        text = "\n".join(lines)
    return "rules:\n" + text


def test_a_business_day_rule_from_a_custom_file():
    rules = rules_load(_rules())
    assert rules[0].owner == "CBP"
    assert rules[0].roll == "none"
    # Thursday 2 July 2026: Friday 3 July (observed), the weekend -> 6, 7, 8, 9, 10 July.
    dates = CaseDates("wro", None, date(2026, 7, 2), None)
    (decision,) = deadlines_compute(dates, rules=rules)
    assert decision.due == date(2026, 7, 10)
    assert decision.owner == "CBP"
    assert decision.explanation == "5 business days after the detention notice (2 July 2026)"


def test_roll_to_the_next_business_day_when_a_rule_asks_for_it():
    rules = rules_load(_rules(unit="days", amount="3", roll="next_business_day"))
    dates = CaseDates("wro", None, date(2026, 7, 1), None)
    (decision,) = deadlines_compute(dates, rules=rules)
    # 1 July + 3 days = Saturday 4 July; Sunday 5; Monday 6 July is the next business day.
    assert decision.due == date(2026, 7, 6)
    assert decision.explanation == (
        "3 days after the detention notice (1 July 2026), "
        "moved from 4 July 2026 to the next business day"
    )
    (plain,) = deadlines_compute(dates, rules=rules_load(_rules(unit="days", amount="3")))
    assert plain.due == date(2026, 7, 4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"unit": "weeks"},
            "field 'unit': expected one of months, days, business_days, found 'weeks'",
        ),
        ({"citation": None}, "field 'citation': missing"),
        (
            {"bases": "[wro, seizure]"},
            "field 'bases': expected one of wro, finding, caatsa, uflpa, found 'seizure'",
        ),
        ({"bases": "[]"}, "field 'bases': expected a list of legal bases"),
        (
            {"effective": "next spring"},
            "field 'effective': expected a date (YYYY-MM-DD), found 'next spring'",
        ),
        ({"amount": "true"}, "field 'amount': expected a whole number from 1 to 1000, found True"),
        ({"amount": "0"}, "field 'amount': expected a whole number from 1 to 1000, found 0"),
        ({"editable": "maybe"}, "field 'editable': expected true or false, found 'maybe'"),
        (
            {"counts_from": "arrival"},
            "field 'counts_from': expected one of importation, notice, exclusion, found 'arrival'",
        ),
        ({"owner": "broker"}, "field 'owner': expected one of importer, CBP, found 'broker'"),
        ({"roll": "previous"}, "field 'roll': expected one of none, next_business_day"),
        ({"colour": "red"}, "field 'colour': unknown field"),
        ({"label": "''"}, "field 'label': expected text, found ''"),
    ],
)
def test_a_bad_rules_file_names_the_rule_and_the_field(changes, message):
    with pytest.raises(RulesError) as caught:
        rules_load(_rules(**changes))
    assert str(caught.value).startswith("rule 'cbp_decision' (rule 1), ")
    assert message in str(caught.value)


def test_every_problem_is_reported_and_rules_are_numbered():
    text = (
        _rules()
        + "\n"
        + RULE.replace("cbp_decision", "second").replace("unit: business_days", "unit: fortnights")
        + "\n"
        + RULE
    )
    with pytest.raises(RulesError) as caught:
        rules_load(text)
    assert caught.value.errors == [
        "rule 'second' (rule 2), field 'unit': expected one of months, days, business_days, "
        "found 'fortnights'",
        "rule 'cbp_decision' (rule 3), field 'key': 'cbp_decision' is used by an earlier rule",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", "not valid YAML"),
        ("- just a list", "expected a mapping with a list of rules under 'rules:'"),
        ("rules: []", "rules: expected at least one rule"),
        ("rules:\n  - 42", "rule 1: expected a mapping of fields, found 42"),
        ("rules:\n  - label: no key", "rule 1, field 'key': expected a short name"),
    ],
)
def test_a_malformed_rules_file_is_refused(text, message):
    with pytest.raises(RulesError, match=message.replace("[", r"\[").replace("(", r"\(")):
        rules_load(text)


def test_deadlines_are_sorted_by_due_date():
    dates = CaseDates("uflpa", None, date(2026, 3, 3), date(2026, 1, 5))
    found = deadlines_compute(dates)
    assert found
    assert [d.due for d in found] == sorted(d.due for d in found)
    assert found[0].due - found[0].start == timedelta(days=30)
