# ruff: noqa: E501, RUF001  (tables of names one row to a line; full-width characters on purpose)
"""japanese (kanji and kana names against Hepburn romanizations) and mixed-script (a Han run
next to a separate run of another script).

Readings and Hepburn spellings are written here by hand, as lists write them: macrons and
long vowels dropped (Kōgyō -> Kogyo), family name first for persons.
"""

from __future__ import annotations

from .common import PERSON, Pair, negative, positive

JAPANESE = "japanese"
MIXED = "mixed-script"
JP = {"country_a": "JP", "country_b": "JP"}

# (kanji, kana, list name); pairs of rows differ by one kanji whose Chinese reading is the
# same (市/石 shi, 今/金 jin, 前/千 qian) while the Japanese reading differs.
PEOPLE = (
    ("高市早苗", "たかいち さなえ", "TAKAICHI, Sanae"),
    ("高石早苗", "たかいし さなえ", "TAKAISHI, Sanae"),
    ("市川健一", "いちかわ けんいち", "ICHIKAWA, Kenichi"),
    ("石川健一", "いしかわ けんいち", "ISHIKAWA, Kenichi"),
    ("市原由美", "いちはら ゆみ", "ICHIHARA, Yumi"),
    ("石原由美", "いしはら ゆみ", "ISHIHARA, Yumi"),
    ("今井正人", "いまい まさと", "IMAI, Masato"),
    ("金井正人", "かない まさと", "KANAI, Masato"),
    ("今村直子", "いまむら なおこ", "IMAMURA, Naoko"),
    ("金村直子", "かなむら なおこ", "KANAMURA, Naoko"),
    ("前田浩二", "まえだ こうじ", "MAEDA, Koji"),
    ("千田浩二", "せんだ こうじ", "SENDA, Koji"),
    ("石田翔太", "いしだ しょうた", "ISHIDA, Shota"),
    ("市田翔太", "いちだ しょうた", "ICHIDA, Shota"),
)
# (kanji name, kana, list-style romanized name, a different company's list name)
COMPANIES = (
    ("府中刑務所", "ふちゅうけいむしょ", "Fuchu Prison", "Fukui Prison"),
    ("ユニオン工業株式会社", "ユニオンコウギョウ", "Union Kogyo Co., Ltd.", "Unitika Kogyo Co., Ltd."),
    ("株式会社ヤマダ精機", "ヤマダセイキ", "Yamada Seiki Co., Ltd.", "Yamaguchi Seiki Co., Ltd."),
    ("鈴木工業株式会社", "スズキコウギョウ", "Suzuki Kogyo Co., Ltd.", "Suzuki Kogei Co., Ltd."),
    ("高橋電機株式会社", "タカハシデンキ", "Takahashi Denki K.K.", "Takahashi Denko K.K."),
    ("株式会社中村製作所", "なかむらせいさくしょ", "Nakamura Seisakusho Co., Ltd.", "Nakamura Seiki Co., Ltd."),
    ("小林化学工業株式会社", "こばやしかがくこうぎょう", "Kobayashi Kagaku Kogyo Co., Ltd.", "Kobayashi Kasei Kogyo Co., Ltd."),
    ("松本物産株式会社", "まつもとぶっさん", "Matsumoto Bussan Co., Ltd.", "Matsuda Bussan Co., Ltd."),
    ("井上繊維株式会社", "いのうえせんい", "Inoue Seni Co., Ltd.", "Inoue Shoji Co., Ltd."),
    ("木村食品株式会社", "きむらしょくひん", "Kimura Shokuhin Co., Ltd.", "Kimura Suisan Co., Ltd."),
    ("山口水産株式会社", "やまぐちすいさん", "Yamaguchi Suisan K.K.", "Yamamoto Suisan K.K."),
    ("斎藤製紙株式会社", "さいとうせいし", "Saito Seishi Co., Ltd.", "Sato Seishi Co., Ltd."),
    ("株式会社サクラ商事", "サクラショウジ", "Sakura Shoji Co., Ltd.", "Sakata Shoji Co., Ltd."),
    ("株式会社ミドリ化成", "ミドリカセイ", "Midori Kasei Co., Ltd.", "Midori Kagaku Co., Ltd."),
    ("株式会社ヒカリ電子", "ヒカリデンシ", "Hikari Denshi Co., Ltd.", "Hokuto Denshi Co., Ltd."),
    ("株式会社マルイ水産", "マルイスイサン", "Marui Suisan K.K.", "Maruha Suisan K.K."),
    ("東海繊維株式会社", "とうかいせんい", "Tokai Seni Co., Ltd.", "Tohoku Seni Co., Ltd."),
    ("北陸織物株式会社", "ほくりくおりもの", "Hokuriku Orimono Co., Ltd.", "Hokkai Orimono Co., Ltd."),
    ("高市工業株式会社", "たかいちこうぎょう", "Takaichi Kogyo Co., Ltd.", "Takaishi Kogyo Co., Ltd."),
    ("金田商事株式会社", "かねだしょうじ", "Kaneda Shoji Co., Ltd.", "Imada Shoji Co., Ltd."),
)  # fmt: skip


