"""Write the synthetic messy supplier lists and their answer key (truth.json).

Run from anywhere: `python tests/data/messy_supplier_lists/generate.py`. The output is the same
on every run (one seeded random generator, no clock). Every company, identifier and address is
invented; the identifiers have the right shape (USCC check characters are computed as
GB 32100-2015 prescribes) but belong to no one.
"""

# ruff: noqa: E501  (tables of names and one-line row builders read better unwrapped)
from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
RNG = random.Random(20241108)

# --- identifiers ----------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc(region: str) -> str:
    """A Unified Social Credit Code: 9 (market regulator) 1 (enterprise), region, organisation
    code with its GB 11714 check character, then the GB 32100 check character."""
    body = "".join(RNG.choice("0123456789") for _ in range(8))
    org_check = 11 - sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    first17 = "91" + region + org
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_CHARS[(31 - total % 31) % 31]


def duns(leading_zero: bool = False) -> str:
    first = "0" if leading_zero else RNG.choice("123456789")
    return first + "".join(RNG.choice("0123456789") for _ in range(8))


def digits(n: int) -> str:
    return "".join(RNG.choice("0123456789") for _ in range(n))


TAX_ID = {
    "BD": lambda: f"{digits(9)}-{digits(4)}",  # BIN
    "VN": lambda: "0" + digits(9),  # MST, leading zero
    "TR": lambda: digits(10),  # VKN
    "IN": lambda: (
        f"{RNG.randint(10, 37)}AA{RNG.choice('CFP')}{digits(4)}{RNG.choice('ABC')}1Z{RNG.choice('ABCD5')}"
    ),
    "PK": lambda: f"{digits(7)}-{digits(1)}",  # NTN
    "KR": lambda: f"{digits(3)}-{digits(2)}-{digits(5)}",
    "KH": lambda: f"K{digits(3)}-{digits(9)}",
    "DE": lambda: "DE" + digits(9),
    "IT": lambda: "IT0" + digits(10),
    "PT": lambda: "PT5" + digits(8),
    "US": lambda: f"{digits(2)}-{digits(7)}",
    "MX": lambda: (
        f"{''.join(RNG.choice('ABCDEFGHJK') for _ in range(3))}{digits(6)}{RNG.choice('ABC')}{digits(2)}"
    ),
    "ID": lambda: f"0{digits(1)}.{digits(3)}.{digits(3)}.{digits(1)}-{digits(3)}.000",
    "LK": lambda: digits(9),
    "HK": lambda: digits(8),
    "TW": lambda: digits(8),
    "MY": lambda: f"C{digits(10)}",
}

# --- countries as ERP users type them (all encodable in Windows-1252) -------------------------

COUNTRY_FORMS = {
    "CN": [
        "CN",
        "CN",
        "CN",
        "CHN",
        "China",
        "China",
        "P.R.C.",
        "PR China",
        "People's Republic of China",
    ],
    "VN": ["VN", "VN", "VNM", "Viet Nam", "Vietnam"],
    "KR": ["KR", "KOR", "Korea, Republic of", "South Korea"],
    "TR": ["TR", "TR", "TUR", "Türkiye", "Turkey"],
    "BD": ["BD", "BD", "BGD", "Bangladesh"],
    "IN": ["IN", "IND", "India"],
    "PK": ["PK", "PAK", "Pakistan"],
    "KH": ["KH", "KHM", "Cambodia"],
    "DE": ["DE", "DEU", "Germany"],
    "IT": ["IT", "ITA", "Italy"],
    "PT": ["PT", "PRT", "Portugal"],
    "US": ["US", "USA", "United States"],
    "MX": ["MX", "MEX", "Mexico"],
    "ID": ["ID", "IDN", "Indonesia"],
    "LK": ["LK", "LKA", "Sri Lanka"],
    "HK": ["HK", "HKG", "Hong Kong"],
    "TW": ["TW", "TWN", "Taiwan"],
    "MY": ["MY", "MYS", "Malaysia"],
}
COUNTRY_NAME = {
    "CN": "China", "VN": "Vietnam", "KR": "South Korea", "TR": "Turkey", "BD": "Bangladesh",
    "IN": "India", "PK": "Pakistan", "KH": "Cambodia", "DE": "Germany", "IT": "Italy",
    "PT": "Portugal", "US": "United States", "MX": "Mexico", "ID": "Indonesia", "LK": "Sri Lanka",
    "HK": "Hong Kong", "TW": "Taiwan", "MY": "Malaysia",
}  # fmt: skip
PHONE_PREFIX = {
    "CN": "+86", "VN": "+84", "KR": "+82", "TR": "+90", "BD": "+880", "IN": "+91", "PK": "+92",
    "KH": "+855", "DE": "+49", "IT": "+39", "PT": "+351", "US": "+1", "MX": "+52", "ID": "+62",
    "LK": "+94", "HK": "+852", "TW": "+886", "MY": "+60",
}  # fmt: skip

# --- Chinese names: characters with their pinyin (checked against pypinyin when installed) ----

