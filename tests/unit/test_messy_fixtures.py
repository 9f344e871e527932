"""The messy supplier-list fixtures, their answer key and the shipped saved mappings agree."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from chainproof.domain.supply_columns import COLUMN_SETS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "messy_supplier_lists"
MAPPINGS = ROOT / "src" / "chainproof" / "suppliers" / "mappings"
TRUTH = {f["file"]: f for f in json.loads((DATA / "truth.json").read_text("utf-8"))["files"]}


def csv_rows(name: str, encoding: str, delimiter: str, header_row: int) -> list[list[str]]:
    text = (DATA / name).read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))[header_row - 1 :]


def headers_of(name: str) -> list[str]:
    truth = TRUTH[name]
    if name.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(DATA / name, read_only=True)[truth["sheet"]]
        rows = list(sheet.iter_rows(values_only=True))
        return [str(h) for h in rows[truth["header_row"] - 1]]
    return csv_rows(name, truth["encoding"], truth["delimiter"], truth["header_row"])[0]


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_answer_key_counts_match_the_file(name: str) -> None:
    truth = TRUTH[name]
    if name.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(DATA / name, read_only=True)[truth["sheet"]]
        data = list(sheet.iter_rows(values_only=True))[truth["first_data_row"] - 1 :]
    else:
        data = csv_rows(name, truth["encoding"], truth["delimiter"], truth["first_data_row"])
    assert len(data) == truth["data_rows"]
    last = truth["first_data_row"] + truth["data_rows"] - 1
    grouped = [n for g in truth["duplicate_groups"] for n in g["rows"]]
    flagged = [h["row"] for h in truth["needs_hand_edit"]]
    assert len(grouped) == len(set(grouped)), "a row is in two duplicate groups"
    assert all(truth["first_data_row"] <= n <= last for n in grouped + flagged)
    assert len(flagged) <= 0.03 * truth["data_rows"]


@pytest.mark.parametrize(
    ("mapping", "name"),
    [("erp_vendor_master", "vendor_master_cp1252.csv"), ("open_supply_hub", "osh_facilities.csv")],
)
def test_shipped_mapping_covers_its_file(mapping: str, name: str) -> None:
    spec = yaml.safe_load((MAPPINGS / f"{mapping}.yaml").read_text("utf-8"))
    fields = {c.name for c in COLUMN_SETS[spec["entity"]].columns} | {"attribute", "ignore"}
    columns = {k.lower(): v for k, v in spec["columns"].items()}
    assert set(columns.values()) <= fields, set(columns.values()) - fields
    headers = [h.lower() for h in headers_of(name)]
    assert [h for h in headers if h not in columns] == []
    mapped = [columns[h] for h in headers if columns[h] not in ("attribute", "ignore")]
    assert len(mapped) == len(set(mapped)), "two columns of the file fill one field"
    required = {c.name for c in COLUMN_SETS[spec["entity"]].columns if c.required}
    assert required <= set(mapped)
