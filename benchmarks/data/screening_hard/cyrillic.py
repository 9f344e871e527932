# ruff: noqa: E501, RUF001  (tables of names one row to a line; Cyrillic letters on purpose)
"""cyrillic: Cyrillic queries against romanized list names, in several romanization systems.

The romanization tables below are written here from the published systems (BGN/PCGN 1947,
ICAO Doc 9303 of 2013 as in Russian passports, German Duden, French, and the scholarly
system with diacritics); they are this benchmark's own, not chainproof's.
"""

from __future__ import annotations

from .common import PERSON, Pair, negative, positive

CYRILLIC = "cyrillic"
VOWELS = set("аеёиоуыэюяaeiou")

_COMMON = dict(zip("абвгдзиклмнопрстуфы", "abvgdziklmnoprstufy", strict=True))
SYSTEMS: dict[str, dict[str, str]] = {
    "BGN/PCGN": {**_COMMON, "е": "e", "ё": "e", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "'", "э": "e", "ю": "yu", "я": "ya"},
    "ICAO 9303": {**_COMMON, "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
    "German": {**_COMMON, "в": "w", "з": "s", "е": "e", "ё": "jo", "ж": "sch", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ь": "", "э": "e", "ю": "ju", "я": "ja"},
    "French": {**_COMMON, "у": "ou", "е": "e", "ё": "io", "ж": "j", "й": "i", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "", "ь": "", "э": "e", "ю": "iou", "я": "ia"},
    "scholarly": {**_COMMON, "е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ъ": "ʺ", "ь": "ʹ", "э": "ė", "ю": "ju", "я": "ja"},
}  # fmt: skip
# Ukrainian and Mongolian letters that Russian tables lack (national systems).
EXTRA = {"і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ө": "o", "ү": "u"}


def romanize_word(word: str, system: str) -> str:
    table = SYSTEMS[system]
    low = word.lower()
    out = []
    for i, c in enumerate(low):
        before = low[i - 1] if i else ""
        after = low[i + 1] if i + 1 < len(low) else ""
        initial_or_after_vowel = not before or before in VOWELS or before in "ъь"
        if system == "BGN/PCGN" and c in "её" and initial_or_after_vowel:
            out.append("ye" if c == "е" else "yo")
        elif system == "German" and c == "е" and initial_or_after_vowel:
            out.append("je")
        elif system in {"German", "French"} and c == "с" and before in VOWELS and after in VOWELS:
            out.append("ss")
        elif system in {"German", "French"} and c == "и" and after == "й" and i + 2 == len(low):
            out.append("i")  # -ий -> -i
        elif system in {"German", "French"} and c == "й" and before == "и" and i + 1 == len(low):
            continue
        elif system == "German" and c == "й" and after not in VOWELS:
            out.append("i")
        elif c in table:
            out.append(table[c])
        else:
            out.append(EXTRA.get(c, c))
    text = "".join(out)
    return text[:1].upper() + text[1:]


def romanize_person(surname: str, given: str, system: str) -> str:
    """'SURNAME, Given Patronymic' as lists write a person."""
    names = " ".join(romanize_word(w, system) for w in given.split())
    return f"{romanize_word(surname, system).upper()}, {names}"


# OFAC persons: (Cyrillic as the person writes it, the list name)
LISTED_PEOPLE = (
    ("Писклин Михаил Юрьевич", "PISKLIN, Mikhail Yur'evich"),
    ("Колчанов Василий Александрович", "KOLCHANOV, Vasili Aleksandrovich"),
    ("Сербин Андрей", "SERBIN, Andrey"),
    ("Амченцев Владлен", "AMTCHENTSEV, Vladlen"),
    ("Соин Дмитрий Юрьевич", "SOIN, Dmitriy Yurevich"),
    ("Часовников Александр Александрович", "CHASOVNIKOV, Aleksandr Aleksandrovich"),
    ("Гаевой Александр Андреевич", "GAYEVOY, Aleksandr Andreyevich"),
    ("Козлов Сергей Михайлович", "KOZLOV, Sergey Mikhaylovich"),
    ("Семёнов Роман", "SEMENOV, Roman"),
    ("Газарян Рафаэль Анатольевич", "GAZARYAN, Rafael Anatolyevich"),
    ("Буднев Алексей Викторович", "BUDNEV, Aleksey Viktorovich"),
    ("Никулин Дмитрий Юрьевич", "NIKULIN, Dmitry Yuryevich"),
    ("Андреев Виталий Сергеевич", "ANDREYEV, Vitaliy Sergeyevich"),
    ("Асатрян Гайк Ванушевич", "ASATRYAN, Gayk Vanushevich"),
    ("Мкртычев Ашот", "MKRTYCHEV, Ashot"),
    ("Михаил Юрьевич Писклин", "PISKLIN, Mikhail Yur'evich"),
    ("Сергей Михайлович Козлов", "KOZLOV, Sergey Mikhaylovich"),
    ("Дмитрий Никулин", "NIKULIN, Dmitry Yuryevich"),
)
# A different person against a listed name: (Cyrillic, list name, why)
LISTED_PEOPLE_NEGATIVES = (
    (
        "Козлов Андрей Михайлович",
        "KOZLOV, Sergey Mikhaylovich",
        "same surname and patronymic, another given name",
    ),
    (
        "Писклин Сергей Юрьевич",
        "PISKLIN, Mikhail Yur'evich",
        "same surname and patronymic, another given name",
    ),
    (
        "Никитин Дмитрий Юрьевич",
        "NIKULIN, Dmitry Yuryevich",
        "surname one syllable away, same given names",
    ),
    ("Семёнов Руслан", "SEMENOV, Roman", "same surname, another given name"),
    (
        "Буднев Андрей Викторович",
        "BUDNEV, Aleksey Viktorovich",
        "same surname and patronymic, another given name",
    ),
    (
        "Соин Денис Юрьевич",
        "SOIN, Dmitriy Yurevich",
        "same surname and patronymic, another given name",
    ),
    (
        "Андреев Виктор Сергеевич",
        "ANDREYEV, Vitaliy Sergeyevich",
        "same surname and patronymic, another given name",
    ),
    (
        "Колчанов Валерий Александрович",
        "KOLCHANOV, Vasili Aleksandrovich",
        "same surname and patronymic, another given name",
    ),
    ("Козлова Светлана Михайловна", "KOZLOV, Sergey Mikhaylovich", "a woman of the same family"),
    (
        "Газарян Рубен Анатольевич",
        "GAZARYAN, Rafael Anatolyevich",
        "same surname and patronymic, another given name",
    ),
    (
        "Часовщиков Александр Александрович",
        "CHASOVNIKOV, Aleksandr Aleksandrovich",
        "surname differs in its middle, same given names",
    ),
    ("Асатрян Армен", "ASATRYAN, Gayk Vanushevich", "same surname, another given name"),
    ("Гаевая Александра Андреевна", "GAYEVOY, Aleksandr Andreyevich", "a woman of the same family"),
    ("Мкртчян Ашот", "MKRTYCHEV, Ashot", "another surname of the same root"),
    ("Сербина Анна", "SERBIN, Andrey", "a woman of the same family"),
)
# Invented people: (surname, given name and patronymic)
INVENTED_PEOPLE = (
    ("Щербаков", "Юрий Евгеньевич"), ("Журавлёва", "Ольга Игоревна"), ("Хабибуллин", "Ринат Ильдарович"),
    ("Воробьёв", "Алексей Петрович"), ("Цыганков", "Вячеслав Юрьевич"), ("Ефимова", "Наталья Сергеевна"),
    ("Чернышёв", "Игорь Васильевич"), ("Шевчук", "Андрей Николаевич"), ("Яковлев", "Евгений Аркадьевич"),
    ("Зуев", "Илья Фёдорович"), ("Григорьев", "Юрий Валентинович"), ("Ющенко", "Татьяна Олеговна"),
    ("Полищук", "Виктор Иванович"), ("Кузьмин", "Фёдор Ильич"), ("Соловьёв", "Артём Дмитриевич"),
    ("Хромов", "Никита Евгеньевич"), ("Жуков", "Сергей Юрьевич"), ("Васильева", "Юлия Андреевна"),
)  # fmt: skip
ORGANIZATIONS = (
    ("ООО «Банк Центр Международных Расчетов»", "BANK TSENTR MEZHDUNARODNYKH RASCHETOV OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU", 1, "alias of TSMRBANK"),
    ("Международный Расчетный Банк", "MEZHDUNARODNYI RASCHETNYI BANK", 1, "alias of MRB BANK"),
    ("АО Банк «Российская Финансовая Корпорация»", "BANK ROSSISKAYA FINANSOVAYA KORPORATSIYA AKTSIONERNOE OBSHCHESTVO", 1, "alias of RUSSIAN FINANCIAL CORPORATION"),
    ("КБ «Агросоюз»", "COMMERCIAL BANK AGROSOYUZ", 1, "КБ is a commercial bank"),
    ("ООО «Стройтрейд»", "STROYTREYD LLC", 1, "OFAC entry"),
    ("ООО «Технология»", "TEKHNOLOGIYA, OOO", 1, "OFAC entry"),
    ("ООО «Транс Капитал»", "TRANS KAPITAL LLC", 1, "OFAC entry"),
    ("ООО «Новосибирскоблгаз»", "NOVOSIBIRSKOBLGAZ LLC", 1, "OFAC entry"),
    ("ООО «Восток Трейдинг»", "VOSTOK TRADING LLC", 1, "OFAC entry"),
    ("ООО «Киноатис»", "KINOATIS LLC", 1, "OFAC entry"),
    ("ООО «Аполлон»", "APOLLON OOO", 1, "OFAC entry"),
    ("ООО «Интеллект»", "INTELLEKT LLC", 1, "OFAC entry"),
    ("ООО «РК Бриз»", "RK BRIZ, OOO", 1, "OFAC entry"),
    ("ООО «Профинет»", "PROFINET, OOO", 1, "OFAC entry"),
    ("ООО «Верус»", "LIMITED LIABILITY COMPANY VERUS", 1, "OFAC entry"),
    ("ООО «Зил-М»", "ZIL-M LLC", 1, "OFAC entry"),
    ("ТОО «Дефенс Инжиниринг»", "DEFENS INZHINIRING", 1, "OFAC entry (Kazakh ТОО, a partnership)"),
    ("Линглонг Интернешнал Европа д.о.о. Зрењанин", "Linglong International Europe D.O.O. Zrenjanin", 1, "CBP WRO, in Serbian Cyrillic"),
    ("ТОВ «Дніпро Агро»", "DNIPRO AGRO LLC", 1, "invented; Ukrainian ТОВ is an LLC"),
    ("ТОО «Каспий Логистик»", "KASPIY LOGISTIK LLP", 1, "invented; Kazakh ТОО is an LLP"),
    ("Шумадија Текстил д.о.о.", "Sumadija Tekstil d.o.o.", 1, "invented; Serbian Cyrillic"),
    ("Монгол Ноос ХХК", "MONGOL NOOS LLC", 1, "invented; Mongolian ХХК is an LLC"),
    ("ООО «Стройтех»", "STROYTREYD LLC", 0, "Stroytekh vs Stroytreyd"),
    ("ООО «Технологии Будущего»", "TEKHNOLOGIYA, OOO", 0, "a different company whose name starts alike"),
    ("ООО «Транс Логистик»", "TRANS KAPITAL LLC", 0, "shares only Trans"),
    ("ООО «Восток Инвест»", "VOSTOK TRADING LLC", 0, "shares only Vostok"),
    ("ООО «Аполлония»", "APOLLON OOO", 0, "Apolloniya vs Apollon"),
    ("КБ «Агрокредит»", "COMMERCIAL BANK AGROSOYUZ", 0, "another agricultural bank"),
    ("ООО «Интеграл»", "INTELLEKT LLC", 0, "Integral vs Intellekt"),
    ("ООО «РК Бриг»", "RK BRIZ, OOO", 0, "Brig vs Briz: two words"),
    ("ООО «Новосибирскнефтегаз»", "NOVOSIBIRSKOBLGAZ LLC", 0, "another gas company of Novosibirsk"),
    ("ООО «Верона»", "LIMITED LIABILITY COMPANY VERUS", 0, "Verona vs Verus"),
    ("ООО «Профиль»", "PROFINET, OOO", 0, "Profil vs Profinet"),
    ("Московский Расчетный Банк", "MEZHDUNARODNYI RASCHETNYI BANK", 0, "another settlement bank"),
    ("ТОВ «Дністер Агро»", "DNIPRO AGRO LLC", 0, "Dnister vs Dnipro"),
    ("ТОО «Каспий Транс»", "KASPIY LOGISTIK LLP", 0, "shares only Kaspiy"),
    ("Монгол Мах ХХК", "MONGOL NOOS LLC", 0, "shares only Mongol"),
    ("Зрењанин Текстил д.о.о.", "Linglong International Europe D.O.O. Zrenjanin", 0, "shares only the town"),
    ("ООО «Зил-Т»", "ZIL-M LLC", 0, "Zil-T vs Zil-M"),
    ("ТОО «Дефенс Консалтинг»", "DEFENS INZHINIRING", 0, "shares only Defens"),
    ("ООО «Киномир»", "KINOATIS LLC", 0, "Kinomir vs Kinoatis"),
)  # fmt: skip


def _female(person: tuple[str, str]) -> bool:
    return person[1].split()[-1].endswith("на")  # patronymic -ovna / -evna / -ichna


def cyrillic() -> list[Pair]:
    pairs = []
    for query, listed in LISTED_PEOPLE:
        pairs.append(
            positive(
                query,
                listed,
                CYRILLIC,
                "OFAC person; Cyrillic written here",
                kind=PERSON,
                country_a="RU",
            )
        )
    for query, listed, how in LISTED_PEOPLE_NEGATIVES:
        pairs.append(
            negative(
                query, listed, CYRILLIC, f"a different person: {how}", kind=PERSON, country_a="RU"
            )
        )
    systems = list(SYSTEMS)
    n = len(INVENTED_PEOPLE)
    for i, (surname, given) in enumerate(INVENTED_PEOPLE):
        system = systems[i % len(systems)]
        query = f"{surname} {given}" if i % 3 else f"{given} {surname}"
        pairs.append(
            positive(
                query,
                romanize_person(surname, given, system),
                CYRILLIC,
                f"invented person, list name in {system}",
                kind=PERSON,
            )
        )
        other_surname, other_given = next(
            INVENTED_PEOPLE[(i + k) % n]
            for k in range(5, 5 + n)
            if _female(INVENTED_PEOPLE[(i + k) % n]) == _female((surname, given))
        )
        if i % 2:  # same surname, another person's given name and patronymic
            other = romanize_person(surname, other_given, system)
            how = "same surname, other given name and patronymic"
        else:  # same given name and patronymic, another surname
            other = romanize_person(other_surname, given, system)
            how = "same given name and patronymic, other surname"
        pairs.append(
            negative(
                f"{surname} {given}", other, CYRILLIC, f"invented; {how} ({system})", kind=PERSON
            )
        )
    for query, listed, label, how in ORGANIZATIONS:
        pair = positive if label else negative
        pairs.append(pair(query, listed, CYRILLIC, how))
    return pairs
