"""Chinese company names read word by word, and places in Latin letters (hand-checked)."""

from pathlib import Path

import pytest
import yaml

from chainproof.domain.screening.chinese import (
    ChineseWord,
    is_place_pair,
    place_key,
    segment,
)

PLACES_FILE = Path(__file__).parents[2] / "src/chainproof/domain/screening/data/china_places.yaml"


def read(name: str) -> str:
    """The words as "text:kind:pinyin", kinds by their first letter (b = brand...); LTD below
    stands for 有限公司:l:youxiangongsi."""
    return " ".join(f"{w.text}:{w.kind[0]}:{w.pinyin}" for w in segment(name))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        # place + brand + trade + legal form
        (
            "阿克苏华孚色纺有限公司",
            "阿克苏:p:akesu 华孚:b:huafu 色纺:i:sefang LTD",
        ),
        (
            "新疆中泰化学股份有限公司",
            "新疆:p:xinjiang 中泰:b:zhongtai 化学:i:huaxue 股份有限公司:l:gufenyouxiangongsi",
        ),
        (
            "新疆大全新能源股份有限公司",
            "新疆:p:xinjiang 大全:b:daquan 新能源:i:xinnengyuan 股份有限公司:l:gufenyouxiangongsi",
        ),
        (
            "新疆东方希望有色金属有限公司",  # 东方 is a city in Hainan, not inside Xinjiang
            "新疆:p:xinjiang 东方:b:dongfang 希望:b:xiwang 有色金属:i:yousejinshu LTD",
        ),
        (
            "新疆天山毛纺织股份有限公司",  # 天山 (a district of Urumqi) is also a common word
            "新疆:p:xinjiang 天山:b:tianshan 毛纺织:i:maofangzhi 股份有限公司:l:gufenyouxiangongsi",
        ),
        ("新疆生产建设兵团", "新疆:p:xinjiang 生产:i:shengchan 建设:i:jianshe 兵团:i:bingtuan"),
        (
            "昌吉溢达纺织有限公司",
            "昌吉:p:changji 溢达:b:yida 纺织:i:fangzhi LTD",
        ),
        (
            "库车天缘棉业有限公司",
            "库车:p:kuche 天缘:b:tianyuan 棉业:i:mianye LTD",
        ),
        (
            "和田浩林发制品有限公司",
            "和田:p:hetian 浩林:b:haolin 发制品:i:fazhipin LTD",
        ),
        (
            "洛浦县美欣发制品有限公司",
            "洛浦县:p:luopu 美欣:b:meixin 发制品:i:fazhipin LTD",
        ),
        # places nested: region, prefecture, county, district, town
        (
            "乌鲁木齐市天山区华信商贸有限公司",
            "乌鲁木齐市:p:wulumuqi 天山区:p:tianshan 华信:b:huaxin 商贸:i:shangmao LTD",
        ),
        (
            "新疆维吾尔自治区喀什地区疏附县金丝路棉业有限公司",
            "新疆维吾尔自治区:p:xinjiang 喀什地区:p:kashi 疏附县:p:shufu 金丝路:b:jinsilu "
            "棉业:i:mianye LTD",
        ),
        (
            "义乌市佛堂镇华美服饰厂",
            "义乌市:p:yiwu 佛堂镇:p:fotang 华美:b:huamei 服饰:i:fushi 厂:l:chang",
        ),
        (
            "内蒙古鄂尔多斯羊绒集团有限公司",
            "内蒙古:p:neimenggu 鄂尔多斯:p:eerduosi 羊绒:i:yangrong "
            "集团有限公司:l:jituanyouxiangongsi",
        ),
        (
            "阿克苏市场管理有限公司",
            "阿克苏:p:akesu 市场:i:shichang 管理:i:guanli LTD",
        ),
        # the brand first, the place or the group in brackets (full-width and half-width)
        (
            "华孚（阿克苏）色纺有限公司",
            "华孚:b:huafu 阿克苏:p:akesu 色纺:i:sefang LTD",
        ),
        (
            "华孚(阿克苏)色纺有限公司",
            "华孚:b:huafu 阿克苏:p:akesu 色纺:i:sefang LTD",
        ),
        (
            "合盛硅业（鄯善）有限公司",
            "合盛:b:hesheng 硅业:i:guiye 鄯善:p:shanshan LTD",
        ),
        (
            "新疆天业（集团）有限公司",
            "新疆:p:xinjiang 天业:b:tianye 集团:i:jituan LTD",
        ),
        ("阿里巴巴（中国）有限公司", "阿里:b:ali 巴巴:b:baba 中国:p:zhongguo LTD"),
        # a branch, with its place before the branch form
        (
            "阿克苏华孚色纺有限公司阿克苏分公司",
            "阿克苏:p:akesu 华孚:b:huafu 色纺:i:sefang LTD 阿克苏:p:akesu 分公司:l:fengongsi",
        ),
        # stock short names and well-known companies
        ("合盛硅业股份有限公司", "合盛:b:hesheng 硅业:i:guiye 股份有限公司:l:gufenyouxiangongsi"),
        ("合盛硅业", "合盛:b:hesheng 硅业:i:guiye"),
        ("中泰化学", "中泰:b:zhongtai 化学:i:huaxue"),
        ("光明乳业", "光明:b:guangming 乳业:i:ruye"),  # 光明 (a district) as a common word
        ("长安汽车", "长安:b:changan 汽车:i:qiche"),
        (
            "重庆长安汽车股份有限公司",
            "重庆:p:chongqing 长安:b:changan 汽车:i:qiche 股份有限公司:l:gufenyouxiangongsi",
        ),
        (
            "浙江吉利控股集团有限公司",
            "浙江:p:zhejiang 吉利:b:jili 控股:i:konggu 集团有限公司:l:jituanyouxiangongsi",
        ),
        (
            "东方希望集团有限公司",
            "东方:b:dongfang 希望:b:xiwang 集团有限公司:l:jituanyouxiangongsi",
        ),
        (
            "隆基绿能科技股份有限公司",
            "隆基:b:longji 绿能:i:lvneng 科技:i:keji 股份有限公司:l:gufenyouxiangongsi",
        ),
        ("特变电工股份有限公司", "特变:b:tebian 电工:i:diangong 股份有限公司:l:gufenyouxiangongsi"),
        (
            "中国石油天然气股份有限公司",  # no brand: the country and two trade words
            "中国:p:zhongguo 石油:i:shiyou 天然气:i:tianranqi 股份有限公司:l:gufenyouxiangongsi",
        ),
        # a county's bare name with nothing after it but trade words is the brand
        ("龙井茶叶有限公司", "龙井:b:longjing 茶叶:i:chaye LTD"),
        # long leftovers: split by the lexicon, else by two characters
        (
            "上海华孚纺织天虹有限公司",
            "上海:p:shanghai 华孚:b:huafu 纺织:i:fangzhi 天虹:b:tianhong LTD",
        ),
        (
            "北京龙腾虎跃凤舞九科技有限公司",
            "北京:p:beijing 龙腾:b:longteng 虎跃:b:huyue 凤舞九:b:fengwujiu 科技:i:keji LTD",
        ),
        # Latin letters and digits kept as they are written
        ("中国 ABC 有限公司", "中国:p:zhongguo ABC:o:abc LTD"),
        ("中国ＡＢＣ有限公司", "中国:p:zhongguo ＡＢＣ:o:abc LTD"),
        ("工厂 A", "工厂:i:gongchang A:o:a"),
        (
            "新疆ABC纺织有限公司",
            "新疆:p:xinjiang ABC:o:abc 纺织:i:fangzhi LTD",
        ),
        ("华孚3号纺织厂", "华孚:b:huafu 3:o:3 号:b:hao 纺织:i:fangzhi 厂:l:chang"),
    ],
)
def test_names_are_read_word_by_word(name, words):
    assert read(name) == words.replace("LTD", "有限公司:l:youxiangongsi")


