# ruff: noqa: E501  (tables of names read best one row to a line)
"""generic-tails, city-names, vessel-numbers, short-typos and initials-acronyms: Latin-script
pairs, written here by hand (list names as the bundled lists carry them, the rest invented)."""

from __future__ import annotations

from .common import VESSEL, Pair, negative, positive

TAILS = "generic-tails"
CITIES = "city-names"
VESSELS = "vessel-numbers"
TYPOS = "short-typos"
INITIALS = "initials-acronyms"
AIRPLANE = "airplane"

# (place or "", tail as written, the same tail abbreviated or reordered, name, a different
# name that shares a syllable, an unrelated name)
TAIL_ROWS = (
    ("Taiyuan", "International Economic Business Co., Ltd.", "Intl. Economic & Business Co. Limited", "Weishan", "Huashan", "Jinlong"),
    ("Gansu", "International Trading Co., Ltd.", "Int'l Trading Company Limited", "Yasheng", "Yatai", "Hongqiao"),
    ("Junan", "Import and Export Co., Ltd.", "Imp. & Exp. Co., Ltd", "Jinsheng", "Jincheng", "Lufeng"),
    ("Quanzhou", "Import and Export Trade Co., Ltd.", "Import & Export Trading Co. Ltd", "Yiyangjin", "Yiyuan", "Haitong"),
    ("", "CREDIT BANK", "CREDIT BANK LTD", "CHEIL", "HANIL", "MANDAL"),
    ("", "COMMERCIAL BANK", "COMMERCIAL BANK LIMITED", "RYUGYONG", "RYONGSONG", "TAEDONG"),
    ("KOREA", "GENERAL TRADING CORPORATION", "TRADING GENERAL CORPORATION", "SONGKWANG", "SONGAK", "MYOHYANG"),
    ("KOREA", "TRADING CORPORATION", "TRADING CORP.", "SINJIN", "SINHUNG", "PONGHWA"),
    ("", "SHIP MANAGEMENT COMPANY LIMITED", "SHIP MANAGEMENT CO LTD", "HAEJIN", "HAEBANG", "KUMSAN"),
    ("Hefei", "Information Technology Co., Ltd.", "Information Tech. Co. Ltd.", "Baolongda", "Baoxin", "Ruiqi"),
    ("Xinjiang", "Agricultural Development Co., Ltd.", "Agricultural Dev. Co. Ltd.", "Huafu Hongfeng", "Huamei Hongtai", "Jinniu"),
    ("Xinjiang", "New Energy Material Technology Co., Ltd.", "New Energy Materials Tech Co., Ltd.", "Tianyang", "Tianrun", "Dongli"),
    ("Changzhou", "Food Technology Co., Ltd.", "Food Tech. Co., Ltd.", "Guanghui", "Guangming", "Xinyuan"),
    ("Nanjing", "Textile Printing and Dyeing Co., Ltd.", "Textile Printing & Dyeing Co. Ltd", "Xinyi", "Xinhua", "Boyuan"),
    ("Jiangsu", "Warehousing and Logistics Co., Ltd.", "Warehousing & Logistics Co Ltd", "Yinlong", "Yinhe", "Zhongtong"),
    ("Kashgar", "Construction Engineering (Group) Co., Ltd.", "Construction Engineering Group Co. Ltd", "Tianshan", "Tianhe", "Hongyuan"),
    ("DALIAN", "INTERNATIONAL LOGISTICS TRADING CO., LTD", "INTL LOGISTICS TRADING CO LTD", "SUN MOON STAR", "SUN RIVER", "GOLDEN BAY"),
    ("Hubei", "Investment Development Co., Ltd.", "Investment & Development Co., Ltd.", "Qirun", "Qishun", "Wanda"),
    ("Xinjiang", "Cotton Industry Group Co., Ltd.", "Cotton Industry Group Company Limited", "Huafu", "Huaxia", "Lianchuang"),
    ("SHENYANG", "NETWORK TECHNOLOGY CO., LTD", "NETWORK TECH CO. LTD", "GEUMPUNGRI", "GEUMSAN", "HAOYUN"),
    ("Binzhou", "Industrial Group Co., Ltd.", "Industrial Group Company Ltd.", "Chinatex Yintai", "Chinatex Yinhai", "Weiqiao"),
    ("DALIAN", "INTERNATIONAL FREIGHT CO. LTD.", "INTERNATIONAL FREIGHT COMPANY LIMITED", "HAIBO", "HAIYUN", "DONGJIANG"),
    ("LIAONING", "INTERNATIONAL FORWARDING CO. LTD.", "INTL FORWARDING CO LTD", "DANXING", "DANSHENG", "JINHAI"),
)  # fmt: skip
# Rows whose distinctive words are in the place column (the tail follows directly).
TAIL_EXTRA = (
    ("TONGHUNG SHIPPING & TRADING CO", "TONGHUNG SHIPPING AND TRADING COMPANY", "TONGHAE SHIPPING & TRADING CO", "PAEKMA SHIPPING & TRADING CO"),
    ("Heze Cotton and Linen Economic and Trade Development Corporation", "Heze Cotton & Linen Econ. and Trade Dev. Corp.", "Liaocheng Cotton and Linen Economic and Trade Development Corporation", "Dezhou Cotton and Linen Economic and Trade Development Corporation"),
)  # fmt: skip


def _join(*words: str) -> str:
    return " ".join(w for w in words if w)


