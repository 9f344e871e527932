"""Name matching across scripts: transliteration, glossing, scoring, explanations."""

import pytest

from chainproof.domain.screening.matcher import (
    NO_DISTINCTIVE_CAP,
    ListEntry,
    ListIndex,
    fold,
    variants,
)
from chainproof.domain.screening.translit import (
    cyrillic_variants,
    hangul_variants,
    pinyin_variants,
    romanize_mr,
    romanize_rr,
)


def test_hangul_romanizations_hand_checked():
    found = hangul_variants("김정은")
    assert found[:3] == ("gimjeongeun", "kimjŏngŭn", "kimjongun")
    assert {"gim jeongeun", "kim chŏngŭn", "kim chongun", "kim Jong Un"} <= set(found)
    rr, mr, plain = hangul_variants("정찰총국")
    assert rr == "jeongchalchongguk"
    assert mr == "chŏngch'alch'ongguk"
    assert plain == "chongchalchongguk"
    assert hangul_variants("조선") == ("joseon", "chosŏn", "choson")


@pytest.mark.parametrize(
    ("word", "rr", "mr"),
    [
        ("평양", "pyeongyang", "p'yŏngyang"),
        ("부산", "busan", "pusan"),
        ("인천", "incheon", "inch'ŏn"),
        ("남대문", "namdaemun", "namdaemun"),
        ("신의주", "sinuiju", "sinŭiju"),
    ],
)
def test_revised_romanization_and_mccune_reischauer(word, rr, mr):
    assert romanize_rr(word) == rr
    assert romanize_mr(word) == mr


def test_pinyin_split_joined_and_toned():
    split, joined, toned = pinyin_variants("新疆")
    assert (split, joined, toned) == ("xin jiang", "xinjiang", "xīn jiāng")


def test_cyrillic():
    assert cyrillic_variants("Приморье Минтай")[:2] == ("primorye mintay", "primore mintai")


def test_fold_removes_case_width_accents_and_punctuation():
    assert fold("\uff21\uff23\uff2d\uff25  Chŏng-ŭn, Co.") == "acme chong un co"


def test_variants_say_how_they_were_made():
    found = {v.how: v for v in variants("新疆生产建设兵团")}
    assert {"as written", "pinyin, word by word", "Chinese terms in English"} <= set(found)
    gloss = found["Chinese terms in English"]
    assert gloss.text == "xinjiang production construction corps"
    assert gloss.roles[0] == "place"


@pytest.fixture(scope="module")
def index():
    return ListIndex.build(
        [
            ListEntry("ofac:1", "ofac_sdn_dprk", ("KIM JONG UN",), "KP"),
            ListEntry(
                "uflpa:1", "uflpa", ("Xinjiang Production and Construction Corps", "XPCC"), "CN"
            ),
            ListEntry(
                "ofac:2",
                "ofac_sdn_dprk",
                ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "KOMID"),
                "KP",
            ),
            ListEntry(
                "ofac:3",
                "ofac_sdn_dprk",
                ("RECONNAISSANCE GENERAL BUREAU", "CHONGCH'AL CH'ONGGUK"),
                "KP",
            ),
            ListEntry("uflpa:2", "uflpa", ("Hoshine Silicon Industry (Shanshan) Co., Ltd",), "CN"),
            ListEntry("ofac:4", "ofac_sdn_dprk", ("KOREA KUMRYONG TRADING CORPORATION",), "KP"),
        ]
    )


@pytest.mark.parametrize(
    ("name", "entry", "at_least"),
    [
        ("김정은", "ofac:1", 0.95),
        ("Kim Jong-un", "ofac:1", 0.95),
        ("新疆生产建设兵团", "uflpa:1", 0.95),
        ("조선광업개발무역회사", "ofac:2", 0.95),
        ("정찰총국", "ofac:3", 0.95),
        ("Chongchal Chongguk", "ofac:3", 0.9),
        ("XINJIANG PRODUCTION & CONSTRUCTION CORPS.", "uflpa:1", 0.95),
        ("Hoshine Silicon Industry Shanshan Company Limited", "uflpa:2", 0.9),
    ],
)
def test_true_matches_across_scripts_and_spellings(index, name, entry, at_least):
    matches = index.screen([name])
    assert matches[0].entry.key == entry
    assert matches[0].score >= at_least


def test_generic_words_alone_do_not_make_a_match(index):
    matches = index.screen(["Korea Sinhung Trading Corporation"])
    assert all(m.score <= NO_DISTINCTIVE_CAP for m in matches)


def test_explanations_name_the_variants_and_the_words(index):
    match = index.screen(["김정은"])[0]
    text = match.explanation()
    assert "'김정은' read " in text
    assert match.comparison.query.how in {v.how for v in variants("김정은")}
    assert "jong" in text
    assert "KIM JONG UN" in text


def test_country_qualifiers(index):
    same = index.screen(["Hoshine Silicon Industry"], country="CN")[0]
    other = index.screen(["Hoshine Silicon Industry"], country="BR")[0]
    assert same.score > other.score
    assert ("same country CN", 0.03) in same.qualifiers
    assert any(q.startswith("country BR vs CN") for q, _ in other.qualifiers)


def test_candidates_come_from_the_index_not_a_full_scan(index):
    assert index.candidates(variants("Completely Unrelated Bakery")) == []


@pytest.fixture(scope="module")
def people():
    return ListIndex.build(
        [
            ListEntry("ofac:10", "ofac_sdn_dprk", ("RI, Pyong Chol",), "KP"),
            ListEntry("ofac:11", "ofac_sdn_dprk", ("RYU, Jin",), "KP"),
            ListEntry(
                "watchlist:1",
                "watchlist",
                ("Dandong Golden Bridge Trading Co., Ltd.",),
                "CN",
                address="No. 18 Binjiang Middle Road, Zhenxing District, Dandong, Liaoning",
            ),
        ]
    )


@pytest.mark.parametrize(
    ("name", "entry"),
    [("Lee Pyong-chol", "ofac:10"), ("Yi Pyong Chol", "ofac:10"), ("Yoo Jin", "ofac:11")],
)
def test_korean_family_names_written_north_and_south(people, name, entry):
    match = people.screen([name])[0]
    assert match.entry.key == entry
    assert match.score >= 0.9
    assert match.comparison.query.how == "Korean sounds"


def test_a_different_family_name_is_not_a_match(people):
    assert all(m.score < 0.7 for m in people.screen(["Pak Pyong Chol"]))


def test_similar_address_adds_to_the_score_and_says_so(people):
    name = ["Dandong Golden Bridge Trading"]
    plain = people.screen(name)[0]
    near = people.screen(name, address="18 Binjiang Middle Rd, Zhenxing District, Dandong")[0]
    far = people.screen(name, address="55 Harbour Road, Wan Chai, Hong Kong")[0]
    assert near.score == pytest.approx(min(1.0, plain.score + 0.05))
    assert any(q.startswith("similar address") for q, _ in near.qualifiers)
    assert far.score == plain.score
    assert far.qualifiers == ()
    assert "similar address" in near.explanation()


def test_threshold_drops_weak_matches(people):
    assert people.screen(["Pak Pyong Chol"], threshold=0.7) == []
    assert people.screen(["Pak Pyong Chol"], threshold=0.0)


def test_equal_candidates_come_in_key_order():
    entries = [ListEntry(f"e:{i}", "x", ("Zhenxing Mining",)) for i in range(5)]
    index = ListIndex.build(reversed(entries))
    assert index.candidates(variants("Zhenxing")) == [(e.key, e.names[0]) for e in entries]
