"""The statement regimes file: every regime loads, is well formed, and a bad file is refused
with the regime and field named."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from chainproof.domain.statements.figures import FIGURES
from chainproof.domain.statements.regimes import (
    REGIMES_FILE,
    RegimesError,
    load_regimes,
    regime,
    regimes_parse,
)


def test_every_regime_loads_with_unique_sections_and_known_figures() -> None:
    regimes = load_regimes()
    assert regimes
    for code, item in regimes.items():
        assert item.code == code
        keys = [s.key for s in item.sections]
        assert len(keys) == len(set(keys)), code
        headings = [s.heading for s in item.sections]
        assert len(headings) == len(set(headings)), code
        for section in item.sections:
            assert section.must_cover, (code, section.key)
            assert section.citation, (code, section.key)
            assert set(section.figures) <= set(FIGURES), (code, section.key)
        assert item.source_url.startswith("https://")


def test_uk_has_the_six_areas_of_section_54_5_and_board_approval() -> None:
    uk = regime("uk_msa")
    assert uk.kind == "statement"
    assert uk.effective_from == date(2015, 10, 29)
    assert [s.citation[-3:] for s in uk.sections] == [f"({letter})" for letter in "abcdef"]
    assert uk.approval.required
    assert "board" in uk.approval.who
    assert uk.approval.citation.endswith("s.54(6)")
    assert "director" in uk.signature
    assert "structure" in uk.section("structure").figures


def test_an_unknown_code_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match=r"no statement regime 'nope'.*uk_msa"):
        regime("nope")
    with pytest.raises(ValueError, match="no section 'nope'"):
        regime("uk_msa").section("nope")


def test_load_regimes_returns_a_copy() -> None:
    first = load_regimes()
    first.clear()
    assert load_regimes()


def _file_with(change: Callable[[dict[str, Any]], None]) -> str:
    data = yaml.safe_load(REGIMES_FILE.read_text(encoding="utf-8"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_broken_file_names_the_regime_and_the_field(tmp_path: Path) -> None:
    def break_it(data: dict[str, Any]) -> None:
        uk = next(r for r in data["regimes"] if r["code"] == "uk_msa")
        uk["effective_from"] = "last year"
        uk["sections"][1]["figures"] = ["polices_in_force"]
        del uk["approval"]["who"]

    path = tmp_path / "regimes.yaml"
    path.write_text(_file_with(break_it), encoding="utf-8")
    with pytest.raises(RegimesError) as caught:
        regimes_parse(path.read_text(encoding="utf-8"))
    errors = caught.value.errors
    assert (
        "regime 'uk_msa', field 'effective_from': expected a date (YYYY-MM-DD), found 'last year'"
        in errors
    )
    assert any(
        e.startswith(
            "regime 'uk_msa', section 'policies', field 'figures': "
            "unknown figure 'polices_in_force'"
        )
        for e in errors
    )
    assert "regime 'uk_msa', field 'approval', field 'who': missing" in errors
