"""Likely duplicates in an import file and against stored records (domain.duplicates)."""

from __future__ import annotations

from chainproof.domain.duplicates import (
    Candidate,
    DuplicatePair,
    duplicate_groups,
    duplicate_key,
    find_duplicates,
)


def _pair(pairs: list[DuplicatePair], a: object, b: object) -> DuplicatePair | None:
    found = [p for p in pairs if {p.a, p.b} == {a, b}]
    assert len(found) <= 1, found
    return found[0] if found else None


def _two(name_a: str, name_b: str, country_a: str = "CN", country_b: str = "CN", **kw):
    pairs = find_duplicates(
        [Candidate(2, name_a, country=country_a), Candidate(3, name_b, country=country_b)], **kw
    )
    return _pair(pairs, 2, 3)


def test_ltd_and_limited_are_the_same_name_in_the_same_country():
    pair = _two("Acme Textile Co., Ltd.", "ACME TEXTILE COMPANY LIMITED")
    assert pair is not None
    assert pair.sure
    assert pair.score == 1.0
    assert "'co ltd' and 'company limited'" in pair.reason
    assert (pair.a, pair.b) == (2, 3)


def test_legal_forms_in_several_languages_are_read_alike():
    assert duplicate_key("Acme Corp") == duplicate_key("ACME CORPORATION")
    assert duplicate_key("Acme Inc.") == duplicate_key("Acme Incorporated")
    assert duplicate_key("Acme L.L.C.") == duplicate_key("Acme Limited Liability Company")
    assert duplicate_key("Acme GmbH") == duplicate_key("Acme Gesellschaft mit beschränkter Haftung")
    assert duplicate_key("Acme S.A.") == duplicate_key("Acme Société Anonyme")
    assert duplicate_key("Smith & Sons") == duplicate_key("Smith and Sons")
    assert duplicate_key("华孚色纺有限公司") == duplicate_key("华孚色纺股份有限公司")
    assert duplicate_key("华孚色纺有限责任公司") == duplicate_key("华孚色纺有限公司")
    assert duplicate_key("Acme Inc") != duplicate_key("Acme Ltd")  # different forms stay apart


def test_turkish_dotted_and_dotless_i_and_turkish_legal_forms():
    pair = _two(
        "ÇALIK DENİM TEKSTİL SANAYİ VE TİCARET A.Ş.",
        "Çalık Denim Tekstil San. ve Tic. Anonim Şirketi",
        "TR",
        "TR",
    )
    assert pair is not None
    assert pair.sure
    assert "Turkish İ and ı" in pair.reason
    assert duplicate_key("ÇALIK") == duplicate_key("Çalık") == "calik"
    assert duplicate_key("Kipaş AŞ") == duplicate_key("KİPAŞ A.Ş.")


def test_the_same_name_in_different_countries_is_doubtful():
    pair = _two("Acme Textile Ltd", "Acme Textile Limited", "CN", "VN")
    assert pair is not None
    assert not pair.sure
    assert "different countries (CN and VN)" in pair.reason


def test_the_same_identifier_is_sure_whatever_the_names():
    rows = [
        Candidate(2, "Acme", identifiers=frozenset({("DUNS", "012345678")})),
        Candidate(
            3, "Something Else", country="VN", identifiers=frozenset({("DUNS", "012345678")})
        ),
        Candidate(4, "Unrelated", identifiers=frozenset({("LEI", "012345678")})),
    ]
    pairs = find_duplicates(rows)
    assert [(p.a, p.b, p.sure, p.reason) for p in pairs] == [(2, 3, True, "same DUNS 012345678")]


def test_different_identifiers_of_one_scheme_are_never_sure():
    rows = [
        Candidate(2, "Smith & Sons Ltd", country="GB", identifiers=frozenset({("DUNS", "1")})),
        Candidate(
            3, "Smith and Sons Limited", country="GB", identifiers=frozenset({("DUNS", "2")})
        ),
    ]
    pair = _pair(find_duplicates(rows), 2, 3)
    assert pair is not None
    assert not pair.sure
    assert "identifiers differ: DUNS 1 vs 2" in pair.reason
    assert duplicate_groups([pair]) == []


def test_a_chinese_name_that_reads_as_the_latin_name_is_doubtful():
    for latin in ("Huafu Sefang Co., Ltd.", "Huafu Se Fang Gufen Youxian Gongsi"):
        pair = _two("华孚色纺股份有限公司", latin)
        assert pair is not None, latin
        assert not pair.sure
        assert "the Chinese name 华孚色纺股份有限公司 reads as 'hua" in pair.reason
        assert "huafusefang" in pair.reason.replace(" ", "")


def test_a_chinese_name_with_business_words_reads_as_its_english_rendering():
    pair = _two("华孚纺织有限公司", "Huafu Textile Co., Ltd.")
    assert pair is not None
    assert not pair.sure
    assert "pinyin, trade words in English" in pair.reason


def test_a_translation_with_a_place_name_is_not_a_romanization():
    assert _two("阿克苏华孚色纺有限公司", "Huafu Color Spinning Co., Ltd.") is None


