# ruff: noqa: RUF001  (full-width brackets are how Chinese names write them)
"""chinese-shapes (invented companies) and chinese-real (list entries with a known Chinese name).

Every character, pinyin and English rendering below is written by hand; no romanizer is
called. Pinyin is written as list-style names write it: syllables of one word joined and
capitalised ("Jinquan"), no tone marks, ü as "v" ("Lvzhou").
"""

from __future__ import annotations

from dataclasses import dataclass

from .common import Pair, negative, positive

SHAPES = "chinese-shapes"
REAL = "chinese-real"


@dataclass(frozen=True)
class Place:
    zh: str
    trad: str
    pinyin: str
    spelled: str  # as trade documents and lists spell it (conventional where one exists)
    province: str  # key of PROVINCES


@dataclass(frozen=True)
class Word:
    zh: str
    trad: str
    pinyin: str
    english: tuple[str, ...]  # list-style English renderings, most usual first


PROVINCES = {
    "xj": Word("新疆", "新疆", "Xinjiang", ("Xinjiang",)),
    "zj": Word("浙江", "浙江", "Zhejiang", ("Zhejiang",)),
    "sd": Word("山东", "山東", "Shandong", ("Shandong",)),
    "ln": Word("辽宁", "遼寧", "Liaoning", ("Liaoning",)),
    "js": Word("江苏", "江蘇", "Jiangsu", ("Jiangsu",)),
    "ah": Word("安徽", "安徽", "Anhui", ("Anhui",)),
    "fj": Word("福建", "福建", "Fujian", ("Fujian",)),
    "gd": Word("广东", "廣東", "Guangdong", ("Guangdong",)),
    "hn": Word("河南", "河南", "Henan", ("Henan",)),
    "hlj": Word("黑龙江", "黑龍江", "Heilongjiang", ("Heilongjiang",)),
    "nm": Word("内蒙古", "內蒙古", "Neimenggu", ("Inner Mongolia",)),
}

PLACES = (
    Place("阿克苏", "阿克蘇", "Akesu", "Aksu", "xj"),
    Place("喀什", "喀什", "Kashi", "Kashgar", "xj"),
    Place("乌鲁木齐", "烏魯木齊", "Wulumuqi", "Urumqi", "xj"),
    Place("和田", "和田", "Hetian", "Hotan", "xj"),
    Place("昌吉", "昌吉", "Changji", "Changji", "xj"),
    Place("库尔勒", "庫爾勒", "Kuerle", "Korla", "xj"),
    Place("宁波", "寧波", "Ningbo", "Ningbo", "zj"),
    Place("伊犁", "伊犁", "Yili", "Ili", "xj"),
    Place("吐鲁番", "吐魯番", "Tulufan", "Turpan", "xj"),
    Place("青岛", "青島", "Qingdao", "Qingdao", "sd"),
    Place("克拉玛依", "克拉瑪依", "Kelamayi", "Karamay", "xj"),
    Place("库车", "庫車", "Kuche", "Kuqa", "xj"),
    Place("大连", "大連", "Dalian", "Dalian", "ln"),
    Place("阿勒泰", "阿勒泰", "Aletai", "Altay", "xj"),
    Place("石河子", "石河子", "Shihezi", "Shihezi", "xj"),
    Place("无锡", "無錫", "Wuxi", "Wuxi", "js"),
    Place("哈密", "哈密", "Hami", "Hami", "xj"),
    Place("合肥", "合肥", "Hefei", "Hefei", "ah"),
    Place("阿拉尔", "阿拉爾", "Alaer", "Aral", "xj"),
    Place("厦门", "廈門", "Xiamen", "Xiamen", "fj"),
    Place("奎屯", "奎屯", "Kuitun", "Kuitun", "xj"),
    Place("东莞", "東莞", "Dongguan", "Dongguan", "gd"),
    Place("郑州", "鄭州", "Zhengzhou", "Zhengzhou", "hn"),
    Place("哈尔滨", "哈爾濱", "Haerbin", "Harbin", "hlj"),
    Place("呼和浩特", "呼和浩特", "Huhehaote", "Hohhot", "nm"),
    Place("常州", "常州", "Changzhou", "Changzhou", "js"),
)

