"""The parts of a statement that need no database: the first draft of a section written
from its figures, and a figure compared with last year's (the number and each changed row)."""

from __future__ import annotations

from chainproof.domain.statements.document import Table
from chainproof.domain.statements.regimes import load_regimes
from chainproof.statements.compare import figure_change
from chainproof.statements.drafting import first_draft
from chainproof.statements.figures import Figure


def _figure(key: str, value: int, rows: tuple[tuple[str, str], ...], sentence: str = "") -> Figure:
    return Figure(
        key=key,
        title=key.replace("_", " ").capitalize(),
        sentence=sentence,
        table=Table("caption", ("What", "Number"), rows),
        value=value,
    )


def test_a_section_is_drafted_from_its_figures_sentences_once_each():
    uk = load_regimes()["uk_msa"]
    risk = uk.section("risk")  # high-risk goods, findings... some figures shared with others
    figures = {key: _figure(key, 1, (), sentence=f"Sentence of {key}.") for key in risk.figures}
    figures["findings_by_indicator"] = _figure("findings_by_indicator", 1, (), "Shared.")
    figures["detentions"] = _figure("detentions", 1, (), "Shared.")
    draft = first_draft(uk, risk, figures)
    paragraphs = draft.split("\n\n")
    assert paragraphs[0] == f"Sentence of {risk.figures[0]}."
    assert paragraphs.count("Shared.") == 1


def test_a_section_without_figures_says_what_is_left_to_write():
    australia = load_regimes()["au_msa"]
    consultation = australia.section("consultation")
    assert consultation.figures == ()
    draft = first_draft(australia, consultation, {})
    assert draft.startswith("[To write: ")
    assert consultation.must_cover[0].rstrip(".") in draft


def test_a_changed_figure_shows_the_number_and_the_rows_that_changed():
    before = _figure("structure", 40, (("Suppliers", "40"), ("Worksites", "12"), ("Gone", "1")))
    after = _figure("structure", 42, (("Suppliers", "42"), ("Worksites", "12"), ("New", "3")))
    change = figure_change(before, after)
    assert change is not None
    assert (change.before, change.after) == ("40", "42")
    assert change.rows == [("Suppliers", "40", "42"), ("New", "none", "3"), ("Gone", "1", "none")]
    assert figure_change(after, after) is None
    first = figure_change(None, after)
    assert first is not None
    assert (first.before, first.after) == ("none", "42")
