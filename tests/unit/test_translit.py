"""Japanese and Cyrillic names in the Latin spellings lists use (expectations checked by hand
against Hepburn, BGN/PCGN, ICAO Doc 9303 and the Ukrainian national system of 2010)."""

import pytest

from chainproof.domain.screening.translit import (
    cyrillic_legal_forms,
    cyrillic_spellings,
    cyrillic_variants,
    is_kana,
    japanese_legal_forms,
    japanese_spellings,
    japanese_variants,
)

# Japanese


def test_kana_is_recognised_in_every_width_and_kanji_or_latin_is_not():
    assert is_kana("ひらがな")
    assert is_kana("カタカナ")
    assert is_kana("ｿﾆｰ")  # half-width
    assert is_kana("ー")  # the long-vowel mark
    assert not is_kana("高市早苗")
    assert not is_kana("Sony")
    assert not is_kana("・")  # the middle dot alone is punctuation


def test_kanji_names_are_read_as_japanese_not_as_pinyin():
    assert japanese_variants("高市早苗") == ("takaichi sanae",)
    assert japanese_variants("高石早苗") == ("takaishi sanae",)


def test_long_vowels_are_shortened_written_out_and_spelled_as_in_passports():
    assert japanese_spellings("大野") == (
        ("Hepburn", "ono"),
        ("Hepburn, long vowels written out", "oono"),
        ("Japanese passport spelling", "ohno"),
    )
    assert japanese_variants("小野") == ("ono",)
    assert japanese_variants("佐藤太郎")[:2] == ("sato taro", "satou tarou")
    # う that begins a syllable is no long vowel: 井上 is i-no-ue.
    assert japanese_variants("井上") == ("inoue",)


def test_passport_spelling_writes_n_as_m_before_b_m_p():
    assert japanese_variants("本間") == ("honma", "homma")
    assert japanese_variants("新橋") == ("shinbashi", "shimbashi")


def test_company_with_legal_form_after_the_name():
    assert japanese_spellings("トヨタ自動車株式会社") == (
        ("Hepburn", "toyota jidosha kabushiki kaisha"),
        ("Hepburn, legal form in English", "toyota jidosha co ltd"),
        ("Hepburn, long vowels written out", "toyota jidousha kabushiki kaisha"),
        ("Japanese passport spelling", "toyota jidohsha kabushiki kaisha"),
    )


@pytest.mark.parametrize(
    ("name", "romanized", "english"),
    [
        ("株式会社 テクマシュ", "kabushiki kaisha tekumashu", "co ltd tekumashu"),
        ("㈱テクマシュ", "kabushiki kaisha tekumashu", "co ltd tekumashu"),
        ("（株）テクマシュ", "kabushiki kaisha tekumashu", "co ltd tekumashu"),
        ("有限会社 山田", "yugen kaisha yamada", "co ltd yamada"),
        ("合同会社ひかり", "godo kaisha hikari", "llc hikari"),
        ("ABC株式会社", "abc kabushiki kaisha", "abc co ltd"),
    ],
)
def test_legal_forms_wherever_they_stand(name, romanized, english):
    assert japanese_variants(name)[:2] == (romanized, english)


def test_japanese_legal_forms_table():
    forms = japanese_legal_forms()
    assert forms["株式会社"] == ("kabushiki kaisha", "co ltd")
    assert forms["有限会社"] == ("yugen kaisha", "co ltd")
    assert forms["合同会社"] == ("godo kaisha", "llc")


def test_katakana_long_i_is_dropped_doubled_or_written_y():
    found = japanese_spellings("ソニー")
    assert found == (
        ("Hepburn", "soni"),
        ("Hepburn, long vowels written out", "sonii"),
        ("Hepburn, loanword ending in y", "sony"),
    )
    assert japanese_spellings("ｿﾆｰ") == found  # half-width reads the same


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("ヴィクトリア", "vikutoria"),
        ("ティファニー", "tifani"),
        ("ジェーシービー", "jeshibi"),
        ("マッチ", "matchi"),
        ("チェック", "chekku"),
        ("東京", "tokyo"),
        ("信一", "shinichi"),
        ("佐々木", "sasaki"),
        ("ｶﾞｽ", "gasu"),
    ],
)
def test_kana_spelled_in_hepburn(name, first):
    assert japanese_variants(name)[0] == first


@pytest.mark.parametrize("name", ["", "Acme Ltd", "Газпром", "김정은", "   "])
def test_text_without_japanese_gives_nothing(name):
    assert japanese_variants(name) == ()