CN_CITIES = [
    # (Chinese, pinyin, province code as SAP REGIO, GB/T 2260 region code, postal code)
    ("宁波", "Ningbo", "ZJ", "330200", "315000"),
    ("绍兴", "Shaoxing", "ZJ", "330600", "312000"),
    ("苏州", "Suzhou", "JS", "320500", "215000"),
    ("杭州", "Hangzhou", "ZJ", "330100", "310000"),
    ("广州", "Guangzhou", "GD", "440100", "510000"),
    ("东莞", "Dongguan", "GD", "441900", "523000"),
    ("佛山", "Foshan", "GD", "440600", "528000"),
    ("青岛", "Qingdao", "SD", "370200", "266000"),
    ("无锡", "Wuxi", "JS", "320200", "214000"),
    ("常州", "Changzhou", "JS", "320400", "213000"),
    ("泉州", "Quanzhou", "FJ", "350500", "362000"),
    ("厦门", "Xiamen", "FJ", "350200", "361000"),
    ("乌鲁木齐", "Wulumuqi", "XJ", "650100", "830000"),
    ("阿克苏", "Akesu", "XJ", "652900", "843000"),
    ("石河子", "Shihezi", "XJ", "659001", "832000"),
    ("南通", "Nantong", "JS", "320600", "226000"),
    ("嘉兴", "Jiaxing", "ZJ", "330400", "314000"),
    ("温州", "Wenzhou", "ZJ", "330300", "325000"),
]
SYLLABLES = {
    "恒": "heng", "源": "yuan", "华": "hua", "孚": "fu", "星": "xing", "河": "he", "金": "jin",
    "龙": "long", "天": "tian", "虹": "hong", "永": "yong", "盛": "sheng", "瑞": "rui",
    "丰": "feng", "鑫": "xin", "达": "da", "宏": "hong", "美": "mei", "新": "xin", "宇": "yu",
    "润": "run", "泽": "ze", "嘉": "jia", "欣": "xin", "佳": "jia", "利": "li", "泰": "tai",
    "东": "dong", "方": "fang", "海": "hai", "明": "ming", "辉": "hui", "中": "zhong",
    "昌": "chang", "隆": "long", "祥": "xiang", "福": "fu", "兴": "xing", "旺": "wang",
    "荣": "rong", "凯": "kai", "博": "bo", "诚": "cheng", "信": "xin", "安": "an", "康": "kang",
    "宝": "bao", "晨": "chen", "光": "guang", "锦": "jin", "绣": "xiu", "创": "chuang",
}  # fmt: skip
CN_TRADES = [
    # (Chinese, pinyin, English)
    ("纺织", "Fangzhi", "Textile"),
    ("服装", "Fuzhuang", "Garment"),
    ("针织", "Zhenzhi", "Knitting"),
    ("印染", "Yinran", "Printing and Dyeing"),
    ("制衣", "Zhiyi", "Apparel"),
    ("包装", "Baozhuang", "Packaging"),
    ("电子", "Dianzi", "Electronics"),
    ("光伏", "Guangfu", "Photovoltaic"),
    ("棉业", "Mianye", "Cotton"),
    ("鞋业", "Xieye", "Footwear"),
]
TRADITIONAL = {"纺": "紡", "织": "織", "针": "針", "装": "裝", "电": "電", "华": "華", "龙": "龍",
               "东": "東", "丰": "豐", "达": "達", "兴": "興", "荣": "榮", "凯": "凱", "诚": "誠",
               "宝": "寶", "辉": "輝", "业": "業", "制": "製", "锦": "錦", "绣": "繡", "创": "創",
               "宁": "寧", "绍": "紹", "苏": "蘇", "广": "廣", "莞": "莞", "岛": "島", "无": "無",
               "锡": "錫", "门": "門", "乌": "烏", "鲁": "魯", "齐": "齊", "阿": "阿", "苏州": "蘇州",
               "冈": "岡", "温": "溫", "泽": "澤", "润": "潤", "鑫": "鑫", "欣": "欣"}  # fmt: skip

_used_cores: set[str] = set()


def cn_core() -> tuple[str, str]:
    """Two characters never used before, as (Chinese, Pinyin)."""
    chars = list(SYLLABLES)
    while True:
        a, b = RNG.sample(chars, 2)
        pinyin = (SYLLABLES[a] + SYLLABLES[b]).capitalize()
        if pinyin not in _used_cores:
            _used_cores.add(pinyin)
            return a + b, pinyin


# --- other countries: invented name parts ---------------------------------------------------

WORDS = {
    "BD": ["Meghna", "Padma", "Karnaphuli", "Jamuna", "Surma", "Titas", "Shitalakshya",
           "Dhaleshwari", "Buriganga", "Teesta", "Madhumati", "Shapla", "Doel", "Sonargaon",
           "Ashulia", "Gazipur", "Savar", "Rupsha", "Kushiyara", "Bhairab", "Gorai", "Halda"],
    "VN": ["Phong Lan", "Song Hong", "An Phuoc", "Minh Anh", "Bao Minh", "Thai Binh", "Nam Dinh",
           "Dong Nai", "Long An", "Binh Duong", "Hoa Binh", "Tan Phu", "Phu Tho", "Ha Nam",
           "Quang Ninh", "Vinh Phuc", "Ben Tre", "Tay Ninh"],
    "TR": ["Özen", "Güney", "Akdeniz", "Ege", "Anadolu", "Yücel", "Gökçe", "Tuna", "Altin",
           "Çinar", "Bozkurt", "Ercan", "Köksal", "Dönmez", "Uysal", "Öztas"],
    "IN": ["Shree Ganesh", "Sri Lakshmi", "Ambika", "Kaveri", "Narmada", "Vindhya", "Tirupur Star",
           "Karur Royal", "Mahalaxmi", "Sai Krupa", "Gokul", "Omkar", "Bhavani", "Saraswati"],
    "PK": ["Indus", "Ravi", "Chenab", "Jhelum", "Kohinoor", "Sialkot Star", "Faisal", "Crescent Moon",
           "Margalla", "Potohar", "Sutlej", "Kalam"],
    "KR": ["Daehan", "Hanil", "Samhwa", "Dongil", "Seoyeon", "Mirae", "Haneul", "Busan Fiber",
           "Saehan", "Jinwoo"],
    "KH": ["Angkor", "Mekong", "Tonle", "Kampot", "Bayon", "Sihanouk"],
    "DE": ["Müller", "Schäfer", "Weiß", "Köhler", "Bauer", "Hoffmann"],
    "IT": ["Bianchi", "Ferrara", "Lombardi", "Galli", "Rinaldi"],
    "PT": ["Guimarães", "Barcelos", "Famalicão", "Vizela", "Trofa"],
    "US": ["Carolina", "Piedmont", "Blue Ridge", "Great Lakes", "Lone Star"],
    "MX": ["Puebla", "Tehuacán", "Jalisco", "Bajío"],
    "ID": ["Nusantara", "Bandung", "Sumber", "Mitra", "Jaya Abadi"],
    "LK": ["Lanka", "Kandy", "Ceylon", "Negombo"],
    "HK": ["Harbour", "Kowloon", "Victoria", "Pearl"],
    "TW": ["Formosa Fine", "Taichung", "Tainan", "Hsinchu"],
    "MY": ["Penang", "Selangor", "Johor", "Melaka"],
}  # fmt: skip
TRADES_EN = ["Textile", "Garments", "Knit Composite", "Apparels", "Fashions", "Sweaters", "Denim",
             "Spinning Mills", "Dyeing", "Accessories", "Packaging", "Footwear", "Home Textiles"]  # fmt: skip
