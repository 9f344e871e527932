"""The questionnaire workbook's country drop-down, built from the countries dataset as loaded:
every label is the country's name and its code, and a label reads back as the code."""

import io
import re

import pytest
from openpyxl import load_workbook

from chainproof.domain.questionnaire.answers import check
from chainproof.fileformats.questionnaire_workbook_build import LISTS_SHEET, build_workbook
from chainproof.reference.selectors import country_names
from tests.questionnaire_helpers import TYPED, strt

pytestmark = pytest.mark.django_db


def test_drop_down_labels_are_names_and_read_back_as_codes(refdata):
    names = country_names()
    assert (names["US"], names["GB"], names["CN"]) == ("United States", "United Kingdom", "China")
    questionnaire, layout = strt()
    data = build_workbook(questionnaire, layout, countries=names, meta={"request": "R-1"})
    sheet = load_workbook(io.BytesIO(data))[LISTS_SHEET]
    labels = [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and re.fullmatch(r".+ \([A-Z]{2}\)", cell.value)
    ]
    assert len(labels) == len(names)
    assert "United States (US)" in labels
    assert "United Kingdom (GB)" in labels
    assert [label for label in labels if re.fullmatch(r"[A-Z.]{1,5} \([A-Z]{2}\)", label)] == []

    answers = {**TYPED, "company_country": "United Kingdom (GB)"}
    answers["source_countries"] = ["United States (US)", "South Korea (KR)"]
    values = check(questionnaire, answers, countries=names).values
    assert values["company_country"] == "GB"
    assert values["source_countries"] == ["US", "KR"]
