from decimal import Decimal

import pytest

from chainproof.domain.geo import xinjiang_match
from chainproof.domain.graph import IMPORTER, ChainEdge, compute_tiers, find_cycles, upstream_map
from chainproof.domain.hts import HtsError, normalize_hts
from chainproof.domain.names import normalize_name
from chainproof.domain.supply_columns import LINKS, parse_bom
from chainproof.domain.tabular import FieldError, Sheet, TableFileError, validate_sheet


def test_normalize_name_folds_case_width_and_punctuation():
    assert normalize_name("ACME Textiles, Co.  Ltd") == "acme textiles co ltd"
    assert normalize_name("\uff21\uff23\uff2d\uff25\u3000Textiles") == "acme textiles"
    assert normalize_name("新疆生产建设兵团") == "新疆生产建设兵团"
    assert normalize_name("Acme Textile") != normalize_name("Acme Textiles")


def test_plain_ascii_names_read_as_the_general_rule_reads_them():
    """Printable ASCII names take a shortcut (a byte table): the same words as the rule
    for every name (NFKC, case folding, punctuation and underscores as spaces)."""
    import random
    import re
    import unicodedata

    from chainproof.domain.names import core_name_uncached, name_words

    def general(name: str) -> str:
        folded = unicodedata.normalize("NFKC", name).casefold()
        return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", folded).replace("_", " ")).strip()

    rng = random.Random(5)
    printable = [chr(c) for c in range(0x20, 0x7F)]
    names = ["", " ", "_", "A_B", "Co.,Ltd.", "  x--Y  ", "".join(printable)]
    names += ["".join(rng.choice(printable) for _ in range(rng.randrange(40))) for _ in range(5000)]
    for name in names:
        assert normalize_name(name) == general(name), name
        assert name_words(name) == general(name).split(), name
    assert core_name_uncached("HOSHINE Silicon Industry (Shanshan) Co., Ltd.") == (
        "hoshine silicon industry shanshan"
    )
    # Not ASCII, or not printable: the general rule.
    assert name_words("Ａcme\tTextiles_Ltd") == ["acme", "textiles", "ltd"]
    assert (
        core_name_uncached("ÇUKUROVA Tekstil A.Ş.") == "çukurova tekstil ş"
    )  # "a" is a connecting word


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6109.10.00.12", "6109.10.00.12"),
        ("6109100012", "6109.10.00.12"),
        ("6109.10.0012", "6109.10.00.12"),
        ("8541.43", "8541.43"),
        ("0304", "0304"),
    ],
)
def test_hts_codes_are_normalised(raw, expected):
    assert normalize_hts(raw) == expected


@pytest.mark.parametrize("raw", ["61091", "6109.10.00.123", "ABCD", "0009.10", ""])
def test_bad_hts_codes_are_refused(raw):
    with pytest.raises(HtsError):
        normalize_hts(raw)


@pytest.mark.parametrize(
    ("fields", "term"),
    [
        ({"subdivision": "Xinjiang"}, "Xinjiang"),
        ({"subdivision": "XUAR"}, "XUAR"),
        ({"subdivision": "新疆维吾尔自治区"}, "新疆"),
        ({"subdivision": "Xinjiang Uygur Autonomous Region"}, "Xinjiang"),
        ({"subdivision": "CN-XJ"}, "CN-XJ"),
        ({"city": "Ürümqi"}, "Urumqi"),
        ({"city": "Shihezi"}, "Shihezi"),
        ({"city": "喀什市"}, "喀什"),
        ({"address": "Industrial Park, Hami, Xinjiang 839000"}, "Xinjiang"),
        ({"country": "CN", "city": "Hotan"}, "Hotan"),
    ],
)
def test_xinjiang_is_recognised_whatever_the_spelling(fields, term):
    match = xinjiang_match(**fields)
    assert match is not None
    assert match.term == term
    assert "places it in Xinjiang" in str(match)


@pytest.mark.parametrize(
    "fields",
    [
        {"subdivision": "Guangdong", "city": "Shenzhen"},
        {"country": "KZ", "city": "Aksu"},
        {"address": "No. 88 Xinjiang Road, Qingdao"},
        {"address": "新疆路88号 青岛"},
        {"address": "12 Manas Road"},
        {"country": "US", "subdivision": "Xinjiang"},
    ],
)
def test_places_outside_xinjiang_are_not_flagged(fields):
    assert xinjiang_match(**fields) is None


