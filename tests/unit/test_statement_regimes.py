"""The statement regimes file: every regime loads, is well formed, and a bad file is refused
with the regime and field named."""

from __future__ import annotations

import re
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


CODES = ("uk_msa", "au_msa", "ca_s211", "ca_tisca", "eu_flr")


def test_the_five_regimes_load_in_order_with_their_effective_dates() -> None:
    regimes = load_regimes()
    assert tuple(regimes) == CODES
    assert {code: r.effective_from for code, r in regimes.items()} == {
        "uk_msa": date(2015, 10, 29),
        "au_msa": date(2019, 1, 1),
        "ca_s211": date(2024, 1, 1),
        "ca_tisca": date(2012, 1, 1),
        "eu_flr": date(2027, 12, 14),
    }
    assert [r.kind for r in regimes.values()] == ["statement"] * 4 + ["readiness"]


def _letters(citations: list[str]) -> list[str]:
    return [c[c.rindex("(") :] for c in citations]


def test_australia_has_the_seven_mandatory_criteria_and_board_approval() -> None:
    au = regime("au_msa")
    assert len(au.sections) == 7
    assert _letters([s.citation for s in au.sections]) == [f"({x})" for x in "abcdefg"]
    assert all("s.16(1)" in s.citation for s in au.sections)
    assert au.approval.required
    assert "principal governing body" in au.approval.who
    assert "s.13(2)(c)" in au.approval.citation
    assert "s.16(2)" in au.approval.citation
    assert "responsible member" in au.signature
    assert "6 months" in au.due


def test_canada_has_the_steps_and_the_seven_items_of_section_11_3() -> None:
    ca = regime("ca_s211")
    assert ca.sections[0].citation.endswith("s.11(1)")
    assert _letters([s.citation for s in ca.sections[1:]]) == [f"({x})" for x in "abcdefg"]
    assert ca.section("training").citation.endswith("s.11(3)(f)")
    assert ca.approval.required
    assert "governing body" in ca.approval.who
    assert ca.approval.citation.endswith("s.11(4)-(5)")
    assert "31 May" in ca.due


def test_california_has_the_five_disclosure_areas_and_no_approval() -> None:
    tisca = regime("ca_tisca")
    assert [s.key for s in tisca.sections] == [
        "verification",
        "audits",
        "certification",
        "accountability",
        "training",
    ]
    assert _letters([s.citation for s in tisca.sections]) == [f"({n})" for n in "12345"]
    assert not tisca.approval.required
    assert tisca.signature == ""
    assert "homepage" in tisca.due


def test_the_eu_report_is_a_readiness_report_needing_no_approval() -> None:
    eu = regime("eu_flr")
    assert eu.kind == "readiness"
    assert not eu.approval.required
    keys = [s.key for s in eu.sections]
    assert {"risk_database", "due_diligence", "investigation", "decisions"} <= set(keys)
    assert "Art. 17" in eu.section("due_diligence").citation
    assert "Art. 8" in eu.section("risk_database").citation
    assert "14 December 2027" in eu.notes


def test_approval_rules_are_consistent() -> None:
    for item in load_regimes().values():
        if item.approval.required:
            assert item.approval.who, item.code
            assert item.approval.citation, item.code
            assert item.signature, item.code
        assert item.kind == "statement" or not item.approval.required


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


def test_a_broken_section_without_a_key_is_named_by_position(tmp_path: Path) -> None:
    def break_it(data: dict[str, Any]) -> None:
        au = next(r for r in data["regimes"] if r["code"] == "au_msa")
        del au["sections"][2]["key"]
        au["sections"][3]["must_cover"] = []
        au["kind"] = "report"
        data["regimes"].append(dict(data["regimes"][0]))

    with pytest.raises(RegimesError) as caught:
        regimes_parse(_file_with(break_it))
    errors = caught.value.errors
    assert "regime 'au_msa', section 3, field 'key': missing" in errors
    assert (
        "regime 'au_msa', section 'actions', field 'must_cover': "
        "expected a list of one or more sentences, found []"
    ) in errors
    assert (
        "regime 'au_msa', field 'kind': expected one of statement, readiness, found 'report'"
        in (errors)
    )
    assert "regime 'uk_msa', field 'code': used by two regimes" in errors


def test_required_approval_needs_who_and_citation() -> None:
    def break_it(data: dict[str, Any]) -> None:
        data["regimes"][0]["approval"]["who"] = ""

    with pytest.raises(RegimesError, match=r"regime 'uk_msa', field 'approval', field 'who'"):
        regimes_parse(_file_with(break_it))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("regimes: [", "not valid YAML"),
        ("source: {}\n", "a list under 'regimes'"),
        ("regimes: []\n", "'source' mapping"),
        ("source: {}\nregimes: [12]\n", "regime 1: expected a mapping"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(text: str, message: str) -> None:
    with pytest.raises(RegimesError, match=re.escape(message)):
        regimes_parse(text)