# (brand, a brand one syllable away whose pinyin differs)
BRANDS = (
    (Word("金泉", "金泉", "Jinquan", ()), Word("金山", "金山", "Jinshan", ())),
    (Word("天河", "天河", "Tianhe", ()), Word("天成", "天成", "Tiancheng", ())),
    (Word("雪峰", "雪峰", "Xuefeng", ()), Word("雪莲", "雪蓮", "Xuelian", ())),
    (Word("星光", "星光", "Xingguang", ()), Word("星辰", "星辰", "Xingchen", ())),
    (Word("丝路", "絲路", "Silu", ()), Word("丝源", "絲源", "Siyuan", ())),
    (Word("瑞丰", "瑞豐", "Ruifeng", ()), Word("瑞达", "瑞達", "Ruida", ())),
    (Word("恒信", "恆信", "Hengxin", ()), Word("恒通", "恆通", "Hengtong", ())),
    (Word("博达", "博達", "Boda", ()), Word("博远", "博遠", "Boyuan", ())),
    (Word("鑫源", "鑫源", "Xinyuan", ()), Word("鑫盛", "鑫盛", "Xinsheng", ())),
    (Word("永兴", "永興", "Yongxing", ()), Word("永安", "永安", "Yongan", ())),
    (Word("嘉禾", "嘉禾", "Jiahe", ()), Word("嘉诚", "嘉誠", "Jiacheng", ())),
    (Word("凯旋", "凱旋", "Kaixuan", ()), Word("凯达", "凱達", "Kaida", ())),
    (Word("天润", "天潤", "Tianrun", ()), Word("天宇", "天宇", "Tianyu", ())),
    (Word("美达", "美達", "Meida", ()), Word("美林", "美林", "Meilin", ())),
    (Word("锦绣", "錦繡", "Jinxiu", ()), Word("锦华", "錦華", "Jinhua", ())),
    (Word("恒远", "恆遠", "Hengyuan", ()), Word("恒昌", "恆昌", "Hengchang", ())),
    (Word("银河", "銀河", "Yinhe", ()), Word("银星", "銀星", "Yinxing", ())),
    (Word("明珠", "明珠", "Mingzhu", ()), Word("明远", "明遠", "Mingyuan", ())),
    (Word("春晖", "春暉", "Chunhui", ()), Word("春华", "春華", "Chunhua", ())),
    (Word("宝丰", "寶豐", "Baofeng", ()), Word("宝源", "寶源", "Baoyuan", ())),
    (Word("安泰", "安泰", "Antai", ()), Word("安信", "安信", "Anxin", ())),
    (Word("德隆", "德隆", "Delong", ()), Word("德胜", "德勝", "Desheng", ())),
    (Word("宇辰", "宇辰", "Yuchen", ()), Word("宇航", "宇航", "Yuhang", ())),
    (Word("惠达", "惠達", "Huida", ()), Word("惠民", "惠民", "Huimin", ())),
    (Word("龙腾", "龍騰", "Longteng", ()), Word("龙源", "龍源", "Longyuan", ())),
    (Word("祥瑞", "祥瑞", "Xiangrui", ()), Word("祥和", "祥和", "Xianghe", ())),
    (Word("振远", "振遠", "Zhenyuan", ()), Word("振兴", "振興", "Zhenxing", ())),
    (Word("新天", "新天", "Xintian", ()), Word("新宇", "新宇", "Xinyu", ())),
    (Word("金岭", "金嶺", "Jinling", ()), Word("金鹰", "金鷹", "Jinying", ())),
    (Word("鸿图", "鴻圖", "Hongtu", ()), Word("鸿达", "鴻達", "Hongda", ())),
    (Word("华美", "華美", "Huamei", ()), Word("华盛", "華盛", "Huasheng", ())),
    (Word("东升", "東昇", "Dongsheng", ()), Word("东泰", "東泰", "Dongtai", ())),
    (Word("福海", "福海", "Fuhai", ()), Word("福源", "福源", "Fuyuan", ())),
    (Word("立新", "立新", "Lixin", ()), Word("立华", "立華", "Lihua", ())),
    (Word("中天", "中天", "Zhongtian", ()), Word("中原", "中原", "Zhongyuan", ())),
    (Word("绿洲", "綠洲", "Lvzhou", ()), Word("绿源", "綠源", "Lvyuan", ())),
)

INDUSTRIES = (
    Word("棉业", "棉業", "Mianye", ("Cotton Industry", "Cotton")),
    Word("纺织", "紡織", "Fangzhi", ("Textile", "Textiles")),
    Word("色纺", "色紡", "Sefang", ("Color Spinning", "Colour Spinning")),
    Word("硅业", "硅業", "Guiye", ("Silicon Industry", "Silicon")),
    Word("化工", "化工", "Huagong", ("Chemical", "Chemical Industry")),
    Word("服装", "服裝", "Fuzhuang", ("Garment", "Apparel")),
    Word("食品", "食品", "Shipin", ("Food", "Foods")),
    Word("农业", "農業", "Nongye", ("Agriculture", "Agricultural")),
    Word("机械", "機械", "Jixie", ("Machinery",)),
    Word("电子", "電子", "Dianzi", ("Electronics", "Electronic")),
    Word("新能源", "新能源", "Xinnengyuan", ("New Energy",)),
    Word("矿业", "礦業", "Kuangye", ("Mining",)),
    Word("钢铁", "鋼鐵", "Gangtie", ("Iron and Steel", "Steel")),
    Word("贸易", "貿易", "Maoyi", ("Trading", "Trade")),
    Word("物流", "物流", "Wuliu", ("Logistics",)),
    Word("发制品", "髮製品", "Fazhipin", ("Hair Products",)),
    Word("科技", "科技", "Keji", ("Technology", "Science and Technology")),
    Word("生物科技", "生物科技", "Shengwu Keji", ("Biotechnology", "Biotech")),
    Word("实业", "實業", "Shiye", ("Industrial", "Industry")),
    Word("鞋业", "鞋業", "Xieye", ("Shoes", "Shoe Industry")),
    Word("铝业", "鋁業", "Lvye", ("Aluminum", "Aluminium")),
    Word("番茄制品", "番茄製品", "Fanqie Zhipin", ("Tomato Products",)),
    Word("针织", "針織", "Zhenzhi", ("Knitting", "Knitwear")),
    Word("光伏", "光伏", "Guangfu", ("Photovoltaic", "Solar")),
)