def test_traditional_characters_read_as_simplified_and_kept_as_written():
    assert read("華孚紡織有限公司") == "華孚:b:huafu 紡織:i:fangzhi 有限公司:l:youxiangongsi"
    assert read("阿克蘇華孚色紡有限公司") == (
        "阿克蘇:p:akesu 華孚:b:huafu 色紡:i:sefang 有限公司:l:youxiangongsi"
    )
    assert read("新疆中泰化學股份有限公司") == read("新疆中泰化学股份有限公司").replace("学", "學")


def test_every_word_says_what_it_is_in_english():
    words = segment("阿克苏华孚色纺有限公司")
    assert words == (
        ChineseWord("阿克苏", "place", "akesu", "akesu"),
        ChineseWord("华孚", "brand", "huafu", ""),
        ChineseWord("色纺", "industry", "sefang", "color spinning"),
        ChineseWord("有限公司", "legal", "youxiangongsi", "co ltd"),
    )
    english = [w.english for w in segment("新疆生产建设兵团")]
    assert english == ["xinjiang", "production", "construction", "corps"]
    assert segment("内蒙古自治区")[0].english == "neimenggu"


def test_a_place_keeps_its_suffix_in_text_and_drops_it_in_pinyin():
    region, prefecture, county = segment("新疆维吾尔自治区巴音郭楞蒙古自治州且末县")
    assert (region.text, region.pinyin) == ("新疆维吾尔自治区", "xinjiang")
    assert (prefecture.text, prefecture.pinyin) == ("巴音郭楞蒙古自治州", "bayinguoleng")
    assert (county.text, county.pinyin) == ("且末县", "qiemo")


