"""The questionnaire's texts in the supplier's language: every text of the version in all
six languages, choice values unchanged, a label in any language read as its choice, and a
workbook written in Chinese (sheet names, questions, drop-downs) read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from chainproof.domain.questionnaire.answers import AnswerError, check, parse_value
from chainproof.domain.questionnaire.cell_map import translated_layout
from chainproof.domain.questionnaire.translations import (
    bundled_translations,
    translate,
    translation_problems,
    with_aliases,
)
from chainproof.fileformats.questionnaire_workbook import check_workbook, open_workbook, read_meta
from chainproof.fileformats.questionnaire_workbook_build import build_workbook
from chainproof.questionnaires.workbook_words import workbook_words
from tests.questionnaire_helpers import TYPED, countries, fill, strt

LANGUAGES = ("zh-hans", "vi", "es", "ko", "tr", "bn")


@pytest.fixture(scope="module")
def translations():
    questionnaire, _ = strt()
    return bundled_translations(questionnaire)


def test_every_text_of_the_version_is_translated_into_six_languages(translations):
    questionnaire, _ = strt()
    assert sorted(translations) == sorted(LANGUAGES)
    for language, document in translations.items():
        assert translation_problems(questionnaire, document) == [], language
        shown = translate(questionnaire, document)
        english = [q.text for q in questionnaire.ordered()]
        translated = [q.text for q in shown.ordered()]
        assert len(translated) == len(english) > 70
        # Not English left in place: at most a few texts (a name, an acronym) coincide.
        assert sum(a == b for a, b in zip(english, translated, strict=True)) == 0, language
        assert [s.title for s in shown.sections] != [s.title for s in questionnaire.sections]


def test_a_translation_missing_a_text_or_naming_an_unknown_one_is_refused(translations):
    questionnaire, _ = strt()
    document = {**translations["zh-hans"]}
    questions = dict(document["questions"])
    del questions["policy_dprk"]
    questions["no_such_question"] = "多余的问题"
    document["questions"] = questions
    problems = translation_problems(questionnaire, document)
    assert any(p.startswith("questions.policy_dprk.text: missing") for p in problems)
    assert any(p.startswith("questions.policy_dprk.expects: missing") for p in problems)
    assert "questions.no_such_question.text: not in chainproof-strt@1.0" in problems


def test_chinese_texts_keep_the_values_and_read_english_labels(translations):
    questionnaire, _ = strt()
    chinese = translate(questionnaire, translations["zh-hans"])
    assert chinese.sections[0].title == "声明"
    scope = chinese.questions["scope"]
    assert [c.value for c in scope.choices] == ["company", "goods"]
    assert [c.label for c in scope.choices] == ["本公司全部业务", "仅限下列货物"]
    assert chinese.questions["policy_dprk"].text.startswith("该政策是否禁止")
    assert chinese.questions["policy_dprk"].expects == "关于朝鲜劳工的政策条款"
    worksites = chinese.questions["worksites"]
    assert worksites.columns[0].label == "工作场所名称"
    # The meaning (outcomes) is the English definition's.
    assert chinese.questions["workers_pay_fees"].choice("yes").outcome.signal == (
        "worker_paid_recruitment_fees"
    )
    # Shown in Chinese, an English label still reads as its choice.
    assert parse_value("choice", "Only the goods named below", choices=scope.choices) == "goods"
    assert parse_value("choice", "仅限下列货物", choices=scope.choices) == "goods"


def test_a_label_in_any_language_reads_as_its_choice_and_never_as_two(translations):
    questionnaire, _ = strt()
    english = with_aliases(questionnaire, translations)
    policy = english.questions["policy_dprk"]
    for label, value in (
        ("是", "yes"),
        ("Không", "no"),
        ("No se sabe", "unknown"),
        ("모름", "unknown"),
    ):
        assert parse_value("yes_no_unknown", label, choices=policy.choices) == value
    with pytest.raises(AnswerError):
        parse_value("yes_no_unknown", "也许", choices=policy.choices)
    checked = 0
    for question in english.ordered():
        for choices in [question.choices, *(c.choices for c in question.columns)]:
            owner: dict[str, str] = {}
            for choice in choices:
                for label in (choice.label, *choice.aliases):
                    assert owner.setdefault(label.casefold(), choice.value) == choice.value, (
                        question.id,
                        label,
                    )
                    checked += 1
    assert checked > 500


def _in_chinese(typed, chinese):
    """TYPED with every choice written as the Chinese drop-down shows it."""
    out = {}
    for qid, value in typed.items():
        question = chinese.questions[qid]
        english = strt()[0].questions[qid]

        def label(choices_en, choices_zh, text):
            parts = [p.strip() for p in str(text).split("|")]
            found = [
                next(z.label for e, z in zip(choices_en, choices_zh, strict=True) if e.label == p)
                for p in parts
            ]
            return " | ".join(found)

        if question.type == "table":
            out[qid] = [
                {
                    cid: label(
                        next(c.choices for c in english.columns if c.id == cid),
                        next(c.choices for c in question.columns if c.id == cid),
                        v,
                    )
                    if next(c for c in question.columns if c.id == cid).choices
                    else v
                    for cid, v in row.items()
                }
                for row in value
            ]
        elif question.choices:
            out[qid] = label(english.choices, question.choices, value)
        else:
            out[qid] = value
    return out


def test_a_workbook_written_and_filled_in_chinese_reads_back_as_in_english(translations):
    questionnaire, layout = strt()
    chinese = translate(questionnaire, translations["zh-hans"])
    words = workbook_words("zh-hans")
    chinese_layout = translated_layout(layout, words.sheets)
    blank = build_workbook(
        chinese,
        chinese_layout,
        countries=countries(),
        meta={"language": "zh-hans", "request": "REQ-1"},
        words=words,
    )
    book = load_workbook(io.BytesIO(blank))
    assert book.sheetnames[:4] == ["填写说明", "检查", "_lists", "声明"]
    assert {"问题", "工作场所", "国家和地区"} <= set(book.sheetnames)
    declaration = book["声明"]
    assert declaration["A1"].value == "强迫劳动尽职调查问卷 - 声明"
    certification = chinese_layout.cells["certification"]
    row = certification.row
    assert declaration[f"B{row}"].value.startswith("本人证明")
    listed = {c.value for col in book["_lists"].iter_cols() for c in col if c.value}
    assert {"是", "否", "不清楚", "部分退还"} <= listed  # the drop-downs, in Chinese
    assert not {"Yes", "No", "Partly"} & listed

    typed = _in_chinese(TYPED, chinese)
    assert typed["fees_reimbursed"] == "部分退还"
    filled = fill(blank, chinese_layout, typed)
    archive = open_workbook(filled, "莲花.xlsx")
    assert read_meta(archive)["language"] == "zh-hans"
    reader = with_aliases(questionnaire, translations)  # the version as stored: English
    _result, read = check_workbook(archive, reader, chinese_layout, countries=countries())
    assert read.issues == []
    expected = check(questionnaire, TYPED, countries=countries()).values
    assert read.values == expected
    assert read.values["fees_reimbursed"] == "partly"
    assert read.values["worksites"][1]["dprk_nationals"] == "unknown"
