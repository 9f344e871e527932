# ruff: noqa: E501  (tables of names read best one row to a line)
"""wro-components: one entity of a list string that names several (CBP WROs, UFLPA entries
as published with their aliases inside) against the whole string as the list carries it."""

from __future__ import annotations

from .common import Pair, negative, positive

WRO = "wro-components"

# (the whole string as a bundled list carries it, country, components, unrelated or mixed names)
STRINGS = (
    (
        "Fuchu Prison; Union Kogyo Co., Ltd.",
        "JP",
        ("Fuchu Prison", "Union Kogyo Co., Ltd.", "Union Kogyo Co Ltd", "Fuchu Prison (Japan)"),
        ("Fuchu Kogyo Co., Ltd.", "Union Tea Co., Ltd.", "Fukui Prison", "Unitika Kogyo Co., Ltd."),
    ),
    (
        "Agropecuarios Tom S.A. de C.V. and Horticola Tom S.A. de C.V. and their subsidiaries",
        "MX",
        ("Agropecuarios Tom S.A. de C.V.", "Horticola Tom S.A. de C.V.", "Agropecuarios Tom SA de CV", "Horticola Tom"),
        ("Horticola Luna S.A. de C.V.", "Agropecuarios Sinaloa S.A. de C.V.", "Tom Produce LLC", "Agricola Tomasa S.A. de C.V."),
    ),
    (
        "Nanhu Tree Farm, Zhejiang Sanmei Tea Co., Ltd.; Imaizumi Tea Manufacturing & Trading Co., Ltd. (of Nagoya, Japan)",
        "CN",
        ("Nanhu Tree Farm", "Zhejiang Sanmei Tea Co., Ltd.", "Imaizumi Tea Manufacturing & Trading Co., Ltd.", "Imaizumi Tea Manufacturing and Trading Co Ltd"),
        ("Zhejiang Meisan Tea Co., Ltd.", "Nagoya Tea Trading Co., Ltd.", "Nanhu Trading Co., Ltd.", "Imaizumi Kogyo Co., Ltd."),
    ),
    (
        "Kumar Carpet Pvt., Singhe Carpet Pvt., Ltd., Norsang Carpet Industries Pvt., Ltd., Annapurna Carpet, Everest Carpet, Valley Carpet, and K.K. Carpet Industries; Kathmandu.",
        "NP",
        ("Kumar Carpet Pvt. Ltd.", "Singhe Carpet Pvt., Ltd.", "Norsang Carpet Industries Pvt. Ltd.", "Annapurna Carpet", "Everest Carpet", "Valley Carpet", "K.K. Carpet Industries"),
        ("Himalaya Carpet Pvt. Ltd.", "Everest Textiles Pvt. Ltd.", "Kathmandu Carpet Industries", "Annapurna Trekking Pvt. Ltd.", "Sherpa Carpet Pvt. Ltd.", "Valley Handicrafts", "K.C. Carpet Industries"),
    ),
    (
        "Yili Zhuowan Garment Manufacturing Co., Ltd. and Baoding LYSZD Trade and Business Co., Ltd.",
        "CN",
        ("Yili Zhuowan Garment Manufacturing Co., Ltd.", "Baoding LYSZD Trade and Business Co., Ltd.", "Baoding LYSZD Trade & Business Co Ltd"),
        ("Yili Zhongyuan Garment Manufacturing Co., Ltd.", "Baoding Xinda Trade and Business Co., Ltd.", "Yili Trade and Business Co., Ltd."),
    ),
    (
        "Shanghai Select Safety Products Company, Limited and its two subsidiaries from China, Select (Nantong) Safety Products Co. Limited and Select Protective Technology (HK) Limited.",
        "CN",
        ("Shanghai Select Safety Products Company, Limited", "Select (Nantong) Safety Products Co. Limited", "Select Protective Technology (HK) Limited", "Select Safety Products (Nantong) Co., Ltd."),
        ("Shanghai Secure Safety Products Company Limited", "Nantong Huaxin Safety Products Co., Ltd.", "Secure Protective Technology (HK) Limited", "Shanghai Guardian Safety Products Company Limited"),
    ),
    (
        "Guangdong Province No. 1 Reeducation-Through-Labor Camp; Kwong Ngai Industrial Company",
        "CN",
        ("Kwong Ngai Industrial Company", "Guangdong Province No. 1 Reeducation-Through-Labor Camp"),
        ("Kwong Fat Industrial Company", "Guangdong Province No. 2 Reeducation-Through-Labor Camp"),
    ),
    (
        "Inner Mongolia Hengzheng Group Baoanzhao Agriculture, Industry, and Trade Co., Ltd.",
        "CN",
        ("Hengzheng Group Baoanzhao Agriculture Industry and Trade Co Ltd", "Inner Mongolia Hengzheng Group Baoanzhao Agricultural, Industrial and Trading Co., Ltd."),
        ("Industry and Trade Co., Ltd.", "Inner Mongolia Agriculture Co., Ltd."),
    ),
    (
        "Tangshan Sanyou Group and its Subsidiaries",
        "CN",
        ("Tangshan Sanyou Group", "Tangshan Sanyou Group Co., Ltd."),
        ("Tangshan Sanyuan Group", "Tangshan Iron and Steel Group Co., Ltd."),
    ),
    (
        "Hoshine Silicon Industry Co. Ltd. and Subsidiaries",
        "CN",
        ("Hoshine Silicon Industry Co., Ltd.",),
        ("Hosheng Silicon Industry Co., Ltd.",),
    ),
    (
        "Xinjiang Production and Construction Corporation (XPCC) and its subordinates",
        "CN",
        ("Xinjiang Production and Construction Corporation", "XPCC"),
        ("Xinjiang Construction Corporation", "XUAR"),
    ),
    (
        "Fishing Vessels owned by Dalian Ocean Fishing Co. Ltd.",
        "",
        ("Dalian Ocean Fishing Co., Ltd.",),
        ("Dalian Ocean Shipping Co., Ltd.",),
    ),
    (
        "Fishing Vessel: Da Wang",
        "",
        ("Da Wang", "DA WANG"),
        ("Da Yang", "Xin Wang"),
    ),
    (
        "State Penitentiary, Ciudad Victoria, Tamaulipas, Mexico",
        "MX",
        ("State Penitentiary of Ciudad Victoria", "Ciudad Victoria State Penitentiary"),
        ("State Penitentiary, Monterrey, Nuevo Leon", "Victoria Manufacturing S.A. de C.V."),
    ),
    (
        "Hetian Haolin Hair Accessories Co. Ltd. (and two aliases: Hotan Haolin Hair Accessories; and Hollin Hair Accessories)",
        "CN",
        ("Hollin Hair Accessories", "Hotan Haolin Hair Accessories", "Hetian Haolin Hair Accessories Co., Ltd."),
        ("Hotan Haoyu Hair Accessories", "Hollis Hair Accessories"),
    ),
    (
        "Sichuan Jingweida Technology Group Co., Ltd. (also known as Sichuan Mianyang Jingweida Technology Co., Ltd. and JWD Technology; and formerly known as Mianyang High-tech Zone Jingweida Technology Co., Ltd.)",
        "CN",
        ("JWD Technology", "Sichuan Mianyang Jingweida Technology Co., Ltd.", "Mianyang High-tech Zone Jingweida Technology Co., Ltd."),
        ("JWT Technology", "Mianyang High-tech Zone Jinwei Technology Co., Ltd."),
    ),
    (
        "Jiangyin Lianyun Co. Ltd. (also known as Jiangyin Intermodal Transport Co. and Jiangyin United Transport Co.)",
        "CN",
        ("Jiangyin Intermodal Transport Co.", "Jiangyin United Transport Co."),
        ("Jiangyin Union Transport Co.", "Jiangyin Intermodal Logistics Co."),
    ),
    (
        "Hongyuan Green Energy Co., Ltd. (also known as HY Solar; and Hoyuan Green Energy Co. Ltd. and formerly known as Wuxi Shangji CNC Co., Ltd.; Wuxi Shangji Automation Co., Ltd.; and Wuxi Shangji Grinding Machine Co., Ltd.)",
        "CN",
        ("HY Solar", "Wuxi Shangji Automation Co., Ltd.", "Wuxi Shangji Grinding Machine Co., Ltd."),
        ("HT Solar", "Wuxi Shanghai Automation Co., Ltd."),
    ),
    (
        "Tanyuan Technology Co. Ltd. (including five aliases: Carbon Yuan Technology; Changzhou Carbon Yuan Technology Development; Carbon Element Technology; Jiangsu Carbon Element Technology; and Tanyuan Technology Development)",
        "CN",
        ("Carbon Element Technology", "Changzhou Carbon Yuan Technology Development"),
        ("Carbon Fiber Technology", "Changzhou Carbon Technology Development"),
    ),
    (
        "Changzhou Guanghui Food Ingredients Co., Ltd. (also known as GSweet; Changzhou Guanghui Food Additive Co., Ltd.; and Changzhou Guanghui Food Technology Co., Ltd.; and formerly known as Changzhou Guanghui Biotechnology Co., Ltd.)",
        "CN",
        ("GSweet", "Changzhou Guanghui Biotechnology Co., Ltd."),
        ("GreenSweet", "Changzhou Guangyu Biotechnology Co., Ltd."),
    ),
)  # fmt: skip


def wro_components(listed_names: set[str]) -> list[Pair]:
    pairs = []
    for whole, country, parts, others in STRINGS:
        assert whole in listed_names, whole
        extra = {"country_b": country} if country else {}
        for part in parts:
            pairs.append(
                positive(
                    part, whole, WRO, "one entity named in a multi-entity list string", **extra
                )
            )
        for other in others:
            pairs.append(
                negative(
                    other,
                    whole,
                    WRO,
                    "not one of the entities the string names (shares words with them)",
                    **extra,
                )
            )
    return pairs