def generic_tails() -> list[Pair]:
    pairs = []
    for place, tail, short, name, near, other in TAIL_ROWS:
        listed = _join(place, name, tail)
        pairs += [
            positive(
                _join(place, name, short), listed, TAILS, "same name, tail abbreviated or reordered"
            ),
            positive(
                _join(place, other, short),
                _join(place, other, tail),
                TAILS,
                "same name, tail abbreviated or reordered",
            ),
            negative(
                _join(place, near, tail),
                listed,
                TAILS,
                "same tail, distinctive word differs (shares a syllable)",
            ),
            negative(
                _join(place, other, short),
                listed,
                TAILS,
                "same tail (abbreviated), a different distinctive word",
            ),
        ]
    for listed, short, near, other in TAIL_EXTRA:
        pairs += [
            positive(short, listed, TAILS, "same name, tail abbreviated or reordered"),
            negative(near, listed, TAILS, "same tail, distinctive word differs"),
            negative(other, listed, TAILS, "same tail, distinctive word differs"),
        ]
    return pairs


# (query, list name): the same company with its place dropped, added or spelled otherwise.
CITY_POSITIVES = (
    ("Yinfeng Cotton Co., Ltd.", "Hubei Yinfeng Cotton Co., Ltd."),
    ("Zhicheng Metallic Material Co., Ltd.", "DANDONG ZHICHENG METALLIC MATERIAL CO., LTD."),
    ("Jinsheng Import & Export Co., Ltd.", "Junan Jinsheng Import & Export Co., Ltd."),
    ("Anhui Hefei Meiling Co., Ltd.", "Hefei Meiling Co., Ltd."),
    ("Jiangsu Carbon Element Technology", "Carbon Element Technology"),
    ("Anhui Hefei Baolongda Information Technology", "Hefei Baolongda Information Technology Co., Ltd."),
    ("Rizhao Meijia Group", "Shandong Meijia Group Co., Ltd."),
    ("Nanling County Annan Canned Food Co., Ltd.", "Annan Canned Food Co., Ltd."),
    ("Sichuan Mianyang Jingweida Technology Co., Ltd.", "Sichuan Jingweida Technology Group Co., Ltd."),
    ("Changzhou Carbon Yuan Technology Development", "Carbon Yuan Technology"),
    ("Yasheng International Trade", "Gansu Yasheng International Trade Co., Ltd."),
    ("Suguo International", "Hebei Suguo International Trade Co., Ltd."),
    ("Xuanda Food", "Inner Mongolia Xuanda Food Co., Ltd."),
    ("Jinchuang Group", "Jiangsu Jinchuang Group"),
    ("XIANGHE TRADE CO., LTD.", "DANDONG XIANGHE TRADING CO., LTD."),
    ("Dehui International Trade Co., Ltd.", "Dehui (Dalian) International Trade Co., Ltd."),
    ("SILVERSTAR NETWORK TECHNOLOGY CO., LTD.", "YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD."),
    ("MOXING CULTURAL MEDIA CO LTD", "SHANGHAI MOXING CULTURAL MEDIA CO LTD"),
    ("NINGSE CARTOON & ANIMATION DEVELOPMENT CO., LTD.", "CHONGQING NINGSE CARTOON & ANIMATION DEVELOPMENT CO., LTD."),
    ("HUIJIANG TRADE LIMITED", "WEIHAI HUIJIANG TRADE LIMITED"),
    ("DANXING INTERNATIONAL FORWARDING CO. LTD.", "LIAONING DANXING INTERNATIONAL FORWARDING CO. LTD."),
    ("HAIBO INTERNATIONAL FREIGHT CO. LTD.", "DALIAN HAIBO INTERNATIONAL FREIGHT CO. LTD."),
    ("CHENGXING TRADING CO. LTD.", "BEIJING CHENGXING TRADING CO. LTD."),
    ("Kashi Construction Engineering (Group) Co., Ltd.", "Kashgar Construction Engineering (Group) Co., Ltd."),
    ("Hotan Taida Apparel Co., Ltd.", "Hetian Taida Apparel Co., Ltd."),
    ("Ili Zhuowan Garment Manufacturing Co., Ltd.", "Yili Zhuowan Garment Manufacturing Co., Ltd."),
    ("Akesu Biaoxin Fiber Co., Ltd.", "Aksu Biaoxin Fiber Co., Ltd."),
    ("Tulufan Esquel Textile Co., Ltd.", "Turpan Esquel Textile Co., Ltd."),
    ("Kuqa Zongheng Cotton Industry Co., Ltd.", "Kuche Zongheng Cotton Industry Co., Ltd."),
    ("Tengxiang Magnesium Products Co., Ltd.", "Xinjiang Tengxiang Magnesium Products Co., Ltd."),
    ("Xinjiang Shihezi Standard Fiber Co., Ltd.", "Shihezi Standard Fiber Co., Ltd."),
    ("Luopu Meixin Hair Products Co., Ltd.", "Lop County Meixin Hair Products Co., Ltd."),
    ("Xinjiang Awati Huafu Textile Co., Ltd.", "Awati Huafu Textile Co., Ltd."),
    ("Linxi Fangpei Cotton Buying and Selling Co., Ltd.", "Linxi County Fangpei Cotton Buying and Selling Co., Ltd."),
    ("Henan Wugang Zhongchang Logistics Co., Ltd.", "Wugang Zhongchang Logistics Co., Ltd."),
    ("Zhejiang Lanxi Huachu Logistics Co., Ltd.", "Lanxi Huachu Logistics Co., Ltd."),
    ("Shandong Jining Pengjie Trading Co., Ltd.", "Jining Pengjie Trading Co., Ltd."),
    ("Minlong Warehousing Co., Ltd.", "Fujian Minlong Warehousing Co., Ltd."),
    ("Shandong Weifang Alice Food Co., Ltd.", "Weifang Alice Food Co., Ltd."),
    ("Xiefeng Cotton and Linen Co., Ltd.", "Jiangyin Xiefeng Cotton and Linen Co., Ltd."),
    ("Sunspeed Foods Co., Ltd.", "Dalian Sunspeed Foods Co., Ltd."),
    ("Shandong Binzhou Chinatex Yintai Industrial Co., Ltd.", "Binzhou Chinatex Yintai Industrial Co., Ltd."),
    ("Henan Nanyang Hongmian Logistics Co., Ltd.", "Nanyang Hongmian Logistics Co., Ltd."),
    ("Zongheng Cotton Industry Co., Ltd.", "Kuche Zongheng Cotton Industry Co., Ltd."),
)  # fmt: skip
# (query, list name): a different company of the same place, brand one syllable away.
CITY_NEGATIVES = (
    ("Hubei Qishun Investment Development Co., Ltd.", "Hubei Qirun Investment Development Co., Ltd."),
    ("Hubei Jinghua Cotton Industry Group Co., Ltd.", "Hubei Jingtian Cotton Industry Group Co., Ltd."),
    ("Hubei Yinhe Cotton Co., Ltd.", "Hubei Yinfeng Cotton Co., Ltd."),
    ("Jinan Haisheng International Trade Co., Ltd.", "Jinan Haihong International Trade Co., Ltd."),
    ("Tianjin Dongsheng International Trade Co., Ltd.", "Tianjin Dunhe International Trade Co., Ltd."),
    ("Tianjin Kunlong International Co., Ltd.", "Tianjin Kunyu International Co., Ltd."),
    ("Tianjin Tianyi Food Co., Ltd.", "Tianjin Tianwei Food Co., Ltd."),
    ("Zhuhai Pantai Electronics Co., Ltd.", "Zhuhai Pantum Electronics Co. Ltd."),
    ("Zhuhai Senda Printing Technology Co., Ltd.", "Zhuhai Seine Printing Technology Co., Ltd."),
    ("Zhuhai Apollo Microelectronics Co., Ltd.", "Zhuhai Apex Microelectronics Co., Ltd."),
    ("Dandong Hongtai Trade Co., Ltd.", "DANDONG HONGDA TRADE CO. LTD."),
    ("DANDONG TIANYU TRADE CO., LTD.", "DANDONG TIANFU TRADE CO., LTD."),
    ("DANDONG KEXIN ECONOMY & TRADE CO., LTD.", "DANDONG KEHUA ECONOMY & TRADE CO., LTD."),
    ("DALIAN HAIYUN INTERNATIONAL FREIGHT CO. LTD.", "DALIAN HAIBO INTERNATIONAL FREIGHT CO. LTD."),
    ("Dalian Sunrise Foods Co., Ltd.", "Dalian Sunspeed Foods Co., Ltd."),
    ("Nanyang Hongyun Logistics Co., Ltd.", "Nanyang Hongmian Logistics Co., Ltd."),
    ("Shihezi Tianfu Fiber Co., Ltd.", "Shihezi Standard Fiber Co., Ltd."),
    ("Aksu Jinxin Fiber Co., Ltd.", "Aksu Biaoxin Fiber Co., Ltd."),
    ("Kuitun Jinhua Textile Co., Ltd.", "Kuitun Jinfu Textile Co., Ltd."),
    ("Yili Zhongyuan Garment Manufacturing Co., Ltd.", "Yili Zhuowan Garment Manufacturing Co., Ltd."),
    ("Changji Huaxin Textile Co., Ltd.", "Changji Esquel Textile Co., Ltd."),
    ("Lop County Xinmei Hair Products Co., Ltd.", "Lop County Meixin Hair Products Co., Ltd."),
    ("Hetian Haoyu Hair Accessories Co., Ltd.", "Hetian Haolin Hair Accessories Co. Ltd."),
    ("Lanxi Huatong Logistics Co., Ltd.", "Lanxi Huachu Logistics Co., Ltd."),
    ("Wugang Zhongtai Logistics Co., Ltd.", "Wugang Zhongchang Logistics Co., Ltd."),
    ("Jining Pengda Trading Co., Ltd.", "Jining Pengjie Trading Co., Ltd."),
    ("Junan Jinfeng Import & Export Co., Ltd.", "Junan Jinsheng Import & Export Co., Ltd."),
    ("Zhangzhou Hang Seng Import & Export Co., Ltd.", "Zhangzhou Hang Fat Import & Export Co., Ltd."),
    ("Changzhou Guangyu Food Ingredients Co., Ltd.", "Changzhou Guanghui Food Ingredients Co., Ltd."),
    ("Sichuan Yuanda Pharmaceutical Co., Ltd.", "Sichuan Yuanan Pharmaceutical Co., Ltd."),
    ("Hunan Nanfang Biotechnology Co., Ltd.", "Hunan Nanmo Biotechnology Co., Ltd."),
    ("Hangzhou Huadong Biotechnology Co., Ltd.", "Hangzhou Union Biotechnology Co., Ltd."),
    ("Shandong Meida Group Co., Ltd.", "Shandong Meijia Group Co., Ltd."),
    ("Inner Mongolia Qiyuan Food Co., Ltd.", "Inner Mongolia Qileyuan Food Co., Ltd."),
    ("Inner Mongolia Xuanhe Food Co., Ltd.", "Inner Mongolia Xuanda Food Co., Ltd."),
    ("Henan Yuxing Logistics Co., Ltd.", "Henan Yumian Logistics Co., Ltd."),
    ("Xinjiang Zehua Cotton Co., Ltd.", "Xinjiang Zefu Cotton Co., Ltd."),
    ("Xinjiang Shenghua Cotton Industry Co., Ltd.", "Xinjiang Shengfu Cotton Industry Co., Ltd."),
    ("Xinjiang Tianrun Cotton Supply Chain Co., Ltd.", "Xinjiang Tianfu Cotton Supply Chain Co., Ltd."),
    ("Hefei Bestland Information Technology Co., Ltd.", "Hefei Bitland Information Technology Co., Ltd."),
    ("Fujian Minhang Warehousing Co., Ltd.", "Fujian Minlong Warehousing Co., Ltd."),
    ("Baotou Meida Silicon Energy Co., Ltd.", "Baotou Meike Silicon Energy Co., Ltd."),
    ("Jiangsu Yinhe Warehousing and Logistics Co., Ltd.", "Jiangsu Yinlong Warehousing and Logistics Co., Ltd."),
    ("Jiangyin Lianfa Co., Ltd.", "Jiangyin Lianyun Co. Ltd."),
    ("Weifang Aisi Food Co., Ltd.", "Weifang Alice Food Co., Ltd."),
    ("Shaya Yinfeng Cotton Industry Co., Ltd.", "Shaya Yinhua Cotton Industry Co., Ltd."),
)  # fmt: skip


