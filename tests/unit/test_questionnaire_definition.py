"""The questionnaire definition: the bundled questionnaire and the checks on bad files."""

import pytest

from chainproof.domain.questionnaire.definition import (
    DefinitionError,
    bundled_definitions,
    parse_definition,
)
from tests.questionnaire_helpers import strt


def test_the_bundled_questionnaire_covers_every_topic():
    questionnaire, _ = strt()
    sections = [s.id for s in questionnaire.sections]
    assert sections == [
        "declaration",
        "policies",
        "operations",
        "recruitment",
        "employment",
        "dprk",
        "grievance",
        "training",
        "contracts",
        "audits",
        "assessment",
        "disclosure",
    ]
    kinds = {q.type for q in questionnaire.ordered()}
    assert kinds >= {
        "yes_no",
        "yes_no_unknown",
        "choice",
        "multi_choice",
        "number",
        "percentage",
        "date",
        "text",
        "countries",
        "table",
        "document",
    }
    worksites = questionnaire.questions["worksites"]
    assert [c.id for c in worksites.columns] == [
        "name",
        "address",
        "country",
        "parent_company",
        "products",
        "total_workers",
        "migrant_workers",
        "dprk_nationals",
    ]
    # Every document question names what it expects and which DHS category it serves.
    for question in questionnaire.ordered():
        if question.type == "document":
            assert question.expects, question.id
            assert question.evidence, question.id
    signals = {
        c.outcome.signal for q in questionnaire.ordered() for c in q.choices if c.outcome.signal
    }
    assert signals == {
        "no_forced_labor_policy",
        "worker_paid_recruitment_fees",
        "identity_documents_retained",
        "wages_paid_to_third_party",
        "no_grievance_mechanism",
        "no_audit",
        "ilo_indicator_found",
    }
    assert questionnaire.sha256
    assert len(bundled_definitions()) >= 1


def _doc(*questions, **extra):
    return {
        "id": "t",
        "version": "1",
        "title": "T",
        "sections": [{"id": "s", "title": "S", "questions": list(questions)}],
        **extra,
    }


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        (
            [{"id": "a", "text": "A", "type": "text"}, {"id": "a", "text": "B", "type": "text"}],
            "question 'a' is defined twice",
        ),
        ([{"id": "a", "text": "A", "type": "colour"}], "sections[0].questions[0].type"),
        (
            [{"id": "b", "text": "B", "type": "text", "show_if": {"question": "a", "in": ["yes"]}}],
            "not an earlier question",
        ),
        (
            [
                {"id": "a", "text": "A", "type": "yes_no"},
                {
                    "id": "b",
                    "text": "B",
                    "type": "text",
                    "show_if": {"question": "a", "in": ["maybe"]},
                },
            ],
            "show_if values ['maybe'] are not answers of 'a'",
        ),
        (
            [{"id": "a", "text": "A", "type": "yes_no", "answers": {"perhaps": {"signal": "x"}}}],
            "['perhaps'] are not choices",
        ),
        ([{"id": "a", "text": "A", "type": "choice"}], "needs a list of choices"),
        ([{"id": "a", "text": "A", "type": "table"}], "needs columns"),
        (
            [{"id": "a", "text": "A", "type": "yes_no", "answers": {"yes": {"ilo": [12]}}}],
            "expected numbers 1-11, found 12",
        ),
        ([{"id": "a", "text": "A", "type": "text", "evidence": [14]}], "numbers 1-13"),
    ],
)
def test_bad_definitions_are_refused_with_the_place(questions, message):
    with pytest.raises(DefinitionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_definition(_doc(*questions))
