"""Answers: parsing what people type, conditions, missing answers, red flags."""

import pytest

from chainproof.domain.questionnaire.answers import check, display, ilo_indicators, red_flags
from tests.questionnaire_helpers import TYPED, countries, strt


def _check(**answers):
    questionnaire, _ = strt()
    return check(questionnaire, answers, countries=countries())


def test_a_complete_clean_response_parses_to_codes():
    checked = _check(**TYPED)
    assert checked.issues == []
    assert checked.missing == []
    values = checked.values
    assert values["company_country"] == "VN"
    assert values["scope"] == "goods"
    assert values["signed_on"] == "2026-11-02"
    assert values["fee_structure_verified"] == ["contract_review", "worker_interviews"]
    assert values["source_countries"] == ["US", "IN", "UZ"]
    assert values["overtime_share"] == 12.5
    assert values["worksites"][1] == {
        "name": "Lotus Sewing Subcontractor",
        "address": "Street 271, Phnom Penh",
        "country": "KH",
        "products": "Shirt assembly",
        "total_workers": 150,
        "migrant_workers": 0,
        "dprk_nationals": "unknown",
    }
    assert values["comments"].endswith("行 multi-script text kept as typed.")


@pytest.mark.parametrize(
    ("question", "typed", "expected"),
    [
        ("signed_on", "next week", "a date (YYYY-MM-DD)"),
        ("signed_on", "2026-02-30", "a date (YYYY-MM-DD)"),
        ("policy_dprk", "Maybe", "one of 'Yes', 'No', 'Unknown'"),
        ("overtime_share", "140%", "a percentage from 0 to 100"),
        ("overtime_share", "lots", "a percentage from 0 to 100"),
        ("grievances_last_year", 2.5, "a whole number"),
        ("grievances_last_year", -1, "a number from 0 to 1,000,000"),
        ("signer_email", "lan at lotus", "an email address"),
        ("company_country", "Atlantis", "a country"),
        ("company_name", "x" * 301, "at most 300 characters"),
        ("company_name", "Acme\x00Ltd", "text without control characters"),
        ("certification", "No", "'Yes'"),
    ],
)
def test_each_wrong_answer_says_what_was_expected(question, typed, expected):
    checked = _check(**{**TYPED, question: typed})
    assert [i.question for i in checked.issues] == [question]
    assert expected in checked.issues[0].expected
    assert question not in checked.values


def test_percent_signs_and_y_n_are_understood():
    checked = _check(**{**TYPED, "overtime_share": "12.5%", "policy_dprk": "y"})
    assert checked.values["overtime_share"] == 12.5
    assert checked.values["policy_dprk"] == "yes"


def test_conditional_questions_apply_only_for_their_answer():
    whole_company = {**TYPED, "scope": "My whole company"}
    checked = _check(**whole_company)
    assert "scope_goods" not in checked.values  # a stale answer is dropped
    missing = _check(**{**TYPED, "scope_goods": ""}).missing
    assert missing == ["scope_goods"]
    no_agencies = _check(**{**TYPED, "recruitment_agencies": "No", "agencies_licensed": ""})
    assert "agencies_licensed" not in no_agencies.missing
    assert "fee_structure_verified" not in no_agencies.values


def test_missing_required_answers_are_listed_in_order():
    checked = _check(company_name="Lotus")
    assert checked.missing[:3] == ["company_country", "company_address", "scope"]
    assert "worksites" in checked.missing
    assert "scope_goods" not in checked.missing  # depends on an unanswered question


def test_table_rows_report_row_and_column():
    rows = [
        {
            "name": "A",
            "address": "x",
            "country": "VN",
            "products": "p",
            "total_workers": "many",
            "migrant_workers": 1,
            "dprk_nationals": "None",
        },
        {
            "name": "B",
            "country": "Mars",
            "products": "p",
            "total_workers": 3,
            "migrant_workers": 0,
            "dprk_nationals": "Present",
        },
    ]
    checked = _check(**{**TYPED, "worksites": rows})
    found = {(i.row, i.column, i.expected) for i in checked.issues}
    assert found == {
        (1, "total_workers", "a number"),
        (2, "address", "Full address (required)"),
        (2, "country", "a country (its ISO code or its name) in the countries data"),
    }


def test_red_flags_and_ilo_indicators():
    questionnaire, _ = strt()
    risky = {
        **TYPED,
        "documents_held": "Yes",
        "wages_paid_to": "Both",
        "dprk_own_operations": "Yes",
        "dprk_details": "Twelve workers at the sewing line since 2025.",
        "policy_forced_labor": "No",
        "policy_document": "",
    }
    risky["worksites"] = [{**TYPED["worksites"][0], "dprk_nationals": "Present"}]
    values = check(questionnaire, risky, countries=countries()).values
    flags = {(f.question, f.code) for f in red_flags(questionnaire, values)}
    assert flags == {
        ("policy_forced_labor", "no_forced_labor_policy"),
        ("workers_pay_fees", "worker_paid_recruitment_fees"),
        ("documents_held", "identity_documents_retained"),
        ("wages_paid_to", "wages_paid_to_third_party"),
        ("dprk_own_operations", "dprk_nationals"),
        ("worksites", "dprk_nationals"),
    }
    ilo = ilo_indicators(questionnaire, values)
    assert ilo[7] == ["documents_held"]
    assert set(ilo[9]) == {"workers_pay_fees", "fees_reimbursed"}
    assert display(questionnaire.questions["wages_paid_to"], "mixed") == "Both"


def test_countries_are_read_as_every_other_path_reads_them():
    checked = _check(
        **{
            **TYPED,
            "company_country": "Việt Nam",
            "source_countries": ["P.R.C.", "Türkiye", "中国", "BGD"],
        }
    )
    assert checked.issues == []
    assert checked.values["company_country"] == "VN"
    assert checked.values["source_countries"] == ["CN", "TR", "BD"]


def test_an_ambiguous_country_answer_lists_the_candidates():
    checked = _check(**{**TYPED, "company_country": "Korea"})
    [issue] = checked.issues
    assert issue.question == "company_country"
    assert "South Korea (KR) or North Korea (KP)" in issue.expected
    assert "company_country" not in checked.values
