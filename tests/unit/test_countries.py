"""The country resolver (chainproof.domain.countries), against the countries bundled with
chainproof (reference/data/countries.csv), read as the countries dataset gives them."""

import csv
from pathlib import Path

import pytest

from chainproof.domain.countries import (
    CountryError,
    readable_name,
    resolve_country,
    resolver_for,
)

COUNTRIES_CSV = (
    Path(__file__).parents[2] / "src" / "chainproof" / "reference" / "data" / "countries.csv"
)


@pytest.fixture(scope="module")
def known() -> dict[str, str]:
    with COUNTRIES_CSV.open(encoding="utf-8") as f:
        return {row["alpha2"]: row["name"] for row in csv.DictReader(f)}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        # codes, any case
        ("CN", "CN"),
        ("cn", "CN"),
        (" vn ", "VN"),
        ("CHN", "CN"),
        ("bgd", "BD"),
        ("USA", "US"),
        ("XK", "XK"),
        # English short and official names
        ("China", "CN"),
        ("People's Republic of China", "CN"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Republic of Korea", "KR"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Bolivia (Plurinational State of)", "BO"),
        ("Bolivia, Plurinational State of", "BO"),
        ("Guinea", "GN"),
        ("Sudan", "SD"),
        ("South Sudan", "SS"),
        # variants and abbreviations
        ("P.R.C.", "CN"),
        ("PRC", "CN"),
        ("Viet Nam", "VN"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("DPRK", "KP"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("Hong Kong SAR", "HK"),
        ("Hong Kong SAR, China", "HK"),
        ("Taiwan, Province of China", "TW"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("DRC", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Trinidad & Tobago", "TT"),
        ("Trinidad and Tobago", "TT"),
        ("Kosovo", "XK"),
        # native names in their own scripts
        ("中国", "CN"),
        ("中華人民共和國", "CN"),
        ("香港", "HK"),
        ("台灣", "TW"),
        ("대한민국", "KR"),
        ("조선민주주의인민공화국", "KP"),
        ("日本", "JP"),
        ("Việt Nam", "VN"),
        ("Deutschland", "DE"),
        ("भारत", "IN"),
        ("বাংলাদেশ", "BD"),
        ("پاکستان", "PK"),
        ("ශ්‍රී ලංකාව", "LK"),
        ("កម្ពុជា", "KH"),
        ("မြန်မာ", "MM"),
        ("ประเทศไทย", "TH"),
        ("Indonesia", "ID"),
        ("Pilipinas", "PH"),
        ("مصر", "EG"),
        ("ኢትዮጵያ", "ET"),
        ("México", "MX"),
        ("Brasil", "BR"),
        ("Perú", "PE"),
        ("España", "ES"),
        ("Polska", "PL"),
        ("România", "RO"),
        ("България", "BG"),
        ("Oʻzbekiston", "UZ"),
        ("Қазақстан", "KZ"),
        ("Кыргызстан", "KG"),
        ("Россия", "RU"),
        ("Україна", "UA"),
        ("Беларусь", "BY"),
        ("المملكة العربية السعودية", "SA"),
        ("UAE", "AE"),
        # case, accents, punctuation, spaces, "The"
        ("CHINA", "CN"),
        ("viet nam", "VN"),
        ("VIỆT NAM", "VN"),
        ("Mexico", "MX"),
        ("Turkiye ", "TR"),
        ("  the   Netherlands ", "NL"),
        ("The Gambia", "GM"),
        ("Bahamas, The", "BS"),
        ("korea,republic of", "KR"),
        ("Korea (South)", "KR"),
        # the questionnaire workbook's labels
        ("United States (US)", "US"),
        ("China (CN)", "CN"),
    ],
)
def test_every_form_resolves_to_the_alpha2_code(known, value, code):
    assert resolve_country(value, known) == code


def test_every_main_sourcing_country_has_a_native_or_variant_name_beyond_iso(known):
    """Each main sourcing country resolves from at least one name that neither the dataset
    nor ISO gives, so the alias file really covers them."""
    import pycountry

    from chainproof.domain.countries import _alias_data

    aliases, _ = _alias_data()
    sourcing = [
        "CN",
        "HK",
        "TW",
        "VN",
        "BD",
        "IN",
        "PK",
        "LK",
        "KH",
        "MM",
        "TH",
        "MY",
        "ID",
        "PH",
        "KR",
        "KP",
        "JP",
        "TR",
        "EG",
        "MA",
        "ET",
        "KE",
        "MX",
        "GT",
        "HN",
        "SV",
        "NI",
        "BR",
        "PE",
        "CO",
        "AR",
        "US",
        "CA",
        "GB",
        "DE",
        "FR",
        "IT",
        "ES",
        "PT",
        "NL",
        "BE",
        "PL",
        "RO",
        "BG",
        "UZ",
        "TM",
        "KZ",
        "KG",
        "RU",
        "UA",
        "BY",
        "SA",
        "AE",
    ]
    assert sourcing
    for code in sourcing:
        assert aliases.get(code), code
        for alias in aliases[code]:
            assert resolve_country(alias, known) == code, (alias, code)
        assert pycountry.countries.get(alpha_2=code) is not None


@pytest.mark.parametrize(
    ("value", "candidates", "names"),
    [
        ("Korea", ("KR", "KP"), ("South Korea (KR)", "North Korea (KP)")),
        ("KOREA", ("KR", "KP"), ("South Korea (KR)", "North Korea (KP)")),
        ("Congo", ("CG", "CD"), ("Congo - Brazzaville (CG)", "Congo - Kinshasa (CD)")),
        ("Virgin Islands", ("VG", "VI"), ("British Virgin Islands (VG)",)),
    ],
)
def test_a_name_of_two_countries_is_never_guessed(known, value, candidates, names):
    with pytest.raises(CountryError) as info:
        resolve_country(value, known)
    error = info.value
    assert error.candidates == candidates
    assert error.found == value
    assert "names two" in error.expected
    assert "write the one you mean" in error.expected
    for name in names:
        assert name in error.expected
    assert isinstance(error, ValueError)


def test_only_the_listed_names_are_ambiguous_in_the_bundled_countries(known):
    """No two countries share a spelling by accident (which would make it ambiguous)."""
    assert sorted(resolver_for(known).ambiguous) == [
        "congo",
        "corea",
        "korea",
        "virgin islands",
        "코리아",
    ]


@pytest.mark.parametrize(
    ("value", "suggested", "name"),
    [
        ("Chna", "CN", "China (CN)"),
        ("Germny", "DE", "Germany (DE)"),
        ("Vietnma", "VN", "Vietnam (VN)"),
        ("Bangladesh.", "BD", None),  # not an error at all: punctuation is ignored
    ],
)
def test_an_unknown_name_suggests_a_close_one(known, value, suggested, name):
    if name is None:
        assert resolve_country(value, known) == suggested
        return
    with pytest.raises(CountryError) as info:
        resolve_country(value, known)
    assert info.value.candidates == (suggested,)
    assert f"did you mean {name}?" in info.value.expected
    assert str(info.value).startswith("Expected a country (its ISO code or its name)")
    assert str(info.value).endswith(f"found {value!r}.")


@pytest.mark.parametrize("value", ["Narnia", "ZZ", "", "   ", "12"])
def test_an_unknown_value_without_a_close_name_is_an_error_without_a_suggestion(known, value):
    with pytest.raises(CountryError) as info:
        resolve_country(value, known)
    assert info.value.candidates == ()
    assert "did you mean" not in info.value.expected


def test_a_code_outside_the_known_countries_is_refused(known):
    only_asia = {code: known[code] for code in ("CN", "VN", "KR")}
    assert resolve_country("Viet Nam", only_asia) == "VN"
    with pytest.raises(CountryError) as info:
        resolve_country("DE", only_asia)
    assert info.value.expected == "a country code in the countries data"
    with pytest.raises(CountryError):
        resolve_country("Deutschland", only_asia)


def test_known_countries_may_be_codes_only():
    codes = {"CN", "KR", "KP"}
    assert resolve_country("中国", codes) == "CN"
    with pytest.raises(CountryError) as info:
        resolve_country("Korea", codes)
    assert info.value.candidates == ("KR", "KP")


def test_without_known_countries_every_iso_country_is_read_and_codes_pass_unchecked():
    assert resolve_country("Viet Nam", None) == "VN"
    assert resolve_country("UK", None) == "GB"
    assert resolve_country("zz", None) == "ZZ"
    with pytest.raises(CountryError):
        resolve_country("Korea", None)


def test_a_dataset_changed_to_a_new_object_gets_a_new_resolver(known):
    smaller = dict(known)
    del smaller["VN"]
    assert resolve_country("Viet Nam", known) == "VN"
    with pytest.raises(CountryError):
        resolve_country("Viet Nam", smaller)


@pytest.mark.parametrize(
    ("code", "name", "official", "shown"),
    [
        ("US", "US", "United States of America", "United States"),
        ("GB", "UK", "United Kingdom of Great Britain and Northern Ireland", "United Kingdom"),
        ("CN", "China", "China", "China"),
        ("XK", "", "Kosovo", "Kosovo"),
        ("XK", "XK", "", "XK"),
    ],
)
def test_readable_name_replaces_an_abbreviation_by_the_name(code, name, official, shown):
    assert readable_name(code, name, official) == shown


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("中国大陆", "CN"),
        ("República Popular China", "CN"),
        ("Korea, Rep.", "KR"),
        ("Corea del Sur", "KR"),
        ("Republik Korea", "KR"),
        ("Campuchia", "KH"),
        ("Türkei", "TR"),
        ("Bangladesch", "BD"),
        ("Palestine", "PS"),
        ("Egypt, Arab Rep.", "EG"),
    ],
)
def test_names_from_statistics_offices_and_other_languages(written, code):
    assert resolve_country(written, None) == code


@pytest.mark.parametrize("written", ["N/A", "n/a", "n.a.", "-", "unknown", "TBD"])
def test_a_cell_saying_no_country_is_known_is_never_read_as_one(written):
    with pytest.raises(CountryError, match="none is known"):
        resolve_country(written, None)