def city_names(listed_names: set[str]) -> list[Pair]:
    pairs = []
    for query, listed in CITY_POSITIVES:
        assert listed in listed_names, listed
        pairs.append(
            positive(
                query,
                listed,
                CITIES,
                "same company: place dropped, added or spelled otherwise",
                country_a="CN",
            )
        )
    for query, listed in CITY_NEGATIVES:
        assert listed in listed_names, listed
        pairs.append(
            negative(
                query,
                listed,
                CITIES,
                "invented: same place, a brand one syllable away",
                country_a="CN",
            )
        )
    return pairs


# Different vessels, units or sites whose names differ only in the number.
NUMBER_NEGATIVES = (
    ("SOUTH HILL 2", "SOUTH HILL 5"), ("SOUTH HILL 5", "SOUTH HILL 2"), ("RA NAM 2", "RA NAM 3"),
    ("KUM SONG 3", "KUM SONG 5"), ("KUM SONG 7", "KUM SONG 5"), ("YU SONG 12", "YU SONG 7"),
    ("SAM JONG 1", "SAM JONG 2"), ("JI SONG 6", "JI SONG 8"), ("HAO FAN 2", "HAO FAN 6"),
    ("TONG HUNG 1", "TONG HUNG 5"), ("RUNG RA 1", "RUNG RA 2"), ("MI RIM", "MI RIM 2"),
    ("ASIA BRIDGE 1", "ASIA BRIDGE 2"), ("KUM UN SAN 3", "KUM UN SAN"), ("ZA RYOK", "ZA RYOK 2"),
    ("Lien Yi Hsing No. 21", "Fishing Vessel: Lien Yi Hsing No. 12"),
    ("Hangton No. 12", "Fishing Vessel: Hangton No. 112"), ("Zhen Fa 8", "Fishing Vessel: Zhen Fa 7"),
    ("STAR 8", "STAR 18"), ("EVER BRIGHT 8", "EVER BRIGHT 88"), ("GOLD STAR 5", "GOLD STAR 3"),
    ("JH 68", "JH 86"), ("KANG SONG 2", "KANG SONG 1"), ("CHON MYONG 2", "CHON MYONG 1"),
    ("NAM SAN 3", "NAM SAN 8"), ("HAP JANG GANG 9", "HAP JANG GANG 6"), ("DONG FENG 9", "DONG FENG 6"),
    ("YU PHYONG 7", "YU PHYONG 5"), ("UL JI BONG 8", "UL JI BONG 6"), ("WON SAN 3", "WON SAN 2"),
    ("HWANG GUM SAN 3", "HWANG GUM SAN 2"), ("HYOK SIN 3", "HYOK SIN 2"), ("JON JIN 5", "JON JIN 2"),
    ("RAK WON 3", "RAK WON 2"), ("RYONG GANG 3", "RYONG GANG 2"), ("KUM GANG 5", "KUM GANG 3"),
    ("RYE SONG GANG 2", "RYE SONG GANG 1"), ("VICTORY 3", "VICTORY 2"), ("CHONG RIM 3", "CHONG RIM 2"),
    ("PU HUNG 2", "PU HUNG 1"), ("AN SAN 2", "AN SAN 1"), ("SAM MA 3", "SAM MA 2"),
    ("YU JONG 3", "YU JONG 2"), ("7-27", "7-28"),
)  # fmt: skip
UNIT_NEGATIVES = (
    ("P-533", "P-532"), ("P-912", "P-913"), ("P-633", "P-632"), ("P-671", "P-672"),
    ("OFFICE 38", "OFFICE 39"), ("KPA UNIT 568", "KPA UNIT 586"), ("Unit 61486", "Unit 61398"),
    ("MILITARY CAMP 14", "MILITARY CAMP 144 OF THE KOREAN PEOPLE'S ARMY"),
    ("Zhejiang Province No. 1 Prison", "Zhejiang Province No. 4 Prison"),
    ("Tianjin No. 1 Prison", "Tianjin No. 2 Prison"),
    ("Shenyang No. 2 Laogai Detachment", "Shenyang No. 1 Laogai Detachment"),
    ("No. 3 Vocational Skills Education Training Center", "No. 4 Vocational Skills Education Training Center (VSETC)"),
    ("121ST RESEARCH CENTER", "110TH RESEARCH CENTER"), ("5TH BUREAU OF THE RGB", "3RD BUREAU OF THE RGB"),
    ("Guangdong Province No. 2 Reeducation-Through-Labor Camp", "Guangzhou No. 1 Reeducation-Through-Labor Camp"),
)  # fmt: skip
NUMBER_POSITIVES = (
    ("SOUTH HILL-2", "SOUTH HILL 2"), ("South Hill No. 2", "SOUTH HILL 2"), ("M/V SOUTH HILL 5", "SOUTH HILL 5"),
    ("SOUTHHILL 5", "SOUTH HILL 5"), ("RA NAM-3", "RA NAM 3"), ("Ra Nam No.2", "RA NAM 2"),
    ("KUM SONG NO. 3", "KUM SONG 3"), ("YU SONG NO.12", "YU SONG 12"), ("YUSONG 7", "YU SONG 7"),
    ("MV Ji Song 6", "JI SONG 6"), ("HAOFAN 2", "HAO FAN 2"), ("TONG HUNG NO 1", "TONG HUNG 1"),
    ("RUNGRA 2", "RUNG RA 2"), ("MIRIM 2", "MI RIM 2"), ("ASIA BRIDGE NO. 1", "ASIA BRIDGE 1"),
    ("Lien Yi Hsing 12", "Fishing Vessel: Lien Yi Hsing No. 12"), ("F/V Hangton No.112", "Fishing Vessel: Hangton No. 112"),
    ("ZHEN FA NO. 7", "Fishing Vessel: Zhen Fa 7"), ("Star No. 18", "STAR 18"), ("EVERBRIGHT 88", "EVER BRIGHT 88"),
    ("Gold Star No.3", "GOLD STAR 3"), ("J.H. 86", "JH 86"), ("KANGSONG 1", "KANG SONG 1"),
    ("CHONMYONG 1", "CHON MYONG 1"), ("NAM SAN NO. 8", "NAM SAN 8"), ("HAPJANGGANG 6", "HAP JANG GANG 6"),
    ("DONGFENG 6", "DONG FENG 6"), ("YU PHYONG NO.5", "YU PHYONG 5"), ("ULJIBONG 6", "UL JI BONG 6"),
    ("WONSAN 2", "WON SAN 2"), ("HWANGGUMSAN 2", "HWANG GUM SAN 2"), ("HYOKSIN 2", "HYOK SIN 2"),
    ("JONJIN 2", "JON JIN 2"), ("RAKWON 2", "RAK WON 2"), ("RYONGGANG 2", "RYONG GANG 2"),
    ("KUMGANG 3", "KUM GANG 3"), ("RYESONGGANG 1", "RYE SONG GANG 1"), ("Victory No. 2", "VICTORY 2"),
    ("CHONGRIM 2", "CHONG RIM 2"), ("PUHUNG 1", "PU HUNG 1"), ("KUMUNSAN 3", "KUM UN SAN 3"),
    ("ANSAN 1", "AN SAN 1"), ("SAMMA 2", "SAM MA 2"), ("YUJONG 2", "YU JONG 2"), ("ZA RYOK NO. 2", "ZA RYOK 2"),
)  # fmt: skip
UNIT_POSITIVES = (
    ("P532", "P-532"), ("P 913", "P-913"), ("Office No. 39", "OFFICE 39"), ("Bureau 39", "OFFICE 39"),
    ("Unit 586", "KPA UNIT 586"), ("PLA Unit 61398", "Unit 61398"),
    ("Military Camp No. 144", "MILITARY CAMP 144 OF THE KOREAN PEOPLE'S ARMY"),
    ("Zhejiang No. 4 Prison", "Zhejiang Province No. 4 Prison"),
    ("Zhejiang Province Number 4 Prison", "Zhejiang Province No. 4 Prison"),
    ("Tianjin No.2 Prison", "Tianjin No. 2 Prison"),
    ("Shenyang No 1 Laogai Detachment", "Shenyang No. 1 Laogai Detachment"),
    ("No.4 Vocational Skills Education Training Center", "No. 4 Vocational Skills Education Training Center (VSETC)"),
    ("110th Research Centre", "110TH RESEARCH CENTER"), ("Third Bureau of the RGB", "3RD BUREAU OF THE RGB"),
    ("Guangzhou No.1 Reeducation Through Labor Camp", "Guangzhou No. 1 Reeducation-Through-Labor Camp"),
)  # fmt: skip