def japanese() -> list[Pair]:
    pairs = []
    for i, (kanji, kana, listed) in enumerate(PEOPLE):
        twin_kanji, _, twin_listed = PEOPLE[i + 1 if i % 2 == 0 else i - 1]
        pairs += [
            positive(
                kanji, listed, JAPANESE, "kanji read in Japanese (Hepburn)", kind=PERSON, **JP
            ),
            positive(kana, listed, JAPANESE, "kana (Hepburn)", kind=PERSON, **JP),
            negative(
                kanji,
                twin_listed,
                JAPANESE,
                f"one kanji differs ({kanji}/{twin_kanji}): same pinyin, other Japanese reading",
                kind=PERSON,
                **JP,
            ),
        ]
        if i % 2 == 0:
            pairs.append(
                negative(
                    kanji,
                    twin_kanji,
                    JAPANESE,
                    "two kanji names with the same pinyin, different Japanese readings",
                    kind=PERSON,
                    **JP,
                )
            )
    for kanji, kana, listed, other in COMPANIES:
        pairs += [
            positive(kanji, listed, JAPANESE, "kanji (and kana) company name vs Hepburn", **JP),
            positive(kana, listed, JAPANESE, "kana reading vs Hepburn", **JP),
            negative(kanji, other, JAPANESE, "a different company: one word differs", **JP),
            negative(kana, other, JAPANESE, "kana; a different company: one word differs", **JP),
        ]
    pairs += [
        positive(
            "株式会社ヤマダ精機",
            "Kabushiki Kaisha Yamada Seiki",
            JAPANESE,
            "株式会社 is Kabushiki Kaisha",
            **JP,
        ),
        positive(
            "ヤマダ精機株式会社",
            "YAMADA SEIKI K.K.",
            JAPANESE,
            "株式会社 after the name is K.K.",
            **JP,
        ),
        positive(
            "有限会社サクラ商事", "Sakura Shoji Y.K.", JAPANESE, "有限会社 is Yugen Kaisha", **JP
        ),
        negative(
            "高石工業株式会社",
            "高市工業株式会社",
            JAPANESE,
            "same pinyin, other Japanese reading",
            **JP,
        ),
        negative(
            "今田商事株式会社",
            "Kaneda Shoji Co., Ltd.",
            JAPANESE,
            "今田 Imada vs 金田 Kaneda: same pinyin (jin tian)",
            **JP,
        ),
    ]
    return pairs