LEGAL_FORMS = (
    Word("有限公司", "有限公司", "Youxian Gongsi", ("Co., Ltd.", "Co. Ltd", "Company Limited")),
    Word(
        "股份有限公司",
        "股份有限公司",
        "Gufen Youxian Gongsi",
        ("Co., Ltd.", "Joint Stock Co., Ltd."),
    ),
    Word("有限责任公司", "有限責任公司", "Youxian Zeren Gongsi", ("Co., Ltd.", "LLC")),
    Word("集团有限公司", "集團有限公司", "Jituan Youxian Gongsi", ("Group Co., Ltd.",)),
)
BRANCH = Word("分公司", "分公司", "Fengongsi", ("Branch",))


@dataclass(frozen=True)
class Company:
    place: Place
    brand: Word
    near_brand: Word
    industry: Word
    legal: Word

    @property
    def province(self) -> Word:
        return PROVINCES[self.place.province]

    def zh(self, *, trad: bool = False, province: bool = False, brand: Word | None = None) -> str:
        b = brand or self.brand
        parts = [self.province, self.place, b, self.industry, self.legal]
        if not province:
            parts = parts[1:]
        return "".join(p.trad if trad else p.zh for p in parts)

    def romanized(
        self,
        *,
        pinyin_place: bool = False,
        pinyin_industry: bool = False,
        province: bool = False,
        place: bool = True,
        brand: Word | None = None,
        form: int = 0,
    ) -> str:
        b = brand or self.brand
        words = []
        if province:
            words.append(self.province.english[0])
        if place:
            words.append(self.place.pinyin if pinyin_place else self.place.spelled)
        words.append(b.pinyin)
        words.append(self.industry.pinyin if pinyin_industry else self.industry.english[0])
        legal = self.legal.english
        words.append(legal[form % len(legal)])
        return " ".join(words)


def companies() -> list[Company]:
    found = []
    for i, (brand, near) in enumerate(BRANDS):
        place = PLACES[i % len(PLACES)]
        industry = INDUSTRIES[(i * 5) % len(INDUSTRIES)]
        legal = LEGAL_FORMS[i % len(LEGAL_FORMS)]
        found.append(Company(place, brand, near, industry, legal))
    return found


def _positive_shapes(c: Company, i: int) -> list[tuple[str, str, str]]:
    """(query, list name, how) for every shape; the caller takes two per company."""
    p, b, ind = c.place, c.brand, c.industry
    shapes = [
        (c.zh(), c.romanized(), "place + brand + industry + legal form vs list-style English"),
        (
            c.zh(),
            c.romanized(pinyin_place=True, pinyin_industry=True),
            "all in pinyin on the list side (industry words in pinyin, legal form in English)",
        ),
        (
            f"{b.zh}（{p.zh}）{ind.zh}{c.legal.zh}",
            c.romanized(),
            "brand first, place in full-width brackets",
        ),
        (
            c.zh(),
            f"{b.pinyin} ({p.spelled}) {ind.english[0]} {c.legal.english[0]}",
            "list carries brand first with the place in brackets",
        ),
        (
            f"{b.zh}{ind.zh}",
            c.romanized(province=True, place=False),
            "stock-style short name (brand + industry) vs the full registered name",
        ),
        (c.zh(province=True), c.romanized(), "province prefix on the query only"),
        (c.zh(), c.romanized(province=True), "province prefix on the list name only"),
        (
            f"{c.province.zh}{b.zh}{ind.zh}{c.legal.zh}{p.zh}{BRANCH.zh}",
            c.romanized(province=True, place=False),
            "branch office (分公司, part of the company, not a separate legal person)",
        ),
        (
            f"{c.province.zh}{b.zh}{ind.zh}{c.legal.zh}{p.zh}{BRANCH.zh}",
            f"{c.romanized(province=True, place=False)} {p.spelled} Branch",
            "branch office on both sides",
        ),
        (c.zh(trad=True), c.romanized(), "traditional characters"),
        (c.zh(trad=True), c.romanized(pinyin_place=True), "traditional characters, pinyin place"),
        (f"{p.zh}{b.zh}{ind.zh}", c.romanized(form=1), "query without legal form"),
        (
            c.zh(),
            f"{p.pinyin} {b.pinyin}",
            "list alias of place and brand only (like 'Akesu Huafu')",
        ),
        (
            f"{p.zh} {b.zh} {ind.zh} {c.legal.zh}",
            c.romanized(form=2),
            "query typed with spaces between the words",
        ),
    ]
    return [shapes[i % len(shapes)], shapes[(i + 5) % len(shapes)]]


