"""A WRO/Finding text that names several entities, taken apart (domain/screening/entries.py);
list statuses in words; listings of the same entity. Every expectation below was read off
the published text by hand."""

import csv
from pathlib import Path

import pytest

from chainproof.domain.screening.entries import (
    IN_FORCE,
    INACTIVE,
    MODIFIED,
    Listing,
    entry_standing,
    list_name,
    near_identical,
    split_entities,
    status_words,
)

WRO_FILE = Path(__file__).parents[2] / "src/chainproof/reference/data/cbp_wro_findings.csv"

# Every entity text and alias of the bundled WRO/Finding list that is not one name as
# published, with the names it gives.
TAKEN_APART = {
    "Fuchu Prison; Union Kogyo Co., Ltd.": ("Fuchu Prison", "Union Kogyo Co., Ltd."),
    "Guangdong Province No. 1 Reeducation-Through-Labor Camp; Kwong Ngai Industrial Company": (
        "Guangdong Province No. 1 Reeducation-Through-Labor Camp",
        "Kwong Ngai Industrial Company",
    ),
    "Nanhu Tree Farm, Zhejiang Sanmei Tea Co., Ltd.; Imaizumi Tea Manufacturing & Trading Co., "
    "Ltd. (of Nagoya, Japan)": (
        "Nanhu Tree Farm",
        "Zhejiang Sanmei Tea Co., Ltd.",
        "Imaizumi Tea Manufacturing & Trading Co., Ltd.",
    ),
    "Kumar Carpet Pvt., Singhe Carpet Pvt., Ltd., Norsang Carpet Industries Pvt., Ltd., "
    "Annapurna Carpet, Everest Carpet, Valley Carpet, and K.K. Carpet Industries; Kathmandu.": (
        "Kumar Carpet Pvt.",
        "Singhe Carpet Pvt., Ltd.",
        "Norsang Carpet Industries Pvt., Ltd.",
        "Annapurna Carpet",
        "Everest Carpet",
        "Valley Carpet",
        "K.K. Carpet Industries",
    ),
    "Tangshan Sanyou Group and its Subsidiaries": ("Tangshan Sanyou Group",),
    "Yili Zhuowan Garment Manufacturing Co., Ltd. and Baoding LYSZD Trade and Business Co., Ltd.": (
        "Yili Zhuowan Garment Manufacturing Co., Ltd.",
        "Baoding LYSZD Trade and Business Co., Ltd.",
    ),
    "Xinjiang Production and Construction Corporation (XPCC) and its subordinates": (
        "Xinjiang Production and Construction Corporation",
        "XPCC",
    ),
    "Xinjiang Uyghur Autonomous Region (XUAR)": ("Xinjiang Uyghur Autonomous Region", "XUAR"),
    "No. 4 Vocational Skills Education Training Center (VSETC)": (
        "No. 4 Vocational Skills Education Training Center",
        "VSETC",
    ),
    "Fishing Vessels owned by Dalian Ocean Fishing Co. Ltd.": ("Dalian Ocean Fishing Co. Ltd.",),
    "Hoshine Silicon Industry Co. Ltd. and Subsidiaries": ("Hoshine Silicon Industry Co. Ltd.",),
    "Agropecuarios Tom S.A. de C.V. and Horticola Tom S.A. de C.V. and their subsidiaries": (
        "Agropecuarios Tom S.A. de C.V.",
        "Horticola Tom S.A. de C.V.",
    ),
    "Shanghai Select Safety Products Company, Limited and its two subsidiaries from China, "
    "Select (Nantong) Safety Products Co. Limited and Select Protective Technology (HK) "
    "Limited.": (
        "Shanghai Select Safety Products Company, Limited",
        "Select (Nantong) Safety Products Co. Limited",
        "Select Protective Technology (HK) Limited",
    ),
    "Wulin (or Wuling) Machinery Works": ("Wulin Machinery Works", "Wuling Machinery Works"),
    "Shenyang Xingsheng (or Xinsheng) (New Life) Rubber Plant": (
        "Shenyang Xingsheng (New Life) Rubber Plant",
        "Shenyang Xinsheng (New Life) Rubber Plant",
    ),
    # one entity; only the full stop that ends the sentence goes
    "All Turkmenistan Cotton or products produced in whole or in part with Turkmenistan cotton.": (
        "All Turkmenistan Cotton or products produced in whole or in part with Turkmenistan cotton",
    ),
    "Serbia Zijin Copper D.O.O..": ("Serbia Zijin Copper D.O.O.",),
}


def _published_texts():
    with WRO_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["entity"]
            yield from (a.strip() for a in row["aliases"].split("|") if a.strip())