# --- mixed-script ------------------------------------------------------------------------
# (query, list name): Chinese names that carry a Latin brand (or Japanese with a space).
MIXED_POSITIVES = (
    ("中国 ABC 贸易有限公司", "China ABC Trading Co., Ltd."),
    ("深圳 XYZ 电子有限公司", "Shenzhen XYZ Electronics Co., Ltd."),
    ("TCL 科技集团股份有限公司", "TCL Technology Group Corporation"),
    ("株式会社 テクマシュ", "Tekmash Co., Ltd."),
    ("LG 化学（南京）有限公司", "LG Chem (Nanjing) Co., Ltd."),
    ("珠海 Pantum 电子有限公司", "Zhuhai Pantum Electronics Co. Ltd."),
    ("KTK 今创集团", "KTK Group"),
    ("JA Solar 东海晶澳太阳能科技有限公司", "Donghai JA Solar Technology Co., Ltd."),
    ("GCL 新疆协鑫新能源材料科技有限公司", "Xinjiang GCL New Energy Material Technology, Co. Ltd"),
    ("新疆 Daqo 新能源股份有限公司", "Xinjiang Daqo New Energy Co., Ltd."),
    (
        "Hoshine 合盛硅业（鄯善）有限公司",
        "Hoshine Silicon Industry (Shanshan) Co., Ltd and subsidiaries",
    ),
    ("Esquel 昌吉溢达纺织有限公司", "Changji Esquel Textile Co., Ltd."),
    ("工厂 A", "Factory A"),
    ("中国 ABC", "China ABC"),
    ("珠海 G&G 数码科技有限公司", "Zhuhai G&G Digital Technology Co., Ltd."),
    ("Apex 珠海艾派克微电子有限公司", "Zhuhai Apex Microelectronics Co., Ltd."),
    ("Seine 珠海赛纳打印科技股份有限公司", "Zhuhai Seine Printing Technology Co., Ltd."),
    ("ユニオン 工業株式会社", "Union Kogyo Co., Ltd."),
    ("株式会社 ABC", "ABC K.K."),
    ("第 4 职业技能教育培训中心", "No. 4 Vocation Skills Education Training Center (VSETC)"),
    (
        "兵团 XPCC",
        "Xinjiang Production and Construction Corps (XPCC) and its subordinate and affiliated entities",
    ),
    ("Ninestar 纳思达股份有限公司", "Ninestar Corporation"),
    ("Hetian TEDA 和田泰达服装有限公司", "Hetian TEDA Garment"),
    ("Esquel Group 溢达集团", "Esquel Group"),
)
MIXED_NEGATIVES = (
    ("中国 ABC 贸易有限公司", "China XYZ Trading Co., Ltd."),
    ("深圳 XYZ 电子有限公司", "Shenzhen ABC Electronics Co., Ltd."),
    ("TCL 科技集团股份有限公司", "TPV Technology Group Corporation"),
    ("株式会社 テクマシュ", "Techmatic Co., Ltd."),
    ("LG 化学（南京）有限公司", "SK Chemicals (Nanjing) Co., Ltd."),
    ("珠海 Pantum 电子有限公司", "Zhuhai Seine Printing Technology Co., Ltd."),
    ("KTK 今创集团", "Camel Group Co., Ltd."),
    ("JA Solar 东海晶澳太阳能科技有限公司", "Jiangsu Meike Solar Technology Co., Ltd."),
    ("GCL 新疆协鑫新能源材料科技有限公司", "Xinjiang Daqo New Energy Co., Ltd."),
    ("新疆 Daqo 新能源股份有限公司", "Xinjiang GCL New Energy Material Technology, Co. Ltd"),
    ("Hoshine 合盛硅业（鄯善）有限公司", "Shuangliang Silicon Materials (Baotou) Co., Ltd."),
    ("Esquel 昌吉溢达纺织有限公司", "Changji Huaxin Textile Co., Ltd."),
    ("工厂 A", "Factory B"),
    ("中国 ABC", "China XYZ"),
    ("珠海 G&G 数码科技有限公司", "Zhuhai Ninestar Information Technology Co. Ltd."),
    ("Apex 珠海艾派克微电子有限公司", "Geehy Semiconductor Co., Ltd."),
    ("Seine 珠海赛纳打印科技股份有限公司", "Zhuhai Pantum Electronics Co. Ltd."),
    ("ユニオン 工業株式会社", "Unitika Kogyo Co., Ltd."),
    ("株式会社 ABC", "XYZ K.K."),
    ("第 4 职业技能教育培训中心", "Lop County Hair Product Industrial Park"),
    ("兵团 XPCC", "Xinjiang Uyghur Autonomous Region (XUAR)"),
    ("Ninestar 纳思达股份有限公司", "Zhuhai Apex Microelectronics Co., Ltd."),
    ("Hetian TEDA 和田泰达服装有限公司", "Hetian Haolin Hair Accessories Co. Ltd."),
    ("Esquel Group 溢达集团", "KTK Group"),
)
# Latin brands an invented Chinese company may carry, and one a different company carries.
LATIN_BRANDS = (
    ("Sunrise", "Sunshine"), ("Bluesky", "Bluestar"), ("Greenway", "Greenland"), ("Topwell", "Topway"),
    ("Goldstar", "Goldsun"), ("Winwin", "Winner"), ("Unistar", "Unitech"), ("Newland", "Newway"),
    ("Richful", "Richland"), ("Jointech", "Joinway"), ("Evertop", "Everwin"), ("Primax", "Primus"),
    ("Megasun", "Megastar"), ("Ecotex", "Ecoplas"), ("Asiaplas", "Asiatex"), ("Kingdom", "Kingstar"),
)  # fmt: skip
CITIES = (
    ("宁波", "Ningbo"),
    ("深圳", "Shenzhen"),
    ("东莞", "Dongguan"),
    ("青岛", "Qingdao"),
    ("苏州", "Suzhou"),
    ("厦门", "Xiamen"),
    ("杭州", "Hangzhou"),
    ("义乌", "Yiwu"),
)
TRADES = (
    ("纺织品", "Textile"),
    ("电子", "Electronics"),
    ("服装", "Garment"),
    ("塑料制品", "Plastic Products"),
    ("机械", "Machinery"),
    ("贸易", "Trading"),
)


def mixed_script() -> list[Pair]:
    pairs = [
        positive(a, b, MIXED, "Han characters and a separate run of another script")
        for a, b in MIXED_POSITIVES
    ]
    pairs += [
        negative(a, b, MIXED, "mixed-script name vs a different company")
        for a, b in MIXED_NEGATIVES
    ]
    for i, (brand, other) in enumerate(LATIN_BRANDS):
        city_zh, city = CITIES[i % len(CITIES)]
        trade_zh, trade = TRADES[i % len(TRADES)]
        query = f"{city_zh} {brand} {trade_zh}有限公司"
        pairs.append(
            positive(
                query,
                f"{city} {brand} {trade} Co., Ltd.",
                MIXED,
                "invented; Latin brand inside a Chinese name",
                country_a="CN",
            )
        )
        pairs.append(
            negative(
                query,
                f"{city} {other} {trade} Co., Ltd.",
                MIXED,
                "invented; same city and trade, another Latin brand",
                country_a="CN",
            )
        )
    return pairs
