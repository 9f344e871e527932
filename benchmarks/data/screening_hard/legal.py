# ruff: noqa: E501, RUF001  (tables of names, one row to a line; Cyrillic on purpose)
"""dotted-legal (legal forms written with dots, many countries) and legal-abbrev (abbreviated
vs spelled-out legal forms), invented companies mostly, written here by hand."""

from __future__ import annotations

from .common import Pair, negative, positive

DOTTED = "dotted-legal"
ABBREV = "legal-abbrev"

# (country, templates: the first as a list writes it, the others as suppliers do; names)
DOTTED_GROUPS = (
    ("MX", ("{} S.A. de C.V.", "{} SA de CV", "{} S.A. DE C.V.", "{}"), ("Agricola San Isidro", "Empacadora del Valle", "Hortalizas Finas", "Comercializadora Nortex")),
    ("MX", ("{} S. de R.L. de C.V.", "{} S de RL de CV", "{}"), ("Textiles Aztlan", "Maquiladora Pacifico", "Tomates Selectos")),
    ("US", ("{} L.L.C.", "{} LLC", "{}, LLC", "{} Limited Liability Company"), ("Desert Rose Apparel", "Harbor Point Logistics", "Blue Ridge Cotton")),
    ("SG", ("{} Pte. Ltd.", "{} Pte Ltd", "{} Private Limited", "{} PTE LTD"), ("Oceanic Bunker Services", "Lionsgate Marine", "Straits Petroleum Trading")),
    ("RO", ("{} S.R.L.", "{} SRL", "{} s.r.l."), ("Confectii Moldova", "Carpatica Textil", "Dunarea Agro")),
    ("BR", ("{} Ltda.", "{} Ltda", "{} Limitada", "{} LTDA"), ("Algodoeira Sertao", "Carvoaria Boa Vista", "Frigorifico Ouro Verde")),
    ("TR", ("{} A.Ş.", "{} AŞ", "{} A.S.", "{} Anonim Şirketi"), ("Anadolu Pamuk", "Ege Tekstil Sanayi", "Karadeniz Findik")),
    ("TR", ("{} Ltd. Şti.", "{} Ltd Sti", "{} Limited Şirketi"), ("Bursa Orme Konfeksiyon", "Denizli Havlu Tekstil", "Gaziantep Iplik")),
    ("ID", ("PT {} Tbk.", "PT {} Tbk", "P.T. {} Tbk", "{}"), ("Indo Kapas Sejahtera", "Nusantara Rotan Jaya", "Sumber Sawit Makmur")),
    ("CN", ("{} Co., Ltd.", "{} Co Ltd", "{} Company Limited", "{} CO.,LTD."), ("Ningbo Hengxiang Knitting", "Shaoxing Jinyu Printing", "Foshan Meiya Ceramics")),
    ("DE", ("{} GmbH & Co. KG", "{} GmbH & Co KG", "{} GmbH u. Co. KG"), ("Hartmann Textil", "Bergmann Logistik", "Krueger Metallbau")),
    ("IT", ("{} S.p.A.", "{} SpA", "{} S.P.A."), ("Tessitura Lombarda", "Conceria Toscana", "Pellami Riuniti")),
    ("RU", ("{} OOO", "OOO {}", "{} LLC", "{} Limited Liability Company"), ("Sibirskiy Les", "Primorsk Rybprom", "Dalvostok Trans")),
    ("RU", ("{} JSC", "JSC {}", "{} Joint Stock Company", "AO {}"), ("Uralkhimtrade", "Baltic Fleet Services", "Amurmetall")),
    ("VN", ("Cong Ty TNHH {}", "{} Co., Ltd.", "{} Company Limited", "CONG TY TNHH {}"), ("Phu Thinh", "Hoang Long Seafood", "Thanh Cong Textile")),
    ("MY", ("{} Sdn. Bhd.", "{} Sdn Bhd", "{} Sendirian Berhad", "{} SDN BHD"), ("Kenanga Glove", "Perdana Palm Oil", "Seri Mutiara Textiles")),
    ("MY", ("{} Bhd.", "{} Berhad", "{} Bhd"), ("Puncak Getah", "Sinar Sawit", "Mewah Garments")),
    ("IN", ("{} Pvt. Ltd.", "{} Pvt Ltd", "{} Private Limited", "{} (P) Ltd."), ("Shree Balaji Cotspin", "Kaveri Silk Mills", "Jaipur Handloom Exports")),
    ("NP", ("{} Pvt., Ltd.", "{} Pvt Ltd", "{} Private Limited"), ("Himalayan Wool Craft", "Everest Carpet Industries", "Lumbini Handknotted Carpets")),
    ("ZA", ("{} (Pty) Ltd", "{} Pty Ltd", "{} Proprietary Limited", "{} (PTY) LIMITED"), ("Karoo Wool Traders", "Highveld Citrus", "Namaqua Granite")),
    ("FR", ("{} S.A.R.L.", "{} SARL", "{} Sarl", "SARL {}"), ("Textiles du Sahel", "Comptoir Ivoirien du Cacao", "Bois du Gabon")),
    ("NL", ("{} B.V.", "{} BV", "{} b.v."), ("Van der Meer Handel", "Delta Agro Trading", "Noordzee Visserij")),
    ("JP", ("{} K.K.", "{} KK", "{} Kabushiki Kaisha", "{} Co., Ltd."), ("Yamato Seni", "Shinwa Shoji", "Tokai Kogyo")),
    ("CZ", ("{} s.r.o.", "{} S.R.O.", "{} spol. s r.o."), ("Moravia Textil", "Brnenske Kovo", "Sumava Drevo")),
    ("RS", ("{} d.o.o.", "{} D.O.O.", "{} doo"), ("Vojvodina Agrar", "Sumadija Tekstil", "Zlatibor Drvo")),
    ("PL", ("{} Sp. z o.o.", "{} Sp z oo", "{} Sp. z o. o."), ("Mazowsze Meble", "Baltyk Ryby", "Slask Stal")),
    ("PH", ("{} Inc.", "{} Inc", "{} Incorporated"), ("Mindanao Coco Fiber", "Visayas Sugar Milling", "Luzon Abaca Traders")),
)  # fmt: skip
# Names the bundled lists carry, with the same company written with another (or no) form.
DOTTED_REAL = (
    ("PROFINET L.L.C.", "PROFINET PTE. LTD.", "list's own aliases: Profinet is written Pte. Ltd. and OOO"),
    ("PROFINET, OOO", "PROFINET PTE. LTD.", "two aliases of one OFAC entry"),
    ("FORTUNA OOO", "FORTUNA LIMITED LIABILITY COMPANY", "OOO is the Russian limited liability company"),
    ("Fortuna LLC", "LIMITED LIABILITY COMPANY FORTUNA", "form before or after the name"),
    ("TSMRBANK LLC", "TSMRBANK, OOO", "OOO and LLC"),
    ("APOLLON LLC", "APOLLON OOO", "two aliases of one OFAC entry"),
    ("GUDZON SHIPPING CO LLC", "OOO GUDZON SHIPPING CO", "two aliases of one OFAC entry"),
    ("DV INK OOO", "DV INK LIMITED LIABILITY COMPANY", "two aliases of one OFAC entry"),
    ("TRANS KAPITAL, OOO", "TRANS KAPITAL LIMITED LIABILITY COMPANY", "two aliases of one OFAC entry"),
    ("RAFORT, OOO", "RAFORT LIMITED LIABILITY COMPANY", "two aliases of one OFAC entry"),
    ("Kingtom Aluminio SRL", "Kingtom Aluminio S.R.L.", "the CBP finding, undotted"),
    ("Casual Wear Apparel LLC", "Casual Wear Apparel L.L.C.", "the CBP WRO, undotted"),
    ("Linglong International Europe d.o.o.", "Linglong International Europe D.O.O. Zrenjanin", "the CBP WRO without the town"),
    ("Serbia Zijin Copper doo", "Serbia Zijin Copper D.O.O..", "the CBP WRO, undotted"),
    ("Versor spol. s r.o.", "VERSOR S.R.O.", "the Czech form spelled the long way"),
    ("Transatlantic Partners Private Limited", "TRANSATLANTIC PARTNERS PTE. LTD.", "Pte. Ltd. is a private limited company"),
    ("SINSMS Pte Ltd", "SINSMS PTE. LTD.", "undotted"),
    ("Congo Aconde S.A.R.L.", "CONGO ACONDE SARL", "dotted"),
    ("Mansudae Overseas Projects Architectural and Technical Services Pty Ltd", "MANSUDAE OVERSEAS PROJECTS ARCHITECTURAL AND TECHNICAL SERVICES (PTY) LIMITED", "(Pty) Ltd without brackets"),
    ("Wee Tiong Pte. Ltd.", "WEE TIONG (S) PTE LTD", "dotted, without the (S)"),
    ("Thinh Cuong Co., Ltd.", "CONG TY TNHH THINH CUONG", "Cong ty TNHH is the Vietnamese limited company"),
)  # fmt: skip
DOTTED_REAL_NEGATIVES = (
    ("Aluminios del Caribe S.R.L.", "Kingtom Aluminio S.R.L.", "only the form and a generic word shared"),
    ("Classic Fashion Apparel L.L.C.", "Casual Wear Apparel L.L.C.", "only the form and a generic word shared"),
    ("Minth Automotive Europe D.O.O. Loznica", "Linglong International Europe D.O.O. Zrenjanin", "only the form and a generic word shared"),
    ("VEKTOR S.R.O.", "VERSOR S.R.O.", "only the form shared"),
    ("PROFIMAX PTE. LTD.", "PROFINET PTE. LTD.", "only the form and a prefix shared"),
    ("SWANSEAS PORT SERVICES PTE. LTD.", "TRANSATLANTIC PARTNERS PTE. LTD.", "two listed companies sharing only the form"),
    ("VELMUR MANAGEMENT PTE LTD", "SINSMS PTE. LTD.", "two listed companies sharing only the form"),
    ("PAEKHO CONSTRUCTION SARL", "CONGO ACONDE SARL", "two listed companies sharing only the form"),
    ("Horticola Tom S.A. de C.V.", "Agropecuarios Tom S.A. de C.V.", "two companies of one WRO: different companies"),
    ("Agricola Tomasa S.A. de C.V.", "Agropecuarios Tom S.A. de C.V.", "only the form shared"),
    ("INTELLEKT LLC", "APOLLON OOO", "two listed companies sharing only the form"),
    ("MOKRAN LLC", "KINOATIS LLC", "two listed companies sharing only the form"),
)  # fmt: skip


