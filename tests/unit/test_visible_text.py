"""Text as a reader sees it: the one rule for stored text (chainproof.domain.text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chainproof.domain.names import normalize_name
from chainproof.domain.text import visible


def test_zero_width_characters_between_letters_are_removed_and_named():
    shown = visible("Hoshine\u200b Sili\u200bcon\ufeff Industry")
    assert shown.text == "Hoshine Silicon Industry"
    assert shown.note == "2 x ZERO WIDTH SPACE, ZERO WIDTH NO-BREAK SPACE"


def test_a_name_stored_backwards_under_a_right_to_left_override_reads_forwards():
    stored = "\u202e.dtL ,.oC yrtsudnI nociliS enihsoH\u202c"
    shown = visible(stored)
    assert shown.text == "Hoshine Silicon Industry Co., Ltd."
    assert "RIGHT-TO-LEFT OVERRIDE" in shown.note


def test_an_override_left_open_runs_to_the_end():
    assert visible("Acme \u202eetinihsoH").text == "Acme Hoshinite"


def test_controls_become_spaces_on_one_line_and_stay_as_line_breaks_in_paragraphs():
    assert visible("Ctrl\x0bName\x00").text == "Ctrl Name"
    assert visible("line one\r\nline two\tend\x07", multiline=True).text == (
        "line one\nline two\tend"
    )
    assert "BEL" in visible("a\x07b").note or "U+0007" in visible("a\x07b").note


def test_joiners_that_spell_a_word_are_kept_and_stray_ones_removed():
    persian = "می\u200cخواهم"  # ZWNJ between Arabic-script letters is spelling
    assert visible(persian).text == persian
    assert visible("Ac\u200dme").text == "Acme"


def test_lone_surrogates_and_noncharacters_are_removed():
    assert visible("ab\ud800c\uffff").text == "abc"


def test_ordinary_text_in_any_script_is_unchanged():
    for text in ("Lotus Garment Co., Ltd.", "新疆生产建设兵团", "김정은", "Çalık Denim", "Nguyễn"):
        shown = visible(text)
        assert shown.text == text
        assert shown.removed == ()


def test_matching_names_ignore_invisible_characters():
    assert normalize_name("Hos\u200bhine\u00ad Silicon") == normalize_name("Hoshine Silicon")


@given(st.text())
def test_visible_text_holds_no_control_or_format_character(text):
    import unicodedata

    shown = visible(text).text
    assert all(unicodedata.category(c) not in ("Cc", "Cs") for c in shown)
    assert all(unicodedata.category(c) != "Cf" or c in "\u200c\u200d" for c in shown)
    assert visible(shown).text == shown  # applying it twice changes nothing more