CITIES = {
    "BD": [("Gazipur", "1700"), ("Ashulia", "1349"), ("Narayanganj", "1400"), ("Chattogram", "4000"), ("Savar", "1340")],
    "VN": [("Ho Chi Minh City", "700000"), ("Binh Duong", "820000"), ("Dong Nai", "810000"), ("Nam Dinh", "420000")],
    "TR": [("Istanbul", "34000"), ("Bursa", "16000"), ("Denizli", "20000"), ("Kahramanmaras", "46000"), ("Gaziantep", "27000")],
    "IN": [("Tiruppur", "641601"), ("Ludhiana", "141001"), ("Surat", "395003"), ("Karur", "639001")],
    "PK": [("Faisalabad", "38000"), ("Lahore", "54000"), ("Karachi", "74000"), ("Sialkot", "51310")],
    "KR": [("Seoul", "04524"), ("Busan", "48058"), ("Daegu", "41585")],
    "KH": [("Phnom Penh", "120101"), ("Kampong Speu", "050101")],
    "DE": [("Dresden", "01067"), ("Chemnitz", "09111"), ("Bielefeld", "33602")],
    "IT": [("Prato", "59100"), ("Biella", "13900"), ("Como", "22100")],
    "PT": [("Guimarães", "4800-001"), ("Barcelos", "4750-001")],
    "US": [("Charlotte", "28202"), ("Boston", "02134")],
    "MX": [("Ciudad de México", "03550"), ("Puebla", "72000")],
    "ID": [("Bandung", "40111"), ("Semarang", "50132")],
    "LK": [("Colombo", "00300"), ("Katunayake", "11450")],
    "HK": [("Kowloon", ""), ("Kwun Tong", "")],
    "TW": [("Taipei", "100"), ("Taichung", "400")],
    "MY": [("Penang", "10200"), ("Johor Bahru", "80000")],
}  # fmt: skip
LEGAL = {
    "BD": ["Ltd.", "Limited", "Ltd"], "VN": ["Co., Ltd", "Joint Stock Company", "Co., Ltd."],
    "TR": ["San. ve Tic. A.S.", "A.S.", "Ltd. Sti."], "IN": ["Pvt. Ltd.", "Private Limited", "Limited"],
    "PK": ["(Pvt.) Ltd.", "Ltd."], "KR": ["Co., Ltd.", "Corp."], "KH": ["(Cambodia) Co., Ltd."],
    "DE": ["GmbH", "GmbH & Co. KG"], "IT": ["S.p.A.", "S.r.l."], "PT": ["Lda.", "S.A."],
    "US": ["Inc.", "LLC"], "MX": ["S.A. de C.V."], "ID": ["PT"], "LK": ["(Pvt) Ltd"],
    "HK": ["Limited", "Co., Limited"], "TW": ["Co., Ltd."], "MY": ["Sdn. Bhd."],
}  # fmt: skip
STREETS = ["Industrial Road", "Export Processing Zone", "Development Avenue", "Textile Park Road",
           "Ring Road", "Main Road", "Station Road", "Harbour Road"]  # fmt: skip
CN_STREETS = ["Jinshan Road", "Binhai Avenue", "Keji Road", "Gongye Avenue", "Huanxi Road",
              "Xinhua Street", "Fangzhi Road", "Kaifa Avenue"]  # fmt: skip

COUNTRY_WEIGHTS = {"CN": 34, "BD": 14, "VN": 11, "TR": 8, "IN": 8, "PK": 5, "KR": 3, "KH": 3,
                   "DE": 2, "IT": 2, "PT": 2, "US": 2, "MX": 1, "ID": 2, "LK": 1, "HK": 2, "TW": 1,
                   "MY": 1}  # fmt: skip
_used_names: set[str] = set()


def company(country: str | None = None) -> dict[str, Any]:
    """An invented supplier: names, address and identifiers."""
    if country is None:
        country = RNG.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
    c: dict[str, Any] = {"country": country}
    if country == "CN":
        city_cn, city_py, region, code, postal = RNG.choice(CN_CITIES)
        core_cn, core_py = cn_core()
        trade_cn, trade_py, trade_en = RNG.choice(CN_TRADES)
        c.update(
            en=f"{city_py} {core_py} {trade_en} Co., Ltd.",
            city_cn=city_cn,
            pinyin_words=[city_py, core_py, trade_py],
            cn=f"{city_cn}{core_cn}{trade_cn}有限公司",
            city=city_py,
            region=region,
            postal=postal,
            street=f"No. {RNG.randint(1, 999)} {RNG.choice(CN_STREETS)}",
            uscc=uscc(code),
            domain=f"{core_py.lower()}-{trade_py.lower()}.com.cn",
        )
        c["tax"] = c["uscc"]
    else:
        while True:
            core = RNG.choice(WORDS[country])
            trade = RNG.choice(TRADES_EN)
            if (core, trade) not in _used_names:
                break
        _used_names.add((core, trade))
        legal = RNG.choice(LEGAL[country])
        name = f"PT {core} {trade}" if legal == "PT" else f"{core} {trade} {legal}"
        city, postal = RNG.choice(CITIES[country])
        c.update(
            en=name,
            core=core,
            trade=trade,
            legal=legal,
            city=city,
            region="",
            postal=postal,
            street=f"{RNG.randint(1, 250)} {RNG.choice(STREETS)}",
            tax=TAX_ID[country]() if RNG.random() < 0.8 else "",
            domain=(
                core.lower().replace(" ", "").translate(str.maketrans("üöçäßéãıàáí", "uocaseaiaai"))
                + "-"
                + trade.split()[0].lower()
                + ".com"
            ),
        )
    c["duns"] = duns(leading_zero=RNG.random() < 0.15) if RNG.random() < 0.55 else ""
    c["email"] = (
        f"{RNG.choice(['sales', 'export', 'info', 'compliance', 'merchandising'])}@{c['domain']}"
    )
    c["phone"] = f"{PHONE_PREFIX[country]} {digits(3)} {digits(4)} {digits(3)}"
    return c


ID_COLUMNS = {"D-U-N-S": "duns", "Tax Number 1": "tax_id", "统一社会信用代码 USCC": "uscc",
              "邓白氏编码 DUNS": "duns"}  # fmt: skip


def shared(rows: list[dict[str, Any]]) -> list[str]:
    """The identifier schemes two or more rows of a group hold in common (hyphens ignored)."""
    found = []
    for column, scheme in ID_COLUMNS.items():
        values = [str(r.get(column) or "").replace("-", "") for r in rows]
        values = [v for v in values if v]
        if len(values) != len(set(values)):
            found.append(scheme)
    return found


def employees_text() -> str:
    n = RNG.choice([45, 120, 380, 650, 980, 1250, 2400, 3800, 5200, 12000])
    return RNG.choice(
        [str(n), f"{n:,}", f"ca. {n}", f"approx. {n}", "1001-5000", "501-1000", f"{n} ", ""]
    )


def dmy() -> str:
    return f"{RNG.randint(1, 28):02d}.{RNG.randint(1, 12):02d}.{RNG.randint(2004, 2024)}"


def country_form(code: str) -> str:
    return RNG.choice(COUNTRY_FORMS[code])


# --- file a: ERP vendor master, Windows-1252, semicolons ----------------------------------

ERP_HEADER = ["Vendor", "Name 1", "Name 2", "Search Term", "Street", "Postal Code", "City",
              "Region", "Country", "Tax Number 1", "Tax Number 2", "VAT Reg. No.", "D-U-N-S",
              "E-Mail", "Telephone", "Created On", "Blocked", "Employees"]  # fmt: skip