def _unit_kind(name: str) -> str:
    return AIRPLANE if name.startswith("P-") else "organization"


def vessel_numbers() -> list[Pair]:
    pairs = []
    for a, b in NUMBER_POSITIVES:
        pairs.append(positive(a, b, VESSELS, "same vessel, number written otherwise", kind=VESSEL))
    for a, b in NUMBER_NEGATIVES:
        pairs.append(
            negative(a, b, VESSELS, "another vessel of the series: the number differs", kind=VESSEL)
        )
    for a, b in UNIT_POSITIVES:
        pairs.append(
            positive(
                a, b, VESSELS, "same unit or site, number written otherwise", kind=_unit_kind(b)
            )
        )
    for a, b in UNIT_NEGATIVES:
        pairs.append(
            negative(a, b, VESSELS, "another unit or site: the number differs", kind=_unit_kind(b))
        )
    return pairs


# --- short-typos -------------------------------------------------------------------------
# (list name, the word of 4-6 letters that gets the typo)
TYPO_SOURCES = (
    ("KORYO BANK", "KORYO"), ("MIRIM SHIPPING CO LTD", "MIRIM"), ("SINBAD", "SINBAD"),
    ("KOTI CORP", "KOTI"), ("ILSIM INTERNATIONAL BANK", "ILSIM"), ("SONGI TRADING COMPANY", "SONGI"),
    ("VELMUR MANAGEMENT PTE LTD", "VELMUR"), ("MOKRAN LLC", "MOKRAN"), ("RK BRIZ LLC", "BRIZ"),
    ("LIMITED LIABILITY COMPANY ALIS", "ALIS"), ("LIMITED LIABILITY COMPANY VERUS", "VERUS"),
    ("RAFORT LIMITED LIABILITY COMPANY", "RAFORT"), ("TIMER BANK, AO", "TIMER"), ("SINSMS PTE. LTD.", "SINSMS"),
    ("OKRYU TRADING COMPANY", "OKRYU"), ("KOREA PAEKHO TRADING CORPORATION", "PAEKHO"),
    ("KOREA SAENAL TRADING CORPORATION", "SAENAL"), ("KOREA SINJIN TRADING CORPORATION", "SINJIN"),
    ("KOREA UNGUM CORPORATION", "UNGUM"), ("KOREA OSONG SHIPPING CORPORATION", "OSONG"),
    ("KOREA TANGUN TRADING CORPORATION", "TANGUN"), ("CHEIL CREDIT BANK", "CHEIL"),
    ("NINGS CARTOON STUDIO", "NINGS"), ("ORION STAR", "ORION"), ("NEPTUN", "NEPTUN"), ("BELLA", "BELLA"),
    ("Geehy Semiconductor Co., Ltd.", "Geehy"), ("Camel Group Co., Ltd.", "Camel"),
    ("Zhuhai Apex Microelectronics Co., Ltd.", "Apex"), ("Zhuhai Pantum Electronics Co. Ltd.", "Pantum"),
    ("Zhuhai Seine Printing Technology Co., Ltd.", "Seine"), ("Hetian Haolin Hair Accessories Co. Ltd.", "Haolin"),
    ("Hetian Taida Apparel Co., Ltd.", "Taida"), ("Lop County Meixin Hair Products Co., Ltd.", "Meixin"),
    ("Xinjiang Zefu Cotton Co., Ltd.", "Zefu"), ("Henan Yumian Logistics Co., Ltd.", "Yumian"),
    ("Xinjiang Jinbao Mining Co., Ltd.", "Jinbao"), ("Xinjiang Zijin Zinc Industry Co., Ltd.", "Zijin"),
    ("Weifang Alice Food Co., Ltd.", "Alice"), ("Needle Craft Ltd", "Needle"), ("Asli Maydi", "Maydi"),
    ("Finca Monte Grande", "Monte"), ("Giant Manufacturing Co., Ltd.", "Giant"),
    ("Huizhou Mink Industrial CO. Ltd.", "Mink"), ("Casual Wear Apparel L.L.C.", "Casual"),
    ("Esquel Group", "Esquel"), ("Kingherbs Limited", "Kingherbs"),
)  # fmt: skip
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbour(letter: str) -> str:
    """A key next to this one on a QWERTY keyboard (same row), same case."""
    low = letter.lower()
    for row in _KEYS:
        i = row.find(low)
        if i >= 0:
            other = row[i + 1] if i + 1 < len(row) else row[i - 1]
            return other.upper() if letter.isupper() else other
    return letter