def test_korean_and_cyrillic_names_are_romanized_through_the_screening_transliterator():
    korean = _two("삼성물산", "Samseong Mulsan Co., Ltd.", "KR", "KR")
    assert korean is not None
    assert "Korean name" in korean.reason
    cyrillic = _two("Текстиль Волга", "Tekstil Volga LLC", "RU", "RU")
    assert cyrillic is not None
    assert "Cyrillic name" in cyrillic.reason


def test_a_native_name_among_other_names_is_compared():
    rows = [Candidate(2, "Huafu Sefang Co., Ltd.", country="CN")]
    stored = [Candidate(("stored", 7), "Acme", other_names=("华孚色纺有限公司",), country="CN")]
    pair = _pair(find_duplicates(rows, stored), 2, ("stored", 7))
    assert pair is not None
    assert not pair.sure


def test_names_spelled_nearly_alike_in_the_same_country_are_doubtful():
    pair = _two("Zhongshan Xinhuafeng Dyeing Co., Ltd.", "Zhongshan Xinhuafen Dyeing Co., Ltd.")
    assert pair is not None
    assert not pair.sure
    assert 0.92 <= pair.score < 1
    assert "spelled nearly alike" in pair.reason


def test_the_same_letters_spaced_differently_are_doubtful():
    pair = _two("HuaFu Sefang Ltd", "Hua Fu Se Fang Ltd")
    assert pair is not None
    assert not pair.sure
    assert "spaced differently" in pair.reason


def test_the_same_name_with_another_legal_form_is_doubtful():
    pair = _two("Acme Textile Inc.", "Acme Textile Ltd.")
    assert pair is not None
    assert not pair.sure
    assert "but for the legal form" in pair.reason


def test_companies_sharing_only_generic_words_are_not_duplicates():
    assert _two("Jiangsu Textile Co., Ltd.", "Zhejiang Textile Co., Ltd.") is None
    assert _two("Huafu Textile Co., Ltd.", "Huafeng Textile Co., Ltd.") is None
    assert (
        _two(
            "Çalık Tekstil Sanayi ve Ticaret A.Ş.",
            "Kalık Tekstil Sanayi ve Ticaret A.Ş.",
            "TR",
            "TR",
        )
        is None
    )


def test_names_alike_but_not_the_same_in_different_countries_are_not_shown():
    assert _two("Zhongshan Xinhuafeng Dyeing", "Zhongshan Xinhuafen Dyeing", "CN", "VN") is None


def test_stored_records_are_compared_with_rows_but_not_with_each_other():
    rows = [Candidate(2, "Acme Ltd", country="GB")]
    stored = [
        Candidate(("stored", 1), "ACME LIMITED", country="GB"),
        Candidate(("stored", 2), "Acme Ltd.", country="GB"),
        Candidate(("stored", 3), "Zenith Ltd", country="GB"),
    ]
    pairs = find_duplicates(rows, stored)
    assert {(p.a, p.b) for p in pairs} == {(2, ("stored", 1)), (2, ("stored", 2))}
    assert all(p.sure for p in pairs)
    assert duplicate_groups(pairs) == [{2, ("stored", 1), ("stored", 2)}]


def test_groups_join_sure_pairs_only():
    rows = [
        Candidate(2, "Acme Ltd", country="GB"),
        Candidate(3, "ACME LIMITED", country="GB"),
        Candidate(4, "Acme Limited", country="GB", identifiers=frozenset({("DUNS", "5")})),
        Candidate(5, "Other", country="FR", identifiers=frozenset({("DUNS", "5")})),
        Candidate(6, "Acme Ltd", country="FR"),  # same name, other country: doubtful only
    ]
    pairs = find_duplicates(rows)
    assert duplicate_groups(pairs) == [{2, 3, 4}]
    assert not _pair(pairs, 4, 5).sure  # one DUNS in two countries: a mistake to check
    assert not _pair(pairs, 2, 6).sure
    assert [p.sure for p in pairs] == sorted((p.sure for p in pairs), reverse=True)


def test_a_name_repeated_many_times_forms_one_group_without_every_pair():
    rows = [Candidate(n, "Acme Ltd", country="GB") for n in range(2, 202)]
    pairs = find_duplicates(rows)
    assert len(pairs) < 200 * 199 // 2
    assert duplicate_groups(pairs) == [set(range(2, 202))]


def test_empty_names_and_no_rows():
    assert find_duplicates([]) == []
    assert find_duplicates([Candidate(2, ""), Candidate(3, "  ")]) == []


def test_the_quick_path_for_plain_ascii_reads_names_as_the_general_one():
    from chainproof.domain.duplicates import fold
    from chainproof.domain.names import normalize_name

    for name in ("Acme_Textile, Co. (Ltd)", "  A.B.C.  Dyeing-Works ", "Smith & Sons"):
        assert fold(name) == normalize_name(name.replace("&", " and "))
    assert fold("Acme\u200bTextile") == "acmetextile"  # a hidden character is not a space