def test_tiers_follow_links_from_the_importer():
    edges = [
        ("f:1", IMPORTER),
        ("f:2", "f:1"),
        ("f:3", "f:2"),
        ("s:9", "f:3"),
        ("f:4", "f:2"),
        ("f:5", "f:6"),
    ]
    result = compute_tiers(edges, operators={"f:1": "s:1", "f:3": "s:3"})
    assert result.tiers == {"f:1": 1, "s:1": 1, "f:2": 2, "f:3": 3, "s:3": 3, "f:4": 3, "s:9": 4}
    assert result.tier_of("f:5") is None
    assert result.cycles == []


def test_shortest_path_wins():
    result = compute_tiers([("f:1", IMPORTER), ("f:2", "f:1"), ("f:3", "f:2"), ("f:3", IMPORTER)])
    assert result.tiers["f:3"] == 1


def test_a_supplier_reached_through_its_facility_passes_its_tier_upstream():
    # s:7 operates f:1 (tier 1); a link into the supplier (site unknown) makes f:9 tier 2.
    result = compute_tiers([("f:1", IMPORTER), ("f:9", "s:7")], operators={"f:1": "s:7"})
    assert result.tiers["s:7"] == 1
    assert result.tiers["f:9"] == 2


def test_cycles_terminate_and_are_reported():
    edges = [("f:1", IMPORTER), ("f:2", "f:1"), ("f:3", "f:2"), ("f:2", "f:3"), ("f:4", "f:4")]
    result = compute_tiers(edges)
    assert result.tiers["f:3"] == 3
    assert result.cycles == [["f:2", "f:3"], ["f:4"]]


def test_find_cycles_on_a_long_chain_does_not_recurse():
    edges = [(f"n{i}", f"n{i + 1}") for i in range(50_000)] + [("n50000", "n0")]
    cycles = find_cycles(edges)
    assert len(cycles) == 1
    assert len(cycles[0]) == 50_001


def test_upstream_map_filters_tier_one_inputs_by_the_bill_and_reports_gaps():
    first = [ChainEdge("f:1", IMPORTER, "p:1")]
    into = {
        "f:1": [ChainEdge("f:2", "f:1", "m:fabric"), ChainEdge("f:8", "f:1", "m:unrelated")],
        "f:2": [ChainEdge("f:3", "f:2", "m:yarn")],
        "f:3": [ChainEdge("f:2", "f:3", "m:waste")],  # a cycle back down
    }
    chain = upstream_map(
        first, into, inputs={"m:fabric", "m:elastane"}, unknown_sources=[("f:3", "m:cotton")]
    )
    assert chain.depth == {"f:1": 1, "f:2": 2, "f:3": 3}
    assert ("f:3", "m:cotton") in chain.gaps
    assert (None, "m:elastane") in chain.gaps
    assert "f:8" not in chain.depth


def test_upstream_map_stops_at_max_depth():
    first = [ChainEdge("f:0", IMPORTER, "p:1")]
    into = {f"f:{i}": [ChainEdge(f"f:{i + 1}", f"f:{i}", "m:x")] for i in range(30)}
    chain = upstream_map(first, into, max_depth=5)
    assert max(chain.depth.values()) == 5
    assert chain.truncated


def test_parse_bom():
    assert parse_bom("Cotton=95 | Elastane=5 | sku:TRIM-1") == [
        {"name": "Cotton", "share": Decimal("95.000")},
        {"name": "Elastane", "share": Decimal("5.000")},
        {"name": "sku:TRIM-1", "share": None},
    ]
    with pytest.raises(FieldError):
        parse_bom("Cotton=lots")
    with pytest.raises(FieldError):
        parse_bom("Cotton=150")


def _links(*rows):
    header = list(LINKS.column_names)
    records = [(i + 2, {**dict.fromkeys(header, ""), **row}) for i, row in enumerate(rows)]
    return validate_sheet(LINKS, Sheet("links", header, records), source="links.csv")


def test_a_link_needs_exactly_one_source_target_and_item():
    ok = _links({"from_facility": "F1", "to_importer": "yes", "product_sku": "P1"})
    assert ok[0][1]["to_importer"] is True
    with pytest.raises(TableFileError) as info:
        _links(
            {
                "from_facility": "F1",
                "from_supplier": "S1",
                "to_importer": "yes",
                "product_sku": "P1",
            },
            {"from_unknown": "yes", "to_facility": "F2"},
            {
                "from_facility": "F1",
                "to_facility": "F2",
                "material": "cotton",
                "valid_from": "2025-06-01",
                "valid_to": "2025-01-01",
            },
        )
    messages = [str(e) for e in info.value.errors]
    assert any("row 2, column from_facility: expected exactly one of" in m for m in messages)
    assert any("row 3, column product_sku: expected exactly one of" in m for m in messages)
    assert any("row 4, column valid_to: expected a date on or after" in m for m in messages)