def keyboard_typo(word: str, n: int) -> str:
    """One slip in a word: a neighbouring key, a letter dropped, a letter doubled or two
    letters swapped (chosen by n), never at the first letter."""
    i = 1 + n % (len(word) - 1)
    kind = n % 4
    if kind == 0:
        return word[:i] + _neighbour(word[i]) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    j = min(i, len(word) - 2)
    return word[:j] + word[j + 1] + word[j] + word[j + 2 :]


# Short words that are different names (not slips of one another): (query name, list-style name).
SHORT_NEGATIVES = (
    ("MIRA TRADING CO", "MIKA TRADING CO"), ("LUNA TEXTILES LTD", "LUCA TEXTILES LTD"),
    ("ROSA FOODS LLC", "ROMA FOODS LLC"), ("ALFA MARINE PTE LTD", "ALBA MARINE PTE LTD"),
    ("NOVA LOGISTICS", "NORA LOGISTICS"), ("VEGA SHIPPING CO", "VERA SHIPPING CO"),
    ("ARIA TECHNOLOGY", "ARLA TECHNOLOGY"), ("ASTA TRADING", "ASIA TRADING"),
    ("DINO APPAREL", "DINA APPAREL"), ("TARA GARMENTS", "TERA GARMENTS"),
    ("MAYA FASHION", "MAYO FASHION"), ("GAIA TEXTILE", "GALA TEXTILE"),
    ("ELSA INDUSTRIES", "ELBA INDUSTRIES"), ("NINA KNITWEAR", "NINO KNITWEAR"),
    ("OPAL ELECTRONICS", "OPEL ELECTRONICS"), ("LAMA TRADING", "LAVA TRADING"),
    ("SAGE SHIPPING", "SAGA SHIPPING"), ("CORA FOODS", "COLA FOODS"),
    ("LEGO PLASTICS", "LOGO PLASTICS"), ("META MINING", "MELA MINING"),
    ("TIGER BANK", "TIMER BANK, AO"), ("ONION TRADING", "ORION TRADING"),
    ("DELFT CERAMICS", "DELTA CERAMICS"), ("PARMA FOODS", "PALMA FOODS"),
    ("POLAR ENERGY", "SOLAR ENERGY"), ("LOCUS TECHNOLOGY", "LOTUS TECHNOLOGY"),
    ("UMBER PAINTS", "AMBER PAINTS"), ("CIDER HOUSE LTD", "CEDAR HOUSE LTD"),
    ("HARPER MARINE", "HARBOR MARINE"), ("SUBMIT LOGISTICS", "SUMMIT LOGISTICS"),
    ("VECTOR TRADING", "NECTAR TRADING"), ("TITUS MINING", "TITAN MINING"),
    ("VESTA TEXTILES", "VISTA TEXTILES"), ("PRIMA GARMENTS", "PRISMA GARMENTS"),
    ("CONDOR SHIPPING", "CONDON SHIPPING"), ("MAPLE SHIPPING", "MABLE SHIPPING"),
    ("KOTA CORP", "KOTI CORP"), ("BELLO", "BELLA"), ("ALMA LLC", "LIMITED LIABILITY COMPANY ALIS"),
    ("VERAS LLC", "LIMITED LIABILITY COMPANY VERUS"), ("Gerry Semiconductor Co., Ltd.", "Geehy Semiconductor Co., Ltd."),
    ("Canal Group Co., Ltd.", "Camel Group Co., Ltd."), ("Zhuhai Ajax Microelectronics Co., Ltd.", "Zhuhai Apex Microelectronics Co., Ltd."),
    ("Alicia Food Co., Ltd.", "Weifang Alice Food Co., Ltd."), ("Noodle Craft Ltd", "Needle Craft Ltd"),
    ("Grant Manufacturing Co., Ltd.", "Giant Manufacturing Co., Ltd."), ("Minx Industrial Co. Ltd.", "Huizhou Mink Industrial CO. Ltd."),
)  # fmt: skip
SPACING_POSITIVES = (
    ("MI RIM SHIPPING CO LTD", "MIRIM SHIPPING CO LTD"), ("CHON MYONG SHIPPING CO", "CHONMYONG SHIPPING CO"),
    ("HWA SONG SHIPPING CO LTD", "HWASONG SHIPPING CO LTD"), ("PAEK MA SHIPPING CO", "PAEKMA SHIPPING CO"),
    ("GOO RYONG SHIPPING CO LTD", "GOORYONG SHIPPING CO LTD"), ("PO CHON SHIPPING & MANAGEMENT", "POCHON SHIPPING & MANAGEMENT"),
    ("SONG WON SHIPPING AND MANAGEMENT", "SONGWON SHIPPING & MANAGEMENT"), ("PAEK SOL TRADING", "PAEKSOL TRADING CORPORATION"),
    ("SIN SMS PTE. LTD.", "SINSMS PTE. LTD."), ("Hero Vast Group", "HeroVast Group"), ("MI RIM", "MIRIM"),
    ("OK RYU TRADING COMPANY", "OKRYU TRADING COMPANY"),
)  # fmt: skip


