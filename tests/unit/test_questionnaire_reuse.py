"""Carrying a workbook's answers over to a request of another (or the same) questionnaire
version: kept, dropped and new questions, and the identification re-bound."""

from __future__ import annotations

import copy

import yaml

from chainproof.domain.questionnaire.answers import check
from chainproof.domain.questionnaire.definition import DATA_DIR, parse_definition
from chainproof.domain.questionnaire.reuse import Dropped, carry_over
from tests.questionnaire_helpers import TYPED, countries, strt


def _newer():
    """Version 1.1: 'comments' and the worksites' parent company gone, a question added."""
    document = copy.deepcopy(
        yaml.safe_load((DATA_DIR / "chainproof-strt-1.0.yaml").read_text(encoding="utf-8"))
    )
    document["version"] = "1.1"
    for section in document["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != "comments"]
        for question in section["questions"]:
            if question["id"] == "worksites":
                question["columns"] = [
                    c for c in question["columns"] if c["id"] != "parent_company"
                ]
    document["sections"][1]["questions"].append(
        {"id": "living_wage", "text": "Living wage?", "type": "yes_no", "required": True}
    )
    return parse_definition(document)


def test_the_same_version_keeps_every_answer_and_rebinds_what_differs():
    questionnaire, _ = strt()
    known = {"company_name": "Lotus Garment Company Limited", "company_country": "VN"}
    carried = carry_over(questionnaire, questionnaire, TYPED, known=known, countries=countries())
    assert carried.dropped == ()
    assert carried.not_in_file == ()
    # The name differs and is re-bound; "Viet Nam (VN)" in the file is VN: not listed.
    assert [(r.question, r.in_file, r.here) for r in carried.rebound] == [
        ("company_name", "Lotus Garment Co., Ltd.", "Lotus Garment Company Limited")
    ]
    assert carried.raw["company_name"] == "Lotus Garment Company Limited"
    assert carried.raw["company_country"] == "VN"
    assert {k: v for k, v in carried.raw.items() if k not in known} == {
        k: v for k, v in TYPED.items() if k not in known
    }
    checked = check(questionnaire, carried.raw, countries=countries())
    assert checked.complete


def test_what_this_request_does_not_know_stays_as_the_file_answers_it():
    questionnaire, _ = strt()
    known = {"company_name": "", "company_identifier": "91440101MA59"}
    answers = {k: v for k, v in TYPED.items() if k != "company_native_name"}
    carried = carry_over(questionnaire, questionnaire, answers, known=known, countries={})
    assert carried.raw["company_name"] == TYPED["company_name"]  # blank here: the file's
    assert carried.raw["company_identifier"] == "91440101MA59"
    assert [(r.question, r.in_file) for r in carried.rebound] == [
        ("company_identifier", "0101234567")
    ]
    known = {"company_native_name": "莲花"}
    carried = carry_over(questionnaire, questionnaire, answers, known=known, countries={})
    assert [(r.question, r.in_file, r.here) for r in carried.rebound] == [
        ("company_native_name", "", "莲花")  # the file left it empty
    ]


def test_another_version_drops_and_lists_what_it_no_longer_asks():
    older, _ = strt()
    newer = _newer()
    carried = carry_over(older, newer, TYPED, known={}, countries=countries())
    assert carried.dropped == (Dropped("worksites", "parent_company"), Dropped("comments"))
    assert carried.not_in_file == ("living_wage",)
    assert "comments" not in carried.raw
    checked = check(newer, carried.raw, countries=countries())
    assert checked.issues == []
    assert checked.missing == ["living_wage"]
    assert "parent_company" not in checked.values["worksites"][0]
    # Back the other way: the newer file's extra answer is dropped, the older asks more.
    back = carry_over(newer, older, {**TYPED, "living_wage": "Yes"}, known={}, countries={})
    assert back.dropped == (Dropped("living_wage"),)
    assert back.not_in_file == ("comments",)