def dotted_legal() -> list[Pair]:
    pairs = []
    for country, templates, names in DOTTED_GROUPS:
        listed_form, others = templates[0], templates[1:]
        for k, name in enumerate(names):
            query = others[k % len(others)].format(name)
            how = (
                "legal form written without dots or otherwise"
                if others[k % len(others)] != "{}"
                else "legal form left out"
            )
            extra = {"country_a": country, "country_b": country}
            pairs.append(positive(query, listed_form.format(name), DOTTED, how, **extra))
            other = names[(k + 1) % len(names)]
            pairs.append(
                negative(
                    listed_form.format(other),
                    listed_form.format(name),
                    DOTTED,
                    "unrelated companies sharing only the dotted legal form",
                    **extra,
                )
            )
    pairs += [positive(a, b, DOTTED, how) for a, b, how in DOTTED_REAL]
    pairs += [negative(a, b, DOTTED, how) for a, b, how in DOTTED_REAL_NEGATIVES]
    return pairs


# (abbreviated form, spelled-out forms, names sharing words on purpose, country)
ABBREV_GROUPS = (
    ("{} AG", ("{} Aktiengesellschaft",), ("Siemens", "Kessler Maschinenbau", "Rheinland Textil", "Rheinland Stahl"), "DE"),
    ("{} GmbH", ("{} Gesellschaft mit beschränkter Haftung", "{} Gesellschaft mbH"), ("Bauer Logistik", "Hofmann Garne", "Hofmann Logistik"), "DE"),
    ("OAO {}", ("Open Joint Stock Company {}", "OJSC {}", "Otkrytoe Aktsionernoe Obshchestvo {}"), ("Gazprom", "Uralneftegaz", "Sibneftegaz", "Sibtekstil"), "RU"),
    ("ZAO {}", ("Closed Joint Stock Company {}", "CJSC {}", "Zakrytoe Aktsionernoe Obshchestvo {}"), ("Dalmorprodukt", "Primtorgservis", "Dalmortrans"), "RU"),
    ("PAO {}", ("Public Joint Stock Company {}", "PJSC {}", "Publichnoe Aktsionernoe Obshchestvo {}"), ("Severstroy", "Volgatransneft", "Severtrans"), "RU"),
    ("AO {}", ("Joint Stock Company {}", "JSC {}", "Aktsionernoe Obshchestvo {}"), ("Amurzoloto", "Kamchatrybflot", "Amurrybflot"), "RU"),
    ("OOO {}", ("Limited Liability Company {}", "LLC {}", "Obshchestvo s Ogranichennoi Otvetstvennostyu {}"), ("Vostokles", "Sibugol", "Vostokugol"), "RU"),
    ("{} SARL", ("{} Société à responsabilité limitée", "{} Societe a Responsabilite Limitee"), ("Comptoir Malien du Coton", "Sahel Textiles", "Sahel Coton"), "ML"),
    ("{} SA", ("{} Société Anonyme",), ("Bois du Gabon", "Cacao Ivoire", "Bois Ivoire"), "CI"),
    ("{} SAS", ("{} Société par Actions Simplifiée",), ("Lyon Soieries", "Nord Textile", "Nord Soieries"), "FR"),
    ("{} Ltda", ("{} Limitada",), ("Cafetalera del Sur", "Minera Andina", "Minera del Sur"), "CO"),
    ("{} S.A.", ("{} Sociedad Anónima",), ("Pesquera Austral", "Frutícola Andes", "Pesquera Andes"), "CL"),
    ("{} S.L.", ("{} Sociedad Limitada",), ("Conservas Galicia", "Textil Levante", "Conservas Levante"), "ES"),
    ("{} S.R.L.", ("{} Sociedad de Responsabilidad Limitada",), ("Algodonera Chaco", "Yerbatera Misiones", "Algodonera Misiones"), "AR"),
    ("{} S.A. de C.V.", ("{} Sociedad Anónima de Capital Variable",), ("Agropecuaria Sinaloa", "Empaques Sonora", "Agropecuaria Sonora"), "MX"),
    ("{} Ltda.", ("{} Limitada",), ("Carvão Vegetal Minas", "Pecuária Rio Verde", "Pecuária Minas"), "BR"),
    ("{} S.r.l.", ("{} Società a responsabilità limitata",), ("Filatura Biellese", "Calzaturificio Marche", "Filatura Marche"), "IT"),
    ("{} AŞ", ("{} Anonim Şirketi",), ("Çukurova Pamuk", "Marmara Boya", "Marmara Pamuk"), "TR"),
    ("{} Ltd. Şti.", ("{} Limited Şirketi",), ("Uşak Battaniye", "Adana Çırçır", "Adana Battaniye"), "TR"),
    ("Cong ty TNHH {}", ("{} Company Limited", "{} Co., Ltd."), ("Viet Thang Textile", "Hoa Binh Rubber", "Hoa Binh Textile"), "VN"),
    ("Cong ty Co phan {}", ("{} Joint Stock Company", "{} JSC"), ("Minh Phat Seafood", "Saigon Garment", "Minh Phat Garment"), "VN"),
    ("{} BV", ("{} Besloten Vennootschap",), ("Oranje Handel", "Zeeland Vis", "Zeeland Handel"), "NL"),
    ("{} Sp. z o.o.", ("{} Spółka z ograniczoną odpowiedzialnością",), ("Polskie Meble", "Gdańsk Ryby", "Gdańsk Meble"), "PL"),
    ("{} AB", ("{} Aktiebolag",), ("Nordic Timber", "Norrland Trä", "Nordic Trä"), "SE"),
    ("{} Oy", ("{} Osakeyhtiö",), ("Lapin Puu", "Savon Kivi", "Savon Puu"), "FI"),
    ("{} A/S", ("{} Aktieselskab",), ("Vestjysk Fisk", "Fyns Tekstil", "Fyns Fisk"), "DK"),
    ("{} Sdn Bhd", ("{} Sendirian Berhad",), ("Kenanga Rubber", "Teratai Glove", "Teratai Rubber"), "MY"),
    ("{} K.K.", ("{} Kabushiki Kaisha", "Kabushiki Kaisha {}"), ("Shinwa Shoji", "Daito Seiki", "Daito Shoji"), "JP"),
    ("{} PLC", ("{} Public Limited Company",), ("Pennine Wool", "Mersey Cotton", "Mersey Wool"), "GB"),
    ("{} PCL", ("{} Public Company Limited",), ("Siam Canned Seafood", "Chao Phraya Sugar", "Siam Sugar"), "TH"),
)  # fmt: skip
CYRILLIC_FORMS = (
    ("ООО «Востоклес»", "VOSTOKLES LLC", 1, "ООО is OOO, a limited liability company"),
    ("ООО «Востоклес»", "LIMITED LIABILITY COMPANY VOSTOKLES", 1, "ООО spelled out in English"),
    (
        "ОАО «Уралнефтегаз»",
        "OPEN JOINT STOCK COMPANY URALNEFTEGAZ",
        1,
        "ОАО is an open joint-stock company",
    ),
    ("ЗАО «Далморпродукт»", "CJSC DALMORPRODUKT", 1, "ЗАО is a closed joint-stock company"),
    (
        "ПАО «Северстрой»",
        "PUBLIC JOINT STOCK COMPANY SEVERSTROY",
        1,
        "ПАО is a public joint-stock company",
    ),
    ("АО «Амурзолото»", "JSC AMURZOLOTO", 1, "АО is a joint-stock company"),
    ('ООО "Рафорт"', "RAFORT LIMITED LIABILITY COMPANY", 1, "the OFAC entry RAFORT"),
    ('ООО "Мокран"', "MOKRAN LLC", 1, "the OFAC entry MOKRAN"),
    ("АО «Тимер Банк»", "TIMER BANK, AO", 1, "the OFAC entry TIMER BANK"),
    (
        "ПАО «Тимер Банк»",
        "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO TIMER BANK",
        1,
        "alias of the OFAC entry TIMER BANK",
    ),
    ("ООО «Сибуголь»", "VOSTOKUGOL LLC", 0, "Sibugol vs Vostokugol"),
    (
        "ОАО «Сибнефтегаз»",
        "OPEN JOINT STOCK COMPANY URALNEFTEGAZ",
        0,
        "Sibneftegaz vs Uralneftegaz",
    ),
    ("ЗАО «Далмортранс»", "CJSC DALMORPRODUKT", 0, "Dalmortrans vs Dalmorprodukt"),
    ("ПАО «Севертранс»", "PUBLIC JOINT STOCK COMPANY SEVERSTROY", 0, "Severtrans vs Severstroy"),
    ("АО «Амуррыбфлот»", "JSC AMURZOLOTO", 0, "Amurrybflot vs Amurzoloto"),
    (
        'ООО "Интеллект"',
        "RAFORT LIMITED LIABILITY COMPANY",
        0,
        "two OFAC entries sharing only the form",
    ),
    ('ООО "Фортуна"', "MOKRAN LLC", 0, "two OFAC entries sharing only the form"),
    ("АО «Дальневосточный банк»", "TIMER BANK, AO", 0, "two banks sharing only the form"),
)


def legal_abbrev() -> list[Pair]:
    pairs = []
    for abbreviated, spelled, names, country in ABBREV_GROUPS:
        extra = {"country_a": country, "country_b": country}
        for k, name in enumerate(names):
            full = spelled[k % len(spelled)]
            a, b = abbreviated.format(name), full.format(name)
            if k % 2:
                a, b = b, a
            pairs.append(
                positive(
                    a,
                    b,
                    ABBREV,
                    "legal form abbreviated on one side, spelled out on the other",
                    **extra,
                )
            )
            other = names[(k + 1) % len(names)]
            pairs.append(
                negative(
                    abbreviated.format(other),
                    full.format(name),
                    ABBREV,
                    "different companies (names share a word) with the same legal form written two ways",
                    **extra,
                )
            )
    for a, b, label, how in CYRILLIC_FORMS:
        pair = positive if label else negative
        pairs.append(pair(a, b, ABBREV, f"Cyrillic legal form: {how}", country_a="RU"))
    return pairs