def chinese_shapes() -> list[Pair]:
    pairs: list[Pair] = []
    found = companies()
    n = len(found)
    for i, c in enumerate(found):
        for query, listed, how in _positive_shapes(c, i):
            pairs.append(positive(query, listed, SHAPES, f"invented; {how}", country_a="CN"))
        other = found[(i + 7) % n]
        same_place_industry = Company(c.place, other.brand, other.near_brand, c.industry, c.legal)
        negatives = [
            (
                c.zh(),
                same_place_industry.romanized(),
                "same place, industry and legal form, different brand",
            ),
            (
                c.zh(),
                c.romanized(brand=c.near_brand),
                f"brand one syllable away ({c.brand.zh}/{c.near_brand.zh}), pinyin differs",
            ),
            (
                f"{c.brand.zh}{c.industry.zh}",
                Company(c.place, c.near_brand, c.brand, c.industry, c.legal).romanized(
                    province=True, place=False
                ),
                "short name vs the full name of a brand one syllable away",
            ),
            (
                c.zh(trad=True),
                same_place_industry.romanized(pinyin_place=True),
                "traditional characters; same place and industry, different brand",
            ),
            (
                c.zh(province=True),
                Company(other.place, c.brand, c.near_brand, other.industry, c.legal).romanized(),
                "same brand word in another place and industry (an unrelated company)",
            ),
        ]
        for query, listed, how in (negatives[i % 5], negatives[(i + 2) % 5]):
            pairs.append(negative(query, listed, SHAPES, f"invented; {how}", country_a="CN"))
    return pairs


# --- chinese-real -------------------------------------------------------------------------
# (Chinese name, list name exactly as a bundled list carries it, how the Chinese name is known)
LISTED = "registered name of the listed company"
REPORTED = "Chinese name as reported with the listing or the WRO"
SHORT = "stock short name (brand + industry) of the listed company"
LITERAL = "the list name renders this Chinese name word for word (pinyin brand)"