def short_typos() -> list[Pair]:
    pairs = []
    for n, (listed, word) in enumerate(TYPO_SOURCES):
        if not 4 <= len(word) <= 6:
            continue
        slip = keyboard_typo(word, n)
        assert slip != word
        pairs.append(
            positive(
                listed.replace(word, slip, 1),
                listed,
                TYPOS,
                f"one slip in a short word ({word} -> {slip})",
            )
        )
    for a, b in SPACING_POSITIVES:
        pairs.append(positive(a, b, TYPOS, "the same name written with a space inside"))
    for a, b in SHORT_NEGATIVES:
        pairs.append(negative(a, b, TYPOS, "different short names one or two letters apart"))
    return pairs


# --- initials-acronyms ---------------------------------------------------------------------
INITIALS_POSITIVES = (
    ("A.B.C. Company", "ABC Company"), ("A B C Company", "ABC Company"), ("KK Carpet Industries", "K.K. Carpet Industries"),
    ("D.V. INK LLC", "DV INK LLC"), ("R.K. BRIZ LLC", "RK BRIZ LLC"), ("C.K. International Limited", "CK INTERNATIONAL LTD"),
    ("H.Y. Solar", "HY Solar"), ("K.T.K. Group", "KTK Group"), ("K T K Holding", "KTK Holding"),
    ("J.W.D. Technology", "JWD Technology"), ("T.N.N. Development Limited", "The TNN Development Limited"),
    ("Baoding L.Y.S.Z.D. Trade and Business Co., Ltd.", "Baoding LYSZD Trade and Business Co., Ltd."),
    ("S.E.K. Studio", "SEK STUDIO"), ("M.R.B. Bank", "MRB BANK"), ("R.F.C. Bank", "RFC-BANK"),
    ("D.P.R.K. Namgang Trading Company", "DPRK NAMGANG TRADING COMPANY"), ("W.T. Marine Pte. Ltd.", "WT MARINE PTE LTD"),
    ("J.M.R. Textiles Ltd", "JMR Textiles Ltd"), ("G.S.L. Knitwear Co.", "GSL Knitwear Co."),
    ("PLA", "People's Liberation Army"), ("People's Liberation Army", "PLA"),
    ("KOMID", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ("XPCC", "Xinjiang Production and Construction Corps and its subordinate and affiliated entities"),
    ("Xinjiang Production and Construction Corps", "XPCC"), ("RGB", "RECONNAISSANCE GENERAL BUREAU"),
    ("KPA", "KOREAN PEOPLE'S ARMY"), ("MSS", "MINISTRY OF STATE SECURITY"),
    ("FTB", "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("OMM", "OCEAN MARITIME MANAGEMENT COMPANY LIMITED"), ("KNIC", "KOREA NATIONAL INSURANCE CORPORATION"),
    ("KOEC", "KOREA OIL EXPLORATION CORPORATION"), ("MPS", "MINISTRY OF PEOPLE'S SECURITY"), ("KCC", "KOREA COMPUTER CENTER"),
    ("WPK Central Military Commission", "WORKERS' PARTY OF KOREA CENTRAL MILITARY COMMISSION"),
    ("China Oil & Foodstuffs Corporation Sugar Holdings Co., Ltd.", "COFCO Sugar Holdings Co., Ltd."),
    ("SEK Studio", "SCIENTIFIC EDUCATION KOREA STUDIO"), ("RFC Bank", "RUSSIAN FINANCIAL CORPORATION BANK JSC"),
    ("CENTRAL BANK OF THE DPRK", "CENTRAL BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("MARITIME ADMINISTRATION OF THE DPRK", "MARITIME ADMINISTRATION OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("FOREIGN TRADE BANK OF THE DPRK", "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("MINISTRY OF LAND AND MARITIME TRANSPORTATION OF THE DPRK", "MINISTRY OF LAND AND MARITIME TRANSPORTATION OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("KWP Propaganda and Agitation Department", "KOREAN WORKERS PARTY, PROPAGANDA AND AGITATION DEPARTMENT"),
    ("MSS Prisons Bureau", "MINISTRY OF STATE SECURITY PRISONS BUREAU"),
    ("MPS Correctional Bureau", "MINISTRY OF PEOPLE'S SECURITY CORRECTIONAL BUREAU"),
    ("KPA Security Bureau", "KOREAN PEOPLE'S ARMY SECURITY BUREAU"),
    ("Xinjiang Uyghur Autonomous Region", "XUAR"),
    ("KCC", "KOREA COMPUTER COMPANY"),
)  # fmt: skip
INITIALS_NEGATIVES = (
    ("C.B.A. Company", "A.B.C. Company", "the same letters in another order"),
    ("ACB Company", "ABC Company", "the same letters in another order"),
    ("A.B.D. Trading", "A.B.C. Trading", "one initial differs"),
    ("K.C. Carpet Industries", "K.K. Carpet Industries", "one initial differs"),
    ("KR BRIZ LLC", "RK BRIZ LLC", "the same letters in another order"),
    ("V.D. INK LLC", "DV INK LLC", "the same letters in another order"),
    ("KC International Ltd", "CK INTERNATIONAL LTD", "the same letters in another order"),
    ("Y.H. Solar", "HY Solar", "the same letters in another order"),
    ("KKT Group", "KTK Group", "the same letters in another order"),
    ("JDW Technology", "JWD Technology", "the same letters in another order"),
    ("The NTN Development Limited", "The TNN Development Limited", "the same letters in another order"),
    ("SKE Studio", "SEK STUDIO", "the same letters in another order"),
    ("RMB Bank", "MRB BANK", "the same letters in another order"),
    ("TW Marine Pte Ltd", "WT MARINE PTE LTD", "the same letters in another order"),
    ("JRM Textiles Ltd", "JMR Textiles Ltd", "the same letters in another order"),
    ("G.L.S. Knitwear Co.", "GSL Knitwear Co.", "the same letters in another order"),
    ("NSC Studio", "SEK STUDIO", "a different acronym"),
    ("MRC Bank", "MRB BANK", "one initial differs"),
    ("PLA", "Port of London Authority", "same initials, another organization"),
    ("FTB", "Franchise Tax Board", "same initials, another organization"),
    ("MPS", "Metropolitan Police Service", "same initials, another organization"),
    ("KOMID", "Korea Medical Institute of Development", "an invented organization with the same letters"),
    ("KCC", "Kumgang Construction Corporation", "same initials, another organization"),
    ("MSS", "Ministry of Social Security", "same initials, another organization"),
    ("XPCC", "Xiamen Port Container Company", "same initials, another organization"),
    ("KNIC", "Kenya National Insurance Corporation", "same initials, another organization"),
    ("KOMID", "KOREA OIL EXPLORATION CORPORATION", "an unrelated listed organization"),
    ("XPCC", "Xinjiang Uyghur Autonomous Region (XUAR)", "an unrelated listed name"),
    ("MSS", "MINISTRY OF PEOPLE'S SECURITY", "another ministry of security"),
    ("MPS", "MINISTRY OF STATE SECURITY", "another ministry of security"),
    ("KPA", "WORKERS' PARTY OF KOREA CENTRAL MILITARY COMMISSION", "an unrelated listed organization"),
    ("FTB", "KOREA UNITED DEVELOPMENT BANK", "an unrelated listed bank"),
    ("CENTRAL BANK OF THE DPRK", "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "another bank of the DPRK"),
    ("MARITIME ADMINISTRATION OF THE DPRK", "MINISTRY OF LAND AND MARITIME TRANSPORTATION OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "another maritime body of the DPRK"),
    ("MSS Prisons Bureau", "MINISTRY OF PEOPLE'S SECURITY PRISON BUREAU", "the other ministry's prison bureau"),
    ("MPS Correctional Bureau", "MINISTRY OF STATE SECURITY PRISONS BUREAU", "the other ministry's prison bureau"),
    ("RGB", "ORGANIZATION AND GUIDANCE DEPARTMENT", "an unrelated listed organization"),
    ("KOEC", "KOREA NATIONAL INSURANCE CORPORATION", "an unrelated listed organization"),
    ("OMM", "OCEAN BUNKERING JV CO", "an unrelated listed company"),
    ("KNIC", "KOREA NAMGANG TRADING CORPORATION", "an unrelated listed company"),
    ("WPK Central Military Commission", "NATIONAL DEFENSE COMMISSION", "another commission"),
    ("KWP Organization and Guidance Department", "KOREAN WORKERS PARTY, PROPAGANDA AND AGITATION DEPARTMENT", "another department of the party"),
    ("KPA General Political Bureau", "KOREAN PEOPLE'S ARMY SECURITY BUREAU", "another bureau of the army"),
    ("ABC Trading Corporation", "ABD Trading Corporation", "one initial differs"),
    ("DPRK Sinjin Trading Company", "DPRK NAMGANG TRADING COMPANY", "a different trading company"),
    ("RFK Trading", "RFC-BANK", "a different company"),
    ("People's Armed Police", "PLA", "another armed force"),
)  # fmt: skip


def initials_acronyms() -> list[Pair]:
    pairs = [
        positive(a, b, INITIALS, "initials dotted or spaced, or an acronym and its expansion")
        for a, b in INITIALS_POSITIVES
    ]
    pairs += [negative(a, b, INITIALS, how) for a, b, how in INITIALS_NEGATIVES]
    return pairs