def erp_row(c: dict[str, Any], name: str | None = None, **over: str) -> dict[str, str]:
    name = c["en"] if name is None else name
    row = {
        "Name 1": name,
        "Name 2": RNG.choice(
            ["", "", "", "", "Export Dept.", "Attn. Sales", "Werk 2", "c/o Agent"]
        ),
        "Search Term": name.split()[0].upper()[:10] if name else "",
        "Street": c["street"],
        "Postal Code": c["postal"],
        "City": c["city"],
        "Region": c.get("region", ""),
        "Country": country_form(c["country"]),
        "Tax Number 1": c.get("tax", ""),
        "Tax Number 2": "",
        "VAT Reg. No.": c["tax"] if c["country"] in ("DE", "IT", "PT") else "",
        "D-U-N-S": c["duns"],
        "E-Mail": c["email"],
        "Telephone": c["phone"],
        "Created On": dmy(),
        "Blocked": "X" if RNG.random() < 0.04 else "",
        "Employees": employees_text(),
    }
    row.update(over)
    return row


def upper_messy(name: str) -> str:
    """Case and spacing differences as a second person typed them."""
    out = name.upper().replace("CO., LTD.", "CO.,LTD").replace(", ", ",")
    return out.replace(" ", "  ", 1)


def build_erp() -> dict[str, Any]:
    entries: list[dict[str, Any]] = []  # {"rows": [row dicts], "group": kind or None, ...}

    def group(kind: str, why: str, rows: list[dict[str, str]]) -> None:
        if kind not in ("same_duns", "same_tax_id"):
            # The second record was keyed in without identifiers: only the name can match it.
            rows[1].update({"D-U-N-S": "", "Tax Number 1": "", "VAT Reg. No.": ""})
        entries.append({"rows": rows, "kind": kind, "why": why})

    for _ in range(4):
        c = company(RNG.choice(["BD", "BD", "IN", "HK"]))
        base = c["en"].rsplit(" ", 1)[0] if c["legal"] in ("Ltd.", "Limited", "Ltd") else None
        base = base or f"{c['core']} {c['trade']}"
        group("ltd_vs_limited", "same company: 'Ltd.' and 'Limited' are one legal form",
              [erp_row(c, f"{base} Ltd."), erp_row(c, f"{base} Limited")])  # fmt: skip
    for _ in range(4):
        c = company("CN")
        group("co_ltd_vs_company_limited", "same company: 'Co., Ltd' and 'Company Limited'",
              [erp_row(c, c["en"].replace("Co., Ltd.", "Co., Ltd")),
               erp_row(c, c["en"].replace("Co., Ltd.", "Company Limited"))])  # fmt: skip
    for _ in range(4):
        c = company(RNG.choice(["CN", "CN", "VN", "KR"]))
        group("case_and_spacing", "same name, different case, spacing and punctuation",
              [erp_row(c), erp_row(c, upper_messy(c["en"]))])  # fmt: skip
    for _ in range(3):
        c = company(RNG.choice(["BD", "PK", "IN"]))
        c["duns"] = c["duns"] or duns(leading_zero=True)
        d = c["duns"]
        other = f"{c['core']} {c['trade'].split()[0]} Industries {c['legal']}"
        group("same_duns", "same D-U-N-S number (once written with hyphens), names differ",
              [erp_row(c), erp_row(c, other, **{"D-U-N-S": f"{d[:2]}-{d[2:5]}-{d[5:]}"})])  # fmt: skip
    for _ in range(3):
        c = company(RNG.choice(["CN", "VN", "TR"]))
        c["tax"] = c["tax"] or TAX_ID[c["country"]]()
        c["duns"] = ""
        if c["country"] == "CN":
            other = f"{c['pinyin_words'][1]} {c['en'].split(' ', 2)[2]}"  # the city left out
        else:
            other = f"{c['core']} Group {c['legal']}"
        group("same_tax_id", "same tax number, the second name is a trade or group name",
              [erp_row(c), erp_row(c, other, **{"Tax Number 1": c["tax"]})])  # fmt: skip
    c = company("TR")
    group("turkish_case", "same name, upper case with Ö kept",
          [erp_row(c), erp_row(c, c["en"].upper())])  # fmt: skip
    c = company("TR")
    fold = str.maketrans("ÖÜÇĞöüçğ", "OUCGoucg")
    group("turkish_ascii_folded", "same name, one typed without Turkish letters",
          [erp_row(c), erp_row(c, c["en"].upper().translate(fold))])  # fmt: skip
    c = company("DE")
    c["en"] = f"Textilwerk Müller {c['legal']}"
    group("umlaut_transcription", "ü written as ue, as German systems without umlauts do",
          [erp_row(c), erp_row(c, c["en"].upper().replace("Ü", "UE"))])  # fmt: skip
    c = company("CN")
    py = " ".join(c["pinyin_words"]) + " Youxian Gongsi"
    group("pinyin_vs_english", "pinyin legal name vs English name (translation, no shared id)",
          [erp_row(c), erp_row(c, py, **{"Tax Number 1": "", "D-U-N-S": ""})])  # fmt: skip
    for _ in range(2):
        c = company("CN")
        group("triple", "three spellings of one company",
              [erp_row(c), erp_row(c, upper_messy(c["en"]).replace("CO.,LTD", "CO LTD")),
               erp_row(c, c["en"].replace("Co., Ltd.", "Company Limited"))])  # fmt: skip

    # Look-alikes that are NOT the same company.
    lookalikes: list[dict[str, Any]] = []
    a = company("CN")
    b = dict(a, country="KH", en=f"{a['pinyin_words'][1]} Garment (Cambodia) Co., Ltd.",
             city="Phnom Penh", region="", postal="120101", street="Lot 12 Special Economic Zone",
             tax=TAX_ID["KH"](), duns=duns(), uscc="")  # fmt: skip
    lookalikes.append({"why": "Chinese parent and its Cambodian subsidiary: two legal entities",
                       "rows": [erp_row(a), erp_row(b)]})  # fmt: skip
    a = company("BD")
    b = company("BD")
    b["en"] = (
        f"{a['core']} Spinning Mills {a['legal']}"
        if a["trade"] != "Spinning Mills"
        else f"{a['core']} Denim {a['legal']}"
    )
    lookalikes.append({"why": "same group name, different mill (different trade, tax id)",
                       "rows": [erp_row(a), erp_row(b)]})  # fmt: skip
    a = company("CN")
    b = company("CN")
    b["en"] = a["en"].replace(a["pinyin_words"][0], b["pinyin_words"][0])
    lookalikes.append({"why": "same trading name in two cities, two registrations",
                       "rows": [erp_row(a), erp_row(b)]})  # fmt: skip
    for item in lookalikes:
        entries.append({"rows": item["rows"], "kind": None, "lookalike": item["why"]})

    # Rows a person really must fix.
    fixes: list[tuple[dict[str, str], str, str]] = []
    c = company("BD")
    fixes.append(
        (erp_row(c, "", **{"Name 2": "Werk 2"}), "Name 1", "no name: the vendor name is empty")
    )
    c = company("VN")
    fixes.append((erp_row(c, ""), "Name 1", "no name: the vendor name is empty"))
    c = company("KR")
    fixes.append((erp_row(c, Country="Korea"), "Country", "'Korea' is ambiguous: KR or KP"))
    c = company("US")
    fixes.append((erp_row(c, Country="Congo"), "Country", "'Congo' is ambiguous: CG or CD"))
    c = company("PK")
    fixes.append(
        (erp_row(c, **{"D-U-N-S": "4711"}), "D-U-N-S", "a D-U-N-S number has 9 digits, not 4")
    )
    c = company("IN")
    fixes.append(
        (
            erp_row(c, **{"D-U-N-S": "1234567890"}),
            "D-U-N-S",
            "a D-U-N-S number has 9 digits, not 10",
        )
    )
    c = company("CN")
    fixes.append((erp_row(c, Country=""), "Country", "no country"))
    c = company("TR")
    fixes.append(
        (erp_row(c, **{"E-Mail": "export(at)" + c["domain"]}), "E-Mail", "not an e-mail address")
    )
    for row, column, reason in fixes:
        entries.append({"rows": [row], "kind": None, "fix": (column, reason)})

    used = sum(len(e["rows"]) for e in entries)
    for _ in range(320 - used):
        entries.append({"rows": [erp_row(company())], "kind": None})

    # Shuffle the rows, keeping note of where each one lands.
    flat = [(i, j, row) for i, e in enumerate(entries) for j, row in enumerate(e["rows"])]
    RNG.shuffle(flat)
    first = 5  # title, title, blank line, header
    where: dict[tuple[int, int], int] = {}
    for k, (i, j, _) in enumerate(flat):
        where[(i, j)] = first + k
    vendors = RNG.sample(range(100000, 199999), len(flat))
    rows = []
    for k, (_, _, row) in enumerate(flat):
        rows.append({"Vendor": f"{vendors[k]:010d}", **row})

    buf = io.StringIO(newline="")
    buf.write("Vendor master export\r\n")
    buf.write("Company code 1000; Printed 08.11.2024\r\n")
    buf.write("\r\n")
    writer = csv.DictWriter(buf, ERP_HEADER, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (HERE / "vendor_master_cp1252.csv").write_bytes(buf.getvalue().encode("cp1252"))

    truth = {
        "file": "vendor_master_cp1252.csv",
        "entity": "suppliers",
        "mapping": "erp_vendor_master",
        "encoding": "cp1252",
        "delimiter": ";",
        "header_row": 4,
        "first_data_row": first,
        "data_rows": len(rows),
        "duplicate_groups": [],
        "distinct_lookalikes": [],
        "needs_hand_edit": [],
    }
    for i, e in enumerate(entries):
        nums = sorted(where[(i, j)] for j in range(len(e["rows"])))
        if e["kind"]:
            truth["duplicate_groups"].append(
                {
                    "rows": nums,
                    "kind": e["kind"],
                    "why": e["why"],
                    "shared_identifiers": shared(e["rows"]),
                }
            )
        elif "lookalike" in e:
            truth["distinct_lookalikes"].append({"rows": nums, "why": e["lookalike"]})
        elif "fix" in e:
            column, reason = e["fix"]
            truth["needs_hand_edit"].append(
                {"row": nums[0], "column": column, "value": e["rows"][0][column], "reason": reason}
            )
    return truth


# --- file b: a spreadsheet kept for years, UTF-8 XLSX with Chinese headers ----------------------

XLSX_HEADER = ["序号 No.", "供应商编号 Supplier code", "供应商名称 Supplier name", "国家 Country",
               "城市 City", "地址 Address", "统一社会信用代码 USCC", "邓白氏编码 DUNS",
               "联系邮箱 Email", "number_of_workers", "parent_company", "sector", "product_type",
               "facility_type", "备注 Remarks"]  # fmt: skip
XLSX_MAPPING = {
    "供应商编号 Supplier code": "ref",
    "供应商名称 Supplier name": "legal_name",
    "国家 Country": "country",
    "城市 City": "attribute",
    "地址 Address": "attribute",
    "统一社会信用代码 USCC": "uscc",
    "邓白氏编码 DUNS": "duns",
    "联系邮箱 Email": "contact_email",
    "number_of_workers": "attribute",
    "parent_company": "attribute",
    "sector": "attribute",
    "product_type": "attribute",
    "facility_type": "attribute",
    "备注 Remarks": "notes",
    "序号 No.": "ignore",
}
XLSX_COUNTRY = {
    "CN": ["中国", "中国", "China", "CN", "CHN", "P.R.C."],
    "HK": ["香港", "Hong Kong", "HK"],
    "TW": ["台湾", "Taiwan", "TW"],
    "TR": ["Türkiye", "Turkey", "TR"],
    "VN": ["Viet Nam", "Vietnam", "VN"],
    "BD": ["Bangladesh", "BGD", "BD"],
    "KH": ["Cambodia", "KH"],
    "IN": ["India", "IN"],
    "PK": ["Pakistan", "PK"],
    "KR": ["Korea, Republic of", "대한민국", "KR"],
}
TR_NAMES = [
    # (upper case as printed on a Turkish invoice, the same name in title case)
    ("ÇALIK DENİM TEKSTİL SAN. VE TİC. A.Ş.", "Çalık Denim Tekstil San. ve Tic. A.Ş."),
    ("YILDIZ İPLİK SANAYİ A.Ş.", "Yıldız İplik Sanayi A.Ş."),
    ("IŞIK ÖRME KONFEKSİYON LTD. ŞTİ.", "Işık Örme Konfeksiyon Ltd. Şti."),
    ("KIRIKKALE İNCİ DOKUMA A.Ş.", "Kırıkkale İnci Dokuma A.Ş."),
]
SECTORS = ["Apparel", "Textiles", "Apparel|Textiles", "Footwear", "Packaging", "Electronics",
           "Renewable Energy", "Agriculture"]  # fmt: skip
PRODUCTS = ["T-shirts", "Denim fabric", "Knitted fabric", "Cotton yarn", "Jackets|Pants",
            "Shoes", "Cartons", "Solar wafers", "Dyed fabric", "Sweaters"]  # fmt: skip
FACILITY_TYPES = ["Final Product Assembly", "Textile or Material Production",
                  "Raw Material Processing or Production", "Printing, Product Dyeing and Laundering",
                  "Office / HQ"]  # fmt: skip


def save_reproducibly(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed zip timestamps and document dates, so every run writes the same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-03-01T08:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 3, 1, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def traditional(text: str) -> str:
    return "".join(TRADITIONAL.get(ch, ch) for ch in text)


def build_xlsx() -> dict[str, Any]:
    entries: list[dict[str, Any]] = []

    def cells(c: dict[str, Any], name: str, **over: Any) -> dict[str, Any]:
        country = c["country"]
        address = (
            f"{c['city_cn']}市{c['street']}"
            if country == "CN" and RNG.random() < 0.5
            else f"{c['street']}, {c['city']} {c['postal']}".strip()
        )
        workers = employees_text()
        row = {
            "供应商名称 Supplier name": name,
            "国家 Country": RNG.choice(XLSX_COUNTRY.get(country, [country])),
            "城市 City": c["city"],
            "地址 Address": address,
            "统一社会信用代码 USCC": c.get("uscc", ""),
            "邓白氏编码 DUNS": c["duns"],
            "联系邮箱 Email": c["email"],
            "number_of_workers": int(workers) if workers.isdigit() else workers,
            "parent_company": c.get("parent", ""),
            "sector": RNG.choice(SECTORS),
            "product_type": RNG.choice(PRODUCTS),
            "facility_type": RNG.choice(FACILITY_TYPES),
            "备注 Remarks": RNG.choice(
                ["", "", "", "", "2019年审核", "audit 2022 ok", "新供应商 new"]
            ),
        }
        row.update(over)
        return row

    def group(kind: str, why: str, rows: list[dict[str, Any]]) -> None:
        if kind not in ("same_uscc", "chinese_vs_english_same_uscc"):
            # The second record was keyed in without identifiers: only the name can match it.
            rows[1].update({"统一社会信用代码 USCC": "", "邓白氏编码 DUNS": ""})
        entries.append({"rows": rows, "kind": kind, "why": why})

    def pinyin_name(c: dict[str, Any], legal: str) -> str:
        return " ".join(c["pinyin_words"]) + " " + legal

    for k in range(5):
        c = company("CN")
        legal = "Youxian Gongsi" if k % 2 else "Co., Ltd."
        group("chinese_vs_pinyin", "Chinese-only name vs its pinyin (no shared identifier)",
              [cells(c, c["cn"], **{"统一社会信用代码 USCC": ""}),
               cells(c, pinyin_name(c, legal), **{"统一社会信用代码 USCC": "", "邓白氏编码 DUNS": ""})])  # fmt: skip
    for _ in range(2):
        c = company("CN")
        group("chinese_vs_english_same_uscc", "Chinese name vs English translation, same USCC",
              [cells(c, c["cn"]), cells(c, c["en"], **{"邓白氏编码 DUNS": ""})])  # fmt: skip
    for upper, title in TR_NAMES[:3]:
        c = company("TR")
        c["en"] = title
        group("turkish_dotted_i", "same Turkish name in upper and title case (İ/i, I/ı)",
              [cells(c, upper), cells(c, title)])  # fmt: skip
    c = company("TR")
    upper, title = TR_NAMES[3]
    folded = title.translate(str.maketrans("ıİçÇşŞğĞöÖüÜ", "iIcCsSgGoOuU"))
    group("turkish_ascii_folded", "Turkish name vs the same typed without Turkish letters",
          [cells(c, title), cells(c, folded.upper())])  # fmt: skip
    for _ in range(2):
        c = company("BD")
        base = f"{c['core']} {c['trade']}"
        group("ltd_vs_limited", "'Ltd.' vs 'Limited'",
              [cells(c, f"{base} Ltd."), cells(c, f"{base} Limited")])  # fmt: skip
    for _ in range(2):
        c = company("CN")
        group("co_ltd_vs_company_limited", "'Co., Ltd.' vs 'Company Limited'",
              [cells(c, c["en"]), cells(c, c["en"].replace("Co., Ltd.", "Company Limited"))])  # fmt: skip
    for _ in range(2):
        c = company("CN")
        old = f"{c['pinyin_words'][0]} {cn_core()[1]} {c['en'].split(' ', 2)[2]}"
        group("same_uscc", "same USCC, the company renamed (old name kept in a second row)",
              [cells(c, c["cn"]), cells(c, old, **{"备注 Remarks": "原名 former name"})])  # fmt: skip
    c = company("HK")
    c["cn"] = f"香港{cn_core()[0]}纺织有限公司"
    group("simplified_vs_traditional", "the same Chinese name in simplified and traditional characters",
          [cells(c, c["cn"]), cells(c, traditional(c["cn"]))])  # fmt: skip
    c = company("CN")
    group("triple", "Chinese name, pinyin name, English name with the same USCC",
          [cells(c, c["cn"]), cells(c, pinyin_name(c, "Co., Ltd."), **{"统一社会信用代码 USCC": ""}),
           cells(c, c["en"])])  # fmt: skip

    fixes: list[tuple[dict[str, Any], str, str]] = []
    for _ in range(3):
        c = company(RNG.choice(["BD", "VN", "IN"]))
        lost = int(duns(leading_zero=True))  # Excel stored 012345678 as the number 12345678
        while len(str(lost)) != 8:
            lost = int(duns(leading_zero=True))
        fixes.append((cells(c, c["en"], **{"邓白氏编码 DUNS": lost}), "邓白氏编码 DUNS",
                      "DUNS stored as a number: the leading zero is lost (8 digits)"))  # fmt: skip
    for _ in range(2):  # Excel keeps 15 significant digits of a number
        c = company("CN")
        while not c["uscc"].isdigit():
            c["uscc"] = uscc(RNG.choice(CN_CITIES)[3])
        fixes.append((cells(c, c["cn"], **{"统一社会信用代码 USCC": float(f"{int(c['uscc']):.15g}")}),
                      "统一社会信用代码 USCC",
                      "USCC stored as a number: Excel kept 15 significant digits, the code is lost"))  # fmt: skip
    c = company("KR")
    fixes.append((cells(c, c["en"], **{"国家 Country": "Korea"}), "国家 Country",
                   "'Korea' is ambiguous: KR or KP"))  # fmt: skip
    c = company("CN")
    fixes.append((cells(c, "", **{"备注 Remarks": "名称待补 name to follow"}), "供应商名称 Supplier name",
                   "no name"))  # fmt: skip
    c = company("CN")
    fixes.append((cells(c, c["cn"], **{"统一社会信用代码 USCC": c["uscc"][:17]}), "统一社会信用代码 USCC",
                   "USCC of 17 characters: one was dropped when typing"))  # fmt: skip
    for row, column, reason in fixes:
        entries.append({"rows": [row], "kind": None, "fix": (column, reason)})

    # Recoverable numbers: DUNS without a leading zero stored as numbers (Excel does this).
    for _ in range(12):
        c = company()
        c["duns"] = duns(leading_zero=False)
        entries.append({"rows": [cells(c, c.get("cn") or c["en"], **{"邓白氏编码 DUNS": int(c["duns"])})],
                        "kind": None})  # fmt: skip

    used = sum(len(e["rows"]) for e in entries)
    for _ in range(300 - used):
        c = company()
        if c["country"] == "CN":
            c["parent"] = RNG.choice(["", "", "", f"{c['pinyin_words'][1]} Holdings Ltd."])
            name = c["cn"] if RNG.random() < 0.4 else c["en"]
        else:
            name = c["en"]
        entries.append({"rows": [cells(c, name)], "kind": None})

    flat = [(i, j, row) for i, e in enumerate(entries) for j, row in enumerate(e["rows"])]
    RNG.shuffle(flat)
    first = 3  # title row, header row
    where = {(i, j): first + k for k, (i, j, _) in enumerate(flat)}

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "供应商名录"
    ws.append(["合格供应商名录 Approved supplier list (2019-2024, 更新 updated 2024-03)"])
    ws.append(XLSX_HEADER)
    codes = RNG.sample(range(1, 9999), len(flat))
    for k, (_, _, row) in enumerate(flat):
        ws.append([k + 1, f"S{codes[k]:04d}", *(row[h] for h in XLSX_HEADER[2:])])
    for col in ("G", "H"):  # identifier columns kept as text, as the careful person did
        for cell in ws[col][2:]:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    ws.column_dimensions["C"].width = 44
    wb.properties.creator = "chainproof test fixture generator"
    save_reproducibly(wb, HERE / "supplier_list_utf8.xlsx")

    truth: dict[str, Any] = {
        "file": "supplier_list_utf8.xlsx",
        "entity": "suppliers",
        "mapping": XLSX_MAPPING,
        "sheet": "供应商名录",
        "header_row": 2,
        "first_data_row": first,
        "data_rows": len(flat),
        "duplicate_groups": [],
        "distinct_lookalikes": [],
        "needs_hand_edit": [],
    }
    for i, e in enumerate(entries):
        nums = sorted(where[(i, j)] for j in range(len(e["rows"])))
        if e["kind"]:
            truth["duplicate_groups"].append(
                {
                    "rows": nums,
                    "kind": e["kind"],
                    "why": e["why"],
                    "shared_identifiers": shared(e["rows"]),
                }
            )
        elif "fix" in e:
            column, reason = e["fix"]
            value = e["rows"][0][column]
            truth["needs_hand_edit"].append(
                {"row": nums[0], "column": column, "value": value, "reason": reason}
            )
    return truth


# --- file c: an Open Supply Hub facility download -------------------------------------------

# Column order of the download, from opensupplyhub/open-supply-hub
# src/django/api/serializers/facility/facility_download_serializer.py (get_headers) and
# src/django/api/constants.py (CLAIMED_DOWNLOAD_FIELDS_MAPPING); partner-field columns are
# left out (they depend on the partners active at download time).
OSH_HEADER = [
    "os_id", "contribution_date", "name", "address", "country_code", "country_name", "lat", "lng",
    "sector", "contributor (list)", "number_of_workers", "parent_company",
    "processing_type_facility_type_raw", "facility_type", "processing_type", "product_type",
    "claim_created_at", "claim_name_in_native_language", "claim_company_website",
    "claim_company_phone", "claim_point_of_contact", "claim_point_of_contact_email",
    "claim_office_name", "claim_office_address", "claim_office_country_code",
    "claim_office_phone_number", "claim_description", "claim_certifications_standards_regulations",
    "claim_affiliations", "claim_minimum_order_quantity", "claim_average_lead_time",
    "claim_female_workers_percentage", "claim_industry_sectors", "claim_location_types",
    "claim_other_location_type", "claim_product_types", "claim_processing_types",
    "claim_parent_company", "claim_number_of_workers", "claim_opening_date",
    "claim_estimated_annual_throughput_kg_year", "claim_energy_coal_j",
    "claim_energy_natural_gas_j", "claim_energy_diesel_j", "claim_energy_kerosene_j",
    "claim_energy_biomass_j", "claim_energy_charcoal_j", "claim_energy_animal_waste_j",
    "claim_energy_electricity_mwh", "claim_energy_other_j", "is_closed",
]  # fmt: skip
CITY_COORDS = {
    "Ningbo": (29.87, 121.54), "Shaoxing": (30.0, 120.58), "Suzhou": (31.3, 120.62),
    "Hangzhou": (30.27, 120.15), "Guangzhou": (23.13, 113.26), "Dongguan": (23.02, 113.75),
    "Foshan": (23.02, 113.12), "Qingdao": (36.07, 120.38), "Wuxi": (31.49, 120.31),
    "Changzhou": (31.81, 119.97), "Quanzhou": (24.87, 118.68), "Xiamen": (24.48, 118.09),
    "Wulumuqi": (43.83, 87.62), "Akesu": (41.17, 80.26), "Shihezi": (44.31, 86.08),
    "Nantong": (32.0, 120.89), "Jiaxing": (30.75, 120.76), "Wenzhou": (28.0, 120.67),
    "Gazipur": (24.0, 90.42), "Ashulia": (23.9, 90.3), "Narayanganj": (23.62, 90.5),
    "Chattogram": (22.36, 91.78), "Savar": (23.86, 90.27), "Ho Chi Minh City": (10.82, 106.63),
    "Binh Duong": (11.17, 106.67), "Dong Nai": (10.95, 106.82), "Nam Dinh": (20.42, 106.17),
    "Istanbul": (41.01, 28.98), "Bursa": (40.19, 29.06), "Denizli": (37.78, 29.09),
    "Kahramanmaras": (37.58, 36.93), "Gaziantep": (37.07, 37.38), "Tiruppur": (11.11, 77.34),
    "Ludhiana": (30.9, 75.86), "Surat": (21.17, 72.83), "Karur": (10.96, 78.08),
    "Phnom Penh": (11.56, 104.92), "Kampong Speu": (11.45, 104.52),
}  # fmt: skip
OSH_CONTRIBUTORS = ["A Brand/Retailer", "Acme Outdoor (Supplier list 2024)",
                    "Northwind Apparel (Tier 2 disclosure)", "An Auditor", "A Civil Society Organization",
                    "Fair Fabric Initiative (Members 2023)"]  # fmt: skip
OSH_PROCESSING = [("Cut & Sew", "Final Product Assembly", "Cutting|Sewing"),
                  ("Dyeing", "Textile or Material Production", "Dyeing"),
                  ("Spinning", "Raw Material Processing or Production", "Spinning"),
                  ("Knitting|Dyeing", "Textile or Material Production", "Knitting|Dyeing"),
                  ("Ginning", "Raw Material Processing or Production", "Ginning")]  # fmt: skip


OSH_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32


def os_id(country: str) -> str:
    """An OS ID: country, year and day, five base-32 characters and the check character
    Open Supply Hub computes (the character codes of the country letters plus the base-32
    value of every later character, modulo 32). Seven characters are drawn, as before, so
    the rest of the generated files stay as they were."""
    tail = "".join(RNG.choice(OSH_CHARS) for _ in range(7))[:5]
    head = f"{country}{RNG.randint(2019, 2024)}{RNG.randint(1, 365):03d}{tail}"
    total = ord(head[0]) + ord(head[1]) + sum(OSH_CHARS.index(c) for c in head[2:])
    return head + OSH_CHARS[total % 32]


def build_osh() -> dict[str, Any]:
    entries: list[dict[str, Any]] = []

    def facility_row(c: dict[str, Any], **over: str) -> dict[str, str]:
        lat, lng = CITY_COORDS.get(c["city"], (0.0, 0.0))
        raw, ftype, ptype = RNG.choice(OSH_PROCESSING)
        claimed = c["country"] == "CN" and RNG.random() < 0.4
        row = dict.fromkeys(OSH_HEADER, "")
        row.update(
            {
                "os_id": os_id(c["country"]),
                "contribution_date": f"{RNG.randint(2019, 2024)}-{RNG.randint(1, 12):02d}-{RNG.randint(1, 28):02d}",
                "name": c["en"],
                "address": f"{c['street']}, {c['city']}, {c['postal']}".strip(", "),
                "country_code": c["country"],
                "country_name": COUNTRY_NAME[c["country"]],
                "lat": f"{lat + RNG.uniform(-0.08, 0.08):.6f}",
                "lng": f"{lng + RNG.uniform(-0.08, 0.08):.6f}",
                "sector": RNG.choice(["Apparel", "Apparel|Textiles", "Textiles", "Footwear"]),
                "contributor (list)": "|".join(RNG.sample(OSH_CONTRIBUTORS, RNG.randint(1, 3))),
                "number_of_workers": RNG.choice(
                    ["1001-5000", "501-1000", str(RNG.randint(80, 4000)), ""]
                ),
                "parent_company": c.get("parent", ""),
                "processing_type_facility_type_raw": raw,
                "facility_type": ftype,
                "processing_type": ptype,
                "product_type": RNG.choice(PRODUCTS),
                "is_closed": "False",
            }
        )
        if claimed:
            row.update(
                {
                    "claim_created_at": f"{RNG.randint(2021, 2024)}-{RNG.randint(1, 12):02d}-{RNG.randint(1, 28):02d}",
                    "claim_name_in_native_language": c["cn"],
                    "claim_company_website": f"https://www.{c['domain']}",
                    "claim_point_of_contact_email": c["email"],
                    "claim_industry_sectors": row["sector"],
                    "claim_number_of_workers": str(RNG.randint(100, 3000)),
                }
            )
        row.update(over)
        return row

    pool = [
        company(RNG.choice(["CN", "CN", "CN", "BD", "VN", "TR", "IN", "KH"])) for _ in range(60)
    ]
    for c in pool:
        c.setdefault("cn", "")
        if c["country"] != "CN" and RNG.random() < 0.3:
            c["parent"] = RNG.choice(
                ["Hengtai Group", "Pacific Textile Holdings", "Dhaka Knit Group"]
            )
    for c in pool[:2]:
        c["country"] = "CN" if c["country"] not in CITY_COORDS else c["country"]
        entries.append(
            {
                "rows": [
                    facility_row(c),
                    facility_row(
                        c,
                        name=upper_messy(c["en"]),
                        address=f"{c['street'].upper()}, {c['city'].upper()}",
                    ),
                ],
                "kind": "unmerged_os_ids",
                "why": "one site under two OS IDs (the second contribution not yet merged)",
            }
        )
    c = pool[2]
    entries.append({"rows": [facility_row(c, number_of_workers="250|300")], "kind": None,
                    "fix": ("number_of_workers", "two contributors gave different worker counts, joined by '|'")})  # fmt: skip
    c = pool[3]
    entries.append({"rows": [facility_row(c, is_closed="True")], "kind": None})
    for c in pool[4:58]:
        entries.append({"rows": [facility_row(c)], "kind": None})

    flat = [(i, j, row) for i, e in enumerate(entries) for j, row in enumerate(e["rows"])]
    RNG.shuffle(flat)
    where = {(i, j): 2 + k for k, (i, j, _) in enumerate(flat)}
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, OSH_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row for _, _, row in flat)
    (HERE / "osh_facilities.csv").write_bytes(buf.getvalue().encode("utf-8"))

    truth: dict[str, Any] = {
        "file": "osh_facilities.csv",
        "entity": "facilities",
        "mapping": "open_supply_hub",
        "encoding": "utf-8",
        "delimiter": ",",
        "header_row": 1,
        "first_data_row": 2,
        "data_rows": len(flat),
        "duplicate_groups": [],
        "distinct_lookalikes": [],
        "needs_hand_edit": [],
    }
    for i, e in enumerate(entries):
        nums = sorted(where[(i, j)] for j in range(len(e["rows"])))
        if e["kind"]:
            truth["duplicate_groups"].append(
                {
                    "rows": nums,
                    "kind": e["kind"],
                    "why": e["why"],
                    "shared_identifiers": shared(e["rows"]),
                }
            )
        elif "fix" in e:
            column, reason = e["fix"]
            truth["needs_hand_edit"].append(
                {"row": nums[0], "column": column, "value": e["rows"][0][column], "reason": reason}
            )
    return truth


def check_pinyin() -> None:
    """When pypinyin is installed, the hand-written pinyin must agree with it."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return
    for ch, syllable in SYLLABLES.items():
        assert lazy_pinyin(ch) == [syllable], (ch, syllable, lazy_pinyin(ch))
    for cn, py, *_ in CN_CITIES:
        assert "".join(lazy_pinyin(cn)) == py.lower(), (cn, py)
    for cn, py, _ in CN_TRADES:
        assert "".join(lazy_pinyin(cn)) == py.lower(), (cn, py)


def main() -> None:
    check_pinyin()
    truth = {
        "about": "Answer key for the synthetic messy supplier lists in this folder (see README.md). "
        "Row numbers are the file's own: the line number in a CSV, the sheet row in an XLSX "
        "(title and header rows counted).",
        "files": [build_erp(), build_xlsx(), build_osh()],
    }
    for f in truth["files"]:
        f["counts"] = {
            "data_rows": f["data_rows"],
            "duplicate_groups": len(f["duplicate_groups"]),
            "rows_in_duplicate_groups": sum(len(g["rows"]) for g in f["duplicate_groups"]),
            "needs_hand_edit": len(f["needs_hand_edit"]),
            "importable_without_hand_edit": f["data_rows"] - len(f["needs_hand_edit"]),
        }
    (HERE / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