REAL_POSITIVES = (
    ("新疆中泰化学股份有限公司", "Xinjiang Zhongtai Chemical Co. Ltd.", f"{LISTED} (SZSE 002092)"),
    ("中泰化学", "Xinjiang Zhongtai Chemical Co. Ltd.", f"{SHORT} (SZSE 002092)"),
    ("新疆中泰化學股份有限公司", "Xinjiang Zhongtai Chemical Co. Ltd.", f"{LISTED}, traditional"),
    (
        "新疆中泰（集团）有限责任公司",
        "Xinjiang Zhongtai Group Co. Ltd",
        "controlling shareholder named in SZSE 002092 reports",
    ),
    ("阿克苏华孚色纺有限公司", "Aksu Huafu Color Spinning Co., Ltd.", f"{REPORTED} (issue 13)"),
    ("阿克苏华孚色纺有限公司", "Akesu Huafu", "UFLPA alias, pinyin of place and brand"),
    (
        "阿克苏华孚色纺有限公司",
        "Akesu Huafu Melange Yarn Co., Ltd.",
        "UFLPA alias of the same entry",
    ),
    ("阿克蘇華孚色紡有限公司", "Aksu Huafu Color Spinning Co., Ltd.", f"{REPORTED}, traditional"),
    ("华孚时尚股份有限公司", "Huafu Fashion Co., Ltd.", f"{LISTED} (SZSE 002042)"),
    ("华孚时尚", "Huafu Fashion Co., Ltd.", f"{SHORT} (SZSE 002042)"),
    ("阿瓦提华孚纺织有限公司", "Awati Huafu Textile Co., Ltd.", f"Huafu subsidiary; {LITERAL}"),
    (
        "合盛硅业（鄯善）有限公司",
        "Hesheng Silicon Industry (Shanshan) Co.",
        "subsidiary of SSE 603260 合盛硅业; UFLPA alias in pinyin",
    ),
    ("新疆众和股份有限公司", "Xinjiang Zhonghe Co., Ltd.", f"{LISTED} (SSE 600888)"),
    ("新疆众和", "Xinjiang Zhonghe Co., Ltd.", f"{SHORT} (SSE 600888)"),
    (
        "新疆天山毛纺织股份有限公司",
        "Xinjiang Tianshan Wool Textile Co. Ltd.",
        f"{LISTED} (SZSE 000813, former name)",
    ),
    ("紫金矿业集团股份有限公司", "Zijin Mining Group Co., Ltd.", f"{LISTED} (SSE 601899)"),
    ("紫金矿业", "Zijin Mining Group Co., Ltd.", f"{SHORT} (SSE 601899)"),
    ("紫金礦業集團股份有限公司", "Zijin Mining Group Co., Ltd.", f"{LISTED}, traditional"),
    (
        "新疆紫金锌业有限公司",
        "Xinjiang Zijin Zinc Industry Co., Ltd.",
        f"Zijin subsidiary; {LITERAL}",
    ),
    (
        "新疆紫金有色金属有限公司",
        "Xinjiang Zijin Nonferrous Metals Co., Ltd.",
        f"Zijin subsidiary; {LITERAL}",
    ),
    (
        "新疆神火煤电有限公司",
        "Xinjiang Shenhuo Coal and Electricity Co., Ltd.",
        f"subsidiary of SZSE 000933 神火股份; {LITERAL}",
    ),
    (
        "新疆哈巴河阿舍勒铜业股份有限公司",
        "Xinjiang Habahe Ashele Copper Co., Ltd.",
        f"Zijin subsidiary; {LITERAL}",
    ),
    ("阿舍勒铜业", "Ashele Copper", "short name; UFLPA alias"),
    (
        "宝钢集团新疆八一钢铁有限公司",
        "Baosteel Group Xinjiang Bayi Iron and Steel Co., Ltd.",
        f"UFLPA alias; {LITERAL} (Bayi = 八一)",
    ),
    ("八一钢铁", "Bayi Iron and Steel", "stock short name (SSE 600581); UFLPA alias"),
    (
        "和田浩林发饰品有限公司",
        "Hetian Haolin Hair Accessories Co. Ltd.",
        f"{REPORTED} (WRO 2020)",
    ),
    ("和田浩林发饰品有限公司", "Hotan Haolin Hair Accessories", "UFLPA alias, conventional place"),
    ("和田泰达服装有限公司", "Hetian Taida Apparel Co., Ltd.", f"{REPORTED} (WRO 2019)"),
    (
        "洛浦县美欣发制品有限公司",
        "Lop County Meixin Hair Products Co., Ltd.",
        f"{REPORTED} (WRO 2020)",
    ),
    (
        "伊犁卓婉服装制造有限公司",
        "Yili Zhuowan Garment Manufacturing Co., Ltd.",
        f"{REPORTED} (WRO 2019)",
    ),
    (
        "昌吉溢达纺织有限公司",
        "Changji Yida Textile Co., Ltd.",
        "Esquel (溢达) subsidiary; UFLPA alias",
    ),
    ("长虹美菱股份有限公司", "Changhong Meiling Co., Ltd.", f"{LISTED} (SZSE 000521)"),
    ("长虹美菱", "Changhong Meiling Co., Ltd.", f"{SHORT} (SZSE 000521)"),
    ("合肥美菱股份有限公司", "Hefei Meiling Co., Ltd.", "former registered name of SZSE 000521"),
    ("东莞绿洲鞋业有限公司", "Dongguan Lvzhou Shoes Co., Ltd.", f"UFLPA alias; {LITERAL}"),
    ("东莞绿洲鞋业有限公司", "Dongguan Luzhou Shoes Co., Ltd.", "UFLPA alias (ü written u)"),
    (
        "合肥宝龙达信息技术有限公司",
        "Hefei Baolongda Information Technology Co., Ltd.",
        f"UFLPA alias; {LITERAL}",
    ),
    ("今创集团股份有限公司", "Jiangsu Jinchuang Group", f"{LISTED} (SSE 603680, KTK)"),
    ("今创集团", "Jiangsu Jinchuang Group", f"{SHORT} (SSE 603680)"),
    (
        "南京新一棉纺织印染有限公司",
        "Nanjing Xinyi Cotton Textile Printing and Dyeing",
        f"UFLPA alias; {LITERAL}",
    ),
    ("山东美佳集团有限公司", "Shandong Meijia Group Co., Ltd.", f"{REPORTED}; {LITERAL}"),
    ("日照美佳集团", "Rizhao Meijia Group", "UFLPA alias; place + brand + group"),
    ("碳元科技股份有限公司", "Tanyuan Technology Co. Ltd.", f"{LISTED} (SSE 603133)"),
    ("碳元科技", "Tanyuan Technology Co. Ltd.", f"{SHORT} (SSE 603133)"),
    ("弘元绿色能源股份有限公司", "Hongyuan Green Energy Co., Ltd.", f"{LISTED} (SSE 603185)"),
    (
        "无锡上机数控股份有限公司",
        "Wuxi Shangji CNC Co., Ltd.",
        "former registered name of SSE 603185; UFLPA alias",
    ),
    (
        "双良硅材料（包头）有限公司",
        "Shuangliang Silicon Materials (Baotou) Co., Ltd.",
        f"subsidiary of SSE 600481 双良节能; {LITERAL}",
    ),
    (
        "晨光生物科技集团股份有限公司",
        "Chenguang Biotech Group Co., Ltd.",
        f"{LISTED} (SZSE 300138)",
    ),
    ("晨光生物", "Chenguang Biotech Group Co., Ltd.", f"{SHORT} (SZSE 300138)"),
    (
        "江苏美科太阳能科技股份有限公司",
        "Jiangsu Meike Solar Technology Co., Ltd.",
        f"{REPORTED}; {LITERAL}",
    ),
    ("包头美科硅能源有限公司", "Baotou Meike Silicon Energy Co., Ltd.", f"{REPORTED}; {LITERAL}"),
    ("湖北银丰棉花股份有限公司", "Hubei Yinfeng Cotton Co., Ltd.", f"{REPORTED}; {LITERAL}"),
    (
        "新疆生产建设兵团",
        "Bingtuan",
        "UFLPA alias: Bingtuan is the pinyin of 兵团, the name everybody uses",
    ),
    (
        "新疆生产建设兵团",
        "Xinjiang Production and Construction Corps and its subordinate and affiliated entities",
        "the XPCC's own name; UFLPA primary name",
    ),
    (
        "丹东至诚金属材料有限公司",
        "DANDONG ZHICHENG METALLIC MATERIAL CO., LTD.",
        f"{REPORTED} (OFAC 2017); {LITERAL}",
    ),
    (
        "丹东东源实业有限公司",
        "DANDONG DONGYUAN INDUSTRIAL CO., LTD.",
        f"{REPORTED} (OFAC 2016); {LITERAL}",
    ),
    (
        "辽宁中贸实业有限公司",
        "LIAONING ZHONGMAO INDUSTRIAL CO., LTD",
        f"OFAC alias; {LITERAL} (its other alias translates 中贸 as China Trade)",
    ),
    (
        "唐山三友集团有限公司",
        "Tangshan Sanyou Group and its Subsidiaries",
        f"{REPORTED} (WRO 2023)",
    ),
    (
        "内蒙古恒正集团保安召农工贸有限公司",
        "Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry, and Trade Co., Ltd.",
        f"{REPORTED} (WRO 2018)",
    ),
    (
        "甘肃亚盛国际贸易有限公司",
        "Gansu Yasheng International Trade Co., Ltd.",
        f"UFLPA alias; {LITERAL}",
    ),
    (
        "漳州恒发进出口有限公司",
        "Zhangzhou Hengfa Import and Export Co., Ltd.",
        "UFLPA alias (Hang Fat is the Cantonese reading of 恒发)",
    ),
    (
        "南阳红棉物流有限公司",
        "Nanyang Hongmian Logistics Co., Ltd.",
        "UFLPA primary name; alias Red Cotton",
    ),
    (
        "长沙金草生物科技有限公司",
        "Changsha Jincao Biotechnology Co., Ltd.",
        f"UFLPA alias; {LITERAL}",
    ),
    (
        "新疆银隆农业国际合作股份有限公司",
        "Xinjiang Yinlong Agricultural International Cooperation Co.",
        f"{REPORTED}; {LITERAL}",
    ),
)