@pytest.mark.parametrize(("text", "names"), sorted(TAKEN_APART.items()))
def test_a_text_naming_several_entities_gives_each_its_name(text, names):
    assert split_entities(text) == names


def test_every_other_text_of_the_bundled_list_is_one_name_as_published():
    texts = set(_published_texts())
    assert len(texts) > 80
    assert set(TAKEN_APART) <= texts  # each expectation above is a real text of the list
    whole = sorted(texts - set(TAKEN_APART))
    assert len(whole) > 60
    assert [t for t in whole if split_entities(t) != (t,)] == []


@pytest.mark.parametrize(
    "name",
    [
        "Xuzhou Forging and Pressing Machine Works",
        "Wang Tsang Coal and Iron Factory",
        "Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry, and Trade Co., Ltd.",
        "Xinjiang Junggar Cotton and Linen Co., Ltd.",
        "Qinghai Leather and Wool Bedding and Garment Factory",
        "Qinghai Hide & Garment Factory",
        "State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico",
        "Tobacco produced in Malawi and products containing tobacco produced in Malawi",
        "Select Protective Technology (HK) Limited",
        "Sichuan (Szechuan) Xinsheng (New Life) Labor Factory",
        "Fishing Vessel: Lien Yi Hsing No. 12",
    ],
)
def test_an_and_or_comma_inside_one_name_does_not_split_it(name):
    assert split_entities(name) == (name,)


def test_invented_texts_follow_the_same_rules():
    assert split_entities("Alpha Textile Co., Ltd. and Beta Dyeing Factory") == (
        "Alpha Textile Co., Ltd.",
        "Beta Dyeing Factory",
    )
    # the part after "and" is no name by itself: one name
    assert split_entities("Alpha Textile Factory and Beta") == ("Alpha Textile Factory and Beta",)
    # a place after the semicolon goes, a name after it stays
    assert split_entities("Gamma Mining Co.; Lubumbashi") == ("Gamma Mining Co.",)
    assert split_entities("Gamma Mining Co.; Delta Smelter Plant") == (
        "Gamma Mining Co.",
        "Delta Smelter Plant",
    )
    # an acronym in brackets that does not spell the words before it stays in the name
    assert split_entities("Omega Trading (ABC) Limited") == ("Omega Trading (ABC) Limited",)
    assert split_entities("  ") == ()


@pytest.mark.parametrize(
    ("status", "standing", "words"),
    [
        ("Active", IN_FORCE, "active"),
        ("", IN_FORCE, ""),
        ("Partially Modified", MODIFIED, "partially modified"),
        ("Inactive-Pending Litigation", INACTIVE, "inactive (pending litigation)"),
        ("Revoked", INACTIVE, "revoked"),
        ("Inactive: Modified", INACTIVE, "inactive (modified)"),
    ],
)
def test_a_status_says_how_far_an_entry_is_in_force_in_words(status, standing, words):
    assert entry_standing(status) == standing
    assert status_words(status) == words


def test_lists_by_their_names():
    assert list_name("uflpa") == "UFLPA Entity List"
    assert list_name("ofac_sdn_dprk") == "OFAC SDN list (North Korea)"
    assert list_name("cbp_wro") == "CBP Withhold Release Orders and Findings"
    assert list_name("watchlist") == "Your watchlist"
    assert list_name("other") == "other"


def test_listings_of_the_same_entity_are_near_identical():
    uflpa = Listing("HOSHINE SILICON INDUSTRY CO., LTD.", ("HOSHINE SILICON INDUSTRY CO., LTD.",))
    wro = Listing("Hoshine Silicon Industry Co. Ltd.", ("Hoshine Silicon Industry Co. Ltd.",))
    assert near_identical(uflpa, wro)  # the same name once legal forms go
    # an alias of one entry is the other's name
    alias = Listing("Hesheng Silicon", ("Hoshine Silicon (Shanshan) Co.", "Hesheng Silicon"))
    other = Listing("Hoshine Silicon (Shanshan) Co., Ltd.", ("Hoshine Silicon (Shanshan)",))
    assert near_identical(alias, other)
    # names that only share words are decided one by one
    shanshan = Listing("Hoshine Silicon Industry (Shanshan) Co., Ltd and subsidiaries", ())
    plain = Listing("Hoshine Silicon Industry Co.", ())
    assert not near_identical(shanshan, plain)
    group = Listing("Xinjiang Huafu Color Spinning Group Co., Ltd.", ())
    aksu = Listing("Aksu Huafu Color Spinning Co., Ltd.", ())
    assert not near_identical(group, aksu)