def test_shaanxi_and_shanxi_are_told_apart():
    assert segment("陕西华孚有限公司")[0] == ChineseWord("陕西", "place", "shanxi", "shaanxi")
    assert segment("山西华孚有限公司")[0] == ChineseWord("山西", "place", "shanxi", "shanxi")


@pytest.mark.parametrize("name", ["", "   ", "（）", "...（）、。——", "()[]【】"])
def test_empty_and_punctuation_only_names_have_no_words(name):
    assert segment(name) == ()


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Aksu", "akesu", "AKESU"], "akesu"),
        (["Kashgar", "kashi", "Qashqar"], "kashi"),
        (["Urumqi", "Ürümqi", "wulumuqi"], "wulumuqi"),
        (["Hotan", "Khotan", "hetian"], "hetian"),
        (["Turpan", "Turfan", "tulufan"], "tulufan"),
        (["Korla", "kuerle"], "kuerle"),
        (["Ghulja", "Kulja", "yining"], "yining"),
        (["Kumul", "hami"], "hami"),
        (["Karamay", "kelamayi"], "kelamayi"),
        (["Bortala", "boertala"], "boertala"),
        (["Altay", "aletai"], "aletai"),
        (["Ili", "yili"], "yili"),
        (["Tacheng"], "tacheng"),
        (["Shihezi"], "shihezi"),
        (["Changji"], "changji"),
        (["Yarkand", "shache"], "shache"),
        (["Lop", "luopu"], "luopu"),
        (["Lhasa", "lasa"], "lasa"),
        (["Shigatse", "Xigaze", "rikaze"], "rikaze"),
        (["Hohhot", "huhehaote"], "huhehaote"),
        (["InnerMongolia", "neimenggu"], "neimenggu"),
        (["Xinjiang", "Sinkiang"], "xinjiang"),
        (["Shanghai"], "shanghai"),
        (["Canton", "guangzhou"], "guangzhou"),
        (["Shaanxi", "Shensi"], "shaanxi"),
        (["Shanxi", "Shansi"], "shanxi"),
        (["China", "zhongguo"], "zhongguo"),
    ],
)
def test_latin_spellings_of_a_place_share_its_key(spellings, key):
    assert [place_key(spelling) for spelling in spellings] == [key] * len(spellings)


@pytest.mark.parametrize(
    "word", ["he", "an", "bay", "huafu", "textile", "dongfang", "guangming", "tianshan", "", "Co."]
)
def test_words_that_are_not_places_have_no_key(word):
    assert place_key(word) is None


def test_a_county_named_like_a_common_word_is_no_place_in_latin_but_a_city_is():
    assert place_key("longhua") is None  # the county 隆化, and 龙华 (a common word)
    assert place_key("Jinan") == "jinan"  # the city 济南, though 金安 reads the same
    assert place_key("Datong") == "datong"  # the city 大同, though 大通 reads the same


def test_two_latin_words_that_name_a_place():
    assert is_place_pair("Inner", "Mongolia") == "neimenggu"
    assert is_place_pair("Xin", "Jiang") == "xinjiang"
    assert is_place_pair("Hong", "Kong") == "xianggang"
    assert is_place_pair("Hua", "Fu") is None
    assert is_place_pair("Xinjiang", "Aksu") is None


def test_places_of_each_level_are_all_there_and_read_in_names():
    data = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    lines = [line.split() for line in data["places"].splitlines()]
    levels = {"province": 0, "prefecture": 0, "county": 0}
    for code, *_ in lines:
        level = "province" if code.endswith("0000") else "prefecture"
        levels["county" if not code.endswith("00") else level] += 1
    assert levels == {"province": 34, "prefecture": 333, "county": 2846}
    # Every division of Xinjiang, written with its suffix before a brand, is read as a place
    # whose key its pinyin also gives in Latin letters.
    xinjiang = [line for line in lines if line[0].startswith("65") and line[2] != "-"]
    assert len(xinjiang) > 100
    for code, name, _, pinyin, *_ in xinjiang:
        first = segment(name + "华孚纺织有限公司")[0]
        assert (first.text, first.kind) == (name, "place"), code
        assert place_key(pinyin) in (first.english, None), code