# (Chinese name of a different company, the listed name it is not, why it is different)
INVENTED = "invented; same place/industry/legal form, brand differs in pinyin"
REAL_OTHER = "a real company that is not on the list"
OTHER_ENTRY = "another listed entry"
REAL_NEGATIVES = (
    (
        "新疆中盛化学股份有限公司",
        "Xinjiang Zhongtai Chemical Co. Ltd.",
        f"{INVENTED} (中盛 Zhongsheng)",
    ),
    ("中盛化学", "Xinjiang Zhongtai Chemical Co. Ltd.", "invented short name, brand Zhongsheng"),
    ("新疆中盛化學股份有限公司", "Xinjiang Zhongtai Chemical Co. Ltd.", f"{INVENTED}, traditional"),
    ("阿克苏华美色纺有限公司", "Aksu Huafu Color Spinning Co., Ltd.", f"{INVENTED} (华美 Huamei)"),
    ("阿克苏华丰棉业有限公司", "Akesu Huafu", f"{INVENTED} (华丰 Huafeng)"),
    ("华盛时尚股份有限公司", "Huafu Fashion Co., Ltd.", f"{INVENTED} (华盛 Huasheng)"),
    ("阿瓦提金泉纺织有限公司", "Awati Huafu Textile Co., Ltd.", f"{INVENTED} (金泉 Jinquan)"),
    (
        "合兴硅业（鄯善）有限公司",
        "Hesheng Silicon Industry (Shanshan) Co.",
        f"{INVENTED} (合兴 Hexing)",
    ),
    ("新疆众诚股份有限公司", "Xinjiang Zhonghe Co., Ltd.", f"{INVENTED} (众诚 Zhongcheng)"),
    (
        "新疆天山水泥股份有限公司",
        "Xinjiang Tianshan Wool Textile Co. Ltd.",
        f"{REAL_OTHER} (Tianshan Cement, SZSE 000877)",
    ),
    ("紫光矿业集团股份有限公司", "Zijin Mining Group Co., Ltd.", f"{INVENTED} (紫光 Ziguang)"),
    ("新疆紫阳锌业有限公司", "Xinjiang Zijin Zinc Industry Co., Ltd.", f"{INVENTED} (紫阳 Ziyang)"),
    (
        "新疆紫光有色金属有限公司",
        "Xinjiang Zijin Nonferrous Metals Co., Ltd.",
        f"{INVENTED} (紫光 Ziguang)",
    ),
    (
        "新疆神龙煤电有限公司",
        "Xinjiang Shenhuo Coal and Electricity Co., Ltd.",
        f"{INVENTED} (神龙 Shenlong)",
    ),
    (
        "新疆哈巴河金山铜业有限公司",
        "Xinjiang Habahe Ashele Copper Co., Ltd.",
        f"{INVENTED} (金山 Jinshan, same county)",
    ),
    ("新疆八方钢铁有限公司", "Xinjiang Bayi Iron and Steel Co. Ltd.", f"{INVENTED} (八方 Bafang)"),
    (
        "和田浩宇发饰品有限公司",
        "Hetian Haolin Hair Accessories Co. Ltd.",
        f"{INVENTED} (浩宇 Haoyu)",
    ),
    ("和田泰丰服装有限公司", "Hetian Taida Apparel Co., Ltd.", f"{INVENTED} (泰丰 Taifeng)"),
    (
        "洛浦县美华发制品有限公司",
        "Lop County Meixin Hair Products Co., Ltd.",
        f"{INVENTED} (美华 Meihua)",
    ),
    (
        "伊犁卓越服装制造有限公司",
        "Yili Zhuowan Garment Manufacturing Co., Ltd.",
        f"{INVENTED} (卓越 Zhuoyue)",
    ),
    ("昌吉溢源纺织有限公司", "Changji Yida Textile Co., Ltd.", f"{INVENTED} (溢源 Yiyuan)"),
    (
        "长虹华意压缩机股份有限公司",
        "Changhong Meiling Co., Ltd.",
        f"{REAL_OTHER} (Changhong Huayi Compressor, SZSE 000404, same group)",
    ),
    (
        "合肥美的电冰箱有限公司",
        "Hefei Meiling Co., Ltd.",
        f"{REAL_OTHER} (Midea's Hefei refrigerator company)",
    ),
    ("东莞绿源鞋业有限公司", "Dongguan Lvzhou Shoes Co., Ltd.", f"{INVENTED} (绿源 Lvyuan)"),
    (
        "合肥宝龙信息技术有限公司",
        "Hefei Baolongda Information Technology Co., Ltd.",
        f"{INVENTED} (宝龙 Baolong, a prefix of the listed brand)",
    ),
    ("今飞集团股份有限公司", "Jiangsu Jinchuang Group", f"{INVENTED} (今飞 Jinfei)"),
    (
        "南京新华棉纺织印染有限公司",
        "Nanjing Xinyi Cotton Textile Printing and Dyeing",
        f"{INVENTED} (新华 Xinhua)",
    ),
    ("山东美华集团有限公司", "Shandong Meijia Group Co., Ltd.", f"{INVENTED} (美华 Meihua)"),
    ("碳谷科技股份有限公司", "Tanyuan Technology Co. Ltd.", f"{INVENTED} (碳谷 Tangu)"),
    ("弘达绿色能源股份有限公司", "Hongyuan Green Energy Co., Ltd.", f"{INVENTED} (弘达 Hongda)"),
    ("无锡上能数控股份有限公司", "Wuxi Shangji CNC Co., Ltd.", f"{INVENTED} (上能 Shangneng)"),
    (
        "双星硅材料（包头）有限公司",
        "Shuangliang Silicon Materials (Baotou) Co., Ltd.",
        f"{INVENTED} (双星 Shuangxing)",
    ),
    (
        "晨阳生物科技集团股份有限公司",
        "Chenguang Biotech Group Co., Ltd.",
        f"{INVENTED} (晨阳 Chenyang)",
    ),
    (
        "江苏美达太阳能科技股份有限公司",
        "Jiangsu Meike Solar Technology Co., Ltd.",
        f"{INVENTED} (美达 Meida)",
    ),
    (
        "包头宏科硅能源有限公司",
        "Baotou Meike Silicon Energy Co., Ltd.",
        f"{INVENTED} (宏科 Hongke)",
    ),
    ("湖北银海棉花股份有限公司", "Hubei Yinfeng Cotton Co., Ltd.", f"{INVENTED} (银海 Yinhai)"),
    (
        "内蒙古生产建设兵团",
        "Xinjiang Production and Construction Corps and its subordinate and affiliated entities",
        "a different (historical, 1969-1975) production and construction corps",
    ),
    (
        "丹东至信金属材料有限公司",
        "DANDONG ZHICHENG METALLIC MATERIAL CO., LTD.",
        f"{INVENTED} (至信 Zhixin)",
    ),
    (
        "丹东东方实业有限公司",
        "DANDONG DONGYUAN INDUSTRIAL CO., LTD.",
        f"{INVENTED} (东方 Dongfang)",
    ),
    (
        "辽宁中汇实业有限公司",
        "LIAONING ZHONGMAO INDUSTRIAL CO., LTD",
        f"{INVENTED} (中汇 Zhonghui)",
    ),
    (
        "唐山三元集团有限公司",
        "Tangshan Sanyou Group and its Subsidiaries",
        f"{INVENTED} (三元 Sanyuan)",
    ),
    (
        "内蒙古恒泰集团保安召农工贸有限公司",
        "Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry, and Trade Co., Ltd.",
        f"{INVENTED} (恒泰 Hengtai)",
    ),
    (
        "甘肃亚泰国际贸易有限公司",
        "Gansu Yasheng International Trade Co., Ltd.",
        f"{INVENTED} (亚泰 Yatai)",
    ),
    (
        "漳州恒达进出口有限公司",
        "Zhangzhou Hengfa Import and Export Co., Ltd.",
        f"{INVENTED} (恒达 Hengda)",
    ),
    ("南阳红星物流有限公司", "Nanyang Hongmian Logistics Co., Ltd.", f"{INVENTED} (红星 Hongxing)"),
    (
        "长沙金瑞生物科技有限公司",
        "Changsha Jincao Biotechnology Co., Ltd.",
        f"{INVENTED} (金瑞 Jinrui)",
    ),
    (
        "新疆银河农业国际合作股份有限公司",
        "Xinjiang Yinlong Agricultural International Cooperation Co.",
        f"{INVENTED} (银河 Yinhe)",
    ),
    # Two listed entries of the same city or province: the Chinese name of one, the list name
    # of the other.
    ("阿克苏华孚色纺有限公司", "Aksu Biaoxin Fiber Co., Ltd.", f"{OTHER_ENTRY}, same city"),
    ("和田浩林发饰品有限公司", "Hetian Taida Apparel Co., Ltd.", f"{OTHER_ENTRY}, same city"),
    (
        "和田泰达服装有限公司",
        "Hetian Haolin Hair Accessories Co. Ltd.",
        f"{OTHER_ENTRY}, same city",
    ),
    (
        "洛浦县美欣发制品有限公司",
        "Lop County Hair Product Industrial Park",
        f"{OTHER_ENTRY}: the company is in the park, not the park",
    ),
    (
        "新疆天山毛纺织股份有限公司",
        "Xinjiang Tianmian Foundation Textile Co., Ltd.",
        f"{OTHER_ENTRY} (Tianshan vs Tianmian)",
    ),
    (
        "新疆众和股份有限公司",
        "Xinjiang Zhongtai Group Co. Ltd",
        f"{OTHER_ENTRY} (Zhonghe vs Zhongtai)",
    ),
    (
        "新疆中泰化学股份有限公司",
        "Xinjiang Zhonghe Co., Ltd.",
        f"{OTHER_ENTRY} (Zhongtai vs Zhonghe)",
    ),
    (
        "合肥美菱股份有限公司",
        "Hefei Bitland Information Technology Co., Ltd.",
        f"{OTHER_ENTRY}, same city",
    ),
    (
        "湖北银丰棉花股份有限公司",
        "Hubei Qirun Investment Development Co., Ltd.",
        f"{OTHER_ENTRY}, same province",
    ),
    (
        "丹东东源实业有限公司",
        "DANDONG ZHICHENG METALLIC MATERIAL CO., LTD.",
        f"{OTHER_ENTRY}, same city",
    ),
    (
        "丹东至诚金属材料有限公司",
        "DANDONG DONGYUAN INDUSTRIAL CO., LTD.",
        f"{OTHER_ENTRY}, same city",
    ),
    (
        "长沙金草生物科技有限公司",
        "Changzhou Guanghui Biotechnology Co., Ltd.",
        f"{OTHER_ENTRY}, same industry",
    ),
    (
        "新疆神火煤电有限公司",
        "Xinjiang Shengfu Cotton Industry Co., Ltd.",
        f"{OTHER_ENTRY} (Shenhuo vs Shengfu)",
    ),
)


def chinese_real(listed_names: set[str]) -> list[Pair]:
    """Pairs whose list side must be a name the bundled lists carry (checked here)."""
    pairs = []
    for zh, listed, how in REAL_POSITIVES:
        assert listed in listed_names, f"not on a bundled list: {listed}"
        pairs.append(positive(zh, listed, REAL, f"established: {how}", country_a="CN"))
    for zh, listed, how in REAL_NEGATIVES:
        assert listed in listed_names, f"not on a bundled list: {listed}"
        pairs.append(negative(zh, listed, REAL, how, country_a="CN"))
    return pairs