# Cyrillic


def test_one_spelling_when_every_system_agrees():
    assert cyrillic_variants("Газпром")[0] == "gazprom"
    assert cyrillic_variants("Щербаков") == ("shcherbakov",)
    assert cyrillic_variants("ООО Ромашка") == ("ooo romashka",)


def test_aleksandr_and_alexander():
    assert cyrillic_spellings("Александр Волков") == (
        ("BGN/PCGN", "aleksandr volkov"),
        ("common English spelling", "alexander volkov"),
    )


def test_endings_in_every_system():
    assert cyrillic_spellings("Юрий") == (
        ("BGN/PCGN", "yuriy"),
        ("Russian passport (ICAO)", "iurii"),
        ("common English spelling", "yury"),
        ("common English spelling, -ий as i", "yuri"),
        ("scholarly, without diacritics", "jurij"),
        ("Ukrainian national system", "yuryi"),
    )
    assert cyrillic_variants("Белый") == ("belyy", "belyi", "bely", "belyj")


def test_e_and_yo_at_the_start_of_a_word_and_after_vowels():
    assert cyrillic_variants("Елена Фёдоровна") == (
        "yelena fedorovna",
        "elena fedorovna",
        "yelena fyodorovna",
    )
    assert cyrillic_variants("Достоевский")[:3] == ("dostoyevskiy", "dostoevskii", "dostoyevsky")
    assert cyrillic_variants("Приморье Минтай")[:2] == ("primorye mintay", "primore mintai")
    # The passport writes the hard sign "ie".
    assert cyrillic_variants("Объединённая")[:3] == (
        "obyedinennaya",
        "obieedinennaia",
        "obyedinyonnaya",
    )


def test_soft_sign_before_i_in_english():
    assert "pyotr ilyich chaykovsky" in cyrillic_variants("Пётр Ильич Чайковский")


def test_ukrainian_letters_put_the_ukrainian_systems_first():
    assert cyrillic_variants("Харків") == ("kharkiv", "harkiv")
    assert cyrillic_variants("Київ")[:2] == ("kyiv", "kyyiv")
    assert cyrillic_variants("Бойко Юрій")[:2] == ("boiko yurii", "boyko yuriy")


def test_ukrainian_name_without_ukrainian_letters_still_gets_its_spelling():
    found = cyrillic_variants("Зеленський Володимир Олександрович")
    assert found[0] == "zelenskiy volodimir oleksandrovich"
    assert found[-1] == "zelenskyi volodymyr oleksandrovych"


def test_russian_letters_keep_the_ukrainian_system_out():
    assert cyrillic_variants("Горбачев")[-1] == "horbachev"
    assert cyrillic_variants("Горбачёв") == ("gorbachev", "gorbachov")


def test_at_most_six_spellings():
    assert max(len(cyrillic_variants(name)) for name in ("Юрий", "Евгений Пригожин")) == 6


def test_legal_forms_written_out_are_shortened_and_kept_as_written():
    assert cyrillic_spellings("Общество с ограниченной ответственностью «Ромашка»") == (
        ("BGN/PCGN", "ooo «romashka»"),
        (
            "BGN/PCGN, legal form written out",
            "obshchestvo s ogranichennoy otvetstvennostyu «romashka»",
        ),
    )
    assert cyrillic_variants('Товариство з обмеженою відповідальністю "Сонце"')[0] == (
        'tov "sontse"'
    )
    assert cyrillic_variants("ПАО  Сбербанк") == ("pao  sberbank",)


def test_cyrillic_legal_forms_table():
    forms = cyrillic_legal_forms()
    assert forms["общество с ограниченной ответственностью"] == "ooo"
    assert forms["закрытое акционерное общество"] == "zao"
    assert forms["акционерное общество"] == "ao"
    assert {forms[short] for short in ("ооо", "оао", "зао", "пао", "ао", "ип")} == {
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "ip",
    }


def test_other_cyrillic_alphabets():
    assert cyrillic_variants("Ђоковић") == ("djokovic",)
    assert cyrillic_variants("Қазақстан") == ("kazakstan",)


def test_apostrophe_inside_a_ukrainian_word():
    assert cyrillic_variants("Мар'яна")[:2] == ("maryana", "mariana")


@pytest.mark.parametrize(("text", "expected"), [("", ""), ("Acme Ltd", "acme ltd")])
def test_text_without_cyrillic_is_given_back_in_lower_case(text, expected):
    assert cyrillic_variants(text) == (expected,)
